package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.diagnosis.InitLesson;
import org.babysitter.engine.diagnosis.LearningRateSweep;
import org.babysitter.engine.gradcheck.Band;
import org.babysitter.engine.gradcheck.CheckBatch;
import org.babysitter.engine.gradcheck.GradientCheck;
import org.babysitter.engine.gradcheck.GradientCheckTable;
import org.babysitter.engine.gradcheck.StepSweep;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.SanityChecks;
import org.babysitter.engine.train.TrainConfig;

/**
 * The lecture's checks of the configured net on the loaded data, in the background: the sanity checks (initial loss,
 * reg raises it, overfit 20 images) and a gradient check. Each ends in a {@link CheckReport}. FX thread.
 */
public final class ChecksController {
    private final BackgroundJobs jobs;
    private final Gemm gemm;
    private final ConfigViewModel config;
    private final DataController data;
    private final Consumer<Notice> notices;
    private final Consumer<String> status;
    private final ObjectProperty<CheckReport> report = new SimpleObjectProperty<>();
    private final ObjectProperty<LearningRateSweep.Result> sweep = new SimpleObjectProperty<>();
    private final ObjectProperty<List<StepSweep>> stepSweep = new SimpleObjectProperty<>();
    private final ObjectProperty<List<InitLesson.Row>> initLesson = new SimpleObjectProperty<>();

    ChecksController(BackgroundJobs jobs, Gemm gemm, ConfigViewModel config, DataController data, Consumer<Notice> notices,
                     Consumer<String> status) {
        this.jobs = jobs;
        this.gemm = gemm;
        this.config = config;
        this.data = data;
        this.notices = notices;
        this.status = status;
    }

    /** The configured net for the loaded data, or null after telling the user why there is none. */
    private NetConfig configuredNet() {
        LoadedImages images = data.images();
        if (images == null) {
            notices.accept(new Notice("No data", "Load a data set first (File > Open CIFAR-10..., or built-in data).", true));
            return null;
        }
        try {
            return config.netConfig(Cifar.PIXELS, images.classNames().size());
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot check", e.getMessage(), true));
            return null;
        }
    }

    /**
     * The loaded images with the chosen preprocessing, as of now (read on the FX thread), prepared when the background
     * job calls it: the lecture's split.
     */
    private Supplier<PreparedData> loadedData() {
        LoadedImages images = data.images();
        var preprocessing = data.view().preprocessingProperty().get();
        return () -> PreparedData.prepare(images, SplitSpec.LECTURE, preprocessing);
    }

    /** The lecture's sanity checks on the loaded data with the configured net. */
    public void runSanityChecks() {
        NetConfig net = configuredNet();
        if (net == null) {
            return;
        }
        Supplier<PreparedData> prepared = loadedData();
        long seed = config.seedProperty().get();
        jobs.start("Sanity checks", p -> {
            PreparedData pd = prepared.get();
            p.update(0.1, "Sanity checks: initial loss");
            List<SanityChecks.Result> results = new ArrayList<>(SanityChecks.initialLoss(net, pd, gemm, seed, 1e3));
            p.checkCancelled();
            p.update(0.3, "Sanity checks: overfitting 20 images");
            results.add(SanityChecks.overfit(net, pd.dataset(), pd, gemm, 20, 1e-3, 200, seed, null));
            List<String> lines = new ArrayList<>();
            lines.add("Net: " + net.describe());
            lines.add("Data: " + pd.dataset().source() + " (" + pd.dataset().describeSplit() + ")");
            lines.add("");
            results.forEach(r -> lines.add(r.line()));
            boolean passed = results.stream().allMatch(SanityChecks.Result::pass);
            return new CheckReport("Sanity checks", lines, passed, passed ? "PASS" : "FAIL");
        }, outcome("Sanity checks"));
    }

    /** A gradient check of the configured net (reg off, then on) on a few training images. */
    public void runGradientCheck() {
        NetConfig net = configuredNet();
        if (net == null) {
            return;
        }
        Supplier<PreparedData> prepared = loadedData();
        long seed = config.seedProperty().get();
        double reg = Math.max(config.regProperty().get(), 1e-1);
        jobs.start("Gradient check", p -> {
            PreparedData pd = prepared.get();
            Net model = net.build(Gemms.exact(gemm), seed);
            GradientCheck.Options options = GradientCheck.Options.auto(20, seed);
            List<String> lines = new ArrayList<>();
            List<Band> bands = new ArrayList<>(); // each line's band, for colour: null but on the tensors' rows
            lines.add("Net: " + net.describe() + "; 5 images, up to 20 entries per tensor, h chosen per tensor");
            lines.addAll(GradientCheckTable.legend());
            List<GradientCheckTable> tables = new ArrayList<>();
            double[] regs = {0, reg};
            for (int i = 0; i < regs.length; i++) {
                p.checkCancelled();
                p.update(0.1 + 0.45 * i, "Gradient check, reg " + Numbers.exact(regs[i]));
                GradientCheckTable t = GradientCheckTable.compute(model, pd, 5, regs[i], options);
                tables.add(t);
                lines.add("");
                while (bands.size() < lines.size()) {
                    bands.add(null);
                }
                lines.addAll(t.lines());
                bands.addAll(t.bands());
            }
            lines.add("");
            lines.addAll(GradientCheckTable.summary(tables));
            while (bands.size() < lines.size()) {
                bands.add(null);
            }
            GradientCheckTable.Outcome result = GradientCheckTable.outcome(tables);
            return new CheckReport("Gradient check", lines, result == GradientCheckTable.Outcome.PASS, result.toString(),
                    CheckReport.names(bands));
        }, outcome("Gradient check"));
    }

