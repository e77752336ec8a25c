package org.babysitter.engine.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.SanityChecks;
import org.babysitter.engine.train.TrainConfig;

/**
 * The lecture's sanity checks as numbered steps, run in order on prepared data: (1) the initial loss is the chance
 * loss, (2) more reg raises it, (3) 20 images can be overfitted, (4) a learning-rate sweep finds a starting rate. Each
 * step is reported as it finishes, with what was expected, PASS or FAIL and a one-line reason; the command line, the
 * window and the text export say the same words. The checks themselves are {@link SanityChecks} and
 * {@link LearningRateSweep}; this class orders them, reads them and words them. Same seed, same steps.
 */
public final class SanityWizard {
    /** The number of steps with the sweep. */
    public static final int STEPS = 4;

    private SanityWizard() {
    }

    /**
     * What the wizard runs.
     *
     * @param trainer         the configured trainer: its seed inits every step's net; its rule, momentum, batch and reg
     *                        run the sweep
     * @param highReg         step 2's reg (the lecture: 1e3)
     * @param overfitSize     step 3's images (20)
     * @param overfitLr       step 3's SGD rate (1e-3)
     * @param overfitEpochs   step 3's full-batch epochs (200)
     * @param sweepRates      step 4's rates, one short run each; empty: no step 4
     * @param sweepIterations step 4's iterations per rate (at least 20)
     */
    public record Options(TrainConfig trainer, double highReg, int overfitSize, double overfitLr, int overfitEpochs,
                          List<Double> sweepRates, int sweepIterations) {
        public Options {
            if (trainer == null) {
                throw new IllegalArgumentException("the wizard needs the trainer's settings");
            }
            if (!(highReg > 0) || overfitSize < 1 || !(overfitLr > 0) || overfitEpochs < 1) {
                throw new IllegalArgumentException("the high reg and the overfit's lr must be above 0, its images and"
                        + " epochs at least 1");
            }
            sweepRates = List.copyOf(sweepRates);
            if (!sweepRates.isEmpty() && sweepIterations < LearningRateSweep.MIN_ITERATIONS) {
                throw new IllegalArgumentException("a sweep's runs need at least " + LearningRateSweep.MIN_ITERATIONS
                        + " iterations, got " + sweepIterations);
            }
        }

        /** The lecture's numbers: reg 1e3; 20 images, lr 1e-3, 200 epochs; 200 iterations per decade, 1e-7 .. 1. */
        public static Options lecture(TrainConfig trainer) {
            return new Options(trainer, 1e3, 20, 1e-3, 200, LearningRateSweep.decades(1e-7, 1), 200);
        }

        public Options withSweep(List<Double> rates, int iterations) {
            return new Options(trainer, highReg, overfitSize, overfitLr, overfitEpochs, rates, iterations);
        }

        public Options withoutSweep() {
            return withSweep(List.of(), sweepIterations);
        }

        public Options withOverfit(int size, double lr, int epochs) {
            return new Options(trainer, highReg, size, lr, epochs, sweepRates, sweepIterations);
        }

        public Options withHighReg(double reg) {
            return new Options(trainer, reg, overfitSize, overfitLr, overfitEpochs, sweepRates, sweepIterations);
        }

        public long seed() {
            return trainer.seed();
        }

        /** How many steps run: 4, or 3 without a sweep. */
        public int steps() {
            return sweepRates.isEmpty() ? STEPS - 1 : STEPS;
        }
    }

    /** A step before it runs: its number, its title and what it expects. */
    public record Planned(int number, String title, String expectation) {
        public Planned {
            if (number < 1 || number > STEPS || title.isBlank() || expectation.isBlank()) {
                throw new IllegalArgumentException("a step has a number 1.." + STEPS + ", a title and an expectation");
            }
        }
    }

    /** What a step measured, by kind. */
    public sealed interface Measured {
        /** Step 1: the first loss with reg 0 against the chance loss. */
        record InitialLoss(double loss, double chance, double tolerance, int images) implements Measured {
        }

        /** Step 2: the loss with reg 0 and with the high reg. */
        record RegRaises(double reg, double lossWithoutReg, double lossWithReg) implements Measured {
        }

