package org.babysitter.engine.linalg;

import java.lang.ref.Cleaner;
import java.util.Optional;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

/**
 * One convolution's three passes in single precision by {@link OneDnn oneDNN}. The input and dout come as rows of
 * examples, each {@code (channel, row, column)} (oneDNN's {@code nchw}), or as {@link OneDnnTensor tensors} another
 * oneDNN pass left in native memory (pooling's output, ReLU's input gradient); the filters as the layer keeps them,
 * [C*k*k x F] with rows {@code (c, i, j)}.
 * <p>
 * oneDNN picks its own memory layouts for the fastest kernels (channels in blocks of 16 on AVX-512): rows are copied into
 * native buffers and reordered into the kernel's layout, a tensor is reordered from its own; the output and the input
 * gradient stay in the kernel's layout as tensors, for the next oneDNN pass to read as they are (anything else copies
 * them out as rows on demand). The input in the kernel's layout is kept from forward to the weights' gradient; the
 * filters are laid out and read back in Java, by a map made once (see {@code Batch.weights}). The primitives depend on
 * the batch size: those of the last few sizes are kept.
 * <p>
 * Not thread-safe: one per layer cache (a cache serves one pass at a time). The native memory is freed when this
 * object is collected or {@link #close()}d.
 */
public final class OneDnnConv implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final int channels;
    private final int height;
    private final int width;
    private final int filters;
    private final int kernel;
    private final int stride;
    private final int pad;
    private final int outHeight;
    private final int outWidth;
    private final OneDnnBatches<Batch> natives;
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
        this.natives = new OneDnnBatches<>(engine);
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
        if ((long) filters * channels * kernel * kernel >= 1 << 24) {
            return Optional.empty(); // (filters that large: their entries' numbers are not exact in float, see weights())
        }
        return OneDnn.engineIfWanted().map(e -> new OneDnnConv(e, channels, height, width, filters, kernel, stride, pad,
                outHeight, outWidth));
    }

    private int inSize() {
        return channels * height * width;
    }

    private int outSize() {
        return filters * outHeight * outWidth;
    }

    /**
     * {@code out = conv(x, w) + b} for {@code n} examples: the input either as rows of {@code x} (each {@code C*H*W}) or
     * as {@code xt}, another oneDNN pass's result (exactly one of the two); {@code w} is the layer's [C*k*k x F] in float,
     * {@code b} the bias (null: none). The output stays in native memory, in the kernel's layout: a tensor valid until
     * the next forward pass with this batch size.
     */
    public OneDnnTensor forward(float[] x, OneDnnTensor xt, int n, float[] w, double[] b) {
        Batch batch = natives.batch(n, any -> true, () -> new Batch(natives, this, n));
        batch.forwardWeights.write(w);
        for (int f = 0; f < filters; f++) {
            bias[f] = b == null ? 0f : (float) b[f];
        }
        batch.biasPlain.put(bias, 0, filters);
        if (xt != null) {
            batch.takeIn(xt, batch.srcMd, batch.src);
        } else {
            batch.xPlain.put(x, 0, n * inSize());
            batch.toSrc.run(batch.stream);
        }
        batch.execute(batch.forward, batch.forwardArgs, "a convolution's forward pass");
        batch.waitFor();
        return batch.out;
    }

    /**
     * The gradients of the last {@link #forward} with this batch size: {@code dw} [C*k*k x F] and {@code db} (null:
     * no bias) from dout, given as rows of {@code dout} or as another oneDNN pass's result {@code dt}; and, if
     * {@code wantDx}, the input gradient from dout and the weights {@code w} (those forward used, the layer's [C*k*k x F]),
     * returned as a tensor in native memory (else null).
     */
    public OneDnnTensor backward(float[] dout, OneDnnTensor dt, int n, float[] w, boolean wantDx, float[] dw, double[] db) {
        Batch batch = natives.batch(n, any -> true, () -> new Batch(natives, this, n));
        if (dt != null) {
            batch.takeIn(dt, batch.wDiffDstMd, batch.wDiffDst);
        } else {
            batch.dyPlain.put(dout, 0, n * outSize());
            batch.toDiffDstWeights.run(batch.stream);
        }
        batch.toSrcWeights.run(batch.stream);
        batch.execute(batch.backwardWeights, batch.backwardWeightsArgs, "a convolution's weight gradient");
        batch.waitFor();
        batch.diffWeights.read(dw);
        if (db != null) {
            batch.dbPlain.get(bias, 0, filters);
            for (int f = 0; f < filters; f++) {
                db[f] = bias[f];
            }
        }
        if (!wantDx) {
            return null;
        }
        batch.backwardData(this);
        batch.dataWeights.write(w);
        if (batch.diffDst != batch.wDiffDst) { // the input gradient's kernel reads dout in a layout of its own
            if (dt != null) {
                batch.takeIn(dt, batch.diffDstMd, batch.diffDst);
            } else {
                batch.toDiffDstData.run(batch.stream);
            }
        }
        batch.execute(batch.backwardData, batch.backwardDataArgs, "a convolution's input gradient");
        batch.waitFor();
        return batch.dx;
    }

    @Override
    public void close() {
        cleanable.clean();
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
        Weights twin(OneDnnArena batch) {
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

    /** A batch size's primitives and buffers. */
    private static final class Batch extends OneDnnArena {
        private final int n;
        final FloatPointer xPlain;
        final FloatPointer biasPlain;
        final FloatPointer dyPlain;
        final FloatPointer dbPlain;
        final dnnl_memory_desc srcPlainMd;
        final dnnl_memory_desc dstPlainMd;
        final dnnl_memory_desc weightsPlainMd;
        final dnnl_memory_desc biasMd;
        final dnnl_primitive_desc forwardPd;
        final dnnl_primitive forward;
        final dnnl_exec_arg_t forwardArgs;
        /** The input in the forward kernel's layout, and the reorder into it from rows in the plain layout. */
        final dnnl_memory_desc srcMd;
        final dnnl_memory src;
        final Reorder toSrc;
        /** The output, left in the kernel's layout. */
        final OneDnnTensor out;
        /** The filters in the forward pass's layout, the weights' gradient in its pass's, the input gradient's filters. */
        final Weights forwardWeights;
        final Weights diffWeights;
        Weights dataWeights;
        final dnnl_primitive backwardWeights;
        final dnnl_exec_arg_t backwardWeightsArgs;
        final Reorder toDiffDstWeights;
        /** dout in the weights pass's layout; the input-gradient pass reads it too when it wants the same layout. */
        final dnnl_memory_desc wDiffDstMd;
        final dnnl_memory wDiffDst;
        /** The forward pass's input, in the weights pass's layout if it wants another. */
        final Reorder toSrcWeights;
        final dnnl_memory dyPlainMem;
        /** Made on the first backward pass that wants dx: its primitive, its dout and the input gradient. */
        dnnl_primitive backwardData;
        dnnl_exec_arg_t backwardDataArgs;
        dnnl_memory_desc diffDstMd;
        dnnl_memory diffDst;
        Reorder toDiffDstData;
        OneDnnTensor dx;

        Batch(OneDnnBatches<Batch> natives, OneDnnConv c, int n) {
            super(natives.engine, natives.stream);
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
            forwardPd = describe(pd -> dnnl_convolution_forward_primitive_desc_create(pd, engine, dnnl_forward_training,
                    dnnl_convolution_direct, srcAny, weightsAny, biasMd, dstAny, strides, dilates, padding, padding, null),
                    "describing the forward pass");
            forward = primitive(forwardPd);
            xPlain = floats((long) n * c.inSize());
            biasPlain = floats(c.filters);
            dnnl_memory xPlainMem = memory(srcPlainMd, xPlain);
            dnnl_memory biasMem = memory(biasMd, biasPlain);
            srcMd = query(forwardPd, dnnl_query_src_md);
            dnnl_memory_desc weightsMd = query(forwardPd, dnnl_query_weights_md);
            dnnl_memory_desc dstMd = query(forwardPd, dnnl_query_dst_md);
            src = like(srcMd, srcPlainMd, xPlainMem);
            forwardWeights = weights(c, weightsMd);
            out = tensor(dstMd, dstPlainMd, (long) n * c.outSize());
            toSrc = reorder(srcPlainMd, xPlainMem, srcMd, src);
            forwardArgs = args(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, forwardWeights.memory, DNNL_ARG_BIAS, biasMem,
                    DNNL_ARG_DST, out.memory);

            dnnl_primitive_desc weightsPd = describe(pd -> dnnl_convolution_backward_weights_primitive_desc_create(pd, engine,
                    dnnl_convolution_direct, srcAny, weightsAny, biasMd, dstAny, strides, dilates, padding, padding, forwardPd,
                    null), "describing the weights' gradient");
            backwardWeights = primitive(weightsPd);
            dyPlain = floats((long) n * c.outSize());
            dbPlain = floats(c.filters);
            dyPlainMem = memory(dstPlainMd, dyPlain);
            dnnl_memory dbMem = memory(biasMd, dbPlain);
            dnnl_memory_desc wSrcMd = query(weightsPd, dnnl_query_src_md);
            wDiffDstMd = query(weightsPd, dnnl_query_diff_dst_md);
            dnnl_memory_desc wDiffWeightsMd = query(weightsPd, dnnl_query_diff_weights_md);
            // the input as forward read it, reordered only when this pass wants another layout
            dnnl_memory wSrc = same(wSrcMd, srcMd) ? src : memory(wSrcMd);
            toSrcWeights = reorder(srcMd, src, wSrcMd, wSrc);
            wDiffDst = like(wDiffDstMd, dstPlainMd, dyPlainMem);
            toDiffDstWeights = reorder(dstPlainMd, dyPlainMem, wDiffDstMd, wDiffDst);
            diffWeights = same(wDiffWeightsMd, weightsMd) ? forwardWeights.twin(this) : weights(c, wDiffWeightsMd);
            backwardWeightsArgs = args(DNNL_ARG_SRC, wSrc, DNNL_ARG_DIFF_DST, wDiffDst, DNNL_ARG_DIFF_WEIGHTS,
                    diffWeights.memory, DNNL_ARG_DIFF_BIAS, dbMem);
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
            dnnl_primitive_desc dataPd = describe(pd -> dnnl_convolution_backward_data_primitive_desc_create(pd, engine,
                    dnnl_convolution_direct, srcAny, weightsAny, dstAny, strides, dilates, padding, padding, forwardPd, null),
                    "describing the input gradient");
            dnnl_primitive p = primitive(dataPd);
            diffDstMd = query(dataPd, dnnl_query_diff_dst_md);
            dnnl_memory_desc weightsMd = query(dataPd, dnnl_query_weights_md);
            dnnl_memory_desc diffSrcMd = query(dataPd, dnnl_query_diff_src_md);
            boolean sameDiffDst = same(diffDstMd, wDiffDstMd);
            diffDst = sameDiffDst ? wDiffDst : like(diffDstMd, dstPlainMd, dyPlainMem);
            dataWeights = same(weightsMd, forwardWeights.md) ? forwardWeights.twin(this) : weights(c, weightsMd);
            dx = tensor(diffSrcMd, srcPlainMd, (long) n * c.inSize());
            toDiffDstData = sameDiffDst ? Reorder.NONE : reorder(dstPlainMd, dyPlainMem, diffDstMd, diffDst);
            backwardDataArgs = args(DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, dataWeights.memory, DNNL_ARG_DIFF_SRC,
                    dx.memory);
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
                reorder(weightsPlainMd, plainMem, md, memory).run(stream);
                waitFor();
                data.get(laid, 0, count);
            }
            int[] map = new int[count];
            for (int j = 0; j < count; j++) {
                int oihw = (int) laid[j] - 1;
                map[j] = oihw < 0 ? -1 : (oihw % k) * c.filters + oihw / k;
            }
            return new Weights(md, memory, data, map, new float[count]);
        }
    }
}
