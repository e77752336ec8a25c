package org.babysitter.app.session;

import java.util.List;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.runs.RunSummary;

/**
 * A stored run kept on the live charts as a reference while new runs train ("Keep as reference" in the runs panel):
 * plain numbers, so that the view models know nothing of how it is drawn. The charts draw its loss per iteration and
 * its train and validation accuracy per epoch as faint dashed lines named {@link #label()}.
 *
 * @param label      the legend's name, e.g. "ref: run 3 (lr 1e-4, reg 1e-3)"
 * @param iterations the iteration of each loss
 * @param losses     the raw loss at each of {@link #iterations()}
 * @param epochs     the epoch of each accuracy
 * @param train      the train accuracy at each of {@link #epochs()}
 * @param val        the validation accuracy at each of {@link #epochs()} (NaN: not measured)
 */
public record ReferenceRun(String label, int[] iterations, double[] losses, int[] epochs, double[] train, double[] val) {
    public ReferenceRun {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a reference is named");
        }
        if (iterations.length != losses.length || epochs.length != train.length || epochs.length != val.length) {
            throw new IllegalArgumentException("a reference's x and y have the same lengths");
        }
        iterations = iterations.clone();
        losses = losses.clone();
        epochs = epochs.clone();
        train = train.clone();
        val = val.clone();
    }

    /** Run {@code r}'s losses and accuracies from its recorded history. Any thread. */
    public static ReferenceRun of(RunSummary r, RunHistory history) {
        List<IterationMetrics> its = history.iterations();
        List<EpochMetrics> eps = history.epochs();
        int[] x = new int[its.size()];
        double[] loss = new double[its.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = its.get(i).iteration();
            loss[i] = its.get(i).loss();
        }
        int[] e = new int[eps.size()];
        double[] train = new double[e.length];
        double[] val = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = eps.get(i).epoch();
            train[i] = eps.get(i).trainAccuracy();
            val[i] = eps.get(i).valAccuracy();
        }
        String label = "ref: run " + r.id() + " (lr " + Numbers.exact(r.lr()) + ", reg " + Numbers.exact(r.reg()) + ")";
        return new ReferenceRun(label, x, loss, e, train, val);
    }
}
