package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The trainer's loop, events, controls and rules on a small built-in set (1,000 train / 200 val images). */
class TrainerTest {
    static PreparedData data;
    static final NetConfig NET = NetConfig.lecture().withHidden(List.of(20));
    static final TrainConfig CONFIG = new TrainConfig(UpdateRuleKind.MOMENTUM, 3e-4, 0.9, 0.9, 1e-3, 50, 3, Batching.SAMPLED, 7, 200);

    @BeforeAll
    static void load() {
        data = PreparedData.prepare(BuiltInData.generate(1200, 100, 5), new SplitSpec(200, 0, 0), Preprocessing.MEAN_IMAGE);
    }

    static Trainer trainer(NetConfig net, TrainConfig config) {
        return Trainer.create(net, data.dataset(), data.preprocessor(), config, new EjmlGemm(false));
    }

    /** Records everything a run reports. */
    static final class Recorder implements TrainingListener {
        final List<RunEvent> events = new CopyOnWriteArrayList<>();
        final List<IterationMetrics> iterations = new CopyOnWriteArrayList<>();
        final List<EpochMetrics> epochs = new CopyOnWriteArrayList<>();
        final List<Object> all = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(RunEvent event) {
            events.add(event);
            all.add(event);
        }

        @Override
        public void onIteration(IterationMetrics m) {
            iterations.add(m);
            all.add(m);
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            epochs.add(m);
            all.add(m);
        }

        double[] losses() {
            return iterations.stream().mapToDouble(IterationMetrics::loss).toArray();
        }
    }

