package org.babysitter.engine.search;

import java.util.Locale;

/**
 * Which pruner a search uses, as a value (saved with the spec).
 *
 * @param kind      none, the median rule or successive halving
 * @param minTrials median rule: how many other trials must have reached an epoch before it compares
 * @param minEpoch  median rule: the first epoch it may prune after; halving: the first rung
 * @param eta       halving: the reduction factor (the top 1/eta go on at each rung)
 */
public record PrunerSpec(Kind kind, int minTrials, int minEpoch, int eta) {
    public enum Kind { NONE, MEDIAN, HALVING }

    public PrunerSpec {
        if (kind == null) {
            throw new IllegalArgumentException("a pruner kind must be given: none, median or halving");
        }
        // the pruner's constructor checks the numbers
        make(kind, minTrials, minEpoch, eta);
    }

    public static final PrunerSpec NONE = new PrunerSpec(Kind.NONE, 4, 1, 3);
    /** The median rule once 4 other trials reached the epoch, from epoch 1. */
    public static final PrunerSpec MEDIAN = new PrunerSpec(Kind.MEDIAN, 4, 1, 3);
    /** Rungs at epochs 1, 3, 9, ...: a third go on. */
    public static final PrunerSpec HALVING = new PrunerSpec(Kind.HALVING, 4, 1, 3);

    public static PrunerSpec parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "median" -> MEDIAN;
            case "halving", "asha" -> HALVING;
            default -> throw new IllegalArgumentException("pruner '" + name + "': none, median or halving");
        };
    }

    /** A fresh pruner for one search. */
    public Pruner create() {
        return make(kind, minTrials, minEpoch, eta);
    }

    private static Pruner make(Kind kind, int minTrials, int minEpoch, int eta) {
        return switch (kind) {
            case NONE -> Pruner.none();
            case MEDIAN -> Pruner.median(minTrials, minEpoch);
            case HALVING -> Pruner.halving(minEpoch, eta);
        };
    }

    public String describe() {
        return switch (kind) {
            case NONE -> "none";
            case MEDIAN -> "median rule (after " + minTrials + " trials, from epoch " + minEpoch + ")";
            case HALVING -> "successive halving (rungs from epoch " + minEpoch + ", top 1/" + eta + " go on)";
        };
    }
}
