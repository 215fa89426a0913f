package dev.mmutrace.trace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.importer.Field;
import dev.mmutrace.trace.text.Hex;
import dev.mmutrace.trace.importer.Tracepoint;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Payload fields in the kernel's TP_printk shapes (tracepoints.md §1, §2) and trace-cmd's fallback. */
class PayloadTest {
    private final Payload payload = new Payload();

    private Payload parse(String text) {
        // placed after a prefix, as in a real line, so offsets do not start at 0
        byte[] b = ("ctx: " + text).getBytes(StandardCharsets.UTF_8);
        payload.parse(b, 5, b.length);
        return payload;
    }

    private String value(PayloadWord key) {
        int f = payload.valueOf(key);
        return f < 0 ? null : payload.valueText(f);
    }

    @Test
    void keyValuePairsOfAnEntryUpdate() {
        parse("mm ffff888000021000 addr 7ffffffff000 ptep ffff888000085ff8 pteval 8000000000200067"
                + " (raw 8000000000200067)");
        assertThat(value(PayloadWord.MM)).isEqualTo("ffff888000021000");
        assertThat(value(PayloadWord.ADDR)).isEqualTo("7ffffffff000");
        assertThat(value(PayloadWord.PTEP)).isEqualTo("ffff888000085ff8");
        // the printed value, not the raw one after it
        assertThat(value(PayloadWord.PTEVAL)).isEqualTo("8000000000200067");
        assertThat(payload.isKeyValue()).isFalse();
    }

    /** The number read when the line was split for {@code key}'s value, or null when none was. */
    private Long numberRead(PayloadWord key) {
        int f = payload.valueOf(key);
        return f >= 0 && payload.numberRead(f) ? payload.number(f) : null;
    }

    @Test
    void pointerAndHexValuesAreReadWhenSplit() {
        // mm and ptep are pointers, addr and pteval hex fields (Field's radix); "raw" is no field:
        // not read
        parse("mm ffff888000021000 addr 7ffffffff000 ptep ffff888000085ff8 pteval 8000000000200067"
                + " (raw 8000000000200067)");
        assertThat(numberRead(PayloadWord.MM)).isEqualTo(0xffff888000021000L);
        assertThat(numberRead(PayloadWord.ADDR)).isEqualTo(0x7ffffffff000L);
        assertThat(numberRead(PayloadWord.PTEP)).isEqualTo(0xffff888000085ff8L);
        assertThat(numberRead(PayloadWord.PTEVAL)).isEqualTo(0x8000000000200067L);
        parse("mm ffff888000000000  pfn 80  level 2  unpinned");
        assertThat(numberRead(PayloadWord.PFN)).isEqualTo(0x80L);
        // after a 0x, the digits; not 17 digits, not a bare 0x: the translation reads those
        // itself (and refuses them with its own message)
        parse("pgd 0xffff888000021000 ptep fffff888000085ff8 cr3 0x");
        assertThat(numberRead(PayloadWord.PGD)).isEqualTo(0xffff888000021000L);
        assertThat(numberRead(PayloadWord.PTEP)).isNull();
        assertThat(numberRead(PayloadWord.CR3)).isNull();
        // a pointer starting with a letter (split's test that it is a value already checked its
        // digits), one starting with a digit, and 16 hex digits with one 'g' among them (a key
        // word to split, so mm has no value at all)
        parse("mm ffff888000021000 pgd 0000888000022000");
        assertThat(numberRead(PayloadWord.MM)).isEqualTo(0xffff888000021000L);
        assertThat(numberRead(PayloadWord.PGD)).isEqualTo(0x0000888000022000L);
        parse("mm fffg888000021000 pgd ffff888000022000");
        assertThat(payload.hasValue(PayloadWord.MM)).isFalse();
        assertThat(numberRead(PayloadWord.PGD)).isEqualTo(0xffff888000022000L);
        // %p prints a null pointer as (null) (or (nil)): 0, as the translation reads it, in both
        // shapes; anything else in parentheses, and (null) as a hex field's value, is left to the
        // translation (which refuses them: a hash not yet keyed, bad hex)
        parse("mm (null) pgd (nil) ptep (____ptrval____) pmdp (nil)) pudp (nulls) addr (null)");
        assertThat(numberRead(PayloadWord.MM)).isZero();
        assertThat(numberRead(PayloadWord.PGD)).isZero();
        assertThat(numberRead(PayloadWord.PTEP)).isNull();
        assertThat(numberRead(PayloadWord.PMDP)).isNull();
        assertThat(numberRead(PayloadWord.PUDP)).isNull();
        assertThat(numberRead(PayloadWord.ADDR)).isNull();
        parse("[FAILED TO PARSE] mm=(null) pgd=0xffff888000022000");
        assertThat(numberRead(PayloadWord.MM)).isZero();
        parse("address=0x400000 ip=0x400000 error_code=0x14");
        assertThat(numberRead(PayloadWord.ADDRESS)).isEqualTo(0x400000L);
        assertThat(numberRead(PayloadWord.ERROR_CODE)).isEqualTo(0x14L);
        // trace-cmd's fallback prints a hex field without 0x in decimal: pteval 9223372036856873063
        // is 2^63 + 0x200067 (2^63 = 9223372036854775808, + 2097255), and pfn "ab" is no decimal,
        // left to the translation to refuse; pointers and 0x-prefixed values are read as hex
        parse("[FAILED TO PARSE] mm=0xffff888000021000 pteval=9223372036856873063 pmdval=0x63 pfn=ab pgd=ffff8880");
        assertThat(numberRead(PayloadWord.MM)).isEqualTo(0xffff888000021000L);
        assertThat(numberRead(PayloadWord.PTEVAL)).isEqualTo(0x8000000000200067L);
        assertThat(numberRead(PayloadWord.PMDVAL)).isEqualTo(0x63L);
        assertThat(numberRead(PayloadWord.PFN)).isNull();
        assertThat(numberRead(PayloadWord.PGD)).isEqualTo(0xffff8880L);
    }

