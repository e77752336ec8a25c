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
        int perEpoch = Math.max(data.train().size() / batch, 1);
        // enough epochs for the warm-up and every window, with room for windows dropped at epoch ends
        int epochs = (warmup + 2 * window * windows) / perEpoch + 2;
        Trainer trainer = Trainer.create(net, data, preprocessor, config.withEpochs(epochs), gemm);
        List<Double> rates = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            private long windowStart;
            private int inWindow = -1;
            private boolean epochEnded;

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
                        rates.add(window * (double) batch * 1e9 / (now - windowStart));
                    }
                    windowStart = System.nanoTime();
                    inWindow = 0;
                    epochEnded = false;
                    if (rates.size() >= windows) {
                        trainer.controls().stop();
                    }
                }
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                epochEnded = true; // this window holds an evaluation: not a training figure
            }
        });
        setup.accept(trainer);
        trainer.run();
        return Result.of(rates);
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
