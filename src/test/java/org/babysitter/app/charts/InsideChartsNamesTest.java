package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InsideChartsNamesTest {
    @Test
    void legendsNameALayerWithoutItsSizesOrVolumes() {
        assertEquals("1 conv 5x5x16 pad 2", InsideCharts.legendName("1 conv 5x5x16 pad 2: 3x32x32 -> 16x32x32"));
        assertEquals("3 max pool 2x2", InsideCharts.legendName("3 max pool 2x2: 16x32x32 -> 16x16x16"));
        assertEquals("1 affine", InsideCharts.legendName("1 affine 3072 -> 50"));
        assertEquals("2 relu", InsideCharts.legendName("2 relu"));
        assertEquals("4 leaky relu (0.01)", InsideCharts.legendName("4 leaky relu (0.01)"));
    }
}
