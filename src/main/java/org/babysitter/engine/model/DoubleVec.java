package org.babysitter.engine.model;

/** A {@link Vec} over doubles. Each operation is one plain loop the JIT vectorizes. */
final class DoubleVec implements Vec {
    /** The storage this block views: entries {@code [off, off + n)} of {@code a}. */
    double[] a;
    int off;
    int n;

    /** A view, placed with {@link #view}. */
    DoubleVec() {
    }

    /** A block of its own, {@code capacity} entries (scratch). */
    DoubleVec(int capacity) {
        a = new double[capacity];
    }

    /** Views entries {@code [off, off + n)} of {@code array}. */
    DoubleVec view(double[] array, int offset, int length) {
        a = array;
        off = offset;
        n = length;
        return this;
    }

    private static DoubleVec of(Vec x) {
        return (DoubleVec) x;
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public Vec scale(double s) {
        double f = s;
        double[] y = a;
        int o = off;
        for (int i = 0; i < n; i++) {
            y[o + i] *= f;
        }
        return this;
    }

    @Override
    public Vec add(double s, Vec x) {
        double f = s;
        double[] y = a;
        int o = off;
        double[] b = of(x).a;
        int bo = of(x).off;
        for (int i = 0; i < n; i++) {
            y[o + i] += f * b[bo + i];
        }
        return this;
    }

    @Override
    public Vec addSquare(double s, Vec x) {
        double f = s;
        double[] y = a;
        int o = off;
        double[] b = of(x).a;
        int bo = of(x).off;
        for (int i = 0; i < n; i++) {
            y[o + i] += f * b[bo + i] * b[bo + i];
        }
        return this;
    }

    @Override
    public Vec set(Vec x) {
        System.arraycopy(of(x).a, of(x).off, a, off, n);
        return this;
    }

    @Override
    public Vec setScaled(double s, Vec x) {
        double f = s;
        double[] y = a;
        int o = off;
        double[] b = of(x).a;
        int bo = of(x).off;
        for (int i = 0; i < n; i++) {
            y[o + i] = f * b[bo + i];
        }
        return this;
    }

    @Override
    public Vec setQuotient(double s, Vec x, Vec y, double c, double eps) {
        double f = s;
        double fc = c;
        double fe = eps;
        double[] z = a;
        int o = off;
        double[] b = of(x).a;
        int bo = of(x).off;
        double[] d = of(y).a;
        int dof = of(y).off;
        for (int i = 0; i < n; i++) {
            z[o + i] = f * b[bo + i] / (Math.sqrt(fc * d[dof + i]) + fe);
        }
        return this;
    }

    /**
     * this += step, measuring sum(this^2) before it into {@code sums[1]} and sum(step^2) into {@code sums[0]} (added
     * to what they hold), in one pass: four interleaved chains each, in a fixed order, which the CPU overlaps.
     */
    void addStepMeasured(Vec step, double[] sums) {
        double[] y = a;
        int o = off;
        double[] d = of(step).a;
        int p = of(step).off;
        double w0 = 0;
        double w1 = 0;
        double u0 = 0;
        double u1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double a0 = y[o + i];
            double a1 = y[o + i + 1];
            double d0 = d[p + i];
            double d1 = d[p + i + 1];
            w0 += a0 * a0;
            w1 += a1 * a1;
            u0 += d0 * d0;
            u1 += d1 * d1;
            y[o + i] = a0 + d0;
            y[o + i + 1] = a1 + d1;
        }
        for (; i < n; i++) {
            w0 += y[o + i] * y[o + i];
            u0 += d[p + i] * d[p + i];
            y[o + i] += d[p + i];
        }
        sums[0] += u0 + u1;
        sums[1] += w0 + w1;
    }

    /** this = x + a * y over the block (x and y at this block's place in other storage). */
    void setSum(double[] x, int xo, double s, Vec y) {
        double f = s;
        double[] z = a;
        int o = off;
        double[] b = of(y).a;
        int bo = of(y).off;
        for (int i = 0; i < n; i++) {
            z[o + i] = x[xo + i] + f * b[bo + i];
        }
    }
}
