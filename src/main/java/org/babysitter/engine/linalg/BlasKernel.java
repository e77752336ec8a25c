package org.babysitter.engine.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The two BLAS calls {@link BlasGemm} makes, with netlib's column-major signature and array offsets: one interface so
 * that BlasGemm's cutting of products into parts (and its determinism) is one piece of code whichever library
 * computes the parts. Two implementations: {@link #of(BLAS)} (netlib: the system's or the bundled OpenBLAS over
 * netlib's JNI, which hands the arrays over in place, or netlib's pure-Java BLAS) and {@link CopyingCblasKernel}
 * (the bundled OpenBLAS through JavaCPP where netlib's JNI does not exist: macOS, Windows).
 */
interface BlasKernel {
    /** Column-major {@code c = alpha op(a) op(b) + beta c}, as netlib's {@code BLAS.sgemm} with offsets. */
    void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
               float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc);

    /** Column-major {@code c = alpha op(a) op(b) + beta c}, as netlib's {@code BLAS.dgemm} with offsets. */
    void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
               double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc);

    /** What computes the calls, e.g. "JNIBLAS" (netlib over JNI), "VectorBLAS", "JavaCPP cblas (copies)". */
    String implementation();

    /** The calls through a netlib BLAS, arrays passed as they are. */
    static BlasKernel of(BLAS blas) {
        return new Netlib(blas);
    }

    /** A netlib BLAS as a kernel. */
    record Netlib(BLAS blas) implements BlasKernel {
        public Netlib {
            if (blas == null) {
                throw new IllegalArgumentException("blas must not be null");
            }
        }

        @Override
        public void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                          float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
            blas.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }

        @Override
        public void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
                          double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
            blas.dgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }

        @Override
        public String implementation() {
            return blas.getClass().getSimpleName();
        }
    }
}
