package org.babysitter.engine.linalg;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_create_with_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

/**
 * One convolution's three passes in single precision by {@link OneDnn oneDNN}, over the engine's float arrays: the
 * input and output as rows of examples, each {@code (channel, row, column)} (oneDNN's {@code nchw}), and the filters as
 * the layer keeps them, [C*k*k x F] with rows {@code (c, i, j)}.
 * <p>
 * oneDNN picks its own memory layouts for the fastest kernels (channels in blocks of 16 on AVX-512): each pass copies
 * its operands into native buffers in the plain layouts, reorders them into the kernel's, runs, and reorders and copies
 * the results back. The input in the kernel's layout is kept from forward to the weights' gradient; the filters are
 * laid out and read back in Java, by a map made once (see {@code Batch.weights}). The primitives depend on the batch
 * size: those of the last few sizes are kept.
 * <p>
 * Not thread-safe: one per layer cache (a cache serves one pass at a time). The native memory is freed when this
 * object is collected or {@link #close()}d.
 */
public final class OneDnnConv implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Batch sizes whose primitives are kept (training's, evaluation's chunk and its last one). */
    private static final int KEPT_SIZES = 4;

    private final int channels;
    private final int height;
    private final int width;
    private final int filters;
    private final int kernel;
    private final int stride;
    private final int pad;
    private final int outHeight;
    private final int outWidth;
    private final Natives natives;
    private final Cleaner.Cleanable cleanable;
    /** How many filter entries, C*k*k*F. */
    private final int weightCount;
    private final float[] bias;

    private OneDnnConv(dnnl_engine engine, int channels, int height, int width, int filters, int kernel, int stride, int pad,
                       int outHeight, int outWidth) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.natives = new Natives(engine);
        this.cleanable = CLEANER.register(this, natives);
        this.weightCount = filters * channels * kernel * kernel;
        this.bias = new float[filters];
    }

    /**
     * The passes of a conv of {@code filters} {@code kernel x kernel} filters with {@code stride} and {@code pad} over
     * {@code channels x height x width} inputs, its output {@code outHeight x outWidth}; empty where oneDNN did not
     * load or is not {@link OneDnn#wanted() wanted}.
     */
    public static Optional<OneDnnConv> create(int channels, int height, int width, int filters, int kernel, int stride,
                                              int pad, int outHeight, int outWidth) {
        if (!OneDnn.wanted() || (long) filters * channels * kernel * kernel >= 1 << 24) {
            return Optional.empty(); // (filters that large: their entries' numbers are not exact in float, see weights())
        }
        return OneDnn.load().engine().map(e -> new OneDnnConv(e, channels, height, width, filters, kernel, stride, pad,
                outHeight, outWidth));
    }

    private int inSize() {
        return channels * height * width;
    }

    private int outSize() {
        return filters * outHeight * outWidth;
    }

    /**
     * {@code out = conv(x, w) + b} for the first {@code n} rows of {@code x} (each {@code C*H*W}); {@code w} is the
     * layer's [C*k*k x F] in float, {@code b} the bias (null: none); writes {@code n} rows of {@code out}.
     */
    public void forward(float[] x, int n, float[] w, double[] b, float[] out) {
        Batch batch = natives.batch(this, n);
        batch.forwardWeights.write(w);
        for (int f = 0; f < filters; f++) {
            bias[f] = b == null ? 0f : (float) b[f];
        }
        batch.biasPlain.put(bias, 0, filters);
        batch.xPlain.put(x, 0, n * inSize());
        batch.toSrc.run(natives.stream);
        natives.execute(batch.forward, batch.forwardArgs);
        batch.fromDst.run(natives.stream);
        natives.waitFor();
        batch.yPlain.get(out, 0, n * outSize());
    }

    /**
     * The gradients of the last {@link #forward} with this batch size: {@code dw} [C*k*k x F] and {@code db} (null:
     * no bias) from dout's first {@code n} rows, and {@code dx} (null: not wanted) from dout and the weights {@code w}
     * (those forward used, the layer's [C*k*k x F]).
     */
    public void backward(float[] dout, int n, float[] w, float[] dx, float[] dw, double[] db) {
        Batch batch = natives.batch(this, n);
        batch.dyPlain.put(dout, 0, n * outSize());
        batch.toDiffDstWeights.run(natives.stream);
        batch.toSrcWeights.run(natives.stream);
        natives.execute(batch.backwardWeights, batch.backwardWeightsArgs);
        natives.waitFor();
        batch.diffWeights.read(dw);
        if (db != null) {
            batch.dbPlain.get(bias, 0, filters);
            for (int f = 0; f < filters; f++) {
                db[f] = bias[f];
            }
        }
        if (dx != null) {
            batch.backwardData(this);
            batch.dataWeights.write(w);
            batch.toDiffDstData.run(natives.stream);
            natives.execute(batch.backwardData, batch.backwardDataArgs);
            batch.fromDiffSrc.run(natives.stream);
            natives.waitFor();
            batch.dxPlain.get(dx, 0, n * inSize());
        }
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("oneDNN: " + what + " failed (status " + status + ")");
        }
    }

    /** Filters in a primitive's layout: its memory and buffer, and which entry of the layer's filters each holds. */
    private static final class Weights {
        final dnnl_memory_desc md;
        final dnnl_memory memory;
        private final FloatPointer data;
        private final int[] map;
        private final float[] laid;

        Weights(dnnl_memory_desc md, dnnl_memory memory, FloatPointer data, int[] map, float[] laid) {
            this.md = md;
            this.memory = memory;
            this.data = data;
            this.map = map;
            this.laid = laid;
        }

        /** The same layout with a buffer of its own (another pass's filters or gradient). */
        Weights twin(Batch batch) {
            FloatPointer own = batch.floats(laid.length);
            return new Weights(md, batch.memory(md, own), own, map, new float[laid.length]);
        }

        /** Lays out the layer's filters [C*k*k x F]. */
        void write(float[] w) {
            for (int j = 0; j < map.length; j++) {
                int from = map[j];
                laid[j] = from < 0 ? 0f : w[from];
            }
            data.put(laid, 0, laid.length);
        }

        /** Reads them back into the layer's [C*k*k x F]. */
        void read(float[] w) {
            data.get(laid, 0, laid.length);
            for (int j = 0; j < map.length; j++) {
                int to = map[j];
                if (to >= 0) {
                    w[to] = laid[j];
                }
            }
        }
    }

    /** A reorder between two layouts, or nothing when they are the same. */
    private static final class Reorder {
        static final Reorder NONE = new Reorder(null, null);
        private final dnnl_primitive primitive;
        private final dnnl_exec_arg_t args;

        private Reorder(dnnl_primitive primitive, dnnl_exec_arg_t args) {
            this.primitive = primitive;
            this.args = args;
        }

        void run(dnnl_stream stream) {
            if (primitive != null) {
                check(dnnl_primitive_execute(primitive, stream, 2, args), "reorder");
            }
        }
    }

    /**
     * Everything native: the stream, and per batch size the primitives, descriptors and buffers; what the cleaner frees
     * (it must not reach the {@link OneDnnConv}).
     */
    private static final class Natives implements Runnable {
        private final dnnl_engine engine;
        private final dnnl_stream stream = new dnnl_stream();
        private final Map<Integer, Batch> batches = new LinkedHashMap<>(8, 0.75f, true);

        Natives(dnnl_engine engine) {
            this.engine = engine;
            check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
        }

        Batch batch(OneDnnConv conv, int n) {
            Batch b = batches.get(n);
            if (b == null) {
                if (batches.size() >= KEPT_SIZES) {
                    var eldest = batches.entrySet().iterator();
                    eldest.next().getValue().free();
                    eldest.remove();
                }
                b = new Batch(this, conv, n);
                batches.put(n, b);
            }
            return b;
        }

        void execute(dnnl_primitive p, dnnl_exec_arg_t args) {
            check(dnnl_primitive_execute(p, stream, (int) args.capacity(), args), "a convolution pass");
        }

        void waitFor() {
            check(dnnl_stream_wait(stream), "waiting for the stream");
        }

        @Override
        public void run() {
            for (Batch b : batches.values()) {
                b.free();
            }
            batches.clear();
            dnnl_stream_destroy(stream);
        }
    }

    /** A batch size's primitives and buffers. */
    private static final class Batch {
        private final Natives natives;
        private final int n;
        /** What frees each native object made, in order of making. */
        private final List<Runnable> frees = new ArrayList<>();
        final FloatPointer xPlain;
        final FloatPointer yPlain;
        final FloatPointer biasPlain;
        final FloatPointer dyPlain;
        final FloatPointer dbPlain;
        FloatPointer dxPlain;
        final dnnl_memory_desc srcPlainMd;
        final dnnl_memory_desc dstPlainMd;
        final dnnl_memory_desc weightsPlainMd;
        final dnnl_memory_desc biasMd;
        final dnnl_primitive_desc forwardPd;
        final dnnl_primitive forward;
        final dnnl_exec_arg_t forwardArgs;
        final Reorder toSrc;
        /** The filters in the forward pass's layout, the weights' gradient in its pass's, the input gradient's filters. */
        final Weights forwardWeights;
        final Weights diffWeights;
        Weights dataWeights;
        final Reorder fromDst;
        final dnnl_primitive backwardWeights;
        final dnnl_exec_arg_t backwardWeightsArgs;
        final Reorder toDiffDstWeights;
        /** dout in the weights pass's layout; the input-gradient pass reads it too when it wants the same layout. */
        final dnnl_memory_desc wDiffDstMd;
        final dnnl_memory wDiffDst;
        final Reorder toSrcWeights;
        final dnnl_memory xPlainMem;
        final dnnl_memory dyPlainMem;
        /** Made on the first backward pass that wants dx. */
        dnnl_primitive backwardData;
        dnnl_exec_arg_t backwardDataArgs;
        Reorder toDiffDstData;
        Reorder fromDiffSrc;

        Batch(Natives natives, OneDnnConv c, int n) {
            this.natives = natives;
            this.n = n;
            long[] strides = {c.stride, c.stride};
            long[] dilates = {0, 0};
            long[] padding = {c.pad, c.pad};
            srcPlainMd = md(dnnl_nchw, n, c.channels, c.height, c.width);
            dstPlainMd = md(dnnl_nchw, n, c.filters, c.outHeight, c.outWidth);
            weightsPlainMd = md(dnnl_oihw, c.filters, c.channels, c.kernel, c.kernel);
            biasMd = md(dnnl_x, c.filters);
            dnnl_memory_desc srcAny = md(dnnl_format_tag_any, n, c.channels, c.height, c.width);
            dnnl_memory_desc dstAny = md(dnnl_format_tag_any, n, c.filters, c.outHeight, c.outWidth);
            dnnl_memory_desc weightsAny = md(dnnl_format_tag_any, c.filters, c.channels, c.kernel, c.kernel);
            forwardPd = new dnnl_primitive_desc();
            check(dnnl_convolution_forward_primitive_desc_create(forwardPd, natives.engine, dnnl_forward_training,
                    dnnl_convolution_direct, srcAny, weightsAny, biasMd, dstAny, strides, dilates, padding, padding, null),
                    "describing the forward pass");
            frees.add(() -> dnnl_primitive_desc_destroy(forwardPd));
            forward = primitive(forwardPd);
            xPlain = floats((long) n * c.inSize());
            yPlain = floats((long) n * c.outSize());
            biasPlain = floats(c.filters);
            xPlainMem = memory(srcPlainMd, xPlain);
            dnnl_memory biasMem = memory(biasMd, biasPlain);
            dnnl_memory yPlainMem = memory(dstPlainMd, yPlain);
            dnnl_memory_desc srcMd = query(forwardPd, dnnl_query_src_md);
            dnnl_memory_desc weightsMd = query(forwardPd, dnnl_query_weights_md);
            dnnl_memory_desc dstMd = query(forwardPd, dnnl_query_dst_md);
            dnnl_memory src = like(srcMd, srcPlainMd, xPlainMem);
            forwardWeights = weights(c, weightsMd);
            dnnl_memory weights = forwardWeights.memory;
            dnnl_memory dst = like(dstMd, dstPlainMd, yPlainMem);
            toSrc = reorder(srcPlainMd, xPlainMem, srcMd, src);
            fromDst = reorder(dstMd, dst, dstPlainMd, yPlainMem);
            forwardArgs = args(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_BIAS, biasMem, DNNL_ARG_DST, dst);

            dnnl_primitive_desc weightsPd = new dnnl_primitive_desc();
            check(dnnl_convolution_backward_weights_primitive_desc_create(weightsPd, natives.engine, dnnl_convolution_direct,
                    srcAny, weightsAny, biasMd, dstAny, strides, dilates, padding, padding, forwardPd, null),
                    "describing the weights' gradient");
            frees.add(() -> dnnl_primitive_desc_destroy(weightsPd));
            backwardWeights = primitive(weightsPd);
            dyPlain = floats((long) n * c.outSize());
            dbPlain = floats(c.filters);
            dyPlainMem = memory(dstPlainMd, dyPlain);
            dnnl_memory dbMem = memory(biasMd, dbPlain);
            dnnl_memory_desc wSrcMd = query(weightsPd, dnnl_query_src_md);
            wDiffDstMd = query(weightsPd, dnnl_query_diff_dst_md);
            dnnl_memory_desc wDiffWeightsMd = query(weightsPd, dnnl_query_diff_weights_md);
            // the input as forward reordered it, when this pass reads the same layout
            boolean sameSrc = dnnl_memory_desc_equal(wSrcMd, srcMd) != 0;
            dnnl_memory wSrc = sameSrc ? src : like(wSrcMd, srcPlainMd, xPlainMem);
            toSrcWeights = sameSrc ? Reorder.NONE : reorder(srcPlainMd, xPlainMem, wSrcMd, wSrc);
            wDiffDst = like(wDiffDstMd, dstPlainMd, dyPlainMem);
            toDiffDstWeights = reorder(dstPlainMd, dyPlainMem, wDiffDstMd, wDiffDst);
            diffWeights = dnnl_memory_desc_equal(wDiffWeightsMd, weightsMd) != 0 ? forwardWeights.twin(this)
                    : weights(c, wDiffWeightsMd);
            dnnl_memory wDiffWeights = diffWeights.memory;
            backwardWeightsArgs = args(DNNL_ARG_SRC, wSrc, DNNL_ARG_DIFF_DST, wDiffDst, DNNL_ARG_DIFF_WEIGHTS, wDiffWeights,
                    DNNL_ARG_DIFF_BIAS, dbMem);
        }

        /** The input gradient's primitive and buffers, made once. */
        void backwardData(OneDnnConv c) {
            if (backwardData != null) {
                return;
            }
            long[] strides = {c.stride, c.stride};
            long[] dilates = {0, 0};
            long[] padding = {c.pad, c.pad};
            dnnl_memory_desc srcAny = md(dnnl_format_tag_any, n, c.channels, c.height, c.width);
            dnnl_memory_desc dstAny = md(dnnl_format_tag_any, n, c.filters, c.outHeight, c.outWidth);
            dnnl_memory_desc weightsAny = md(dnnl_format_tag_any, c.filters, c.channels, c.kernel, c.kernel);
            dnnl_primitive_desc dataPd = new dnnl_primitive_desc();
            check(dnnl_convolution_backward_data_primitive_desc_create(dataPd, natives.engine, dnnl_convolution_direct,
                    srcAny, weightsAny, dstAny, strides, dilates, padding, padding, forwardPd, null),
                    "describing the input gradient");
            frees.add(() -> dnnl_primitive_desc_destroy(dataPd));
            dnnl_primitive p = primitive(dataPd);
            dxPlain = floats((long) n * c.inSize());
            dnnl_memory dxPlainMem = memory(srcPlainMd, dxPlain);
            dnnl_memory_desc diffDstMd = query(dataPd, dnnl_query_diff_dst_md);
            dnnl_memory_desc weightsMd = query(dataPd, dnnl_query_weights_md);
            dnnl_memory_desc diffSrcMd = query(dataPd, dnnl_query_diff_src_md);
            boolean sameDiffDst = dnnl_memory_desc_equal(diffDstMd, wDiffDstMd) != 0;
            dnnl_memory diffDst = sameDiffDst ? wDiffDst : like(diffDstMd, dstPlainMd, dyPlainMem);
            dataWeights = dnnl_memory_desc_equal(weightsMd, forwardWeights.md) != 0 ? forwardWeights.twin(this)
                    : weights(c, weightsMd);
            dnnl_memory weights = dataWeights.memory;
            dnnl_memory diffSrc = like(diffSrcMd, srcPlainMd, dxPlainMem);
            toDiffDstData = sameDiffDst ? Reorder.NONE : reorder(dstPlainMd, dyPlainMem, diffDstMd, diffDst);
            fromDiffSrc = reorder(diffSrcMd, diffSrc, srcPlainMd, dxPlainMem);
            backwardDataArgs = args(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, weights, DNNL_ARG_DIFF_SRC, diffSrc);
            backwardData = p;
        }

        /**
         * Filters (or their gradient) in the layout {@code md} a primitive chose: a buffer of their own, and for each of
         * its entries the entry of the layer's [C*k*k x F] it holds (-1: padding, 0). The map is made once by oneDNN
         * itself, reordering the entries' own numbers from oihw; after that the engine writes and reads the layout with
         * it in Java: a weights reorder is too small to be worth waking oneDNN's threads for, three times a layer a step.
         */
        private Weights weights(OneDnnConv c, dnnl_memory_desc md) {
            int count = (int) (dnnl_memory_desc_get_size(md) / Float.BYTES);
            FloatPointer data = floats(count);
            dnnl_memory memory = memory(md, data);
            int k = c.channels * c.kernel * c.kernel;
            float[] numbers = new float[c.weightCount];
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] = i + 1; // exact in float: create() refuses filters of 2^24 entries or more
            }
            FloatPointer plain = floats(numbers.length);
            plain.put(numbers, 0, numbers.length);
            dnnl_memory plainMem = memory(weightsPlainMd, plain);
            float[] laid = new float[count];
            if (dnnl_memory_desc_equal(md, weightsPlainMd) != 0) {
                System.arraycopy(numbers, 0, laid, 0, numbers.length);
            } else {
                reorder(weightsPlainMd, plainMem, md, memory).run(natives.stream);
                natives.waitFor();
                data.get(laid, 0, count);
            }
            int[] map = new int[count];
            for (int j = 0; j < count; j++) {
                int oihw = (int) laid[j] - 1;
                map[j] = oihw < 0 ? -1 : (oihw % k) * c.filters + oihw / k;
            }
            return new Weights(md, memory, data, map, new float[count]);
        }

        /** A layout a primitive chose (owned by its descriptor: not freed here). */
        private static dnnl_memory_desc query(dnnl_primitive_desc pd, int what) {
            return dnnl_primitive_desc_query_md(pd, what, 0);
        }

        private dnnl_memory_desc md(int tag, long... dims) {
            dnnl_memory_desc m = new dnnl_memory_desc();
            check(dnnl_memory_desc_create_with_tag(m, dims.length, dims, dnnl_f32, tag), "describing a tensor");
            frees.add(() -> dnnl_memory_desc_destroy(m));
            return m;
        }

        private dnnl_primitive primitive(dnnl_primitive_desc pd) {
            dnnl_primitive p = new dnnl_primitive();
            check(dnnl_primitive_create(p, pd), "making a primitive");
            frees.add(() -> dnnl_primitive_destroy(p));
            return p;
        }

        private FloatPointer floats(long count) {
            FloatPointer p = new FloatPointer(Math.max(1, count));
            p.zero();
            frees.add(p::close);
            return p;
        }

        private dnnl_memory memory(dnnl_memory_desc md, Pointer data) {
            dnnl_memory m = new dnnl_memory();
            check(dnnl_memory_create(m, md, natives.engine, data), "wrapping a buffer");
            frees.add(() -> dnnl_memory_destroy(m));
            return m;
        }

        /** A memory in layout {@code md}: the plain one itself when the layouts are equal, else a buffer of its own. */
        private dnnl_memory like(dnnl_memory_desc md, dnnl_memory_desc plainMd, dnnl_memory plain) {
            if (dnnl_memory_desc_equal(md, plainMd) != 0) {
                return plain;
            }
            return memory(md, floats(dnnl_memory_desc_get_size(md) / Float.BYTES));
        }

        /** A reorder from {@code a} (layout {@code aMd}) to {@code b}, or none when the layouts are equal. */
        private Reorder reorder(dnnl_memory_desc aMd, dnnl_memory a, dnnl_memory_desc bMd, dnnl_memory b) {
            if (dnnl_memory_desc_equal(aMd, bMd) != 0) {
                return Reorder.NONE;
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(pd, aMd, natives.engine, bMd, natives.engine, null), "describing a reorder");
            frees.add(() -> dnnl_primitive_desc_destroy(pd));
            return new Reorder(primitive(pd), args(DNNL_ARG_FROM, a, DNNL_ARG_TO, b));
        }

        /** A pass's arguments: pairs of (argument kind, memory). */
        private dnnl_exec_arg_t args(Object... pairs) {
            dnnl_exec_arg_t a = new dnnl_exec_arg_t(pairs.length / 2);
            frees.add(a::close);
            for (int i = 0; i < pairs.length / 2; i++) {
                a.position(i).arg((Integer) pairs[2 * i]).memory((dnnl_memory) pairs[2 * i + 1]);
            }
            return a.position(0);
        }

        /** Frees the primitives, descriptors, memories and buffers, the last made first. */
        void free() {
            for (int i = frees.size() - 1; i >= 0; i--) {
                frees.get(i).run();
            }
            frees.clear();
        }
    }
}
