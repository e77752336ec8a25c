package org.babysitter.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** numpy .npy / .npz writing and reading, and AtomicFiles' all-or-nothing writes. */
class NpyTest {
    @TempDir
    Path tmp;

    private static byte[] npy(Npy.Array a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        return out.toByteArray();
    }

    private static int headerLength(byte[] b) {
        return (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
    }

    private static String header(byte[] b) {
        return new String(b, 10, headerLength(b), StandardCharsets.US_ASCII);
    }

    private static void assertBitsEqual(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    "value " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    // ---------------------------------------------------------------- .npy layout

    @Test
    void twoDimensionalHeaderIsNumpysDictFormat() throws IOException {
        byte[] b = npy(Npy.Array.matrix(3, 4, new double[12]));
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6], "major version");
        assertEquals(0, b[7], "minor version");
        String h = header(b);
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
        assertTrue(h.startsWith(dict), h);
        assertTrue(h.endsWith("\n"), "header ends in a newline");
        assertEquals(dict + " ".repeat(h.length() - dict.length() - 1) + "\n", h, "padding is spaces only");
        assertEquals(0, (10 + h.length()) % 64, "data starts at a multiple of 64");
        assertEquals(10 + h.length() + 12 * 8, b.length);
    }

    @Test
    void oneDimensionalShapeHasATrailingComma() throws IOException {
        byte[] b = npy(Npy.Array.vector(new double[] {1, 2, 3, 4, 5}));
        String h = header(b);
        assertEquals("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }", h.strip());
        assertEquals(0, (10 + h.length()) % 64);
        assertEquals(10 + h.length() + 5 * 8, b.length);
    }

    @Test
    void dataStartsAtAMultipleOf64ForManyShapes() throws IOException {
        int[][] shapes = {{1}, {9}, {10}, {12345}, {1, 1}, {3072, 50}, {50, 10}, {100000, 3}, {0}};
        for (int[] s : shapes) {
            int n = 1;
            for (int d : s) {
                n *= d;
            }
            byte[] b = npy(new Npy.Array(s, new double[n]));
            int start = 10 + headerLength(b);
            assertEquals(0, start % 64, "shape " + java.util.Arrays.toString(s) + ": data at " + start);
            assertEquals('\n', b[start - 1], "header ends in a newline");
            assertEquals(start + 8L * n, b.length);
        }
    }

    @Test
    void dataIsLittleEndianFloat64InCOrder() throws IOException {
        double[] data = {1.5, -2.25, 3e-300, Double.MAX_VALUE, 0.1, 6};
        byte[] b = npy(Npy.Array.matrix(2, 3, data));
        ByteBuffer buf = ByteBuffer.wrap(b, 10 + headerLength(b), 6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) {
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(buf.getDouble()));
        }
        // 1.5 little-endian: 00 00 00 00 00 00 f8 3f
        int start = 10 + headerLength(b);
        assertEquals((byte) 0xf8, b[start + 6]);
        assertEquals((byte) 0x3f, b[start + 7]);
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void vectorRoundTrip() throws IOException {
        double[] data = {0, -0.0, 1, -1, Math.PI, 1e-310, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456789.123};
        Npy.Array back = Npy.read(new ByteArrayInputStream(npy(Npy.Array.vector(data))));
        assertArrayEquals(new int[] {10}, back.shape());
        assertBitsEqual(data, back.data());
    }

