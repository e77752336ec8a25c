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

    /**
     * True if the row passes the table's filters: {@code state} "all" (or null) or this row's state, and every word of
     * {@code text} (case aside) found in its number ("#3", or a bare "3"), state, reason, lr or reg as the table writes them.
     */
    public boolean matches(String text, String state) {
        if (state != null && !state.equals("all") && !state.equals(this.state)) {
            return false;
        }
        if (text == null || text.isBlank()) {
            return true;
        }
        String hay = String.format(java.util.Locale.ROOT, "#%d %s %s %.2e %.2e", number(), this.state, reason, lr(), reg())
                .toLowerCase(java.util.Locale.ROOT);
        for (String word : text.toLowerCase(java.util.Locale.ROOT).strip().split("\\s+")) {
            // a bare number is the trial's number ("3" is trial 3, not every lr with a 3 in it)
            if (word.matches("\\d+") ? !word.equals(String.valueOf(number())) : !hay.contains(word)) {
                return false;
            }
        }
        return true;
    }

    public boolean diverged() {
        return result != null && result.state() == TrialState.DIVERGED;
    }
}
