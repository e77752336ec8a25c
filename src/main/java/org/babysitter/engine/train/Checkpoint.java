package org.babysitter.engine.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.io.Npy;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.BatchNorm;
import org.babysitter.engine.model.Layer;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.ConvStage;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Volume;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.preprocess.Preprocessor;

/**
 * A saved net: {@code name.npz}, which {@code numpy.load} reads, plus {@code name.json} with the configs, written as
 * one unit (both files or neither, see {@link AtomicFiles#writeAll}).
 * <p>
 * The .npz holds the parameters as numpy keeps them (W1 (D, H) even when H is 1, b1 (H,), gamma1, beta1,
 * running_mean1, running_var1, ...), the preprocessing as preprocess_shift / preprocess_scale, and, as 0-d string
 * arrays, everything a numpy user needs without reading Java: {@code layout} (the pixel order: the binary files'
 * channel-planar CHW, not cs231n's HWC), {@code preprocessing} (the formula), {@code forward} (the test-time forward
 * pass as numpy statements), {@code class_names} and {@code configs} (the .json's text). {@code format} marks the
 * file as ours, so that a tool never mistakes someone else's .npz for a checkpoint it may replace.
 *
 * @param net             the architecture
 * @param train           how it was trained (the momentum only where the rule takes one; 0 otherwise)
 * @param preprocessing   which preprocessing the shift/scale arrays implement
 * @param dataset         the data it was trained on, in words
 * @param classNames      the name of each label
 * @param bestEpoch       the epoch whose parameters these are (0 if unknown)
 * @param bestValAccuracy the validation accuracy of these parameters (NaN without validation images)
 * @param outcome         how the run ended, in words ("completed 10 epochs", "diverged at ...", "stopped at ...")
 */
