package org.babysitter.engine.diagnosis;

import static org.babysitter.engine.diagnosis.Thresholds.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.diagnosis.Finding.Fix;
import org.babysitter.engine.diagnosis.Finding.Severity;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;

/**
 * Watches one run's reports and says what the lecture would say about them, as {@link Finding}s handed to a sink as
 * they are found. Each rule fires at most once per subject in a run (the first time it holds, which is where its
 * marker goes). It runs on the trainer's thread, in the listener's few microseconds: a few sums over windows of the
 * loss. Layer rules need the trainer to sample {@link LayerStatistics} ({@code Trainer.sampleLayerStatistics}).
 * The rules and their thresholds: {@link Rule}, {@link Thresholds}.
 */
public final class Narrator implements TrainingListener {
    private final Consumer<Finding> sink;
    private final List<Finding> findings = new ArrayList<>();
    private final Set<String> fired = new HashSet<>();
    private RunEvent.Started run;
    private double[] losses = new double[256];
    private double[] regLosses = new double[256];
    private double[][] ratios = new double[0][];
    private int count;
    private double lowestMean = Double.POSITIVE_INFINITY;
    private boolean flat;
    private double bestVal = -1;
    private int bestValEpoch;
    private double trainAtBestVal;
    private final List<Double> trainHistory = new ArrayList<>();

    public Narrator(Consumer<Finding> sink) {
        this.sink = sink;
    }

    /**
     * How often a run of {@code totalIterations} should sample its layers for the layer rules: a hundred samples a
     * run, at most every 50 iterations. A sample reads every layer's output and every weight's gradient once: at most
     * every 50 iterations that is about 1% of a step's time (BENCHMARKS.md).
     */
    public static int sampleEvery(int totalIterations) {
        return org.babysitter.engine.train.Trainer.everyHundredth(totalIterations);
    }

    /** Everything said so far, in order. */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    @Override
    public void onEvent(RunEvent event) {
        if (event instanceof RunEvent.Started s) {
            if (run != null && s.iteration() > 0) {
                return; // a fork going on from the reports heard so far: the same run to read on
            }
            run = s;
            ratios = new double[s.weightNames().size()][Math.min(s.totalIterations(), 1 << 16)];
        } else if (event instanceof RunEvent.Diverged d && run != null) {
            say(Rule.LR_TOO_HIGH, Severity.WARNING, "loss", d.iteration(), d.reason(), "NaN, inf or 3x the first loss",
                    "Lower the learning rate 10x (lr " + Numbers.significant(lrNow() / 10, 3) + ") and start again",
                    Fix.LOWER_LR_10X);
        } else if (event instanceof RunEvent.Rewound r && run != null) {
            boolean reg = r.cause() == RunEvent.Cause.REG;
            String back = "the run is back at iteration " + r.toIteration() + " (loss " + Numbers.significant(r.lossThen(), 4)
                    + ") and paused";
            say(reg ? Rule.REG_DOMINATES : Rule.LR_TOO_HIGH, Severity.WARNING, "loss broke at iteration " + r.iteration(),
                    r.iteration(), r.reason(), "NaN, inf or 3x the first loss",
                    reg ? "Lower reg 10x (reg " + Numbers.significant(r.reg() / 10, 3) + ") and resume: " + back
                            : "Lower the learning rate 10x (lr "
                            + Numbers.significant(r.learningRate() / 10, 3) + ") and resume: " + back,
                    reg ? Fix.LOWER_REG_10X_RESUME : Fix.LOWER_LR_10X_RESUME);
        }
    }

    @Override
    public void onIteration(IterationMetrics m) {
        if (run == null) {
            return;
        }
        int t = m.iteration();
        if (count == losses.length) {
            losses = Arrays.copyOf(losses, count * 2);
            regLosses = Arrays.copyOf(regLosses, count * 2);
        }
        losses[count] = m.loss();
        regLosses[count] = m.regLoss();
        for (int w = 0; w < ratios.length && w < m.updateRatios().size(); w++) {
            ratios[w][count % ratios[w].length] = m.updateRatios().get(w);
        }
        count++;
        lastLr = m.learningRate();
        if (count == 1) {
            initialLoss(m);
        }
        if (!Double.isFinite(m.loss())) {
            return; // the Diverged event follows
        }
        flatOrRising(t);
        if (count == REG_WINDOW) {
            regDominates(t);
        }
        if (count >= NOISE_MIN && count % 10 == 0) {
            noise(t);
        }
        if (count % 50 == 0) {
            updateRatios(t);
        }
    }

