package org.babysitter.engine.data;

import static org.babysitter.engine.data.CifarReaderTest.labelOf;
import static org.babysitter.engine.data.CifarReaderTest.pixelOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.babysitter.engine.data.TestPickle.Style;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The python version of CIFAR-10 on small pickles written by {@link TestPickle} as python2's cPickle (protocol 2,
 * bytes keys) and python3's pickle (protocol 4, str keys, FRAME, MEMOIZE) write them: folders, archives, single
 * batches, batches.meta, every kind of bad batch, and malicious pickles that must be refused without running anything.
 */
class PythonCifarTest {
    private static final List<String> META_NAMES = List.of(
            "plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    /** Images per generated batch: batch b holds tags 100 * b .. 100 * b + 6; the test batch tags 900..904. */
    private static final int PER_BATCH = 7;

    @TempDir
    Path tmp;

    /** A cifar-10-batches-py folder with data_batch_1..5, test_batch and (if {@code meta}) batches.meta. */
    private Path writeFolder(Path parent, Style style, boolean meta) throws Exception {
        Path dir = Files.createDirectories(parent.resolve("cifar-10-batches-py"));
        for (Map.Entry<String, byte[]> e : entries(style, meta).entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(dir.resolve("readme.html"), "<html>not data</html>");
        return dir;
    }

    /** The folder's files by name; batch 2 first, to show the order comes from the numbers. */
    private static Map<String, byte[]> entries(Style style, boolean meta) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int b : new int[] {2, 1, 3, 4, 5}) {
            files.put("data_batch_" + b, TestPickle.batchOfTags(style, 100 * b, PER_BATCH));
        }
        files.put("test_batch", TestPickle.batchOfTags(style, 900, 5));
        if (meta) {
            files.put("batches.meta", TestPickle.meta(style, META_NAMES));
        }
        return files;
    }

    private static void assertStandard(LoadedImages images, List<String> names) {
        assertEquals(5 * PER_BATCH, images.training().size());
        assertEquals(5, images.test().size());
        for (int i = 0; i < 5 * PER_BATCH; i++) {
            int tag = 100 * (1 + i / PER_BATCH) + i % PER_BATCH;
            assertImage(images.training(), i, tag);
        }
        for (int i = 0; i < 5; i++) {
            assertImage(images.test(), i, 900 + i);
        }
        assertEquals(names, images.classNames());
    }

    /** Label and every pixel of one image, compared with what was written (bytes above 127 included). */
    private static void assertImage(ImageSet set, int image, int tag) {
        assertEquals(labelOf(tag), set.label(image), "label of image " + image);
        int[] expected = new int[Cifar.PIXELS];
        int[] actual = new int[Cifar.PIXELS];
        for (int j = 0; j < Cifar.PIXELS; j++) {
            expected[j] = pixelOf(tag, j);
            actual[j] = set.pixel(image, j);
        }
        assertTrue(Arrays.stream(expected).anyMatch(v -> v > 127));
        assertEquals(Arrays.toString(expected), Arrays.toString(actual), "pixels of image " + image + " (tag " + tag + ")");
    }

