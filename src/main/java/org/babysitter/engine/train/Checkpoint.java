package org.babysitter.engine.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.io.Npy;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.Layer;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.preprocess.Preprocessor;

/**
 * A saved net: {@code name.npz}, which {@code numpy.load} reads (W1, b1, gamma1, beta1, running_mean1,
 * running_var1, ..., and the preprocessing as preprocess_shift / preprocess_scale, so {@code x = (pixels -
 * shift) * scale}), plus {@code name.json} with the configs. Both are written atomically.
 *
 * @param net             the architecture
 * @param train           how it was trained
 * @param preprocessing   which preprocessing the shift/scale arrays implement
 * @param dataset         the data it was trained on, in words
 * @param bestValAccuracy the validation accuracy of these parameters
 */
public record Checkpoint(NetConfig net, TrainConfig train, Preprocessing preprocessing, String dataset,
                         double bestValAccuracy) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Checkpoint {
        if (net == null || train == null || preprocessing == null) {
            throw new IllegalArgumentException("a checkpoint needs net, train and preprocessing");
        }
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

    public void save(Path npz, Net model, Preprocessor preprocessor) throws IOException {
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        for (Param p : model.params()) {
            arrays.put(p.name(), array(p));
        }
        for (Layer.Buffer b : model.buffers()) {
            arrays.put(b.name(), Npy.Array.vector(b.values().clone()));
        }
        arrays.put("preprocess_shift", Npy.Array.vector(preprocessor.shift()));
        arrays.put("preprocess_scale", Npy.Array.vector(preprocessor.scale()));
        AtomicFiles.write(npz, out -> Npy.writeNpz(out, arrays));
        AtomicFiles.write(jsonFor(npz), out -> JSON.writeValue(new NonClosing(out), this));
    }

    private static Npy.Array array(Param p) {
        double[] data = p.value().data.clone();
        // weights are matrices (D, H) even when H or D is 1; biases and batch-norm vectors (H,), as numpy code keeps them
        return p.regularized() ? Npy.Array.matrix(p.rows(), p.cols(), data) : Npy.Array.vector(data);
    }

    /** Loads an .npz and its .json; any mismatch is an IOException naming the file and the problem. */
    public static Loaded load(Path npz, Gemm gemm) throws IOException {
        Path json = jsonFor(npz);
        Checkpoint info;
        try {
            info = JSON.readValue(json.toFile(), Checkpoint.class);
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

    /** Jackson closes the stream it writes; the atomic writer closes it itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
