package org.babysitter.engine.linalg;

import java.util.Optional;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_backward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;

/**
 * Max pooling's two passes by {@link OneDnn oneDNN} on another oneDNN pass's result, in its layout: each output the
 * largest input of its {@code size x size} window moved by {@code stride} (no padding), and each output's gradient sent
 * to that input (oneDNN keeps which one in a workspace of its own). The output and the input gradient stay in native
 * memory as {@link OneDnnTensor tensors}; dout may come as rows of {@code channels x outHeight x outWidth}.
 */
public final class OneDnnPool extends OneDnnPointwisePass<OneDnnPool.Batch> {
    private final int channels;
    private final int outHeight;
    private final int outWidth;
    private final int size;
    private final int stride;

    private OneDnnPool(dnnl_engine engine, int channels, int outHeight, int outWidth, int size, int stride) {
        super(engine, "max pooling");
        this.channels = channels;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.size = size;
        this.stride = stride;
    }

    /**
     * The passes of pooling {@code channels} channels with {@code size x size} windows moved by {@code stride} into
     * {@code outHeight x outWidth} outputs; empty where oneDNN did not load or is not {@link OneDnn#wanted() wanted}.
     */
    public static Optional<OneDnnPool> create(int channels, int outHeight, int outWidth, int size, int stride) {
        return OneDnn.engineIfWanted().map(e -> new OneDnnPool(e, channels, outHeight, outWidth, size, stride));
    }

    @Override
    Batch make(OneDnnTensor x, int n) {
        return new Batch(natives, this, x, n);
    }

    /** A batch size's primitives and buffers, for inputs in one layout. */
    static final class Batch extends OneDnnPointwise {
        Batch(OneDnnBatches<Batch> natives, OneDnnPool p, OneDnnTensor x, int n) {
            super(natives, x);
            long[] strides = {p.stride, p.stride};
            long[] kernel = {p.size, p.size};
            long[] dilation = {0, 0};
            long[] padding = {0, 0};
            dnnl_memory_desc dstAny = md(dnnl_format_tag_any, n, p.channels, p.outHeight, p.outWidth);
            dnnl_memory_desc dstPlain = md(dnnl_nchw, n, p.channels, p.outHeight, p.outWidth);
            dnnl_primitive_desc forwardPd = describe(pd -> dnnl_pooling_forward_primitive_desc_create(pd, engine,
                    dnnl_forward_training, dnnl_pooling_max, md, dstAny, strides, kernel, dilation, padding, padding, null),
                    "describing max pooling");
            forward = primitive(forwardPd);
            dnnl_memory_desc dstMd = query(forwardPd, dnnl_query_dst_md);
            dnnl_memory workspace = memory(query(forwardPd, dnnl_query_workspace_md));
            out = tensor(dstMd, dstPlain, (long) n * p.channels * p.outHeight * p.outWidth);
            forwardArgs = args(DNNL_ARG_SRC, x.memory, DNNL_ARG_DST, out.memory, DNNL_ARG_WORKSPACE, workspace);
            dnnl_primitive_desc backwardPd = describe(pd -> dnnl_pooling_backward_primitive_desc_create(pd, engine,
                    dnnl_pooling_max, md, dstMd, strides, kernel, dilation, padding, padding, forwardPd, null),
                    "describing max pooling's gradient");
            backward = primitive(backwardPd);
            dx = tensor(query(backwardPd, dnnl_query_diff_src_md), plainMd, count);
            backwardArgs = args(DNNL_ARG_DIFF_DST, doutMemory(query(backwardPd, dnnl_query_diff_dst_md), dstPlain),
                    DNNL_ARG_WORKSPACE, workspace, DNNL_ARG_DIFF_SRC, dx.memory);
        }
    }
}
