package org.babysitter.engine.linalg;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.ejml.data.DMatrixRMaj;

/**
 * A backend chosen on a background thread: the first start of the app extracts the bundled OpenBLAS (seconds), and a
 * window must not wait for that. Products, names and descriptions wait for the choice (they are asked by training
 * threads, which start after it in practice); {@link #ready()} and {@link #choice()} never wait, for a window that
 * shows "preparing" meanwhile.
 */
public final class DeferredGemm implements Gemm {
    private final CompletableFuture<Gemms.Choice> choice;

    /** The choice {@code choose} makes, on a daemon thread of its own, started now. */
    public DeferredGemm(Supplier<Gemms.Choice> choose) {
        this.choice = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                choice.complete(choose.get());
            } catch (RuntimeException | Error e) {
                choice.completeExceptionally(e);
            }
        }, "gemm-choice");
        t.setDaemon(true);
        t.start();
    }

    /** The choice once made (completes on the choosing thread); never waits. */
    public CompletableFuture<Gemms.Choice> choice() {
        return choice;
    }

    /** The choice if it has been made, else empty; never waits. */
    public Optional<Gemms.Choice> ready() {
        return choice.isDone() && !choice.isCompletedExceptionally() ? Optional.of(choice.join()) : Optional.empty();
    }

    /** The chosen backend, waiting for the choice. */
    public Gemm chosen() {
        try {
            return choice.join().gemm();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
        chosen().gemm(transA, transB, alpha, a, b, beta, c);
    }

    @Override
    public String name() {
        return chosen().name();
    }

    @Override
    public String describe() {
        return chosen().describe();
    }

    @Override
    public boolean exact() {
        return chosen().exact();
    }

    @Override
    public boolean readsFloatCopies() {
        return chosen().readsFloatCopies();
    }

    @Override
    public int threads() {
        return chosen().threads();
    }
}
