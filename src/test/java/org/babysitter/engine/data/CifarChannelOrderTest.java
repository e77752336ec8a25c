package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.babysitter.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader keeps CIFAR-10's pixel layout: each record is 1024 red bytes, then 1024 green, then 1024 blue, each
 * plane row by row ({@code pixel(i, c * 1024 + row * 32 + col)}). The files here have three different colour planes,
 * so a reader that swaps, rotates or interleaves the planes, or transposes rows and columns, reads wrong values.
 */
class CifarChannelOrderTest {
    @TempDir
    Path tmp;

    /** The byte written at (channel, row, col) of image {@code image}: every plane, row and column differs. */
    static int value(int image, int channel, int row, int col) {
        return switch (channel) {
            case 0 -> (row * 7 + col + image * 13) & 0xFF;          // red: rows step by 7, columns by 1
            case 1 -> (255 - row * 5 - col * 3 - image) & 0xFF;     // green: falls along rows and columns
            default -> (row * row + 3 * col + 100 + image * 29) & 0xFF; // blue: grows with the row's square
        };
    }

    /** Records with label {@code image % 10} and pixels {@link #value}, written channel-planar as the format says. */
    static byte[] records(int count) {
        byte[] b = new byte[count * Cifar.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            int off = i * Cifar.RECORD_BYTES;
            b[off] = (byte) (i % 10);
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < 32; row++) {
                    for (int col = 0; col < 32; col++) {
                        b[off + 1 + c * 1024 + row * 32 + col] = (byte) value(i, c, row, col);
                    }
                }
            }
        }
        return b;
    }

    private static void assertPlanes(ImageSet set, int firstImage, int count) {
        assertEquals(count, set.size());
        for (int i = 0; i < count; i++) {
            int image = firstImage + i;
            assertEquals(image % 10, set.label(i));
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < 32; row++) {
                    for (int col = 0; col < 32; col++) {
                        int j = c * Cifar.PLANE + row * Cifar.WIDTH + col;
                        assertEquals(value(image, c, row, col), set.pixel(i, j),
                                "image " + image + " channel " + c + " row " + row + " col " + col);
                        assertEquals(value(image, c, row, col), set.pixelArray(i)[set.pixelOffset(i) + j] & 0xFF);
                    }
                }
            }
        }
    }

    @Test
    void theThreePlanesOfAGeneratedBatchReadBackInPlace() throws Exception {
        // the planes really differ: a plane swap could not go unnoticed
        assertEquals(7 * 3 + 5, value(0, 0, 3, 5));
        assertEquals(255 - 15 - 15, value(0, 1, 3, 5));
        assertEquals(9 + 15 + 100, value(0, 2, 3, 5));
        Path bin = Files.write(tmp.resolve("data_batch_1.bin"), records(3));
        LoadedImages images = CifarReader.read(bin, Progress.NONE);
        assertPlanes(images.training(), 0, 3);
        // a few by hand: image 1, (channel, row, col) = (0, 2, 9), (1, 2, 9), (2, 2, 9)
        assertEquals(14 + 9 + 13, images.training().pixel(1, 2 * 32 + 9));
        assertEquals(255 - 10 - 27 - 1, images.training().pixel(1, 1024 + 2 * 32 + 9));
        assertEquals(4 + 27 + 100 + 29, images.training().pixel(1, 2048 + 2 * 32 + 9));
    }

    @Test
    void foldersAndArchivesKeepThePlanesToo() throws Exception {
        byte[] all = records(5);
        byte[] train = java.util.Arrays.copyOfRange(all, 0, 3 * Cifar.RECORD_BYTES);
        byte[] test = java.util.Arrays.copyOfRange(all, 3 * Cifar.RECORD_BYTES, all.length);
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), train);
        Files.write(dir.resolve("test_batch.bin"), test);
        LoadedImages folder = CifarReader.read(tmp, Progress.NONE);
        assertPlanes(folder.training(), 0, 3);
        assertPlanes(folder.test(), 3, 2);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (String name : new String[] {"data_batch_1.bin", "test_batch.bin"}) {
                byte[] content = name.startsWith("data") ? train : test;
                TarArchiveEntry e = new TarArchiveEntry("cifar-10-batches-bin/" + name);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        Path archive = Files.write(tmp.resolve("cifar-10-binary.tar.gz"), bytes.toByteArray());
        LoadedImages fromArchive = CifarReader.read(archive, Progress.NONE);
        assertPlanes(fromArchive.training(), 0, 3);
        assertPlanes(fromArchive.test(), 3, 2);
    }

    /**
     * The first test image of the real CIFAR-10 (a cat, label 3), at known (channel, row, col) positions. The expected
     * bytes were read from cifar-10-sample/test_batch.bin (the same first record as test_batch.bin in the official
     * archive: compared byte for byte with Python's tarfile) with
     * {@code od -A n -t u1 -j OFFSET -N 1 test_batch.bin}, OFFSET = 1 + channel * 1024 + row * 32 + col, and again
     * with Python: {@code open('test_batch.bin','rb').read(3073)[1 + c*1024 + r*32 + col]}. The top-left pixel,
     * RGB (158, 112, 49), is also the first value of each colour plane in the Python version's {@code data[0]}.
     */
    @Test
    void theFirstRealTestImageHasItsKnownPixels() throws Exception {
        Path bin = SharedData.require("cifar-10-sample/test_batch.bin");
        ImageSet images = CifarReader.read(bin, Progress.NONE).training();
        assertEquals(3, images.label(0));
        int[][] known = {
            // channel, row, col, byte
            {0, 0, 0, 158}, {1, 0, 0, 112}, {2, 0, 0, 49},
            {0, 0, 1, 159},
            {0, 10, 5, 155}, {1, 10, 5, 112}, {2, 10, 5, 50},
            {0, 15, 16, 121}, {1, 15, 16, 112}, {2, 15, 16, 101},
            {0, 31, 15, 18}, {1, 31, 15, 58}, {2, 31, 15, 89},
            {0, 31, 31, 21}, {1, 31, 31, 67}, {2, 31, 31, 110},
        };
        for (int[] k : known) {
            assertEquals(k[3], images.pixel(0, k[0] * Cifar.PLANE + k[1] * Cifar.WIDTH + k[2]),
                    "channel " + k[0] + " row " + k[1] + " col " + k[2]);
        }
        // the same record read as the test split of the sample folder
        ImageSet test = CifarReader.read(SharedData.require("cifar-10-sample"), Progress.NONE).test();
        for (int[] k : known) {
            assertEquals(k[3], test.pixel(0, k[0] * Cifar.PLANE + k[1] * Cifar.WIDTH + k[2]));
        }
    }

    @Test
    void recordsAfterTheFirstChunkKeepTheirPlanes() throws IOException {
        // a store grows in chunks of 10,000 records: the planes of a record in the second chunk stay in place
        RecordStore store = new RecordStore();
        byte[] one = records(1);
        for (int i = 0; i < RecordStore.CHUNK_RECORDS + 2; i++) {
            store.append(one, 1, i % 10);
        }
        store.trim();
        ImageSet set = store.all();
        int last = RecordStore.CHUNK_RECORDS + 1;
        for (int c = 0; c < 3; c++) {
            assertEquals(value(0, c, 17, 23), set.pixel(last, c * Cifar.PLANE + 17 * Cifar.WIDTH + 23));
        }
        assertEquals(last % 10, set.label(last));
    }
}