        /** Step 3: the loss after every epoch (the first entry: the first epoch's), and the last train accuracy. */
        record Overfit(int images, List<Double> losses, double trainAccuracy, boolean diverged) implements Measured {
            public Overfit {
                losses = List.copyOf(losses);
            }
        }

        /** Step 4: the sweep, its points and suggestion. */
        record Sweep(LearningRateSweep.Result result) implements Measured {
            public Sweep {
                if (result == null || result.points().isEmpty()) {
                    throw new IllegalArgumentException("a sweep step needs the sweep's points");
                }
            }
        }
    }

    /** A finished step: the plan, PASS or FAIL, the reason in one line and what it measured. */
    public record Step(Planned plan, boolean pass, String reason, Measured measured) {
        public Step {
            if (plan == null || reason == null || reason.isBlank() || reason.contains("\n") || measured == null) {
                throw new IllegalArgumentException("a step has its plan, a one-line reason and what it measured");
            }
        }

        public int number() {
            return plan.number();
        }

        public String title() {
            return plan.title();
        }

        public String verdict() {
            return pass ? "PASS" : "FAIL";
        }

        /** The step as text: "1. Initial loss: PASS", the expectation, the reason, then its numbers (indented). */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add(plan.number() + ". " + plan.title() + ": " + verdict());
            lines.add("   Expected: " + plan.expectation());
            lines.add("   " + (pass ? "Got: " : "Failed: ") + reason);
            if (measured instanceof Measured.Overfit o) {
                lines.add("   Loss by epoch: " + curve(o.losses()));
            } else if (measured instanceof Measured.Sweep s) {
                s.result().points().forEach(p -> lines.add("   " + p.line()));
                lines.add("   " + s.result().suggestion());
            }
            return lines;
        }
    }

    /**
     * The wizard's steps so far (all of them once it has finished) with the net and data they ran on, for the command
     * line and the export.
     *
     * @param planned how many steps were to run
     */
    public record Report(String net, String data, String trainer, List<Step> steps, int planned) {
        public Report {
            steps = List.copyOf(steps);
            if (steps.size() > planned) {
                throw new IllegalArgumentException(steps.size() + " steps of " + planned);
            }
        }

        public boolean complete() {
            return steps.size() == planned;
        }

        /** Every step run and passed. */
        public boolean passed() {
            return complete() && steps.stream().allMatch(Step::pass);
        }

        public long failed() {
            return steps.stream().filter(s -> !s.pass()).count();
        }

        /** The heading lines: what ran on what. */
        public List<String> header() {
            return List.of("Sanity checks, step by step", "Net: " + net, "Data: " + data, "Trainer: " + trainer);
        }

        /** "All 4 steps passed.", "1 of 4 steps failed: step 1.", "Stopped after 2 of 4 steps." */
        public String summary() {
            List<String> failing = steps.stream().filter(s -> !s.pass()).map(s -> String.valueOf(s.number())).toList();
            String fails = failing.isEmpty() ? "" : failing.size() + " of " + steps.size() + " steps failed: step"
                    + (failing.size() == 1 ? " " : "s ") + String.join(", ", failing) + ".";
            if (!complete()) {
                return ("Stopped after " + steps.size() + " of " + planned + " steps. " + fails).trim();
            }
            return failing.isEmpty() ? "All " + planned + " steps passed." : fails;
        }

        /** The whole report as text (readable as markdown: the steps are a numbered list). */
        public List<String> lines() {
            List<String> lines = new ArrayList<>(header());
            for (Step s : steps) {
                lines.add("");
                lines.addAll(s.lines());
            }
            lines.add("");
            lines.add(summary());
            return lines;
        }
    }

    /** The steps {@code options} will run on {@code net}, before they run. */
    public static List<Planned> plan(NetConfig net, Options o) {
        List<Planned> plan = new ArrayList<>();
        plan.add(new Planned(1, "Initial loss", String.format(Locale.ROOT,
                "with reg 0 and small weights the first loss is the chance loss, %s (within %s)",
                net.loss().describeChance(net.classes()), Numbers.exact(SanityChecks.INITIAL_LOSS_TOLERANCE))));
        plan.add(new Planned(2, "Reg raises the loss", "with reg " + Numbers.exact(o.highReg())
                + " the loss is higher than with reg 0"));
        plan.add(new Planned(3, "Overfit " + o.overfitSize() + " images", String.format(Locale.ROOT,
                "%d images, reg 0, sgd lr %s, %d full-batch epochs: train accuracy 1.00, the loss near 0",
                o.overfitSize(), Numbers.exact(o.overfitLr()), o.overfitEpochs())));
        if (!o.sweepRates().isEmpty()) {
            List<Double> r = o.sweepRates();
            plan.add(new Planned(4, "Learning-rate sweep", String.format(Locale.ROOT,
                    "one %d-iteration run per rate, %s .. %s: too low (the loss barely moves), good (it falls), too high"
                            + " (it explodes); start at the good rate whose loss fell furthest",
                    o.sweepIterations(), Numbers.exact(r.get(0)), Numbers.exact(r.get(r.size() - 1)))));
        }
        return plan;
    }

    /**
     * Runs the steps in order, handing each to {@code onStep} as it finishes (on this thread); {@code progress} hears
     * how far it is and may cancel it between steps, between the overfit's epochs and between the sweep's rates (a
     * {@link java.util.concurrent.CancellationException}).
     */
    public static Report run(NetConfig net, PreparedData data, Gemm gemm, Options o, Progress progress, Consumer<Step> onStep) {
        List<Planned> plan = plan(net, o);
        List<Step> steps = new ArrayList<>();
        Consumer<Step> done = s -> {
            steps.add(s);
            onStep.accept(s);
        };
        double[] share = o.sweepRates().isEmpty() ? new double[] {0, 0.1, 0.2, 1} : new double[] {0, 0.05, 0.1, 0.3, 1};
        progress.checkCancelled();
        progress.update(share[0], "Step 1 of " + plan.size() + ": initial loss");
        List<SanityChecks.Result> losses = SanityChecks.initialLoss(net, data, gemm, o.seed(), o.highReg());
        double chance = net.loss().chanceLoss(net.classes());
        done.accept(initialLoss(plan.get(0), losses.get(0), chance, data.dataset().train().size()));
        progress.checkCancelled();
        progress.update(share[1], "Step 2 of " + plan.size() + ": reg raises the loss");
        done.accept(regRaises(plan.get(1), o.highReg(), losses.get(0).value(), losses.get(1)));
        progress.checkCancelled();
        progress.update(share[2], "Step 3 of " + plan.size() + ": overfit " + o.overfitSize() + " images");
        List<Double> curve = new ArrayList<>();
        boolean[] diverged = {false};
        SanityChecks.Result overfit = SanityChecks.overfit(net, data.dataset(), data, gemm, o.overfitSize(), o.overfitLr(),
                o.overfitEpochs(), o.seed(), new TrainingListener() {
                    @Override
                    public void onEvent(RunEvent e) {
                        diverged[0] |= e instanceof RunEvent.Diverged;
                    }

                    @Override
                    public void onEpoch(EpochMetrics m) {
                        curve.add(m.loss());
                        progress.checkCancelled(); // thrown through the trainer: the overfit stops here
                        if (m.epoch() % 20 == 0) {
                            progress.update(share[2] + (share[3] - share[2]) * m.epoch() / m.epochs(), String.format(
                                    Locale.ROOT, "Step 3 of %d: overfit epoch %d / %d, loss %.4f", plan.size(), m.epoch(),
                                    m.epochs(), m.loss()));
                        }
                    }
                });
        done.accept(overfit(plan.get(2), overfit, Math.min(o.overfitSize(), data.dataset().train().size()), curve,
                diverged[0]));
        if (!o.sweepRates().isEmpty()) {
            progress.checkCancelled();
            Progress within = new Progress() {
                @Override
                public void update(double fraction, String what) {
                    progress.update(share[3] + (share[4] - share[3]) * fraction, "Step 4 of 4: " + what);
                }

                @Override
                public boolean isCancelled() {
                    return progress.isCancelled();
                }
            };
            LearningRateSweep.Result r = LearningRateSweep.run(net, data.dataset(), data.preprocessor(), o.trainer(), gemm,
                    o.sweepRates(), o.sweepIterations(), within);
            done.accept(sweep(plan.get(3), r));
        }
        progress.update(1, "Sanity checks done");
        return report(net, data, o, steps);
    }

    /** The report of {@code steps} (all or the first few) run with {@code o} on {@code net} and {@code data}. */
    public static Report report(NetConfig net, PreparedData data, Options o, List<Step> steps) {
        String trainer = String.format(Locale.ROOT, "seed %d; the sweep: %s, batch %d, reg %s, no lr decay", o.seed(),
                o.trainer().describeRule(), o.trainer().batchSize(), Numbers.exact(o.trainer().reg()));
        return new Report(net.describe(), String.format(Locale.ROOT, "%s (%s), preprocessing: %s", data.dataset().source(),
                data.dataset().describeSplit(), data.preprocessor().kind()), trainer, steps, o.steps());
    }

    static Step initialLoss(Planned plan, SanityChecks.Result r, double chance, int images) {
        double off = Math.abs(r.value() - chance);
        String reason = String.format(Locale.ROOT, "loss %.6f with reg 0 on %d images, %.4f from the chance loss %.6f", r.value(), images,
                off, chance) + (r.pass() ? "" : String.format(Locale.ROOT,
                " (more than %s): look at the weight init (its std) and the loss",
                Numbers.exact(SanityChecks.INITIAL_LOSS_TOLERANCE)));
        return new Step(plan, r.pass(), reason, new Measured.InitialLoss(r.value(), chance,
                SanityChecks.INITIAL_LOSS_TOLERANCE, images));
    }

    static Step regRaises(Planned plan, double reg, double without, SanityChecks.Result r) {
        String reason = String.format(Locale.ROOT, "loss %.6f with reg %s %s %.6f with reg 0", r.value(), Numbers.exact(reg),
                r.pass() ? ">" : "<=", without) + (r.pass() ? "" : ": the L2 term is not in the loss");
        return new Step(plan, r.pass(), reason, new Measured.RegRaises(reg, without, r.value()));
    }

    static Step overfit(Planned plan, SanityChecks.Result r, int images, List<Double> curve, boolean diverged) {
        String reason = curve.isEmpty() ? "no epoch ran" : String.format(Locale.ROOT,
                "loss %.4f -> %.4f in %d epochs, train accuracy %.2f", curve.get(0), curve.get(curve.size() - 1),
                curve.size(), r.value()) + (diverged ? ", diverged" : "")
                + (r.pass() ? "" : ": the net cannot fit a handful of images (check the gradients, the lr)");
        return new Step(plan, r.pass(), reason, new Measured.Overfit(images, curve, r.value(), diverged));
    }

    static Step sweep(Planned plan, LearningRateSweep.Result r) {
        boolean pass = !Double.isNaN(r.suggested());
        String ranges = ranges(r);
        String reason = pass ? "suggested lr " + Numbers.exact(r.suggested()) + "; " + ranges
                : "no rate was good; " + ranges;
        return new Step(plan, pass, reason, new Measured.Sweep(r));
    }

    /** "too low 1e-7 .. 1e-5, good 1e-4 .. 1e-3, too high 1e-2 .. 1": each reading's rates, lowest to highest. */
    public static String ranges(LearningRateSweep.Result r) {
        List<String> parts = new ArrayList<>();
        for (LearningRateSweep.Verdict v : LearningRateSweep.Verdict.values()) {
            List<Double> lrs = r.points().stream().filter(p -> p.verdict() == v).map(LearningRateSweep.Point::learningRate)
                    .sorted().toList();
            if (!lrs.isEmpty()) {
                String name = v.words().substring(0, v.words().indexOf(':'));
                parts.add(name + " " + Numbers.exact(lrs.get(0))
                        + (lrs.size() > 1 ? " .. " + Numbers.exact(lrs.get(lrs.size() - 1)) : ""));
            }
        }
        return String.join(", ", parts);
    }

    /** A loss curve in a line: the first epoch's, then about every tenth of the run's, and the last. */
    static String curve(List<Double> losses) {
        if (losses.isEmpty()) {
            return "none";
        }
        int every = Math.max(1, losses.size() / 10);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < losses.size(); i++) {
            if (i == 0 || (i + 1) % every == 0 || i == losses.size() - 1) {
                parts.add(String.format(Locale.ROOT, "%d: %.4f", i + 1, losses.get(i)));
            }
        }
        return String.join(", ", parts);
    }
}
