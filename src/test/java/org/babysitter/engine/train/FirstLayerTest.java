package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.model.Param;
import org.junit.jupiter.api.Test;

class FirstLayerTest {
    @Test
    void eachUnitIsAColourImageOfItsWeightsStretchedToItsOwnRange() {
        Param w = Param.zeros("W1", Cifar.PIXELS, 3, true, false);
        double[] d = w.value().data;
        for (int p = 0; p < Cifar.PLANE; p++) {
            d[p * 3] = 1.0; // unit 0: red plane 1, green 0, blue -1
            d[(2 * Cifar.PLANE + p) * 3] = -1.0;
            d[p * 3 + 2] = p == 5 ? 2e-3 : 0; // unit 2: one bright red pixel
        }
        List<int[]> images = FirstLayer.images(w, 100);
        assertEquals(3, images.size());
        assertEquals(Cifar.PLANE, images.get(0).length);
        assertEquals(0xFFFF8000, images.get(0)[0], Integer.toHexString(images.get(0)[0])); // r 255, g 128, b 0
        assertEquals(0xFF000000, images.get(1)[17], "a constant unit is black, not a division by zero");
        assertEquals(0xFFFF0000, images.get(2)[5], "the bright pixel: red at the top of the range, green and blue at 0");
        assertEquals(0xFF000000, images.get(2)[6]);
        assertEquals(2, FirstLayer.images(w, 2).size(), "at most max");
        assertTrue(FirstLayer.images(Param.zeros("W1", 50, 3, true, false), 100).isEmpty(), "not a square RGB input");
    }

    @Test
    void aConvNetsFiltersAreKByKColourImages() {
        // 16 filters of 5x5x3 as the conv layer keeps them: rows (channel, row, column), one column per filter
        Param w = Param.zeros("W1", 75, 16, true, false);
        double[] d = w.value().data;
        d[(2 * 25 + 2 * 5 + 4) * 16 + 7] = 1; // filter 7: blue at row 2, column 4
        List<int[]> images = FirstLayer.images(w, 100);
        assertEquals(16, images.size());
        assertEquals(25, images.get(7).length);
        assertEquals(0xFF0000FF, images.get(7)[2 * 5 + 4]);
        assertEquals(0xFF000000, images.get(7)[0]);
        assertEquals(5, FirstLayer.side(75));
        assertEquals(32, FirstLayer.side(3072));
        assertEquals(0, FirstLayer.side(76));
    }
}
