package org.babysitter.engine.train;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.metrics.RunEvent;

/**
 * Why a run diverged, in words, from what the last step saw: which part of the loss blew up (the data loss or the
 * L2 term), whether any update had been made yet, how large a share of each weight the L2 term alone takes per
 * step ({@code lr * reg}), and which control changed last. The lecture's "NaN almost always means a high learning
 * rate" is the answer only when nothing points elsewhere.
 *
 * @param iteration  iterations done, the diverging one included (1 = the first forward pass, before any update)
 * @param perEpoch   iterations per epoch
 * @param loss       the loss that tripped the rule
 * @param firstLoss  the first iteration's loss (NaN at the first iteration)
 * @param dataLoss   the data part of {@code loss}
 * @param l2         the L2 part of {@code loss}, {@code 0.5 * reg * sum(W^2)}
 * @param lr         the learning rate of the diverging step
 * @param reg        the reg of the diverging step
 * @param lastChange the last mid-run control change, or null
 */
record Divergence(int iteration, int perEpoch, double loss, double firstLoss, double dataLoss, double l2, double lr,
                  double reg, RunEvent.ControlChanged lastChange) {

    /** An L2 term this many times the data loss is blamed on reg. */
    static final double L2_SHARE = 10;

    /** Where in the run, e.g. "at iteration 2 (epoch 1, iteration 2 of 490)". */
    String where() {
        int epoch = (iteration - 1) / perEpoch + 1;
        int inEpoch = (iteration - 1) % perEpoch + 1;
        return "at iteration " + iteration + " (epoch " + epoch + ", iteration " + inEpoch + " of " + perEpoch + ")";
    }

    private String what() {
        if (Double.isNaN(loss)) {
            return "loss became NaN " + where();
        }
        if (Double.isInfinite(loss)) {
            return "loss became infinite " + where();
        }
        return "loss " + Numbers.significant(loss, 4) + " exceeded " + Numbers.exact(Trainer.DIVERGENCE_FACTOR)
                + " times the first iteration's " + Numbers.significant(firstLoss, 4) + " " + where();
    }

    /** The most likely cause. */
    RunEvent.Cause cause() {
        if (!Double.isFinite(l2) || l2 > L2_SHARE * dataLoss) {
            return RunEvent.Cause.REG;
        }
        if (iteration == 1) {
            return RunEvent.Cause.INIT;
        }
        return RunEvent.Cause.LEARNING_RATE;
    }

    /** The reason in words: what happened, where, and what most likely caused it. */
    String reason() {
        String what = what();
        return switch (cause()) {
            case REG -> what + ": reg " + Numbers.exact(reg) + " is too large: " + regDetail() + "; lower reg";
            case INIT -> what + ": the initial weights already give " + (Double.isNaN(dataLoss) ? "a NaN" : "an infinite")
                    + " loss before any update: the weight init is far too large for these inputs (or the data is not"
                    + " preprocessed); lower the init std";
            case LEARNING_RATE -> what + ": the learning rate " + Numbers.exact(lr) + " is too high"
                    + (Double.isNaN(loss) ? " (NaN almost always means a high learning rate)" : "") + changeDetail() + "; lower lr";
        };
    }

    private String regDetail() {
        if (!Double.isFinite(l2)) {
            return "the L2 term 0.5 * reg * sum(W^2) is infinite";
        }
        String share = "the L2 term " + Numbers.significant(l2, 3) + " is over " + Numbers.exact(L2_SHARE)
                + " times the data loss " + Numbers.significant(dataLoss, 3);
        if (lr * reg >= 1) {
            return share + ", and each step takes lr x reg = " + Numbers.significant(lr * reg, 3)
                    + " times every weight off it, more than the weight itself, so the weights swing and grow";
        }
        return share;
    }

    private String changeDetail() {
        if (lastChange == null || lastChange.control() != RunEvent.Control.LEARNING_RATE || lastChange.to() <= lastChange.from()) {
            return "";
        }
        return ", " + (iteration - lastChange.iteration()) + " iterations after it was raised from "
                + Numbers.exact(lastChange.from()) + " to " + Numbers.exact(lastChange.to());
    }
}
