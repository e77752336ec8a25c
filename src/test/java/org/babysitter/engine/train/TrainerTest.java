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
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.RecordStore;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.Layer;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.preprocess.Preprocessor;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        long start = System.nanoTime();
        TrainResult result = t.run();
        long wall = System.nanoTime() - start;
        assertTrue(result.completed());
        assertNull(result.divergedReason());
        assertEquals(20 * 3, result.iterations()); // 1000 / 50 per epoch
        assertEquals(60, t.iteration());
        // epochs numbered from 1, each at its last iteration; training time only grows and stays within the run's
        for (int e = 0; e < 3; e++) {
            assertEquals(e + 1, r.epochs.get(e).epoch());
            assertEquals(3, r.epochs.get(e).epochs());
            assertEquals(20 * (e + 1), r.epochs.get(e).iteration());
            assertEquals(r.iterations.get(20 * e + 19).loss(), r.epochs.get(e).loss());
        }
        long elapsed = 0;
        for (IterationMetrics m : r.iterations) {
            assertTrue(m.elapsedNanos() > elapsed && m.elapsedNanos() <= wall, "elapsed " + m.elapsedNanos());
            elapsed = m.elapsedNanos();
        }
        assertTrue(r.epochs.get(2).elapsedNanos() >= elapsed && r.epochs.get(2).elapsedNanos() <= wall);
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

    // ------------------------------------------------------------------ which images each step sees

    /**
     * A first layer that passes its input on and records, for every training-mode forward pass, which images the rows
     * are: the images of {@link #indexed} carry their index in their first two pixels, and the preprocessing there is
     * the identity.
     */
    static final class BatchRecorder implements Layer {
        final List<int[]> batches = new CopyOnWriteArrayList<>();
        /** The test-mode passes: the evaluation's. */
        final List<int[]> evaluated = new CopyOnWriteArrayList<>();

        static final class Cache extends Layer.Cache {
        }

        @Override
        public Layer.Cache newCache() {
            return new Cache();
        }

        @Override
        public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache cache) {
            int[] images = new int[x.numRows];
            for (int r = 0; r < x.numRows; r++) {
                images[r] = (int) x.get(r, 0) + 256 * (int) x.get(r, 1);
            }
            (mode == Mode.TRAIN ? batches : evaluated).add(images);
            return x;
        }

        @Override
        public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache cache) {
            return cache.inputGradient() ? dout : null;
        }

        @Override
        public String describe() {
            return "batch recorder";
        }
    }

    /** {@code n} images whose first two pixels hold their index (low byte, high byte), labels index mod 10. */
    static Dataset indexed(int n) {
        RecordStore store = new RecordStore();
        SplittableRandom random = new SplittableRandom(n);
        byte[] pixels = new byte[Cifar.PIXELS];
        for (int i = 0; i < n; i++) {
            for (int j = 2; j < pixels.length; j++) {
                pixels[j] = (byte) random.nextInt(256);
            }
            pixels[0] = (byte) (i & 0xFF);
            pixels[1] = (byte) (i >> 8);
            store.append(pixels, 0, i % 10);
        }
        return new Dataset("indexed", BuiltInData.CLASS_NAMES, store.trim().all(), ImageSet.empty(), ImageSet.empty());
    }

    /** x = pixel: a row's first two values give back the image's index. */
    static final Preprocessor IDENTITY = Preprocessor.of(Preprocessing.MEAN_IMAGE, new double[Cifar.PIXELS],
            filled(Cifar.PIXELS, 1));

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** A trainer of recorder - affine 4 - ReLU - affine 10 on {@link #indexed} images. */
    static Trainer recorded(BatchRecorder recorder, Dataset d, TrainConfig config) {
        Net net = Net.builder(Cifar.PIXELS, new EjmlGemm(false), config.seed())
                .add(recorder, Cifar.PIXELS)
                .affine(4, WeightInit.gaussian(1e-4), true)
                .activation(Activation.RELU)
                .affine(10, WeightInit.gaussian(1e-4), true)
                .build(LossKind.SOFTMAX, "recorded");
        return new Trainer(net, d, IDENTITY, config);
    }

    static final TrainConfig SMALL = new TrainConfig(UpdateRuleKind.SGD, 1e-5, 0, 1, 1e-3, 20, 4, Batching.SHUFFLED, 5, 100);

    @Test
    void shuffledEpochsVisitEveryImageExactlyOnce() {
        BatchRecorder recorder = new BatchRecorder();
        Trainer t = recorded(recorder, indexed(60), SMALL);
        TrainResult r = t.run();
        assertTrue(r.completed());
        assertEquals(3, t.iterationsPerEpoch());
        assertEquals(12, recorder.batches.size(), "one forward pass per iteration");
        List<List<Integer>> orders = new java.util.ArrayList<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            List<Integer> order = new java.util.ArrayList<>();
            for (int k = 0; k < 3; k++) {
                int[] batch = recorder.batches.get(3 * epoch + k);
                assertEquals(20, batch.length);
                for (int i : batch) {
                    order.add(i);
                }
            }
            // a permutation of 0..59: each image exactly once in the epoch
            assertEquals(java.util.stream.IntStream.range(0, 60).boxed().toList(), order.stream().sorted().toList(),
                    "epoch " + (epoch + 1) + ": " + order);
            orders.add(order);
        }
        // shuffled, and anew every epoch
        assertNotEquals(java.util.stream.IntStream.range(0, 60).boxed().toList(), orders.get(0));
        assertEquals(4, new java.util.HashSet<>(orders).size(), "every epoch its own order");
    }

    @Test
    void shuffledEpochsLeaveOutTheRemainderAndRepeatNoImage() {
        // 50 images in batches of 20: 2 iterations per epoch, 40 distinct images, the other 10 wait for another epoch
        BatchRecorder recorder = new BatchRecorder();
        Trainer t = recorded(recorder, indexed(50), SMALL.withEpochs(6));
        t.run();
        assertEquals(12, recorder.batches.size());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int epoch = 0; epoch < 6; epoch++) {
            java.util.Set<Integer> inEpoch = new java.util.HashSet<>();
            for (int k = 0; k < 2; k++) {
                for (int i : recorder.batches.get(2 * epoch + k)) {
                    assertTrue(i >= 0 && i < 50, "image " + i);
                    assertTrue(inEpoch.add(i), "image " + i + " twice in epoch " + (epoch + 1));
                }
            }
            assertEquals(40, inEpoch.size());
            seen.addAll(inEpoch);
        }
        assertTrue(seen.size() > 40, "the left-out images change from epoch to epoch: " + seen.size());
    }

    @Test
    void sampledBatchesDrawWithReplacementFromTheWholeSet() {
        BatchRecorder recorder = new BatchRecorder();
        Trainer t = recorded(recorder, indexed(30), SMALL.withBatching(Batching.SAMPLED).withEpochs(10).withBatchSize(15));
        t.run();
        assertEquals(20, recorder.batches.size());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        boolean repeats = false;
        for (int[] batch : recorder.batches) {
            assertEquals(15, batch.length);
            java.util.Set<Integer> inBatch = new java.util.HashSet<>();
            for (int i : batch) {
                assertTrue(i >= 0 && i < 30, "image " + i);
                repeats |= !inBatch.add(i);
                seen.add(i);
            }
        }
        assertTrue(repeats, "with replacement: some batch holds an image twice");
        assertEquals(30, seen.size(), "every image drawn at some point");
    }

    @Test
    void aFullBatchStepUsesEveryImageOnce() {
        BatchRecorder recorder = new BatchRecorder();
        Trainer t = recorded(recorder, indexed(30), SMALL.withBatching(Batching.FULL).withEpochs(3));
        assertEquals(30, t.batchSize());
        assertEquals(1, t.iterationsPerEpoch());
        TrainResult r = t.run();
        assertEquals(3, r.iterations());
        assertEquals(3, recorder.batches.size(), "one step, one forward pass, per epoch");
        int[] all = java.util.stream.IntStream.range(0, 30).toArray();
        for (int[] batch : recorder.batches) {
            assertArrayEquals(all, batch);
        }
    }

    /**
     * More images than one pass takes ({@link Trainer#FULL_BATCH_CHUNK}): the step goes through them in chunks and
     * follows the gradient of their mean loss, as one pass over all of them would (checked on a second net).
     */
    @ParameterizedTest
    @ValueSource(ints = {2 * Trainer.FULL_BATCH_CHUNK, 2 * Trainer.FULL_BATCH_CHUNK + 300})
    void aFullBatchStepOnMoreThanAChunkFollowsTheWholeSetsGradient(int n) {
        Dataset d = indexed(n);
        TrainConfig config = SMALL.withBatching(Batching.FULL).withEpochs(1).withLearningRate(1e-7).withReg(0.1);
        BatchRecorder recorder = new BatchRecorder();
        Trainer t = recorded(recorder, d, config);
        BatchRecorder refRecorder = new BatchRecorder();
        Net ref = recorded(refRecorder, d, config).net();
        DMatrixRMaj x = new DMatrixRMaj(n, Cifar.PIXELS);
        IDENTITY.rows(d.train(), 0, n, x);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = d.train().label(i);
        }
        double loss = ref.lossAndGradients(x, y, 0.1);
        Recorder r = new Recorder();
        t.addListener(r);
        t.run();
        assertEquals((n + Trainer.FULL_BATCH_CHUNK - 1) / Trainer.FULL_BATCH_CHUNK, recorder.batches.size(), "chunks");
        int seen = 0;
        for (int[] chunk : recorder.batches) {
            for (int i : chunk) {
                assertEquals(seen++, i);
            }
        }
        assertEquals(n, seen);
        assertEquals(loss, r.iterations.get(0).loss(), 1e-12 * loss, "the mean loss over all images, L2 included");
        for (int p = 0; p < ref.params().size(); p++) {
            double[] before = ref.params().get(p).value().data;
            double[] grad = ref.params().get(p).grad().data;
            double[] after = t.net().params().get(p).value().data;
            double largest = 0;
            for (double g : grad) {
                largest = Math.max(largest, Math.abs(1e-7 * g));
            }
            assertTrue(largest > 0);
            for (int i = 0; i < before.length; i++) {
                assertEquals(before[i] - 1e-7 * grad[i], after[i], 1e-6 * largest, ref.params().get(p).name() + "[" + i + "]");
            }
        }
    }

    @Test
    void theTrainAccuracySampleIsDrawnWithoutReplacementEachEpochAnew() {
        BatchRecorder recorder = new BatchRecorder();
        Trainer t = recorded(recorder, indexed(60), SMALL.withTrainAccuracySample(25));
        t.run();
        assertEquals(4, recorder.evaluated.size(), "one evaluation pass per epoch (no validation set)");
        java.util.Set<java.util.Set<Integer>> samples = new java.util.HashSet<>();
        for (int[] sample : recorder.evaluated) {
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            for (int i : sample) {
                assertTrue(i >= 0 && i < 60, "image " + i);
                distinct.add(i);
            }
            assertEquals(25, distinct.size(), "25 distinct images: " + java.util.Arrays.toString(sample));
            samples.add(distinct);
        }
        assertEquals(4, samples.size(), "a new sample every epoch");
    }

    @Test
    void shuffleIsAUniformPermutation() {
        SplittableRandom random = new SplittableRandom(42);
        for (int n : new int[] {1, 2, 3, 10, 257}) {
            int[] a = Trainer.identity(n);
            for (int trial = 0; trial < 20; trial++) {
                Trainer.shuffle(a, n, random);
                int[] sorted = a.clone();
                java.util.Arrays.sort(sorted);
                assertArrayEquals(Trainer.identity(n), sorted, "a permutation of 0.." + (n - 1));
            }
        }
        // all 6 orders of 3 images, each about 1/6 of the time (60,000 shuffles: 10,000 +- 100 each, 5 sigma 500)
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (int trial = 0; trial < 60_000; trial++) {
            int[] a = Trainer.identity(3);
            Trainer.shuffle(a, 3, random);
            counts.merge(java.util.Arrays.toString(a), 1, Integer::sum);
        }
        assertEquals(6, counts.size(), counts.toString());
        for (int c : counts.values()) {
            assertEquals(10_000, c, 500, counts.toString());
        }
    }

    @Test
    void aPartialShuffleDrawsAUniformSampleWithoutReplacement() {
        SplittableRandom random = new SplittableRandom(7);
        int[] firstCounts = new int[10];
        int[] thirdCounts = new int[10];
        int[] a = Trainer.identity(10);
        for (int trial = 0; trial < 50_000; trial++) {
            Trainer.partialShuffle(a, 10, 3, random); // from whatever order the last draw left
            int[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            assertArrayEquals(Trainer.identity(10), sorted, "still a permutation");
            firstCounts[a[0]]++;
            thirdCounts[a[2]]++;
        }
        for (int i = 0; i < 10; i++) {
            // 5,000 +- 67 each
            assertEquals(5_000, firstCounts[i], 350, java.util.Arrays.toString(firstCounts));
            assertEquals(5_000, thirdCounts[i], 350, java.util.Arrays.toString(thirdCounts));
        }
        // only the first k places are drawn: with k = 0 nothing moves
        int[] b = Trainer.identity(5);
        Trainer.partialShuffle(b, 5, 0, random);
        assertArrayEquals(Trainer.identity(5), b);
    }

    /**
     * A run that diverges after some epochs ends with the best epoch's parameters, not the diverging step's; with the
     * same score in every epoch the first is the best.
     */
    @Test
    void aDivergedRunEndsWithTheBestEpochsParameters() {
        BatchRecorder recorder = new BatchRecorder();
        TrainConfig config = SMALL.withBatching(Batching.FULL).withEpochs(6).withLearningRate(1e-3).withReg(0);
        Trainer t = recorded(recorder, indexed(30), config);
        List<double[][]> atEpochEnd = new java.util.ArrayList<>();
        Recorder r = new Recorder();
        t.addListener(r);
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == 3) {
                    t.controls().setReg(1e9); // the L2 term dwarfs everything from the fourth step on
                }
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                atEpochEnd.add(t.net().params().stream().map(p -> p.value().data.clone()).toArray(double[][]::new));
            }
        });
        TrainResult result = t.run();
        assertTrue(result.diverged());
        assertEquals(4, result.iterations());
        assertEquals(3, atEpochEnd.size());
        RunEvent.Diverged d = (RunEvent.Diverged) r.events.get(r.events.size() - 1);
        assertEquals(RunEvent.Cause.REG, d.cause());
        assertEquals(result.bestEpoch(), d.bestEpoch());
        assertEquals(result.bestValAccuracy(), d.bestValAccuracy());
        RunEvent.ControlChanged reg = r.events.stream().filter(e -> e instanceof RunEvent.ControlChanged)
                .map(e -> (RunEvent.ControlChanged) e).findFirst().orElseThrow();
        assertEquals(RunEvent.Control.REG, reg.control());
        assertEquals(0, reg.from());
        assertEquals(1e9, reg.to());
        assertEquals(3, reg.iteration());
        double[][] best = atEpochEnd.get(result.bestEpoch() - 1);
        for (int p = 0; p < best.length; p++) {
            assertArrayEquals(best[p], t.net().params().get(p).value().data, 0, t.net().params().get(p).name());
        }
        assertFalse(java.util.Arrays.equals(atEpochEnd.get(0)[1], atEpochEnd.get(2)[1]), "the epochs' weights differ");
    }

    @Test
    void theFirstOfEquallyGoodEpochsIsTheBest() {
        // lr 1e-300 moves no weight: every epoch scores the same
        BatchRecorder recorder = new BatchRecorder();
        Trainer t = recorded(recorder, indexed(30), SMALL.withBatching(Batching.FULL).withLearningRate(1e-300));
        Recorder r = new Recorder();
        t.addListener(r);
        TrainResult result = t.run();
        assertEquals(4, r.epochs.size());
        for (EpochMetrics e : r.epochs) {
            assertEquals(r.epochs.get(0).trainAccuracy(), e.trainAccuracy());
        }
        assertEquals(1, result.bestEpoch());
        assertEquals(r.epochs.get(0).trainAccuracy(), result.bestValAccuracy(), "no validation set: train accuracy decides");
        RunEvent.Finished f = (RunEvent.Finished) r.events.get(r.events.size() - 1);
        assertEquals(1, f.bestEpoch());
        assertTrue(f.completed());
        assertEquals(4, f.iteration());
    }

    /**
     * Weights so large that the scores overflow: the first loss is NaN, no update is made (every ratio NaN), and the
     * run ends at once blaming the init.
     */
    @Test
    void aNanFirstLossMakesNoUpdateAndBlamesTheInit() {
        Net net = Net.builder(Cifar.PIXELS, new EjmlGemm(false), 1).affine(4, WeightInit.gaussian(1e103), true)
                .activation(Activation.RELU).affine(4, WeightInit.gaussian(1e103), true).activation(Activation.RELU)
                .affine(10, WeightInit.gaussian(1e103), true).build(LossKind.SOFTMAX, "huge");
        double[][] before = net.params().stream().map(p -> p.value().data.clone()).toArray(double[][]::new);
        Trainer t = new Trainer(net, indexed(30), IDENTITY, SMALL.withReg(0));
        Recorder r = new Recorder();
        t.addListener(r);
        TrainResult result = t.run();
        assertTrue(result.diverged());
        assertEquals(1, result.iterations());
        IterationMetrics first = r.iterations.get(0);
        assertTrue(Double.isNaN(first.loss()), "loss " + first.loss());
        assertEquals(3, first.updateRatios().size());
        assertTrue(first.updateRatios().stream().allMatch(v -> v.isNaN()), first.updateRatios().toString());
        for (int p = 0; p < before.length; p++) {
            assertArrayEquals(before[p], net.params().get(p).value().data, 0, "no update: " + net.params().get(p).name());
        }
        RunEvent.Diverged d = (RunEvent.Diverged) r.events.get(r.events.size() - 1);
        assertEquals(RunEvent.Cause.INIT, d.cause(), d.reason());
        assertEquals(0, d.bestEpoch());
        assertTrue(Double.isNaN(d.bestValAccuracy()));
        // the L2 term of a NaN step is measured all the same: here large enough to overflow, so reg takes the blame
        Net again = Net.builder(Cifar.PIXELS, new EjmlGemm(false), 1).affine(4, WeightInit.gaussian(1e103), true)
                .activation(Activation.RELU).affine(4, WeightInit.gaussian(1e103), true).activation(Activation.RELU)
                .affine(10, WeightInit.gaussian(1e103), true).build(LossKind.SOFTMAX, "huge");
        assertTrue(Double.isFinite(again.regularizationLoss(1)), "sum(W^2) itself is finite");
        Trainer withReg = new Trainer(again, indexed(30), IDENTITY, SMALL.withReg(1e100));
        Recorder rr = new Recorder();
        withReg.addListener(rr);
        withReg.run();
        RunEvent.Diverged dr = (RunEvent.Diverged) rr.events.get(rr.events.size() - 1);
        assertEquals(RunEvent.Cause.REG, dr.cause(), dr.reason());
        assertTrue(dr.reason().contains("the L2 term 0.5 * reg * sum(W^2) is infinite"), dr.reason());
    }

    /**
     * With reg 0 the L2 term is 0, however large the weights (as {@link Net#regularizationLoss} has it): here black
     * images give a finite data loss (ln 10) while the weights' squares overflow to infinity.
     */
    @Test
    void regZeroAddsNothingToTheLossEvenForOverflowingWeights() {
        RecordStore store = new RecordStore();
        for (int i = 0; i < 20; i++) {
            store.append(new byte[Cifar.PIXELS], 0, i % 10);
        }
        Dataset black = new Dataset("black", BuiltInData.CLASS_NAMES, store.trim().all(), ImageSet.empty(), ImageSet.empty());
        Net net = Net.builder(Cifar.PIXELS, new EjmlGemm(false), 1).affine(10, WeightInit.gaussian(1e160), true)
                .build(LossKind.SOFTMAX, "huge");
        Trainer t = new Trainer(net, black, IDENTITY, SMALL.withReg(0).withBatchSize(10));
        Recorder r = new Recorder();
        t.addListener(r);
        TrainResult result = t.run();
        assertEquals(Math.log(10), r.iterations.get(0).loss(), 1e-12);
        assertFalse(result.diverged(), String.valueOf(result.divergedReason()));
    }

    /** A step asked for while running pauses after it (Paused at that iteration); a resume is reported once. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStepAskedBeforeTheRunPausesAfterOneIterationAndAResumeIsReported() {
        Trainer t = recorded(new BatchRecorder(), indexed(30), SMALL.withBatchSize(10).withEpochs(1));
        List<String> events = new CopyOnWriteArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onEvent(RunEvent event) {
                events.add(event.getClass().getSimpleName() + " " + event.iteration());
                if (event instanceof RunEvent.Paused) {
                    Thread resumer = new Thread(() -> {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                        t.controls().resume();
                    });
                    resumer.setDaemon(true);
                    resumer.start();
                }
            }

            @Override
            public void onIteration(IterationMetrics m) {
                events.add("iteration " + m.iteration());
            }
        });
        t.controls().step();
        TrainResult r = t.run();
        assertTrue(r.completed());
        assertEquals(List.of("Started 0", "Paused 0", "iteration 1", "Resumed 1", "iteration 2", "iteration 3", "Finished 3"),
                events);
    }

    /**
     * A completed run whose best epoch is not its last ends with the best epoch's parameters. The net's scores are its
     * images' first ten pixels (as in EvaluatorTest): two thirds right. After the first epoch the test turns the
     * weights around, so the lit pixel's class scores lowest, and lr 1e-300 keeps the steps from undoing it: later
     * epochs score at most the other third.
     */
    @Test
    void aCompletedRunEndsWithTheBestEpochsParametersEvenIfItIsNotTheLast() {
        Net net = EvaluatorTest.pixelReader();
        Dataset d = new Dataset("lit pixels", BuiltInData.CLASS_NAMES, EvaluatorTest.images(30), ImageSet.empty(), ImageSet.empty());
        Trainer t = new Trainer(net, d, EvaluatorTest.IDENTITY, SMALL.withBatching(Batching.FULL).withLearningRate(1e-300));
        Recorder r = new Recorder();
        t.addListener(r);
        double[][] firstEpoch = new double[1][];
        t.addListener(new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                if (m.epoch() == 1) {
                    double[] w = net.weights().get(0).value().data;
                    firstEpoch[0] = w.clone();
                    for (int i = 0; i < w.length; i++) {
                        w[i] = -w[i];
                    }
                }
            }
        });
        TrainResult result = t.run();
        assertTrue(result.completed());
        assertEquals(20.0 / 30, r.epochs.get(0).trainAccuracy(), 1e-15);
        for (int e = 1; e < 4; e++) {
            assertTrue(r.epochs.get(e).trainAccuracy() <= 10.0 / 30, "epoch " + (e + 1) + ": " + r.epochs.get(e).trainAccuracy());
        }
        assertEquals(1, result.bestEpoch());
        assertArrayEquals(firstEpoch[0], net.weights().get(0).value().data, 0, "the first epoch's weights are back");
    }

    // ------------------------------------------------------------------ divergence

    /**
     * The 3x rule at its boundary. An SGD step at lr 1e-300 changes no weight (the update is far below a weight's last
     * bit), so every full-batch step has the first step's data loss, exactly; after the first, reg is raised so that
     * the L2 term puts the loss at {@code factor} times the first: just below 3 the run goes on, just above it ends.
     */
    @Test
    void aLossJustBelowThreeTimesTheFirstGoesOnAndJustAboveEndsTheRun() {
        Recorder below = boundaryRun(3 * (1 - 1e-9));
        assertEquals(4, below.iterations.size());
        assertInstanceOf(RunEvent.Finished.class, below.events.get(below.events.size() - 1));
        double first = below.iterations.get(0).loss();
        for (int i = 1; i < 4; i++) {
            double factor = below.iterations.get(i).loss() / first;
            assertTrue(factor < 3 && factor > 3 - 1e-8, "loss / first loss " + factor);
        }

        Recorder above = boundaryRun(3 * (1 + 1e-9));
        assertEquals(2, above.iterations.size(), "ended at the second iteration");
        double factor = above.iterations.get(1).loss() / above.iterations.get(0).loss();
        assertTrue(factor > 3 && factor < 3 + 1e-8, "loss / first loss " + factor);
        RunEvent.Diverged d = (RunEvent.Diverged) above.events.get(above.events.size() - 1);
        assertEquals(2, d.iteration());
        assertTrue(d.reason().contains("exceeded 3 times the first iteration's "
                + org.babysitter.engine.Numbers.significant(above.iterations.get(0).loss(), 4) + " at iteration 2"), d.reason());
    }

    private static Recorder boundaryRun(double factor) {
        TrainConfig config = SMALL.withBatching(Batching.FULL).withLearningRate(1e-300).withReg(0);
        Trainer t = recorded(new BatchRecorder(), indexed(30), config);
        Recorder r = new Recorder();
        t.addListener(r);
        t.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == 1) {
                    double squares = 0;
                    for (org.babysitter.engine.model.Param w : t.net().weights()) {
                        for (double v : w.value().data) {
                            squares += v * v;
                        }
                    }
                    // loss = data loss + 0.5 * reg * squares = factor * first, the data loss staying the first loss
                    t.controls().setReg((factor - 1) * m.loss() / (0.5 * squares));
                }
            }
        });
        TrainResult result = t.run();
        assertEquals(factor > 3, result.diverged(), String.valueOf(result.divergedReason()));
        for (IterationMetrics m : r.iterations) {
            assertEquals(0, m.updateRatios().get(0), 1e-200, "no weight moves");
        }
        return r;
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
