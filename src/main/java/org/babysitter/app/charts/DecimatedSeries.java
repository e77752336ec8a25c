package org.babysitter.app.charts;

import org.jfree.data.xy.XYSeries;

/**
 * Feeds an {@link XYSeries} with at most {@code maxPoints} points however many arrive: points are averaged in
 * buckets, and when the series fills up, neighbouring buckets merge and the bucket size doubles. A 50-epoch
 * run on the full set (~25,000 iterations) stays a few thousand points, so every redraw stays cheap.
 * NaN values are skipped. Adds never notify: the caller fires one change per batch.
 */
final class DecimatedSeries {
    private final XYSeries series;
    private final int maxPoints;
    private int bucket = 1;
    private int inBucket;
    private double sumX;
    private double sumY;

    DecimatedSeries(XYSeries series, int maxPoints) {
        if (maxPoints < 4) {
            throw new IllegalArgumentException("maxPoints " + maxPoints);
        }
        this.series = series;
        this.maxPoints = maxPoints;
    }

    XYSeries series() {
        return series;
    }

    /** Points averaged into one displayed point now. */
    int bucket() {
        return bucket;
    }

    void add(double x, double y) {
        if (Double.isNaN(y) || Double.isInfinite(y)) {
            return;
        }
        sumX += x;
        sumY += y;
        inBucket++;
        if (inBucket == bucket) {
            series.add(sumX / bucket, sumY / bucket, false);
            sumX = 0;
            sumY = 0;
            inBucket = 0;
            if (series.getItemCount() >= maxPoints) {
                compact();
            }
        }
    }

    private void compact() {
        int n = series.getItemCount();
        double[] xs = new double[n / 2];
        double[] ys = new double[n / 2];
        for (int i = 0; i + 1 < n; i += 2) {
            xs[i / 2] = (series.getX(i).doubleValue() + series.getX(i + 1).doubleValue()) / 2;
            ys[i / 2] = (series.getY(i).doubleValue() + series.getY(i + 1).doubleValue()) / 2;
        }
        boolean odd = n % 2 == 1;
        double lastX = odd ? series.getX(n - 1).doubleValue() : 0;
        double lastY = odd ? series.getY(n - 1).doubleValue() : 0;
        series.clear();
        for (int i = 0; i < xs.length; i++) {
            series.add(xs[i], ys[i], false);
        }
        bucket *= 2;
        if (odd) {
            // the odd one out starts the next, larger bucket
            sumX = lastX * (bucket / 2);
            sumY = lastY * (bucket / 2);
            inBucket = bucket / 2;
        }
    }

    void clear() {
        series.clear();
        bucket = 1;
        inBucket = 0;
        sumX = 0;
        sumY = 0;
    }
}
