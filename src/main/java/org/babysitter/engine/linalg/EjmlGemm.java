package org.babysitter.engine.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;

/** EJML's own products, single-threaded or with its multi-threaded ({@code _MT_}) operations; always available. */
public final class EjmlGemm implements Gemm {
    private final boolean threaded;

    public EjmlGemm(boolean threaded) {
        this.threaded = threaded;
    }

    @Override
    public String name() {
        return threaded ? "ejml-mt" : "ejml";
    }

    @Override
    public String describe() {
        return name() + ": EJML's own products, double precision, " + (threaded ? "multi-threaded (_MT_ operations)" : "single-threaded");
    }

    @Override
    public int threads() {
        return threaded ? Runtime.getRuntime().availableProcessors() : 1;
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
        Gemm.checkShapes(transA, transB, a, b, c);
        MirroredMatrix.beforeDoubleProduct(a, b, beta, c);
        if (beta == 0) {
            if (threaded) {
                multMt(transA, transB, alpha, a, b, c);
            } else {
                mult(transA, transB, alpha, a, b, c);
            }
            return;
        }
        if (beta != 1) {
            CommonOps_DDRM.scale(beta, c);
        }
        if (threaded) {
            multAddMt(transA, transB, alpha, a, b, c);
        } else {
            multAdd(transA, transB, alpha, a, b, c);
        }
    }

    private static void mult(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_DDRM.multTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_DDRM.multTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_DDRM.multTransB(alpha, a, b, c);
        } else {
            CommonOps_DDRM.mult(alpha, a, b, c);
        }
    }

    private static void multMt(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_MT_DDRM.multTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_MT_DDRM.multTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_MT_DDRM.multTransB(alpha, a, b, c);
        } else {
            CommonOps_MT_DDRM.mult(alpha, a, b, c);
        }
    }

    private static void multAdd(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_DDRM.multAddTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_DDRM.multAddTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_DDRM.multAddTransB(alpha, a, b, c);
        } else {
            CommonOps_DDRM.multAdd(alpha, a, b, c);
        }
    }

    private static void multAddMt(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (ta && tb) {
            CommonOps_MT_DDRM.multAddTransAB(alpha, a, b, c);
        } else if (ta) {
            CommonOps_MT_DDRM.multAddTransA(alpha, a, b, c);
        } else if (tb) {
            CommonOps_MT_DDRM.multAddTransB(alpha, a, b, c);
        } else {
            CommonOps_MT_DDRM.multAdd(alpha, a, b, c);
        }
    }
}
