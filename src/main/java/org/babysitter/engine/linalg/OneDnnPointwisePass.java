package org.babysitter.engine.linalg;

import java.lang.ref.Cleaner;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;

/**
 * The two passes of a layer that oneDNN runs on another oneDNN pass's result in its layout ({@link OneDnnRelu},
 * {@link OneDnnPool}): forward reads the input where it is, backward takes dout as it comes, and both leave their
 * result in native memory as a {@link OneDnnTensor}. A kind of pass says how to make a batch size's primitives
 * ({@link #make}). Not thread-safe: one per layer cache. The native memory is freed when this object is collected or
 * {@link #close()}d.
 */
abstract class OneDnnPointwisePass<B extends OneDnnPointwise> implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    final OneDnnBatches<B> natives;
    private final Cleaner.Cleanable cleanable;
    private final String name;

    OneDnnPointwisePass(dnnl_engine engine, String name) {
        this.natives = new OneDnnBatches<>(engine);
        this.cleanable = CLEANER.register(this, natives);
        this.name = name;
    }

    /** A batch size's primitives and buffers for inputs like {@code x}, {@code n} examples. */
    abstract B make(OneDnnTensor x, int n);

    /** The forward pass of {@code n} examples: a tensor valid until the next forward pass with this batch size. */
    public final OneDnnTensor forward(OneDnnTensor x, int n) {
        B batch = natives.batch(n, b -> OneDnnArena.same(b.md, x.md), () -> make(x, n));
        batch.forwardArgs.position(0).memory(x.memory); // the input is read where it is
        batch.forwardArgs.position(0);
        batch.execute(batch.forward, batch.forwardArgs, name);
        batch.waitFor();
        return batch.out;
    }

    /**
     * The input gradient of the last {@link #forward} with this batch size, from dout: rows of {@code dout} (in the
     * plain layout), or another oneDNN pass's result {@code dt} (exactly one of the two).
     */
    public final OneDnnTensor backward(float[] dout, OneDnnTensor dt, int n) {
        B batch = natives.batch(n, b -> true, () -> {
            throw new IllegalStateException(name + "'s backward pass before its forward pass with " + n + " examples");
        });
        dnnl_memory d = batch.dout(dout, dt);
        batch.backwardArgs.position(0).memory(d);
        batch.backwardArgs.position(0);
        batch.execute(batch.backward, batch.backwardArgs, name + "'s gradient");
        batch.waitFor();
        return batch.dx;
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
