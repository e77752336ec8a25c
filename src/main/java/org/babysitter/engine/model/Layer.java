package org.babysitter.engine.model;

import java.util.BitSet;
import java.util.List;

import org.ejml.data.DMatrixRMaj;

/**
 * A layer of a {@link Net}, forward and backward side by side (cs231n style). Rows are examples.
 * <ul>
 * <li>{@link #forward} computes the output and keeps in the {@link Cache} what backward needs;</li>
 * <li>{@link #backward} takes dout (dLoss/dOutput) and that cache, writes the gradients of the layer's
 * {@link #params()} and returns dx (dLoss/dInput), or null when the cache says no one wants it.</li>
 * </ul>
 * Caches own their buffers and reuse them call after call, so a training step allocates nothing once shapes are
 * settled. Returned matrices belong to the cache: valid until its next forward or backward; a layer that
 * {@link #readsFloatOnly reads float-only matrices} may return one too (its values in its float copy:
 * {@code MirroredMatrix.ensureData} before reading {@code data}). The layer itself
 * holds only what is learned ({@link #params()}) and what is saved with it but not learned ({@link #buffers()}:
 * batch norm's running statistics), so several caches can evaluate one layer concurrently in {@link Mode#TEST}.
 * <p>
 * A new kind of layer is one class implementing this: the net, checkpoints, gradient checks and the trainer's
 * per-layer update ratios work from these methods alone.
 */
public interface Layer {
    /** What forward keeps for backward, plus reusable output buffers. */
    abstract class Cache {
        private boolean inputGradient = true;

        /** False for the net's first layer: the input needs no gradient, so backward may skip dx (and return null). */
        public final boolean inputGradient() {
            return inputGradient;
        }

        public final void setInputGradient(boolean wanted) {
            inputGradient = wanted;
        }

        /**
         * Keeps (true) or releases (false) whatever random choice the next forward passes would make anew (dropout's
         * mask): a gradient check needs the same function at every evaluation. Nothing by default.
         */
        public void freezeRandomness(boolean frozen) {
        }
    }

    /**
     * State saved with a layer that is not learned by gradient descent (batch norm's running mean and variance):
     * a live array, named as in the checkpoint.
     */
    record Buffer(String name, double[] values) {
    }

    Cache newCache();

    DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Cache cache);

    DMatrixRMaj backward(DMatrixRMaj dout, Cache cache);

    /**
     * True if forward and backward read an input or a dout held in its float copy only
     * ({@code MirroredMatrix.onlyInFloat}) themselves: a single-precision conv net passes its activations between
     * convolution, ReLU and pooling in float. Before any other layer the net fills the doubles first.
     */
    default boolean readsFloatOnly() {
        return false;
    }

    /** What is learned, in checkpoint order ("W1", "b1", ...). */
    default List<Param> params() {
        return List.of();
    }

    /** What is saved but not learned, in checkpoint order. */
    default List<Buffer> buffers() {
        return List.of();
    }

    /**
     * Which side of its kinks each input of the last forward pass was on (ReLU: input > 0), or null for a smooth
     * layer. A gradient check compares these between its x+h and x-h evaluations: a correct gradient looks wrong
     * where an input crossed a kink.
     */
    default BitSet kinkSides(Cache cache) {
        return null;
    }

    /**
     * For a squashing activation, the two values its output approaches and never passes (tanh: -1 and 1, sigmoid: 0
     * and 1): near them its gradient vanishes (a saturated unit). Null for other layers.
     */
    default double[] saturationBounds() {
        return null;
    }

    /** A short description, e.g. "affine 3072 -> 50". */
    String describe();
}
