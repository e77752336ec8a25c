package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.model.Volume;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** ConvNetJS's flips and shifts: exact moves of the pixels, choices fixed by seed, iteration and row, and a run repeatable. */
class AugmentationTest {
    private static final Volume V = new Volume(2, 3, 4);

    /** Value of channel c, row y, column x: all distinct and non-zero. */
    private static double value(int c, int y, int x) {
        return 100 * (c + 1) + 10 * y + x + 1;
    }

    private static double[] image() {
        double[] d = new double[V.size()];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    d[c * 12 + y * 4 + x] = value(c, y, x);
                }
            }
        }
        return d;
    }

    @Test
    void flipsAndShiftsMoveEveryPixelAndFillTheEdgeWithZero() {
        Augmentation a = new Augmentation(V, 1);
        double[] flipped = image();
        a.transform(flipped, 0, true, 0, 0);
        assertEquals(value(1, 2, 3), flipped[12 + 2 * 4], 0, "the flip: column 0 shows column 3");
        assertEquals(value(0, 0, 0), flipped[3], 0);
        double[] shifted = image();
        a.transform(shifted, 0, false, 1, -1);
        // right by 1, up by 1: out(y, x) = in(y + 1, x - 1)
        assertEquals(value(0, 1, 0), shifted[1], 0);
        assertEquals(value(1, 2, 2), shifted[12 + 4 + 3], 0);
        assertEquals(0, shifted[4], 0, "column 0 came from outside");
        assertEquals(0, shifted[12 + 2 * 4 + 1], 0, "the last row came from outside");
        double[] both = image();
        a.transform(both, 0, true, -2, 0);
        // flipped, then moved left by 2: out(y, x) = in(y, 3 - (x + 2))
        assertEquals(value(0, 1, 1), both[4], 0);
        assertEquals(value(0, 1, 0), both[5], 0);
        assertEquals(0, both[6], 0);
    }

    @Test
    void choicesAreFixedBySeedIterationAndRowAndCoverEveryFlipAndShift() {
        int rows = 400;
        Volume cifar = new Volume(3, 32, 32);
        DMatrixRMaj x = new DMatrixRMaj(rows, cifar.size());
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (i % 977) + 1;
        }
        DMatrixRMaj first = x.copy();
        new Augmentation(cifar, 5).apply(first, rows, 12);
        DMatrixRMaj again = x.copy();
        new Augmentation(cifar, 5).apply(again, rows, 12);
        assertArrayEquals(first.data, again.data, 0, "the same seed, iteration and rows: the same images");
        DMatrixRMaj later = x.copy();
        new Augmentation(cifar, 5).apply(later, rows, 13);
        assertFalse(java.util.Arrays.equals(first.data, later.data), "another iteration, other choices");
        // which of the 2 x 5 x 5 transforms each row got, read back from its pixels
        Set<String> seen = new HashSet<>();
        int unchanged = 0;
        Augmentation probe = new Augmentation(cifar, 0);
        for (int r = 0; r < rows; r++) {
            double[] row = java.util.Arrays.copyOfRange(first.data, r * cifar.size(), (r + 1) * cifar.size());
            String found = null;
            for (int flip = 0; flip < 2 && found == null; flip++) {
                for (int dx = -2; dx <= 2 && found == null; dx++) {
                    for (int dy = -2; dy <= 2 && found == null; dy++) {
                        double[] candidate = java.util.Arrays.copyOfRange(x.data, r * cifar.size(), (r + 1) * cifar.size());
                        probe.transform(candidate, 0, flip == 1, dx, dy);
                        if (java.util.Arrays.equals(candidate, row)) {
                            found = flip + "," + dx + "," + dy;
                        }
                    }
                }
            }
            assertTrue(found != null, "row " + r + " is one of the 50 transforms");
            seen.add(found);
            if (found.equals("0,0,0")) {
                unchanged++;
            }
        }
        assertEquals(50, seen.size(), "every flip and shift occurs among 400 rows");
        assertTrue(unchanged < 30, unchanged + " rows of 400 left as they were (1 in 50 expected)");
    }

    @Test
    void aBatchHeldInItsFloatCopyOnlyIsAugmentedAndItsCopyRefreshed() {
        DMatrixRMaj plain = new DMatrixRMaj(3, V.size());
        MirroredMatrix batch = MirroredMatrix.of(3, V.size(), true);
        float[] f = batch.mirror();
        for (int i = 0; i < plain.data.length; i++) {
            plain.data[i] = i % 17;
            f[i] = i % 17;
        }
        batch.markFloatOnly();
        new Augmentation(V, 9).apply(plain, 3, 4);
        new Augmentation(V, 9).apply(batch, 3, 4);
        assertArrayEquals(plain.data, batch.data, 0);
        assertFalse(batch.mirrorValid(), "the float copy no longer holds the values: products read data again");
    }

    @Test
    void anAugmentedRunIsRepeatableAndNotTheRunWithout() {
        TrainerTest.load();
        TrainConfig config = TrainerTest.CONFIG.withEpochs(1);
        TrainResult a = TrainerTest.trainer(TrainerTest.NET, config.withAugment(true)).run();
        TrainResult b = TrainerTest.trainer(TrainerTest.NET, config.withAugment(true)).run();
        TrainResult plain = TrainerTest.trainer(TrainerTest.NET, config).run();
        assertEquals(a.firstLoss(), b.firstLoss(), 0, "the same seed, the same augmented run");
        assertEquals(a.lastLoss(), b.lastLoss(), 0);
        assertEquals(a.epochs().get(0).valAccuracy(), b.epochs().get(0).valAccuracy(), 0);
        assertTrue(a.firstLoss() != plain.firstLoss(), "augmentation changes the first batch");
        assertTrue(a.lastLoss() != plain.lastLoss());
    }
}