    @Test
    void decimalValuesAreReadWhenSplit() {
        // level and ncpus are decimal fields (%d): read as decimal, a 0x-prefixed one as hex
        parse("mm ffff888000000000  pfn 80  level 2  unpinned");
        assertThat(numberRead(PayloadWord.LEVEL)).isEqualTo(2L);
        parse("ncpus 12 mm ffff888007c1d000 addr 401000, end 402000");
        assertThat(numberRead(PayloadWord.NCPUS)).isEqualTo(12L);
        parse("level 0x1f");
        assertThat(numberRead(PayloadWord.LEVEL)).isEqualTo(31L);
        // a minus sign negates; 20 digits wrap modulo 2^64 (18446744073709551615 = 2^64 - 1 is -1)
        parse("level -3");
        assertThat(numberRead(PayloadWord.LEVEL)).isEqualTo(-3L);
        parse("level 18446744073709551615");
        assertThat(numberRead(PayloadWord.LEVEL)).isEqualTo(-1L);
        // 21 digits, a lone minus, a letter among the digits, "4a" (hex, but this field is
        // decimal): left to the translation, which refuses them with its own message
        parse("level 100000000000000000000");
        assertThat(numberRead(PayloadWord.LEVEL)).isNull();
        parse("level -");
        assertThat(numberRead(PayloadWord.LEVEL)).isNull();
        parse("level 4a");
        assertThat(numberRead(PayloadWord.LEVEL)).isNull();
        // the fallback's decimal fields: pinned=1 kernel=0
        parse("[FAILED TO PARSE] pinned=1 kernel=0");
        assertThat(numberRead(PayloadWord.PINNED)).isEqualTo(1L);
        assertThat(numberRead(PayloadWord.KERNEL)).isEqualTo(0L);
    }

