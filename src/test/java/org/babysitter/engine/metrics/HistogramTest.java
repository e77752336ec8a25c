package org.babysitter.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Histograms: exact counts on small known values, their edges, and what they refuse. */
class HistogramTest {
    @Test
    void countsKnownValuesInAFixedRangeWithTheEndsClampedAndNaNLeftOut() {
        double[] v = {-1, -0.5, -0.49, 0, 0.25, 0.5, 0.99, 1, 7, -3, Double.NaN, Double.POSITIVE_INFINITY, 123};
        Histogram h = Histogram.of(v, v.length - 1, -1, 1, 4); // the last value is beyond n: not read
        // bins [-1, -0.5) [-0.5, 0) [0, 0.5) [0.5, 1]; -3 into the first, 7 into the last
        assertArrayEquals(new long[] {2, 2, 2, 4}, h.counts());
        assertEquals(10, h.total());
        assertEquals(4, h.peak());
        assertEquals(-0.5, h.edge(1), 0);
        assertEquals(1, h.edge(4), 0);
        assertEquals(0.25, h.centre(2), 0);
    }

    @Test
    void ownRangeRunsFromTheSmallestToTheLargestValue() {
        double[] v = {2, 3, 3, 4, 6};
        Histogram h = Histogram.of(v, v.length, 2);
        assertEquals(2, h.low(), 0);
        assertEquals(6, h.high(), 0);
        assertArrayEquals(new long[] {3, 2}, h.counts()); // [2, 4) and [4, 6]
    }

    @Test
    void equalValuesSitInTheMiddleOfAUnitRange() {
        double[] v = {0, 0, 0};
        Histogram h = Histogram.of(v, 3, 3);
        assertEquals(-0.5, h.low(), 0);
        assertArrayEquals(new long[] {0, 3, 0}, h.counts());
        assertEquals(0, Histogram.of(new double[0], 0, 5).total());
    }

    @Test
    void isImmutableAndComparedByValue() {
        long[] counts = {1, 2};
        Histogram h = new Histogram(0, 1, counts);
        counts[0] = 99;
        h.counts()[1] = 99;
        assertArrayEquals(new long[] {1, 2}, h.counts());
        assertEquals(new Histogram(0, 1, new long[] {1, 2}), h);
        assertEquals(new Histogram(0, 1, new long[] {1, 2}).hashCode(), h.hashCode());
    }

    @Test
    void refusesAnEmptyOrBackwardRangeNoBinsAndNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram(1, 1, new long[1]));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(0, Double.NaN, new long[1]));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(0, 1, new long[0]));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(0, 1, new long[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[2], 3, 0, 1, 2));
    }

    @Test
    void barsScaleEachBinToThePeak() {
        Histogram h = new Histogram(-1, 1, new long[] {0, 1, 9, 3});
        assertEquals("-1 [ .@-] 1", h.bars());
        assertEquals("0 [ ] 1", Histogram.NONE.bars());
    }
}
