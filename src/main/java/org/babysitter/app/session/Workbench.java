package org.babysitter.app.session;

import java.nio.file.Files;
import java.util.List;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.BundledOpenBlas;
import org.babysitter.engine.linalg.DeferredGemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.linalg.OneDnn;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.NetFile;

/**
 * The window's state, by job: the data ({@link DataController}), the run ({@link RunController}), the checks
 * ({@link ChecksController}), background jobs (checks and exports), and the {@link UiPump} that hands everything the
 * background threads report to them on the FX thread. Builds no view: the window binds to what it exposes.
 */
public final class Workbench implements UiMessage.Visitor {
    private final UiPump pump = new UiPump(this::deliver);
    private final Gemm gemm;
    private final ObjectProperty<Notice> notice = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty gemmChoice = new SimpleStringProperty("");
    private final ConfigViewModel config = new ConfigViewModel();
    private final BackgroundJobs jobs = new BackgroundJobs(pump);
    private final DataController data;
    private final RunController run;
    private final ChecksController checks;
    private final RunsController runs;
    private final SearchController search;
    private final JoinController join;
    /** How long the window's closing waits for a stopped run's trainer before closing the store anyway. */
    static final long CLOSE_WAIT_MILLIS = 10_000;
    private Thread closing;

    /** FX thread: the workbench on the backend the system property names, or the fastest, chosen in the background. */
    public Workbench() {
        this(new DeferredGemm(Gemms::choose));
    }

    public Workbench(Gemm gemm) {
        this.gemm = gemm;
        RunController[] runRef = new RunController[1];
        this.data = new DataController(pump, this::tell, status::set, () -> runRef[0].view().stateProperty().get().active());
        this.run = new RunController(pump, gemm, config, data, this::tell, status::set);
        runRef[0] = run;
        this.checks = new ChecksController(jobs, gemm, config, data, this::tell, status::set);
        this.runs = new RunsController(jobs, run, this::tell, status::set);
        this.search = new SearchController(jobs, pump, gemm, config, data, runs, this::tell, status::set);
        this.join = new JoinController(jobs, data, gemm, this::tell);
        if (gemm instanceof DeferredGemm d) {
            d.ready().ifPresentOrElse(this::chosen, () -> {
                gemmChoice.set("being chosen");
                run.view().gemmProperty().set("preparing...");
                // a background job (the status bar shows it running): the first start extracts the bundled OpenBLAS
                String title = Files.isDirectory(BundledOpenBlas.cacheFolder()) ? "Loading the matrix-product backend"
                        : "Preparing the bundled OpenBLAS (first start: extracting it)";
                jobs.start(title, p -> d.choice().get(), new BackgroundJobs.Outcome<Gemms.Choice>() {
                    @Override
                    public void succeeded(Gemms.Choice c) {
                        chosen(c);
                    }

                    @Override
                    public void failed(String message) {
                        gemmChoice.set("failed: " + message);
                        tell(new Notice("Matrix-product backend", "No matrix-product backend could be chosen: " + message, true));
                    }

                    @Override
                    public void cancelled() { // the wait was cancelled, not the choice: it is made by now
                        d.ready().ifPresent(Workbench.this::chosen);
                    }
                });
            });
        } else {
            gemmChoice.set(gemm.describe());
            run.view().gemmProperty().set(gemm.name());
        }
    }

    /** FX thread: the backend is chosen; the status bar and the run panel say which, a notice what went wrong. */
    private void chosen(Gemms.Choice c) {
        gemmChoice.set(c.summary() + ". " + c.gemm().describe());
        run.view().gemmProperty().set(c.gemm().name());
        status.set("Matrix products: " + c.gemm().name() + (c.forced() ? " (forced)" : ""));
        if (c.warning() != null) {
            tell(new Notice("Matrix-product backend", c.warning(), true));
        }
    }

    /** FX thread: what computes a conv net's convolutions (Help > About); never loads oneDNN here. */
    public String convolutions() {
        if (gemm instanceof DeferredGemm d) {
            return d.ready().map(c -> OneDnn.describe(c.gemm(), false)).orElse("being chosen with the matrix products");
        }
        return OneDnn.describe(gemm, false);
    }

    /** Which matrix-product backend runs and why, once chosen (Help > About); "being chosen" until then. */
    public StringProperty gemmChoiceProperty() {
        return gemmChoice;
    }

    /** A batch from the pump: each message to whom it concerns, then the run's batch to its views (FX thread). */
    private void deliver(List<UiMessage> batch) {
        for (UiMessage m : batch) {
            m.accept(this);
        }
        run.flush();
    }

