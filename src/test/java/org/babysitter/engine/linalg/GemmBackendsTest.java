package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend available on this machine agrees with EJML to 1e-5 relative, for every transpose and alpha/beta, on
 * shapes that are one call, split by rows (3072x50x100) and split along k (100x50x3072). The bundled OpenBLAS is among
 * them wherever it loads, and its copying path (macOS, Windows) is tested here too.
 */
class GemmBackendsTest {
    static Stream<String> backends() {
        return Gemms.available().stream();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void agreesWithEjml(String name) {
        assertAgreesWithEjml(Gemms.byName(name));
    }

    /** {@code gemm} against EJML on the shapes, transposes and alpha/beta above. */
    static void assertAgreesWithEjml(Gemm gemm) {
        String name = gemm.name();
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
    void theBundledOpenBlasLoadsAndIsOffered() {
        BundledOpenBlas.Status s = BundledOpenBlas.load();
        assertTrue(s.loaded(), "the natives of this platform are a dependency of the build: " + s.problem());
        assertTrue(Gemms.available().containsAll(java.util.List.of("openblas-bundled-f32", "openblas-bundled")));
        assertTrue(s.library().startsWith(BundledOpenBlas.cacheFolder()), s.library() + " under " + BundledOpenBlas.cacheFolder());
        assertTrue(s.version().startsWith("OpenBLAS 0.3.31"), s.version());
        assertTrue(Gemms.byName("openblas-bundled-f32").describe().contains("bundled OpenBLAS 0.3.31"));
    }

    @Test
    void onLinuxTheBundledLibraryIsCalledInPlaceAndIsNotTheSystemOne() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && java.util.Set.of("amd64", "aarch64").contains(System.getProperty("os.arch")), "netlib's JNI: Linux only");
        BundledOpenBlas.Status s = BundledOpenBlas.load();
        assertFalse(s.copies(), "netlib's JNI over the bundled library, arrays passed in place");
        assertEquals("JNIBLAS", ((BlasGemm) Gemms.byName("openblas-bundled-f32")).implementation());
        if (Gemms.available().contains("openblas-f32")) {
            // both in one process: the system's own library file, not the bundled one by its shared soname
            Gemms.byName("openblas-f32");
            var system = OpenBlasThreads.loadedOpenBlas(java.nio.file.Path.of("/proc/self/maps"), BundledOpenBlas.cacheFolder());
            system.ifPresent(p -> assertFalse(p.startsWith(BundledOpenBlas.cacheFolder()), p.toString()));
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(BlasGemm.Precision.class)
    void theCopyingPathOfMacOsAndWindowsAgreesWithEjml(BlasGemm.Precision precision) {
        BlasKernel copying = BundledOpenBlas.copyingKernel().orElseThrow();
        assertAgreesWithEjml(new BlasGemm(copying, precision, "copying-" + precision, 2, BlasGemm.K_SLICE, "copying"));
    }

    @Test
    void theCopyingPathReadsAndWritesOnlyItsBlocksAtTheirOffsets() {
        BlasKernel copying = BundledOpenBlas.copyingKernel().orElseThrow();
        BlasKernel reference = BlasKernel.of(dev.ludovic.netlib.blas.JavaBLAS.getInstance());
        SplittableRandom r = new SplittableRandom(5);
        // column-major, leading dimensions longer than the columns (gaps that must stay as they are), at offsets
        for (String ta : new String[] {"N", "T"}) {
            for (String tb : new String[] {"N", "T"}) {
                for (float beta : new float[] {0f, 0.5f}) {
                    int m = 6;
                    int n = 5;
                    int k = 7;
                    float[] a = floats(200, r);
                    float[] b = floats(200, r);
                    float[] c1 = floats(200, r);
                    float[] c2 = c1.clone();
                    copying.sgemm(ta, tb, m, n, k, 0.5f, a, 11, 9, b, 3, 8, beta, c1, 17, 10);
                    reference.sgemm(ta, tb, m, n, k, 0.5f, a, 11, 9, b, 3, 8, beta, c2, 17, 10);
                    for (int i = 0; i < c1.length; i++) {
                        assertEquals(c2[i], c1[i], 1e-5f * (1 + Math.abs(c2[i])), ta + tb + " beta " + beta + " at " + i);
                    }
                    double[] d1 = new double[200];
                    double[] d2 = new double[200];
                    for (int i = 0; i < 200; i++) {
                        d1[i] = c1[i];
                        d2[i] = c1[i];
                    }
                    double[] ad = new double[200];
                    double[] bd = new double[200];
                    for (int i = 0; i < 200; i++) {
                        ad[i] = a[i];
                        bd[i] = b[i];
                    }
                    copying.dgemm(ta, tb, m, n, k, -1.5, ad, 11, 9, bd, 3, 8, beta, d1, 17, 10);
                    reference.dgemm(ta, tb, m, n, k, -1.5, ad, 11, 9, bd, 3, 8, beta, d2, 17, 10);
                    for (int i = 0; i < d1.length; i++) {
                        assertEquals(d2[i], d1[i], 1e-12 * (1 + Math.abs(d2[i])), ta + tb + " beta " + beta + " at " + i);
                    }
                }
            }
        }
    }

    private static float[] floats(int n, SplittableRandom r) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
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
