package org.babysitter.engine.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * A reader of the few pickle opcodes a CIFAR-10 python batch uses (protocol 2 as python2's cPickle writes it,
 * protocols 2 to 5 as python3's pickle writes it). It never executes or instantiates anything the file names:
 * the only globals it accepts are the numpy functions that rebuild an array (and {@code _codecs.encode}, with
 * which python3 writes bytes in protocol 2), treated as markers for plain Java values; any other global or opcode
 * ends in a {@link PickleException} saying which one and where.
 *
 * <p>Values: python ints are {@link Long}, bools {@link Boolean}, None {@link #NONE}, str {@link String},
 * bytes (and python2 str) {@link Bytes}, lists {@link ArrayList}, tuples {@link Tuple}, dicts {@link LinkedHashMap},
 * numpy arrays {@link NpArray}.
 */
final class PickleReader {
    /** Python's None (Java collections of the result may hold it; null is never used). */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** Python bytes (or a python2 str): compared by content, so they can be dict keys. */
    record Bytes(byte[] value) {
        Bytes {
            value = value.clone();
        }

        /** The bytes as ISO-8859-1 text (python2 str keys and names are ASCII). */
        String latin1() {
            return new String(value, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "b'" + (value.length > 40 ? latin1().substring(0, 40) + "..." : latin1()) + "'";
        }
    }

    /** A python tuple. */
    record Tuple(List<Object> items) {
        Tuple {
            items = Collections.unmodifiableList(new ArrayList<>(items));
        }
    }

    /**
     * A numpy array as plain data: its shape, dtype (numpy's string: {@code u1}, {@code <i8}...) and raw bytes, in
     * C order unless {@code fortran}.
     */
    record NpArray(int[] shape, String dtype, byte[] data, boolean fortran) {
        NpArray {
            shape = shape.clone();
            long n = itemSize(dtype);
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension " + d);
                }
                n = Math.min(n * d, Integer.MAX_VALUE + 1L); // capped above any array's length: never overflows
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                        + (n > Integer.MAX_VALUE ? "more than 2^31" : Long.toString(n)) + " bytes, the array has " + data.length);
            }
        }

        /** Bytes per element of a numpy dtype string such as {@code u1}, {@code <i8}, {@code |b1}. */
        static int itemSize(String dtype) {
            String code = dtype.replaceFirst("^[<>|=]", "");
            if (code.length() < 2 || !"uib".contains(code.substring(0, 1))) {
                throw new IllegalArgumentException("dtype " + dtype + " is not an integer type");
            }
            int size = Integer.parseInt(code.substring(1));
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                throw new IllegalArgumentException("dtype " + dtype + " is not an integer type");
            }
            return size;
        }

        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** Element {@code i} (in storage order) as a long: integer dtypes of 1, 2, 4 or 8 bytes. */
        long get(int i) {
            int size = itemSize(dtype);
            boolean big = dtype.startsWith(">");
            boolean signed = dtype.replaceFirst("^[<>|=]", "").startsWith("i");
            long v = 0;
            for (int k = 0; k < size; k++) {
                int b = data[i * size + (big ? k : size - 1 - k)] & 0xFF;
                v = (v << 8) | b;
            }
            if (signed && size < 8) {
                v = (v << (64 - 8 * size)) >> (64 - 8 * size);
            }
            return v;
        }

        @Override
        public String toString() {
            return "ndarray" + Arrays.toString(shape) + " of " + dtype;
        }
    }

    /** A pickle this reader refuses or cannot read, with where in the file. */
    static final class PickleException extends Exception {
        PickleException(String message) {
            super(message);
        }
    }

    /** A global the reader accepts, kept on the stack until REDUCE turns it into data. */
    private record Global(String module, String name) {
    }

    /** numpy.dtype('u1', ...) before its BUILD sets the byte order. */
    private record DType(String code, String order) {
        String full() {
            return order == null || order.equals("|") ? code : order + code;
        }
    }

    /** ndarray._reconstruct(...) before its BUILD gives shape, dtype and data. */
    private record ArrayStub() {
    }

    private static final Object MARK = new Object();
    private static final Set<String> RECONSTRUCT = Set.of("numpy.core.multiarray._reconstruct",
            "numpy._core.multiarray._reconstruct");
    private static final Set<String> FROMBUFFER = Set.of("numpy.core.numeric._frombuffer",
            "numpy._core.numeric._frombuffer");
    private static final Set<String> ALLOWED_GLOBALS = Set.of("numpy.core.multiarray._reconstruct",
            "numpy._core.multiarray._reconstruct", "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
            "numpy.ndarray", "numpy.dtype", "_codecs.encode");
    /** Large payloads are read in pieces this big, reporting progress after each. */
    private static final int PIECE = 1 << 20;
    /** No CIFAR pickle nests deeper or memoizes more. */
    private static final int MAX_MEMO = 1 << 20;

    private final InputStream in;
    private final LongConsumer progress;
    private long position;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private PickleReader(InputStream in, LongConsumer progress) {
        this.in = in;
        this.progress = progress;
    }

    /**
     * Reads one pickle from {@code in} (up to its STOP); {@code progress} gets the bytes read so far now and then.
     *
     * @throws PickleException a pickle this reader refuses, or not a pickle
     * @throws EOFException    the stream ends before STOP (truncated)
     */
    static Object read(InputStream in, LongConsumer progress) throws IOException, PickleException {
        return new PickleReader(in, progress).run();
    }

    private Object run() throws IOException, PickleException {
        while (true) {
            long at = position;
            int op = u1();
            if (at == 0 && op != 0x80) {
                throw new PickleException(String.format("not a pickle of protocol 2 or later: it starts with byte 0x%02x,"
                        + " not PROTO (0x80)", op));
            }
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u1();
                    if (proto < 2 || proto > 5) {
                        throw new PickleException("pickle protocol " + proto + " at byte " + at
                                + ": a CIFAR-10 batch is written with protocol 2 to 5");
                    }
                }
                case 0x95 -> le(8); // FRAME: only groups opcodes, its length is not needed when reading a stream
                case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case '(' -> { // MARK
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case 'X' -> push(new String(bytes(le(4), at), StandardCharsets.UTF_8)); // BINUNICODE
                case 0x8c -> push(new String(bytes(u1(), at), StandardCharsets.UTF_8)); // SHORT_BINUNICODE
                case 0x8d -> push(new String(bytes(le(8), at), StandardCharsets.UTF_8)); // BINUNICODE8
                case 'T', 'B' -> push(new Bytes(bytes(le(4), at))); // BINSTRING, BINBYTES
                case 'U', 'C' -> push(new Bytes(bytes(u1(), at))); // SHORT_BINSTRING, SHORT_BINBYTES
                case 0x8e, 0x96 -> push(new Bytes(bytes(le(8), at))); // BINBYTES8, BYTEARRAY8
                case 'J' -> push((long) (int) le(4)); // BININT
                case 'K' -> push((long) u1()); // BININT1
                case 'M' -> push(le(2)); // BININT2
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'N' -> push(NONE);
                case 'a' -> { // APPEND
                    Object v = pop(at);
                    list(peek(at), at).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark(at);
                    list(peek(at), at).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop(at);
                    Object k = pop(at);
                    dict(peek(at), at).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark(at);
                    if (items.size() % 2 != 0) {
                        throw new PickleException("SETITEMS with an odd number of items at byte " + at);
                    }
                    Map<Object, Object> d = dict(peek(at), at);
                    for (int i = 0; i < items.size(); i += 2) {
                        d.put(items.get(i), items.get(i + 1));
                    }
                }
                case 0x85, 0x86, 0x87 -> { // TUPLE1, TUPLE2, TUPLE3
                    int n = op - 0x84;
                    Object[] items = new Object[n];
                    for (int i = n - 1; i >= 0; i--) {
                        items[i] = pop(at);
                    }
                    push(new Tuple(Arrays.asList(items)));
                }
                case 't' -> push(new Tuple(popMark(at))); // TUPLE
                case 'q' -> memoize(u1(), at); // BINPUT
                case 'r' -> memoize(le(4), at); // LONG_BINPUT
                case 0x94 -> memoize(memo.size(), at); // MEMOIZE
                case 'h' -> push(recall(u1(), at)); // BINGET
                case 'j' -> push(recall(le(4), at)); // LONG_BINGET
                case 'c' -> push(global(line(at), line(at), at)); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(at);
                    Object module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new PickleException("STACK_GLOBAL without a module and name at byte " + at);
                    }
                    push(global(m, n, at));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(at);
                    Object callable = pop(at);
                    push(reduce(callable, args, at));
                }
                case 'b' -> { // BUILD
                    Object state = pop(at);
                    Object target = pop(at);
                    Object built = build(target, state, at);
                    push(built);
                    memo.replaceAll((k, v) -> v == target ? built : v); // BUILD mutates in place in python
                }
                case '.' -> { // STOP
                    Object result = pop(at);
                    if (!stack.isEmpty()) {
                        throw new PickleException("STOP at byte " + at + " leaves " + stack.size() + " values on the stack");
                    }
                    if (result instanceof Global || result instanceof DType || result instanceof ArrayStub) {
                        throw new PickleException("the pickle ends on an unfinished numpy object at byte " + at);
                    }
                    return result;
                }
                default -> throw new PickleException("refusing pickle opcode " + opcodeName(op) + " at byte " + at
                        + ": a CIFAR-10 batch does not use it");
            }
        }
    }

    private Object global(String module, String name, long at) throws PickleException {
        String full = module + "." + name;
        if (!ALLOWED_GLOBALS.contains(full)) {
            throw new PickleException("refusing pickle global " + full + " at byte " + at
                    + ": a CIFAR-10 batch does not use it");
        }
        return new Global(module, name);
    }

    /** What a call of one of the accepted globals stands for; nothing is called. */
    private Object reduce(Object callable, Object args, long at) throws PickleException {
        if (!(callable instanceof Global g) || !(args instanceof Tuple t)) {
            throw new PickleException("refusing REDUCE at byte " + at + " of " + describe(callable)
                    + ": a CIFAR-10 batch only rebuilds numpy arrays");
        }
        String full = g.module() + "." + g.name();
        List<Object> a = t.items();
        if (RECONSTRUCT.contains(full)) {
            if (a.size() == 3 && a.get(0) instanceof Global c && c.name().equals("ndarray")) {
                return new ArrayStub();
            }
        } else if (full.equals("numpy.dtype")) {
            if (a.size() >= 1 && text(a.get(0)) != null) {
                return new DType(text(a.get(0)), null);
            }
        } else if (full.equals("_codecs.encode")) {
            if (a.size() == 2 && a.get(0) instanceof String s && "latin1".equals(a.get(1))) {
                byte[] b = new byte[s.length()];
                for (int i = 0; i < s.length(); i++) {
                    char ch = s.charAt(i);
                    if (ch > 0xFF) {
                        throw new PickleException("_codecs.encode of a non-latin1 string at byte " + at);
                    }
                    b[i] = (byte) ch;
                }
                return new Bytes(b);
            }
        } else if (FROMBUFFER.contains(full)) {
            // numpy.core.numeric._frombuffer(buffer, dtype, shape, order), protocol 5
            if (a.size() == 4 && a.get(0) instanceof Bytes data && a.get(1) instanceof DType d
                    && a.get(2) instanceof Tuple shape && text(a.get(3)) != null) {
                return array(shape, d, data, text(a.get(3)).equals("F"), at);
            }
        }
        throw new PickleException("refusing REDUCE of " + full + " with arguments " + describe(args) + " at byte " + at
                + ": not the way numpy pickles an array");
    }

    private Object build(Object target, Object state, long at) throws PickleException {
        if (target instanceof DType d && state instanceof Tuple t && t.items().size() >= 2
                && text(t.items().get(1)) != null) {
            return new DType(d.code(), text(t.items().get(1)));
        }
        if (target instanceof ArrayStub && state instanceof Tuple t && t.items().size() == 5) {
            // (version, shape, dtype, is_fortran, raw data)
            List<Object> s = t.items();
            if (s.get(1) instanceof Tuple shape && s.get(2) instanceof DType d && s.get(4) instanceof Bytes data) {
                return array(shape, d, data, truthy(s.get(3)), at);
            }
            if (s.get(4) instanceof String text) {
                throw new PickleException("numpy array data as text at byte " + at + ": unsupported");
            }
            throw new PickleException("numpy array state " + describe(state) + " at byte " + at
                    + " is not shape, dtype and raw bytes (an array of objects?)");
        }
        throw new PickleException("refusing BUILD of " + describe(target) + " at byte " + at
                + ": a CIFAR-10 batch only builds numpy arrays");
    }

    private static NpArray array(Tuple shape, DType d, Bytes data, boolean fortran, long at) throws PickleException {
        int[] dims = new int[shape.items().size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(shape.items().get(i) instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                throw new PickleException("numpy array shape " + describe(shape) + " at byte " + at + " is not a shape");
            }
            dims[i] = (int) (long) (Long) shape.items().get(i);
        }
        try {
            return new NpArray(dims, d.full(), data.value(), fortran);
        } catch (IllegalArgumentException e) {
            throw new PickleException("numpy array at byte " + at + ": " + e.getMessage());
        }
    }

    /** A str, or python2's str (bytes), as text; null for anything else. */
    private static String text(Object o) {
        return o instanceof String s ? s : o instanceof Bytes b ? b.latin1() : null;
    }

    private static boolean truthy(Object o) {
        return o instanceof Boolean b ? b : o instanceof Long n && n != 0;
    }

    /** A short description of a value for messages (never the whole of a 30 MB array). */
    static String describe(Object o) {
        return describe(o, 0);
    }

    private static String describe(Object o, int depth) {
        if (o instanceof Global g) {
            return g.module() + "." + g.name();
        }
        if (o instanceof Tuple t) {
            if (depth > 3) { // a pickle can nest tuples a million deep; its message need not
                return "(...)";
            }
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < t.items().size() && i < 6; i++) {
                s.append(i > 0 ? ", " : "").append(describe(t.items().get(i), depth + 1));
            }
            return s.append(t.items().size() > 6 ? ", ...)" : ")").toString();
        }
        if (o instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (o instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (o instanceof Map<?, ?> m) {
            return "a dict of " + m.size();
        }
        if (o instanceof DType d) {
            return "dtype " + d.full();
        }
        if (o instanceof ArrayStub) {
            return "an unbuilt ndarray";
        }
        return String.valueOf(o);
    }

    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 'P' -> "PERSID";
            case 'Q' -> "BINPERSID";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 'I' -> "INT";
            case 'L' -> "LONG";
            case 0x8a -> "LONG1";
            case 0x8b -> "LONG4";
            case 'F' -> "FLOAT";
            case 'G' -> "BINFLOAT";
            case 'S' -> "STRING";
            case 'V' -> "UNICODE";
            case 'p' -> "PUT";
            case 'g' -> "GET";
            case 'l' -> "LIST";
            case 'd' -> "DICT";
            case 0x8f -> "EMPTY_SET";
            case 0x90 -> "ADDITEMS";
            case 0x91 -> "FROZENSET";
            case 0x97 -> "NEXT_BUFFER";
            case 0x98 -> "READONLY_BUFFER";
            case '0' -> "POP";
            case '1' -> "POP_MARK";
            case '2' -> "DUP";
            default -> null;
        };
        String hex = String.format("0x%02x", op);
        return name == null ? hex : name + " (" + hex + ")";
    }

    // ---------------------------------------------------------------- stack and memo

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop(long at) throws PickleException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new PickleException("stack underflow at byte " + at + ": not a well-formed pickle");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(long at) throws PickleException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new PickleException("stack underflow at byte " + at + ": not a well-formed pickle");
        }
        return stack.get(stack.size() - 1);
    }

    /** The values above the last MARK, which is removed with them. */
    private List<Object> popMark(long at) throws PickleException {
        if (marks.isEmpty()) {
            throw new PickleException("no MARK before the opcode at byte " + at + ": not a well-formed pickle");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, long at) throws PickleException {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw new PickleException("APPEND to " + describe(o) + " at byte " + at + ": not a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o, long at) throws PickleException {
        if (o instanceof LinkedHashMap<?, ?> d) {
            return (Map<Object, Object>) d;
        }
        throw new PickleException("SETITEM on " + describe(o) + " at byte " + at + ": not a dict");
    }

    private void memoize(long index, long at) throws PickleException {
        if (index < 0 || memo.size() >= MAX_MEMO) {
            throw new PickleException("memo index " + index + " at byte " + at + " is out of range");
        }
        memo.put(index, peek(at));
    }

    private Object recall(long index, long at) throws PickleException {
        Object o = memo.get(index);
        if (o == null) {
            throw new PickleException("memo entry " + index + " at byte " + at + " was never stored");
        }
        return o;
    }

    // ---------------------------------------------------------------- bytes

    private int u1() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the pickle ends at byte " + position + " (truncated)");
        }
        position++;
        return b;
    }

    /** An unsigned little-endian integer of {@code n} bytes (BININT's sign is restored by the caller). */
    private long le(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u1() << (8 * i);
        }
        return v;
    }

    /**
     * {@code length} bytes, read in pieces with progress after each. A file claiming gigabytes gets at most 32 MiB at
     * first (a CIFAR batch's 30,720,000 bytes fit), growing only as the bytes actually come.
     */
    private byte[] bytes(long length, long at) throws IOException, PickleException {
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
            throw new PickleException("a string of " + Long.toUnsignedString(length) + " bytes at byte " + at
                    + " is too long for a CIFAR-10 batch");
        }
        int n = (int) length;
        if (n <= PIECE) {
            byte[] b = in.readNBytes(n);
            position += b.length;
            if (b.length < n) {
                throw new EOFException("the pickle ends at byte " + position + " inside a string of " + n
                        + " bytes (truncated)");
            }
            return b;
        }
        byte[] b = new byte[Math.min(n, 32 * PIECE)];
        int done = 0;
        while (done < n) {
            if (done == b.length) {
                b = Arrays.copyOf(b, (int) Math.min(n, 2L * b.length));
            }
            int got = in.readNBytes(b, done, Math.min(PIECE, b.length - done));
            position += got;
            done += got;
            if (got == 0) {
                throw new EOFException("the pickle ends at byte " + position + " inside a string of " + n
                        + " bytes (truncated)");
            }
            progress.accept(position);
        }
        return b;
    }

    /** A text line of GLOBAL (module or name), at most 256 characters. */
    private String line(long at) throws IOException, PickleException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int b = u1();
            if (b == '\n') {
                return s.toString();
            }
            if (s.length() > 256) {
                throw new PickleException("GLOBAL at byte " + at + " names no module and name: not a well-formed pickle");
            }
            s.append((char) b);
        }
    }
}
