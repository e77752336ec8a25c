package org.babysitter.app.session;

import java.nio.file.Path;
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
import org.babysitter.engine.diagnosis.SanityWizard;
import org.babysitter.engine.io.AtomicFiles;
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
import org.babysitter.engine.train.TrainConfig;

/**
 * The lecture's checks of the configured net on the loaded data, in the background: the sanity-check wizard (initial
 * loss, reg raises it, overfit 20 images, a learning-rate sweep; its steps in {@link #wizard()} as they finish), a
 * gradient check (a {@link CheckReport}) and the gradient check against h. FX thread.
 */
public final class ChecksController {
    private final BackgroundJobs jobs;
    private final Gemm gemm;
    private final ConfigViewModel config;
    private final DataController data;
    private final Consumer<Notice> notices;
    private final Consumer<String> status;
    private final ObjectProperty<CheckReport> report = new SimpleObjectProperty<>();
    private final ObjectProperty<List<StepSweep>> stepSweep = new SimpleObjectProperty<>();
    private final SanityWizardViewModel wizard = new SanityWizardViewModel();
    private BackgroundJobs.Job wizardJob;
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
        LoadedImages images = data.imagesOrSay(notices);
        if (images == null) {
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

    /** The sanity-check wizard's rows, curve, sweep and report. */
    public SanityWizardViewModel wizard() {
        return wizard;
    }

    /** The wizard's options with the configured trainer: the lecture's numbers, {@value #SWEEP_ITERATIONS} per rate. */
    private static SanityWizard.Options wizardOptions(TrainConfig trainer) {
        return SanityWizard.Options.lecture(trainer).withSweep(LearningRateSweep.decades(1e-7, 1), SWEEP_ITERATIONS);
    }

    /**
     * Shows the steps the wizard would run now, each waiting with its expectation (FX thread; when its panel opens). A
     * configuration that cannot run yet is planned as the lecture's net; Run says what is wrong with it.
     */
    public void planWizard() {
        if (wizard.runningProperty().get()) {
            return;
        }
        LoadedImages images = data.images();
        NetConfig net;
        TrainConfig trainer;
        try {
            net = config.netConfig(Cifar.PIXELS, images == null ? 10 : images.classNames().size());
            trainer = config.trainConfig();
        } catch (IllegalArgumentException e) {
            net = NetConfig.lecture();
            trainer = TrainConfig.defaults();
        }
        wizard.plan(SanityWizard.plan(net, wizardOptions(trainer)));
    }

    /**
     * The sanity-check wizard on the loaded data with the configured net and trainer: its four steps in order, each
     * shown in {@link #wizard()} as it finishes; {@link #cancelWizard()} stops it.
     */
    public void runWizard() {
        if (wizard.runningProperty().get()) {
            return;
        }
        NetConfig net = configuredNet();
        if (net == null) {
            return;
        }
        TrainConfig trainer;
        try {
            trainer = config.trainConfig();
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot check", e.getMessage(), true));
            return;
        }
        SanityWizard.Options options = wizardOptions(trainer);
        Supplier<PreparedData> prepared = loadedData();
        wizard.started(SanityWizard.plan(net, options));
        wizardJob = jobs.<SanityWizard.Report, SanityWizard.Report>start("Sanity checks", (p, publish) -> {
            PreparedData pd = prepared.get();
            List<SanityWizard.Step> steps = new ArrayList<>();
            return SanityWizard.run(net, pd, gemm, options, p, s -> {
                steps.add(s);
                publish.accept(SanityWizard.report(net, pd, options, steps));
            });
        }, wizard::progressed, new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(SanityWizard.Report r) {
                wizard.finished(r);
                status.accept("Sanity checks: " + r.summary());
            }

            @Override
            public void failed(String message) {
                wizard.stopped(message);
                status.accept("Sanity checks failed.");
                notices.accept(new Notice("Sanity checks failed", message, true));
            }

            @Override
            public void cancelled() {
                wizard.stopped(null);
                status.accept("Sanity checks cancelled.");
            }
        });
    }

    /** Stops the wizard's run (FX thread); the steps done so far stay shown and can be exported. */
    public void cancelWizard() {
        if (wizardJob != null && wizard.runningProperty().get()) {
            wizardJob.cancel();
        }
    }

    /** Writes the wizard's steps so far to {@code file} as text, in the background. */
    public void exportWizard(Path file) {
        SanityWizard.Report r = wizard.reportProperty().get();
        if (r == null) {
            notices.accept(new Notice("Nothing to export", "Run the sanity checks first.", false));
            return;
        }
        String text = String.join("\n", r.lines()) + "\n";
        jobs.start("Exporting " + file.getFileName(), p -> {
            AtomicFiles.writeString(file, text);
            return "Saved the sanity checks in " + file;
        }, outcome("Export", status));
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

    /** Iterations per rate in the wizard's sweep. */
    static final int SWEEP_ITERATIONS = 200;

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