    private double lastLr;

    private double lrNow() {
        return lastLr > 0 ? lastLr : run.learningRate();
    }

    private void initialLoss(IterationMetrics m) {
        double data = m.loss() - m.regLoss();
        double chance = run.chanceLoss();
        double off = Math.abs(data - chance) / chance;
        if (Double.isFinite(data) && off > INITIAL_LOSS_TOLERANCE) {
            say(Rule.INITIAL_LOSS, off > INITIAL_LOSS_FAR ? Severity.WARNING : Severity.NOTE, "loss", m.iteration(),
                    "first data loss " + fixed(data, 4) + " vs " + run.chanceLabel(),
                    "within " + pct(INITIAL_LOSS_TOLERANCE) + " of it",
                    data > chance ? "The init is too large for the scores to start near 0: a smaller init std (the lecture's"
                            + " 1e-4) starts at chance; with Xavier or He a first loss 20-40% above it is usual"
                            : "Below chance at the start: check the loss and the labels",
                    Fix.NONE);
        }

    }

    private void flatOrRising(int t) {
        int window = Math.max(FLAT_WINDOW_MIN, Math.min(FLAT_WINDOW_MAX, (int) Math.round(FLAT_WINDOW_SHARE * run.totalIterations())));
        int k = Math.min(AVERAGE_OVER, Math.max(1, window / 5));
        if (count == window) {
            double first = mean(0, k);
            double last = mean(count - k, count);
            double drop = (first - last) / first;
            if (drop < FLAT_DROP && last <= first * (1 + FLAT_DROP)) {
                flat = true;
                say(Rule.LR_TOO_LOW, Severity.WARNING, "loss", t,
                        "loss " + fixed(first, 4) + " -> " + fixed(last, 4) + " in " + window
                                + " iterations (" + signedPct(-drop) + ")",
                        "a fall of at least " + pct(FLAT_DROP),
                        "Raise the learning rate 10x (lr " + Numbers.significant(lrNow() * 10, 3) + "); by decades until the loss falls",
                        Fix.RAISE_LR_10X);
            }
        }
        int rising = Math.max(RISING_WINDOW, (RISING_IMAGES + run.batchSize() - 1) / run.batchSize());
        if (count >= 2 * rising) {
            double now = mean(count - rising, count);
            double before = mean(count - 2 * rising, count - rising);
            lowestMean = Math.min(lowestMean, before);
            if (now > RISING_FACTOR * lowestMean) {
                say(Rule.LR_TOO_HIGH, Severity.WARNING, "loss", t,
                        "the " + rising + "-iteration mean loss rose to " + fixed(now, 4) + " from its lowest "
                                + fixed(lowestMean, 4),
                        "at most " + RISING_FACTOR + "x its lowest",
                        "Lower the learning rate 10x (lr " + Numbers.significant(lrNow() / 10, 3) + "); a loss that falls then rises is still too high",
                        Fix.LOWER_LR_10X);
            }
        }
    }

    private void noise(int t) {
        double sum = 0;
        double sq = 0;
        int window = Math.min(count, NOISE_WINDOW);
        int n = window - 1;
        for (int i = count - window + 1; i < count; i++) {
            double d = losses[i] - losses[i - 1];
            sum += d;
            sq += d * d;
        }
        double sd = Math.sqrt(Math.max(0, sq / n - (sum / n) * (sum / n))) / Math.sqrt(2);
        double level = mean(count - window, count);
        if (sd > NOISE * level) {
            say(Rule.NOISY_LOSS, Severity.WARNING, "loss", t,
                    "the loss moves by " + pct(sd / level) + " of its level from one iteration to the next, batch " + run.batchSize(),
                    "at most " + pct(NOISE),
                    run.batchSize() < 32 ? "A batch of " + run.batchSize() + " is tiny: use 100 or more (and a learning rate to match)"
                            : "Shuffle the data, or lower the learning rate",
                    Fix.NONE);
        }
    }

