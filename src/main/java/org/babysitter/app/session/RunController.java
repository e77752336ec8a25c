package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.diagnosis.Narrator;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunEvaluation;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.metrics.RunReport;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.runs.RunRecorder;
import org.babysitter.engine.runs.ConfigDiff;
import org.babysitter.engine.runs.RunSpec;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.train.Checkpoint;
import org.babysitter.engine.train.Evaluator;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.TrainResult;
import org.babysitter.engine.train.Trainer;
import org.babysitter.engine.train.TrainerControls;
import org.babysitter.engine.train.TrainerState;

/**
 * A run's life in the window: start, pause, step, stop, reset (and undo it), the live learning rate and reg. The
 * trainer runs on its own thread and is driven through its thread-safe {@link TrainerControls}; what it reports comes
 * back through the pump as {@link UiMessage.FromRun} and goes to the {@link RunViewModel} and the
 * {@link RunObserver}s (the charts) in batches. FX thread; nothing here waits for the trainer.
 */
public final class RunController {
    private final UiPump pump;
    private final Gemm gemm;
    private final ConfigViewModel config;
    private final DataController data;
    private final RunViewModel view = new RunViewModel();
    private final List<RunObserver> observers = new CopyOnWriteArrayList<>();
    private final Consumer<Notice> notices;
    private final Consumer<String> status;
    private final Batch batch = new Batch();
    private volatile long runId; // read by the trainer thread to skip evaluating a run already reset
    private TrainerControls controls;
    private Thread trainerThread;
    private volatile Trainer trainer;
    private RunHistory history = new RunHistory();
    private RunHistory cleared;
    /** The store the next run is recorded into (null: none is open); read by the trainer thread when a run starts. */
    private volatile RunStore store;
    /** The window run being recorded and its recorder, set by the trainer thread; the FX thread hands it findings. */
    private volatile Recording recording;

    /** Window run {@code run} is recorded by {@code recorder}. */
    private record Recording(long run, RunRecorder recorder) {
        Recording {
            if (recorder == null) {
                throw new IllegalArgumentException("a recording needs its recorder");
            }
        }
    }

    /** The active run's net, data and data file, set as it starts (its data by its trainer thread, once prepared). */
    private NetConfig runNet;
    private java.nio.file.Path runDataPath;
    private volatile PreparedData prepared;
    /** lr and reg set while the run is paused (NaN: not changed): a fork from the pause goes on with them. */
    private double pausedLr = Double.NaN;
    private double pausedReg = Double.NaN;
    /** A fork asked for, waiting for the run's state (null: none). */
    private PendingFork pendingFork;
    /** The original run at the last fork, to go on with again (Continue the original); null: none. */
    private ForkPoint forkPoint;
    private final javafx.beans.property.ReadOnlyStringWrapper continueOriginal = new javafx.beans.property.ReadOnlyStringWrapper("");
    /** The store's id of the run shown live (0: not recorded); set by the trainer thread when its row is made. */
    private volatile long storeRun;
    /** The fork point the run shown live went on from (null: it started from scratch). */
    private ForkPoint shownFrom;
    /** Recorded runs that went on from the current fork point, in order: drawn beside the next branch from it. */
    private final List<Long> branches = new ArrayList<>();
    private final javafx.beans.property.ObjectProperty<List<Long>> otherBranches = new javafx.beans.property.SimpleObjectProperty<>(List.of());

    private record PendingFork(long run, long storeRun, NetConfig net, PreparedData data, java.nio.file.Path dataPath,
                               double lr, double reg) {
    }

    /**
     * A run at the iteration it was forked: its whole state, what it was trained on, and its reports up to there,
     * from which the original can be continued and another fork made.
     *
     * @param storeRun the original's id in the run store (0: it was not recorded)
     */
    private record ForkPoint(long storeRun, TrainerState state, NetConfig net, PreparedData data, java.nio.file.Path dataPath,
                             List<RunReport> before) {
        ForkPoint {
            before = List.copyOf(before);
        }
    }

