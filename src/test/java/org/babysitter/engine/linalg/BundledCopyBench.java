package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whether a call copies its arrays: a 2x2x2 product reading a few values of a 100M-element array (400 MB) costs
 * microseconds if the array is passed in place and tens of milliseconds or more if it is copied. Prints the times of
 * JavaCPP's own array overload (it copies the whole array in and out), the bundled backend's kernel, and the copying
 * kernel of macOS and Windows (it copies the few values read). Run by hand:
 * {@code ./mvnw test -Dtest=BundledCopyBench -Dbench.exclude=none}. Asserts nothing about speed.
 */
@Tag("bench")
class BundledCopyBench {
    @Test
    void tinyProductsOnAHugeArray() {
        assertTrue(BundledOpenBlas.load().loaded());
        float[] big = new float[100_000_000];
        float[] b = {1, 2, 3, 4};
        float[] c = new float[4];
        BlasKernel inPlace = BundledOpenBlas.load().kernel().orElseThrow();
        BlasKernel copying = BundledOpenBlas.copyingKernel().orElseThrow();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, openblas_nolapack.CblasNoTrans,
                        openblas_nolapack.CblasNoTrans, 2, 2, 2, 1f, big, 2, b, 2, 0f, c, 2);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                inPlace.sgemm("N", "N", 2, 2, 2, 1f, big, 50_000_000, 2, b, 0, 2, 0f, c, 0, 2);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                copying.sgemm("N", "N", 2, 2, 2, 1f, big, 50_000_000, 2, b, 0, 2, 0f, c, 0, 2);
            }
            long t3 = System.nanoTime();
            System.out.printf("10 calls of 2x2x2 on a 100M-element array: JavaCPP array overload %.1f ms, bundled backend's"
                    + " kernel (%s) %.3f ms, copying kernel %.3f ms%n", (t1 - t0) / 1e6, inPlace.implementation(),
                    (t2 - t1) / 1e6, (t3 - t2) / 1e6);
        }
    }
}
