package org.babysitter.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.babysitter.engine.io.FileProblems;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the binary version of CIFAR-10 from (a) the extracted {@code cifar-10-batches-bin} folder (or
 * the folder that holds it), (b) the official {@code cifar-10-binary.tar.gz}, streamed without
 * extracting anything to disk, or (c) a single {@code .bin} batch of any record count. Every record is
 * one label byte (0..9) and 3072 pixel bytes. The python version ({@code cifar-10-batches-py}, the
 * {@code cifar-10-python.tar.gz} or one pickled batch) is read the same three ways by {@link PythonCifar}
 * into the same {@link LoadedImages}. Anything else ends in a {@link DataFormatException} naming the file
 * and the problem.
 */
public final class CifarReader {
    private static final Pattern DATA_BATCH = Pattern.compile("data_batch_(\\d+)\\.bin");
    private static final String TEST_BATCH = "test_batch.bin";
    private static final String META = "batches.meta.txt";
    private static final String FOLDER = "cifar-10-batches-bin";
    private static final Pattern PY_DATA_BATCH = Pattern.compile("data_batch_(\\d+)");
    private static final String PY_TEST_BATCH = "test_batch";
    private static final String PY_META = "batches.meta";
    private static final String PY_FOLDER = "cifar-10-batches-py";
    private static final String NO_BATCHES = "no CIFAR-10 batches: neither the binary version (data_batch_1.bin ...)"
            + " nor the python version (data_batch_1 ...)";

    private CifarReader() {
    }

