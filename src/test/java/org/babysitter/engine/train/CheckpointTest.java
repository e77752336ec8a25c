package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.RecordStore;
import org.babysitter.engine.io.Npy;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.preprocess.Preprocessor;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint save / load: a net with batch norm comes back with the same scores; bad files give clear errors. */
class CheckpointTest {
    private static final Gemm GEMM = new EjmlGemm(false);
    private static final NetConfig NET = new NetConfig(Cifar.PIXELS, List.of(8, 6), 10, Activation.RELU, true, 0,
            WeightInit.he(), LossKind.SOFTMAX);
    private static final TrainConfig TRAIN = new TrainConfig(UpdateRuleKind.ADAM, 1e-3, 0.9, 0.95, 1e-4, 16, 3, Batching.SHUFFLED, 17,
            200);

    private static final List<String> NAMES = List.of("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
            "truck");

    @TempDir
    Path tmp;

    private Net net;
    private Preprocessor preprocessor;
    private DMatrixRMaj x;
    private Checkpoint checkpoint;

    static ImageSet images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RecordStore s = new RecordStore();
        byte[] px = new byte[Cifar.PIXELS];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < px.length; j++) {
                px[j] = (byte) (r.nextInt(200) + (j / Cifar.PLANE) * 20);
            }
            s.append(px, 0, i % 10);
        }
        return s.trim().all();
    }

    @BeforeEach
    void trainALittle() {
        ImageSet train = images(24, 1);
        preprocessor = Preprocessor.fit(train, Preprocessing.CHANNEL_STANDARDIZE);
        net = NET.build(GEMM, TRAIN.seed());
        x = new DMatrixRMaj(1, 1);
        preprocessor.rows(train, 0, train.size(), x);
        int[] y = new int[train.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = train.label(i);
        }
        // a few SGD steps: weights, gamma and beta move, running statistics leave their initial 0 / 1
        for (int step = 0; step < 5; step++) {
            net.lossAndGradients(x, y, 1e-4);
            for (Param p : net.params()) {
                double[] v = p.value().data;
                double[] g = p.grad().data;
                for (int k = 0; k < v.length; k++) {
                    v[k] -= 0.05 * g[k];
                }
            }
        }
        checkpoint = new Checkpoint(NET, TRAIN, Preprocessing.CHANNEL_STANDARDIZE, "unit test images", NAMES, 2, 0.4375,
                "completed 3 epochs");
    }

    private static double[] testScores(Net n, DMatrixRMaj input) {
        return n.scores(input, Mode.TEST, n.newWorkspace()).data.clone();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- round trip

    @Test
    void saveAndLoadGiveTheSameScores() throws IOException {
        Path npz = tmp.resolve("best.npz");
        checkpoint.save(npz, net, preprocessor);
        assertEquals(List.of("best.json", "best.npz"), listing(tmp), "the two files and no temporary ones");

        Checkpoint.Loaded loaded = Checkpoint.load(npz, GEMM);
        double[] before = testScores(net, x);
        double[] after = testScores(loaded.net(), x);
        assertEquals(24 * 10, after.length);
        assertArrayEquals(before, after, 0, "test-mode scores after loading");

        // the comparison can fail: the same architecture and seed without the saved values scores differently
        double[] fresh = testScores(NET.build(GEMM, TRAIN.seed()), x);
        assertFalse(java.util.Arrays.equals(before, fresh), "a fresh net must score differently");
    }

    @Test
    void runningStatisticsAndParamsAreRestored() throws IOException {
        Path npz = tmp.resolve("bn.npz");
        checkpoint.save(npz, net, preprocessor);
        Net back = Checkpoint.load(npz, GEMM).net();
        assertEquals(List.of("running_mean1", "running_var1", "running_mean2", "running_var2"),
                back.buffers().stream().map(org.babysitter.engine.model.Layer.Buffer::name).toList());
        for (int i = 0; i < 4; i++) {
            double[] a = net.buffers().get(i).values();
            double[] b = back.buffers().get(i).values();
            assertTrue(java.util.Arrays.stream(a).anyMatch(v -> v != 0 && v != 1), "running statistic moved in training");
            assertArrayEquals(a, b, 0, net.buffers().get(i).name());
        }
        assertEquals(net.params().size(), back.params().size());
        for (int i = 0; i < net.params().size(); i++) {
            Param a = net.params().get(i);
            Param b = back.params().get(i);
            assertEquals(a.name(), b.name());
            assertArrayEquals(a.value().data, b.value().data, 0, a.name());
        }
    }

    @Test
    void configsAndPreprocessingAreRestored() throws IOException {
        Path npz = tmp.resolve("cfg.npz");
        checkpoint.save(npz, net, preprocessor);
        Checkpoint.Loaded loaded = Checkpoint.load(npz, GEMM);
        assertEquals(checkpoint, loaded.info());
        assertEquals(NET, loaded.info().net());
        // adam takes no momentum: the checkpoint records none (0), everything else as given
        assertEquals(TRAIN.withMomentum(0), loaded.info().train());
        assertEquals("unit test images", loaded.info().dataset());
        assertEquals(NAMES, loaded.info().classNames());
        assertEquals(2, loaded.info().bestEpoch());
        assertEquals(0.4375, loaded.info().bestValAccuracy());
        assertEquals("completed 3 epochs", loaded.info().outcome());
        assertEquals(Preprocessing.CHANNEL_STANDARDIZE, loaded.preprocessor().kind());
        assertArrayEquals(preprocessor.shift(), loaded.preprocessor().shift(), 0);
        assertArrayEquals(preprocessor.scale(), loaded.preprocessor().scale(), 0);
    }

    @Test
    void npzHoldsNumpyStyleArrays() throws IOException {
        Path npz = tmp.resolve("arrays.npz");
        checkpoint.save(npz, net, preprocessor);
        Map<String, Npy.Array> arrays;
        try (InputStream in = Files.newInputStream(npz)) {
            arrays = Npy.readNpz(in);
        }
        assertEquals(List.of("W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "b3",
                "running_mean1", "running_var1", "running_mean2", "running_var2",
                "preprocess_shift", "preprocess_scale"), List.copyOf(arrays.keySet()));
        assertArrayEquals(new int[] {3072, 8}, arrays.get("W1").shape());
        assertArrayEquals(new int[] {8}, arrays.get("gamma1").shape());
        assertArrayEquals(new int[] {8, 6}, arrays.get("W2").shape());
        assertArrayEquals(new int[] {6, 10}, arrays.get("W3").shape());
        assertArrayEquals(new int[] {10}, arrays.get("b3").shape());
        assertArrayEquals(new int[] {6}, arrays.get("running_var2").shape());
        assertArrayEquals(new int[] {3072}, arrays.get("preprocess_shift").shape());
        assertEquals(net.params().get(0).value().get(100, 3), arrays.get("W1").data()[100 * 8 + 3], 0, "C order");
    }

    @Test
    void jsonDescribesTheConfigs() throws IOException {
        Path npz = tmp.resolve("desc.npz");
        checkpoint.save(npz, net, preprocessor);
        String json = Files.readString(tmp.resolve("desc.json"));
        assertTrue(json.contains("\"hiddenSizes\""), json);
        assertTrue(json.contains("\"batchNorm\" : true"), json);
        assertTrue(json.contains("\"learningRate\""), json);
        assertTrue(json.contains("CHANNEL_STANDARDIZE"), json);
        assertTrue(json.contains("unit test images"), json);
    }

    @Test
    void jsonNamesItsFormatAndRecordsTheMomentumOnlyForRulesThatTakeOne() throws IOException {
        checkpoint.save(tmp.resolve("adam.npz"), net, preprocessor);
        JsonNode adam = new ObjectMapper().readTree(tmp.resolve("adam.json").toFile());
        assertEquals(Checkpoint.FORMAT, adam.get("format").asText());
        assertEquals("ADAM", adam.get("train").get("updateRule").asText());
        assertFalse(adam.get("train").has("momentum"), "adam ran without a momentum: " + adam);
        assertEquals(1e-3, adam.get("train").get("learningRate").asDouble());

        Checkpoint withMomentum = new Checkpoint(NET, TRAIN.withUpdateRule(UpdateRuleKind.NESTEROV), Preprocessing.CHANNEL_STANDARDIZE,
                "unit test images", NAMES, 2, 0.4375, "completed 3 epochs");
        withMomentum.save(tmp.resolve("nesterov.npz"), net, preprocessor);
        JsonNode nesterov = new ObjectMapper().readTree(tmp.resolve("nesterov.json").toFile());
        assertEquals(0.9, nesterov.get("train").get("momentum").asDouble());
        assertEquals(0.9, Checkpoint.load(tmp.resolve("nesterov.npz"), GEMM).info().train().momentum());
    }

    @Test
    void npzSaysInWordsHowToUseIt() throws IOException {
        Path npz = tmp.resolve("words.npz");
        checkpoint.save(npz, net, preprocessor);
        Map<String, Npy.Entry> entries;
        try (InputStream in = Files.newInputStream(npz)) {
            entries = Npy.readNpzEntries(in);
        }
        assertEquals(List.of("W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "b3",
                "running_mean1", "running_var1", "running_mean2", "running_var2", "preprocess_shift", "preprocess_scale",
                "format", "layout", "preprocessing", "forward", "class_names", "configs"), List.copyOf(entries.keySet()));
        assertEquals(Checkpoint.FORMAT, ((Npy.Text) entries.get("format")).value());
        assertTrue(((Npy.Text) entries.get("layout")).value().startsWith("CHW: 1024 red, then 1024 green, then 1024 blue"));
        assertTrue(((Npy.Text) entries.get("preprocessing")).value().startsWith("x = (pixels - preprocess_shift) * preprocess_scale"));
        assertTrue(((Npy.Text) entries.get("preprocessing")).value().contains("per-channel mean and std"));
        assertArrayEquals(new int[0], entries.get("format").shape(), "a 0-d array");
        assertArrayEquals(new int[] {10}, entries.get("class_names").shape());
        assertEquals(NAMES, ((Npy.Text) entries.get("class_names")).values());
        assertEquals(Files.readString(tmp.resolve("words.json")), ((Npy.Text) entries.get("configs")).value(),
                "the configs in the .npz are the .json's text");
    }

    @Test
    void forwardTextFollowsTheArchitecture() {
        assertEquals(String.join("\n",
                "# numpy, with d = numpy.load(this file) and x = the preprocessed images, one per row; the predicted class is scores.argmax(1)",
                "a1 = x @ d['W1'] + d['b1']",
                "h1 = np.maximum(0, a1)",
                "scores = h1 @ d['W2'] + d['b2']"), Checkpoint.forward(NetConfig.lecture()));
        String bn = Checkpoint.forward(NET.withActivation(Activation.TANH));
        assertTrue(bn.contains("a1 = x @ d['W1']\na1 = d['gamma1'] * (a1 - d['running_mean1']) / np.sqrt(d['running_var1'] + 1e-5)"
                + " + d['beta1']\nh1 = np.tanh(a1)"), bn);
        assertTrue(bn.endsWith("scores = h2 @ d['W3'] + d['b3']"), bn);
    }

    /** Fails like a full disk once {@code limit} bytes went into the {@code nth} file written (0: the .npz, 1: the .json). */
    private static java.util.function.UnaryOperator<OutputStream> fullDiskIn(int nth, long limit) {
        int[] opened = {0};
        return out -> opened[0]++ != nth ? out : new java.io.FilterOutputStream(out) {
            private long left = limit;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > left) {
                    throw new IOException("No space left on device");
                }
                left -= len;
                out.write(b, off, len);
            }
        };
    }

    @Test
    void aFullDiskWhileSavingKeepsThePreviousPairWhole() throws IOException {
        Path npz = tmp.resolve("kept.npz");
        Net previous = NET.build(GEMM, 99);
        checkpoint.save(npz, previous, preprocessor);
        String previousJson = Files.readString(tmp.resolve("kept.json"));
        Checkpoint other = new Checkpoint(NET, TRAIN.withEpochs(7), Preprocessing.CHANNEL_STANDARDIZE, "other images", NAMES, 7, 0.5,
                "completed 7 epochs");
        for (int nth = 0; nth < 2; nth++) {
            int which = nth;
            IOException e = assertThrows(IOException.class, () -> other.save(npz, net, preprocessor, fullDiskIn(which, 100)));
            assertEquals("No space left on device", e.getMessage());
            assertEquals(List.of("kept.json", "kept.npz"), listing(tmp), "no temporary file, no half of a pair");
            assertEquals(previousJson, Files.readString(tmp.resolve("kept.json")), "the previous .json, file " + nth);
            Checkpoint.Loaded back = Checkpoint.load(npz, GEMM);
            assertArrayEquals(testScores(previous, x), testScores(back.net(), x), 0, "the previous parameters, file " + nth);
        }
    }

    @Test
    void ourFilesAreToldApartFromOthers() throws IOException {
        Path npz = tmp.resolve("ours.npz");
        checkpoint.save(npz, net, preprocessor);
        assertTrue(Checkpoint.isOurNpz(npz));
        assertTrue(Checkpoint.isOurJson(tmp.resolve("ours.json")));

        // written before the format marker: W1 and preprocess_shift, and a .json of net, train and preprocessing
        Map<String, Npy.Array> legacy = new LinkedHashMap<>();
        legacy.put("W1", Npy.Array.vector(new double[] {1}));
        legacy.put("preprocess_shift", Npy.Array.vector(new double[] {2}));
        try (OutputStream out = Files.newOutputStream(tmp.resolve("old.npz"))) {
            Npy.writeNpz(out, legacy);
        }
        assertTrue(Checkpoint.isOurNpz(tmp.resolve("old.npz")));
        Files.writeString(tmp.resolve("old.json"), "{\"net\": {}, \"train\": {}, \"preprocessing\": \"MEAN_IMAGE\"}");
        assertTrue(Checkpoint.isOurJson(tmp.resolve("old.json")));

        // someone else's numpy archive, a CIFAR-10 batch, JSON and text, a folder, nothing
        Map<String, Npy.Array> theirs = new LinkedHashMap<>();
        theirs.put("X", Npy.Array.vector(new double[] {1, 2}));
        try (OutputStream out = Files.newOutputStream(tmp.resolve("theirs.npz"))) {
            Npy.writeNpz(out, theirs);
        }
        Files.write(tmp.resolve("data_batch_1.bin"), new byte[3073]);
        Files.writeString(tmp.resolve("settings.json"), "{\"format\": \"something else\", \"net\": {}}");
        Files.writeString(tmp.resolve("list.json"), "[1, 2]");
        Files.writeString(tmp.resolve("notes.json"), "not json at all {");
        Files.createDirectories(tmp.resolve("folder.npz"));
        for (String name : new String[] {"theirs.npz", "data_batch_1.bin", "settings.json", "list.json", "notes.json", "folder.npz",
                "missing.npz"}) {
            assertFalse(Checkpoint.isOurNpz(tmp.resolve(name)), name);
            assertFalse(Checkpoint.isOurJson(tmp.resolve(name)), name);
        }
        assertFalse(Checkpoint.isOurJson(npz), "an .npz is not a .json");
    }

    @Test
    void saveOverwritesAPreviousCheckpoint() throws IOException {
        Path npz = tmp.resolve("again.npz");
        checkpoint.save(npz, NET.build(GEMM, 99), preprocessor);
        checkpoint.save(npz, net, preprocessor);
        assertArrayEquals(testScores(net, x), testScores(Checkpoint.load(npz, GEMM).net(), x), 0);
        assertEquals(List.of("again.json", "again.npz"), listing(tmp));
    }

    @Test
    void netWithoutBatchNormRoundTrips() throws IOException {
        NetConfig plain = NetConfig.twoLayer(Cifar.PIXELS, 5, 10);
        TrainConfig lecture = TrainConfig.defaults();
        Net model = plain.build(GEMM, 3);
        model.params().get(1).value().data[2] = 0.75; // b1
        Preprocessor mean = Preprocessor.fit(images(5, 2), Preprocessing.MEAN_IMAGE);
        Path npz = tmp.resolve("plain.npz");
        new Checkpoint(plain, lecture, Preprocessing.MEAN_IMAGE, "built-in", null, 0, Double.NaN, "stopped").save(npz, model, mean);
        Checkpoint.Loaded loaded = Checkpoint.load(npz, GEMM);
        assertEquals(List.of("W1", "b1", "W2", "b2"), loaded.net().params().stream().map(Param::name).toList());
        assertEquals(0.75, loaded.net().params().get(1).value().data[2]);
        assertTrue(Double.isNaN(loaded.info().bestValAccuracy()), "NaN accuracy survives JSON");
        assertEquals(Cifar.DEFAULT_CLASS_NAMES, loaded.info().classNames(), "CIFAR-10's names when none are given");
        assertEquals(0.9, loaded.info().train().momentum(), "momentum is kept for the momentum rule");
        assertArrayEquals(testScores(model, x), testScores(loaded.net(), x), 0);
    }

    @Test
    void jsonForReplacesTheExtension() {
        assertEquals(tmp.resolve("a.json"), Checkpoint.jsonFor(tmp.resolve("a.npz")));
        assertEquals(tmp.resolve("a.b.json"), Checkpoint.jsonFor(tmp.resolve("a.b.npz")));
        assertEquals(tmp.resolve("noext.json"), Checkpoint.jsonFor(tmp.resolve("noext")));
    }

    // ---------------------------------------------------------------- bad files

    @Test
    void missingJsonIsAClearError() throws IOException {
        Path npz = tmp.resolve("lonely.npz");
        checkpoint.save(npz, net, preprocessor);
        Files.delete(tmp.resolve("lonely.json"));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM));
        assertTrue(e.getMessage().startsWith("lonely.json: missing"), e.getMessage());
        assertTrue(e.getMessage().contains("lonely.npz"), e.getMessage());
    }

    @Test
    void corruptJsonIsAClearError() throws IOException {
        Path npz = tmp.resolve("bad.npz");
        checkpoint.save(npz, net, preprocessor);
        Files.writeString(tmp.resolve("bad.json"), "{\"net\": {\"inputSize\": 3072, \"hiddenSizes\": [8, 6");
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM));
        assertTrue(e.getMessage().startsWith("bad.json: not a checkpoint description"), e.getMessage());
    }

    @Test
    void jsonWithInvalidConfigIsAClearError() throws IOException {
        Path npz = tmp.resolve("invalid.npz");
        checkpoint.save(npz, net, preprocessor);
        Path json = tmp.resolve("invalid.json");
        Files.writeString(json, Files.readString(json).replace("\"classes\" : 10", "\"classes\" : 1"));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM));
        assertTrue(e.getMessage().startsWith("invalid.json: not a checkpoint description"), e.getMessage());
        assertTrue(e.getMessage().contains("need at least 2 classes"), e.getMessage());
    }

    @Test
    void jsonWithMissingFieldsIsAClearError() throws IOException {
        Path npz = tmp.resolve("fields.npz");
        checkpoint.save(npz, net, preprocessor);
        Path json = tmp.resolve("fields.json");
        String good = Files.readString(json);
        String noTrain = good.replaceAll("(?s)\"train\" : \\{[^}]*\\},", "");
        String noPreprocessing = good.replace("\"preprocessing\" : \"CHANNEL_STANDARDIZE\",", "");
        assertTrue(!noTrain.equals(good) && !noPreprocessing.equals(good), "the edits must change the file");
        for (String text : new String[] {"{}", "null", noTrain, noPreprocessing}) {
            Files.writeString(json, text);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM), text);
            assertTrue(e.getMessage().startsWith("fields.json: not a checkpoint description"), e.getMessage());
        }
    }

    @Test
    void missingArrayIsAClearError() throws IOException {
        Path npz = tmp.resolve("partial.npz");
        checkpoint.save(npz, net, preprocessor);
        Map<String, Npy.Array> arrays;
        try (InputStream in = Files.newInputStream(npz)) {
            arrays = new LinkedHashMap<>(Npy.readNpz(in));
        }
        arrays.remove("running_var2");
        try (OutputStream out = Files.newOutputStream(npz)) {
            Npy.writeNpz(out, arrays);
        }
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM));
        assertEquals("partial.npz: no array running_var2", e.getMessage());
    }

    @Test
    void wrongSizedArrayIsAClearError() throws IOException {
        Path npz = tmp.resolve("sized.npz");
        checkpoint.save(npz, net, preprocessor);
        Map<String, Npy.Array> arrays;
        try (InputStream in = Files.newInputStream(npz)) {
            arrays = new LinkedHashMap<>(Npy.readNpz(in));
        }
        arrays.put("b3", Npy.Array.vector(new double[7]));
        try (OutputStream out = Files.newOutputStream(npz)) {
            Npy.writeNpz(out, arrays);
        }
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM));
        assertEquals("sized.npz: b3 has 7 values, the net needs 10", e.getMessage());
    }

    @Test
    void corruptNpzIsAnErrorNamingTheFile() throws IOException {
        Path npz = tmp.resolve("garbage.npz");
        checkpoint.save(npz, net, preprocessor);
        Files.writeString(npz, "this is not a zip");
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM));
        assertTrue(e.getMessage().startsWith("garbage.npz: "), e.getMessage());
        assertTrue(e.getMessage().contains("no .npy arrays"), e.getMessage());
    }

    @Test
    void missingNpzIsAnErrorNamingTheFile() throws IOException {
        Path npz = tmp.resolve("gone.npz");
        checkpoint.save(npz, net, preprocessor);
        Files.delete(npz);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(npz, GEMM));
        assertTrue(e.getMessage().startsWith("gone.npz: "), e.getMessage());
    }

    // ---------------------------------------------------------------- numpy reads it

    @Test
    void numpyLoadReadsTheCheckpoint() throws Exception {
        String python = org.babysitter.testing.Python.with("numpy");
        assumeTrue(python != null, "python3 with numpy is not available");
        Path npz = tmp.resolve("for numpy.npz");
        checkpoint.save(npz, net, preprocessor);
        String script = String.join("\n",
                "import sys, numpy as np",
                "d = np.load(sys.argv[1])",
                "for k in d.files:",
                "    a = d[k]",
                "    print(k, a.dtype.str if a.dtype.kind == 'f' else a.dtype.kind, ','.join(str(s) for s in a.shape) or '()')",
                "print('VALUE layout', 1.0 if str(d['layout']).startswith('CHW: 1024 red') else 0.0)",
                "print('VALUE class_names', float(list(d['class_names']).index('horse')))",
                "print('VALUE W1', repr(float(d['W1'][100, 3])))",
                "print('VALUE running_var2', repr(float(d['running_var2'][5])))",
                "print('VALUE preprocess_scale', repr(float(d['preprocess_scale'][3071])))",
                "");
        Path py = tmp.resolve("check.py");
        Files.writeString(py, script);
        Process p = new ProcessBuilder(python, py.toString(), npz.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python finished");
        assertEquals(0, p.exitValue(), output);

        List<String> lines = output.lines().toList();
        List<String> shapes = new ArrayList<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.startsWith("VALUE ")) {
                String[] parts = line.split(" ");
                values.put(parts[1], Double.parseDouble(parts[2]));
            } else {
                shapes.add(line);
            }
        }
        assertEquals(List.of(
                "W1 <f8 3072,8", "gamma1 <f8 8", "beta1 <f8 8",
                "W2 <f8 8,6", "gamma2 <f8 6", "beta2 <f8 6",
                "W3 <f8 6,10", "b3 <f8 10",
                "running_mean1 <f8 8", "running_var1 <f8 8", "running_mean2 <f8 6", "running_var2 <f8 6",
                "preprocess_shift <f8 3072", "preprocess_scale <f8 3072",
                "format U ()", "layout U ()", "preprocessing U ()", "forward U ()", "class_names U 10", "configs U ()"), shapes, output);
        assertEquals(1.0, values.get("layout"), "str(d['layout']) reads the layout back");
        assertEquals(7.0, values.get("class_names"), "the class names as a numpy string array");
        assertEquals(net.params().get(0).value().get(100, 3), values.get("W1"), 0, "W1[100, 3]");
        assertEquals(net.buffers().get(3).values()[5], values.get("running_var2"), 0);
        assertEquals(preprocessor.scale()[3071], values.get("preprocess_scale"), 0);
        assertTrue(values.get("W1") != 0, String.format(Locale.ROOT, "a real weight: %s", values.get("W1")));
    }

    /** The .npz's own words (layout, preprocessing, forward) run in numpy give the Java net's scores. */
    @Test
    void numpyFollowingTheNpzsWordsGetsTheSameScores() throws Exception {
        String python = org.babysitter.testing.Python.with("numpy");
        assumeTrue(python != null, "python3 with numpy is not available");
        ImageSet images = images(24, 1);
        Path bin = tmp.resolve("images.bin");
        try (OutputStream out = Files.newOutputStream(bin)) {
            for (int i = 0; i < images.size(); i++) {
                out.write(images.label(i));
                out.write(images.pixelArray(i), images.pixelOffset(i), Cifar.PIXELS);
            }
        }
        Path py = tmp.resolve("forward.py");
        Files.writeString(py, String.join("\n",
                "import sys, numpy as np",
                "d = np.load(sys.argv[1])",
                "raw = np.fromfile(sys.argv[2], np.uint8).reshape(-1, 3073)",
                "pixels = raw[:, 1:].astype(np.float64)",
                "x = (pixels - d['preprocess_shift']) * d['preprocess_scale']",
                "exec(str(d['forward']))",
                "np.savetxt(sys.stdout, scores, fmt='%.17g')",
                ""));
        List<NetConfig> nets = List.of(NET, NET.withActivation(Activation.TANH).withDropout(0.5),
                NetConfig.twoLayer(Cifar.PIXELS, 7, 10).withActivation(Activation.LEAKY_RELU),
                NetConfig.twoLayer(Cifar.PIXELS, 5, 10).withActivation(Activation.SIGMOID).withInit(WeightInit.xavier()),
                // conv nets: stride, padding, pooling, spatial batch norm, a hidden layer after the stages
                NetConfig.convnetjs(Cifar.PIXELS, 10).withConv(org.babysitter.engine.model.ConvStage.parse(
                        "conv 5x5x4 pad 2 pool 2, conv 4x4x3 stride 2 pad 1 pool 2")),
                NetConfig.convnetjs(Cifar.PIXELS, 10).withConv(org.babysitter.engine.model.ConvStage.parse("conv 3x3x4 pad 1 pool 4"))
                        .withBatchNorm(true).withHidden(List.of(6)).withActivation(Activation.TANH));
        for (int k = 0; k < nets.size(); k++) {
            NetConfig config = nets.get(k);
            Net model = k == 0 ? net : config.build(GEMM, 40 + k);
            Path npz = tmp.resolve("net" + k + ".npz");
            new Checkpoint(config, TRAIN, Preprocessing.CHANNEL_STANDARDIZE, "unit test images", NAMES, 1, 0.5, "completed")
                    .save(npz, model, preprocessor);
            Process p = new ProcessBuilder(python, py.toString(), npz.toString(), bin.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python finished");
            assertEquals(0, p.exitValue(), output);
            double[] expected = testScores(model, x);
            double[] numpy = output.lines().flatMap(l -> java.util.Arrays.stream(l.trim().split("\\s+")))
                    .mapToDouble(Double::parseDouble).toArray();
            assertEquals(expected.length, numpy.length, config.describe());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], numpy[i], 1e-9 * Math.max(1, Math.abs(expected[i])), config.describe() + " score " + i);
            }
        }
    }
}
