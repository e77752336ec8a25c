package org.babysitter.engine.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tiny pickle writer for the tests, writing what python does for a CIFAR-10 batch: {@link Style#PY2} as python2's
 * cPickle (protocol 2, bytes keys as SHORT_BINSTRING, data as BINSTRING, GLOBAL, BINPUT) and {@link Style#PY3} as
 * python3's pickle at protocol 4 (str keys as SHORT_BINUNICODE, data as BINBYTES, STACK_GLOBAL, MEMOIZE, one FRAME).
 */
public final class TestPickle {
    public enum Style { PY2, PY3 }

    private final Style style;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int memo;

    TestPickle(Style style) {
        this.style = style;
    }

    TestPickle op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    private TestPickle le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** Memoizes the top of the stack, as python does after nearly every value. */
    TestPickle put() {
        if (style == Style.PY3) {
            return op(0x94);
        }
        return memo < 256 ? op('q', memo++) : op('r').le(memo++, 4);
    }

    /** A name or key: bytes in python2, str in python3. */
    TestPickle text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (style == Style.PY2) {
            op(b.length < 256 ? 'U' : 'T');
        } else {
            op(b.length < 256 ? 0x8c : 'X');
        }
        le(b.length, b.length < 256 ? 1 : 4);
        out.writeBytes(b);
        return put();
    }

    /** Raw bytes: BINSTRING (python2 str) or BINBYTES. */
    TestPickle raw(byte[] b) {
        op(style == Style.PY2 ? 'T' : 'B').le(b.length, 4);
        out.writeBytes(b);
        return put();
    }

    TestPickle integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K', (int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').le(v, 2);
        }
        return op('J').le(v, 4);
    }

    TestPickle global(String module, String name) {
        if (style == Style.PY2) {
            out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            text(module).text(name).op(0x93);
        }
        return put();
    }

    /** A numpy array as numpy pickles it: _reconstruct(ndarray, (0,), b'b') then BUILD (1, shape, dtype, False, data). */
    TestPickle array(int[] shape, String dtype, String order, byte[] data) {
        global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray");
        integer(0).op(0x85).put().raw(new byte[] {'b'}).op(0x87).put().op('R').put();
        op('(').integer(1);
        for (int d : shape) {
            integer(d);
        }
        op(shape.length == 1 ? 0x85 : shape.length == 2 ? 0x86 : 0x87).put();
        global("numpy", "dtype").text(dtype).op(0x89, 0x88, 0x87).put().op('R').put();
        op('(').integer(3).text(order).op('N', 'N', 'N').le(0, 0);
        op('J').le(-1, 4).op('J').le(-1, 4).integer(0).op('t').put().op('b');
        op(0x89).raw(data).op('t').put().op('b');
        return this;
    }

    /** The pickle: protocol header (and for python3 one FRAME around everything), the body, STOP. */
    byte[] bytes() {
        byte[] body = out.toByteArray();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(0x80);
        if (style == Style.PY2) {
            all.write(2);
            all.writeBytes(body);
            all.write('.');
        } else {
            all.write(4);
            all.write(0x95);
            long len = body.length + 1;
            for (int i = 0; i < 8; i++) {
                all.write((int) (len >>> (8 * i)) & 0xFF);
            }
            all.writeBytes(body);
            all.write('.');
        }
        return all.toByteArray();
    }

    // ---------------------------------------------------------------- whole files

    /** A CIFAR batch dict: batch_label, labels (a list, or an int64 array if {@code labelsAsArray}), data, filenames. */
    static byte[] batch(Style style, int[] shape, byte[] pixels, int[] labels, boolean labelsAsArray) {
        TestPickle p = new TestPickle(style);
        p.op('}').put().op('(');
        p.text("batch_label").text("training batch 1 of 5");
        p.text("labels");
        if (labelsAsArray) {
            byte[] b = new byte[labels.length * 8];
            for (int i = 0; i < labels.length; i++) {
                for (int k = 0; k < 8; k++) {
                    b[i * 8 + k] = (byte) ((long) labels[i] >>> (8 * k));
                }
            }
            p.array(new int[] {labels.length}, "i8", "<", b);
        } else {
            p.op(']').put().op('(');
            for (int y : labels) {
                p.integer(y);
            }
            p.op('e');
        }
        p.text("data").array(shape, "u1", "|", pixels);
        p.text("filenames").op(']').put().op('(');
        for (int i = 0; i < labels.length; i++) {
            p.text("image_" + i + ".png");
        }
        p.op('e', 'u');
        return p.bytes();
    }

    /** The batch of the images with these tags (CifarReaderTest's pixelOf and labelOf). */
    public static byte[] batchOfTags(Style style, int first, int count) {
        byte[] pixels = new byte[count * Cifar.PIXELS];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = CifarReaderTest.labelOf(first + i);
            for (int j = 0; j < Cifar.PIXELS; j++) {
                pixels[i * Cifar.PIXELS + j] = (byte) CifarReaderTest.pixelOf(first + i, j);
            }
        }
        return batch(style, new int[] {count, Cifar.PIXELS}, pixels, labels, style == Style.PY3);
    }

    /** batches.meta: {num_cases_per_batch: 10000, label_names: [...], num_vis: 3072}. */
    static byte[] meta(Style style, List<String> names) {
        TestPickle p = new TestPickle(style);
        p.op('}').put().op('(');
        p.text("num_cases_per_batch").integer(10000);
        p.text("label_names").op(']').put().op('(');
        for (String n : names) {
            p.text(n);
        }
        p.op('e');
        p.text("num_vis").integer(3072);
        p.op('u');
        return p.bytes();
    }
}
