package org.babysitter.engine.model;

/**
 * A {@link Vec} over doubles: a block of its own, {@link Param#BLOCK} entries. Each operation is one plain loop
 * from 0 over the block, which the JIT vectorizes (loops over several arrays at different offsets it does not).
 */
final class DoubleVec implements Vec {
    final double[] a = new double[Param.BLOCK];
    int n;

    private static double[] of(Vec x) {
        return ((DoubleVec) x).a;
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public Vec scale(double s) {
        double f = s;
        for (int i = 0; i < n; i++) {
            a[i] *= f;
        }
        return this;
    }

    @Override
    public Vec add(double s, Vec x) {
        double f = s;
        double[] b = of(x);
        for (int i = 0; i < n; i++) {
            a[i] += f * b[i];
        }
        return this;
    }

    @Override
    public Vec addSquare(double s, Vec x) {
        double f = s;
        double[] b = of(x);
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
        double f = s;
        double[] b = of(x);
        for (int i = 0; i < n; i++) {
            a[i] = f * b[i];
        }
        return this;
    }

    @Override
    public Vec setQuotient(double s, Vec x, Vec y, double c, double eps) {
        double f = s;
        double fc = c;
        double fe = eps;
        double[] b = of(x);
        double[] d = of(y);
        for (int i = 0; i < n; i++) {
            a[i] = f * b[i] / (Math.sqrt(fc * d[i]) + fe);
        }
        return this;
    }

    /** sum(this^2), in four interleaved chains (a fixed order) the CPU overlaps. */
    double sumOfSquares() {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
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
