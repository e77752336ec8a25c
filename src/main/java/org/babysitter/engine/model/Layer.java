package org.babysitter.engine.model;

import java.util.List;

import org.ejml.data.DMatrixRMaj;

/**
 * A layer of the net, forward and backward side by side (cs231n style). Rows are examples.
 * <ul>
 * <li>{@link #forward} computes the output and keeps in the {@link Cache} what backward needs;</li>
 * <li>{@link #backward} takes dout (dLoss/dOutput) and that cache, writes the gradients of the layer's
 * {@link #params()} and returns dx (dLoss/dInput).</li>
 * </ul>
 * Caches own their buffers and reuse them call after call, so a training step allocates nothing once
 * shapes are settled. Returned matrices belong to the cache: valid until its next forward or backward.
 * The layer itself holds only parameters (and batch norm's running statistics), so several caches can
 * evaluate one layer concurrently in {@link Mode#TEST}.
 */
public interface Layer {
    /** What forward keeps for backward, plus reusable output buffers. */
    interface Cache {
    }

    Cache newCache();

    DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Cache cache);

    DMatrixRMaj backward(DMatrixRMaj dout, Cache cache);

    default List<Param> params() {
        return List.of();
    }

    /** A short description, e.g. "affine 3072 -> 50". */
    String describe();
}
