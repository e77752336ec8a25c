package org.babysitter.engine.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.model.loss.LossKind;

/**
 * A net file: a {@link NetConfig} written as a list of layers in JSON, read by {@code train --net FILE.json} and the
 * window's Model panel (Open net file... / Save net file...). For ConvNetJS's net:
 *
 * <pre>{@code
 * {
 *   "layers": [
 *     {"conv": 5, "filters": 16, "stride": 1, "pad": 2},
 *     {"pool": 2},
 *     {"conv": 5, "filters": 20, "stride": 1, "pad": 2},
 *     {"pool": 2},
 *     {"conv": 5, "filters": 20, "stride": 1, "pad": 2},
 *     {"pool": 2},
 *     {"affine": 50}
 *   ],
 *   "activation": "relu",
 *   "init": "he",
 *   "batchNorm": false,
 *   "dropout": 0,
 *   "loss": "softmax"
 * }
 * }</pre>
 *
 * <p>A layer is {@code {"conv": K, "filters": F}} (a K x K convolution; {@code "stride"} 1 and {@code "pad"} 0 unless
 * given), {@code {"pool": Q}} (Q x Q max pooling, stride Q, right after a conv: a conv and its pool are one
 * {@link ConvStage}) or {@code {"affine": H}} (a hidden layer of H units). Convs come before affine layers. The
 * activation (and batch norm, dropout) follow every conv and hidden affine layer as in {@link NetConfig#build}; they
 * are set once, not listed as layers. The last affine layer, to the classes, is implicit: its width is the data's class
 * count, so the file does not depend on it (and the input is the data's image). Only {@code "layers"} is required:
 * {@code "activation"} (relu, leaky_relu, tanh, sigmoid) defaults to relu, {@code "init"} (gaussian with {@code "std"},
 * xavier, he) to he for a net with convs and gaussian std 1e-4 without, {@code "batchNorm"} to false, {@code "dropout"}
 * to 0, {@code "loss"} (softmax, svm) to softmax. Anything else is refused with a message naming the file and the key
 * or layer.
 */