    @Test
    void aListenerDetachedMidRunMissesThoseIterationsAndHearsTheRestOnceBack() {
        Trainer t = trainer(NET, CONFIG);
        Recorder r = new Recorder();
        t.addListener(r);
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == 10) {
                    t.removeListener(r);
                } else if (m.iteration() == 20) {
                    t.addListener(r);
                }
            }
        });
        assertEquals(r, t.listeners().get(0));
        assertThrows(UnsupportedOperationException.class, () -> t.listeners().add(r));
        t.run();
        int[] heard = r.iterations.stream().mapToInt(IterationMetrics::iteration).toArray();
        assertEquals(50, heard.length); // 1-10 and 21-60 of 60
        assertEquals(10, heard[9]);
        assertEquals(21, heard[10]);
        assertEquals(60, heard[49]);
        assertEquals(2, t.listeners().size());
    }

    @Test
    void aRunReportsInOrderAndLearns() {
        Trainer t = trainer(NET, CONFIG);
        Recorder r = new Recorder();
        t.addListener(r);
        TrainResult result = t.run();
        assertTrue(result.completed());
        assertNull(result.divergedReason());
        assertEquals(20 * 3, result.iterations()); // 1000 / 50 per epoch
        assertInstanceOf(RunEvent.Started.class, r.all.get(0));
        RunEvent.Started s = (RunEvent.Started) r.all.get(0);
        assertEquals(List.of("W1", "W2"), s.weightNames());
        assertEquals(20, s.iterationsPerEpoch());
        assertInstanceOf(RunEvent.Finished.class, r.all.get(r.all.size() - 1));
        assertEquals(60, r.iterations.size());
        assertEquals(3, r.epochs.size());
        for (int i = 0; i < r.iterations.size(); i++) {
            IterationMetrics m = r.iterations.get(i);
            assertEquals(i + 1, m.iteration());
            assertEquals((i + 1) / 20.0, m.epoch(), 1e-12);
            assertEquals(2, m.updateRatios().size());
            assertTrue(m.updateRatios().get(0) > 0 && m.updateRatios().get(0) < 1, "ratio " + m.updateRatios());
        }
        // lr decays by 0.9 after each epoch; the epoch reports it after its decay, as the lecture's line does
        assertEquals(3e-4, r.iterations.get(19).learningRate(), 1e-18);
        assertEquals(3e-4 * 0.9, r.epochs.get(0).learningRate(), 1e-18);
        assertEquals(3e-4 * 0.9 * 0.9, r.epochs.get(1).learningRate(), 1e-18);
        assertEquals(3e-4 * 0.9 * 0.9 * 0.9, r.epochs.get(2).learningRate(), 1e-18);
        assertEquals(3e-4 * 0.9, r.iterations.get(25).learningRate(), 1e-18);
        // it learns: val accuracy well above chance and the loss falls
        assertTrue(result.bestValAccuracy() > 0.15, "best val " + result.bestValAccuracy());
        assertTrue(result.lastLoss() < result.firstLoss());
        // the net ends with the best-validation parameters
        double val = new Evaluator(t.net(), data.preprocessor()).accuracy(data.dataset().val());
        assertEquals(result.bestValAccuracy(), val, 1e-12);
        double bestSeen = r.epochs.stream().mapToDouble(EpochMetrics::valAccuracy).max().orElseThrow();
        assertEquals(bestSeen, result.bestValAccuracy());
    }

    @Test
    void sameSeedSameRunBitForBitAndAnotherSeedDiffers() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder c = new Recorder();
        NetConfig net = NET.withBatchNorm(true).withDropout(0.3);
        Trainer ta = trainer(net, CONFIG.withEpochs(2));
        ta.addListener(a);
        ta.run();
        Trainer tb = trainer(net, CONFIG.withEpochs(2));
        tb.addListener(b);
        tb.run();
        Trainer tc = trainer(net, CONFIG.withEpochs(2).withSeed(8));
        tc.addListener(c);
        tc.run();
        assertArrayEquals(a.losses(), b.losses());
        assertEquals(a.epochs.stream().map(EpochMetrics::valAccuracy).toList(), b.epochs.stream().map(EpochMetrics::valAccuracy).toList());
        for (int i = 0; i < ta.net().params().size(); i++) {
            assertArrayEquals(ta.net().params().get(i).value().data, tb.net().params().get(i).value().data);
        }
        assertFalse(java.util.Arrays.equals(a.losses(), c.losses()));
    }

    @Test
    void shuffledEpochsVisitEveryImageOnce() {
        Trainer t = trainer(NET, CONFIG.withBatching(Batching.SHUFFLED).withEpochs(1).withUpdateRule(UpdateRuleKind.SGD));
        TrainResult r = t.run();
        assertEquals(20, r.iterations());
        assertTrue(r.completed());
    }

    @Test
    void hugeLearningRateDivergesWithinTheFirstEpoch() {
        Recorder r = new Recorder();
        Trainer t = trainer(NetConfig.lecture(), CONFIG.withLearningRate(1e6).withReg(1e-6).withUpdateRule(UpdateRuleKind.SGD));
        t.addListener(r);
        TrainResult result = t.run();
        assertTrue(result.diverged());
        assertFalse(result.completed());
        assertTrue(result.iterations() < t.iterationsPerEpoch(), "diverged at " + result.iterations());
        assertTrue(result.divergedReason().contains("the learning rate 1e6 is too high"), result.divergedReason());
        assertEquals(RunEvent.Cause.LEARNING_RATE, ((RunEvent.Diverged) r.events.get(r.events.size() - 1)).cause());
        RunEvent last = r.events.get(r.events.size() - 1);
        assertInstanceOf(RunEvent.Diverged.class, last);
        assertTrue(r.epochs.isEmpty());
    }

    @Test
    void lossAboveThreeTimesTheFirstEndsTheRun() {
        Trainer t = trainer(NetConfig.lecture().withHidden(List.of(10)), CONFIG.withEpochs(1));
        Recorder r = new Recorder();
        t.addListener(r);
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == 2) {
                    t.controls().setLearningRate(50); // a learning rate far too high, asked for mid-run
                }
            }
        });
        TrainResult result = t.run();
        assertTrue(result.diverged());
        assertTrue(result.divergedReason().contains("exceeded 3 times the first iteration's")
                || result.divergedReason().contains("NaN") || result.divergedReason().contains("infinite"), result.divergedReason());
        assertTrue(result.iterations() >= 3 && result.iterations() < 20, "iterations " + result.iterations());
    }

    @Test
    void tinyLearningRateBarelyMovesTheLoss() {
        Recorder r = new Recorder();
        Trainer t = trainer(NetConfig.lecture(), CONFIG.withLearningRate(1e-6).withReg(1e-6).withEpochs(10)
                .withUpdateRule(UpdateRuleKind.SGD));
        t.addListener(r);
        TrainResult result = t.run();
        assertTrue(result.completed());
        for (double loss : r.losses()) {
            assertEquals(Math.log(10), loss, 0.01);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void controlsFromAnotherThreadApplyBetweenIterations() throws Exception {
        Trainer t = trainer(NET, CONFIG.withEpochs(2));
        Recorder r = new Recorder();
        t.addListener(r);
        t.controls().pause();
        CompletableFuture<TrainResult> run = CompletableFuture.supplyAsync(t::run);
        waitFor(() -> r.events.stream().anyMatch(e -> e instanceof RunEvent.Paused));
        Thread.sleep(100);
        assertEquals(0, t.iteration(), "paused before the first iteration");
        t.controls().step();
        waitFor(() -> r.iterations.size() == 1);
        t.controls().step();
        t.controls().step();
        waitFor(() -> r.iterations.size() == 3);
        Thread.sleep(150);
        assertEquals(3, r.iterations.size(), "a paused run does not move");
        assertThrows(IllegalArgumentException.class, () -> t.controls().setLearningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> t.controls().setReg(Double.NaN));
        t.controls().setLearningRate(5e-5);
        t.controls().setReg(0.25);
        t.controls().step();
        waitFor(() -> r.iterations.size() == 4);
        IterationMetrics fourth = r.iterations.get(3);
        assertEquals(5e-5, fourth.learningRate());
        assertEquals(0.25, fourth.reg());
        assertEquals(5e-5, t.learningRate());
        RunEvent.ControlChanged lr = r.events.stream().filter(e -> e instanceof RunEvent.ControlChanged c
                && c.control() == RunEvent.Control.LEARNING_RATE).map(e -> (RunEvent.ControlChanged) e).findFirst().orElseThrow();
        assertEquals(3, lr.iteration());
        assertEquals(3e-4, lr.from());
        assertEquals("lr 3e-4 -> 5e-5", lr.label());
        t.controls().resume();
        TrainResult result = run.get(30, TimeUnit.SECONDS);
        assertTrue(result.completed());
        assertEquals(40, result.iterations());
        assertTrue(r.events.stream().anyMatch(e -> e instanceof RunEvent.Resumed));
        // the decay continues from the new rate
        assertEquals(5e-5 * 0.9, r.epochs.get(0).learningRate(), 1e-18);
        assertEquals(5e-5 * 0.9 * 0.9, r.epochs.get(1).learningRate(), 1e-18);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void stopEndsTheRunEarlyWithTheBestParameters() throws Exception {
        Trainer t = trainer(NET, CONFIG.withEpochs(50));
        Recorder r = new Recorder();
        t.addListener(r);
        CompletableFuture<TrainResult> run = CompletableFuture.supplyAsync(t::run);
        waitFor(() -> r.epochs.size() >= 1);
        t.controls().stop();
        TrainResult result = run.get(30, TimeUnit.SECONDS);
        assertFalse(result.completed());
        assertTrue(result.iterations() < 50 * 20);
        RunEvent.Finished f = (RunEvent.Finished) r.events.get(r.events.size() - 1);
        assertFalse(f.completed());
        assertTrue(f.bestEpoch() >= 1);
    }

    @Test
    void configsRefuseBadValues() {
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withLearningRate(0));
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withLearningRate(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withReg(-1));
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withMomentum(1));
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withLearningRateDecay(0));
        assertThrows(IllegalArgumentException.class, () -> CONFIG.withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> NET.withDropout(1));
        assertThrows(IllegalArgumentException.class, () -> NET.withHidden(List.of(10, 0)));
        assertNotEquals(CONFIG, CONFIG.withSeed(1));
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(5);
        }
    }
}
