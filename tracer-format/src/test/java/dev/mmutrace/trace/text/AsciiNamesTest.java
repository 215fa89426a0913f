package dev.mmutrace.trace.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.importer.Tracepoint;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Names looked up by their bytes through a perfect hash: every name of a set is found wherever it
 * lies in a line, and text that is not a name (a prefix, one byte more, one byte changed in any of
 * its three parts: the first eight bytes, the last eight, the bytes between) is not.
 */
class AsciiNamesTest {
    /** The ftrace payload's key words (PayloadWord's texts): 2 to 10 bytes, heads shared by several. */
    private static final String[] PAYLOAD_WORDS = {
        "addr", "address", "cr3", "end", "error_code", "flags", "flush", "ip", "kernel", "LAZY_CPU",
        "LAZY_MMU", "LAZY_NONE", "level", "mm", "mode", "ncpus", "no", "p4dp", "p4dval", "pfn", "pgd",
        "pgdp", "pgdval", "pinned", "pmdp", "pmdval", "ptep", "pteval", "pudp", "pudval", "unpinned",
        "user", "user_p4dp", "user_pgdp", "yes"
    };

    private static <E> E find(AsciiNames<E> names, String line, int from, int to) {
        return names.of(line.getBytes(StandardCharsets.ISO_8859_1), from, to);
    }

    /** {@code word} between other text, as a payload's key lies in a line. */
    private static <E> E findInLine(AsciiNames<E> names, String word) {
        String line = "ptep ffff8880 " + word + " 80000001234567 (raw 8000000123)";
        return find(names, line, 14, 14 + word.length());
    }

    @Test
    void everyPayloadWordIsFoundInALineAndAtTheArraysEnd() {
        AsciiNames<String> names = new AsciiNames<>(PAYLOAD_WORDS, Function.identity());
        for (String w : PAYLOAD_WORDS) {
            assertThat(findInLine(names, w)).as(w).isEqualTo(w);
            // the last bytes of the array: fewer than eight bytes from the name's start to the end
            assertThat(find(names, "x " + w, 2, 2 + w.length())).as(w + " at the end").isEqualTo(w);
        }
    }

    @Test
    void nearMissesOfPayloadWordsAreNotFound() {
        AsciiNames<String> names = new AsciiNames<>(PAYLOAD_WORDS, Function.identity());
        // a prefix of a word, a word and one byte more, another case, a last byte changed, the
        // 9th and 10th bytes of the longest (past its head), and tokens of a payload that are not keys
        String[] misses = {"pte", "ptev", "pteva", "ptepp", "PTEP", "Ptep", "ptEp", "pfm", "user_p4dq",
            "user_pgd", "user_pgdpp", "error_coda", "error_cxde", "error_cod", "LAZY_NONF", "lazy_mmu",
            "raw", "(raw", "(null)", "ffff888000085ff8", "p", "m", "a", "x", "yes ", " yes", "kernel:"};
        for (String m : misses) {
            assertThat(findInLine(names, m)).as(m).isNull();
        }
        assertThat(find(names, "addr", 2, 2)).as("empty").isNull();
    }

    @Test
    void everyTracepointNameIsFoundAndItsNearMissesAreNot() {
        AsciiNames<Tracepoint> names = new AsciiNames<>(Tracepoint.values(), Tracepoint::text);
        for (Tracepoint t : Tracepoint.values()) {
            if (t.text().isEmpty()) {
                continue;
            }
            assertThat(findInLine(names, t.text())).as(t.text()).isEqualTo(t);
        }
        // 18 bytes: head "xen_mmu_", middle "se", tail "t_pte_at"; one byte changed in each part
        assertThat(findInLine(names, "xen_mmu_set_pte_at")).isEqualTo(Tracepoint.XEN_MMU_SET_PTE_AT);
        assertThat(findInLine(names, "xen_mmX_set_pte_at")).isNull();
        assertThat(findInLine(names, "xen_mmu_sXt_pte_at")).isNull();
        assertThat(findInLine(names, "xen_mmu_Set_pte_at")).isNull();
        assertThat(findInLine(names, "xen_mmu_set_pte_aX")).isNull();
        assertThat(findInLine(names, "xen_mmu_set_pte_a")).isNull(); // shorter than any name but a prefix
        assertThat(findInLine(names, "xen_mmu_set_pte_att")).isNull();
    }

    @Test
    void longNamesThatDifferOnlyInTheirMiddleAreEachFound() {
        // both 20 bytes with the same first and last eight bytes: one key, one slot, two middles
        String[] twins = {"abcdefgh1234ijklmnop", "abcdefgh5678ijklmnop", "abcdefgh12"};
        AsciiNames<String> names = new AsciiNames<>(twins, Function.identity());
        assertThat(findInLine(names, "abcdefgh1234ijklmnop")).isEqualTo("abcdefgh1234ijklmnop");
        assertThat(findInLine(names, "abcdefgh5678ijklmnop")).isEqualTo("abcdefgh5678ijklmnop");
        assertThat(findInLine(names, "abcdefgh12")).isEqualTo("abcdefgh12");
        assertThat(findInLine(names, "abcdefgh1278ijklmnop")).isNull();
        assertThat(findInLine(names, "abcdefgh9999ijklmnop")).isNull();
    }

    @Test
    void aNameGivenTwiceIsTheFirstOnesValue() {
        Integer[] numbers = {0, 1, 2};
        String[] texts = {"mm", "pfn", "mm"};
        AsciiNames<Integer> names = new AsciiNames<>(numbers, i -> texts[i]);
        assertThat(findInLine(names, "mm")).isZero();
        assertThat(findInLine(names, "pfn")).isEqualTo(1);
    }
}
