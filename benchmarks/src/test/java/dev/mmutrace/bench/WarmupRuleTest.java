package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a timing child's warm-up ends, from sequences of young-generation readings worked out by hand. */
class WarmupRuleTest {
    private static final long MB = 1L << 20;

    /** Readings from pairs (collections so far, committed MB): before the first warm-up, then after each. */
    private static List<YoungGeneration> readings(long... collectionsAndMb) {
        List<YoungGeneration> r = new ArrayList<>();
        for (int i = 0; i < collectionsAndMb.length; i += 2) {
            r.add(new YoungGeneration(collectionsAndMb[i], collectionsAndMb[i + 1] * MB));
        }
        return r;
    }

    /** How many warm-ups {@code rule} does over {@code readings}: the first prefix it calls done. */
    private static int warmups(WarmupRule rule, List<YoungGeneration> readings) {
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
        List<YoungGeneration> r = readings(0, 95, 1, 95, 2, 190, 2, 190, 2, 190, 3, 190, 3, 190, 4, 380, 4, 380,
                4, 380, 4, 380);
        assertThat(WarmupRule.collectionsSinceGrowth(r)).isZero();
        assertThat(new WarmupRule(5, 100).done(r)).isFalse();
        // after warm-up 5: since the growth in warm-up 2, collection 3 only: 1, not done either
        assertThat(WarmupRule.collectionsSinceGrowth(r.subList(0, 6))).isEqualTo(1);
        assertThat(new WarmupRule(5, 100).done(r.subList(0, 6))).isFalse();
    }

    @Test
    void twoCollectionsThatLeftItNoLargerEndTheWarmUp() {
        // 380 MB; collection 5 in warm-up 2 grows it to 760; 6 in warm-up 5 leaves it (760); 7 in warm-up 8
        // shrinks it to 726, which touches no new page. After warm-up 5: 1 collection since the growth; after
        // warm-up 8: 2, done at 8 warm-ups (at least 5)
        List<YoungGeneration> r = readings(4, 380, 4, 380, 5, 760, 5, 760, 5, 760, 6, 760, 6, 760, 6, 760, 7, 726,
                7, 726);
        assertThat(warmups(new WarmupRule(5, 100), r)).isEqualTo(8);
        assertThat(WarmupRule.collectionsSinceGrowth(r.subList(0, 9))).isEqualTo(2);
    }

    @Test
    void aGrowthAfterOneQuietCollectionStartsTheCountAgain() {
        // 760 MB; collection 6 in warm-up 1 leaves it (1 since); 7 in warm-up 3 grows it to 1519 (0 since);
        // 8 in warm-up 5 shrinks it to 1448 (1); 9 in warm-up 7 to 1380 (2): done at 7
        List<YoungGeneration> r = readings(5, 760, 6, 760, 6, 760, 7, 1519, 7, 1519, 8, 1448, 8, 1448, 9, 1380);
        assertThat(warmups(new WarmupRule(0, 100), r)).isEqualTo(7);
    }

    @Test
    void twoCollectionsInOneWarmUpCountBothUnlessItGrew() {
        // a small trace's decodes: two collections in warm-up 1 and none larger: 2, done at 1 (least 1);
        // a warm-up with two collections in which the size grew counts neither, the growth could be the second's
        assertThat(warmups(new WarmupRule(1, 100), readings(0, 95, 2, 95))).isEqualTo(1);
        assertThat(WarmupRule.collectionsSinceGrowth(readings(0, 95, 2, 190))).isZero();
        assertThat(WarmupRule.collectionsSinceGrowth(readings(0, 95, 2, 190, 3, 190))).isEqualTo(1);
    }

    @Test
    void theLeastAndTheMostBoundTheWarmUpWhateverTheHeap() {
        // two collections that left it no larger by warm-up 2: still 5 warm-ups, the least
        List<YoungGeneration> settled = readings(0, 95, 1, 95, 2, 95, 2, 95, 2, 95, 2, 95, 2, 95);
        assertThat(warmups(new WarmupRule(5, 100), settled)).isEqualTo(5);
        // growing at every collection: never settled, stopped at the most, 3
        List<YoungGeneration> growing = readings(0, 95, 1, 190, 2, 380, 3, 760, 4, 1519);
        assertThat(warmups(new WarmupRule(1, 3), growing)).isEqualTo(3);
        // fixed: exactly that many, the figures that do not read the heap
        assertThat(warmups(WarmupRule.fixed(2), growing)).isEqualTo(2);
        assertThat(warmups(WarmupRule.fixed(0), growing)).isZero();
    }

    @Test
    void boundsAndReadingsAreChecked() {
        assertThatThrownBy(() -> new WarmupRule(5, 4)).hasMessageContaining("0 <= least <= most");
        assertThatThrownBy(() -> new WarmupRule(-1, 4)).hasMessageContaining("0 <= least <= most");
        assertThatThrownBy(() -> new WarmupRule(1, 2).done(List.of())).hasMessageContaining("starts with a reading");
    }
}
