package org.babysitter.app.session;

import java.util.List;

import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;

/**
 * One trial of the window's search as the table, the curves and the scatter show it: a value, replaced whenever the
 * trial moves on (FX thread).
 *
 * @param trial         the trial (its lr, reg and configs)
 * @param state         "running", or how it ended: a {@link TrialState#word()}
 * @param reason        why it stopped early, "" when running or done
 * @param valAccuracies the validation accuracy after each epoch it finished
 * @param losses        its iterations' losses so far (the curve)
 * @param seconds       wall time so far, or of the whole trial once it ended
 * @param result        how it ended, null while it runs
 */
public record TrialRow(Trial trial, String state, String reason, List<Double> valAccuracies, List<Double> losses,
                       double seconds, TrialResult result) {
    public static final String RUNNING = "running";

    public TrialRow {
        if (trial == null || state == null) {
            throw new IllegalArgumentException("a row needs its trial and state");
        }
        if ((result == null) != RUNNING.equals(state)) {
            throw new IllegalArgumentException("a running row has no result, an ended one has");
        }
        reason = reason == null ? "" : reason;
        valAccuracies = List.copyOf(valAccuracies);
        losses = List.copyOf(losses);
    }

    /** A trial that has just started. */
    static TrialRow started(Trial trial) {
        return new TrialRow(trial, RUNNING, "", List.of(), List.of(), 0, null);
    }

    /** This running trial with its losses and time so far. */
    TrialRow running(List<Double> newLosses, double newSeconds) {
        return new TrialRow(trial, state, reason, valAccuracies, newLosses, newSeconds, null);
    }

    /** This trial as it ended (its losses so far kept). */
    TrialRow ended(TrialResult r, List<Double> allLosses) {
        return new TrialRow(trial, r.state().word(), r.reason(), r.valAccuracies(), allLosses, r.nanos() / 1e9, r);
    }

    /** The trial's number as the CLI prints it, from 1. */
    public int number() {
        return trial.index() + 1;
    }

    public double lr() {
        return trial.value(Hyper.LR);
    }

    public double reg() {
        return trial.value(Hyper.REG);
    }

    /** The best validation accuracy of its epochs, NaN before the first epoch ended. */
    public double best() {
        return valAccuracies.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public int epochsDone() {
        return valAccuracies.size();
    }

    public boolean ended() {
        return result != null;
    }

    public boolean diverged() {
        return result != null && result.state() == TrialState.DIVERGED;
    }
}
