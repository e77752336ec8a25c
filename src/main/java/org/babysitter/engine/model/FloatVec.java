package org.babysitter.engine.model;

/** A {@link Vec} over floats (a weight kept in float). Each operation is one plain loop the JIT vectorizes. */
final class FloatVec implements Vec {
    /** The storage this block views: entries {@code [off, off + n)} of {@code a}. */
    float[] a;
    int off;
    int n;

    /** A view, placed with {@link #view}. */
    FloatVec() {
    }

    /** A block of its own, {@code capacity} entries (scratch). */
    FloatVec(int capacity) {
        a = new float[capacity];
    }

    /** Views entries {@code [off, off + n)} of {@code array}. */
    FloatVec view(float[] array, int offset, int length) {
        a = array;
        off = offset;
        n = length;
        return this;
    }

    private static FloatVec of(Vec x) {
        return (FloatVec) x;
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public Vec scale(double s) {
        float f = (float) s;
        float[] y = a;
        int o = off;
        for (int i = 0; i < n; i++) {
            y[o + i] *= f;
        }
        return this;
    }

    @Override
    public Vec add(double s, Vec x) {
        float f = (float) s;
        float[] y = a;
        int o = off;
        float[] b = of(x).a;
        int bo = of(x).off;
        for (int i = 0; i < n; i++) {
            y[o + i] += f * b[bo + i];
        }
        return this;
    }

    @Override
    public Vec addSquare(double s, Vec x) {
        float f = (float) s;
        float[] y = a;
        int o = off;
        float[] b = of(x).a;
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
        float f = (float) s;
        float[] y = a;
        int o = off;
        float[] b = of(x).a;
        int bo = of(x).off;
        for (int i = 0; i < n; i++) {
            y[o + i] = f * b[bo + i];
        }
        return this;
    }

    @Override
    public Vec setQuotient(double s, Vec x, Vec y, double c, double eps) {
        float f = (float) s;
        float fc = (float) c;
        float fe = (float) eps;
        float[] z = a;
        int o = off;
        float[] b = of(x).a;
        int bo = of(x).off;
        float[] d = of(y).a;
        int dof = of(y).off;
        for (int i = 0; i < n; i++) {
            z[o + i] = f * b[bo + i] / ((float) Math.sqrt(fc * d[dof + i]) + fe);
        }
        return this;
    }

    /**
     * this += step, measuring sum(this^2) before it into {@code sums[1]} and sum(step^2) into {@code sums[0]} (added
     * to what they hold), in one pass: four interleaved chains each, in a fixed order, which the CPU overlaps.
     */
    void addStepMeasured(Vec step, double[] sums) {
        float[] y = a;
        int o = off;
        float[] d = of(step).a;
        int p = of(step).off;
        float w0 = 0;
        float w1 = 0;
        float u0 = 0;
        float u1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            float a0 = y[o + i];
            float a1 = y[o + i + 1];
            float d0 = d[p + i];
            float d1 = d[p + i + 1];
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
    void setSum(float[] x, int xo, double s, Vec y) {
        float f = (float) s;
        float[] z = a;
        int o = off;
        float[] b = of(y).a;
        int bo = of(y).off;
        for (int i = 0; i < n; i++) {
            z[o + i] = x[xo + i] + f * b[bo + i];
        }
    }
}
