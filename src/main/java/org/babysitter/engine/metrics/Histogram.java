package org.babysitter.engine.metrics;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a tensor's values are spread: counts in equal-width bins from {@code low} to {@code high}. Bin k holds the values
 * in [edge(k), edge(k + 1)); the last bin also holds {@code high}. Values outside the range go to the nearest end bin
 * (a fixed range, the init lesson's [-1, 1], shows every value); NaN and infinities are not counted.
 *
 * @param low    the first bin's left edge
 * @param high   the last bin's right edge, above {@code low}
 * @param counts values per bin (at least one bin), every count >= 0
 */
public record Histogram(double low, double high, long[] counts) {
    /** Bins per histogram the probe and the init lesson take: as many as the lecture's plots ({@code plt.hist(H, 30)}). */
    public static final int BINS = 30;

    public Histogram {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
            throw new IllegalArgumentException("a histogram's range must be finite with low < high, got " + low + " .. " + high);
        }
        if (counts.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bin");
        }
        counts = counts.clone();
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("a negative count: " + Arrays.toString(counts));
            }
        }
    }

    /** No values: one empty bin over [0, 1] (a sample taken without histograms). */
    public static final Histogram NONE = new Histogram(0, 1, new long[1]);

    /** The first {@code n} values in {@code bins} bins over [low, high]. */
    public static Histogram of(double[] values, int n, double low, double high, int bins) {
        if (bins < 1 || n < 0 || n > values.length) {
            throw new IllegalArgumentException("bins >= 1 and 0 <= n <= " + values.length + ", got " + bins + ", " + n);
        }
        long[] counts = new long[bins];
        double scale = bins / (high - low);
        for (int k = 0; k < n; k++) {
            double v = values[k];
            if (Double.isFinite(v)) {
                int b = (int) ((v - low) * scale); // outside the range: clamped to the end bins
                counts[Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
        return new Histogram(low, high, counts);
    }

    /**
     * The first {@code n} values in {@code bins} bins over their own range (min to max of the finite ones); all equal
     * (or none): a range of width 1 around them, so the spike sits in the middle.
     */
    public static Histogram of(double[] values, int n, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double v = values[k];
            if (v < min && v != Double.NEGATIVE_INFINITY) { // NaN compares false: left out
                min = v;
            }
            if (v > max && v != Double.POSITIVE_INFINITY) {
                max = v;
            }
        }
        return between(values, n, min, max, bins);
    }

    /**
     * The first {@code n} values over [min, max], the smallest and largest finite ones, which the caller measured in a
     * pass of its own; min above max (no finite values) or min equal to max: a range of width 1 around them.
     */
    public static Histogram between(double[] values, int n, double min, double max, int bins) {
        if (min > max) {
            return of(values, n, -0.5, 0.5, bins);
        }
        if (!(max - min > 1e-300 * Math.max(1, Math.abs(max)) && Double.isFinite(max - min))) {
            double mid = 0.5 * (min + max);
            return of(values, n, mid - 0.5, mid + 0.5, bins);
        }
        return of(values, n, min, max, bins);
    }

    public int bins() {
        return counts.length;
    }

    /** Values in bin k. */
    public long count(int k) {
        return counts[k];
    }

    /** A copy of the counts. */
    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** The left edge of bin k; {@code edge(bins())} is {@code high}. */
    public double edge(int k) {
        return k == counts.length ? high : low + (high - low) * k / counts.length;
    }

    /** The centre of bin k. */
    public double centre(int k) {
        return 0.5 * (edge(k) + edge(k + 1));
    }

    /** Values counted. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** The largest count. */
    public long peak() {
        long m = 0;
        for (long c : counts) {
            m = Math.max(m, c);
        }
        return m;
    }

    /**
     * The histogram as one row of text bars, one character per bin, each bar's height relative to the peak (" " empty,
     * then ".:-=+*#%@"), between the range's ends: {@code -1 [ ..:-=#@#=-:.. ] 1}.
     */
    public String bars() {
        String levels = ".:-=+*#%@";
        long peak = peak();
        StringBuilder b = new StringBuilder();
        for (long c : counts) {
            b.append(c == 0 ? ' ' : levels.charAt((int) Math.min(levels.length() - 1, (c * levels.length() - 1) / Math.max(1, peak))));
        }
        return String.format(Locale.ROOT, "%s [%s] %s", org.babysitter.engine.Numbers.significant(low, 2), b,
                org.babysitter.engine.Numbers.significant(high, 2));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && h.low == low && h.high == high && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Double.hashCode(low) + Double.hashCode(high)) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[" + low + " .. " + high + ", " + Arrays.toString(counts) + "]";
    }
}