    private final javafx.beans.property.BooleanProperty rewindOnBreak = new javafx.beans.property.SimpleBooleanProperty(true);

    RunController(UiPump pump, Gemm gemm, ConfigViewModel config, DataController data, Consumer<Notice> notices,
                  Consumer<String> status) {
        this.pump = pump;
        this.gemm = gemm;
        this.config = config;
        this.data = data;
        this.notices = notices;
        this.status = status;
        rewindOnBreak.addListener((o, a, on) -> {
            if (controls != null) {
                controls.setRewindOnBreak(on);
            }
        });
    }

    /**
     * True (the default): a run whose loss breaks (NaN, inf, above 3x the first) goes back to its last good state and
     * pauses there, for a lower lr and a resume; false: it ends, diverged. Applies to the active run at once.
     */
    /**
     * The config of the run the charts show, trained here (null: none, a reopened run, a reset): the comparison's
     * legend tells compared runs apart from it too.
     */
    private final ObjectProperty<ConfigDiff.Config> shownConfig = new SimpleObjectProperty<>();

    public ReadOnlyObjectProperty<ConfigDiff.Config> shownConfigProperty() {
        return shownConfig;
    }

    public javafx.beans.property.BooleanProperty rewindOnBreakProperty() {
        return rewindOnBreak;
    }

    public void addObserver(RunObserver observer) {
        observers.add(observer);
    }

    /** Records the next runs into {@code store} (null: records nothing); a run already training keeps its recorder. */
    void recordInto(RunStore store) {
        this.store = store;
    }

    /** The trainer thread of the active run, or null: the window's closing waits for it before closing the store. */
    Thread activeTrainerThread() {
        return view.stateProperty().get().active() ? trainerThread : null;
    }

    /** Starts a new run (or does nothing while one is active). */
    public void start() {
        startRun(false);
    }

    /** Pauses a running run, resumes a paused one, starts one otherwise (Space). */
    public void togglePause() {
        RunState s = view.stateProperty().get();
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
        if (view.stateProperty().get().active() && controls != null) {
            controls.step();
        } else {
            startRun(true);
        }
    }

    public void stop() {
        if (controls != null && view.stateProperty().get().active()) {
            controls.stop();
        }
    }

    /** Ends any run and clears the charts and metrics; {@link #undoReset()} brings them back. */
    public void reset() {
        stop();
        runId++; // whatever the old run still reports is ignored
        controls = null;
        cleared = history.size() > 0 || history.started() != null ? history : cleared;
        history = new RunHistory();
        view.reset();
        shownConfig.set(null);
        observers.forEach(RunObserver::cleared);
        status.accept(cleared == null ? "Reset." : "Reset: charts cleared (Run > Undo reset brings them back).");
    }

    /** True if a reset can be undone: there is a cleared run and no run since. */
    public boolean canUndoReset() {
        return cleared != null && history.started() == null;
    }

    /** Shows the run cleared by the last reset again, as it ended (it cannot be continued). */
    public void undoReset() {
        if (!canUndoReset()) {
            return;
        }
        history = cleared;
        cleared = null;
        batch.continuing = false;
        view.reset();
        for (RunReport r : history.reports()) {
            r.deliverTo(batch);
        }
        flush();
        if (view.stateProperty().get().active()) {
            view.setState(RunState.STOPPED); // it was stopped by the reset
        }
        observers.forEach(RunObserver::settled);
        status.accept("Reset undone.");
    }

