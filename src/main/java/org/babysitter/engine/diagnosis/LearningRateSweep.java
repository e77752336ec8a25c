package org.babysitter.engine.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.Preprocessor;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.TrainResult;
import org.babysitter.engine.train.Trainer;

/**
 * The lecture's search for a learning rate, as one step of the sanity checks: a short run per decade from the same
 * init (same seed, fixed lr, no decay), the loss after it read against the loss before. The lecture's three
 * pictures: a loss that barely moves (too low), one that falls (good), one that explodes or rises (too high). The
 * suggestion is the good rate whose loss fell furthest.
 */
public final class LearningRateSweep {
    private LearningRateSweep() {
    }

    public enum Verdict {
        TOO_LOW("too low: the loss moved less than 1%"), GOOD("good: the loss fell"),
        TOO_HIGH("too high: the loss exploded or rose");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * One rate's short run.
     *
     * @param firstLoss the mean loss of its first 10 iterations (of a diverged run: its first loss)
     * @param lastLoss  the mean loss of its last 10 (NaN or infinite when it diverged)
     * @param diverged  ended by the trainer's 3x rule (or NaN, inf)
     */
    public record Point(double learningRate, double firstLoss, double lastLoss, boolean diverged, int iterations,
                        Verdict verdict) {
        /** "lr 1e-4: loss 2.3026 -> 1.9870 (-14%) in 200 iterations, good: the loss fell". */
        public String line() {
            String after = diverged ? "diverged at iteration " + iterations
                    : String.format(Locale.ROOT, "%.4f (%+.2g%%) in %d iterations", lastLoss,
                    100 * (lastLoss - firstLoss) / firstLoss, iterations);
            return String.format(Locale.ROOT, "lr %-6s loss %.4f -> %s, %s", Numbers.exact(learningRate), firstLoss, after,
                    verdict.words());
        }
    }

    /**
     * The sweep: a point per rate, in order, and the suggested rate (NaN when no rate was good).
     *
     * @param iterations the planned length of every run
     */
    public record Result(List<Point> points, double suggested, int iterations) {
        public Result {
            points = List.copyOf(points);
        }

        /** The suggestion in words. */
        public String suggestion() {
            if (Double.isNaN(suggested)) {
                return "No rate was good: every run's loss barely moved or exploded. Check the net and the data (the other"
                        + " sanity checks), or sweep a wider range.";
            }
            return "Suggested learning rate: " + Numbers.exact(suggested) + " (of the good ones, the loss fell furthest in "
                    + iterations + " iterations); start there and watch the update/weight ratio.";
        }
    }

    /** Every power of ten from {@code from} to {@code to} (e.g. 1e-7 .. 1). */
    public static List<Double> decades(double from, double to) {
        if (!(from > 0) || !(to >= from)) {
            throw new IllegalArgumentException("a sweep goes from a positive rate up: " + from + " .. " + to);
        }
        List<Double> lrs = new ArrayList<>();
        for (int e = (int) Math.round(Math.log10(from)); e <= (int) Math.round(Math.log10(to)); e++) {
            lrs.add(Double.parseDouble("1e" + e));
        }
        return lrs;
    }

    /** Fewer iterations per rate than this cannot tell a flat loss from a falling one. */
    public static final int MIN_ITERATIONS = 20;

    /**
     * Runs the sweep: for each rate, {@code iterations} iterations of {@code base} (its rule, momentum, batch, reg,
     * seed) on the first {@code iterations x batch} training images, at that rate without decay, from the same init.
     */
    public static Result run(NetConfig net, Dataset data, Preprocessor preprocessor, TrainConfig base, Gemm gemm,
                             List<Double> lrs, int iterations, Progress progress) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("a sweep's runs need at least " + MIN_ITERATIONS + " iterations, got " + iterations);
        }
        int batch = base.batchSize();
        ImageSet train = data.train().head(iterations * batch);
        int perEpoch = Math.max(1, train.size() / batch);
        int epochs = Math.max(1, (iterations + perEpoch - 1) / perEpoch);
        Dataset small = new Dataset(data.source(), data.classNames(), train, ImageSet.empty(), ImageSet.empty());
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < lrs.size(); i++) {
            progress.checkCancelled();
            double lr = lrs.get(i);
            progress.update((double) i / lrs.size(), "Learning-rate sweep: lr " + Numbers.exact(lr));
            TrainConfig c = base.withLearningRate(lr).withLearningRateDecay(1).withEpochs(epochs)
                    .withBatching(org.babysitter.engine.train.Batching.SAMPLED).withTrainAccuracySample(Math.min(100, train.size()));
            Trainer t = Trainer.create(net, small, preprocessor, c, gemm);
            List<Double> losses = new ArrayList<>();
            t.addListener(new TrainingListener() {
                @Override
                public void onIteration(IterationMetrics m) {
                    losses.add(m.loss());
                    if (losses.size() >= iterations) {
                        t.controls().stop();
                    }
                }
            });
            TrainResult r = t.run();
            points.add(point(lr, losses, r.diverged()));
        }
        progress.update(1, "Learning-rate sweep done");
        double best = Double.NaN;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (Point p : points) {
            if (p.verdict() == Verdict.GOOD && p.lastLoss() < bestLoss) {
                bestLoss = p.lastLoss();
                best = p.learningRate();
            }
        }
        return new Result(points, best, iterations);
    }

    static Point point(double lr, List<Double> losses, boolean diverged) {
        int k = Math.min(Thresholds.AVERAGE_OVER, losses.size());
        // a diverged run's first iterations may already hold the explosion: its start is its first loss
        double first = diverged ? losses.get(0) : mean(losses.subList(0, k));
        double last = diverged ? losses.get(losses.size() - 1) : mean(losses.subList(losses.size() - k, losses.size()));
        Verdict v;
        if (diverged || !Double.isFinite(last) || last > first * (1 + Thresholds.FLAT_DROP)) {
            v = Verdict.TOO_HIGH;
        } else if ((first - last) / first < Thresholds.FLAT_DROP) {
            v = Verdict.TOO_LOW;
        } else {
            v = Verdict.GOOD;
        }
        return new Point(lr, first, last, diverged, losses.size(), v);
    }

    private static double mean(List<Double> v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.size();
    }
}
