package org.babysitter.app.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.babysitter.app.charts.ChartExport;
import org.babysitter.app.charts.ChartKind;
import org.babysitter.app.charts.RunCharts;
import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.CifarReader;
import org.babysitter.engine.data.DataFormatException;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.gradcheck.GradientCheckTable;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.SanityChecks;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.Trainer;
import org.babysitter.engine.train.TrainerControls;
import org.jfree.chart.JFreeChart;

/**
 * The workbench's state and actions. Public methods are called on the FX thread and never block: loading,
 * training, checks and exports run on background threads, whose results come back only through the
 * {@link UiPump}. The trainer is driven through its thread-safe {@link TrainerControls}.
 */
public final class Session {
    private final DataViewModel data = new DataViewModel();
    private final ConfigViewModel config = new ConfigViewModel();
    private final RunViewModel run = new RunViewModel();
    private final RunCharts charts = new RunCharts();
    private final UiPump pump = new UiPump(this::onBatch, charts::redrawPending);
    private final ExecutorService jobs = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "babysitter-job");
        t.setDaemon(true);
        return t;
    });
    private final Gemm gemm;
    private final ObjectProperty<Notice> notice = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty jobRunning = new SimpleBooleanProperty();
    private final DoubleProperty jobProgress = new SimpleDoubleProperty();
    private final AtomicInteger jobsActive = new AtomicInteger();

    private LoadedImages images;
    private long loadJob;
    private AtomicBoolean loadCancel = new AtomicBoolean();
    private AtomicBoolean jobCancel = new AtomicBoolean();
    private long runId;
    private TrainerControls controls;
    private Thread trainerThread;
    private RunHistory history = new RunHistory();
    private volatile Trainer trainer;

    /** FX thread. */
    public Session() {
        this(Gemms.fromSystemProperty());
    }

    public Session(Gemm gemm) {
        this.gemm = gemm;
        run.gemmProperty().set(gemm.name());
    }

    // ------------------------------------------------------------------ data

    /** Loads the built-in generated images (no download). */
    public void loadBuiltIn() {
        load("built-in data", p -> BuiltInData.generate());
    }

    /** Loads CIFAR-10 from a folder, the official .tar.gz or a .bin; on failure the current data set stays. */
    public void open(Path path) {
        load(String.valueOf(path.getFileName()), p -> CifarReader.read(path, p));
    }

    private interface Loader {
        LoadedImages load(Progress progress) throws DataFormatException;
    }

    private void load(String what, Loader loader) {
        loadCancel.set(true); // a newer load replaces one under way
        long job = ++loadJob;
        AtomicBoolean cancel = new AtomicBoolean();
        loadCancel = cancel;
        data.loadingProperty().set(true);
        data.loadProgressProperty().set(0);
        data.loadMessageProperty().set("Opening " + what + "...");
        Preprocessing preprocessing = data.preprocessingProperty().get();
        jobs.submit(() -> {
            try {
                LoadedImages li = loader.load(new Progress() {
                    @Override
                    public void update(double fraction, String detail) {
                        pump.post(new Messages.LoadProgress(job, fraction, detail));
                    }

                    @Override
                    public boolean isCancelled() {
                        return cancel.get();
                    }
                });
                if (cancel.get()) {
                    throw new CancellationException();
                }
                PreparedData pd = PreparedData.prepare(li, SplitSpec.LECTURE, preprocessing);
                pump.postNow(new Messages.LoadFinished(job, li, pd, DataSummary.of(pd.dataset(), pd.preprocessor().meanImage(), 1)));
            } catch (CancellationException e) {
                pump.postNow(new Messages.LoadCancelled(job));
            } catch (DataFormatException e) {
                pump.postNow(new Messages.LoadFailed(job, e.getMessage()));
            } catch (OutOfMemoryError e) {
                pump.postNow(new Messages.LoadFailed(job, what + ": not enough memory to hold the images (" + e.getMessage() + ")"));
            } catch (RuntimeException e) {
                pump.postNow(new Messages.LoadFailed(job, what + ": " + e));
            }
        });
    }

    public void cancelLoad() {
        loadCancel.set(true);
    }

    // ------------------------------------------------------------------ run

    /** Starts a new run (or does nothing while one is active). */
    public void start() {
        startRun(false);
    }

    /** Pauses a running run, resumes a paused one, starts one otherwise (Space). */
    public void togglePause() {
        RunState s = run.stateProperty().get();
        if (s == RunState.RUNNING && controls != null) {
            controls.pause();
        } else if (s == RunState.PAUSED && controls != null) {
            controls.resume();
        } else if (!s.active()) {
            start();
        }
    }

    /** One iteration: of the paused run, or pausing a running one after its next iteration, or of a new run. */
    public void step() {
        if (run.stateProperty().get().active() && controls != null) {
            controls.step();
        } else {
            startRun(true);
        }
    }

    public void stop() {
        if (controls != null && run.stateProperty().get().active()) {
            controls.stop();
        }
    }

    /** Ends any run and clears the charts and metrics. */
    public void reset() {
        stop();
        runId++; // whatever the old run still reports is ignored
        controls = null;
        charts.reset();
        run.reset();
        history = new RunHistory();
        status.set("Reset: charts cleared.");
    }

    private void startRun(boolean paused) {
        if (run.stateProperty().get().active()) {
            return;
        }
        NetConfig net = configuredNet("Cannot start");
        if (net == null) {
            return;
        }
        TrainConfig tc;
        try {
            tc = config.trainConfig();
        } catch (IllegalArgumentException e) {
            tell(new Notice("Cannot start", e.getMessage(), true));
            return;
        }
        long id = ++runId;
        TrainerControls c = new TrainerControls();
        if (paused) {
            c.step();
        }
        controls = c;
        RunHistory h = new RunHistory();
        history = h;
        charts.reset();
        run.reset();
        run.setState(RunState.STARTING);
        LoadedImages li = images;
        Preprocessing preprocessing = data.preprocessingProperty().get();
        int subset = data.trainSubsetProperty().get();
        TrainingListener forward = new TrainingListener() {
            @Override
            public void onEvent(RunEvent event) {
                pump.postNow(new Messages.FromRun(id, event));
            }

            @Override
            public void onIteration(IterationMetrics m) {
                pump.post(new Messages.FromRun(id, m));
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                pump.post(new Messages.FromRun(id, m));
            }
        };
        Thread t = new Thread(() -> {
            try {
                PreparedData pd = PreparedData.prepare(li, new SplitSpec(SplitSpec.AUTO, subset, SplitSpec.ALL), preprocessing);
                Trainer tr = Trainer.create(net, pd.dataset(), pd.preprocessor(), tc, gemm, c);
                trainer = tr;
                tr.addListener(h);
                tr.addListener(forward);
                tr.run();
            } catch (IllegalArgumentException e) {
                pump.postNow(new Messages.FromRun(id, new Messages.RunFailed(e.getMessage())));
            } catch (OutOfMemoryError | RuntimeException e) {
                pump.postNow(new Messages.FromRun(id, new Messages.RunFailed("the run stopped: " + e)));
            }
        }, "babysitter-trainer-" + id);
        t.setDaemon(true);
        trainerThread = t;
        t.start();
    }

    /** Sets the learning rate: of the active run from its next iteration, and for the next runs. */
    public void setLearningRate(double lr) {
        if (!(lr > 0 && lr <= 1e7)) {
            throw new IllegalArgumentException("learning rate must be in (0, 1e7], got " + lr);
        }
        config.learningRateProperty().set(lr);
        if (controls != null && run.stateProperty().get().active()) {
            controls.setLearningRate(lr);
        }
    }

    /** Sets the regularization strength: of the active run from its next iteration, and for the next runs. */
    public void setReg(double reg) {
        if (!(reg >= 0 && reg <= 1e5)) {
            throw new IllegalArgumentException("reg must be in [0, 1e5], got " + reg);
        }
        config.regProperty().set(reg);
        if (controls != null && run.stateProperty().get().active()) {
            controls.setReg(reg);
        }
    }

    /** The trainer of the current run (tests read its reported learning rate), or null. */
    public Trainer trainer() {
        return trainer;
    }

    /** The configured net for the loaded data, or null after telling the user why there is none. */
    private NetConfig configuredNet(String cannot) {
        if (images == null) {
            tell(new Notice("No data", "Load a data set first (File > Open CIFAR-10..., or built-in data).", true));
            return null;
        }
        try {
            return config.netConfig(Cifar.PIXELS, images.classNames().size());
        } catch (IllegalArgumentException e) {
            tell(new Notice(cannot, e.getMessage(), true));
            return null;
        }
    }

    // ------------------------------------------------------------------ checks

    /** The lecture's sanity checks on the loaded data with the configured net, in the background. */
    public void runSanityChecks() {
        NetConfig net = configuredNet("Cannot check");
        if (net == null) {
            return;
        }
        LoadedImages li = images;
        Preprocessing preprocessing = data.preprocessingProperty().get();
        long seed = config.seedProperty().get();
        background("Sanity checks", cancel -> {
            PreparedData pd = PreparedData.prepare(li, SplitSpec.LECTURE, preprocessing);
            pump.post(new Messages.JobProgress(0.1, "Sanity checks: initial loss"));
            List<SanityChecks.Result> results = new ArrayList<>(SanityChecks.initialLoss(net, pd, gemm, seed, 1e3));
            pump.post(new Messages.JobProgress(0.3, "Sanity checks: overfitting 20 images"));
            results.add(SanityChecks.overfit(net, pd.dataset(), pd, gemm, 20, 1e-3, 200, seed, null));
            List<String> lines = new ArrayList<>();
            lines.add("Net: " + net.describe());
            lines.add("Data: " + pd.dataset().source() + " (" + pd.dataset().describeSplit() + ")");
            lines.add("");
            results.forEach(r -> lines.add(r.line()));
            boolean ok = results.stream().allMatch(SanityChecks.Result::pass);
            pump.postNow(new Messages.CheckReport("Sanity checks", lines, ok));
            return ok ? "Sanity checks passed." : "A sanity check failed.";
        });
    }

    /** Gradient check of the configured net (reg off, then on) on a few training images, in the background. */
    public void runGradientCheck() {
        NetConfig net = configuredNet("Cannot check");
        if (net == null) {
            return;
        }
        LoadedImages li = images;
        Preprocessing preprocessing = data.preprocessingProperty().get();
        long seed = config.seedProperty().get();
        double reg = Math.max(config.regProperty().get(), 1e-1);
        background("Gradient check", cancel -> {
            PreparedData pd = PreparedData.prepare(li, SplitSpec.LECTURE, preprocessing);
            Net model = net.build(Gemms.exact(gemm), seed);
            List<String> lines = new ArrayList<>();
            lines.add("Net: " + net.describe() + "; 5 images, h = 1e-5, up to 20 entries per tensor");
            lines.add(GradientCheckTable.LEGEND);
            double worst = 0;
            double[] regs = {0, reg};
            for (int i = 0; i < regs.length; i++) {
                pump.post(new Messages.JobProgress(0.1 + 0.45 * i, "Gradient check, reg " + regs[i]));
                GradientCheckTable t = GradientCheckTable.compute(model, pd, 5, regs[i], 1e-5, 20, seed);
                lines.add("");
                lines.addAll(t.lines());
                worst = Math.max(worst, t.worstCentered());
            }
            lines.add("");
            lines.add(String.format(Locale.ROOT, "worst 2-sided relative error %.2e: %s", worst, worst <= 1e-2 ? "PASS" : "FAIL"));
            pump.postNow(new Messages.CheckReport("Gradient check", lines, worst <= 1e-2));
            return "Gradient check done.";
        });
    }

    // ------------------------------------------------------------------ export

    /** Writes one chart as PNG at the given size, in the background. */
    public void exportChart(ChartKind kind, Path file, int width, int height) {
        try {
            ChartExport.checkSize(width, height);
        } catch (IllegalArgumentException e) {
            tell(new Notice("Cannot export", e.getMessage(), true));
            return;
        }
        JFreeChart copy = ChartExport.snapshot(charts.chart(kind));
        background("Export", cancel -> {
            ChartExport.writePng(copy, file, width, height);
            return "Saved " + file;
        });
    }

    /** The file names {@link #exportAll} writes into a folder. */
    public static List<String> exportAllNames() {
        List<String> names = new ArrayList<>();
        for (ChartKind k : ChartKind.values()) {
            names.add(k.fileName() + ".png");
        }
        names.add("metrics.csv");
        return names;
    }

    /** Writes all charts as PNG and the run's metrics as CSV into a folder, in the background. */
    public void exportAll(Path folder, int width, int height) {
        try {
            ChartExport.checkSize(width, height);
        } catch (IllegalArgumentException e) {
            tell(new Notice("Cannot export", e.getMessage(), true));
            return;
        }
        List<JFreeChart> copies = new ArrayList<>();
        for (ChartKind k : ChartKind.values()) {
            copies.add(ChartExport.snapshot(charts.chart(k)));
        }
        RunHistory h = history;
        background("Export", cancel -> {
            ChartKind[] kinds = ChartKind.values();
            for (int i = 0; i < kinds.length; i++) {
                if (cancel.get()) {
                    throw new CancellationException();
                }
                pump.post(new Messages.JobProgress((double) i / (kinds.length + 1), "Exporting " + kinds[i].fileName() + ".png"));
                ChartExport.writePng(copies.get(i), folder.resolve(kinds[i].fileName() + ".png"), width, height);
            }
            h.writeCsv(folder.resolve("metrics.csv"));
            return "Saved " + kinds.length + " charts and metrics.csv to " + folder;
        });
    }

    /** Writes the run's metrics as CSV, in the background. */
    public void exportCsv(Path file) {
        RunHistory h = history;
        background("Export", cancel -> {
            h.writeCsv(file);
            return "Saved " + file;
        });
    }

    /** Work for {@link #background}: returns the status line when done. */
    private interface Job {
        String run(AtomicBoolean cancel) throws IOException;
    }

    private void background(String title, Job job) {
        AtomicBoolean cancel = new AtomicBoolean();
        jobCancel = cancel;
        jobsActive.incrementAndGet();
        jobRunning.set(true);
        jobProgress.set(-1);
        jobs.submit(() -> {
            try {
                pump.postNow(new Messages.JobDone(job.run(cancel)));
            } catch (CancellationException e) {
                pump.postNow(new Messages.JobDone(title + " cancelled."));
            } catch (IOException e) {
                pump.postNow(new Messages.JobFailed(title + " failed", e.getMessage()));
            } catch (OutOfMemoryError | RuntimeException e) {
                e.printStackTrace(); // a bug, not bad input: keep the trace for the report
                pump.postNow(new Messages.JobFailed(title + " failed", e.toString()));
            }
        });
    }

    public void cancelJob() {
        jobCancel.set(true);
    }

    // ------------------------------------------------------------------ the pump's consumer (FX thread)

    private void onBatch(List<Object> batch) {
        List<IterationMetrics> its = new ArrayList<>();
        List<EpochMetrics> eps = new ArrayList<>();
        List<RunEvent.ControlChanged> marks = new ArrayList<>();
        for (Object m : batch) {
            if (m instanceof Messages.FromRun fr) {
                if (fr.run() != runId) {
                    continue;
                }
                Object p = fr.payload();
                if (p instanceof IterationMetrics im) {
                    its.add(im); // the status shows the batch's last iteration: see flush
                } else if (p instanceof EpochMetrics em) {
                    eps.add(em);
                    run.apply(em);
                } else if (p instanceof RunEvent.ControlChanged cc) {
                    marks.add(cc);
                    run.apply(cc);
                } else if (p instanceof RunEvent.Started s) {
                    flush(its, eps, marks);
                    charts.start(s);
                    run.apply(s);
                } else if (p instanceof RunEvent e) {
                    flush(its, eps, marks);
                    charts.redraw(); // a pause or the end: show everything now
                    run.apply(e);
                    if (e instanceof RunEvent.Diverged || e instanceof RunEvent.Finished) {
                        controls = null;
                    }
                } else if (p instanceof Messages.RunFailed f) {
                    run.setState(RunState.FAILED);
                    run.setMessage("Could not run: " + f.message());
                    controls = null;
                    tell(new Notice("Cannot train", f.message(), true));
                }
            } else {
                onMessage(m);
            }
        }
        flush(its, eps, marks);
        charts.redrawIfDue();
    }

    private void flush(List<IterationMetrics> its, List<EpochMetrics> eps, List<RunEvent.ControlChanged> marks) {
        if (!its.isEmpty()) {
            run.apply(its.get(its.size() - 1));
        }
        charts.append(its, eps, marks);
        its.clear();
        eps.clear();
        marks.clear();
    }

    private void onMessage(Object m) {
        if (m instanceof Messages.LoadProgress p && p.job() == loadJob) {
            data.loadProgressProperty().set(p.fraction());
            data.loadMessageProperty().set(p.what());
        } else if (m instanceof Messages.LoadFinished f && f.job() == loadJob) {
            images = f.images();
            data.show(f.summary());
            data.loadingProperty().set(false);
            data.loadMessageProperty().set("");
            status.set("Loaded " + f.summary().source() + ": " + f.summary().split() + ".");
        } else if (m instanceof Messages.LoadFailed f && f.job() == loadJob) {
            data.loadingProperty().set(false);
            data.loadMessageProperty().set("");
            tell(new Notice("Cannot open the data", f.message() + (images == null ? ""
                    : "\n\nThe data set loaded before stays: " + data.sourceProperty().get()), true));
        } else if (m instanceof Messages.LoadCancelled c && c.job() == loadJob) {
            data.loadingProperty().set(false);
            data.loadMessageProperty().set("");
            status.set("Loading cancelled." + (images == null ? "" : " The data set loaded before stays."));
        } else if (m instanceof Messages.JobProgress p) {
            jobProgress.set(p.fraction());
            status.set(p.what());
        } else if (m instanceof Messages.JobDone d) {
            jobDone();
            status.set(d.message());
        } else if (m instanceof Messages.JobFailed f) {
            jobDone();
            status.set(f.title());
            tell(new Notice(f.title(), f.message(), true));
        } else if (m instanceof Messages.CheckReport r) {
            tell(new Notice(r.title() + (r.passed() ? ": PASS" : ": FAIL"), String.join("\n", r.lines()), false));
        }
    }

    /** Raises a notice; the same text twice still shows twice. */
    private void tell(Notice n) {
        notice.set(null);
        notice.set(n);
    }

    private void jobDone() {
        if (jobsActive.decrementAndGet() <= 0) {
            jobsActive.set(0);
            jobRunning.set(false);
        }
    }

    /** Stops the run and background work (the window is closing). Waits briefly for the trainer to end. */
    public void shutdown() {
        if (controls != null) {
            controls.stop();
        }
        loadCancel.set(true);
        jobCancel.set(true);
        pump.stop();
        Thread t = trainerThread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        jobs.shutdownNow();
    }

    /** The trainer thread of the last run, for tests. */
    public Thread trainerThread() {
        return trainerThread;
    }

    public DataViewModel data() {
        return data;
    }

    public ConfigViewModel config() {
        return config;
    }

    public RunViewModel run() {
        return run;
    }

    public RunCharts charts() {
        return charts;
    }

    public UiPump pump() {
        return pump;
    }

    public Gemm gemm() {
        return gemm;
    }

    public RunHistory history() {
        return history;
    }

    /** The latest dialog-worthy notice; the window shows each new one. */
    public ObjectProperty<Notice> noticeProperty() {
        return notice;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty jobRunningProperty() {
        return jobRunning;
    }

    /** Progress of the background job, -1 while unknown. */
    public DoubleProperty jobProgressProperty() {
        return jobProgress;
    }

    /** True once a data set has been loaded. */
    public boolean hasData() {
        return images != null;
    }
}
