package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;

/** A 50-epoch run on the full set (~25,000 iterations) stays a bounded number of points with the same shape. */
class DecimatedSeriesTest {
    @Test
    void twentyFiveThousandPointsStayBoundedAndKeepTheirMean() {
        DecimatedSeries d = new DecimatedSeries(new XYSeries("loss", false, true), 2000);
        double sum = 0;
        for (int i = 1; i <= 24_500; i++) {
            double y = 2.3 * Math.exp(-i / 5000.0);
            sum += y;
            d.add(i, y);
        }
        XYSeries s = d.series();
        assertTrue(s.getItemCount() <= 2000 && s.getItemCount() >= 1000, "points " + s.getItemCount());
        assertEquals(16, d.bucket());
        // first and last points sit where the data starts and ends, and values follow the curve
        assertTrue(s.getX(0).doubleValue() < 20);
        assertTrue(s.getX(s.getItemCount() - 1).doubleValue() > 24_000);
        for (int i = 0; i < s.getItemCount(); i++) {
            double x = s.getX(i).doubleValue();
            assertEquals(2.3 * Math.exp(-x / 5000.0), s.getY(i).doubleValue(), 2e-3, "at x " + x);
        }
        // x increases strictly
        for (int i = 1; i < s.getItemCount(); i++) {
            assertTrue(s.getX(i).doubleValue() > s.getX(i - 1).doubleValue());
        }
        assertTrue(sum > 0);
    }

    @Test
    void fewPointsAreKeptAsTheyCameAndNanIsSkipped() {
        DecimatedSeries d = new DecimatedSeries(new XYSeries("r", false, true), 100);
        d.add(1, 0.5);
        d.add(2, Double.NaN);
        d.add(3, 0.25);
        assertEquals(2, d.series().getItemCount());
        assertEquals(0.25, d.series().getY(1).doubleValue());
        d.clear();
        assertEquals(0, d.series().getItemCount());
        assertEquals(1, d.bucket());
    }
}