    /** The L2 term a large share of the first loss, and the weights pulled to 0 while the data loss stayed where it was. */
    private void regDominates(int t) {
        double firstShare = regLosses[0] / losses[0];
        int k = AVERAGE_OVER;
        double dataFirst = mean(0, k) - meanOf(regLosses, 0, k);
        double dataNow = mean(count - k, count) - meanOf(regLosses, count - k, count);
        double regNow = meanOf(regLosses, count - k, count);
        if (firstShare > REG_FIRST_SHARE && regNow < 0.5 * regLosses[0] && dataNow > (1 - FLAT_DROP * 5) * dataFirst) {
            say(Rule.REG_DOMINATES, Severity.WARNING, "loss", t,
                    "the L2 term was " + pct(firstShare) + " of the first loss (reg " + Numbers.exact(run.reg()) + ") and fell to "
                            + Numbers.significant(regNow, 2) + " in " + t + " iterations while the data loss stayed at "
                            + fixed(dataNow, 4),
                    "an L2 term under " + pct(REG_FIRST_SHARE) + " of the first loss, or a data loss that falls",
                    "Lower reg (reg " + Numbers.significant(run.reg() / 10, 3) + "): the penalty pulls the weights to 0 faster"
                            + " than the data moves them (the lecture raises reg to 1e3 only to see the loss rise)",
                    Fix.LOWER_REG_10X);
        }
    }

    private void updateRatios(int t) {
        int grace = Math.max(RATIO_WINDOW, (int) (RATIO_GRACE * run.totalIterations()));
        if (count < grace) {
            return;
        }
        for (int w = 0; w < ratios.length; w++) {
            double[] window = new double[RATIO_WINDOW];
            int n = 0;
            for (int i = count - RATIO_WINDOW; i < count; i++) {
                double r = ratios[w][i % ratios[w].length];
                if (Double.isFinite(r)) {
                    window[n++] = r;
                }
            }
            if (n == 0) {
                continue;
            }
            Arrays.sort(window, 0, n);
            double median = window[n / 2];
            String name = run.weightNames().get(w);
            String measured = "norm(update)/norm(W) " + Numbers.significant(median, 2) + " (median of the last " + RATIO_WINDOW
                    + " iterations)";
            boolean far = median > RATIO_HIGH * RATIO_FAR || median < RATIO_LOW / RATIO_FAR;
            boolean outside = median > RATIO_HIGH || median < RATIO_LOW;
            boolean late = count >= (int) (UNDER_CAPACITY_AFTER * run.totalIterations());
            if (far || (outside && late)) {
                boolean high = median > RATIO_HIGH;
                say(Rule.UPDATE_RATIO, far ? Severity.WARNING : Severity.NOTE, name, t, measured,
                        "the band 1e-4..1e-2 around 1e-3",
                        high ? name + "'s steps are large for its weights: lower the learning rate"
                                : name + "'s steps are small for its weights: raise the learning rate",
                        high ? Fix.LOWER_LR_10X : Fix.RAISE_LR_10X);
            }
        }
    }

