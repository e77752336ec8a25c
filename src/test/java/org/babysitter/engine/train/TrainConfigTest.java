package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.Test;

/** The trainer's settings at their limits, what a trainer refuses to start, and the controls' bookkeeping. */
class TrainConfigTest {
    static final TrainConfig BASE = TrainConfig.defaults();

    @Test
    void limitsAreInclusiveWhereTheDocsSaySo() {
        assertEquals(0, BASE.withMomentum(0).momentum());
        assertThrows(IllegalArgumentException.class, () -> BASE.withMomentum(-1e-9));
        assertThrows(IllegalArgumentException.class, () -> BASE.withMomentum(1));
        assertEquals(1, BASE.withLearningRateDecay(1).learningRateDecay());
        assertThrows(IllegalArgumentException.class, () -> BASE.withLearningRateDecay(1.0000001));
        assertThrows(IllegalArgumentException.class, () -> BASE.withLearningRateDecay(0));
        assertEquals(1, BASE.withBatchSize(1).batchSize());
        assertThrows(IllegalArgumentException.class, () -> BASE.withBatchSize(0));
        assertEquals(1, BASE.withEpochs(1).epochs());
        assertThrows(IllegalArgumentException.class, () -> BASE.withEpochs(0));
        assertEquals(1, BASE.withTrainAccuracySample(1).trainAccuracySample());
        assertThrows(IllegalArgumentException.class, () -> BASE.withTrainAccuracySample(0));
        assertEquals(0, BASE.withReg(0).reg());
        assertThrows(IllegalArgumentException.class, () -> BASE.withReg(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> BASE.withLearningRate(-1e-3));
        assertThrows(IllegalArgumentException.class, () -> BASE.withUpdateRule(null));
        assertThrows(IllegalArgumentException.class, () -> BASE.withBatching(null));
        assertNull(TrainConfig.learningRateProblem(1e-300));
        assertEquals("the learning rate must be a number above 0, got 0", TrainConfig.learningRateProblem(0));
        assertEquals("the learning rate must be a number above 0, got NaN", TrainConfig.learningRateProblem(Double.NaN));
        assertNull(TrainConfig.regProblem(0));
        assertEquals("reg must be a number of 0 or more, got -1", TrainConfig.regProblem(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BASE.withEpochs(-2));
        assertEquals("epochs must be at least 1, got -2", e.getMessage());
    }

    @Test
    void defaultsAndTheLecturesTrainer() {
        assertEquals(new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-4, 0.9, 0.95, 1e-3, 100, 10, Batching.SAMPLED, 0, 1000), BASE);
        TrainConfig lecture = BASE.withUpdateRule(UpdateRuleKind.ADAM).withLearningRate(2e-3).withReg(0.5).withEpochs(3)
                .withBatchSize(7).withSeed(4).withBatching(Batching.FULL).withLearningRateDecay(0.5).asLectureTrainer();
        // momentum with the 2015 trainer's default mu of 0: plain SGD steps; lr, reg, epochs and seed kept
        assertEquals(new TrainConfig(UpdateRuleKind.MOMENTUM, 2e-3, 0, 0.95, 0.5, 100, 3, Batching.SAMPLED, 4, 1000), lecture);
        assertEquals("momentum 0.9", BASE.describeRule());
        assertEquals("momentum 0", lecture.describeRule());
        assertEquals("nesterov 0.5", BASE.withUpdateRule(UpdateRuleKind.NESTEROV).withMomentum(0.5).describeRule());
        assertEquals("adam", BASE.withUpdateRule(UpdateRuleKind.ADAM).describeRule());
        assertEquals("sgd", BASE.withUpdateRule(UpdateRuleKind.SGD).describeRule());
    }

    @Test
    void theEffectiveBatchIsCappedAtTheSetOrAllOfItForFullBatches() {
        assertEquals(100, BASE.effectiveBatch(1000));
        assertEquals(100, BASE.effectiveBatch(100));
        assertEquals(99, BASE.effectiveBatch(99));
        assertEquals(1000, BASE.withBatching(Batching.FULL).effectiveBatch(1000));
        assertEquals(37, BASE.withBatching(Batching.FULL).effectiveBatch(37));
        assertEquals("shuffled passes", Batching.SHUFFLED.describe());
        assertEquals("full", Batching.FULL.toString());
    }

    @Test
    void aTrainerRefusesAMismatchedNetOrARunTooLongToCount() {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(120, 0, 1), new SplitSpec(20, 0, 0), Preprocessing.MEAN_IMAGE);
        NetConfig net = NetConfig.lecture().withHidden(List.of(3));
        EjmlGemm gemm = new EjmlGemm(false);
        assertThrows(IllegalArgumentException.class, () -> Trainer.create(net.withShape(3072, 9), data.dataset(),
                data.preprocessor(), BASE, gemm));
        assertThrows(IllegalArgumentException.class, () -> Trainer.create(net.withShape(3071, 10), data.dataset(),
                data.preprocessor(), BASE, gemm));
        // 100 images in batches of 1: 100 iterations per epoch; 21,474,836 epochs are 2^31 - 1 - 47 iterations, one more is too many
        TrainConfig perImage = BASE.withBatchSize(1);
        Trainer longest = Trainer.create(net, data.dataset(), data.preprocessor(), perImage.withEpochs(21_474_836), gemm);
        assertEquals(100, longest.iterationsPerEpoch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.create(net, data.dataset(),
                data.preprocessor(), perImage.withEpochs(21_474_837), gemm));
        assertTrue(e.getMessage().contains("more than a run can count"), e.getMessage());
        Trainer t = Trainer.create(net, data.dataset(), data.preprocessor(), BASE.withBatchSize(30).withReg(0.25), gemm);
        assertEquals(3, t.iterationsPerEpoch(), "100 / 30, rounded down");
        assertEquals(30, t.batchSize());
        assertEquals(0.25, t.reg());
        assertEquals(1e-4, t.learningRate());
        assertEquals(BASE.withBatchSize(30).withReg(0.25), t.config());
        assertEquals(0, t.iteration());
        Trainer big = Trainer.create(net, data.dataset(), data.preprocessor(), BASE.withBatchSize(500), gemm);
        assertEquals(100, big.batchSize());
        assertEquals(1, big.iterationsPerEpoch());
    }

