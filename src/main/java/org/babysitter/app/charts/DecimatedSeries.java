package org.babysitter.app.charts;

import org.jfree.data.xy.XYSeries;

/**
 * Feeds an {@link XYSeries} with at most {@code maxPoints} points however many arrive: points are averaged in
 * buckets, and when the series fills up, neighbouring buckets merge and the bucket size doubles. A 50-epoch
 * run on the full set (~25,000 iterations) stays a few thousand points, so every redraw stays cheap.
 * <p>
 * A bucket still filling is drawn too, as the average of what it holds so far: the series' last point, replaced
 * as the bucket fills, so the newest points of a run (the one that diverged among them) are always on the chart.
 * Every point but that one stands for {@link #bucket()} values. NaN and infinite values are skipped. Adds never
 * notify: the caller {@link #publish publishes} once per batch.
 */
final class DecimatedSeries {
    private final Points series;
    private final int maxPoints;
    private int bucket = 1;
    private int inBucket;
    private double sumX;
    private double sumY;
    /** The series' last point is the average of the bucket still filling. */
    private boolean partialShown;

    DecimatedSeries(Comparable<?> key, int maxPoints) {
        if (maxPoints < 4) {
            throw new IllegalArgumentException("maxPoints " + maxPoints);
        }
        this.series = new Points(key);
        this.maxPoints = maxPoints;
    }

    XYSeries series() {
        return series;
    }

    /** Points averaged into one displayed point now. */
    int bucket() {
        return bucket;
    }

    /** Values in the bucket still filling (drawn as the last point once published). */
    int pending() {
        return inBucket;
    }

    void add(double x, double y) {
        if (Double.isNaN(y) || Double.isInfinite(y)) {
            return;
        }
        hidePartial();
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

    /** Shows the bucket still filling as the last point and tells the series' listeners once. */
    void publish() {
        showPartial();
        series.fireSeriesChanged();
    }

    private void showPartial() {
        if (!partialShown && inBucket > 0) {
            series.add(sumX / inBucket, sumY / inBucket, false);
            partialShown = true;
        }
    }

    private void hidePartial() {
        if (partialShown) {
            series.quietly(() -> series.remove(series.getItemCount() - 1));
            partialShown = false;
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
        series.quietly(series::clear);
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

    /** Empties the series (telling its listeners, so the axes let go of the old range). */
    void clear() {
        series.clear();
        bucket = 1;
        inBucket = 0;
        sumX = 0;
        sumY = 0;
        partialShown = false;
    }

    /** A series whose removals can be made without telling its listeners (the caller publishes once per batch). */
    private static final class Points extends XYSeries {
        private static final long serialVersionUID = 1L;
        private transient boolean quiet;

        Points(Comparable<?> key) {
            super(key, false, true);
        }

        void quietly(Runnable change) {
            quiet = true;
            try {
                change.run();
            } finally {
                quiet = false;
            }
        }

        @Override
        public void fireSeriesChanged() {
            if (!quiet) {
                super.fireSeriesChanged();
            }
        }
    }
}