    @Override
    public void onEpoch(EpochMetrics e) {
        if (run == null) {
            return;
        }
        int t = e.iteration();
        double chance = 1.0 / run.classes();
        double train = e.trainAccuracy();
        double val = e.valAccuracy();
        if (flat && train >= chance + ACCURACY_ABOVE_CHANCE) {
            say(Rule.FLAT_LOSS_RISING_ACCURACY, Severity.NOTE, "accuracy", t,
                    "train accuracy " + fixed(train, 3) + " (chance " + fixed(chance, 3) + ") on a flat loss",
                    "chance + " + ACCURACY_ABOVE_CHANCE,
                    "The scores already lean toward the right classes; the loss, an average over all classes' probabilities,"
                            + " barely moves yet: the learning rate is still too low",
                    Fix.RAISE_LR_10X);
        }
        if (Double.isNaN(val)) {
            return;
        }
        double gap = train - val;
        if (gap >= GAP) {
            say(Rule.OVERFITTING, Severity.WARNING, "accuracy", t,
                    "train " + fixed(train, 3) + " vs val " + fixed(val, 3) + " (gap " + fixed(gap, 3) + ")",
                    "a gap below " + GAP,
                    "Overfitting: raise reg (reg " + (run.reg() == 0 ? "1e-3" : Numbers.significant(run.reg() * 10, 3))
                            + "), add dropout, or train on more data",
                    Fix.RAISE_REG_10X);
        }
        trainHistory.add(train);
        int h = trainHistory.size();
        boolean plateau = h > PLATEAU_EPOCHS && train - trainHistory.get(h - 1 - PLATEAU_EPOCHS) < PLATEAU_RISE;
        if (e.epoch() >= Math.max(3, UNDER_CAPACITY_AFTER * e.epochs()) && plateau && Math.abs(gap) < NO_GAP
                && train < LOW_ACCURACY_X_CHANCE * chance && train > chance + ACCURACY_ABOVE_CHANCE && !flat) {
            say(Rule.UNDER_CAPACITY, Severity.WARNING, "accuracy", t,
                    "train " + fixed(train, 3) + " and val " + fixed(val, 3) + " together, both low",
                    "train accuracy of " + fixed(LOW_ACCURACY_X_CHANCE * chance, 2) + " or more, a gap of " + NO_GAP
                            + " or more, or still rising",
                    "Under capacity: a bigger net, less reg" + (run.reg() > 0 ? " (reg " + Numbers.significant(run.reg() / 10, 3) + ")" : "")
                            + ", or train longer",
                    run.reg() > 0 ? Fix.LOWER_REG_10X : Fix.NONE);
        }
        if (val > bestVal) {
            bestVal = val;
            bestValEpoch = e.epoch();
            trainAtBestVal = train;
        } else if (e.epoch() - bestValEpoch >= STALLED_EPOCHS && train - trainAtBestVal >= STALLED_TRAIN_RISE) {
            say(Rule.VAL_STALLED, Severity.WARNING, "accuracy", t,
                    "val " + fixed(bestVal, 3) + " at epoch " + bestValEpoch + ", no better since; train rose "
                            + fixed(trainAtBestVal, 3) + " -> " + fixed(train, 3),
                    STALLED_EPOCHS + " epochs without a new best while train rises " + STALLED_TRAIN_RISE,
                    "The net learns the training set only: more reg or dropout; the best epoch's parameters are kept",
                    Fix.RAISE_REG_10X);
        }
    }

