package org.babysitter.engine.model;

/**
 * The shape of one example between convolutional layers: {@code channels x height x width}, kept in a row of the
 * batch matrix channel by channel, each channel row by row (CIFAR-10's own order, and numpy's for an (N, C, H, W)
 * array reshaped to (N, C*H*W)). So a volume needs no flatten step before an affine layer: its row is the flat vector.
 */
public record Volume(int channels, int height, int width) {
    public Volume {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("a volume has at least 1 channel, row and column: " + channels + "x" + height + "x" + width);
        }
    }

    /** Values per example. */
    public int size() {
        return channels * height * width;
    }

    /** Values per channel. */
    public int area() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