    /**
     * The lecture's learning-rate search: a short run per decade (1e-7 .. 1) with the configured net and trainer,
     * read as too low, good or too high; the result (and its suggested rate) in {@link #sweepProperty()}.
     */
    public void runLearningRateSweep() {
        NetConfig net = configuredNet();
        if (net == null) {
            return;
        }
        TrainConfig base;
        try {
            base = config.trainConfig();
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot sweep", e.getMessage(), true));
            return;
        }
        Supplier<PreparedData> prepared = loadedData();
        jobs.start("Learning-rate sweep", p -> {
            PreparedData pd = prepared.get();
            return LearningRateSweep.run(net, pd.dataset(), pd.preprocessor(), base, gemm, LearningRateSweep.decades(1e-7, 1),
                    SWEEP_ITERATIONS, p);
        }, outcome("Learning-rate sweep", r -> {
            status.accept(Double.isNaN(r.suggested()) ? "Learning-rate sweep: no rate was good."
                    : "Learning-rate sweep: suggested lr " + Numbers.exact(r.suggested()) + ".");
            sweep.set(r);
        }));
    }

    /**
     * The lecture's lesson on the step h: the configured net's gradient check at every h from 1e-1 to 1e-10 (reg 0, 5
     * images, 20 entries per tensor), in {@link #stepSweepProperty()}.
     */
    public void runStepSweep() {
        NetConfig net = configuredNet();
        if (net == null) {
            return;
        }
        Supplier<PreparedData> prepared = loadedData();
        long seed = config.seedProperty().get();
        jobs.start("Gradient check against h", p -> {
            PreparedData pd = prepared.get();
            CheckBatch b = CheckBatch.of(pd, 5);
            p.update(0.1, "Gradient check at every h from 1e-1 to 1e-10");
            return StepSweep.run(net.build(Gemms.exact(gemm), seed), b.x(), b.labels(), 0, StepSweep.steps(), 20, seed);
        }, outcome("Gradient check against h", r -> {
            status.accept("Gradient check against h: done.");
            stepSweep.set(r);
        }));
    }

    /**
     * The lesson before the lecture: a 10-layer tanh net's activations with std 0.01, 1.0 and Xavier weights (forward
     * only, unit-gaussian input; needs no data), in {@link #initLessonProperty()}.
     */
    public void runInitLesson() {
        long seed = config.seedProperty().get();
        jobs.start("Weight-initialisation lesson", p -> InitLesson.run(gemm, seed, p), outcome("Weight-initialisation lesson", r -> {
            status.accept("Weight-initialisation lesson: done.");
            initLesson.set(r);
        }));
    }

    /** The latest init lesson, a row per init; the window shows each new one. */
    public ObjectProperty<List<InitLesson.Row>> initLessonProperty() {
        return initLesson;
    }

    /** The latest sweep of h, one per tensor; the window shows each new one. */
    public ObjectProperty<List<StepSweep>> stepSweepProperty() {
        return stepSweep;
    }

    /** Iterations per rate in the window's sweep. */
    static final int SWEEP_ITERATIONS = 200;

    /** The latest sweep; the window shows each new one. */
    public ObjectProperty<LearningRateSweep.Result> sweepProperty() {
        return sweep;
    }

    private BackgroundJobs.Outcome<CheckReport> outcome(String title) {
        return outcome(title, r -> {
            status.accept(r.heading());
            report.set(r);
        });
    }

    /** A check's outcome: {@code done} with its result; a failure told in a notice; a cancellation in the status. */
    private <T> BackgroundJobs.Outcome<T> outcome(String title, Consumer<T> done) {
        return new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(T r) {
                done.accept(r);
            }

            @Override
            public void failed(String message) {
                status.accept(title + " failed.");
                notices.accept(new Notice(title + " failed", message, true));
            }

            @Override
            public void cancelled() {
                status.accept(title + " cancelled.");
            }
        };
    }

    /** The latest report; the window shows each new one. */
    public ObjectProperty<CheckReport> reportProperty() {
        return report;
    }
}
