package org.babysitter.app.session;

import java.util.List;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.runs.ConfigDiff;
import org.babysitter.engine.runs.RunDetail;
import org.babysitter.engine.runs.RunSummary;

/**
 * A stored run drawn on the live charts beside the run training ("Compare on charts", "Keep as reference" in the runs
 * panel; a fork's parent): plain numbers, so that the view models know nothing of how it is drawn. The charts draw
 * its loss per iteration, its train and validation accuracy per epoch and its update ratio per weight, named
 * {@link #label()}, up to {@link #untilIteration()}.
 *
 * @param id             the run's id in its store (the list holds one entry per id)
 * @param title          the run in a few words, e.g. "run 3"; the legend's label starts with it
 * @param label          the legend's name, e.g. "run 3: lr 1e-4" (the title and how its config differs)
 * @param config         its config, to tell it apart from the others compared (null: unknown, the label is kept)
 * @param iterations     the iteration of each loss and ratio
 * @param losses         the raw loss at each of {@link #iterations()}
 * @param weightNames    the weights whose update ratios are recorded, e.g. W1, W2
 * @param ratios         per weight, norm(update)/norm(W) at each of {@link #iterations()}
 * @param epochs         the epoch of each accuracy
 * @param epochEnds      the iteration that ended each of {@link #epochs()}
 * @param train          the train accuracy at each of {@link #epochs()}
 * @param val            the validation accuracy at each of {@link #epochs()} (NaN: not measured)
 * @param untilIteration drawn up to this iteration ({@link #ALL}: the whole run); a fork's parent stops where it forked
 */
public record ComparedRun(long id, String title, String label, ConfigDiff.Config config, int[] iterations, double[] losses,
                          List<String> weightNames, double[][] ratios, int[] epochs, int[] epochEnds, double[] train,
                          double[] val, int untilIteration) {
    /** {@link #untilIteration()} for a whole run. */
    public static final int ALL = Integer.MAX_VALUE;

    public ComparedRun {
        if (title == null || title.isBlank() || label == null || label.isBlank()) {
            throw new IllegalArgumentException("a compared run has a title and a label");
        }
        weightNames = List.copyOf(weightNames);
        if (iterations.length != losses.length || ratios.length != weightNames.size() || epochs.length != train.length
                || epochs.length != val.length || epochs.length != epochEnds.length) {
            throw new IllegalArgumentException("a compared run's x and y have the same lengths, a ratio series per weight");
        }
        ratios = ratios.clone();
        for (int w = 0; w < ratios.length; w++) {
            if (ratios[w].length != iterations.length) {
                throw new IllegalArgumentException("weight " + weightNames.get(w) + "'s ratios: one per iteration");
            }
            ratios[w] = ratios[w].clone();
        }
        if (untilIteration < 1) {
            throw new IllegalArgumentException("a compared run is drawn up to an iteration from 1, got " + untilIteration);
        }
        iterations = iterations.clone();
        losses = losses.clone();
        epochs = epochs.clone();
        epochEnds = epochEnds.clone();
        train = train.clone();
        val = val.clone();
    }

    /** Stored run {@code d}, whole, named {@code label}. Any thread. */
    public static ComparedRun of(RunDetail d, String label) {
        return of(d.summary(), d.history(), ConfigDiff.Config.of(d), label);
    }

    /**
     * Run {@code r}'s losses, ratios and accuracies from its recorded history, whole, named {@code label}
     * (null: its title and lr and reg). Any thread.
     */
    public static ComparedRun of(RunSummary r, RunHistory history, ConfigDiff.Config config, String label) {
        List<IterationMetrics> its = history.iterations();
        List<EpochMetrics> eps = history.epochs();
        RunEvent.Started started = history.started();
        List<String> names = started != null ? started.weightNames() : its.isEmpty() ? List.of()
                : java.util.stream.IntStream.rangeClosed(1, its.get(0).updateRatios().size()).mapToObj(i -> "W" + i).toList();
        int[] x = new int[its.size()];
        double[] loss = new double[its.size()];
        double[][] ratios = new double[names.size()][its.size()];
        for (int i = 0; i < x.length; i++) {
            IterationMetrics m = its.get(i);
            x[i] = m.iteration();
            loss[i] = m.loss();
            for (int w = 0; w < ratios.length; w++) {
                ratios[w][i] = w < m.updateRatios().size() ? m.updateRatios().get(w) : Double.NaN;
            }
        }
        int[] e = new int[eps.size()];
        int[] ends = new int[e.length];
        double[] train = new double[e.length];
        double[] val = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = eps.get(i).epoch();
            ends[i] = eps.get(i).iteration();
            train[i] = eps.get(i).trainAccuracy();
            val[i] = eps.get(i).valAccuracy();
        }
        // a branch (a fork, or an original continued after one) says so: its controls changed mid-run, not in its config
        boolean branch = r.tags().stream().anyMatch(t -> t.startsWith("fork-of:") || t.startsWith("continued-from:"));
        String title = "run " + r.id() + (branch ? " (" + r.name() + ")" : "");
        String named = label != null ? label : title + ": lr " + org.babysitter.engine.Numbers.exact(r.lr()) + ", reg "
                + org.babysitter.engine.Numbers.exact(r.reg());
        return new ComparedRun(r.id(), title, named, config, x, loss, names, ratios, e, ends, train, val, ALL);
    }

    /** The same run named {@code newLabel}. */
    public ComparedRun withLabel(String newLabel) {
        return new ComparedRun(id, title, newLabel, config, iterations, losses, weightNames, ratios, epochs, epochEnds, train,
                val, untilIteration);
    }

    /** The same run drawn only up to {@code iteration} (a fork's parent up to where it forked). */
    public ComparedRun until(int iteration) {
        return new ComparedRun(id, title, label, config, iterations, losses, weightNames, ratios, epochs, epochEnds, train,
                val, iteration);
    }

    /** How many of its iterations are drawn (those up to {@link #untilIteration()}). */
    public int iterationsDrawn() {
        int n = 0;
        while (n < iterations.length && iterations[n] <= untilIteration) {
            n++;
        }
        return n;
    }

    /** How many of its epochs are drawn (those that ended by {@link #untilIteration()}). */
    public int epochsDrawn() {
        int n = 0;
        while (n < epochs.length && epochEnds[n] <= untilIteration) {
            n++;
        }
        return n;
    }
}