    @Test
    void matrixRoundTrip() throws IOException {
        int rows = 37;
        int cols = 1100; // more than one 4096-value write buffer
        double[] data = new double[rows * cols];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextGaussian() * 1e-3;
        }
        Npy.Array back = Npy.read(new ByteArrayInputStream(npy(Npy.Array.matrix(rows, cols, data))));
        assertArrayEquals(new int[] {rows, cols}, back.shape());
        assertBitsEqual(data, back.data());
    }

    @Test
    void emptyVectorRoundTrip() throws IOException {
        Npy.Array back = Npy.read(new ByteArrayInputStream(npy(Npy.Array.vector(new double[0]))));
        assertArrayEquals(new int[] {0}, back.shape());
        assertEquals(0, back.data().length);
    }

    @Test
    void readsVersion2Headers() throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
        int total = 6 + 2 + 4 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length()).array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(7.5).putDouble(-1).array());
        Npy.Array a = Npy.read(new ByteArrayInputStream(out.toByteArray()));
        assertArrayEquals(new int[] {2}, a.shape());
        assertArrayEquals(new double[] {7.5, -1}, a.data());
    }

    // ---------------------------------------------------------------- bad .npy input

    private static byte[] withHeader(String dict, int values) throws IOException {
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[values * 8]);
        return out.toByteArray();
    }

    @Test
    void badMagicIsAnError() {
        IOException e = assertThrows(IOException.class,
                () -> Npy.read(new ByteArrayInputStream("PK\u0003\u0004 not numpy".getBytes(StandardCharsets.ISO_8859_1))));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void otherDtypesAreRejected() throws IOException {
        byte[] b = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 1);
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
        assertTrue(e.getMessage().contains("<f4"), e.getMessage());
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        byte[] b = withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", 4);
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void truncatedDataIsAnError() throws IOException {
        byte[] whole = npy(Npy.Array.vector(new double[] {1, 2, 3}));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 4);
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(cut)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void unsupportedVersionIsAnError() throws IOException {
        byte[] b = npy(Npy.Array.vector(new double[] {1}));
        b[6] = 9;
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void arrayShapeMustMatchData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.Array.matrix(2, 3, new double[5]));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
    }

    // ---------------------------------------------------------------- .npz

    @Test
    void npzRoundTripKeepsNamesOrderShapesAndValues() throws IOException {
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        arrays.put("W1", Npy.Array.matrix(4, 3, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        arrays.put("b1", Npy.Array.vector(new double[] {-0.5, 0.25, 1e-8}));
        arrays.put("gamma1", Npy.Array.vector(new double[] {1}));
        arrays.put("alpha", Npy.Array.matrix(1, 2, new double[] {Double.NaN, -3}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeNpz(out, arrays);
        Map<String, Npy.Array> back = Npy.readNpz(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(List.of("W1", "b1", "gamma1", "alpha"), List.copyOf(back.keySet()));
        for (String k : arrays.keySet()) {
            assertArrayEquals(arrays.get(k).shape(), back.get(k).shape(), k);
            assertBitsEqual(arrays.get(k).data(), back.get(k).data());
        }
    }

    @Test
    void npzEntriesAreNamedDotNpy() throws IOException {
        Map<String, Npy.Array> arrays = new LinkedHashMap<>();
        arrays.put("W1", Npy.Array.vector(new double[] {1, 2}));
        arrays.put("b1", Npy.Array.vector(new double[] {3}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeNpz(out, arrays);
        List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                names.add(e.getName());
                Npy.Array a = Npy.read(zip);
                assertEquals(e.getName().equals("W1.npy") ? 2 : 1, a.data().length);
            }
        }
        assertEquals(List.of("W1.npy", "b1.npy"), names);
    }

    @Test
    void npzIgnoresOtherEntries() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("x.npy"));
            Npy.write(zip, Npy.Array.vector(new double[] {4}));
            zip.closeEntry();
        }
        Map<String, Npy.Array> back = Npy.readNpz(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(List.of("x"), List.copyOf(back.keySet()));
        assertEquals(4.0, back.get("x").data()[0]);
    }

    @Test
    void npzWithoutArraysIsAnError() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.closeEntry();
        }
        IOException e = assertThrows(IOException.class, () -> Npy.readNpz(new ByteArrayInputStream(out.toByteArray())));
        assertTrue(e.getMessage().contains("no .npy arrays"), e.getMessage());
        IOException notZip = assertThrows(IOException.class,
                () -> Npy.readNpz(new ByteArrayInputStream("not a zip at all".getBytes(StandardCharsets.UTF_8))));
        assertTrue(notZip.getMessage().contains("no .npy arrays"), notZip.getMessage());
    }

    // ---------------------------------------------------------------- unicode string arrays

    @Test
    void zeroDimensionalTextIsNumpysUnicodeScalar() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, Npy.Text.scalar("CHW"));
        byte[] b = out.toByteArray();
        String h = header(b);
        assertEquals("{'descr': '<U3', 'fortran_order': False, 'shape': (), }", h.strip());
        int start = 10 + h.length();
        assertEquals(0, start % 64);
        // UTF-32LE: 'C' = 43 00 00 00
        assertEquals(start + 3 * 4, b.length);
        assertEquals('C', b[start]);
        assertEquals(0, b[start + 1]);
        assertEquals('H', b[start + 4]);
        assertEquals('W', b[start + 8]);
    }

    @Test
    void textRoundTripPadsToTheLongestAndKeepsAnyCharacter() throws IOException {
        List<String> names = List.of("plane", "", "Ünïcödé", "\uD83D\uDE00 smile", "truck");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, Npy.Text.vector(names));
        byte[] b = out.toByteArray();
        assertTrue(header(b).startsWith("{'descr': '<U7', 'fortran_order': False, 'shape': (5,), }"),
                "7 code points in the longest (the emoji is one): " + header(b));
        Npy.Entry back = Npy.readEntry(new ByteArrayInputStream(b));
        assertEquals(names, ((Npy.Text) back).values());
        assertArrayEquals(new int[] {5}, back.shape());
        IOException e = assertThrows(IOException.class, () -> Npy.read(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
    }

    @Test
    void npzWithTextEntriesReadsBothWays() throws IOException {
        Map<String, Npy.Entry> entries = new LinkedHashMap<>();
        entries.put("W1", Npy.Array.vector(new double[] {1.5}));
        entries.put("layout", Npy.Text.scalar("CHW"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeNpz(out, entries);
        Map<String, Npy.Entry> all = Npy.readNpzEntries(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(List.of("W1", "layout"), List.copyOf(all.keySet()));
        assertEquals("CHW", ((Npy.Text) all.get("layout")).value());
        Map<String, Npy.Array> numbers = Npy.readNpz(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(List.of("W1"), List.copyOf(numbers.keySet()), "the float64 arrays only");
    }

    @Test
    void textShapeMustMatchItsStrings() {
        assertThrows(IllegalArgumentException.class, () -> new Npy.Text(new int[] {2}, List.of("one")));
        assertThrows(IllegalStateException.class, () -> Npy.Text.vector(List.of("a", "b")).value());
    }

    // ---------------------------------------------------------------- AtomicFiles

    private List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void atomicWriteReplacesTheFile() throws IOException {
        Path target = tmp.resolve("out.bin");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.write(target, out -> out.write("second, longer".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second, longer", Files.readString(target));
        AtomicFiles.writeString(target, "3");
        assertEquals("3", Files.readString(target), "no leftover bytes from a longer previous content");
        assertEquals(List.of("out.bin"), listing(tmp));
    }

    @Test
    void atomicWriteCreatesMissingFolders() throws IOException {
        Path target = tmp.resolve("a/b/c/file.txt");
        AtomicFiles.writeString(target, "deep ü");
        assertEquals("deep ü", Files.readString(target, StandardCharsets.UTF_8));
    }

    @Test
    void failedWriteLeavesThePreviousContentAndNoTempFile() throws IOException {
        Path target = tmp.resolve("model.npz");
        AtomicFiles.writeString(target, "previous content");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]); // more than the buffer: some bytes reach the temporary file
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertEquals("previous content", Files.readString(target));
        assertEquals(List.of("model.npz"), listing(tmp), "no temporary file left behind");
    }

    @Test
    void runtimeFailureInTheWriterAlsoLeavesNothingBehind() throws IOException {
        Path target = tmp.resolve("model.json");
        AtomicFiles.writeString(target, "{}");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            out.write('x');
            throw new UncheckedIOException(new IOException("boom"));
        }));
        assertEquals("{}", Files.readString(target));
        assertEquals(List.of("model.json"), listing(tmp));
    }

    @Test
    void failedFirstWriteCreatesNoFile() throws IOException {
        Path target = tmp.resolve("new.npz");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            throw new IOException("nope");
        }));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), listing(tmp));
    }
}
