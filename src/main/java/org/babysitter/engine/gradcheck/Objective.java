package org.babysitter.engine.gradcheck;

import java.util.BitSet;
import java.util.List;

import org.babysitter.engine.model.Mode;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Param;
import org.ejml.data.DMatrixRMaj;

/**
 * What a gradient check differentiates: a loss as a function of some params, with the analytic gradient that is
 * under test. {@link #of(Net, DMatrixRMaj, int[], double)} is a net's training loss on one batch; a test can wrap one
 * to plant a bug in the analytic side and see the check fail.
 */
public interface Objective {
    /** The params checked, in order; their values are moved one entry at a time and put back. */
    List<Param> params();

    /** The loss at the params' current values, with the analytic gradient written to each {@link Param#grad()}. */
    double lossAndGradients();

    /** The loss at the params' current values: the same function as {@link #lossAndGradients()}, nothing else. */
    double loss();

    /**
     * Which side of its kink each kinked input was on in the last evaluation (ReLU inputs, SVM margins), as
     * {@link Net#kinkSides(int[])}: equal lists at two points mean no kink lies between them. Empty for a smooth loss.
     */
    List<BitSet> kinkSides();

    /** Called before a check: make the function the same at every evaluation (frozen dropout masks), keep state. */
    default void begin() {
    }

    /** Called after a check, also when it failed: put back what the evaluations changed. */
    default void end() {
    }

    /**
     * A net's loss on one batch in training mode, {@code reg} on: the analytic gradient of
     * {@link Net#lossAndGradients} against the values of {@link Net#loss}. Dropout masks are frozen during a check;
     * the params and batch norm's running averages (which every training-mode pass moves) are restored after it.
     */
    static Objective of(Net net, DMatrixRMaj x, int[] labels, double reg) {
        return new Objective() {
            private Net.State saved;

            @Override
            public List<Param> params() {
                return net.params();
            }

            @Override
            public double lossAndGradients() {
                return net.lossAndGradients(x, labels, reg);
            }

            @Override
            public double loss() {
                return net.loss(x, labels, reg, Mode.TRAIN);
            }

            @Override
            public List<BitSet> kinkSides() {
                return net.kinkSides(labels);
            }

            @Override
            public void begin() {
                saved = net.snapshot();
                net.freezeRandomness(true);
            }

            @Override
            public void end() {
                net.freezeRandomness(false);
                if (saved != null) {
                    net.restore(saved);
                }
            }
        };
    }
}