    /** Reads whatever {@code path} is: a folder, a .tar.gz / .tgz or a .bin. */
    public static LoadedImages read(Path path, Progress progress) throws DataFormatException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new DataFormatException(path, whyUnreachable(path, e), e);
        }
        if (attributes.isDirectory()) {
            return readFolder(path, progress);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return readTarGz(path, progress);
        }
        if (name.endsWith(".bin")) {
            return readSingleBatch(path, progress);
        }
        if (startsWithProto(path)) {
            return readPySingleBatch(path, progress);
        }
        throw new DataFormatException(path, "not CIFAR-10: expected the cifar-10-batches-bin or cifar-10-batches-py"
                + " folder, the cifar-10-binary.tar.gz or cifar-10-python.tar.gz archive, a .bin batch or a pickled batch");
    }

    /**
     * Why {@code path} cannot be looked at: no such file, permission denied on a folder on the way, a loop of
     * symbolic links, or a symbolic link whose target is missing (all of which {@code Files.exists} calls "false").
     */
    private static String whyUnreachable(Path path, IOException e) {
        if (e instanceof NoSuchFileException && Files.isSymbolicLink(path)) {
            try {
                return "a symbolic link to " + Files.readSymbolicLink(path) + ", which does not exist";
            } catch (IOException | UnsupportedOperationException ignored) {
                return "a symbolic link to a file that does not exist";
            }
        }
        return FileProblems.describe(e);
    }

    /**
     * Batches in the order of their numbers, however many digits (data_batch_99999999999.bin is a batch like any
     * other): by value, then by name, so data_batch_1.bin and data_batch_01.bin are both read, in that order.
     */
    private static final Comparator<String> BATCH_ORDER = Comparator
            .comparing((String digits) -> stripZeros(digits).length())
            .thenComparing(CifarReader::stripZeros)
            .thenComparing(String::length)
            .thenComparing(Comparator.naturalOrder());

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    // ---------------------------------------------------------------- folder

    private static LoadedImages readFolder(Path folder, Progress progress) throws DataFormatException {
        Path dir = Files.isDirectory(folder.resolve(FOLDER)) ? folder.resolve(FOLDER) : folder;
        TreeMap<String, Path> batches = batchFiles(dir, DATA_BATCH);
        if (batches.isEmpty()) {
            Path pyDir = Files.isDirectory(folder.resolve(PY_FOLDER)) ? folder.resolve(PY_FOLDER) : folder;
            TreeMap<String, Path> py = batchFiles(pyDir, PY_DATA_BATCH);
            if (!py.isEmpty()) {
                return readPyFolder(pyDir, py, progress);
            }
            throw new DataFormatException(dir, NO_BATCHES + " in this folder");
        }
        Path test = dir.resolve(TEST_BATCH);
        List<Path> all = new ArrayList<>(batches.values());
        if (Files.isRegularFile(test)) {
            all.add(test);
        }
        long total = 0;
        for (Path f : all) {
            total += checkedSize(f);
        }
        long[] done = {0};
        RecordStore training = new RecordStore();
        for (Path f : batches.values()) {
            readBinFile(f, training, total, done, progress);
        }
        RecordStore testStore = new RecordStore();
        if (Files.isRegularFile(test)) {
            readBinFile(test, testStore, total, done, progress);
        }
        List<String> names = readMeta(dir.resolve(META));
        progress.update(1, "done");
        return images(dir, names, training.trim(), testStore.trim());
    }

    /** The files of {@code dir} whose names match {@code pattern}, by batch number. */
    private static TreeMap<String, Path> batchFiles(Path dir, Pattern pattern) throws DataFormatException {
        TreeMap<String, Path> batches = new TreeMap<>(BATCH_ORDER);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = pattern.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f)) {
                    batches.put(m.group(1), f);
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(dir, "cannot list the folder: " + FileProblems.describe(e), e);
        }
        return batches;
    }

    private static LoadedImages readSingleBatch(Path file, Progress progress) throws DataFormatException {
        long size = checkedSize(file);
        RecordStore store = new RecordStore();
        readBinFile(file, store, size, new long[] {0}, progress);
        Path parent = file.toAbsolutePath().getParent();
        List<String> names = readMeta(parent == null ? null : parent.resolve(META));
        progress.update(1, "done");
        return images(file, names, store.trim(), new RecordStore().trim());
    }

    private static long checkedSize(Path f) throws DataFormatException {
        try {
            long size = Files.size(f);
            checkLength(f, null, size);
            return size;
        } catch (NoSuchFileException e) {
            throw new DataFormatException(f, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(f, "cannot read: " + FileProblems.describe(e), e);
        }
    }

    private static void checkLength(Path file, String entry, long size) throws DataFormatException {
        String what = entry == null ? "" : entry + ": ";
        if (size == 0) {
            throw new DataFormatException(file, what + "empty, expected records of " + Cifar.RECORD_BYTES + " bytes");
        }
        if (size % Cifar.RECORD_BYTES != 0) {
            throw new DataFormatException(file, what + "length " + size + " bytes is not a multiple of "
                    + Cifar.RECORD_BYTES + " (1 label byte + 3072 pixel bytes per record)");
        }
    }

    private static void readBinFile(Path f, RecordStore into, long total, long[] done, Progress progress)
            throws DataFormatException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            readRecords(in, Files.size(f), f, null, into, total, done, progress);
        } catch (IOException e) {
            throw new DataFormatException(f, "cannot read: " + FileProblems.describe(e), e);
        }
    }

    /** Reads {@code size} bytes of records; {@code done} counts bytes read towards {@code total} for progress. */
    private static void readRecords(InputStream in, long size, Path file, String entry, RecordStore into,
                                    long total, long[] done, Progress progress) throws IOException, DataFormatException {
        checkLength(file, entry, size);
        String what = entry == null ? "" : entry + ": ";
        String name = entry == null ? file.getFileName().toString() : entry;
        byte[] record = new byte[Cifar.RECORD_BYTES];
        long records = size / Cifar.RECORD_BYTES;
        for (long r = 0; r < records; r++) {
            int n = in.readNBytes(record, 0, record.length);
            if (n < record.length) {
                throw new DataFormatException(file, what + "ends inside record " + r + " (truncated)");
            }
            int label = record[0] & 0xFF;
            if (label >= Cifar.CLASSES) {
                throw new DataFormatException(file, what + "record " + r + " has label " + label + ", outside 0..9");
            }
            into.append(record, 1, label);
            done[0] += record.length;
            if (r % 1000 == 999) {
                progress.checkCancelled();
                progress.update(total == 0 ? 0 : (double) done[0] / total, "reading " + name);
            }
        }
    }

    private static List<String> readMeta(Path meta) throws DataFormatException {
        if (meta == null || !Files.isRegularFile(meta)) {
            return Cifar.DEFAULT_CLASS_NAMES;
        }
        try {
            return parseMeta(meta, Files.readString(meta, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DataFormatException(meta, "cannot read: " + FileProblems.describe(e), e);
        }
    }

    private static List<String> parseMeta(Path where, String text) throws DataFormatException {
        List<String> names = text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() != Cifar.CLASSES) {
            throw new DataFormatException(where, META + " lists " + names.size() + " class names, expected " + Cifar.CLASSES);
        }
        return names;
    }

    private static LoadedImages images(Path source, List<String> names, RecordStore training, RecordStore test) {
        return new LoadedImages(source.toAbsolutePath().normalize().toString(), names, training.all(), test.all());
    }

    // ---------------------------------------------------------------- python version

    /** True if {@code file} starts with the pickle PROTO byte 0x80 (every pickle of protocol 2 or later). */
    private static boolean startsWithProto(Path file) throws DataFormatException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == PythonCifar.PROTO;
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + FileProblems.describe(e), e);
        }
    }

    private static LoadedImages readPyFolder(Path dir, TreeMap<String, Path> batches, Progress progress)
            throws DataFormatException {
        Path test = dir.resolve(PY_TEST_BATCH);
        List<Path> all = new ArrayList<>(batches.values());
        if (Files.isRegularFile(test)) {
            all.add(test);
        }
        long total = 0;
        for (Path f : all) {
            total += pySize(f);
        }
        long[] done = {0};
        RecordStore training = new RecordStore();
        for (Path f : batches.values()) {
            readPyFile(f, training, total, done, progress);
        }
        RecordStore testStore = new RecordStore();
        if (Files.isRegularFile(test)) {
            readPyFile(test, testStore, total, done, progress);
        }
        List<String> names = readPyMeta(dir.resolve(PY_META));
        progress.update(1, "done");
        return images(dir, names, training.trim(), testStore.trim());
    }

    private static LoadedImages readPySingleBatch(Path file, Progress progress) throws DataFormatException {
        long size = pySize(file);
        RecordStore store = new RecordStore();
        readPyFile(file, store, size, new long[] {0}, progress);
        Path parent = file.toAbsolutePath().getParent();
        List<String> names = readPyMeta(parent == null ? null : parent.resolve(PY_META));
        progress.update(1, "done");
        return images(file, names, store.trim(), new RecordStore().trim());
    }

    private static long pySize(Path f) throws DataFormatException {
        try {
            long size = Files.size(f);
            if (size == 0) {
                throw new DataFormatException(f, "empty, expected a pickled CIFAR-10 batch");
            }
            return size;
        } catch (IOException e) {
            throw new DataFormatException(f, "cannot read: " + FileProblems.describe(e), e);
        }
    }

    /** Reads one pickled batch; {@code done} counts bytes read towards {@code total} for progress. */
    private static void readPyFile(Path f, RecordStore into, long total, long[] done, Progress progress)
            throws DataFormatException {
        progress.checkCancelled();
        String what = "reading " + f.getFileName();
        long before = done[0];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            PythonCifar.readBatch(in, f, null, into, bytes -> {
                progress.checkCancelled();
                progress.update(total == 0 ? 0 : (double) (before + bytes) / total, what);
            });
            done[0] = before + Files.size(f);
            progress.update(total == 0 ? 0 : (double) done[0] / total, what);
        } catch (IOException e) {
            throw new DataFormatException(f, "cannot read: " + FileProblems.describe(e), e);
        }
    }

    private static List<String> readPyMeta(Path meta) throws DataFormatException {
        if (meta == null || !Files.isRegularFile(meta)) {
            return Cifar.DEFAULT_CLASS_NAMES;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(meta))) {
            return PythonCifar.readMeta(in, meta, null);
        } catch (IOException e) {
            throw new DataFormatException(meta, "cannot read: " + FileProblems.describe(e), e);
        }
    }

    // ---------------------------------------------------------------- tar.gz

    private static LoadedImages readTarGz(Path archive, Progress progress) throws DataFormatException {
        long total;
        try {
            total = Files.size(archive);
            try (InputStream probe = Files.newInputStream(archive)) {
                byte[] magic = probe.readNBytes(2);
                if (magic.length < 2 || (magic[0] & 0xFF) != 0x1f || (magic[1] & 0xFF) != 0x8b) {
                    throw new DataFormatException(archive, "not a gzip-compressed archive");
                }
            }
        } catch (IOException e) {
            throw new DataFormatException(archive, "cannot read: " + FileProblems.describe(e), e);
        }
        Map<String, RecordStore> batches = new TreeMap<>(BATCH_ORDER);
        RecordStore test = null;
        List<String> names = Cifar.DEFAULT_CLASS_NAMES;
        Map<String, RecordStore> pyBatches = new TreeMap<>(BATCH_ORDER);
        RecordStore pyTest = null;
        List<String> pyNames = Cifar.DEFAULT_CLASS_NAMES;
        try (CountingStream counted = new CountingStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(counted))) {
            TarArchiveEntry entry;
            long[] done = {0};
            while ((entry = tar.getNextEntry()) != null) {
                progress.checkCancelled();
                if (!entry.isFile()) {
                    continue;
                }
                String base = Path.of(entry.getName()).getFileName().toString();
                Matcher m = DATA_BATCH.matcher(base);
                if (m.matches() || base.equals(TEST_BATCH)) {
                    RecordStore store = new RecordStore();
                    Progress byCompressed = new Progress() {
                        @Override
                        public void update(double fraction, String what) {
                            progress.update((double) counted.count / total, what);
                        }

                        @Override
                        public boolean isCancelled() {
                            return progress.isCancelled();
                        }
                    };
                    readRecords(tar, entry.getSize(), archive, entry.getName(), store, total, done, byCompressed);
                    if (m.matches()) {
                        batches.put(m.group(1), store.trim());
                    } else {
                        test = store.trim();
                    }
                } else if (base.equals(META)) {
                    String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    names = parseMeta(archive, text);
                } else if (PY_DATA_BATCH.matcher(base).matches() || base.equals(PY_TEST_BATCH)) {
                    Matcher py = PY_DATA_BATCH.matcher(base);
                    String what = "reading " + entry.getName();
                    RecordStore store = new RecordStore();
                    PythonCifar.readBatch(tar, archive, entry.getName(), store, bytes -> {
                        progress.checkCancelled();
                        progress.update((double) counted.count / total, what);
                    });
                    progress.update((double) counted.count / total, what);
                    if (py.matches()) {
                        pyBatches.put(py.group(1), store.trim());
                    } else {
                        pyTest = store.trim();
                    }
                } else if (base.equals(PY_META)) {
                    pyNames = PythonCifar.readMeta(tar, archive, entry.getName());
                }
            }
        } catch (EOFException e) {
            throw new DataFormatException(archive, "archive is truncated (unexpected end of data)", e);
        } catch (IOException e) {
            throw new DataFormatException(archive, "archive is truncated or corrupt: " + e.getMessage(), e);
        }
        if (batches.isEmpty() && !pyBatches.isEmpty()) {
            batches = pyBatches;
            test = pyTest;
            names = pyNames;
        }
        if (batches.isEmpty()) {
            throw new DataFormatException(archive, NO_BATCHES + " inside this archive");
        }
        RecordStore training = new RecordStore();
        for (String k : new ArrayList<>(batches.keySet())) {
            training.appendAll(batches.remove(k)); // drop each batch once copied: peak memory ~ one batch over the total
        }
        progress.update(1, "done");
        return images(archive, names, training.trim(), test == null ? new RecordStore().trim() : test);
    }

    /** Counts bytes read from the compressed file, for progress. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
