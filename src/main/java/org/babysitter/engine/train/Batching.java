package org.babysitter.engine.train;

/** How a run picks each iteration's images. */
public enum Batching {
    /** Each batch drawn at random with replacement: the lecture's {@code sample_batches=True}. */
    SAMPLED("sampled", "batches sampled with replacement"),
    /** Each epoch a shuffled pass over the training images, in batches. */
    SHUFFLED("shuffled", "shuffled passes"),
    /** One step per epoch on the whole training set: the lecture's {@code sample_batches=False}. */
    FULL("full", "one full-batch step per epoch");

    private final String label;
    private final String description;

    Batching(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** In words, for headers and the window. */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return label;
    }
}