    @Override
    public void onLayerStatistics(LayerStatistics s) {
        if (run == null) {
            return;
        }
        int t = s.iteration();
        List<LayerStatistics.Output> hidden = new ArrayList<>();
        for (LayerStatistics.Output o : s.layers()) {
            if (o.name().equals("0 input")) {
                if (run.batchSize() >= STATS_BATCH && Math.abs(o.mean()) > CENTRED * o.std()) {
                    say(Rule.NOT_CENTRED, Severity.WARNING, "input", t,
                            "input mean " + fixed(o.mean(), 3) + ", std " + fixed(o.std(), 3),
                            "|mean| below " + CENTRED + " x std",
                            "Subtract the mean image (preprocessing: mean image): all-positive inputs make every first-layer"
                                    + " weight's gradient share one sign",
                            Fix.NONE);
                }
                continue;
            }
            if (o.rectifier() || o.squashing()) {
                hidden.add(o);
                if (o.units() < run.classes()) {
                    say(Rule.UNDER_CAPACITY, Severity.WARNING, "layer " + o.name(), t,
                            "a hidden layer of " + o.units() + " unit" + (o.units() == 1 ? "" : "s") + " for " + run.classes()
                                    + " classes",
                            "at least as many units as classes",
                            "Under capacity: every class's score is a mix of these " + o.units() + " numbers; a bigger net"
                                    + " (the lecture's 50 hidden units or more)",
                            Fix.NONE);
                }
            }
            if (o.saturated() > SATURATED) {
                say(Rule.SATURATION, Severity.WARNING, "layer " + o.name(), t,
                        pct(o.saturated()) + " of its outputs at the bounds (std " + fixed(o.std(), 3) + ")",
                        "at most " + pct(SATURATED),
                        "Saturated units pass no gradient: a smaller init (Xavier: std 1/sqrt(fan_in)), or batch norm",
                        Fix.NONE);
            }
            if (o.dead() > DEAD && run.batchSize() >= STATS_BATCH) {
                say(Rule.DEAD_RELU, Severity.WARNING, "layer " + o.name(), t,
                        pct(o.dead()) + " of its " + o.units() + " units 0 for the whole batch",
                        "at most " + pct(DEAD),
                        "Dead ReLUs never recover: lower the learning rate, use He init or leaky ReLU",
                        Fix.LOWER_LR_10X);
            }
        }
        if (hidden.size() >= 3) {
            double first = hidden.get(0).std();
            double last = hidden.get(hidden.size() - 1).std();
            if (last < COLLAPSE * first) {
                say(Rule.ACTIVATIONS_COLLAPSE, Severity.WARNING, "layer " + hidden.get(hidden.size() - 1).name(), t,
                        "activation std " + fixed(first, 4) + " in the first hidden layer, " + Numbers.significant(last, 2)
                                + " in the last",
                        "the last at least " + pct(COLLAPSE) + " of the first",
                        "The init is too small for this depth: Xavier (tanh) or He (ReLU) keeps the std through the layers",
                        Fix.NONE);
            }
        }
        List<LayerStatistics.Gradient> g = s.weights();
        if (!g.isEmpty()) {
            LayerStatistics.Gradient firstW = g.get(0);
            LayerStatistics.Gradient lastW = g.get(g.size() - 1);
            double ratio = firstW.meanAbsGradient() / lastW.meanAbsGradient();
            if (firstW.meanAbsGradient() < VANISHING_ABS || (g.size() > 1 && ratio < VANISHING_RATIO)) {
                say(Rule.VANISHING_GRADIENT, Severity.WARNING, firstW.name(), t,
                        "mean |d" + firstW.name() + "| " + Numbers.significant(firstW.meanAbsGradient(), 2) + ", mean |d"
                                + lastW.name() + "| " + Numbers.significant(lastW.meanAbsGradient(), 2),
                        "mean |dW| >= 1e-7 and the first layer's >= 1e-4 x the last's",
                        "The first layers barely learn: Xavier/He init, ReLU instead of tanh/sigmoid, or batch norm",
                        Fix.NONE);
            } else if (g.size() > 1 && ratio > EXPLODING_RATIO) {
                say(Rule.EXPLODING_GRADIENT, Severity.WARNING, firstW.name(), t,
                        "mean |d" + firstW.name() + "| " + Numbers.significant(firstW.meanAbsGradient(), 2) + " is "
                                + Numbers.significant(ratio, 2) + "x the last layer's",
                        "at most 1e4x",
                        "Gradients grow toward the input: a smaller init, batch norm, or a lower learning rate",
                        Fix.LOWER_LR_10X);
            }
        }
    }

    private void say(Rule rule, Severity severity, String subject, int iteration, String measured, String threshold,
                     String suggestion, Fix fix) {
        if (!fired.add(rule + "/" + subject)) {
            return;
        }
        Finding f = new Finding(rule, severity, subject, iteration, measured, threshold, suggestion, fix);
        findings.add(f);
        sink.accept(f);
    }

    private double mean(int from, int to) {
        return meanOf(losses, from, to);
    }

    private static double meanOf(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    private static String fixed(double v, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String pct(double v) {
        return fixed(100 * v, v < 0.01 ? 2 : 0) + "%";
    }

    /** A change in percent: "+3.2%", "-0.0041%" (two significant digits, so a tiny change does not read 0). */
    private static String signedPct(double v) {
        return (v >= 0 ? "+" : "") + String.format(java.util.Locale.ROOT, "%.2g", 100 * v) + "%";
    }
}
