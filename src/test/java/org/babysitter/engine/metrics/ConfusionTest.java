package org.babysitter.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConfusionTest {
    private final Confusion c = new Confusion(List.of("cat", "dog", "airplane"), new int[][] {{8, 2, 0}, {3, 6, 1}, {0, 0, 0}});

    @Test
    void perClassAndOverallAccuracyFromTheCounts() {
        assertEquals(0.8, c.accuracy(0), 1e-15);
        assertEquals(0.6, c.accuracy(1), 1e-15);
        assertTrue(Double.isNaN(c.accuracy(2)), "a class with no images has no accuracy");
        assertEquals(14.0 / 20, c.accuracy(), 1e-15);
        assertEquals(10, c.support(1));
        assertEquals(20, c.total());
        assertEquals(3, c.count(1, 0));
    }

    @Test
    void theTableHasARowPerTrueClassWithItsAccuracyAndCounts() {
        List<String> lines = c.table().lines().toList();
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).contains("accuracy") && lines.get(0).contains("airpl"), lines.get(0));
        assertTrue(lines.get(2).matches("dog\\s+0\\.600\\s+3\\s+6\\s+1"), lines.get(2));
    }

    @Test
    void countsAreCopiedAndChecked() {
        int[][] counts = {{1, 0}, {0, 1}};
        Confusion two = new Confusion(List.of("a", "b"), counts);
        counts[0][0] = 99;
        assertEquals(1, two.count(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Confusion(List.of("a", "b"), new int[][] {{1, 0}}));
        assertThrows(IllegalArgumentException.class, () -> new Confusion(List.of("a", "b"), new int[][] {{1, -1}, {0, 1}}));
    }
}
