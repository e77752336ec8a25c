package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CifarReader on small generated CIFAR-10 binaries: folders, .tar.gz archives, single batches and every kind
 * of bad input. Each record's content is a function of a "tag" so order, labels and exact bytes can be checked.
 */
class CifarReaderTest {
    private static final List<String> META_NAMES = List.of(
            "plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ helpers

    /** The label of the record with this tag. */
    static int labelOf(int tag) {
        return (tag * 7 + tag / 100) % 10;
    }

    /** Pixel j of the record with this tag: covers 0..255, so bytes above 127 appear in every record. */
    static int pixelOf(int tag, int j) {
        return (tag * 37 + j * 11 + 200) & 0xFF;
    }

    static byte[] record(int tag) {
        byte[] r = new byte[Cifar.RECORD_BYTES];
        r[0] = (byte) labelOf(tag);
        for (int j = 0; j < Cifar.PIXELS; j++) {
            r[1 + j] = (byte) pixelOf(tag, j);
        }
        return r;
    }

    /** Records with tags first .. first+count-1. */
    static byte[] batch(int first, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * Cifar.RECORD_BYTES);
        for (int t = first; t < first + count; t++) {
            out.writeBytes(record(t));
        }
        return out.toByteArray();
    }

    /** Records with random pixels (incompressible, so a .tar.gz of them is big enough for progress steps). */
    static byte[] randomBatch(int count, long seed) {
        byte[] b = new byte[count * Cifar.RECORD_BYTES];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int off = i * Cifar.RECORD_BYTES;
            b[off] = (byte) r.nextInt(10);
            for (int j = 1; j < Cifar.RECORD_BYTES; j++) {
                b[off + j] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    static String meta(List<String> names) {
        return String.join("\n", names) + "\n\n";
    }

    /** The standard small folder: batch 1 = tags 0..29, batch 2 = tags 100..119, test = tags 500..509. */
    private Path writeFolder(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), batch(0, 30));
        Files.write(dir.resolve("data_batch_2.bin"), batch(100, 20));
        Files.write(dir.resolve("test_batch.bin"), batch(500, 10));
        Files.writeString(dir.resolve("batches.meta.txt"), meta(META_NAMES));
        Files.writeString(dir.resolve("readme.html"), "<html>not data</html>");
        return dir;
    }

    /** Writes a .tar.gz with the given entries (name -> bytes, in order; a name ending in / is a folder). */
    static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                if (!e.getKey().endsWith("/")) {
                    entry.setSize(e.getValue().length);
                }
                tar.putArchiveEntry(entry);
                if (!e.getKey().endsWith("/")) {
                    tar.write(e.getValue());
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return bytes.toByteArray();
    }

