package org.babysitter.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npy} format (version 1.0, C order) and {@code .npz} archives of them, as {@code numpy.load}
 * reads them: little-endian float64 arrays ({@link Array}) and unicode string arrays ({@link Text}, numpy's
 * {@code <U} dtype: UTF-32LE code points, each string padded with zeros to the longest), of 0, 1 or 2 dimensions.
 * {@code numpy.load} reads both without {@code allow_pickle}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern UNICODE = Pattern.compile("<U(\\d+)");

    private Npy() {
    }

    /** One array of an .npz: numbers or strings. */
    public sealed interface Entry permits Array, Text {
        int[] shape();
    }

    /** A float64 array with its shape. */
    public record Array(int[] shape, double[] data) implements Entry {
        public Array {
            if (count(shape) != data.length) {
                throw new IllegalArgumentException("shape holds " + count(shape) + " values, data " + data.length);
            }
        }

        public static Array matrix(int rows, int cols, double[] data) {
            return new Array(new int[] {rows, cols}, data);
        }

        public static Array vector(double[] data) {
            return new Array(new int[] {data.length}, data);
        }
    }

    /** A unicode string array (numpy {@code <U}) with its shape; a 0-d one ({@code shape ()}) holds one string. */
    public record Text(int[] shape, List<String> values) implements Entry {
        public Text {
            values = List.copyOf(values);
            if (count(shape) != values.size()) {
                throw new IllegalArgumentException("shape holds " + count(shape) + " strings, got " + values.size());
            }
        }

        /** A 0-d string array: {@code str(npz[name])} gives the string back. */
        public static Text scalar(String value) {
            return new Text(new int[0], List.of(value));
        }

        public static Text vector(List<String> values) {
            return new Text(new int[] {values.size()}, values);
        }

        /** The string of a 0-d (or one-element) array. */
        public String value() {
            if (values.size() != 1) {
                throw new IllegalStateException("a text array of " + values.size() + " strings");
            }
            return values.get(0);
        }
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** numpy's shape tuple: "()", "(5,)", "(3, 4)". */
    private static String shapeTuple(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }

    private static void writeHeader(OutputStream out, String descr, int[] shape) throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
        int total = MAGIC.length + 2 + 2 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        int len = header.length();
        out.write(len & 0xFF);
        out.write((len >>> 8) & 0xFF);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes one entry as .npy. */
    public static void write(OutputStream out, Entry e) throws IOException {
        if (e instanceof Text t) {
            writeText(out, t);
        } else {
            write(out, (Array) e);
        }
    }

    /** Writes one array as .npy. */
    public static void write(OutputStream out, Array a) throws IOException {
        writeHeader(out, "<f8", a.shape());
        ByteBuffer buf = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : a.data()) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putDouble(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static void writeText(OutputStream out, Text t) throws IOException {
        int width = 1; // numpy's narrowest unicode dtype is <U1
        for (String v : t.values()) {
            width = Math.max(width, v.codePointCount(0, v.length()));
        }
        writeHeader(out, "<U" + width, t.shape());
        for (String v : t.values()) {
            ByteBuffer buf = ByteBuffer.allocate(4 * width).order(ByteOrder.LITTLE_ENDIAN);
            v.codePoints().forEach(buf::putInt);
            out.write(buf.array()); // the rest of the buffer is the zero padding
        }
    }

    /** Reads one .npy float64 array (C order). */
    public static Array read(InputStream in) throws IOException {
        Entry e = readEntry(in);
        if (e instanceof Array a) {
            return a;
        }
        throw new IOException("only little-endian float64 arrays are supported here, got a unicode string array");
    }

    /** Reads one .npy entry: a float64 or a unicode array (C order). */
    public static Entry readEntry(InputStream in) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a .npy array (bad magic)");
        }
        int major = in.read();
        in.read();
        int len;
        if (major == 1) {
            byte[] l = in.readNBytes(2);
            len = (l[0] & 0xFF) | (l[1] & 0xFF) << 8;
        } else if (major == 2 || major == 3) {
            byte[] l = in.readNBytes(4);
            len = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new IOException("unsupported .npy version " + major);
        }
        String header = new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher unicode = descr.find() ? UNICODE.matcher(descr.group(1)) : null;
        boolean text = unicode != null && unicode.matches();
        if (unicode == null || !(text || descr.group(1).equals("<f8"))) {
            throw new IOException("only little-endian float64 and unicode arrays are supported, header: " + header.strip());
        }
        Matcher fortran = FORTRAN.matcher(header);
        if (fortran.find() && fortran.group(1).equals("True")) {
            throw new IOException("Fortran-ordered arrays are not supported");
        }
        Matcher shapeM = SHAPE.matcher(header);
        if (!shapeM.find()) {
            throw new IOException("no shape in .npy header: " + header.strip());
        }
        int[] shape;
        try {
            shape = java.util.Arrays.stream(shapeM.group(1).split(",")).map(String::strip).filter(p -> !p.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IOException("bad shape in .npy header: " + header.strip());
        }
        long n = count(shape);
        int itemBytes = text ? 4 * parseWidth(unicode.group(1), header) : 8;
        if (n < 0 || n * itemBytes > Integer.MAX_VALUE - 8) {
            throw new IOException("array too large: " + n + " values");
        }
        byte[] bytes = in.readNBytes((int) (n * itemBytes));
        if (bytes.length < n * itemBytes) {
            throw new IOException("truncated .npy data: " + bytes.length + " of " + n * itemBytes + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (text) {
            List<String> values = new ArrayList<>((int) n);
            int width = itemBytes / 4;
            for (long i = 0; i < n; i++) {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < width; c++) {
                    int cp = buf.getInt();
                    if (cp != 0) {
                        if (!Character.isValidCodePoint(cp)) {
                            throw new IOException("not a unicode code point in a string array: " + cp);
                        }
                        sb.appendCodePoint(cp);
                    }
                }
                values.add(sb.toString());
            }
            return new Text(shape, values);
        }
        double[] data = new double[(int) n];
        buf.asDoubleBuffer().get(data);
        return new Array(shape, data);
    }

    private static int parseWidth(String digits, String header) throws IOException {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IOException("bad string width in .npy header: " + header.strip());
        }
    }

    /** Writes named entries as an .npz (a zip of name.npy entries), in the map's order. */
    public static void writeNpz(OutputStream out, Map<String, ? extends Entry> entries) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, ? extends Entry> e : entries.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
            write(zip, e.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }

    /** Reads every float64 .npy entry of an .npz, in order (string arrays are left out: see {@link #readNpzEntries}). */
    public static Map<String, Array> readNpz(InputStream in) throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        readNpzEntries(in).forEach((k, v) -> {
            if (v instanceof Array a) {
                arrays.put(k, a);
            }
        });
        return arrays;
    }

    /** Reads every .npy entry of an .npz, numbers and strings, in order. */
    public static Map<String, Entry> readNpzEntries(InputStream in) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            String name = entry.getName();
            if (name.endsWith(".npy")) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                zip.transferTo(bytes);
                entries.put(name.substring(0, name.length() - 4), readEntry(new java.io.ByteArrayInputStream(bytes.toByteArray())));
            }
        }
        if (entries.isEmpty()) {
            throw new IOException("no .npy arrays in the archive");
        }
        return entries;
    }
}