    @Test
    void aValueStartingWith0xIsKnownAsSuch() {
        // what TextRecord.isSymbol asks of a fault's address and ip: printed with 0x or not
        parse("address=0x400123 ip=do_page_fault error_code=0x6");
        assertThat(payload.hasHexPrefix(payload.valueOf(PayloadWord.ADDRESS))).isTrue();
        assertThat(payload.hasHexPrefix(payload.valueOf(PayloadWord.IP))).isFalse();
        // a bare 0x starts with 0x too (and is refused by the translation as bad hex)
        parse("cr3 0x");
        assertThat(payload.hasHexPrefix(payload.valueOf(PayloadWord.CR3))).isTrue();
    }

    /** Where {@link Payload#hexDigitsFrom} puts the digits of {@code value}, after a 5-byte prefix: -1 for decimal. */
    private static int digitsAt(Field.Radix radix, boolean keyValue, String value) {
        byte[] b = ("ctx: " + value).getBytes(StandardCharsets.UTF_8);
        int at = Payload.hexDigitsFrom(radix, keyValue, b, 5, b.length);
        return at < 0 ? at : at - 5;
    }

    @Test
    void hexDigitsStartAfterA0xOrBareForPointersAndTheKernelsHexFields() {
        // tracepoints.md: %p prints a pointer bare (mm ffff8880...), trace-cmd's fallback as 0x...;
        // %lx a hex field bare (cr3 20000), 0x%lx with 0x (error_code=0x14); [FAILED TO PARSE]
        // prints a hex field's raw struct value in decimal (pteval=9223372...); %d is decimal
        assertThat(digitsAt(Field.Radix.POINTER, false, "ffff888000020000")).isZero();
        assertThat(digitsAt(Field.Radix.POINTER, true, "0xffff888000020000")).isEqualTo(2);
        assertThat(digitsAt(Field.Radix.HEX, false, "20000")).isZero();
        assertThat(digitsAt(Field.Radix.HEX, false, "0x14")).isEqualTo(2);
        assertThat(digitsAt(Field.Radix.HEX, true, "0x14")).isEqualTo(2);
        assertThat(digitsAt(Field.Radix.HEX, true, "9223372036854775807")).isEqualTo(-1);
        assertThat(digitsAt(Field.Radix.DECIMAL, false, "2")).isEqualTo(-1);
        assertThat(digitsAt(Field.Radix.DECIMAL, true, "0x2")).isEqualTo(2);
        // a bare 0x: no digits after it, which the hex reading refuses ("bad hex '0x'")
        assertThat(digitsAt(Field.Radix.HEX, false, "0x")).isEqualTo(2);
    }

