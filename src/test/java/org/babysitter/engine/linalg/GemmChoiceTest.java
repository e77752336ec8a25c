package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.io.AppFolders;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The default backend's order, the start-up self-test and its fallback, the native cache's place, the deferred choice. */
class GemmChoiceTest {
    /** A backend that computes the right product and then gets c's first entry wrong by {@code error} relative. */
    private static Gemm offBy(double error, String name) {
        Gemm right = new EjmlGemm(false);
        return new Gemm() {
            @Override
            public void gemm(boolean transA, boolean transB, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
                right.gemm(transA, transB, alpha, a, b, beta, c);
                c.data[0] += error * Math.abs(c.data[0]);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Test
    void theOrderIsBundledSystemJavaEjml() {
        assertEquals(List.of("openblas-bundled-f32", "openblas-f32", "java-blas-f32", "ejml-mt"), Gemms.ORDER);
        assertTrue(Gemms.NAMES.containsAll(Gemms.ORDER));
        assertTrue(Gemms.NAMES.containsAll(List.of("openblas", "java-blas", "ejml", "openblas-bundled")), "old names kept");
    }

    @Test
    void theFirstThatLoadsAndPassesIsChosenWithWhyTheOthersWereNot() {
        Map<String, Gemm> here = Map.of("c", offBy(0, "c"), "d", offBy(0, "d"));
        Gemms.Choice c = Gemms.choose(List.of("a", "b", "c", "d"), name -> {
            Gemm g = here.get(name);
            if (g == null) {
                throw new IllegalArgumentException("no " + name + " here");
            }
            return g;
        }, SelfTest::check);
        assertEquals("c", c.gemm().name());
        assertTrue(c.reason().contains("a not available (no a here)") && c.reason().contains("b not available (no b here)"),
                c.reason());
        assertFalse(c.forced());
        assertNull(c.warning(), "a backend that is not there is no warning");
        assertEquals("d", Gemms.choose(List.of("d", "c"), here::get, SelfTest::check).gemm().name());
        assertEquals("the first choice", Gemms.choose(List.of("d"), here::get, SelfTest::check).reason());
    }

    @Test
    void aBackendThatDisagreesWithPlainJavaIsPassedOverWithAMessage() {
        Map<String, Gemm> here = Map.of("wrong", offBy(1e-3, "wrong"), "right", offBy(0, "right"));
        Gemms.Choice c = Gemms.choose(List.of("wrong", "right"), here::get, SelfTest::check);
        assertEquals("right", c.gemm().name());
        assertTrue(c.warning() != null && c.warning().contains("wrong failed the start-up self-test")
                && c.warning().contains("Using right instead"), String.valueOf(c.warning()));
        assertTrue(c.reason().contains("relative error"), c.reason());
        // a backend that throws is passed over too
        Gemm throwing = new Gemm() {
            @Override
            public void gemm(boolean ta, boolean tb, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c2) {
                throw new UnsatisfiedLinkError("sgemm_");
            }

            @Override
            public String name() {
                return "broken";
            }
        };
        Gemms.Choice d = Gemms.choose(List.of("broken", "right"), n -> n.equals("broken") ? throwing : here.get(n), SelfTest::check);
        assertEquals("right", d.gemm().name());
        assertTrue(d.warning().contains("UnsatisfiedLinkError"), d.warning());
    }

    @Test
    void whenNothingPassesEjmlRunsAndSaysSo() {
        Gemms.Choice c = Gemms.choose(List.of("wrong"), n -> offBy(0.1, n), SelfTest::check);
        assertEquals("ejml", c.gemm().name());
        assertTrue(c.reason().contains("none of [wrong] passed") && c.warning() != null, c.reason());
    }

    @Test
    void theSelfTestHoldsTheSeamTo1e5Relative() {
        assertNull(SelfTest.check(new EjmlGemm(false)));
        assertNull(SelfTest.check(offBy(1e-7, "close")), "single precision is about 1e-7 off: passes");
        String m = SelfTest.check(offBy(1e-4, "far"));
        assertTrue(m != null && m.startsWith("far: relative error"), m);
        for (String name : Gemms.available()) {
            assertNull(SelfTest.check(Gemms.byName(name)), name);
        }
    }

    @Test
    void theNativeCacheIsInTheAppFolderUnlessThePropertySaysElsewhere() {
        Path home = AppFolders.home();
        Path cache = BundledOpenBlas.cacheFolder(null, home);
        assertTrue(cache.startsWith(home) && !cache.equals(home), cache.toString());
        assertEquals(Path.of("/data/babysitter/cache/javacpp"), BundledOpenBlas.cacheFolder(null, Path.of("/data/babysitter")));
        assertEquals(Path.of("/data/babysitter/cache/javacpp"), BundledOpenBlas.cacheFolder(" ", Path.of("/data/babysitter")));
        assertEquals(Path.of("/elsewhere"), BundledOpenBlas.cacheFolder("/elsewhere", home));
        // JavaCPP is told where, before it loads anything
        BundledOpenBlas.load();
        assertEquals(BundledOpenBlas.cacheFolder().toString(), System.getProperty(BundledOpenBlas.CACHE_PROPERTY));
    }

    @Test
    void theLibraryIsFoundAmongWhatJavaCppLoaded() {
        Map<String, String> loaded = new java.util.LinkedHashMap<>();
        loaded.put("jniopenblas_nolapack", "/c/libjniopenblas_nolapack.so");
        loaded.put("gfortran@.5", "/c/libgfortran.so.5");
        loaded.put("openblas_nolapack@.0", "/c/libopenblas_nolapack.so.0");
        assertEquals(Path.of("/c/libopenblas_nolapack.so.0"), BundledOpenBlas.library(loaded).orElseThrow());
        loaded.remove("openblas_nolapack@.0");
        assertTrue(BundledOpenBlas.library(loaded).isEmpty());
    }

    @Test
    void theVersionIsReadFromTheBuildString() {
        assertEquals("OpenBLAS 0.3.31", BundledOpenBlas.versionOf("OpenBLAS 0.3.31  USE64BITINT DYNAMIC_ARCH Haswell MAX_THREADS=64"));
        assertEquals("OpenBLAS", BundledOpenBlas.versionOf("something else"));
    }

    @Test
    void aDeferredChoiceIsNotWaitedForUntilAProductNeedsIt() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        DeferredGemm d = new DeferredGemm(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Gemms.Choice(new EjmlGemm(false), "for the test", false, null);
        });
        assertTrue(d.ready().isEmpty());
        assertFalse(d.choice().isDone());
        go.countDown();
        assertEquals("ejml", d.choice().get(10, TimeUnit.SECONDS).gemm().name());
        assertEquals("ejml", d.name());
        assertTrue(d.ready().isPresent());
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
        DMatrixRMaj c = new DMatrixRMaj(2, 2);
        d.mult(a, a, c);
        assertEquals(22, c.get(1, 1), 1e-12);
        DeferredGemm failing = new DeferredGemm(() -> {
            throw new IllegalStateException("no backend");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, failing::name);
        assertEquals("no backend", e.getMessage());
        assertTrue(failing.ready().isEmpty());
    }

    @Test
    void aForcedNameThatIsNotHereStartsAnywayWithAWarning() {
        Gemms.Choice c = Gemms.choose("cublas");
        assertTrue(c.warning() != null && c.warning().contains("unknown GEMM backend 'cublas'"), String.valueOf(c.warning()));
        assertFalse(c.forced());
        Gemms.Choice f = Gemms.choose("ejml");
        assertTrue(f.forced() && f.warning() == null);
        assertEquals("ejml", f.gemm().name());
    }
}
