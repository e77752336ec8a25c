package org.babysitter.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress while reading (every 1,000 records, then 1 at the end), cancelling, and the stores' views. */
class ReaderProgressTest {
    @TempDir
    Path tmp;

    /** Records every update. */
    static final class Updates implements Progress {
        final List<Double> fractions = new ArrayList<>();
        final List<String> what = new ArrayList<>();
        final boolean cancelled;

        Updates(boolean cancelled) {
            this.cancelled = cancelled;
        }

        @Override
        public void update(double fraction, String what) {
            fractions.add(fraction);
            this.what.add(what);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    @Test
    void aBatchReportsEveryThousandRecordsAndThenDone() throws Exception {
        Path bin = Files.write(tmp.resolve("data_batch_1.bin"), CifarChannelOrderTest.records(2500));
        Updates u = new Updates(false);
        assertEquals(2500, CifarReader.read(bin, u).training().size());
        assertEquals(List.of(1000.0 / 2500, 2000.0 / 2500, 1.0), u.fractions);
        assertEquals(List.of("reading data_batch_1.bin", "reading data_batch_1.bin", "done"), u.what);
    }

    @Test
    void aFolderReportsDoneAtTheEnd() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        Files.write(dir.resolve("data_batch_1.bin"), CifarChannelOrderTest.records(1500));
        Files.write(dir.resolve("test_batch.bin"), CifarChannelOrderTest.records(500));
        Updates u = new Updates(false);
        LoadedImages images = CifarReader.read(dir, u);
        assertEquals(1500, images.training().size());
        assertEquals(500, images.test().size());
        assertEquals(List.of(1000.0 / 2000, 1.0), u.fractions);
    }

    @Test
    void anArchiveNamesTheEntryItReads() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            byte[] content = CifarChannelOrderTest.records(1000);
            TarArchiveEntry e = new TarArchiveEntry("cifar-10-batches-bin/data_batch_1.bin");
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            tar.finish();
        }
        Path archive = Files.write(tmp.resolve("cifar-10-binary.tar.gz"), bytes.toByteArray());
        Updates u = new Updates(false);
        CifarReader.read(archive, u);
        assertEquals(List.of("reading cifar-10-batches-bin/data_batch_1.bin", "done"), u.what);
        assertEquals(1.0, u.fractions.get(1));
        assertTrue(u.fractions.get(0) > 0 && u.fractions.get(0) <= 1, "by compressed bytes read: " + u.fractions);
    }

    @Test
    void aCancelledReadOfAnArchiveStopsAtItsFirstEntry() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            byte[] content = CifarChannelOrderTest.records(3);
            TarArchiveEntry e = new TarArchiveEntry("cifar-10-batches-bin/data_batch_1.bin");
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            tar.finish();
        }
        Path archive = Files.write(tmp.resolve("cifar-10-binary.tar.gz"), bytes.toByteArray());
        assertEquals(3, CifarReader.read(archive, new Updates(false)).training().size());
        Updates cancelled = new Updates(true);
        assertThrows(CancellationException.class, () -> CifarReader.read(archive, cancelled));
        assertTrue(cancelled.fractions.isEmpty(), "nothing reported: " + cancelled.fractions);
    }

    @Test
    void storesTrimToWhatTheyHoldAndViewsStayInRange() {
        RecordStore store = new RecordStore();
        byte[] one = CifarChannelOrderTest.records(1);
        for (int i = 0; i < 3; i++) {
            store.append(one, 1, i);
        }
        store.trim();
        assertEquals(3 * Cifar.PIXELS, store.pixelArray(0).length, "the one chunk trimmed to 3 records");
        assertThrows(IllegalArgumentException.class, () -> store.append(one, 1, 256));
        assertThrows(IllegalArgumentException.class, () -> store.append(one, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ImageSet(store, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> new ImageSet(store, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> new ImageSet(store, 0, -1));
        ImageSet tail = new ImageSet(store, 1, 2);
        assertEquals(1, tail.label(0));
        assertEquals(2, tail.label(1));
        assertThrows(IndexOutOfBoundsException.class, () -> tail.label(2));
        assertThrows(IndexOutOfBoundsException.class, () -> tail.pixel(-1, 0));
        assertEquals(2, tail.head(5).size());
        assertEquals(1, tail.head(1).size());
        assertThrows(IllegalArgumentException.class, () -> tail.slice(1, 3));
        assertThrows(IllegalArgumentException.class, () -> tail.slice(2, 1));
        assertEquals(0, tail.slice(2, 2).size());
        assertTrue(tail.slice(2, 2).isEmpty());
        assertEquals(1, BuiltInData.generate(1, 0, 5).training().size(), "the smallest built-in set");
    }

    @Test
    void setsNeedTwoClassNamesAndErrorsNameTheirFile() {
        RecordStore store = new RecordStore();
        store.append(CifarChannelOrderTest.records(1), 1, 0);
        ImageSet one = store.trim().all();
        assertEquals(2, new Dataset("two", List.of("a", "b"), one, ImageSet.empty(), ImageSet.empty()).classCount());
        assertThrows(IllegalArgumentException.class, () -> new Dataset("one", List.of("a"), one, ImageSet.empty(), ImageSet.empty()));
        assertEquals(2, new LoadedImages("two", List.of("a", "b"), one, null).classNames().size());
        assertTrue(new LoadedImages("two", List.of("a", "b"), one, null).test().isEmpty(), "no test set: an empty one");
        assertThrows(IllegalArgumentException.class, () -> new LoadedImages("one", List.of("a"), one, ImageSet.empty()));
        assertThrows(IllegalArgumentException.class, () -> new LoadedImages(" ", List.of("a", "b"), one, ImageSet.empty()));
        DataFormatException e = new DataFormatException(tmp.resolve("x.bin"), "bad");
        assertEquals("x.bin: bad", e.getMessage());
        assertEquals("bad", e.problem());
        assertEquals(tmp.resolve("x.bin"), e.file());
        assertEquals("bad", new DataFormatException(null, "bad").getMessage());
    }
}