    /**
     * Shows a recorded run (from the run store) as Undo reset shows a cleared run: every chart, marker and finding
     * replayed through the same batch, then settled; {@code banner} says it is read-only. Refused while a run is active.
     * Returns false if refused.
     */
    public boolean showRecorded(RunHistory recorded, String data, String banner) {
        if (view.stateProperty().get().active()) {
            return false;
        }
        runId++; // nothing an older run still reports, and no finding replayed here, goes anywhere else
        controls = null;
        cleared = null;
        history = recorded;
        batch.continuing = false;
        view.reset();
        shownConfig.set(null);
        observers.forEach(RunObserver::cleared);
        for (RunReport r : recorded.reports()) {
            r.deliverTo(batch);
        }
        flush();
        if (view.stateProperty().get().active() || view.stateProperty().get() == RunState.IDLE) {
            view.setState(RunState.STOPPED); // an interrupted run never said how it ended
        }
        view.setData(data);
        String ended = view.messageProperty().get(); // how it ended, its best and test accuracy, as when it ended
        view.setMessage(ended.isEmpty() ? banner : banner + " " + ended);
        observers.forEach(RunObserver::settled);
        return true;
    }

    private void startRun(boolean paused) {
        if (view.stateProperty().get().active()) {
            return;
        }
        LoadedImages images = data.imagesOrSay(notices);
        if (images == null) {
            return;
        }
        NetConfig net;
        TrainConfig tc;
        try {
            net = config.netConfig(Cifar.PIXELS, images.classNames().size());
            tc = config.trainConfig();
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot start", e.getMessage(), true));
            return;
        }
        long id = ++runId;
        TrainerControls c = new TrainerControls();
        c.setRewindOnBreak(rewindOnBreak.get());
        if (paused) {
            c.step();
        }
        batch.continuing = false;
        shownFrom = null;
        runNet = net;
        runDataPath = data.path();
        prepared = null;
        storeRun = 0;
        pausedLr = Double.NaN;
        pausedReg = Double.NaN;
        controls = c;
        RunHistory h = new RunHistory();
        history = h;
        cleared = null;
        view.reset();
        view.setState(RunState.STARTING);
        view.setData(images.source());
        var preprocessing = data.view().preprocessingProperty().get();
        shownConfig.set(new ConfigDiff.Config(net, tc, images.source(), preprocessing.label()));
        int subset = data.view().trainSubsetProperty().get();
        TrainingListener forward = forwardTo(id);
        RunStore recordInto = store;
        java.nio.file.Path dataPath = data.path();
        launch(id, () -> {
            RunRecorder recorder = null;
            try {
                PreparedData pd = PreparedData.prepare(images, new SplitSpec(SplitSpec.AUTO, subset, SplitSpec.ALL), preprocessing);
                prepared = pd;
                Trainer tr = Trainer.create(net, pd.dataset(), pd.preprocessor(), tc, gemm, c);
                trainer = tr;
                tr.addListener(h);
                tr.addListener(forward);
                recorder = startRecording(recordInto, id, "lr " + Numbers.exact(tc.learningRate()) + ", reg "
                        + Numbers.exact(tc.reg()), List.of(), net, tc, pd, dataPath);
                return train(id, tr, h, recorder, net, tc, pd);
            } catch (IllegalArgumentException e) {
                return new Ended(recorder, e.getMessage(), "");
            }
        });
    }

    /** What a trainer thread ended with: its recorder (null: not recorded), why it failed (null: it did not), what was not kept. */
    private record Ended(RunRecorder recorder, String failed, String notKept) {
    }

    /** A run's body on its trainer thread, up to its training: prepares, builds, starts recording; then {@link #train}. */
    private interface RunBody {
        Ended run() throws Exception;
    }

    /** Starts window run {@code id}'s trainer thread: {@code body}, its failures said in one line, its recording ended. */
    private void launch(long id, RunBody body) {
        Thread t = new Thread(() -> {
            Ended ended = new Ended(null, null, "");
            String failed = null;
            try {
                ended = body.run();
                failed = ended.failed();
            } catch (IllegalArgumentException e) {
                failed = e.getMessage();
            } catch (OutOfMemoryError e) {
                failed = TOO_LITTLE_MEMORY + " (" + e.getMessage() + ")";
            } catch (Exception e) {
                e.printStackTrace(); // a bug, not bad input: keep the trace for the report
                failed = "the run stopped: " + e;
            } finally {
                if (failed != null) {
                    pump.postNow(new UiMessage.RunFailed(id, failed));
                }
                endRecording(ended.recorder(), id, failed, ended.notKept());
            }
        }, "babysitter-trainer-" + id);
        t.setDaemon(true);
        trainerThread = t;
        t.start();
    }

