package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a timing child's warm-up ends, from sequences of JVM readings worked out by hand. */
class WarmupRuleTest {
    private static final long MB = 1L << 20;

    /**
     * Readings from pairs (collections so far, committed MB), the JIT's time left at 0: before the
     * first warm-up, then after each.
     */
    private static List<JvmReading> readings(long... collectionsAndMb) {
        List<JvmReading> r = new ArrayList<>();
        for (int i = 0; i < collectionsAndMb.length; i += 2) {
            r.add(new JvmReading(new YoungGeneration(collectionsAndMb[i], collectionsAndMb[i + 1] * MB), 0));
        }
        return r;
    }

    /** Readings from triples (collections so far, committed MB, compilation ms so far). */
    private static List<JvmReading> jvm(long... collectionsMbAndMillis) {
        List<JvmReading> r = new ArrayList<>();
        for (int i = 0; i < collectionsMbAndMillis.length; i += 3) {
            r.add(new JvmReading(new YoungGeneration(collectionsMbAndMillis[i], collectionsMbAndMillis[i + 1] * MB),
                    collectionsMbAndMillis[i + 2]));
        }
        return r;
    }

    /** How many warm-ups {@code rule} does over {@code readings}: the first prefix it calls done. */
    private static int warmups(WarmupRule rule, List<JvmReading> readings) {
        for (int n = 1; n <= readings.size(); n++) {
            if (rule.done(readings.subList(0, n))) {
                return n - 1;
            }
        }
        throw new AssertionError("not done within " + (readings.size() - 1) + " warm-ups");
    }

    @Test
    void aCommittedSizeThatHeldWithoutACollectionIsNotEnough() {
        // the decode's first child of 05:53 UTC on 7 December, shortened, one reading per decode: eden 95 MB;
        // collection 1 in warm-up 1 leaves it, 2 in warm-up 2 grows it to 190, 3 in warm-up 5 leaves it, 4 in
        // warm-up 7 grows it to 380, and warm-ups 8-10 hold 380 with no collection. After warm-up 10 there has
        // been no collection since the growth in warm-up 7: 0, not done, though 380 MB held over three warm-ups
        // (in that child the decodes that first touched the added 190 MB came two to four decodes later)
        List<JvmReading> r = readings(0, 95, 1, 95, 2, 190, 2, 190, 2, 190, 3, 190, 3, 190, 4, 380, 4, 380,
                4, 380, 4, 380);
        assertThat(WarmupRule.collectionsSinceGrowth(r)).isZero();
        assertThat(WarmupRule.heapSettled(5, 100).done(r)).isFalse();
        // after warm-up 5: since the growth in warm-up 2, collection 3 only: 1, not done either
        assertThat(WarmupRule.collectionsSinceGrowth(r.subList(0, 6))).isEqualTo(1);
        assertThat(WarmupRule.heapSettled(5, 100).done(r.subList(0, 6))).isFalse();
    }

    @Test
    void twoCollectionsThatLeftItNoLargerEndTheWarmUp() {
        // 380 MB; collection 5 in warm-up 2 grows it to 760; 6 in warm-up 5 leaves it (760); 7 in warm-up 8
        // shrinks it to 726, which touches no new page. After warm-up 5: 1 collection since the growth; after
        // warm-up 8: 2, done at 8 warm-ups (at least 5)
        List<JvmReading> r = readings(4, 380, 4, 380, 5, 760, 5, 760, 5, 760, 6, 760, 6, 760, 6, 760, 7, 726,
                7, 726);
        assertThat(warmups(WarmupRule.heapSettled(5, 100), r)).isEqualTo(8);
        assertThat(WarmupRule.collectionsSinceGrowth(r.subList(0, 9))).isEqualTo(2);
    }

    @Test
    void aGrowthAfterOneQuietCollectionStartsTheCountAgain() {
        // 760 MB; collection 6 in warm-up 1 leaves it (1 since); 7 in warm-up 3 grows it to 1519 (0 since);
        // 8 in warm-up 5 shrinks it to 1448 (1); 9 in warm-up 7 to 1380 (2): done at 7
        List<JvmReading> r = readings(5, 760, 6, 760, 6, 760, 7, 1519, 7, 1519, 8, 1448, 8, 1448, 9, 1380);
        assertThat(warmups(WarmupRule.heapSettled(0, 100), r)).isEqualTo(7);
    }

    @Test
    void twoCollectionsInOneWarmUpCountBothUnlessItGrew() {
        // a small trace's decodes: two collections in warm-up 1 and none larger: 2, done at 1 (least 1);
        // a warm-up with two collections in which the size grew counts neither, the growth could be the second's
        assertThat(warmups(WarmupRule.heapSettled(1, 100), readings(0, 95, 2, 95))).isEqualTo(1);
        assertThat(WarmupRule.collectionsSinceGrowth(readings(0, 95, 2, 190))).isZero();
        assertThat(WarmupRule.collectionsSinceGrowth(readings(0, 95, 2, 190, 3, 190))).isEqualTo(1);
    }

