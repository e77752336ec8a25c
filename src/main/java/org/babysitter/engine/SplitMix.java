package org.babysitter.engine;

import java.util.random.RandomGenerator;

/**
 * {@link java.util.SplittableRandom}'s generator (SplitMix64, the same numbers from the same seed, {@link #split()}
 * included) with its state readable and settable, so that a run's randomness can be copied: a run forked at an
 * iteration draws the same batches and dropout masks as the original would have from there. Not thread-safe; one
 * owner at a time, as a {@code SplittableRandom}.
 */
public final class SplitMix implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private long gamma;

    /** The generator {@code new SplittableRandom(seed)} is. */
    public SplitMix(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private SplitMix(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /** A copy in the same state: both draw the same numbers from now on. */
    public SplitMix copy() {
        return new SplitMix(seed, gamma);
    }

    /** Puts this generator in {@code other}'s state. */
    public void setState(SplitMix other) {
        seed = other.seed;
        gamma = other.gamma;
    }

    /** A new generator drawn from this one, as {@code SplittableRandom.split()} makes it. */
    public SplitMix split() {
        return new SplitMix(nextLong(), mixGamma(nextSeed()));
    }

    @Override
    public long nextLong() {
        return mix64(nextSeed());
    }

    @Override
    public int nextInt() {
        return mix32(nextSeed());
    }

    private long nextSeed() {
        return seed += gamma;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return n < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