    @Test
    void aStoppedOrInterruptedTrainerEndsBeforeItsFirstIterationWithNothingToRestore() {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(60, 0, 1), new SplitSpec(10, 0, 0), Preprocessing.MEAN_IMAGE);
        NetConfig net = NetConfig.lecture().withHidden(List.of(3));
        Trainer stopped = Trainer.create(net, data.dataset(), data.preprocessor(), BASE, new EjmlGemm(false));
        stopped.controls().stop();
        TrainResult r = stopped.run();
        assertEquals(0, r.iterations());
        assertFalse(r.completed());
        assertFalse(r.diverged());
        assertNull(r.lastEpoch());
        assertEquals(0, r.bestEpoch());
        assertTrue(Double.isNaN(r.bestValAccuracy()));

        Trainer interrupted = Trainer.create(net, data.dataset(), data.preprocessor(), BASE, new EjmlGemm(false));
        Thread.currentThread().interrupt();
        try {
            TrainResult i = interrupted.run();
            assertEquals(0, i.iterations());
            assertFalse(i.completed());
        } finally {
            Thread.interrupted();
        }
        // a paused run interrupted while it waits
        Trainer paused = Trainer.create(net, data.dataset(), data.preprocessor(), BASE, new EjmlGemm(false));
        paused.controls().pause();
        Thread runner = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                return;
            }
            runner.interrupt();
        });
        interrupter.start();
        try {
            TrainResult p = paused.run();
            assertEquals(0, p.iterations());
            assertFalse(p.completed());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theLastEpochIsTheLastOfTheList() {
        EpochMetrics one = new EpochMetrics(1, 2, 10, 2.0, 0.1, 0.2, 1e-3, 5);
        EpochMetrics two = new EpochMetrics(2, 2, 20, 1.5, 0.3, 0.25, 1e-3, 9);
        TrainResult r = new TrainResult(20, true, null, 0.25, 2, List.of(one, two), 2.3, 1.5);
        assertEquals(two, r.lastEpoch());
        assertFalse(r.diverged());
        assertTrue(new TrainResult(3, false, "NaN", Double.NaN, 0, List.of(), 2.3, Double.NaN).diverged());
    }

    @Test
    void controlsCountStepsAndHandOverEachChangeOnce() {
        TrainerControls c = new TrainerControls();
        assertFalse(c.mustWait());
        assertFalse(c.beginIteration());
        c.pause();
        assertTrue(c.isPaused());
        assertTrue(c.mustWait());
        c.step();
        c.step();
        assertFalse(c.mustWait(), "two steps to take");
        assertTrue(c.beginIteration(), "still paused after a step");
        assertFalse(c.mustWait(), "one step left");
        assertTrue(c.beginIteration());
        assertTrue(c.mustWait(), "steps used up");
        assertTrue(c.beginIteration());
        assertTrue(c.mustWait(), "no step count below zero");
        c.resume();
        assertFalse(c.isPaused());
        assertFalse(c.mustWait());
        c.pause();
        assertTrue(c.mustWait(), "resume dropped steps not taken");
        c.stop();
        assertTrue(c.isStopped());
        assertFalse(c.mustWait(), "a stopped run does not wait");
        assertTrue(Double.isNaN(c.takeLearningRate()));
        c.setLearningRate(0.5);
        c.setLearningRate(0.25);
        assertEquals(0.25, c.takeLearningRate(), "the last asked");
        assertTrue(Double.isNaN(c.takeLearningRate()), "handed over once");
        c.setReg(0);
        assertEquals(0, c.takeReg());
        assertTrue(Double.isNaN(c.takeReg()));
        assertThrows(IllegalArgumentException.class, () -> c.setReg(-1));
        assertTrue(Double.isNaN(c.takeReg()), "a refused value is not kept");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aPausedRunWaitsAndAStopEndsIt() throws Exception {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(60, 0, 1), new SplitSpec(10, 0, 0), Preprocessing.MEAN_IMAGE);
        Trainer t = Trainer.create(NetConfig.lecture().withHidden(List.of(3)), data.dataset(), data.preprocessor(), BASE,
                new EjmlGemm(false));
        List<org.babysitter.engine.metrics.RunEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        t.addListener(new org.babysitter.engine.metrics.TrainingListener() {
            @Override
            public void onEvent(org.babysitter.engine.metrics.RunEvent event) {
                events.add(event);
            }
        });
        t.controls().pause();
        java.util.concurrent.CompletableFuture<TrainResult> run = java.util.concurrent.CompletableFuture.supplyAsync(t::run);
        TrainerTest.waitFor(() -> events.stream().anyMatch(e -> e instanceof org.babysitter.engine.metrics.RunEvent.Paused));
        Thread.sleep(100);
        assertFalse(run.isDone(), "paused: waiting");
        t.controls().stop();
        TrainResult r = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, r.iterations());
        assertFalse(r.completed());
    }

    @Test
    void anUnpausedRunReportsNoPause() {
        PreparedData data = PreparedData.prepare(BuiltInData.generate(60, 0, 1), new SplitSpec(10, 0, 0), Preprocessing.MEAN_IMAGE);
        Trainer t = Trainer.create(NetConfig.lecture().withHidden(List.of(3)), data.dataset(), data.preprocessor(),
                BASE.withEpochs(2).withBatchSize(25), new EjmlGemm(false));
        List<Object> events = new java.util.ArrayList<>();
        t.addListener(new org.babysitter.engine.metrics.TrainingListener() {
            @Override
            public void onEvent(org.babysitter.engine.metrics.RunEvent event) {
                events.add(event.getClass().getSimpleName());
            }
        });
        TrainResult r = t.run();
        assertTrue(r.completed());
        assertEquals(List.of("Started", "Finished"), events);
        // the longest run that can be counted: one iteration per epoch, 2^31 - 1 epochs
        assertEquals(1, Trainer.create(NetConfig.lecture().withHidden(List.of(3)), data.dataset(), data.preprocessor(),
                BASE.withBatching(Batching.FULL).withEpochs(Integer.MAX_VALUE), new EjmlGemm(false)).iterationsPerEpoch());
    }

    @Test
    void anEmptyTrainingSetIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset("none", BuiltInData.CLASS_NAMES, ImageSet.empty(), ImageSet.empty(), ImageSet.empty()));
    }
}