    @Test
    void eachPayloadOfAChunkAnswersForItselfWhenSelectedAgain() {
        // 40 payloads (more than the 32 the per-payload store starts with) in one byte array, as a
        // chunk keeps them, then selected again last to first. Payload i, by hand: an even one is
        // the kernel's text with pfn i (hex), level 2 and "pinned", no 0x; an odd one is
        // trace-cmd's fallback with pinned=0, kernel=1 (decimal) and cr3 = i * 0x1000 after a 0x
        Payload chunk = new Payload();
        String[] texts = new String[40];
        StringBuilder line = new StringBuilder("ctx:");
        int[] starts = new int[40];
        for (int i = 0; i < 40; i++) {
            texts[i] = i % 2 == 0
                    ? "mm ffff888000000000  pfn " + Integer.toHexString(i) + "  level 2  pinned"
                    : "[FAILED TO PARSE] pinned=0 kernel=1 cr3=0x" + Integer.toHexString(i * 0x1000);
            line.append(' ');
            starts[i] = line.length();
            line.append(texts[i]);
        }
        byte[] b = line.toString().getBytes(StandardCharsets.US_ASCII);
        int[] numbers = new int[40];
        for (int i = 0; i < 40; i++) {
            numbers[i] = chunk.parse(b, starts[i], starts[i] + texts[i].length());
        }
        for (int i = 39; i >= 0; i--) {
            chunk.select(numbers[i]);
            assertThat(chunk.raw()).isEqualTo(texts[i]);
            assertThat(chunk.isKeyValue()).isEqualTo(i % 2 == 1);
            assertThat(chunk.has(PayloadWord.PINNED)).isTrue();
            int pinned = chunk.valueOf(PayloadWord.PINNED);
            if (i % 2 == 0) {
                assertThat(pinned).isEqualTo(-1); // a lone word, no value
                int pfn = chunk.valueOf(PayloadWord.PFN);
                assertThat(chunk.numberRead(pfn)).isTrue();
                assertThat(chunk.number(pfn)).isEqualTo(i);
                assertThat(chunk.number(chunk.valueOf(PayloadWord.LEVEL))).isEqualTo(2);
                assertThat(chunk.number(chunk.valueOf(PayloadWord.MM))).isEqualTo(0xffff888000000000L);
                assertThat(chunk.hasHexPrefix(chunk.valueOf(PayloadWord.MM))).isFalse();
                assertThat(chunk.has(PayloadWord.CR3)).isFalse();
            } else {
                assertThat(chunk.number(pinned)).isZero();
                assertThat(chunk.number(chunk.valueOf(PayloadWord.KERNEL))).isEqualTo(1);
                int cr3 = chunk.valueOf(PayloadWord.CR3);
                assertThat(chunk.numberRead(cr3)).isTrue();
                assertThat(chunk.number(cr3)).isEqualTo(i * 0x1000L);
                assertThat(chunk.hasHexPrefix(cr3)).isTrue();
                assertThat(chunk.hasHexPrefix(pinned)).isFalse();
                assertThat(chunk.has(PayloadWord.PFN)).isFalse();
            }
        }
    }

    @Test
    void aKeyValueAfterFifteenFieldsAndALoneKeyDoesNotOverflow() {
        // found by fuzzing: 15 fields, then a lone key ("kernel", the 16th) and ptep=... (the 17th)
        // are added in one step; only 16 fields are kept, the first ones intact
        parse("pfn 1 " + "level 2 ".repeat(14) + "kernel ptep=ffff888000085ff8");
        assertThat(value(PayloadWord.PFN)).isEqualTo("1");
        assertThat(payload.has(PayloadWord.KERNEL)).isTrue();
        assertThat(payload.has(PayloadWord.PTEP)).isFalse();
    }

    @Test
    void loneWordsStandForThemselves() {
        parse("mm ffff888000000000  pfn 80  level 2  unpinned");
        assertThat(value(PayloadWord.PFN)).isEqualTo("80");
        assertThat(value(PayloadWord.LEVEL)).isEqualTo("2");
        assertThat(payload.has(PayloadWord.UNPINNED)).isTrue();
        assertThat(payload.hasValue(PayloadWord.UNPINNED)).isFalse();
        assertThat(payload.has(PayloadWord.PINNED)).isFalse();
        // "kernel" is followed by a key, not a value
        parse("kernel cr3 20000");
        assertThat(payload.has(PayloadWord.KERNEL)).isTrue();
        assertThat(payload.hasValue(PayloadWord.KERNEL)).isFalse();
        assertThat(value(PayloadWord.CR3)).isEqualTo("20000");
    }

    @Test
    void nullPointersCommasAndParentheses() {
        parse("p4dp ffff888000020c90 user_p4dp (null) p4dval 0000000000080063 (raw 0000000000080063)");
        assertThat(value(PayloadWord.USER_P4DP)).isEqualTo("(null)");
        assertThat(value(PayloadWord.P4DVAL)).isEqualTo("0000000000080063");
        // "addr 401000, end 402000": the comma is not part of the value
        parse("ncpus 1 mm ffff888007c1d000 addr 401000, end 402000");
        assertThat(value(PayloadWord.NCPUS)).isEqualTo("1");
        assertThat(value(PayloadWord.ADDR)).isEqualTo("401000");
        assertThat(value(PayloadWord.END)).isEqualTo("402000");
        // a hashed pointer printed before the hash key was ready is still a value
        parse("mm (____ptrval____) pgd (____ptrval____)");
        assertThat(value(PayloadWord.PGD)).isEqualTo("(____ptrval____)");
    }

