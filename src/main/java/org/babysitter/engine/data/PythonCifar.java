package org.babysitter.engine.data;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.babysitter.engine.data.PickleReader.Bytes;
import org.babysitter.engine.data.PickleReader.NpArray;
import org.babysitter.engine.data.PickleReader.PickleException;

/**
 * The python version of CIFAR-10 ({@code cifar-10-batches-py}): each batch a pickled dict whose {@code data} is a
 * uint8 array of N x 3072 (a row is 1024 red, 1024 green, 1024 blue: the binary record without its label byte) and
 * whose {@code labels} are N ints in 0..9; {@code batches.meta} a dict whose {@code label_names} are the 10 class
 * names. Keys are bytes in files written by python2 and str in those written by python3; both are accepted. Read
 * with {@link PickleReader}, which runs nothing the file names.
 */
final class PythonCifar {
    /** Every pickle starts with PROTO (0x80) from protocol 2 on. */
    static final int PROTO = 0x80;

    private PythonCifar() {
    }

    /**
     * Reads one pickled batch from {@code in} into {@code into}. {@code entry} is the archive entry (null for a
     * file); {@code progress} gets the bytes of this batch read so far.
     */
    static void readBatch(InputStream in, Path file, String entry, RecordStore into, LongConsumer progress)
            throws IOException, DataFormatException {
        String what = entry == null ? "" : entry + ": ";
        Object value = unpickle(in, file, what, progress);
        if (!(value instanceof Map<?, ?> dict)) {
            throw new DataFormatException(file, what + "not a CIFAR-10 batch: the pickle holds "
                    + PickleReader.describe(value) + ", expected a dict with 'data' and 'labels'");
        }
        Object data = get(dict, "data");
        Object labels = get(dict, "labels");
        if (data == null || labels == null) {
            throw new DataFormatException(file, what + "not a CIFAR-10 batch: the dict has no '"
                    + (data == null ? "data" : "labels") + "' (keys: " + keys(dict) + ")");
        }
        if (!(data instanceof NpArray array)) {
            throw new DataFormatException(file, what + "'data' is " + PickleReader.describe(data)
                    + ", expected a numpy array of uint8");
        }
        if (!array.dtype().equals("u1")) {
            throw new DataFormatException(file, what + "'data' has dtype " + array.dtype() + ", expected uint8 (u1)");
        }
        int[] shape = array.shape();
        if (shape.length != 2 || shape[1] != Cifar.PIXELS) {
            throw new DataFormatException(file, what + "'data' has shape " + shapeText(shape)
                    + ", expected (N, " + Cifar.PIXELS + ") (a row of 1024 red, 1024 green, 1024 blue bytes)");
        }
        int n = shape[0];
        long[] y = labels(labels, file, what);
        if (y.length != n) {
            throw new DataFormatException(file, what + "'data' has " + n + " rows but 'labels' has " + y.length);
        }
        if (n == 0) {
            throw new DataFormatException(file, what + "empty: 'data' has 0 rows");
        }
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= Cifar.CLASSES) {
                throw new DataFormatException(file, what + "image " + i + " has label " + y[i] + ", outside 0..9");
            }
        }
        byte[] pixels = array.data();
        if (array.fortran()) { // column-major: element (i, j) at j * n + i; rewrite as rows
            byte[] rows = new byte[pixels.length];
            for (int j = 0; j < Cifar.PIXELS; j++) {
                for (int i = 0; i < n; i++) {
                    rows[i * Cifar.PIXELS + j] = pixels[j * n + i];
                }
            }
            pixels = rows;
        }
        for (int i = 0; i < n; i++) {
            into.append(pixels, i * Cifar.PIXELS, (int) y[i]);
        }
    }

    /** The 10 class names of a pickled {@code batches.meta} ({@code label_names}). */
    static List<String> readMeta(InputStream in, Path file, String entry) throws IOException, DataFormatException {
        String what = entry == null ? "" : entry + ": ";
        Object value = unpickle(in, file, what, done -> { });
        Object names = value instanceof Map<?, ?> dict ? get(dict, "label_names") : null;
        if (!(names instanceof List<?> list)) {
            throw new DataFormatException(file, what + "not CIFAR-10's batches.meta: expected a dict with 'label_names'");
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof String s) {
                out.add(s);
            } else if (o instanceof Bytes b) {
                out.add(b.latin1());
            } else {
                throw new DataFormatException(file, what + "'label_names' holds " + PickleReader.describe(o)
                        + ", expected names");
            }
        }
        if (out.size() != Cifar.CLASSES) {
            throw new DataFormatException(file, what + "'label_names' lists " + out.size() + " class names, expected "
                    + Cifar.CLASSES);
        }
        return List.copyOf(out);
    }

    private static Object unpickle(InputStream in, Path file, String what, LongConsumer progress)
            throws IOException, DataFormatException {
        try {
            // the reader must not close or read past the stream given (an archive's entry), so it gets a view of it
            return PickleReader.read(new FilterInputStream(in) {
                @Override
                public void close() {
                }
            }, progress);
        } catch (PickleException | EOFException e) { // refused, or truncated: both say where
            throw new DataFormatException(file, what + e.getMessage(), e);
        }
    }

    /** The value of {@code key} whether it was written as str (python3) or bytes (python2), or null. */
    private static Object get(Map<?, ?> dict, String key) {
        Object v = dict.get(key);
        return v != null ? v : dict.get(new Bytes(key.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String keys(Map<?, ?> dict) {
        List<String> k = new ArrayList<>();
        for (Object o : dict.keySet()) {
            k.add(o instanceof Bytes b ? b.toString() : PickleReader.describe(o));
        }
        return String.join(", ", k);
    }

    private static long[] labels(Object labels, Path file, String what) throws DataFormatException {
        if (labels instanceof List<?> list) {
            long[] y = new long[list.size()];
            for (int i = 0; i < y.length; i++) {
                if (!(list.get(i) instanceof Long v)) {
                    throw new DataFormatException(file, what + "label " + i + " is " + PickleReader.describe(list.get(i))
                            + ", expected an int");
                }
                y[i] = v;
            }
            return y;
        }
        if (labels instanceof NpArray a && a.shape().length == 1 && !a.dtype().contains("b")) {
            long[] y = new long[a.shape()[0]];
            for (int i = 0; i < y.length; i++) {
                y[i] = a.get(i);
            }
            return y;
        }
        throw new DataFormatException(file, what + "'labels' is " + PickleReader.describe(labels)
                + ", expected a list of ints or a 1-d integer array");
    }

    private static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
