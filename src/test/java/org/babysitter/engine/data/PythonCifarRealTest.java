package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.babysitter.engine.data.TestPickle.Style;
import org.babysitter.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real first batch of CIFAR-10 (from ../shared/data, skipped when absent) pickled in the python format by
 * {@link TestPickle}: read as the python version it gives the same 10,000 images and labels as the binary reader.
 */
class PythonCifarRealTest {
    @TempDir
    Path tmp;

    @Test
    void thePythonFormatOfTheFirstBatchMatchesTheBinary() throws Exception {
        Path archive = SharedData.require("cifar-10-binary.tar.gz");
        byte[] bin = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null && bin == null) {
                if (e.getName().endsWith("/data_batch_1.bin")) {
                    bin = tar.readAllBytes();
                }
            }
        }
        assertEquals(10_000 * Cifar.RECORD_BYTES, bin.length);
        LoadedImages binary = CifarReader.read(Files.write(tmp.resolve("data_batch_1.bin"), bin), Progress.NONE);

        int n = 10_000;
        byte[] pixels = new byte[n * Cifar.PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = bin[i * Cifar.RECORD_BYTES];
            System.arraycopy(bin, i * Cifar.RECORD_BYTES + 1, pixels, i * Cifar.PIXELS, Cifar.PIXELS);
        }
        for (Style style : Style.values()) {
            Path dir = Files.createDirectories(tmp.resolve(style.name()).resolve("cifar-10-batches-py"));
            Files.write(dir.resolve("data_batch_1"),
                    TestPickle.batch(style, new int[] {n, Cifar.PIXELS}, pixels, labels, style == Style.PY3));
            LoadedImages python = CifarReader.read(dir.getParent(), Progress.NONE);
            assertEquals(n, python.training().size(), style.name());
            assertEquals(6, python.training().label(0), "the first image is a frog");
            assertEquals(binary.classNames(), python.classNames());
            int[] a = new int[Cifar.PIXELS];
            int[] b = new int[Cifar.PIXELS];
            for (int i = 0; i < n; i++) {
                assertEquals(binary.training().label(i), python.training().label(i), style + " label " + i);
                for (int j = 0; j < Cifar.PIXELS; j++) {
                    a[j] = binary.training().pixel(i, j);
                    b[j] = python.training().pixel(i, j);
                }
                assertArrayEquals(a, b, style + " image " + i);
            }
        }
    }
}
