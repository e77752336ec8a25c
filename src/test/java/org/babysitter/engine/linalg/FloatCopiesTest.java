package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import dev.ludovic.netlib.blas.JavaBLAS;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matrices whose values live in their float copy only (input batches, weight gradients under a float backend) give
 * every backend the right values, products split into row blocks or along k agree with EJML's, and OpenBLAS is found.
 */
class FloatCopiesTest {
    @TempDir
    Path tmp;

    private static final SplittableRandom R = new SplittableRandom(3);

    /** A float-first matrix holding random values in its float copy only, and the same values as a plain matrix. */
    private static DMatrixRMaj[] floatOnly(int rows, int cols) {
        MirroredMatrix m = MirroredMatrix.of(rows, cols, true);
        DMatrixRMaj same = new DMatrixRMaj(rows, cols);
        float[] f = m.mirror();
        for (int i = 0; i < rows * cols; i++) {
            f[i] = (float) R.nextGaussian();
            same.data[i] = f[i];
        }
        m.markFloatOnly();
        return new DMatrixRMaj[] {m, same};
    }

    private static DMatrixRMaj random(int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = R.nextGaussian();
        }
        return m;
    }

    private static double relativeError(DMatrixRMaj actual, DMatrixRMaj expected) {
        DMatrixRMaj diff = new DMatrixRMaj(expected.numRows, expected.numCols);
        CommonOps_DDRM.subtract(actual, expected, diff);
        return NormOps_DDRM.normF(diff) / NormOps_DDRM.normF(expected);
    }

    @Test
    void aFloatOnlyBufferAllocatesNoDoublesUntilAskedAndThenHoldsItsValues() {
        MirroredMatrix m = MirroredMatrix.floatOnly(300, 400);
        m.reshape(500, 400, false);
        assertEquals(0, m.data.length, "no doubles for a buffer used in float only");
        assertEquals(500, m.numRows);
        float[] f = m.mirror();
        for (int i = 0; i < 500 * 400; i++) {
            f[i] = i * 0.5f;
        }
        m.markFloatOnly();
        // a product reads the float copy: c = m^T m's corner against EJML on the values
        DMatrixRMaj c = new DMatrixRMaj(400, 400);
        new BlasGemm(JavaBLAS.getInstance(), BlasGemm.Precision.FLOAT, "java-f32").gemm(true, false, 1, m, m, 0, c);
        MirroredMatrix.ensureData(m);
        assertEquals(500 * 400, m.data.length);
        assertEquals(99_999.5, m.data[199_999]);
        DMatrixRMaj expected = new DMatrixRMaj(400, 400);
        CommonOps_DDRM.multTransA(m, m, expected);
        assertEquals(expected.get(7, 11), c.get(7, 11), 1e-5 * Math.abs(expected.get(7, 11)));
    }

    @Test
    void everyBackendReadsAFloatOnlyInputRight() {
        for (String name : Gemms.available()) {
            Gemm gemm = Gemms.byName(name);
            DMatrixRMaj[] x = floatOnly(40, 300);
            DMatrixRMaj w = random(300, 20);
            DMatrixRMaj expected = new DMatrixRMaj(40, 20);
            new EjmlGemm(false).gemm(false, false, 1, x[1], w, 0, expected);
            DMatrixRMaj actual = new DMatrixRMaj(40, 20);
            gemm.gemm(false, false, 1, x[0], w, 0, actual);
            assertTrue(relativeError(actual, expected) < (gemm.exact() ? 1e-12 : 1e-5), name);
            // and as the transposed operand of a weight gradient
            DMatrixRMaj dout = random(40, 20);
            DMatrixRMaj dwExpected = new DMatrixRMaj(300, 20);
            new EjmlGemm(false).gemm(true, false, 1, x[1], dout, 0, dwExpected);
            DMatrixRMaj dw = new DMatrixRMaj(300, 20);
            gemm.gemm(true, false, 1, x[0], dout, 0, dw);
            assertTrue(relativeError(dw, dwExpected) < (gemm.exact() ? 1e-12 : 1e-5), name);
            // a backend that reads data filled it from the float copy; a float backend left it alone
            assertEquals(!gemm.readsFloatCopies(), !((MirroredMatrix) x[0]).dataStale(), name);
        }
    }

    @Test
    void aFloatFirstOutputKeepsTheProductInItsFloatCopyOnly() {
        for (String name : Gemms.available()) {
            Gemm gemm = Gemms.byName(name);
            if (!gemm.readsFloatCopies()) {
                continue;
            }
            DMatrixRMaj a = random(64, 200);
            DMatrixRMaj b = random(64, 30);
            MirroredMatrix dw = MirroredMatrix.of(200, 30, true);
            gemm.gemm(true, false, 1, a, b, 0, dw);
            assertTrue(dw.dataStale(), name);
            assertTrue(dw.mirrorValid(), name);
            DMatrixRMaj expected = new DMatrixRMaj(200, 30);
            new EjmlGemm(false).gemm(true, false, 1, a, b, 0, expected);
            // beta != 0 accumulates onto the float copy
            gemm.gemm(true, false, 1, a, b, 0.5, dw);
            CommonOps_DDRM.scale(1.5, expected);
            MirroredMatrix.ensureData(dw);
            assertFalse(dw.dataStale());
            assertTrue(relativeError(dw, expected) < 1e-5, name + ": " + relativeError(dw, expected));
        }
    }

    @Test
    void productsSplitIntoRowBlocksAgreeWithUnsplitOnes() {
        BlasGemm whole = new BlasGemm(JavaBLAS.getInstance(), BlasGemm.Precision.DOUBLE, "whole");
        BlasGemm split = new BlasGemm(JavaBLAS.getInstance(), BlasGemm.Precision.DOUBLE, "split", 3, "on up to 3");
        BlasGemm splitFloat = new BlasGemm(JavaBLAS.getInstance(), BlasGemm.Precision.FLOAT, "split-f32", 3, "on up to 3");
        // split along k = 700 in 7 slices of 100, one part each
        BlasGemm sliced = new BlasGemm(JavaBLAS.getInstance(), BlasGemm.Precision.FLOAT, "sliced-f32", 3, 100, "k in 100s");
        // the parts depend on the shape, not on the threads that run them
        assertEquals(2, split.rowParts(100, 50, 3072));
        assertEquals(2, whole.rowParts(100, 50, 3072));
        assertEquals(1, split.rowParts(10, 10, 10), "small products stay whole");
        assertEquals(1, split.rowParts(40, 50, 3072), "blocks of at least 32 rows");
        assertEquals(6, split.rowParts(200, 50, 500), "an even number of blocks");
        assertEquals(8, split.rowParts(3072, 50, 100), "at most 8");
        // single precision splits a long inner dimension instead (the cases below: k = 700 >= 4 * 101)
        assertTrue(splitFloat.innerSplit(101, 60, 700));
        assertEquals(2, splitFloat.innerParts(700), "slices of 384: 384 + 316");
        assertEquals(7, sliced.innerParts(700));
        assertEquals(8, sliced.innerParts(3072), "at most 8 parts of consecutive slices");
        assertEquals(8, splitFloat.innerParts(3072));
        assertEquals(1, splitFloat.rowParts(101, 60, 700));
        assertFalse(split.innerSplit(101, 60, 700), "double precision splits rows");
        assertFalse(splitFloat.innerSplit(3072, 50, 100), "a weight gradient's product splits rows");
        assertEquals(8, splitFloat.rowParts(3072, 50, 100));
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                DMatrixRMaj a = ta ? random(700, 101) : random(101, 700);
                DMatrixRMaj b = tb ? random(60, 700) : random(700, 60);
                DMatrixRMaj c0 = random(101, 60);
                DMatrixRMaj expected = c0.copy();
                new EjmlGemm(false).gemm(ta, tb, 0.7, a, b, 0.3, expected);
                DMatrixRMaj onOne = c0.copy();
                whole.gemm(ta, tb, 0.7, a, b, 0.3, onOne);
                DMatrixRMaj actual = c0.copy();
                split.gemm(ta, tb, 0.7, a, b, 0.3, actual);
                assertTrue(relativeError(actual, expected) < 1e-13, "ta=" + ta + " tb=" + tb);
                assertArrayEquals(onOne.data, actual.data, "the same parts on 1 thread and on 3");
                DMatrixRMaj single = c0.copy();
                splitFloat.gemm(ta, tb, 0.7, a, b, 0.3, single);
                assertTrue(relativeError(single, expected) < 1e-5, "f32 ta=" + ta + " tb=" + tb);
                DMatrixRMaj inSlices = c0.copy();
                sliced.gemm(ta, tb, 0.7, a, b, 0.3, inSlices);
                assertTrue(relativeError(inSlices, expected) < 1e-5, "k slices ta=" + ta + " tb=" + tb);
                assertNotEquals(0, relativeError(inSlices, single), "the slices add in another order: they ran");
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> new BlasGemm(JavaBLAS.getInstance(), BlasGemm.Precision.FLOAT, "none", 0, "no threads"));
        assertThrows(IllegalArgumentException.class,
                () -> new BlasGemm(JavaBLAS.getInstance(), BlasGemm.Precision.FLOAT, "bad", 2, 0, "no slice"));
    }

    @Test
    void theLoadedOpenBlasIsFoundInTheProcessMaps() throws Exception {
        Path maps = tmp.resolve("maps");
        Files.writeString(maps, String.join("\n",
                "7f1c2a000000-7f1c2a021000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libm.so.6",
                "7f1c2b000000-7f1c2b400000 r-xp 00000000 08:01 5678 /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
                "7f1c2c000000-7f1c2d000000 r-xp 00000000 08:01 9012 /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so",
                "7ffd5a000000-7ffd5a021000 rw-p 00000000 00:00 0 [stack]"));
        assertEquals(Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"),
                OpenBlasThreads.loadedOpenBlas(maps).orElseThrow());
        Path none = tmp.resolve("none");
        Files.writeString(none, "7f1c2a000000-7f1c2a021000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libm.so.6\n");
        assertTrue(OpenBlasThreads.loadedOpenBlas(none).isEmpty());
        assertTrue(OpenBlasThreads.loadedOpenBlas(tmp.resolve("missing")).isEmpty());
        // the bundled copy's folder is left out: the system's library is the one found
        Path both = tmp.resolve("both");
        Files.writeString(both, String.join("\n",
                "7f1c2b000000-7f1c2b400000 r-xp 00000000 08:01 5678 /data/cache/javacpp/openblas.jar/linux-x86_64/libopenblas_nolapack.so.0",
                "7f1c2c000000-7f1c2d000000 r-xp 00000000 08:01 9012 /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"));
        assertEquals(Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"),
                OpenBlasThreads.loadedOpenBlas(both, Path.of("/data/cache/javacpp")).orElseThrow());
        assertEquals(Path.of("/data/cache/javacpp/openblas.jar/linux-x86_64/libopenblas_nolapack.so.0"),
                OpenBlasThreads.loadedOpenBlas(both, null).orElseThrow());
    }

    @Test
    void withOpenBlasLoadedItRunsOneThreadPerCallAndTheBackendSaysSo() throws Exception {
        // no native BLAS here: nothing to pin (the pure-Java BLAS is tested above)
        assumeTrue(Gemms.available().contains("openblas-f32"), "no native BLAS loaded here");
        Gemm gemm = Gemms.byName("openblas-f32");
        // the system's library: the bundled copy may be mapped too, in its own folder
        boolean openBlasMapped = OpenBlasThreads.loadedOpenBlas(Path.of("/proc/self/maps"), BundledOpenBlas.cacheFolder()).isPresent();
        assertEquals(openBlasMapped, OpenBlasThreads.pinned().isPresent(), "pinned iff OpenBLAS is the loaded BLAS");
        if (openBlasMapped) {
            assertTrue(gemm.describe().contains("OpenBLAS") && gemm.describe().contains("one BLAS thread per call"),
                    gemm.describe());
        }
    }
}
