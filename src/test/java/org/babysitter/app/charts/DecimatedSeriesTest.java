package org.babysitter.app.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;

/**
 * A 50-epoch run on the full set (~25,000 iterations) stays a bounded number of points with the same shape and mean,
 * and the newest values, in a bucket not yet full, are drawn too.
 */
class DecimatedSeriesTest {
    @Test
    void twentyFiveThousandPointsStayBoundedAndKeepTheirMean() {
        DecimatedSeries d = new DecimatedSeries("loss", 2000);
        int n = 24_500;
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            double y = 2.3 * Math.exp(-i / 5000.0);
            sum += y;
            d.add(i, y);
        }
        d.publish();
        XYSeries s = d.series();
        int count = s.getItemCount();
        assertTrue(count <= 2000 && count >= 1000, "points " + count);
        assertEquals(16, d.bucket());
        // first and last points sit where the data starts and ends, and values follow the curve
        assertTrue(s.getX(0).doubleValue() < 20);
        assertTrue(s.getX(count - 1).doubleValue() > n - 16);
        for (int i = 0; i < count; i++) {
            double x = s.getX(i).doubleValue();
            assertEquals(2.3 * Math.exp(-x / 5000.0), s.getY(i).doubleValue(), 2e-3, "at x " + x);
        }
        // x increases strictly
        for (int i = 1; i < count; i++) {
            assertTrue(s.getX(i).doubleValue() > s.getX(i - 1).doubleValue());
        }
        // every point stands for a whole bucket of values, the last for those in the bucket still filling: weighted
        // so, they hold every value once, and their mean is the data's
        int last = d.pending() > 0 ? d.pending() : d.bucket();
        assertEquals(n, (count - 1) * d.bucket() + last, "values the points stand for");
        double weighted = s.getY(count - 1).doubleValue() * last;
        for (int i = 0; i < count - 1; i++) {
            weighted += s.getY(i).doubleValue() * d.bucket();
        }
        assertEquals(sum / n, weighted / n, 1e-12 * sum / n);
    }

    @Test
    void theBucketStillFillingIsDrawnAsTheLastPointSoTheValueThatDivergedIsOnTheChart() {
        DecimatedSeries d = new DecimatedSeries("loss", 8);
        for (int i = 1; i <= 10; i++) {
            d.add(i, 1.0); // 8 points merge into 4 pairs: buckets of 2 from then on
        }
        d.publish();
        assertEquals(2, d.bucket());
        assertEquals(5, d.series().getItemCount());
        d.add(11, 100.0); // the loss that diverged, alone in a new bucket
        d.publish();
        XYSeries s = d.series();
        assertEquals(6, s.getItemCount());
        assertEquals(11.0, s.getX(5).doubleValue(), "the newest value is the last point");
        assertEquals(100.0, s.getY(5).doubleValue());
        assertEquals(100.0, s.getMaxY(), "and the axes see it");
        d.add(12, 2.0);
        d.publish();
        assertEquals(6, s.getItemCount(), "the bucket's point is replaced, not added again");
        assertEquals(11.5, s.getX(5).doubleValue());
        assertEquals(51.0, s.getY(5).doubleValue());
        d.add(13, 4.0);
        d.publish();
        assertEquals(7, s.getItemCount());
        assertEquals(13.0, s.getX(6).doubleValue());
        assertEquals(51.0, s.getY(5).doubleValue(), "the full bucket stays");
    }

    @Test
    void fewPointsAreKeptAsTheyCameAndNanIsSkipped() {
        DecimatedSeries d = new DecimatedSeries("r", 100);
        d.add(1, 0.5);
        d.add(2, Double.NaN);
        d.add(3, 0.25);
        d.add(4, Double.POSITIVE_INFINITY);
        d.publish();
        assertEquals(2, d.series().getItemCount());
        assertEquals(0.25, d.series().getY(1).doubleValue());
        d.clear();
        assertEquals(0, d.series().getItemCount());
        assertEquals(1, d.bucket());
    }
}
