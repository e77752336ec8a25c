package org.babysitter.engine.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * What a search tries: per hyperparameter a {@link Dimension}, the update rules to choose from, random (the default)
 * or grid, how many trials of how many epochs on how many training images, the seed and the pruner. Anything not
 * ranged keeps {@link TrainConfig#defaults()} and {@link NetConfig#lecture()}. Every endpoint and value is checked
 * against the configs' own validation here, so a spec that loads can be run.
 *
 * @param strategy random or grid
 * @param ranges   the ranged hyperparameters
 * @param rules    update rules, one drawn per trial (a choice); empty: the default's momentum
 * @param trials   trials to run (random), or the most a grid may have
 * @param epochs   epochs per trial
 * @param subset   training images (the first N), 0 for all
 * @param seed     the same seed draws the same trials; trial i trains with seed {@code seed + i}
 * @param pruner   which pruner stops hopeless trials
 */
public record SearchSpec(Strategy strategy, Map<Hyper, Dimension> ranges, List<UpdateRuleKind> rules, int trials,
                         int epochs, int subset, long seed, PrunerSpec pruner) {
    public enum Strategy { RANDOM, GRID }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SearchSpec {
        if (strategy == null || pruner == null) {
            throw new IllegalArgumentException("a search needs a strategy (random or grid) and a pruner");
        }
        // in enum order, so the JSON lists the ranges in the same order every time
        ranges = ranges == null || ranges.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(ranges));
        rules = rules == null ? List.of() : List.copyOf(rules);
        if (trials < 1) {
            throw new IllegalArgumentException("a search needs at least 1 trial, got " + trials);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("a trial needs at least 1 epoch, got " + epochs);
        }
        if (subset < 0) {
            throw new IllegalArgumentException("the training subset is a count of images, or 0 for all, got " + subset);
        }
        Hyper.Configs base = new Hyper.Configs(NetConfig.lecture(), TrainConfig.defaults());
        for (Map.Entry<Hyper, Dimension> e : ranges.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException(e.getKey().key() + " has no range: leave it out to keep its default");
            }
            for (double v : e.getValue().endpoints()) {
                try {
                    e.getKey().apply(base, v);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(e.getKey().key() + " " + e.getValue().describe() + ": " + ex.getMessage());
                }
            }
        }
    }

    /** The lecture's coarse stage: lr 10^U(-6,-3), reg 10^U(-5,5), random, 1 epoch, no pruner. */
    public static SearchSpec lectureCoarse(int trials, int epochs, int subset, long seed) {
        return new SearchSpec(Strategy.RANDOM, Map.of(Hyper.LR, Dimension.log(1e-6, 1e-3), Hyper.REG, Dimension.log(1e-5, 1e5)),
                List.of(), trials, epochs, subset, seed, PrunerSpec.NONE);
    }

    public Dimension range(Hyper h) {
        return ranges.get(h);
    }

    public SearchSpec withRanges(Map<Hyper, Dimension> r) {
        return new SearchSpec(strategy, r, rules, trials, epochs, subset, seed, pruner);
    }

    public SearchSpec withStage(int newTrials, int newEpochs, int newSubset) {
        return new SearchSpec(strategy, ranges, rules, newTrials, newEpochs, newSubset, seed, pruner);
    }

    public SearchSpec withSeed(long s) {
        return new SearchSpec(strategy, ranges, rules, trials, epochs, subset, s, pruner);
    }

    public SearchSpec withPruner(PrunerSpec p) {
        return new SearchSpec(strategy, ranges, rules, trials, epochs, subset, seed, p);
    }

    /**
     * The trials, in order: drawn from {@code seed} (random) or the grid's points (at most {@code trials}, every
     * continuous range getting the same number of points). The net takes {@code inputs} features and {@code classes}
     * classes; every trial carries {@code data}.
     */
    public List<Trial> trials(int inputs, int classes, DataIdentity data) {
        Hyper.Configs base = new Hyper.Configs(NetConfig.lecture().withShape(inputs, classes),
                TrainConfig.defaults().withEpochs(epochs));
        List<Hyper.Configs> configs = strategy == Strategy.RANDOM ? random(base) : grid(base);
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            Hyper.Configs c = configs.get(i);
            out.add(new Trial(i, c.net(), c.train().withSeed(seed + i), data));
        }
        return out;
    }

    /**
     * The trials on {@code base}'s net and trainer instead of the defaults (a window's search tries what the window
     * would train): the same draws or grid points as {@link #trials(int, int, DataIdentity)}, each changing only the
     * ranged values and, if the spec names rules, the update rule; epochs and seed {@code seed + i} are the spec's.
     */
    public List<Trial> trials(Hyper.Configs base, DataIdentity data) {
        List<Trial> out = new ArrayList<>();
        for (Trial t : trials(base.net().inputSize(), base.net().classes(), data)) {
            Hyper.Configs c = new Hyper.Configs(base.net(), base.train().withEpochs(epochs).withSeed(t.train().seed()));
            for (Hyper h : ranges.keySet()) {
                c = h.apply(c, t.value(h));
            }
            if (!rules.isEmpty()) {
                c = new Hyper.Configs(c.net(), c.train().withUpdateRule(t.train().updateRule()));
            }
            out.add(new Trial(t.index(), c.net(), c.train(), data));
        }
        return out;
    }

    private List<Hyper.Configs> random(Hyper.Configs base) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Hyper.Configs> out = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            Hyper.Configs c = base;
            // enum order, so the same seed draws the same values whatever order the ranges were given in
            for (Hyper h : Hyper.values()) {
                Dimension d = ranges.get(h);
                if (d != null) {
                    c = h.apply(c, d.sample(rng));
                }
            }
            if (!rules.isEmpty()) {
                c = new Hyper.Configs(c.net(), c.train().withUpdateRule(rules.get(rng.nextInt(rules.size()))));
            }
            out.add(c);
        }
        return out;
    }

    private List<Hyper.Configs> grid(Hyper.Configs base) {
        int fixedProduct = Math.max(rules.size(), 1);
        int continuous = 0;
        for (Dimension d : ranges.values()) {
            if (d.continuous()) {
                continuous++;
            } else {
                fixedProduct *= d.values().size();
            }
        }
        if (fixedProduct > trials) {
            throw new IllegalArgumentException("a grid over these choices has " + fixedProduct + " points, more than "
                    + trials + " trials");
        }
        int points = continuous == 0 ? 1 : Math.max((int) Math.floor(Math.pow((double) trials / fixedProduct, 1.0 / continuous) + 1e-9), 1);
        List<Hyper.Configs> out = new ArrayList<>(List.of(base));
        for (Hyper h : Hyper.values()) {
            Dimension d = ranges.get(h);
            if (d == null) {
                continue;
            }
            List<Hyper.Configs> next = new ArrayList<>();
            for (Hyper.Configs c : out) {
                for (double v : d.grid(points)) {
                    next.add(h.apply(c, v));
                }
            }
            out = next;
        }
        if (!rules.isEmpty()) {
            List<Hyper.Configs> next = new ArrayList<>();
            for (Hyper.Configs c : out) {
                for (UpdateRuleKind r : rules) {
                    next.add(new Hyper.Configs(c.net(), c.train().withUpdateRule(r)));
                }
            }
            out = next;
        }
        return out;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec Jackson cannot write: " + e.getMessage(), e);
        }
    }

    /** Reads a spec; a malformed or invalid one is refused with what is wrong. */
    public static SearchSpec fromJson(String json) {
        try {
            return JSON.readValue(json, SearchSpec.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw new IllegalArgumentException("search spec: " + cause.getMessage(), cause);
            }
            throw new IllegalArgumentException("search spec: " + e.getOriginalMessage(), e);
        }
    }

    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    public static SearchSpec load(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }
}