    @Test
    void equalsSignedFieldsOfPageFaultsAndTraceCmdsFallback() {
        parse("address=0x400123 ip=0x400130 error_code=0x6");
        assertThat(value(PayloadWord.ADDRESS)).isEqualTo("0x400123");
        assertThat(value(PayloadWord.IP)).isEqualTo("0x400130");
        assertThat(value(PayloadWord.ERROR_CODE)).isEqualTo("0x6");
        parse("[FAILED TO PARSE] kernel=1 cr3=0x4000000");
        assertThat(payload.isKeyValue()).isTrue();
        assertThat(value(PayloadWord.KERNEL)).isEqualTo("1");
        assertThat(value(PayloadWord.CR3)).isEqualTo("0x4000000");
    }

    @Test
    void theFirstFieldOfAKeyCountsAndOnlySixteenFieldsAreRead() {
        parse("pfn 1 pfn 2");
        assertThat(value(PayloadWord.PFN)).isEqualTo("1");
        // sixteen lone words fill the fields; "ptep" would be the seventeenth
        parse("w1 w2 w3 w4 w5 w6 w7 w8 w9 wa wb wc wd we wg wh ptep 1");
        assertThat(payload.has(PayloadWord.PTEP)).isFalse();
    }

    @Test
    void tokensBeyondAsciiAreJudgedAsTheirCharacters() {
        // U+FF46 (fullwidth f) is a hex digit to Character.digit, so "ｆｆ" is a value, as it was
        // when payloads were strings; "é" is no digit, so it is a key and pteval gets no value
        parse("ptep \uff46\uff46 pteval \u00e9 5");
        assertThat(value(PayloadWord.PTEP)).isEqualTo("\uff46\uff46");
        assertThat(payload.has(PayloadWord.PTEVAL)).isTrue();
        assertThat(payload.hasValue(PayloadWord.PTEVAL)).isFalse();
    }

    @Test
    void everyKeyWordIsFoundByItsBytesAndNoneLooksLikeAValue() {
        for (PayloadWord w : PayloadWord.values()) {
            // a key is matched by its length and first and last eight bytes: whole words up to 16 bytes
            assertThat(w.text().length()).as(w.text()).isBetween(1, 16);
            parse("x 1 " + w.text() + " 7");
            assertThat(value(w)).as(w.text()).isEqualTo("7");
            // a key word all of hex digits would be read as a value: none is
            byte[] b = w.text().getBytes(StandardCharsets.US_ASCII);
            assertThat(Hex.isNumber(b, 0, b.length)).as(w.text()).isFalse();
        }
        // a word sharing a key's first eight bytes, or one byte short of it, is another key
        parse("user_p4dpx 1 user_p4 2");
        assertThat(payload.has(PayloadWord.USER_P4DP)).isFalse();
    }

    @Test
    void tracepointsAreFoundByTheirBytes() {
        for (Tracepoint t : Tracepoint.values()) {
            if (t == Tracepoint.OTHER) {
                continue;
            }
            byte[] b = t.text().getBytes(StandardCharsets.US_ASCII);
            assertThat(Tracepoint.of(b, 0, b.length)).isEqualTo(t);
            // one byte short is another name, or none
            assertThat(Tracepoint.of(b, 0, b.length - 1)).isNotEqualTo(t);
        }
        byte[] other = "sched_switch".getBytes(StandardCharsets.US_ASCII);
        assertThat(Tracepoint.of(other, 0, other.length)).isEqualTo(Tracepoint.OTHER);
    }
}
