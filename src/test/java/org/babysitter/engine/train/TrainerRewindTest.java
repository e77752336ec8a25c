package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run asked to rewind at a break: instead of ending, it goes back to the last state whose own loss was good, starts
 * its update rule afresh and pauses; lowered lr and resumed, it trains on. Without a break it is the same run, bit for
 * bit, as one that keeps no snapshots.
 */
class TrainerRewindTest {
    @BeforeAll
    static void load() {
        TrainerTest.load();
    }

    /** Full batches: the same images every iteration, so a loss depends on the values alone. */
    private static TrainConfig fullBatch(double lr, int epochs) {
        return new TrainConfig(UpdateRuleKind.MOMENTUM, lr, 0.9, 1, 1e-3, 100, epochs, Batching.FULL, 3, 200);
    }

    private static Trainer rewinding(TrainConfig config) {
        Trainer t = TrainerTest.trainer(TrainerTest.NET, config);
        t.controls().setRewindOnBreak(true);
        return t;
    }

    /** Lowers lr 10x and resumes at each rewind, as the CLI's --rewind and the window's button do. */
    private static final class LowerAndResume implements TrainingListener {
        final TrainerControls controls;
        final TrainerTest.Recorder seen = new TrainerTest.Recorder();

        LowerAndResume(TrainerControls controls) {
            this.controls = controls;
        }

        @Override
        public void onEvent(RunEvent event) {
            seen.onEvent(event);
            if (event instanceof RunEvent.Rewound r) {
                controls.setLearningRate(r.learningRate() / 10);
                controls.resume();
            }
        }

        @Override
        public void onIteration(IterationMetrics m) {
            seen.onIteration(m);
        }
    }

    @Test
    void aBreakGoesBackToTheLastGoodValuesAndTheRunTrainsOnAtALowerRate() {
        Trainer t = rewinding(fullBatch(3e-1, 40));
        LowerAndResume l = new LowerAndResume(t.controls());
        t.addListener(l);
        TrainResult r = t.run();

        List<RunEvent.Rewound> rewinds = l.seen.events.stream().filter(RunEvent.Rewound.class::isInstance)
                .map(RunEvent.Rewound.class::cast).toList();
        assertFalse(rewinds.isEmpty(), "lr 0.3 breaks: " + l.seen.events);
        assertFalse(r.diverged(), "each break rewound, none ended the run: " + r.divergedReason());
        assertTrue(r.completed());
        assertEquals(40, r.iterations(), "the iteration count goes on through the rewinds");
        List<IterationMetrics> its = l.seen.iterations;
        double first = its.get(0).loss();
        for (RunEvent.Rewound w : rewinds) {
            assertTrue(w.toIteration() < w.iteration());
            assertEquals(RunEvent.Cause.LEARNING_RATE, w.cause());
            assertTrue(!Double.isFinite(w.loss()) || w.loss() > Trainer.DIVERGENCE_FACTOR * first, "it broke: " + w.loss());
            // the values gone back to gave lossThen, no more than 1.1x the first loss
            assertEquals(its.get(w.toIteration()).loss(), w.lossThen(), 0, "lossThen is the loss of iteration " + (w.toIteration() + 1));
            assertTrue(w.lossThen() <= LastGood.OVER_FIRST * first);
            // full batches: the next iteration computes its loss with exactly those values
            assertEquals(w.lossThen(), its.get(w.iteration()).loss(), 1e-9, "after the rewind the loss is the good one again");
        }
        assertTrue(r.lastLoss() < first, "it trained on: " + r.lastLoss() + " < " + first);
        assertTrue(its.get(its.size() - 1).learningRate() <= 3e-2 + 1e-12, "lr was lowered at least once");
    }

    @Test
    void withNobodyToResumeItWaitsPausedAtTheGoodState() throws Exception {
        Trainer t = rewinding(fullBatch(3e-1, 40));
        TrainerTest.Recorder rec = new TrainerTest.Recorder();
        t.addListener(rec);
        Thread th = new Thread(t::run);
        th.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rec.events.stream().noneMatch(RunEvent.Paused.class::isInstance) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        RunEvent.Rewound w = (RunEvent.Rewound) rec.events.stream().filter(RunEvent.Rewound.class::isInstance).findFirst().orElseThrow();
        RunEvent last = rec.events.get(rec.events.size() - 1);
        assertEquals(new RunEvent.Paused(w.iteration()), last, "paused before the iteration after the break: " + rec.events);
        assertTrue(t.controls().isPaused());
        assertEquals(w.iteration(), t.iteration());
        t.controls().stop();
        th.join(10_000);
        assertFalse(th.isAlive());
    }

    @Test
    void withoutABreakKeepingSnapshotsChangesNothing() {
        TrainConfig healthy = new TrainConfig(UpdateRuleKind.ADAM, 1e-3, 0.9, 0.95, 1e-3, 50, 2, Batching.SAMPLED, 7, 200);
        TrainerTest.Recorder plain = new TrainerTest.Recorder();
        Trainer a = TrainerTest.trainer(TrainerTest.NET, healthy);
        a.addListener(plain);
        a.run();
        TrainerTest.Recorder kept = new TrainerTest.Recorder();
        Trainer b = rewinding(healthy);
        b.addListener(kept);
        b.run();
        assertEquals(plain.iterations.stream().map(IterationMetrics::loss).toList(),
                kept.iterations.stream().map(IterationMetrics::loss).toList());
        assertTrue(kept.events.stream().noneMatch(RunEvent.Rewound.class::isInstance));
    }

    @Test
    void anInitThatBreaksTheFirstLossStillEndsTheRun() {
        NetConfig huge = TrainerTest.NET.withInit(WeightInit.gaussian(1e200));
        Trainer t = TrainerTest.trainer(huge, fullBatch(1e-3, 5));
        t.controls().setRewindOnBreak(true);
        TrainResult r = t.run();
        assertTrue(r.diverged(), "nothing good to go back to");
        assertEquals(1, r.iterations());
    }

    @Test
    void aSnapshotIsGoodOnlyOnceItsOwnLossIsSeen() {
        Trainer t = TrainerTest.trainer(TrainerTest.NET, fullBatch(1e-3, 1));
        LastGood g = new LastGood(t.net(), UpdateRuleKind.SGD.create(0), 10);
        assertFalse(g.present());
        g.beforeIteration(0);
        assertFalse(g.present(), "not before its loss");
        g.judged(0, 2.3, 2.3);
        assertTrue(g.present());
        assertEquals(0, g.iteration());
        g.beforeIteration(10);
        g.judged(10, 2.6, 2.3); // above 1.1x the first
        assertEquals(0, g.iteration(), "a loss 13% above the first is not good");
        g.beforeIteration(20);
        g.judged(20, 1.0, 2.3);
        assertEquals(20, g.iteration());
        g.beforeIteration(30);
        g.judged(30, 2.1, 2.3); // under the first, but over 2x the lowest, 1.0
        assertEquals(20, g.iteration(), "a loss more than twice the lowest is climbing");
        g.beforeIteration(35);
        assertEquals(20, g.iteration(), "between snapshots nothing is taken");
        g.judged(35, 1.0, 2.3);
        assertEquals(20, g.iteration());
        g.judged(40, Double.NaN, 2.3);
        assertEquals(1.0, g.loss());
    }
}