    /**
     * Trainer thread: trains {@code tr} (recorded by {@code recorder} if not null, reported into {@code h}), evaluates and
     * keeps its best parameters.
     */
    private Ended train(long id, Trainer tr, RunHistory h, RunRecorder recorder, NetConfig net, TrainConfig tc, PreparedData pd) {
        String notKept = "";
        try {
            if (recorder != null) {
                tr.addListener(recorder);
            }
            tr.sampleLayerStatistics(Narrator.sampleEvery(tr.iterationsPerEpoch() * tc.epochs()));
            TrainResult result = tr.run();
            if (result.bestEpoch() > 0 && id == runId) { // the kept parameters, evaluated here, off the FX thread
                RunEvaluation e = new Evaluator(tr.net(), pd.preprocessor()).evaluate(pd.dataset(), result.iterations(),
                        result.bestEpoch());
                h.onEvaluation(e);
                if (recorder != null) {
                    recorder.onEvaluation(e);
                }
                pump.postNow(new UiMessage.FromRun(id, e));
            }
            if (recorder != null && result.bestEpoch() > 0) {
                notKept = keepBest(recorder, net, tc, pd, tr, result);
            }
            return new Ended(recorder, null, notKept);
        } catch (IllegalArgumentException e) {
            return new Ended(recorder, e.getMessage(), notKept);
        } catch (OutOfMemoryError e) {
            return new Ended(recorder, TOO_LITTLE_MEMORY + " (" + e.getMessage() + ")", notKept);
        } catch (RuntimeException e) {
            e.printStackTrace(); // a bug, not bad input: keep the trace for the report
            return new Ended(recorder, "the run stopped: " + e, notKept);
        }
    }

    private static final String TOO_LITTLE_MEMORY = "the run needs more memory than Java may use here (-Xmx); a smaller net or batch fits";

    // ------------------------------------------------------------------ forks

    /**
     * Forks the paused run at its iteration: a new run goes on from exactly that state (values, update-rule state,
     * batches, dropout masks) with the lr and reg set while paused (the run's own if none was), and the original ends
     * there, kept to be continued ({@link #continueOriginal()}). The charts show the original up to the fork and the
     * fork from it, its control change marked. Refused, with a status line, unless a run is paused.
     */
    public void fork() {
        if (view.stateProperty().get() != RunState.PAUSED || controls == null || prepared == null || pendingFork != null) {
            status.accept("Fork: pause a run first; the fork goes on from the paused iteration.");
            return;
        }
        long id = runId;
        pendingFork = new PendingFork(id, storeRun, runNet, prepared, runDataPath, pausedLr, pausedReg);
        status.accept("Forking at iteration " + view.iterationProperty().get() + "...");
        controls.askState().whenComplete((state, e) -> pump.postNow(new UiMessage.StateTaken(id, state)));
    }

    /**
     * Goes on with the original of the last fork from the fork's iteration, with the controls it had there: another
     * branch from the same point. Refused while a run is active.
     */
    public void continueOriginal() {
        ForkPoint p = forkPoint;
        if (p == null || view.stateProperty().get().active()) {
            return;
        }
        goOn(p, Double.NaN, Double.NaN, (p.storeRun() > 0 ? "run " + p.storeRun() : "the original") + " continued from "
                + p.state().iteration(), p.storeRun() > 0 ? List.of("continued-from:" + p.storeRun() + "@" + p.state().iteration())
                : List.of());
    }

    /**
     * The recorded runs that went on from the same fork point as the run starting now (the other branches), set as it
     * starts: the runs panel draws them beside it, so the branches show where they part.
     */
    public javafx.beans.property.ReadOnlyObjectProperty<List<Long>> otherBranchesProperty() {
        return otherBranches;
    }

