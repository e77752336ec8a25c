package org.babysitter.engine.linalg;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;

/**
 * The start-up self-test of a GEMM backend: a few small products (every transpose, alpha and beta not 1 and 0)
 * against a plain-Java triple loop, to 1e-5 relative (single-precision backends are about 1e-7 off). A native library
 * that loads but computes wrongly (a broken build, a CPU its kernels misjudge) is passed over instead of training on
 * garbage.
 */
final class SelfTest {
    /** The largest relative error allowed: the seam's contract. */
    static final double TOLERANCE = 1e-5;

    private SelfTest() {
    }

    /** Null if {@code gemm} agrees with the plain-Java product; else what went wrong, for the user. */
    static String check(Gemm gemm) {
        SplittableRandom r = new SplittableRandom(13);
        int m = 23;
        int n = 17;
        int k = 29;
        try {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    DMatrixRMaj a = random(ta ? k : m, ta ? m : k, r);
                    DMatrixRMaj b = random(tb ? n : k, tb ? k : n, r);
                    DMatrixRMaj c = random(m, n, r);
                    double[] expected = plain(ta, tb, 0.75, a, b, 0.5, c);
                    gemm.gemm(ta, tb, 0.75, a, b, 0.5, c);
                    double err = relativeError(c.data, expected);
                    if (!(err <= TOLERANCE)) {
                        return String.format("%s: relative error %.2g against a plain-Java product (transA=%s, transB=%s),"
                                + " above %.0e", gemm.name(), err, ta, tb, TOLERANCE);
                    }
                }
            }
            return null;
        } catch (RuntimeException | LinkageError e) {
            return gemm.name() + ": " + e;
        }
    }

    /** {@code alpha op(a) op(b) + beta c}, row-major, by the definition. */
    static double[] plain(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
        int m = c.numRows;
        int n = c.numCols;
        int k = ta ? a.numRows : a.numCols;
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (ta ? a.get(p, i) : a.get(i, p)) * (tb ? b.get(j, p) : b.get(p, j));
                }
                out[i * n + j] = alpha * sum + beta * c.get(i, j);
            }
        }
        return out;
    }

    /** The largest difference over the largest expected magnitude. */
    static double relativeError(double[] actual, double[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom r) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = r.nextDouble(-1, 1);
        }
        return m;
    }
}