    @Override
    public void fromRun(UiMessage.FromRun m) {
        run.fromRun(m);
    }

    @Override
    public void runFailed(UiMessage.RunFailed m) {
        run.runFailed(m);
    }

    @Override
    public void runRecorded(UiMessage.RunRecorded m) {
        runs.recorded(m);
    }

    @Override
    public void stateTaken(UiMessage.StateTaken m) {
        run.stateTaken(m);
    }

    @Override
    public void jobProgress(UiMessage.JobProgress m) {
        m.job().progressed(m.fraction(), m.what());
    }

    @Override
    public void jobPartial(UiMessage.JobPartial m) {
        m.job().partial(m.deliver());
    }

    @Override
    public void jobEnded(UiMessage.JobEnded m) {
        m.job().ended(m.deliver());
    }

    /**
     * Open net file...: the net in {@code file} (the CLI's --net FILE.json) in the Model panel's forms, over CIFAR-10's
     * images; a file that is not a net is one notice, the forms kept. Small: read on the calling (FX) thread.
     */
    public void openNetFile(java.nio.file.Path file) {
        try {
            NetConfig net = NetFile.read(file, Cifar.PIXELS, Cifar.CLASSES);
            // the window's own limits (at most 10 hidden layers of at most 4096 units), said before the forms change
            try {
                ConfigViewModel.parseHidden(String.join(", ", net.hiddenSizes().stream().map(String::valueOf).toList()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage() + " (the window's limit; train --net takes it)", e);
            }
            config.applyNet(net);
            status.set("Opened the net file " + file);
        } catch (IllegalArgumentException e) {
            tell(new Notice("Open net file", e.getMessage() + ". The Model panel is as it was.", true));
        }
    }

    /** Save net file...: the net in the Model panel's forms as a net file; a net that cannot be built is said instead. */
    public void saveNetFile(java.nio.file.Path file) {
        NetConfig net;
        try {
            net = config.netConfig(Cifar.PIXELS, Cifar.CLASSES);
        } catch (IllegalArgumentException e) {
            tell(new Notice("Save net file", "The net in the Model panel cannot be saved: " + e.getMessage(), true));
            return;
        }
        try {
            NetFile.write(file, net);
            status.set("Saved the net to " + file);
        } catch (java.io.IOException e) {
            tell(new Notice("Save net file", "Could not write " + file + ": " + e.getMessage(), true));
        }
    }

    /** Raises a notice; the same text twice still shows twice. */
    private void tell(Notice n) {
        notice.set(null);
        notice.set(n);
    }

    /**
     * The window is closing: stops the run and every job, and the pump. Waits for nothing on the FX thread; the run
     * store is closed on a thread of its own once the stopped run's trainer has ended (at most
     * {@value #CLOSE_WAIT_MILLIS} ms), so the run is recorded "stopped".
     */
    public void shutdown() {
        Thread trainer = run.activeTrainerThread();
        run.shutdown();
        search.shutdown(); // its trials end cancelled, recorded so before the store closes
        join.leave(); // this machine's member of a search across machines leaves it (its job ends with jobs.cancelAll)
        if (closing == null) {
            closing = runs.close(trainer, search.jobEnded(), CLOSE_WAIT_MILLIS);
        }
        data.cancelLoad();
        jobs.cancelAll();
        pump.stop();
    }

    public DataController data() {
        return data;
    }

    public RunController run() {
        return run;
    }

    /** The run store: the workspace, the runs panel's list and actions. */
    public RunsController runs() {
        return runs;
    }

    /** The thread closing the run store after {@link #shutdown} (null if none was open): tests wait for it. */
    public Thread storeClosing() {
        return closing;
    }

    /** The hyperparameter search of the command center panel. */
    public SearchController search() {
        return search;
    }

    /** This machine as a worker of a search across machines ("Join a search..."). */
    public JoinController join() {
        return join;
    }

    public ChecksController checks() {
        return checks;
    }

    public ConfigViewModel config() {
        return config;
    }

    /** Checks and exports under way, and their progress. */
    public BackgroundJobs jobs() {
        return jobs;
    }

    public UiPump pump() {
        return pump;
    }

    public Gemm gemm() {
        return gemm;
    }

    /** The latest dialog-worthy notice; the window shows each new one. */
    public ObjectProperty<Notice> noticeProperty() {
        return notice;
    }

    /** The last thing done, in words, for the status bar. */
    public StringProperty statusProperty() {
        return status;
    }
}