public final class NetFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP_KEYS = Set.of("layers", "activation", "init", "std", "batchNorm", "dropout", "loss");
    private static final Set<String> CONV_KEYS = Set.of("conv", "filters", "stride", "pad");

    private NetFile() {
    }

    /** Whether {@code --net VALUE} names a net file: a name ending in .json, or a file that exists. */
    public static boolean isNetFile(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.strip();
        if (v.toLowerCase(Locale.ROOT).endsWith(".json")) {
            return true;
        }
        try {
            return Files.isRegularFile(Path.of(v));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /**
     * The net in {@code file} for this input size and class count (the data's); IllegalArgumentException with a
     * message that starts with the file's name otherwise (a file that cannot be read included).
     */
    public static NetConfig read(Path file, int inputSize, int classes) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such net file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        return parse(text, file.toString(), inputSize, classes);
    }

    /** The net in {@code json}; {@code source} (a file name) starts every error message. */
    public static NetConfig parse(String json, String source, int inputSize, int classes) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a net file is a JSON object with \"layers\", e.g. {\"layers\":"
                    + " [{\"affine\": 50}]}");
        }
        try {
            return fromTree(root, inputSize, classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static NetConfig fromTree(JsonNode root, int inputSize, int classes) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key \"" + key + "\" (a net file has layers, activation, init,"
                        + " std, batchNorm, dropout, loss)");
            }
        }
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray()) {
            throw new IllegalArgumentException("\"layers\" must be a list of layers, e.g. [{\"conv\": 5, \"filters\": 16,"
                    + " \"pad\": 2}, {\"pool\": 2}, {\"affine\": 50}]");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("\"layers\" is empty: give at least one conv or affine layer");
        }
        List<ConvStage> stages = new ArrayList<>();
        List<Integer> hidden = new ArrayList<>();
        ConvStage open = null; // the last conv, until a pool or another layer closes its stage
        for (int i = 0; i < layers.size(); i++) {
            JsonNode layer = layers.get(i);
            String name = "layer " + (i + 1) + " " + (layer == null ? "null" : layer.toString());
            if (layer == null || !layer.isObject()) {
                throw new IllegalArgumentException(name + " is not an object such as {\"affine\": 50}");
            }
            try {
                if (layer.has("conv")) {
                    keys(layer, CONV_KEYS);
                    if (!hidden.isEmpty()) {
                        throw new IllegalArgumentException("a conv cannot follow an affine layer (convs come first)");
                    }
                    if (open != null) {
                        stages.add(open);
                    }
                    if (!layer.has("filters")) {
                        throw new IllegalArgumentException("a conv needs \"filters\", e.g. {\"conv\": 5, \"filters\": 16}");
                    }
                    open = new ConvStage(whole(layer, "filters", 0), whole(layer, "conv", 0), whole(layer, "stride", 1),
                            whole(layer, "pad", 0), 0);
                } else if (layer.has("pool")) {
                    keys(layer, Set.of("pool"));
                    if (open == null) {
                        throw new IllegalArgumentException(stages.isEmpty() && hidden.isEmpty()
                                ? "a pool needs a conv before it (a pool ends a conv stage)"
                                : "a pool must come right after a conv (one pool per conv stage)");
                    }
                    int q = whole(layer, "pool", 0);
                    if (q < 2) {
                        throw new IllegalArgumentException("a pool's side is at least 2, got " + q);
                    }
                    stages.add(new ConvStage(open.filters(), open.kernel(), open.stride(), open.pad(), q));
                    open = null;
                } else if (layer.has("affine")) {
                    keys(layer, Set.of("affine"));
                    if (open != null) {
                        stages.add(open);
                        open = null;
                    }
                    int h = whole(layer, "affine", 0);
                    if (h < 1) {
                        throw new IllegalArgumentException("an affine layer has at least 1 unit, got " + h);
                    }
                    hidden.add(h);
                } else {
                    throw new IllegalArgumentException("is not a conv, pool or affine layer ({\"conv\": 5, \"filters\":"
                            + " 16}, {\"pool\": 2}, {\"affine\": 50})");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith("is not") ? name + " " + e.getMessage()
                        : name + ": " + e.getMessage(), e);
            }
        }
        if (open != null) {
            stages.add(open);
        }
        Activation activation = Activation.RELU;
        if (root.has("activation")) {
            activation = choice(root, "activation", Activation.class);
        }
        WeightInit init = stages.isEmpty() ? WeightInit.LECTURE : WeightInit.he();
        if (root.has("init")) {
            WeightInit.Kind kind = choice(root, "init", WeightInit.Kind.class);
            if (kind == WeightInit.Kind.GAUSSIAN) {
                if (!root.has("std")) {
                    throw new IllegalArgumentException("\"init\": \"gaussian\" needs \"std\", e.g. 1e-4");
                }
                init = WeightInit.gaussian(number(root, "std"));
            } else if (root.has("std")) {
                throw new IllegalArgumentException("\"std\" would be ignored: \"init\": \"" + name(kind)
                        + "\" sets each layer's std from its fan-in");
            } else {
                init = new WeightInit(kind, 0);
            }
        } else if (root.has("std")) {
            throw new IllegalArgumentException("\"std\" goes with \"init\": \"gaussian\"");
        }
        boolean batchNorm = false;
        if (root.has("batchNorm")) {
            if (!root.get("batchNorm").isBoolean()) {
                throw new IllegalArgumentException("\"batchNorm\" must be true or false, got " + root.get("batchNorm"));
            }
            batchNorm = root.get("batchNorm").booleanValue();
        }
        double dropout = root.has("dropout") ? number(root, "dropout") : 0;
        LossKind loss = root.has("loss") ? choice(root, "loss", LossKind.class) : LossKind.SOFTMAX;
        return new NetConfig(inputSize, hidden, classes, activation, batchNorm, dropout, init, loss, stages);
    }

    private static void keys(JsonNode layer, Set<String> allowed) {
        for (Iterator<String> it = layer.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown key \"" + key + "\" (this layer takes "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static int whole(JsonNode node, String key, int absent) {
        JsonNode v = node.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isNumber() || !(v.isIntegralNumber() || v.doubleValue() == Math.rint(v.doubleValue()))
                || v.doubleValue() < Integer.MIN_VALUE || v.doubleValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("\"" + key + "\" must be a whole number, got " + v);
        }
        return v.intValue();
    }

    private static double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a number, got " + v);
        }
        return v.doubleValue();
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String key, Class<E> type) {
        JsonNode v = node.get(key);
        List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(NetFile::name).toList();
        if (v.isTextual()) {
            String wanted = v.textValue().strip().replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(wanted)) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("\"" + key + "\" must be one of " + String.join(", ", names) + ", got " + v);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code net} as a net file: one layer a line, every setting written out (the class count and input are not). */
    public static String toJson(NetConfig net) {
        List<String> layers = new ArrayList<>();
        for (ConvStage s : net.conv()) {
            layers.add(compact(Map.of("conv", s.kernel(), "filters", s.filters(), "stride", s.stride(), "pad", s.pad()),
                    List.of("conv", "filters", "stride", "pad")));
            if (s.pool() > 0) {
                layers.add("{\"pool\": " + s.pool() + "}");
            }
        }
        for (int h : net.hiddenSizes()) {
            layers.add("{\"affine\": " + h + "}");
        }
        StringBuilder sb = new StringBuilder("{\n  \"layers\": [\n");
        for (int i = 0; i < layers.size(); i++) {
            sb.append("    ").append(layers.get(i)).append(i + 1 < layers.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n");
        sb.append("  \"activation\": \"").append(name(net.activation())).append("\",\n");
        sb.append("  \"init\": \"").append(name(net.init().kind())).append("\",\n");
        if (net.init().kind() == WeightInit.Kind.GAUSSIAN) {
            sb.append("  \"std\": ").append(Numbers.exact(net.init().std())).append(",\n");
        }
        sb.append("  \"batchNorm\": ").append(net.batchNorm()).append(",\n");
        sb.append("  \"dropout\": ").append(Numbers.exact(net.dropout())).append(",\n");
        sb.append("  \"loss\": \"").append(name(net.loss())).append("\"\n}\n");
        return sb.toString();
    }

    private static String compact(Map<String, Integer> values, List<String> order) {
        ObjectNode o = JSON.createObjectNode();
        order.forEach(k -> o.put(k, values.get(k)));
        return o.toString().replace(",", ", ").replace(":", ": ");
    }

    /** Writes {@code net} to {@code file} whole (a reader never sees half a file), with the user's permissions. */
    public static void write(Path file, NetConfig net) throws IOException {
        AtomicFiles.writeString(file, toJson(net));
    }
}
