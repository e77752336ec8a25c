package org.babysitter.engine.search;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lecture's picture of random against grid search, as an experiment: the same budget of trials (a square, k x k),
 * the same epochs, training images and seed, the same lr and reg ranges; once as a k x k grid (k distinct learning
 * rates) and once at random (a new learning rate every trial). When one parameter matters much more than the other,
 * random search tries k times as many values of it (Bergstra and Bengio, 2012).
 */
public final class RandomVsGrid {
    private RandomVsGrid() {
    }

    /** The grid and random specs of {@code budget} trials over {@code base}'s lr and reg, its stage and seed. */
    public record Specs(SearchSpec grid, SearchSpec random) {
        public Specs {
            if (grid == null || random == null || grid.strategy() != SearchSpec.Strategy.GRID
                    || random.strategy() != SearchSpec.Strategy.RANDOM) {
                throw new IllegalArgumentException("a comparison needs a grid spec and a random spec");
            }
        }
    }

    /** Both searches' results. */
    public record Outcome(List<TrialResult> grid, List<TrialResult> random) {
        public Outcome {
            if (grid == null || random == null) {
                throw new IllegalArgumentException("a comparison has both searches' results");
            }
            grid = List.copyOf(grid);
            random = List.copyOf(random);
        }

        public double bestGrid() {
            return best(grid);
        }

        public double bestRandom() {
            return best(random);
        }

        /**
         * One line: which found the better val accuracy, and how many distinct learning rates each tried
         * ("random search found the better val acc (0.412 vs 0.388): it tried 9 distinct lr values, the grid 3").
         */
        public String conclusion() {
            double g = bestGrid();
            double r = bestRandom();
            String who = r > g ? String.format(Locale.ROOT, "Random search found the better val acc (%.3f vs %.3f)", r, g)
                    : g > r ? String.format(Locale.ROOT, "Grid search found the better val acc (%.3f vs %.3f)", g, r)
                    : String.format(Locale.ROOT, "Both found the same best val acc (%.3f)", g);
            return who + String.format(Locale.ROOT, "; random tried %d distinct lr values, the grid %d.",
                    distinct(random, Hyper.LR), distinct(grid, Hyper.LR));
        }
    }

    /**
     * The two specs of a comparison on {@code budget} trials: a square of at least 4 (4, 9, 16, ...), so that the grid
     * is k x k and both run exactly {@code budget} trials. {@code base} gives the lr and reg ranges (both needed), the
     * epochs, the training images, the seed and the pruner; nothing else is ranged, so only lr and reg differ.
     */
    public static Specs specs(SearchSpec base, int budget) {
        int k = (int) Math.round(Math.sqrt(budget));
        if (budget < 4 || k * k != budget) {
            throw new IllegalArgumentException("the budget of a random vs grid comparison is a square of at least 4"
                    + " (4, 9, 16, 25, ...) so that the grid is k x k, got " + budget);
        }
        Dimension lr = base.range(Hyper.LR);
        Dimension reg = base.range(Hyper.REG);
        if (lr == null || !lr.continuous() || reg == null || !reg.continuous()) {
            throw new IllegalArgumentException("random vs grid ranges lr and reg: give both as LOW:HIGH ranges");
        }
        Map<Hyper, Dimension> ranges = new EnumMap<>(Hyper.class);
        ranges.put(Hyper.LR, lr);
        ranges.put(Hyper.REG, reg);
        SearchSpec grid = new SearchSpec(SearchSpec.Strategy.GRID, ranges, List.of(), budget, base.epochs(), base.subset(),
                base.seed(), base.pruner());
        SearchSpec random = new SearchSpec(SearchSpec.Strategy.RANDOM, ranges, List.of(), budget, base.epochs(), base.subset(),
                base.seed(), base.pruner());
        return new Specs(grid, random);
    }

    /** How many distinct values of {@code h} the trials of {@code results} tried. */
    public static int distinct(List<TrialResult> results, Hyper h) {
        return (int) results.stream().mapToDouble(r -> r.trial().value(h)).distinct().count();
    }

    /** How many distinct values of {@code h} {@code trials} try. */
    public static int distinctPlanned(List<Trial> trials, Hyper h) {
        return (int) trials.stream().mapToDouble(t -> t.value(h)).distinct().count();
    }

    /** The best val accuracy of {@code results}, 0 if none learned. */
    public static double best(List<TrialResult> results) {
        return results.stream().mapToDouble(TrialResult::best).max().orElse(0);
    }
}