    /** "" if there is no original to continue, else what Continue the original goes on with, in words. */
    public javafx.beans.property.ReadOnlyStringProperty continueOriginalProperty() {
        return continueOriginal.getReadOnlyProperty();
    }

    /** The state of the run a fork asked for has come (null: the run ended first). FX thread. */
    void stateTaken(UiMessage.StateTaken m) {
        PendingFork p = pendingFork;
        if (p == null || p.run() != m.run()) {
            return;
        }
        pendingFork = null;
        if (m.run() != runId || m.state() == null) {
            status.accept("Not forked: the run ended first.");
            return;
        }
        TrainerState state = m.state();
        ForkPoint point = new ForkPoint(p.storeRun(), state, p.net(), p.data(), p.dataPath(), history.reports());
        forkPoint = point;
        branches.clear();
        continueOriginal.set("Continue " + (p.storeRun() > 0 ? "run " + p.storeRun() : "the original") + " from iteration "
                + state.iteration() + " (lr " + Numbers.significant(state.learningRate(), 3) + ", reg "
                + Numbers.significant(state.reg(), 3) + ")");
        controls.stop(); // the original ends at the fork, recorded "stopped"; Continue the original goes on from here
        StringBuilder change = new StringBuilder();
        if (!Double.isNaN(p.lr()) && p.lr() != state.learningRate()) {
            change.append("lr ").append(Numbers.exact(p.lr()));
        }
        if (!Double.isNaN(p.reg()) && p.reg() != state.reg()) {
            change.append(change.length() == 0 ? "" : ", ").append("reg ").append(Numbers.exact(p.reg()));
        }
        String what = change.length() == 0 ? "same lr and reg" : change.toString();
        goOn(point, p.lr(), p.reg(), (p.storeRun() > 0 ? "fork of run " + p.storeRun() : "fork") + " at " + state.iteration()
                + ": " + what, p.storeRun() > 0 ? List.of("fork-of:" + p.storeRun() + "@" + state.iteration()) : List.of());
    }

    /**
     * A new window run from {@code point}'s state with lr and reg (NaN: the state's), recorded as {@code name} with
     * {@code tags}: the charts get the original's reports up to the point, then the new run's.
     */
    private void goOn(ForkPoint point, double lr, double reg, String name, List<String> tags) {
        if (shownFrom == point && storeRun > 0 && !branches.contains(storeRun)) {
            branches.add(storeRun); // the branch shown until now, recorded
        }
        shownFrom = point;
        otherBranches.set(List.copyOf(branches));
        long id = ++runId;
        TrainerControls c = new TrainerControls();
        c.setRewindOnBreak(rewindOnBreak.get());
        if (!Double.isNaN(lr) && lr != point.state().learningRate()) {
            c.setLearningRate(lr);
        }
        if (!Double.isNaN(reg) && reg != point.state().reg()) {
            c.setReg(reg);
        }
        controls = c;
        runNet = point.net();
        runDataPath = point.dataPath();
        prepared = point.data();
        storeRun = 0;
        pausedLr = Double.NaN;
        pausedReg = Double.NaN;
        RunHistory h = new RunHistory();
        cleared = null;
        view.reset();
        observers.forEach(RunObserver::cleared);
        // the original up to the fork, as it was drawn: the new run's own reports go on from there
        history = h;
        batch.continuing = false;
        for (RunReport r : point.before()) {
            r.deliverTo(h);
            r.deliverTo(batch);
        }
        flush();
        batch.continuing = true;
        view.setState(RunState.STARTING);
        view.setData(point.data().dataset().source());
        shownConfig.set(new ConfigDiff.Config(point.net(), point.state().config(), point.data().dataset().source(),
                point.data().preprocessor().kind().label()));
        status.accept("Going on from iteration " + point.state().iteration() + ": " + name + ".");
        TrainingListener forward = forwardTo(id);
        RunStore recordInto = store;
        launch(id, () -> {
            RunRecorder recorder = null;
            try {
                PreparedData pd = point.data();
                Trainer tr = Trainer.from(point.state(), point.net(), pd.dataset(), pd.preprocessor(), gemm, c);
                trainer = tr;
                tr.addListener(h);
                tr.addListener(forward);
                recorder = startRecording(recordInto, id, name, tags, point.net(), point.state().config(), pd, point.dataPath());
                return train(id, tr, h, recorder, point.net(), point.state().config(), pd);
            } catch (IllegalArgumentException e) {
                return new Ended(recorder, e.getMessage(), "");
            }
        });
    }

