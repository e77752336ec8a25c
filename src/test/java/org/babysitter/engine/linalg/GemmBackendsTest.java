package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every backend available on this machine agrees with EJML to 1e-5 relative, for every transpose and alpha/beta. */
class GemmBackendsTest {
    static Stream<String> backends() {
        return Gemms.available().stream();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void agreesWithEjml(String name) {
        Gemm gemm = Gemms.byName(name);
        SplittableRandom r = new SplittableRandom(1);
        int[][] shapes = {{7, 5, 3}, {100, 50, 3072}, {3072, 50, 100}, {200, 10, 500}, {1, 1, 1}, {33, 17, 65}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (double[] ab : new double[][] {{1, 0}, {0.7, 0.3}, {-2, 1}}) {
                        DMatrixRMaj a = random(ta ? k : m, ta ? m : k, r);
                        DMatrixRMaj b = random(tb ? n : k, tb ? k : n, r);
                        DMatrixRMaj c0 = random(m, n, r);
                        DMatrixRMaj expected = c0.copy();
                        DMatrixRMaj actual = c0.copy();
                        new EjmlGemm(false).gemm(ta, tb, ab[0], a, b, ab[1], expected);
                        gemm.gemm(ta, tb, ab[0], a, b, ab[1], actual);
                        DMatrixRMaj diff = new DMatrixRMaj(m, n);
                        CommonOps_DDRM.subtract(actual, expected, diff);
                        double rel = NormOps_DDRM.normF(diff) / NormOps_DDRM.normF(expected);
                        double tolerance = gemm.exact() ? 1e-12 : 1e-5;
                        assertTrue(rel < tolerance, name + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb
                                + " alpha/beta " + ab[0] + "/" + ab[1] + ": relative error " + rel);
                    }
                }
            }
        }
    }

    @Test
    void floatBackendsAreNotExactAndGradientChecksGetAnExactOne() {
        for (String name : Gemms.available()) {
            Gemm g = Gemms.byName(name);
            assertEquals(!name.endsWith("f32"), g.exact(), name);
            assertTrue(Gemms.exact(g).exact(), name);
        }
        assertTrue(Gemms.available().contains("ejml-mt"));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemms.byName("cublas"));
        assertTrue(e.getMessage().contains("openblas-f32"), e.getMessage());
        assertFalse(Gemms.best().name().isBlank());
    }

    @Test
    void aThreadCountThatIsNotACountIsRefusedNamingTheProperty() {
        String before = System.getProperty(Gemms.THREADS_PROPERTY);
        try {
            System.setProperty(Gemms.THREADS_PROPERTY, "two");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemms.byName("java-blas-f32"));
            assertTrue(e.getMessage().contains(Gemms.THREADS_PROPERTY) && e.getMessage().contains("'two'"), e.getMessage());
            System.setProperty(Gemms.THREADS_PROPERTY, "0");
            assertThrows(IllegalArgumentException.class, () -> Gemms.byName("java-blas-f32"));
            System.setProperty(Gemms.THREADS_PROPERTY, "3");
            assertTrue(Gemms.byName("java-blas-f32").describe().contains("on up to 3 threads"));
        } finally {
            if (before == null) {
                System.clearProperty(Gemms.THREADS_PROPERTY);
            } else {
                System.setProperty(Gemms.THREADS_PROPERTY, before);
            }
        }
    }

    @Test
    void shapesAreChecked() {
        Gemm g = Gemms.best();
        assertThrows(IllegalArgumentException.class, () -> g.gemm(false, false, 1, new DMatrixRMaj(2, 3), new DMatrixRMaj(4, 2),
                0, new DMatrixRMaj(2, 2)));
        DMatrixRMaj same = new DMatrixRMaj(2, 2);
        assertThrows(IllegalArgumentException.class, () -> g.gemm(false, false, 1, same, new DMatrixRMaj(2, 2), 0, same));
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom r) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = r.nextGaussian();
        }
        return m;
    }
}
