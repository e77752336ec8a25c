package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.Preprocessor;

/**
 * Measures what the trainer does, not a model of it: training examples per second through a real
 * {@link Trainer} (batch sampling, byte-to-double conversion, forward, backward, update, listeners), timed
 * over windows of iterations that contain no epoch-end evaluation; and evaluation examples per second through
 * the {@link Evaluator}. Each figure is the median of several windows after a warm-up.
 */
public final class Throughput {
    private Throughput() {
    }

    /** Medians and all samples, in examples per second. */
    public record Result(double median, double[] samples) {
        static Result of(List<Double> rates) {
            double[] s = rates.stream().mapToDouble(Double::doubleValue).toArray();
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Result(median, s);
        }
    }

    /**
     * Training throughput.
     *
     * @param warmup  iterations run first and not timed
     * @param window  iterations per timed window
     * @param windows timed windows
     */
    public static Result training(NetConfig net, Dataset data, Preprocessor preprocessor, TrainConfig config, Gemm gemm,
                                  int warmup, int window, int windows) {
        return training(net, data, preprocessor, config, gemm, warmup, window, windows, t -> { });
    }

    /** The same, with {@code setup} applied to the trainer first (more listeners, layer sampling: what they cost). */
    public static Result training(NetConfig net, Dataset data, Preprocessor preprocessor, TrainConfig config, Gemm gemm,
                                  int warmup, int window, int windows, java.util.function.Consumer<Trainer> setup) {
        int batch = Math.min(config.batchSize(), data.train().size());
        int epochs = epochsFor(data.train().size(), config.batchSize(), warmup, window, windows);
        Trainer trainer = Trainer.create(net, data, preprocessor, config.withEpochs(epochs), gemm);
        Windows timing = new Windows(warmup, window, windows, batch, () -> trainer.controls().stop());
        trainer.addListener(timing);
        setup.accept(trainer);
        trainer.run();
        return timing.result();
    }

    /** Epochs of a run long enough for {@code warmup} iterations and {@code windows} windows, with room for dropped ones. */
    public static int epochsFor(int trainSize, int batchSize, int warmup, int window, int windows) {
        int batch = Math.min(batchSize, trainSize);
        int perEpoch = Math.max(trainSize / batch, 1);
        return (warmup + 2 * window * windows) / perEpoch + 2;
    }

    /**
     * The timing itself, as a listener of any trainer (the one {@link #training} builds, or one that a search trial
     * builds for itself): after {@code warmup} iterations, examples per second over windows of {@code window}
     * iterations, a window holding an epoch's end (an evaluation) dropped; {@code stop} is called once
     * {@code windows} windows were timed. Called on the training thread; read {@link #result} after the run.
     */
    public static final class Windows implements TrainingListener {
        private final int warmup;
        private final int window;
        private final int windows;
        private final int batch;
        private final Runnable stop;
        private final List<Double> rates = new ArrayList<>();
        private long windowStart;
        private int inWindow = -1;
        private boolean epochEnded;

        public Windows(int warmup, int window, int windows, int batch, Runnable stop) {
            this.warmup = warmup;
            this.window = window;
            this.windows = windows;
            this.batch = batch;
            this.stop = stop;
        }

        @Override
        public void onIteration(IterationMetrics m) {
            long now = System.nanoTime();
            if (m.iteration() == warmup) {
                windowStart = now;
                inWindow = 0;
                epochEnded = false;
                return;
            }
            if (inWindow < 0) {
                return;
            }
            inWindow++;
            if (inWindow == window) {
                if (!epochEnded) {
                    synchronized (this) {
                        rates.add(window * (double) batch * 1e9 / (now - windowStart));
                    }
                }
                windowStart = System.nanoTime();
                inWindow = 0;
                epochEnded = false;
                if (timed() >= windows) {
                    stop.run();
                }
            }
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            epochEnded = true; // this window holds an evaluation: not a training figure
        }

        private synchronized int timed() {
            return rates.size();
        }

        /** The windows' rates so far and their median. */
        public synchronized Result result() {
            return Result.of(rates);
        }
    }

    /** Evaluation throughput: test-mode accuracy over {@code data.test()} (or val if there is no test set). */
    public static Result evaluation(Net net, Dataset data, Preprocessor preprocessor, int warmups, int repeats) {
        var set = data.test().isEmpty() ? data.val() : data.test();
        Evaluator evaluator = new Evaluator(net, preprocessor);
        for (int i = 0; i < warmups; i++) {
            evaluator.accuracy(set);
        }
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            evaluator.accuracy(set);
            rates.add(set.size() * 1e9 / (System.nanoTime() - t));
        }
        return Result.of(rates);
    }
}
