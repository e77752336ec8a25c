package org.babysitter.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npy} format (version 1.0, little-endian float64, C order) and {@code .npz} archives of
 * them, as {@code numpy.load} reads them.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

    private Npy() {
    }

    /** A named float64 array with its shape (1 or 2 dimensions here). */
    public record Array(int[] shape, double[] data) {
        public Array {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape holds " + n + " values, data " + data.length);
            }
        }

        public static Array matrix(int rows, int cols, double[] data) {
            return new Array(new int[] {rows, cols}, data);
        }

        public static Array vector(double[] data) {
            return new Array(new int[] {data.length}, data);
        }
    }

    /** Writes one array as .npy. */
    public static void write(OutputStream out, Array a) throws IOException {
        StringBuilder shape = new StringBuilder();
        for (int d : a.shape()) {
            shape.append(d).append(", ");
        }
        String s = a.shape().length == 1 ? shape.toString().strip() : shape.substring(0, shape.length() - 2);
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + s + "), }";
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

    /** Reads one .npy array (float64, C order). */
    public static Array read(InputStream in) throws IOException {
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
        if (!descr.find() || !descr.group(1).equals("<f8")) {
            throw new IOException("only little-endian float64 arrays are supported, header: " + header.strip());
        }
        Matcher fortran = FORTRAN.matcher(header);
        if (fortran.find() && fortran.group(1).equals("True")) {
            throw new IOException("Fortran-ordered arrays are not supported");
        }
        Matcher shapeM = SHAPE.matcher(header);
        if (!shapeM.find()) {
            throw new IOException("no shape in .npy header: " + header.strip());
        }
        String[] parts = shapeM.group(1).split(",");
        int[] shape = java.util.Arrays.stream(parts).map(String::strip).filter(p -> !p.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE / 8) {
            throw new IOException("array too large: " + n + " values");
        }
        byte[] bytes = in.readNBytes((int) n * 8);
        if (bytes.length < n * 8) {
            throw new IOException("truncated .npy data: " + bytes.length + " of " + n * 8 + " bytes");
        }
        double[] data = new double[(int) n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data);
        return new Array(shape, data);
    }

    /** Writes named arrays as an .npz (a zip of name.npy entries). */
    public static void writeNpz(OutputStream out, Map<String, Array> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, Array> e : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
            write(zip, e.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }

    /** Reads every .npy entry of an .npz, in order. */
    public static Map<String, Array> readNpz(InputStream in) throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            String name = entry.getName();
            if (name.endsWith(".npy")) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                zip.transferTo(bytes);
                arrays.put(name.substring(0, name.length() - 4), read(new java.io.ByteArrayInputStream(bytes.toByteArray())));
            }
        }
        if (arrays.isEmpty()) {
            throw new IOException("no .npy arrays in the archive");
        }
        return arrays;
    }
}