    /** What run {@code id}'s trainer reports, posted to the FX thread (events at once: a user waits to see them). */
    private TrainingListener forwardTo(long id) {
        return new TrainingListener() {
            @Override
            public void onEvent(RunEvent event) {
                pump.postNow(new UiMessage.FromRun(id, event));
            }

            @Override
            public void onIteration(IterationMetrics m) {
                pump.post(new UiMessage.FromRun(id, m));
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                pump.post(new UiMessage.FromRun(id, m));
            }

            @Override
            public void onLayerStatistics(LayerStatistics s) {
                pump.post(new UiMessage.FromRun(id, s));
            }
        };
    }

    /**
     * Trainer thread: starts recording window run {@code id} into {@code into} (null: not recording). A store that fails
     * here costs the recording, never the run: the run trains on and the window hears why.
     */
    private RunRecorder startRecording(RunStore into, long id, String name, List<String> tags, NetConfig net, TrainConfig tc,
                                       PreparedData pd, java.nio.file.Path dataPath) {
        if (into == null) {
            return null;
        }
        try {
            // as train --store: a file's checksum (hashed once, then cached in the store by path, size and time), or
            // the built-in images' own
            DataIdentity identity = dataPath == null ? DataIdentity.ofImages(pd.dataset())
                    : into.identify(pd.dataset().source(), dataPath);
            RunRecorder r = into.record(new RunSpec(name, net, tc, pd.preprocessor().kind().label(), identity));
            if (!tags.isEmpty()) {
                into.tag(r.id(), tags);
            }
            recording = new Recording(id, r);
            if (id == runId) {
                storeRun = r.id();
            }
            pump.postNow(new UiMessage.RunRecorded(id, false, ""));
            return r;
        } catch (java.io.IOException | RuntimeException e) {
            pump.postNow(new UiMessage.RunRecorded(id, true, "run not recorded: " + e.getMessage()));
            return null;
        }
    }

    /**
     * Trainer thread: the kept parameters into the store, as {@code train --store} keeps them. Returns "" or why they
     * could not be kept (the run itself is not failed by that).
     */
    private static String keepBest(RunRecorder recorder, NetConfig net, TrainConfig tc, PreparedData pd, Trainer tr,
                                 TrainResult result) {
        boolean validation = !pd.dataset().val().isEmpty();
        String outcome = (result.diverged() ? "diverged at iteration " + result.iterations()
                : result.completed() ? "completed " + tc.epochs() + " epochs" : "stopped at iteration " + result.iterations())
                + "; these are epoch " + result.bestEpoch() + "'s parameters, the best" + (result.completed() ? "" : " so far");
        try {
            Checkpoint kept = new Checkpoint(net, tc, pd.preprocessor().kind(), pd.dataset().source(), pd.dataset().classNames(),
                    result.bestEpoch(), validation ? result.bestValAccuracy() : Double.NaN, outcome);
            recorder.keepBest(kept.npzBytes(tr.net(), pd.preprocessor()), kept.json());
            return "";
        } catch (java.io.IOException | RuntimeException e) {
            return "the best parameters were not kept: " + e.getMessage();
        }
    }