    private static DataFormatException assertBad(Path path, String... fragments) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> CifarReader.read(path, Progress.NONE));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
        assertTrue(e.getMessage().endsWith(e.problem()), "message is file name + problem: " + e.getMessage());
        return e;
    }

    // ------------------------------------------------------------------ good data

    @ParameterizedTest
    @EnumSource(Style.class)
    void theFolderReadsWithImagesLabelsAndClassNames(Style style) throws Exception {
        Path dir = writeFolder(tmp, style, true);
        assertStandard(CifarReader.read(dir, Progress.NONE), META_NAMES);
        assertStandard(CifarReader.read(tmp, Progress.NONE), META_NAMES); // the folder that holds it
    }

    @Test
    void withoutBatchesMetaTheDefaultNamesAreUsed() throws Exception {
        Path dir = writeFolder(tmp, Style.PY2, false);
        assertStandard(CifarReader.read(dir, Progress.NONE), Cifar.DEFAULT_CLASS_NAMES);
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void theArchiveReadsDirectly(Style style) throws Exception {
        Map<String, byte[]> tar = new LinkedHashMap<>();
        tar.put("cifar-10-batches-py/", new byte[0]);
        tar.put("cifar-10-batches-py/readme.html", "<html/>".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : entries(style, true).entrySet()) {
            tar.put("cifar-10-batches-py/" + e.getKey(), e.getValue());
        }
        Path archive = Files.write(tmp.resolve("cifar-10-python.tar.gz"), CifarReaderTest.tarGz(tar));
        CifarReaderTest.Recording progress = new CifarReaderTest.Recording();
        assertStandard(CifarReader.read(archive, progress), META_NAMES);
        assertEquals(1.0, progress.fractions.get(progress.fractions.size() - 1), 1e-12);
        for (int i = 1; i < progress.fractions.size(); i++) {
            assertTrue(progress.fractions.get(i) >= progress.fractions.get(i - 1), "progress goes forward");
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void aSingleBatchReadsAsTrainingImages(Style style) throws Exception {
        Path file = Files.write(tmp.resolve("data_batch_3"), TestPickle.batchOfTags(style, 300, PER_BATCH));
        LoadedImages images = CifarReader.read(file, Progress.NONE);
        assertEquals(PER_BATCH, images.training().size());
        assertEquals(0, images.test().size());
        for (int i = 0; i < PER_BATCH; i++) {
            assertImage(images.training(), i, 300 + i);
        }
        assertEquals(Cifar.DEFAULT_CLASS_NAMES, images.classNames());
        // any name: a pickle is known by its first byte; batches.meta beside it names the classes
        Files.write(tmp.resolve("batches.meta"), TestPickle.meta(style, META_NAMES));
        Path renamed = Files.copy(file, tmp.resolve("my_batch.pkl"));
        assertEquals(META_NAMES, CifarReader.read(renamed, Progress.NONE).classNames());
    }

    @Test
    void dataInFortranOrderIsTransposed() throws Exception {
        int n = 3;
        byte[] fortran = new byte[n * Cifar.PIXELS];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = labelOf(i);
            for (int j = 0; j < Cifar.PIXELS; j++) {
                fortran[j * n + i] = (byte) pixelOf(i, j);
            }
        }
        byte[] p = TestPickle.batch(Style.PY2, new int[] {n, Cifar.PIXELS}, fortran, labels, false);
        // set is_fortran: the NEWFALSE right before the data's BINSTRING
        int data = indexOf(p, new byte[] {(byte) 0x89, 'T', (byte) (fortran.length & 0xFF), (byte) (fortran.length >> 8)});
        p[data] = (byte) 0x88;
        Path file = Files.write(tmp.resolve("data_batch_1"), p);
        LoadedImages images = CifarReader.read(file, Progress.NONE);
        for (int i = 0; i < n; i++) {
            assertImage(images.training(), i, i);
        }
    }

    // ------------------------------------------------------------------ bad data

    @Test
    void aFolderWithNeitherVersionNamesBoth() throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "hello");
        assertBad(tmp, "no CIFAR-10 batches: neither the binary version (data_batch_1.bin ...)",
                "nor the python version (data_batch_1 ...)");
        Path archive = Files.write(tmp.resolve("other.tar.gz"),
                CifarReaderTest.tarGz(Map.of("x/readme.txt", new byte[] {1, 2})));
        assertBad(archive, "other.tar.gz", "neither the binary version", "nor the python version");
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void aTruncatedBatchIsRefused(Style style) throws Exception {
        byte[] whole = TestPickle.batchOfTags(style, 0, 3);
        for (int cut : new int[] {1, 40, whole.length / 2, whole.length - 1}) {
            Path file = Files.write(tmp.resolve("data_batch_1"), Arrays.copyOf(whole, cut));
            assertBad(file, "data_batch_1", "truncated");
        }
    }

    @Test
    void aTruncatedBatchInsideAnArchiveNamesTheEntry() throws Exception {
        byte[] whole = TestPickle.batchOfTags(Style.PY2, 0, 3);
        Path archive = Files.write(tmp.resolve("cifar-10-python.tar.gz"), CifarReaderTest.tarGz(
                Map.of("cifar-10-batches-py/data_batch_1", Arrays.copyOf(whole, whole.length - 100))));
        assertBad(archive, "cifar-10-python.tar.gz", "cifar-10-batches-py/data_batch_1", "truncated");
    }

    @Test
    void theWrongDataShapeIsRefused() throws Exception {
        byte[] p = TestPickle.batch(Style.PY3, new int[] {2, 3071}, new byte[2 * 3071], new int[] {1, 2}, false);
        assertBad(Files.write(tmp.resolve("data_batch_1"), p), "data_batch_1", "shape (2, 3071)", "expected (N, 3072)");
        byte[] flat = TestPickle.batch(Style.PY2, new int[] {2 * 3072}, new byte[2 * 3072], new int[] {1, 2}, false);
        assertBad(Files.write(tmp.resolve("data_batch_2"), flat), "data_batch_2", "shape (6144,)");
        byte[] fewer = TestPickle.batch(Style.PY2, new int[] {2, 3072}, new byte[2 * 3072], new int[] {1}, false);
        assertBad(Files.write(tmp.resolve("data_batch_3"), fewer), "2 rows", "'labels' has 1");
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void label10IsRefused(Style style) throws Exception {
        byte[] p = TestPickle.batch(style, new int[] {3, 3072}, new byte[3 * 3072], new int[] {0, 9, 10},
                style == Style.PY3);
        assertBad(Files.write(tmp.resolve("data_batch_1"), p), "data_batch_1", "image 2 has label 10", "outside 0..9");
    }

    @Test
    void aDictWithoutDataIsNotABatch() throws Exception {
        Path meta = Files.write(tmp.resolve("data_batch_1"), TestPickle.meta(Style.PY2, META_NAMES));
        assertBad(meta, "data_batch_1", "not a CIFAR-10 batch", "no 'data'", "b'label_names'");
        TestPickle list = new TestPickle(Style.PY3);
        list.op(']').put().op('(').integer(1).integer(2).op('e');
        assertBad(Files.write(tmp.resolve("data_batch_2"), list.bytes()), "not a CIFAR-10 batch", "a list of 2");
    }

    @Test
    void batchesMetaWithTheWrongNumberOfNamesIsRefused() throws Exception {
        Path dir = writeFolder(tmp, Style.PY3, false);
        Files.write(dir.resolve("batches.meta"), TestPickle.meta(Style.PY3, List.of("a", "b")));
        assertBad(dir, "batches.meta", "'label_names' lists 2 class names, expected 10");
    }

    // ------------------------------------------------------------------ malicious pickles

    /** GLOBAL os system, then REDUCE with a command that would create {@code marker}. */
    @Test
    void osSystemIsRefusedAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("pwned");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2});
        p.writeBytes("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] cmd = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        p.write('X');
        p.writeBytes(new byte[] {(byte) cmd.length, 0, 0, 0});
        p.writeBytes(cmd);
        p.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
        Path file = Files.write(tmp.resolve("data_batch_1"), p.toByteArray());
        assertBad(file, "data_batch_1", "refusing pickle global os.system at byte 2: a CIFAR-10 batch does not use it");
        assertBad(tmp, "refusing pickle global os.system");
        assertFalse(Files.exists(marker), "nothing was executed");
    }

    /** builtins.eval by STACK_GLOBAL (protocol 4), hidden inside an otherwise good batch dict. */
    @Test
    void builtinsEvalIsRefusedAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("pwned-eval");
        TestPickle p = new TestPickle(Style.PY3);
        p.op('}').put().op('(');
        p.text("data").array(new int[] {1, 3072}, "u1", "|", new byte[3072]);
        p.text("labels").global("builtins", "eval")
                .text("open('" + marker + "', 'w').write('x')").op(0x85, 'R');
        p.op('u');
        Path file = Files.write(tmp.resolve("data_batch_1"), p.bytes());
        assertBad(file, "data_batch_1", "refusing pickle global builtins.eval at byte", "a CIFAR-10 batch does not use it");
        assertFalse(Files.exists(marker), "nothing was executed");
    }

    @Test
    void otherOpcodesAndReducesAreRefused() throws Exception {
        // NEWOBJ: building an instance of a class
        Path newobj = Files.write(tmp.resolve("a"), new byte[] {(byte) 0x80, 2, 'N', ')', (byte) 0x81, '.'});
        assertBad(newobj, "refusing pickle opcode NEWOBJ (0x81) at byte 4: a CIFAR-10 batch does not use it");
        // INST (protocol 0 instantiation) names a class inline: refused before its name is even read
        Path inst = Files.write(tmp.resolve("b"), "\u0080\u0002(ios\nsystem\n.".getBytes(StandardCharsets.ISO_8859_1));
        assertBad(inst, "refusing pickle opcode INST (0x69) at byte 3");
        // an accepted global called the wrong way: numpy.dtype REDUCE'd with a non-text argument
        TestPickle wrong = new TestPickle(Style.PY3);
        wrong.global("numpy", "dtype").integer(5).op(0x85, 'R');
        assertBad(Files.write(tmp.resolve("c"), wrong.bytes()), "refusing REDUCE of numpy.dtype");
        // REDUCE on something that is not an accepted global at all
        assertBad(Files.write(tmp.resolve("d"), new byte[] {(byte) 0x80, 2, 'K', 1, ')', 'R', '.'}),
                "refusing REDUCE at byte 5");
        // a data_batch_1 in a python folder that is no pickle at all
        Path folder = Files.createDirectories(tmp.resolve("f"));
        Files.write(folder.resolve("data_batch_1"), CifarReaderTest.batch(0, 2));
        assertBad(folder, "data_batch_1: not a pickle of protocol 2 or later: it starts with byte 0x00, not PROTO (0x80)");
        // protocol 0 and 1 pickles do not start with PROTO: not recognized as CIFAR-10 at all
        assertBad(Files.write(tmp.resolve("e"), "cos\nsystem\n".getBytes(StandardCharsets.US_ASCII)), "not CIFAR-10");
    }

    @Test
    void deepNestingAndHugeShapesEndInMessagesNotCrashes() throws Exception {
        // a million nested 1-tuples REDUCE'd by numpy.dtype: refused, and the message does not recurse a million deep
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        deep.writeBytes(new byte[] {(byte) 0x80, 2});
        deep.writeBytes("cnumpy\ndtype\n".getBytes(StandardCharsets.US_ASCII));
        deep.write('N');
        for (int i = 0; i < 1_000_000; i++) {
            deep.write(0x85);
        }
        deep.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
        assertBad(Files.write(tmp.resolve("deep"), deep.toByteArray()), "refusing REDUCE of numpy.dtype", "(...)");
        // a shape whose element count overflows a long, with 3 bytes of data
        TestPickle huge = new TestPickle(Style.PY3);
        huge.array(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, "u1", "|", new byte[3]);
        assertBad(Files.write(tmp.resolve("huge"), huge.bytes()), "needs more than 2^31 bytes, the array has 3");
    }

    @Test
    void cancellingStopsBetweenBatches() throws Exception {
        Path dir = writeFolder(tmp, Style.PY2, true);
        int[] updates = {0};
        Progress cancelled = new Progress() {
            @Override
            public void update(double fraction, String what) {
                updates[0]++;
            }

            @Override
            public boolean isCancelled() {
                return updates[0] >= 2;
            }
        };
        assertThrows(java.util.concurrent.CancellationException.class, () -> CifarReader.read(dir, cancelled));
        assertEquals(2, updates[0], "stopped after the second batch");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