    /** The standard archive, entries deliberately shuffled: batch 2 and the test batch before batch 1. */
    static byte[] standardArchive() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/", new byte[0]);
        entries.put("cifar-10-batches-bin/data_batch_2.bin", batch(100, 20));
        entries.put("cifar-10-batches-bin/readme.html", "<html/>".getBytes(StandardCharsets.UTF_8));
        entries.put("cifar-10-batches-bin/test_batch.bin", batch(500, 10));
        entries.put("cifar-10-batches-bin/batches.meta.txt", meta(META_NAMES).getBytes(StandardCharsets.UTF_8));
        entries.put("cifar-10-batches-bin/data_batch_1.bin", batch(0, 30));
        return tarGz(entries);
    }

    /** Asserts the images of the standard folder / archive. */
    private static void assertStandard(LoadedImages images) {
        ImageSet train = images.training();
        ImageSet test = images.test();
        assertEquals(50, train.size(), "training records: 30 + 20");
        assertEquals(10, test.size(), "test records");
        // batch 1 first, then batch 2
        for (int i = 0; i < 50; i++) {
            int tag = i < 30 ? i : 100 + (i - 30);
            assertEquals(labelOf(tag), train.label(i), "label of training image " + i);
            assertEquals(pixelOf(tag, 0), train.pixel(i, 0), "pixel 0 of training image " + i);
            assertEquals(pixelOf(tag, 3071), train.pixel(i, 3071), "last pixel of training image " + i);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(labelOf(500 + i), test.label(i), "label of test image " + i);
        }
        // exact bytes of a few whole records, including values above 127 (sign bugs would give negatives)
        assertRecord(train, 0, 0);
        assertRecord(train, 29, 29);
        assertRecord(train, 30, 100);
        assertRecord(train, 49, 119);
        assertRecord(test, 9, 509);
        assertEquals(200, train.pixel(0, 0));
        assertEquals(255, train.pixel(0, 5)); // (200 + 55) & 0xFF
        assertEquals(10, train.pixel(0, 6));  // (200 + 66) & 0xFF wraps to a small value
        assertEquals(META_NAMES, images.classNames());
    }

    private static void assertRecord(ImageSet set, int image, int tag) {
        int[] expected = new int[Cifar.PIXELS];
        int[] actual = new int[Cifar.PIXELS];
        for (int j = 0; j < Cifar.PIXELS; j++) {
            expected[j] = pixelOf(tag, j);
            actual[j] = set.pixel(image, j);
        }
        assertTrue(Arrays.stream(expected).anyMatch(v -> v > 127), "the check must cover bytes above 127");
        assertEquals(Arrays.toString(expected), Arrays.toString(actual), "pixels of image " + image + " (tag " + tag + ")");
    }

    private static DataFormatException assertBad(Path path, String... fragments) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.read(path, Progress.NONE));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains(path.getFileName().toString()),
                "message should name " + path.getFileName() + ": " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        assertTrue(e.getMessage().endsWith(e.problem()), "message is file name + problem: " + e.getMessage());
        return e;
    }

    /** Records every progress fraction. */
    static final class Recording implements Progress {
        final List<Double> fractions = new ArrayList<>();

        @Override
        public void update(double fraction, String what) {
            fractions.add(fraction);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }

    // ------------------------------------------------------------------ folders

    @Test
    void readsTheBatchesFolderItself() throws Exception {
        Path dir = writeFolder(tmp);
        LoadedImages images = CifarReader.read(dir, Progress.NONE);
        assertStandard(images);
        assertEquals(dir.toAbsolutePath().normalize().toString(), images.source());
    }

    @Test
    void readsTheFolderThatHoldsTheBatchesFolder() throws Exception {
        Path dir = writeFolder(tmp);
        LoadedImages images = CifarReader.read(tmp, Progress.NONE);
        assertStandard(images);
        assertEquals(dir.toAbsolutePath().normalize().toString(), images.source(), "source is the batches folder");
    }

    @Test
    void folderBatchesAreOrderedByNumberNotByName() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_10.bin"), batch(300, 2));
        Files.write(dir.resolve("data_batch_2.bin"), batch(200, 2));
        Files.write(dir.resolve("data_batch_1.bin"), batch(100, 2));
        LoadedImages images = CifarReader.read(dir, Progress.NONE);
        int[] tags = {100, 101, 200, 201, 300, 301};
        assertEquals(tags.length, images.training().size());
        for (int i = 0; i < tags.length; i++) {
            assertEquals(pixelOf(tags[i], 7), images.training().pixel(i, 7), "image " + i);
        }
        assertEquals(0, images.test().size(), "no test_batch.bin: no test images");
        assertEquals(Cifar.DEFAULT_CLASS_NAMES, images.classNames(), "no meta: default names");
    }

    @Test
    void folderWithoutBatchesIsAnError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty-folder"));
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertBad(dir, "no CIFAR-10 batches");
    }

    @Test
    void folderWithABadBatchNamesTheBatch() throws Exception {
        Path dir = writeFolder(tmp);
        Path bad = dir.resolve("data_batch_2.bin");
        Files.write(bad, Arrays.copyOf(batch(100, 2), Cifar.RECORD_BYTES * 2 - 5));
        DataFormatException e = assertBad(bad, "not a multiple of 3073");
        assertEquals(bad.getFileName(), e.file().getFileName());
    }

    @Test
    void folderWithAMetaOfThreeNamesIsAnError() throws Exception {
        Path dir = writeFolder(tmp);
        Path meta = dir.resolve("batches.meta.txt");
        Files.writeString(meta, "a\nb\nc\n\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.read(dir, Progress.NONE));
        assertTrue(e.getMessage().contains("batches.meta.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("3 class names"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 10"), e.getMessage());
    }

    @Test
    void cancellingAFolderReadThrowsCancellation() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), randomBatch(1200, 1));
        AtomicInteger asked = new AtomicInteger();
        Progress cancelled = new Progress() {
            @Override
            public void update(double fraction, String what) {
            }

            @Override
            public boolean isCancelled() {
                asked.incrementAndGet();
                return true;
            }
        };
        assertThrows(CancellationException.class, () -> CifarReader.read(dir, cancelled));
        assertTrue(asked.get() > 0, "the reader polled isCancelled");
    }

    @Test
    void folderProgressIncreases() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), randomBatch(1000, 1));
        Files.write(dir.resolve("data_batch_2.bin"), randomBatch(1000, 2));
        Recording progress = new Recording();
        LoadedImages images = CifarReader.read(dir, progress);
        assertEquals(2000, images.training().size());
        assertEquals(0.5, progress.fractions.get(0));
        assertEquals(1.0, progress.fractions.get(progress.fractions.size() - 1));
        for (int i = 1; i < progress.fractions.size(); i++) {
            assertTrue(progress.fractions.get(i) >= progress.fractions.get(i - 1), "progress never goes back");
        }
    }

    // ------------------------------------------------------------------ tar.gz

    @Test
    void readsATarGzWhateverTheEntryOrder() throws Exception {
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Files.write(archive, standardArchive());
        LoadedImages images = CifarReader.read(archive, Progress.NONE);
        assertStandard(images);
        assertEquals(archive.toAbsolutePath().normalize().toString(), images.source());
    }

    @Test
    void readsATgzWithoutMetaWithDefaultNames() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_1.bin", batch(0, 4));
        Path archive = tmp.resolve("small.tgz");
        Files.write(archive, tarGz(entries));
        LoadedImages images = CifarReader.read(archive, Progress.NONE);
        assertEquals(4, images.training().size());
        assertEquals(0, images.test().size());
        assertEquals(Cifar.DEFAULT_CLASS_NAMES, images.classNames());
        assertRecord(images.training(), 3, 3);
    }

    @Test
    void tarGzProgressRisesToOne() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_2.bin", randomBatch(1100, 2));
        entries.put("cifar-10-batches-bin/data_batch_1.bin", randomBatch(1100, 1));
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Files.write(archive, tarGz(entries));
        Recording progress = new Recording();
        LoadedImages images = CifarReader.read(archive, progress);
        assertEquals(2200, images.training().size());
        List<Double> f = progress.fractions;
        assertTrue(f.size() >= 3, "an update per 1000 records plus the final one: " + f);
        for (int i = 1; i < f.size(); i++) {
            assertTrue(f.get(i) >= f.get(i - 1), "progress must not go back: " + f);
        }
        for (double v : f) {
            assertTrue(v >= 0 && v <= 1, "fraction in [0, 1]: " + f);
        }
        assertTrue(f.get(0) > 0 && f.get(0) < 1, "the first update is part way: " + f);
        assertEquals(1.0, f.get(f.size() - 1), "ends at 1: " + f);
    }

    @Test
    void cancellingATarGzReadThrowsCancellation() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_1.bin", randomBatch(1100, 1));
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Files.write(archive, tarGz(entries));
        Progress cancelled = new Progress() {
            @Override
            public void update(double fraction, String what) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThrows(CancellationException.class, () -> CifarReader.read(archive, cancelled));
    }

    @Test
    void cancellingATarGzMidwayThrowsCancellation() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_1.bin", randomBatch(2100, 1));
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Files.write(archive, tarGz(entries));
        AtomicInteger updates = new AtomicInteger();
        Progress cancelAfterFirstUpdate = new Progress() {
            @Override
            public void update(double fraction, String what) {
                updates.incrementAndGet();
            }

            @Override
            public boolean isCancelled() {
                return updates.get() > 0;
            }
        };
        assertThrows(CancellationException.class, () -> CifarReader.read(archive, cancelAfterFirstUpdate));
        assertEquals(1, updates.get(), "cancelled at the check after the first 1000 records");
    }

    @Test
    void truncatedTarGzIsAnError() throws Exception {
        byte[] whole = standardArchive();
        Path archive = tmp.resolve("cut.tar.gz");
        Files.write(archive, Arrays.copyOf(whole, whole.length / 2));
        assertBad(archive, "truncated");
    }

    @Test
    void truncatedUncompressedTarGzIsAnError() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_1.bin", randomBatch(40, 1));
        byte[] whole = tarGz(entries);
        Path archive = tmp.resolve("cut-random.tar.gz");
        Files.write(archive, Arrays.copyOf(whole, whole.length / 2));
        assertBad(archive, "truncated");
    }

    @Test
    void tarGzWithoutBatchesIsAnError() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("photos/readme.txt", "nothing here".getBytes(StandardCharsets.UTF_8));
        entries.put("photos/data.bin", batch(0, 2));
        Path archive = tmp.resolve("other.tar.gz");
        Files.write(archive, tarGz(entries));
        assertBad(archive, "no CIFAR-10 batches");
    }

    @Test
    void tarGzWithABadBatchNamesTheEntry() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_1.bin", batch(0, 3));
        entries.put("cifar-10-batches-bin/data_batch_2.bin", Arrays.copyOf(batch(0, 1), 100));
        Path archive = tmp.resolve("badentry.tar.gz");
        Files.write(archive, tarGz(entries));
        assertBad(archive, "cifar-10-batches-bin/data_batch_2.bin", "not a multiple of 3073");
    }

    @Test
    void tarGzWithALabelOutOfRangeIsAnError() throws Exception {
        byte[] b = batch(0, 3);
        b[2 * Cifar.RECORD_BYTES] = 12;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_1.bin", b);
        Path archive = tmp.resolve("badlabel.tar.gz");
        Files.write(archive, tarGz(entries));
        assertBad(archive, "data_batch_1.bin", "record 2", "label 12", "outside 0..9");
    }

    @Test
    void tarGzWithAMetaOfThreeNamesIsAnError() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/batches.meta.txt", "a\nb\nc\n\n".getBytes(StandardCharsets.UTF_8));
        entries.put("cifar-10-batches-bin/data_batch_1.bin", batch(0, 3));
        Path archive = tmp.resolve("badmeta.tar.gz");
        Files.write(archive, tarGz(entries));
        assertBad(archive, "batches.meta.txt", "3 class names", "expected 10");
    }

    @Test
    void tarGzThatIsNotGzipIsAnError() throws Exception {
        Path archive = tmp.resolve("x.tar.gz");
        Files.writeString(archive, "this is plain text, not gzip");
        assertBad(archive, "not a gzip-compressed archive");
    }

    @Test
    void emptyTarGzIsAnError() throws Exception {
        Path archive = tmp.resolve("empty.tar.gz");
        Files.write(archive, new byte[0]);
        assertBad(archive, "not a gzip-compressed archive");
    }

    // ------------------------------------------------------------------ single .bin

    @Test
    void readsASingleBinOfAnyRecordCount() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("single"));
        Path bin = dir.resolve("some_batch.bin");
        Files.write(bin, batch(40, 7));
        LoadedImages images = CifarReader.read(bin, Progress.NONE);
        assertEquals(7, images.training().size());
        assertEquals(0, images.test().size());
        assertEquals(Cifar.DEFAULT_CLASS_NAMES, images.classNames(), "default class names without a meta file");
        for (int i = 0; i < 7; i++) {
            assertEquals(labelOf(40 + i), images.training().label(i));
        }
        assertRecord(images.training(), 6, 46);
        assertEquals(bin.toAbsolutePath().normalize().toString(), images.source());
    }

    @Test
    void singleBinUsesTheMetaBesideIt() throws Exception {
        Path dir = writeFolder(tmp);
        LoadedImages images = CifarReader.read(dir.resolve("test_batch.bin"), Progress.NONE);
        assertEquals(10, images.training().size(), "a test batch read alone is the training set");
        assertEquals(0, images.test().size());
        assertEquals(META_NAMES, images.classNames());
        assertRecord(images.training(), 0, 500);
    }

    @Test
    void singleBinWithUppercaseExtensionIsRead() throws Exception {
        Path bin = tmp.resolve("BATCH.BIN");
        Files.write(bin, batch(0, 2));
        assertEquals(2, CifarReader.read(bin, Progress.NONE).training().size());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void missingPathIsAnError() {
        Path missing = tmp.resolve("nowhere.bin");
        DataFormatException e = assertBad(missing, "no such file");
        assertEquals(missing, e.file());
    }

    @Test
    void binWithLengthNotAMultipleOfTheRecordIsAnError() throws Exception {
        Path bin = tmp.resolve("odd.bin");
        Files.write(bin, Arrays.copyOf(batch(0, 2), 2 * Cifar.RECORD_BYTES + 1));
        assertBad(bin, "not a multiple of 3073", Long.toString(2L * Cifar.RECORD_BYTES + 1));
    }

    @Test
    void labelTwelveIsAnError() throws Exception {
        byte[] b = batch(0, 5);
        b[3 * Cifar.RECORD_BYTES] = 12;
        Path bin = tmp.resolve("labels.bin");
        Files.write(bin, b);
        DataFormatException e = assertBad(bin, "label 12", "outside 0..9", "record 3");
        assertEquals(bin, e.file());
    }

    @Test
    void labelAbove127IsReportedUnsigned() throws Exception {
        byte[] b = batch(0, 2);
        b[Cifar.RECORD_BYTES] = (byte) 200;
        Path bin = tmp.resolve("labels200.bin");
        Files.write(bin, b);
        assertBad(bin, "label 200", "outside 0..9");
    }

    @Test
    void emptyBinIsAnError() throws Exception {
        Path bin = tmp.resolve("empty.bin");
        Files.write(bin, new byte[0]);
        assertBad(bin, "empty");
    }

    @Test
    void otherExtensionIsAnError() throws Exception {
        Path notes = tmp.resolve("notes.txt");
        Files.write(notes, batch(0, 1)); // even with valid records inside
        assertBad(notes, "not CIFAR-10");
    }

    @Test
    void singleBinWithAMetaOfThreeNamesIsAnError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("meta3"));
        Files.write(dir.resolve("data_batch_1.bin"), batch(0, 2));
        Path meta = dir.resolve("batches.meta.txt");
        Files.writeString(meta, "cat\ndog\nbird\n\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CifarReader.read(dir.resolve("data_batch_1.bin"), Progress.NONE));
        assertEquals(meta.getFileName(), e.file().getFileName());
        assertTrue(e.getMessage().startsWith("batches.meta.txt: "), e.getMessage());
        assertTrue(e.getMessage().contains("3 class names"), e.getMessage());
    }

    @Test
    void errorsLeaveNoHalfLoadedSet() throws Exception {
        // a good batch 1 and a bad batch 2: the whole read fails
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), batch(0, 3));
        byte[] bad = batch(0, 2);
        bad[Cifar.RECORD_BYTES] = 10;
        Files.write(dir.resolve("data_batch_2.bin"), bad);
        DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.read(tmp, Progress.NONE));
        assertTrue(e.getMessage().startsWith("data_batch_2.bin: "), e.getMessage());
        assertTrue(e.getMessage().contains("label 10"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    // ------------------------------------------------------------------ paths that cannot be reached

    @Test
    void aLoopOfSymbolicLinksSaysSo() throws Exception {
        Path a = tmp.resolve("loop1");
        Path b = tmp.resolve("loop2");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        DataFormatException e = assertBad(a, "a loop of symbolic links");
        assertFalse(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aSymbolicLinkToNothingNamesItsTarget() throws Exception {
        Path link = tmp.resolve("cifar.tar.gz");
        Files.createSymbolicLink(link, tmp.resolve("moved-away.tar.gz"));
        assertBad(link, "a symbolic link to ", "moved-away.tar.gz", "which does not exist");
    }

    @Test
    void anUnreadableBatchSaysPermissionDenied() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file: nothing to deny");
        Path dir = writeFolder(tmp);
        Path batch = dir.resolve("data_batch_2.bin");
        Files.setPosixFilePermissions(batch, java.util.Set.of());
        try {
            DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.read(dir, Progress.NONE));
            assertTrue(e.getMessage().startsWith("data_batch_2.bin: "), e.getMessage());
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(batch, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    // ------------------------------------------------------------------ batch numbers

    @Test
    void batchNumbersOfAnyLengthAreReadInNumberOrder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("numbers"));
        Files.write(dir.resolve("data_batch_99999999999.bin"), batch(300, 2));
        Files.write(dir.resolve("data_batch_10.bin"), batch(200, 2));
        Files.write(dir.resolve("data_batch_2.bin"), batch(100, 2));
        Files.write(dir.resolve("data_batch_02.bin"), batch(150, 2)); // the same number as 2: both are read, 2 first
        ImageSet train = CifarReader.read(dir, Progress.NONE).training();
        assertEquals(8, train.size());
        int[] tags = {100, 101, 150, 151, 200, 201, 300, 301};
        for (int i = 0; i < tags.length; i++) {
            assertRecord(train, i, tags[i]);
        }
    }

    @Test
    void aLongBatchNumberInsideAnArchiveIsABatchLikeAnyOther() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/data_batch_99999999999.bin", batch(300, 2));
        entries.put("cifar-10-batches-bin/data_batch_1.bin", batch(0, 3));
        Path archive = tmp.resolve("long.tar.gz");
        Files.write(archive, tarGz(entries));
        ImageSet train = CifarReader.read(archive, Progress.NONE).training();
        assertEquals(5, train.size());
        assertRecord(train, 0, 0);
        assertRecord(train, 3, 300);
    }
}
