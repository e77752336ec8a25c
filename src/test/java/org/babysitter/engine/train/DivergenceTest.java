package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.babysitter.engine.metrics.RunEvent;
import org.junit.jupiter.api.Test;

/** What a diverged run says: where, which part of the loss blew up, and the likely cause, in words. */
class DivergenceTest {
    private static Divergence at(int iteration, double loss, double first, double data, double l2, double lr, double reg,
                                 RunEvent.ControlChanged change) {
        return new Divergence(iteration, 490, loss, first, data, l2, lr, reg, change);
    }

    @Test
    void whereCountsEpochsAndIterationsFromOne() {
        assertEquals("at iteration 1 (epoch 1, iteration 1 of 490)", at(1, 7, 2, 7, 0, 1e-3, 0, null).where());
        assertEquals("at iteration 490 (epoch 1, iteration 490 of 490)", at(490, 7, 2, 7, 0, 1e-3, 0, null).where());
        assertEquals("at iteration 491 (epoch 2, iteration 1 of 490)", at(491, 7, 2, 7, 0, 1e-3, 0, null).where());
        assertEquals("at iteration 1000 (epoch 3, iteration 20 of 490)", at(1000, 7, 2, 7, 0, 1e-3, 0, null).where());
    }

    @Test
    void aLossAboveThreeTimesTheFirstIsBlamedOnTheLearningRate() {
        Divergence d = at(5, 7.5, 2.302585, 7.4, 0.1, 0.03, 1e-3, null);
        assertEquals(RunEvent.Cause.LEARNING_RATE, d.cause());
        assertEquals("loss 7.5 exceeded 3 times the first iteration's 2.303 at iteration 5 (epoch 1, iteration 5 of 490):"
                + " the learning rate 0.03 is too high; lower lr", d.reason());
    }

    @Test
    void nanAndInfinityAreNamedAndNanQuotesTheLecture() {
        Divergence nan = at(3, Double.NaN, 2.3, Double.NaN, 0.1, 1e6, 1e-6, null);
        assertEquals(RunEvent.Cause.LEARNING_RATE, nan.cause());
        assertEquals("loss became NaN at iteration 3 (epoch 1, iteration 3 of 490): the learning rate 1e6 is too high"
                + " (NaN almost always means a high learning rate); lower lr", nan.reason());
        Divergence inf = at(3, Double.POSITIVE_INFINITY, 2.3, Double.POSITIVE_INFINITY, 0.1, 1e6, 1e-6, null);
        assertEquals("loss became infinite at iteration 3 (epoch 1, iteration 3 of 490): the learning rate 1e6 is too high;"
                + " lower lr", inf.reason());
    }

    @Test
    void aBadFirstIterationIsBlamedOnTheInit() {
        Divergence nan = at(1, Double.NaN, Double.NaN, Double.NaN, 0.1, 1e-3, 1e-3, null);
        assertEquals(RunEvent.Cause.INIT, nan.cause());
        assertEquals("loss became NaN at iteration 1 (epoch 1, iteration 1 of 490): the initial weights already give a NaN"
                + " loss before any update: the weight init is far too large for these inputs (or the data is not"
                + " preprocessed); lower the init std", nan.reason());
        Divergence inf = at(1, Double.POSITIVE_INFINITY, Double.NaN, Double.POSITIVE_INFINITY, 0.1, 1e-3, 1e-3, null);
        assertEquals(RunEvent.Cause.INIT, inf.cause());
        assertEquals(true, inf.reason().contains("already give an infinite loss before any update"), inf.reason());
    }

    @Test
    void anL2TermOverTenTimesTheDataLossIsBlamedOnReg() {
        // 10x the data loss exactly is not over it
        assertEquals(RunEvent.Cause.LEARNING_RATE, at(4, 22, 2, 2, 20, 1e-3, 5, null).cause());
        Divergence d = at(4, 22.5, 2, 2, 20.5, 1e-3, 5, null);
        assertEquals(RunEvent.Cause.REG, d.cause());
        assertEquals("loss 22.5 exceeded 3 times the first iteration's 2 at iteration 4 (epoch 1, iteration 4 of 490): reg 5"
                + " is too large: the L2 term 20.5 is over 10 times the data loss 2; lower reg", d.reason());
        // lr x reg of 1 or more: each step takes more than the weight off it
        Divergence swing = at(4, 22.5, 2, 2, 20.5, 0.5, 2, null);
        assertEquals("loss 22.5 exceeded 3 times the first iteration's 2 at iteration 4 (epoch 1, iteration 4 of 490): reg 2"
                + " is too large: the L2 term 20.5 is over 10 times the data loss 2, and each step takes lr x reg = 1 times"
                + " every weight off it, more than the weight itself, so the weights swing and grow; lower reg", swing.reason());
        assertEquals(false, at(4, 22.5, 2, 2, 20.5, 0.4999, 2, null).reason().contains("swing"));
        // an infinite L2 term, even at the first iteration
        Divergence inf = at(1, Double.POSITIVE_INFINITY, Double.NaN, 2, Double.POSITIVE_INFINITY, 1e-3, 1e300, null);
        assertEquals(RunEvent.Cause.REG, inf.cause());
        assertEquals("loss became infinite at iteration 1 (epoch 1, iteration 1 of 490): reg 1e300 is too large: the L2 term"
                + " 0.5 * reg * sum(W^2) is infinite; lower reg", inf.reason());
        assertEquals(RunEvent.Cause.REG, at(2, Double.NaN, 2, 2, Double.NaN, 1e-3, 1, null).cause());
    }

    @Test
    void aLearningRateRaisedMidRunIsNamed() {
        RunEvent.ControlChanged raised = new RunEvent.ControlChanged(10, RunEvent.Control.LEARNING_RATE, 1e-4, 0.5);
        Divergence d = at(13, Double.NaN, 2.3, Double.NaN, 0.1, 0.5, 1e-3, raised);
        assertEquals("loss became NaN at iteration 13 (epoch 1, iteration 13 of 490): the learning rate 0.5 is too high"
                + " (NaN almost always means a high learning rate), 3 iterations after it was raised from 1e-4 to 0.5;"
                + " lower lr", d.reason());
        // a lowered learning rate, or a reg change, is not the story
        RunEvent.ControlChanged lowered = new RunEvent.ControlChanged(10, RunEvent.Control.LEARNING_RATE, 0.5, 1e-4);
        assertEquals(false, at(13, Double.NaN, 2.3, Double.NaN, 0.1, 1e-4, 1e-3, lowered).reason().contains("raised"));
        RunEvent.ControlChanged same = new RunEvent.ControlChanged(10, RunEvent.Control.LEARNING_RATE, 0.5, 0.5);
        assertEquals(false, at(13, Double.NaN, 2.3, Double.NaN, 0.1, 0.5, 1e-3, same).reason().contains("raised"));
        RunEvent.ControlChanged reg = new RunEvent.ControlChanged(10, RunEvent.Control.REG, 1e-4, 0.5);
        assertEquals(false, at(13, Double.NaN, 2.3, Double.NaN, 0.1, 0.5, 0.5, reg).reason().contains("raised"));
    }
}