public record Checkpoint(NetConfig net, TrainConfig train, Preprocessing preprocessing, String dataset,
                         List<String> classNames, int bestEpoch, double bestValAccuracy, String outcome) {
    /** What the {@code format} array of the .npz and the "format" field of the .json say. */
    public static final String FORMAT = "Babysitter checkpoint 1";
    /** The pixel order of {@code x}, as the {@code layout} array says it. */
    public static final String LAYOUT = "CHW: 1024 red, then 1024 green, then 1024 blue, row-major 32x32"
            + " (the CIFAR-10 binary files' order; an HWC image img of shape (32, 32, 3) is img.transpose(2, 0, 1).reshape(3072))";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String FORMAT_KEY = "format";
    /** A .json larger than this is nobody's checkpoint description: not parsed to find out. */
    private static final long MAX_JSON_BYTES = 1 << 20;

    public Checkpoint {
        if (net == null || train == null || preprocessing == null) {
            throw new IllegalArgumentException("a checkpoint needs net, train and preprocessing");
        }
        // the momentum is recorded only for the rules that take one: sgd, rmsprop, adam and adamw ran without it
        if (!train.updateRule().usesMomentum() && train.momentum() != 0) {
            train = train.withMomentum(0);
        }
        classNames = classNames == null ? defaultNames(net.classes()) : List.copyOf(classNames);
        if (classNames.size() != net.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + net.classes() + " classes");
        }
        if (bestEpoch < 0) {
            throw new IllegalArgumentException("best epoch must be 0 or more, got " + bestEpoch);
        }
    }

    private static List<String> defaultNames(int classes) {
        if (classes == Cifar.CLASSES) {
            return Cifar.DEFAULT_CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }

    /** A loaded checkpoint: its description, the net with its parameters, the preprocessing. */
    public record Loaded(Checkpoint info, Net net, Preprocessor preprocessor) {
    }

    /** The JSON file beside an .npz. */
    public static Path jsonFor(Path npz) {
        String name = npz.getFileName().toString();
        String base = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
        return npz.resolveSibling(base + ".json");
    }

    /** The .npz and the .json, both or neither (the previous pair stays if anything fails). */
    public void save(Path npz, Net model, Preprocessor preprocessor) throws IOException {
        save(npz, model, preprocessor, UnaryOperator.identity());
    }

    /** {@link #save(Path, Net, Preprocessor)} with the files' streams passed through {@code wrap} (tests: a full disk). */
    void save(Path npz, Net model, Preprocessor preprocessor, UnaryOperator<OutputStream> wrap) throws IOException {
        String json = json();
        Map<String, Npy.Entry> entries = entries(model, preprocessor, json);
        AtomicFiles.writeAll(List.of(
                new AtomicFiles.Part(npz, out -> Npy.writeNpz(out, entries)),
                new AtomicFiles.Part(jsonFor(npz), out -> out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
                wrap);
    }

    /** The .json's text: what {@link #save} writes beside the .npz. */
    public String json() throws IOException {
        return JSON.writeValueAsString(toJson()) + System.lineSeparator();
    }

    /** The .npz's bytes, as {@link #save} writes them (the run store keeps them as a blob). */
    public byte[] npzBytes(Net model, Preprocessor preprocessor) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Npy.writeNpz(out, entries(model, preprocessor, json()));
        return out.toByteArray();
    }

    private Map<String, Npy.Entry> entries(Net model, Preprocessor preprocessor, String json) {
        Map<String, Npy.Entry> entries = new LinkedHashMap<>();
        for (Param p : model.params()) {
            entries.put(p.name(), array(p));
        }
        for (Layer.Buffer b : model.buffers()) {
            entries.put(b.name(), Npy.Array.vector(b.values()));
        }
        entries.put("preprocess_shift", Npy.Array.vector(preprocessor.shift()));
        entries.put("preprocess_scale", Npy.Array.vector(preprocessor.scale()));
        entries.put(FORMAT_KEY, Npy.Text.scalar(FORMAT));
        entries.put("layout", Npy.Text.scalar(LAYOUT));
        entries.put("preprocessing", Npy.Text.scalar("x = (pixels - preprocess_shift) * preprocess_scale, pixels the"
                + " 3072 bytes of an image as float64 in the order of 'layout' (" + preprocessing.label()
                + ", statistics of the training split)"));
        entries.put("forward", Npy.Text.scalar(forward(net)));
        entries.put("class_names", Npy.Text.vector(classNames));
        entries.put("configs", Npy.Text.scalar(json));
        return entries;
    }

    private ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put(FORMAT_KEY, FORMAT);
        node.setAll((ObjectNode) JSON.valueToTree(this));
        if (!train.updateRule().usesMomentum()) {
            ((ObjectNode) node.get("train")).remove("momentum");
        }
        return node;
    }

    private static Npy.Array array(Param p) {
        // written straight from the net's array (no copy: a large net's values are not held twice)
        double[] data = p.value().data;
        // weights are matrices (D, H) even when H or D is 1; biases and batch-norm vectors (H,), as numpy code keeps them
        return p.regularized() ? Npy.Array.matrix(p.rows(), p.cols(), data) : Npy.Array.vector(data);
    }

    /**
     * The test-time forward pass as numpy statements, {@code d} the loaded .npz and {@code x} the preprocessed images
     * (one row each): {@code exec} them and {@code scores.argmax(1)} is the predicted class.
     */
    static String forward(NetConfig net) {
        StringBuilder py = new StringBuilder("# numpy, with d = numpy.load(this file) and x = the preprocessed images,"
                + " one per row; the predicted class is scores.argmax(1)\n");
        String in = "x";
        int layer = 1;
        if (!net.conv().isEmpty()) {
            // each stage on (N, C, H, W) arrays: the padded image's k x k windows (every stride-th) times the filters
            Volume v = NetConfig.imageVolume(net.inputSize());
            py.append("a = x.reshape(x.shape[0], ").append(v.channels()).append(", ").append(v.height()).append(", ")
                    .append(v.width()).append(")\n");
            for (ConvStage stage : net.conv()) {
                int k = stage.kernel();
                String w = "d['W" + layer + "']";
                int p = stage.pad();
                py.append("win = np.lib.stride_tricks.sliding_window_view(np.pad(a, ((0, 0), (0, 0), (").append(p).append(", ")
                        .append(p).append("), (").append(p).append(", ").append(p).append("))), (").append(k).append(", ")
                        .append(k).append("), axis=(2, 3))[:, :, ::").append(stage.stride()).append(", ::").append(stage.stride())
                        .append("]\n");
                py.append("a = np.einsum('ncyxij,cijf->nfyx', win, ").append(w).append(".reshape(").append(v.channels())
                        .append(", ").append(k).append(", ").append(k).append(", ").append(stage.filters()).append("))");
                if (net.batchNorm()) {
                    py.append("\n");
                    py.append("a = d['gamma").append(layer).append("'].reshape(1, -1, 1, 1) * (a - d['running_mean").append(layer)
                            .append("'].reshape(1, -1, 1, 1)) / np.sqrt(d['running_var").append(layer).append("'].reshape(1, -1, 1, 1) + ")
                            .append(Numbers.exact(BatchNorm.EPS)).append(") + d['beta").append(layer).append("'].reshape(1, -1, 1, 1)\n");
                } else {
                    py.append(" + d['b").append(layer).append("'].reshape(1, -1, 1, 1)\n");
                }
                py.append("a = ").append(activation(net.activation(), "a")).append('\n');
                if (stage.pool() > 0) {
                    int q = stage.pool();
                    py.append("a = a.reshape(a.shape[0], a.shape[1], a.shape[2] // ").append(q).append(", ").append(q)
                            .append(", a.shape[3] // ").append(q).append(", ").append(q).append(").max(axis=(3, 5))\n");
                }
                v = stage.output(v);
                layer++;
            }
            py.append("h = a.reshape(a.shape[0], -1)\n");
            in = "h";
        }
        for (int h = 0; h < net.hiddenSizes().size(); h++, layer++) {
            String a = "a" + layer;
            if (net.batchNorm()) {
                py.append(a).append(" = ").append(in).append(" @ d['W").append(layer).append("']\n");
                py.append(a).append(" = d['gamma").append(layer).append("'] * (").append(a).append(" - d['running_mean")
                        .append(layer).append("']) / np.sqrt(d['running_var").append(layer).append("'] + ")
                        .append(Numbers.exact(BatchNorm.EPS)).append(") + d['beta").append(layer).append("']\n");
            } else {
                py.append(a).append(" = ").append(in).append(" @ d['W").append(layer).append("'] + d['b").append(layer).append("']\n");
            }
            String out = "h" + layer;
            py.append(out).append(" = ").append(activation(net.activation(), a)).append('\n');
            in = out;
        }
        py.append("scores = ").append(in).append(" @ d['W").append(layer).append("'] + d['b").append(layer).append("']");
        if (net.dropout() > 0) {
            py.append("\n# dropout scaled the kept units by 1/(1-p) in training: nothing to do at test time");
        }
        return py.toString();
    }

    private static String activation(Activation a, String v) {
        return switch (a) {
            case RELU -> "np.maximum(0, " + v + ")";
            case LEAKY_RELU -> "np.maximum(" + Numbers.exact(Activation.LEAKY_SLOPE) + " * " + v + ", " + v + ")";
            case TANH -> "np.tanh(" + v + ")";
            case SIGMOID -> "1 / (1 + np.exp(-" + v + "))";
        };
    }

    /**
     * True if {@code npz} is a checkpoint this tool wrote: its {@code format} array names us, or (written before the
     * marker) it holds W1 and preprocess_shift. Anything unreadable is not ours.
     */
    public static boolean isOurNpz(Path npz) {
        if (!Files.isRegularFile(npz)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            ZipEntry format = zip.getEntry(FORMAT_KEY + ".npy");
            if (format != null) {
                try (InputStream in = zip.getInputStream(format)) {
                    return Npy.readEntry(in) instanceof Npy.Text t && t.values().size() == 1
                            && t.value().startsWith("Babysitter checkpoint");
                }
            }
            return zip.getEntry("W1.npy") != null && zip.getEntry("preprocess_shift.npy") != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * True if {@code json} is a checkpoint description this tool wrote: its "format" names us, or (written before
     * the field) it has our net, train and preprocessing fields. Anything unreadable is not ours.
     */
    public static boolean isOurJson(Path json) {
        try {
            if (!Files.isRegularFile(json) || Files.size(json) > MAX_JSON_BYTES) {
                return false;
            }
            JsonNode node = JSON.readTree(json.toFile());
            if (node == null || !node.isObject()) {
                return false;
            }
            JsonNode format = node.get(FORMAT_KEY);
            if (format != null) {
                return format.isTextual() && format.asText().startsWith("Babysitter checkpoint");
            }
            return node.path("net").isObject() && node.path("train").isObject() && node.path("preprocessing").isTextual();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Loads an .npz and its .json; any mismatch is an IOException naming the file and the problem. */
    public static Loaded load(Path npz, Gemm gemm) throws IOException {
        Path json = jsonFor(npz);
        Checkpoint info;
        try {
            JsonNode node = JSON.readTree(json.toFile());
            if (node instanceof ObjectNode object) {
                object.remove(FORMAT_KEY);
            }
            info = node == null || node.isMissingNode() ? null : JSON.treeToValue(node, Checkpoint.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException(json.getFileName() + ": missing (the configs saved beside " + npz.getFileName() + ")", e);
        } catch (IOException e) {
            throw new IOException(json.getFileName() + ": not a checkpoint description: " + e.getMessage(), e);
        }
        if (info == null) {
            throw new IOException(json.getFileName() + ": not a checkpoint description (it is empty)");
        }
        if (!Files.isRegularFile(npz)) {
            throw new IOException(npz.getFileName() + ": missing (the parameters saved beside " + json.getFileName() + ")");
        }
        Map<String, Npy.Array> arrays;
        try (InputStream in = Files.newInputStream(npz)) {
            arrays = Npy.readNpz(in);
        } catch (IOException e) {
            throw new IOException(npz.getFileName() + ": " + e.getMessage(), e);
        }
        Net model = info.net().build(gemm, info.train().seed());
        for (Param p : model.params()) {
            double[] v = take(arrays, p.name(), p.size(), npz);
            System.arraycopy(v, 0, p.value().data, 0, v.length);
        }
        for (Layer.Buffer b : model.buffers()) {
            double[] v = take(arrays, b.name(), b.values().length, npz);
            System.arraycopy(v, 0, b.values(), 0, v.length);
        }
        double[] shift = take(arrays, "preprocess_shift", info.net().inputSize(), npz);
        double[] scale = take(arrays, "preprocess_scale", info.net().inputSize(), npz);
        return new Loaded(info, model, Preprocessor.of(info.preprocessing(), shift, scale));
    }

    private static double[] take(Map<String, Npy.Array> arrays, String name, int size, Path npz) throws IOException {
        Npy.Array a = arrays.get(name);
        if (a == null) {
            throw new IOException(npz.getFileName() + ": no array " + name);
        }
        if (a.data().length != size) {
            throw new IOException(npz.getFileName() + ": " + name + " has " + a.data().length + " values, the net needs " + size);
        }
        return a.data();
    }
}
