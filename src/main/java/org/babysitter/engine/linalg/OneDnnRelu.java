package org.babysitter.engine.linalg;

import java.lang.ref.Cleaner;
import java.util.Optional;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_primitive;
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
 * {@link OneDnnTensor tensors}. Not thread-safe: one per layer cache. The native memory is freed when this object is
 * collected or {@link #close()}d.
 */
public final class OneDnnRelu implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final OneDnnBatches<Batch> natives;
    private final Cleaner.Cleanable cleanable;

    private OneDnnRelu(dnnl_engine engine) {
        this.natives = new OneDnnBatches<>(engine);
        this.cleanable = CLEANER.register(this, natives);
    }

    /** The passes, or empty where oneDNN did not load or is not {@link OneDnn#wanted() wanted}. */
    public static Optional<OneDnnRelu> create() {
        if (!OneDnn.wanted()) {
            return Optional.empty();
        }
        return OneDnn.load().engine().map(OneDnnRelu::new);
    }

    /** {@code max(x, 0)} of {@code n} examples: a tensor valid until the next forward pass with this batch size. */
    public OneDnnTensor forward(OneDnnTensor x, int n) {
        Batch batch = natives.batch(n, b -> OneDnnArena.same(b.md, x.md), () -> new Batch(natives, x));
        batch.forwardArgs.position(0).memory(x.memory); // the input is read where it is
        batch.forwardArgs.position(0);
        batch.execute(batch.forward, batch.forwardArgs, "ReLU");
        batch.waitFor();
        return batch.out;
    }

    /**
     * The input gradient of the last {@link #forward} with this batch size, from dout: rows of {@code dout}, or another
     * oneDNN pass's result {@code dt} (exactly one of the two).
     */
    public OneDnnTensor backward(float[] dout, OneDnnTensor dt, int n) {
        Batch batch = natives.batch(n, b -> true, () -> {
            throw new IllegalStateException("ReLU's backward pass before its forward pass with " + n + " examples");
        });
        dnnl_memory d = batch.dout(dout, dt);
        batch.backwardArgs.position(0).memory(d);
        batch.backwardArgs.position(0);
        batch.execute(batch.backward, batch.backwardArgs, "ReLU's gradient");
        batch.waitFor();
        return batch.dx;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    /** A batch size's primitives and buffers, for inputs in one layout. */
    private static final class Batch extends OneDnnPointwise {
        final dnnl_primitive forward;
        final dnnl_exec_arg_t forwardArgs;
        final dnnl_primitive backward;
        final dnnl_exec_arg_t backwardArgs;
        final OneDnnTensor out;
        final OneDnnTensor dx;

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
            backwardArgs = args(DNNL_ARG_DIFF_DST, doutMemory(md, plainMd), DNNL_ARG_DST, out.memory, DNNL_ARG_DIFF_SRC, dx.memory);
        }
    }
}