    @Test
    void theLeastAndTheMostBoundTheWarmUpWhateverTheHeap() {
        // two collections that left it no larger by warm-up 2: still 5 warm-ups, the least
        List<JvmReading> settled = readings(0, 95, 1, 95, 2, 95, 2, 95, 2, 95, 2, 95, 2, 95);
        assertThat(warmups(WarmupRule.heapSettled(5, 100), settled)).isEqualTo(5);
        // growing at every collection: never settled, stopped at the most, 3
        List<JvmReading> growing = readings(0, 95, 1, 190, 2, 380, 3, 760, 4, 1519);
        assertThat(warmups(WarmupRule.heapSettled(1, 3), growing)).isEqualTo(3);
        // fixed: exactly that many, the figures that do not read the heap
        assertThat(warmups(WarmupRule.fixed(2), growing)).isEqualTo(2);
        assertThat(warmups(WarmupRule.fixed(0), growing)).isZero();
    }

    @Test
    void aModelWarmsUpUntilAWarmUpInWhichTheJitCompiledNothingOfNote() {
        // the native model in the models' child of 06:18 UTC on 7 December (launcher options), one reading per
        // run, compilation ms summed: 346 ms compiled before the first run; the runs compiled 414, 116, 83 and 2
        // ms (346, 760, 876, 959, 961); eden 110 MB, grown to 205 at the first young collection, in run 3. After
        // warm-up 1 (the settings' least): 414 ms, not quiet; 2: 116; 3: 83 and grown; 4: 2 ms, not grown: done
        List<JvmReading> r = jvm(0, 110, 346, 0, 110, 760, 0, 110, 876, 1, 205, 959, 1, 205, 961);
        assertThat(warmups(WarmupRule.jitQuiet(1, 12), r)).isEqualTo(4);
        assertThat(WarmupRule.lastWarmupQuiet(r.subList(0, 4))).isFalse();
        assertThat(WarmupRule.lastWarmupQuiet(r)).isTrue();
    }

    @Test
    void aQuietJitIsNotEnoughWhileTheYoungGenerationGrows() {
        // xen after native in that child: 1,000 ms so far; its runs compiled 330, 88, 11, 1, 1 ms (1330, 1418,
        // 1429, 1430, 1431); the young collection in run 4 grew eden 205 -> 395 MB. Warm-up 3 compiled 11 ms,
        // not under 10; warm-up 4 only 1 ms but eden grew; warm-up 5 1 ms and 395 held: done at 5
        List<JvmReading> r = jvm(1, 205, 1000, 1, 205, 1330, 1, 205, 1418, 1, 205, 1429, 2, 395, 1430, 2, 395,
                1431);
        assertThat(warmups(WarmupRule.jitQuiet(1, 12), r)).isEqualTo(5);
        // the same without the growth: done at 4, where the JIT went quiet
        List<JvmReading> held = jvm(1, 205, 1000, 1, 205, 1330, 1, 205, 1418, 1, 205, 1429, 2, 205, 1430);
        assertThat(warmups(WarmupRule.jitQuiet(1, 12), held)).isEqualTo(4);
    }

    @Test
    void quietIsUnderTenMillisecondsOfCompilation() {
        // 9 ms in the warm-up is quiet, 10 is not; a young collection that shrank eden is no growth
        assertThat(WarmupRule.lastWarmupQuiet(jvm(3, 395, 100, 4, 380, 109))).isTrue();
        assertThat(WarmupRule.lastWarmupQuiet(jvm(3, 395, 100, 3, 395, 110))).isFalse();
        assertThat(WarmupRule.lastWarmupQuiet(jvm(3, 395, 100, 3, 396, 100))).isFalse();
    }

    @Test
    void theJitRuleNeedsOneWarmUpToJudgeAndStopsAtTheMost() {
        // nothing compiled at all: with a least of 0 still one warm-up, since quiet is said of a warm-up
        assertThat(warmups(WarmupRule.jitQuiet(0, 12), jvm(0, 95, 0, 0, 95, 0, 0, 95, 0))).isEqualTo(1);
        // at least 3 though quiet from the first
        assertThat(warmups(WarmupRule.jitQuiet(3, 12), jvm(0, 95, 0, 0, 95, 0, 0, 95, 0, 0, 95, 0, 0, 95, 0)))
                .isEqualTo(3);
        // compiling 50 ms in every warm-up: stopped at the most, 2
        assertThat(warmups(WarmupRule.jitQuiet(1, 2), jvm(0, 95, 0, 0, 95, 50, 0, 95, 100, 0, 95, 150)))
                .isEqualTo(2);
    }

    @Test
    void boundsAndReadingsAreChecked() {
        assertThatThrownBy(() -> WarmupRule.heapSettled(5, 4)).hasMessageContaining("0 <= least <= most");
        assertThatThrownBy(() -> WarmupRule.heapSettled(-1, 4)).hasMessageContaining("0 <= least <= most");
        assertThatThrownBy(() -> WarmupRule.heapSettled(1, 2).done(List.of())).hasMessageContaining("starts with a reading");
        assertThatThrownBy(() -> new JvmReading(new YoungGeneration(0, 0), -1)).hasMessageContaining(">= 0");
    }
}