    /**
     * Trainer thread: the run ended (or failed: {@code failed} says why); its recording is closed, which waits until the
     * store has committed everything, and the window hears so. A recorder closed without an end marks the run
     * interrupted, never finished.
     */
    private void endRecording(RunRecorder recorder, long id, String failed, String notKept) {
        if (recorder == null) {
            return;
        }
        String problem = notKept;
        try {
            if (failed != null) {
                recorder.failed(failed);
            }
            recorder.close();
        } catch (java.io.IOException | RuntimeException e) {
            problem = "the run store could not commit the run: " + e.getMessage();
        }
        pump.postNow(new UiMessage.RunRecorded(id, true, problem));
    }

    /** Sets the learning rate: of the active run from its next iteration, and for the next runs. */
    public void setLearningRate(double lr) {
        TrainConfig.requireValid(TrainConfig.learningRateProblem(lr));
        config.learningRateProperty().set(lr);
        if (controls != null && view.stateProperty().get().active()) {
            controls.setLearningRate(lr);
            if (view.stateProperty().get() == RunState.PAUSED) {
                pausedLr = lr;
            }
        }
    }

    /** Sets the regularization strength: of the active run from its next iteration, and for the next runs. */
    public void setReg(double reg) {
        TrainConfig.requireValid(TrainConfig.regProblem(reg));
        config.regProperty().set(reg);
        if (controls != null && view.stateProperty().get().active()) {
            controls.setReg(reg);
            if (view.stateProperty().get() == RunState.PAUSED) {
                pausedReg = reg;
            }
        }
    }

    /**
     * Does what a finding suggests, where that is a control: lr or reg times or over 10, from the run's value now (the
     * decayed lr of an active run) or the next run's. Returns what was done, in words.
     */
    public String applyFix(Finding.Fix fix) {
        boolean active = controls != null && view.stateProperty().get().active();
        double lr = active && !Double.isNaN(view.learningRateProperty().get()) ? view.learningRateProperty().get()
                : config.learningRateProperty().get();
        double reg = active && !Double.isNaN(view.regProperty().get()) ? view.regProperty().get() : config.regProperty().get();
        String when = active ? "from the next iteration" : "for the next run";
        String done = switch (fix) {
            case NONE -> null;
            case LOWER_LR_10X, LOWER_LR_10X_RESUME -> set(true, lr / 10);
            case RAISE_LR_10X -> set(true, lr * 10);
            case LOWER_REG_10X, LOWER_REG_10X_RESUME -> set(false, reg / 10);
            case RAISE_REG_10X -> set(false, reg == 0 ? 1e-3 : reg * 10);
        };
        if (done == null) {
            return "";
        }
        if (fix.resumes() && active && view.stateProperty().get() == RunState.PAUSED) {
            controls.resume();
            done += " and the run resumed";
            when = "from the rewound iteration";
        }
        status.accept(done + " " + when + ".");
        return done + " " + when;
    }

    private String set(boolean learningRate, double value) {
        double v = Double.parseDouble(Numbers.significant(value, 3));
        if (learningRate) {
            setLearningRate(v);
            return "lr set to " + Numbers.exact(v);
        }
        setReg(v);
        return "reg set to " + Numbers.exact(v);
    }

    // ------------------------------------------------------------------ from the pump (FX thread)

    void fromRun(UiMessage.FromRun m) {
        if (m.run() == runId) {
            m.report().deliverTo(batch);
        }
    }

    void runFailed(UiMessage.RunFailed m) {
        if (m.run() != runId) {
            return;
        }
        view.setState(RunState.FAILED);
        view.setMessage("Could not run: " + m.message());
        controls = null;
        notices.accept(new Notice("Cannot train", m.message(), true));
    }

    /** The end of a hand-over: what the batch collected goes to the view model and the charts. */
    void flush() {
        batch.flush();
    }

    /**
     * Collects a hand-over's metrics for one append to the charts; a run event first passes on what came before it,
     * so the charts see everything in order.
     */
    private final class Batch implements TrainingListener, RunEvent.Visitor {
        private final List<IterationMetrics> iterations = new ArrayList<>();
        private final List<EpochMetrics> epochs = new ArrayList<>();
        private final List<RunEvent.ControlChanged> changes = new ArrayList<>();
        private final List<LayerStatistics> samples = new ArrayList<>();

