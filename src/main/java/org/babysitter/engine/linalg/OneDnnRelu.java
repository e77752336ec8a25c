package org.babysitter.engine.linalg;

import java.util.Optional;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_primitive_desc;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;

/**
 * ReLU's two passes by {@link OneDnn oneDNN} on another oneDNN pass's result, in its layout: {@code y = max(x, 0)}, and
 * {@code dx = dout where y > 0, else 0}. The output and the input gradient stay in native memory as
 * {@link OneDnnTensor tensors}.
 */
public final class OneDnnRelu extends OneDnnPointwisePass<OneDnnRelu.Batch> {
    private OneDnnRelu(dnnl_engine engine) {
        super(engine, "ReLU");
    }

    /** The passes, or empty where oneDNN did not load or is not {@link OneDnn#wanted() wanted}. */
    public static Optional<OneDnnRelu> create() {
        return OneDnn.engineIfWanted().map(OneDnnRelu::new);
    }

    @Override
    Batch make(OneDnnTensor x, int n) {
        return new Batch(natives, x);
    }

    /** A batch size's primitives and buffers, for inputs in one layout. */
    static final class Batch extends OneDnnPointwise {
        Batch(OneDnnBatches<Batch> natives, OneDnnTensor x) {
            super(natives, x);
            dnnl_primitive_desc forwardPd = describe(pd -> dnnl_eltwise_forward_primitive_desc_create(pd, engine,
                    dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, md, md, 0f, 0f, null), "describing ReLU");
            forward = primitive(forwardPd);
            out = tensor(md, plainMd, count);
            forwardArgs = args(DNNL_ARG_SRC, x.memory, DNNL_ARG_DST, out.memory);
            dnnl_primitive_desc backwardPd = describe(pd -> dnnl_eltwise_backward_primitive_desc_create(pd, engine,
                    dnnl_eltwise_relu_use_dst_for_bwd, md, md, md, 0f, 0f, forwardPd, null), "describing ReLU's gradient");
            backward = primitive(backwardPd);
            dx = tensor(md, plainMd, count);
            backwardArgs = args(DNNL_ARG_DIFF_DST, doutMemory(md, plainMd), DNNL_ARG_DST, out.memory, DNNL_ARG_DIFF_SRC,
                    dx.memory);
        }
    }
}
