package org.babysitter.engine.preprocess;

/** The preprocessing choices of the lecture; statistics always come from the training split only. */
public enum Preprocessing {
    /** Subtract the per-pixel mean image (the lecture's default). */
    MEAN_IMAGE("mean image"),
    /** Subtract one mean per colour channel. */
    CHANNEL_MEAN("per-channel mean"),
    /** Subtract the per-channel mean and divide by the per-channel standard deviation. */
    CHANNEL_STANDARDIZE("per-channel mean and std"),
    /** The raw pixels, 0..255: the lecture's mistake to see (all-positive inputs; the assistant names it). */
    NONE("none (raw pixels)");

    private final String label;

    Preprocessing(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
