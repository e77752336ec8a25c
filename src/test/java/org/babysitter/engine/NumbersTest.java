package org.babysitter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Numbers are written short and exact, the way a person writes them: never "1.0E-4" or "1000000.0". */
class NumbersTest {
    @Test
    void exactIsTheShortestTextThatReadsBack() {
        assertEquals("1e-4", Numbers.exact(1e-4));
        assertEquals("9.471549e-4", Numbers.exact(9.471549e-4));
        assertEquals("1e-3", Numbers.exact(0.001));
        assertEquals("0.05", Numbers.exact(0.05));
        assertEquals("0.95", Numbers.exact(0.95));
        assertEquals("100", Numbers.exact(100.0));
        assertEquals("1e6", Numbers.exact(1_000_000.0));
        assertEquals("-2.5e-5", Numbers.exact(-2.5e-5));
        assertEquals("0", Numbers.exact(0));
        assertEquals("NaN", Numbers.exact(Double.NaN));
        assertEquals("inf", Numbers.exact(Double.POSITIVE_INFINITY));
        for (double v : new double[] {1e-4, 9.471549e-4, 0.1 + 0.2, 123456.789, 1e308, 4.9e-324}) {
            assertEquals(v, Double.parseDouble(Numbers.exact(v)), 0, Numbers.exact(v));
        }
    }

    @Test
    void significantRoundsToAFewDigitsInTheSameStyle() {
        assertEquals("3.2e-4", Numbers.significant(3.1622776e-4, 2));
        assertEquals("1e-3", Numbers.significant(9.996e-4, 2));
        assertEquals("2.3", Numbers.significant(2.302585, 2));
        assertEquals("8.1e-5", Numbers.significant(8.145062e-5, 2));
    }
}
