package org.babysitter.engine.model;

/**
 * A {@link Vec} over floats (a weight kept in float): a block of its own, {@link Param#BLOCK} entries. Each operation is one plain loop
 * from 0 over the block, which the JIT vectorizes (loops over several arrays at different offsets it does not).
 */
final class FloatVec implements Vec {
    final float[] a = new float[Param.BLOCK];
    int n;

    private static float[] of(Vec x) {
        return ((FloatVec) x).a;
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public Vec scale(double s) {
        float f = (float) s;
        for (int i = 0; i < n; i++) {
            a[i] *= f;
        }
        return this;
    }

    @Override
    public Vec add(double s, Vec x) {
        float f = (float) s;
        float[] b = of(x);
        for (int i = 0; i < n; i++) {
            a[i] += f * b[i];
        }
        return this;
    }

    @Override
    public Vec addSquare(double s, Vec x) {
        float f = (float) s;
        float[] b = of(x);
        for (int i = 0; i < n; i++) {
            a[i] += f * b[i] * b[i];
        }
        return this;
    }

    @Override
    public Vec set(Vec x) {
        System.arraycopy(of(x), 0, a, 0, n);
        return this;
    }

    @Override
    public Vec setScaled(double s, Vec x) {
        float f = (float) s;
        float[] b = of(x);
        for (int i = 0; i < n; i++) {
            a[i] = f * b[i];
        }
        return this;
    }

    @Override
    public Vec setQuotient(double s, Vec x, Vec y, double c, double eps) {
        float f = (float) s;
        float fc = (float) c;
        float fe = (float) eps;
        float[] b = of(x);
        float[] d = of(y);
        for (int i = 0; i < n; i++) {
            a[i] = f * b[i] / ((float) Math.sqrt(fc * d[i]) + fe);
        }
        return this;
    }

    /** sum(this^2), in four interleaved chains (a fixed order) the CPU overlaps. */
    double sumOfSquares() {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * a[i];
            s1 += a[i + 1] * a[i + 1];
            s2 += a[i + 2] * a[i + 2];
            s3 += a[i + 3] * a[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