        private Narrator narrator = new Narrator(f -> { });
        /** True while a run goes on from another's reports already shown (a fork): its start adds to them. */
        boolean continuing;

        @Override
        public void onIteration(IterationMetrics m) {
            iterations.add(m);
            narrator.onIteration(m);
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            epochs.add(m);
            view.apply(m);
            narrator.onEpoch(m);
        }

        @Override
        public void onLayerStatistics(LayerStatistics s) {
            samples.add(s);
            narrator.onLayerStatistics(s);
        }

        @Override
        public void onEvaluation(RunEvaluation e) {
            flush();
            view.apply(e);
        }

        @Override
        public void onEvent(RunEvent event) {
            event.accept(this); // a start makes a new narrator, which hears the start next
            narrator.onEvent(event);
        }

        @Override
        public void started(RunEvent.Started e) {
            flush();
            view.apply(e);
            if (continuing && e.iteration() > 0) {
                return; // the charts and the assistant go on from the original's reports
            }
            narrator = new Narrator(this::said);
            observers.forEach(o -> o.started(e));
        }

        /** A finding goes out after the metrics that led to it, so its marker lands on a drawn point. */
        private void said(Finding f) {
            flush();
            Recording r = recording;
            if (r != null && r.run() == runId) { // a live run's finding, not one replayed (a reset run's id is past)
                r.recorder().onFinding(f); // only queues for the store's writer thread
            }
            view.addFinding(f);
            observers.forEach(o -> o.said(f));
        }

        @Override
        public void controlChanged(RunEvent.ControlChanged e) {
            changes.add(e);
            view.apply(e);
        }

        @Override
        public void paused(RunEvent.Paused e) {
            settle(e);
        }

        @Override
        public void resumed(RunEvent.Resumed e) {
            flush();
            view.apply(e);
            pausedLr = Double.NaN; // what was set while paused went to the run
            pausedReg = Double.NaN;
        }

        @Override
        public void finished(RunEvent.Finished e) {
            settle(e);
            controls = null;
        }

        @Override
        public void diverged(RunEvent.Diverged e) {
            flush();
            observers.forEach(o -> o.diverged(e));
            settle(e);
            controls = null;
        }

        @Override
        public void rewound(RunEvent.Rewound e) {
            flush();
            view.apply(e);
            observers.forEach(o -> o.rewound(e));
        }

        private void settle(RunEvent e) {
            flush();
            view.apply(e);
            observers.forEach(RunObserver::settled);
        }

        void flush() {
            if (!iterations.isEmpty()) {
                view.apply(iterations.get(iterations.size() - 1)); // the status shows the batch's last iteration
            }
            if (!iterations.isEmpty() || !epochs.isEmpty() || !changes.isEmpty()) {
                List<IterationMetrics> its = List.copyOf(iterations);
                List<EpochMetrics> eps = List.copyOf(epochs);
                List<RunEvent.ControlChanged> cs = List.copyOf(changes);
                observers.forEach(o -> o.append(its, eps, cs));
            }
            if (!samples.isEmpty()) {
                view.addLayerSamples(List.copyOf(samples));
            }
            iterations.clear();
            epochs.clear();
            changes.clear();
            samples.clear();
        }
    }

    /**
     * Asks the run to stop (the window is closing): the trainer ends at its next iteration (a paused one at once); its
     * thread is a daemon, so nothing waits for it.
     */
    void shutdown() {
        if (controls != null) {
            controls.stop();
        }
    }

    public RunViewModel view() {
        return view;
    }

    /** The trainer of the current run, or null (tests read its reported learning rate). */
    public Trainer trainer() {
        return trainer;
    }

    /** The trainer thread of the last run, for tests. */
    public Thread trainerThread() {
        return trainerThread;
    }

    /** Everything the current run reported (the CSV export writes it). */
    public RunHistory history() {
        return history;
    }
}
