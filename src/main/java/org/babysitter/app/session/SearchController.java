package org.babysitter.app.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.ClusterEvent;
import org.babysitter.engine.cluster.ClusterNode;
import org.babysitter.engine.cluster.ClusterSearch;
import org.babysitter.engine.cluster.OwnedSearch;
import org.babysitter.engine.cluster.TrialHost;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.search.Refine;
import org.babysitter.engine.search.SearchLog;
import org.babysitter.engine.search.SearchEvent;
import org.babysitter.engine.search.SearchRunner;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.train.TrainConfig;

/**
 * The search command center's view model: the spec form (lr and reg as log ranges, trials, epochs, subset, seed,
 * pruner; everything else from the configured net and trainer), Start, Pause, Resume and Cancel of a
 * {@link SearchRunner} in a {@link BackgroundJobs} job, a row per started trial, the edge warnings at the end, the
 * fine stage, "use this trial", "open in main window" and the CSV export. A spec file loaded ({@link #loadSpec}) ranges
 * whatever the CLI's spec may (the form edits its lr and reg). With a workspace store open, a search is recorded in it
 * ({@link SearchLog}: each trial a run of the store) and the recorded searches are listed, an unfinished one offered to
 * resume and any one shown read-only. FX thread; the runner's events come back as the job's partial
 * results (a trial started or ended: at once; a loss: at the pump's next look), and the rows take the losses at the
 * pump's frames (at most two a second).
 */
public final class SearchController {
    /** Where a search is. */
    public enum Phase { IDLE, RUNNING, PAUSED, ENDED }

    /** The trials the fine stage and the edge warnings look at, as the CLI's --top, at most half the finished ones. */
    static final int TOP = 5;
    /** A curve keeps at most this many losses (every other one dropped when it fills): enough for a small chart. */
    static final int MAX_LOSSES = 600;

    /** What the search's job hands to the FX thread: one sealed type. */
    sealed interface Update {
        /** A trial started or ended: the runner's event. */
        record Event(SearchEvent event) implements Update {
        }

        /** One iteration's loss of trial {@code trial}. */
        record Loss(int trial, double loss) implements Update {
        }

        /** The members of a search across machines now, with what each runs and its speed. */
        record Members(List<MemberRow> members) implements Update {
            public Members {
                members = List.copyOf(members);
            }
        }

        /** The search is recorded in the workspace store as {@code id}; {@code earlier} ended in an earlier process. */
        record Recorded(String id, Recorded.Earlier earlier) implements Update {
            public Recorded {
                if (id == null || earlier == null) {
                    throw new IllegalArgumentException("a recorded search has an id and its earlier trials (maybe none)");
                }
            }

            /** Trials that ended before, with their recorded losses (by trial index). */
            record Earlier(List<TrialResult> results, Map<Integer, List<Double>> losses) {
                public Earlier {
                    results = List.copyOf(results);
                    losses = Map.copyOf(losses);
                }
            }
        }
    }

    /**
     * A search recorded in the workspace store, as the panel lists it.
     *
     * @param id    "s3"
     * @param ended its trials that ended (cancelled ones run again, so they do not count)
     * @param total its trials
     * @param what  the spec in a few words
     */
    public record RecordedSearch(String id, int ended, int total, String what) {
        public RecordedSearch {
            if (id == null || ended < 0 || total < 1 || what == null) {
                throw new IllegalArgumentException("a recorded search has an id, a count of trials and a description");
            }
        }

        public boolean finished() {
            return ended >= total;
        }

        /** "s3: 12 of 30 trials done (random, lr 1e-06:0.001:log, ...)". */
        @Override
        public String toString() {
            return id + ": " + ended + " of " + total + " trials done (" + what + ")";
        }
    }

    /**
     * A member of a search across machines as the command center lists it.
     *
     * @param address "HOST:PORT", "(this machine)" added for the owner's own
     * @param role    "runs 2 trials at once" or "sends trials"
     * @param running the trials it runs now ("3, 7"; "" for none)
     * @param speed   its training speed ("12,400 images/s"; "" before its first epoch)
     */
    public record MemberRow(String address, String version, String role, String running, String speed) {
        static MemberRow of(ClusterSearch.MemberStatus m, String here) {
            return new MemberRow(m.address() + (m.address().equals(here) ? " (this machine)" : ""), m.version(),
                    ClusterNode.role(m.runsTrials(), m.slots()),
                    String.join(", ", m.trials().stream().map(i -> Integer.toString(i + 1)).toList()),
                    Double.isNaN(m.imagesPerSecond()) ? "" : String.format(Locale.ROOT, "%,.0f images/s", m.imagesPerSecond()));
        }
    }

    /** The runner of the search under way and the pause or cancel asked before it existed (FX and job threads). */
    private static final class Control {
        private SearchRunner runner;
        private OwnedSearch owned;
        private boolean paused;
        private boolean cancelled;

        /** A search across machines: cancel only (its trials run elsewhere; the panel offers no pause). */
        synchronized void attach(OwnedSearch o) {
            owned = o;
            if (cancelled) {
                o.cancel();
            }
        }

        synchronized void attach(SearchRunner r) {
            runner = r;
            if (paused) {
                r.pause();
            }
            if (cancelled) {
                r.cancel();
            }
        }

        synchronized void pause() {
            paused = true;
            if (runner != null) {
                runner.pause();
            }
        }

        synchronized void resume() {
            paused = false;
            if (runner != null) {
                runner.resume();
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (runner != null) {
                runner.cancel();
            }
            if (owned != null) {
                owned.cancel();
            }
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        synchronized boolean acrossMachines() {
            return owned != null;
        }
    }

    private final BackgroundJobs jobs;
    private final UiPump pump;
    private final Gemm gemm;
    private final ConfigViewModel config;
    private final DataController data;
    private final Consumer<Notice> notices;
    private final Consumer<String> status;
    /** The workspace store (null: none open, the search runs unrecorded) and the main window's charts. */
    private final RunsController runs;

    private final DoubleProperty lrLow = new SimpleDoubleProperty(1e-6);
    private final DoubleProperty lrHigh = new SimpleDoubleProperty(1e-3);
    private final DoubleProperty regLow = new SimpleDoubleProperty(1e-5);
    private final DoubleProperty regHigh = new SimpleDoubleProperty(1e5);
    private final IntegerProperty trials = new SimpleIntegerProperty(20);
    private final IntegerProperty epochs = new SimpleIntegerProperty(1);
    private final IntegerProperty subset = new SimpleIntegerProperty(5000);
    private final LongProperty seed = new SimpleLongProperty(0);
    private final ObjectProperty<PrunerSpec.Kind> pruner = new SimpleObjectProperty<>(PrunerSpec.Kind.NONE);

    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(Phase.IDLE);
    /** Across machines: this machine owns the search, workers join it (babysitter worker, or Join a search...). */
    private final javafx.beans.property.BooleanProperty acrossMachines = new javafx.beans.property.SimpleBooleanProperty(false);
    private final StringProperty clusterName = new SimpleStringProperty("");
    /** The shared secret: in memory only, never saved. */
    private final StringProperty clusterSecret = new SimpleStringProperty("");
    /** This machine's address to listen on; blank: the one of its route outwards. */
    private final StringProperty clusterBind = new SimpleStringProperty("");
    private final IntegerProperty clusterPort = new SimpleIntegerProperty(ClusterConfig.DEFAULT_PORT);
    private final ObservableList<MemberRow> members = FXCollections.observableArrayList();
    private final ObservableList<MemberRow> membersView = FXCollections.unmodifiableObservableList(members);
    private final ObservableList<TrialRow> rows = FXCollections.observableArrayList();
    /** One read-only view, kept: a view listens to the list weakly, so a view made per call could be collected. */
    private final ObservableList<TrialRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<String> warnings = FXCollections.observableArrayList();
    private final StringProperty summary = new SimpleStringProperty("");
    /** The losses of each started trial, and the started time, of the search under way (FX thread). */
    private final Map<Integer, List<Double>> losses = new HashMap<>();
    private final Map<Integer, Long> startedAt = new HashMap<>();
    private boolean lossesChanged;
    private SearchSpec spec;
    /** The random vs grid experiment of the same form. */
    private final RandomVsGridDemo randomVsGrid;
    private Control control;
    private long search;
    /** The loaded (or narrowed) spec the form edits the lr and reg of; null: the form's lr and reg only. */
    private final ObjectProperty<SearchSpec> loaded = new SimpleObjectProperty<>();
    /** The form's lr and reg bounds as the loaded spec set them: unchanged, its own lr and reg dimensions are kept. */
    private double[] loadedBounds;
    private final StringProperty others = new SimpleStringProperty(OTHERS_DEFAULT);
    /** Where the search is recorded, or why not, in one line. */
    private final StringProperty recording = new SimpleStringProperty("");
    private final ObservableList<RecordedSearch> recorded = FXCollections.observableArrayList();
    /** The newest recorded search whose trials did not all end (null: none): the panel offers to resume it. */
    private final ObjectProperty<RecordedSearch> unfinished = new SimpleObjectProperty<>();
    /** The recorded search the rows are of (null: unrecorded or none). */
    private final StringProperty shownId = new SimpleStringProperty();
    /** Counted down when the search's job has ended and its trials' recordings with it (closing waits for it). */
    private volatile CountDownLatch jobEnded = new CountDownLatch(0);
    private long listing;

    static final String OTHERS_DEFAULT = "Everything else (net, update rule, momentum, batch size, ...) as configured on the left;"
            + " Load spec... ranges more.";

    SearchController(BackgroundJobs jobs, UiPump pump, Gemm gemm, ConfigViewModel config, DataController data,
                     RunsController runs, Consumer<Notice> notices, Consumer<String> status) {
        this.jobs = jobs;
        this.runs = runs;
        this.pump = pump;
        this.gemm = gemm;
        this.config = config;
        this.data = data;
        this.notices = notices;
        this.status = status;
        pump.addFrameListener(this::frame);
        runs.openProperty().addListener((o, was, open) -> listRecorded());
        randomVsGrid = new RandomVsGridDemo(jobs, gemm, config, data, notices, this::formSpec);
    }

    /** The lecture's random vs grid experiment on the form's ranges and stage. */
    public RandomVsGridDemo randomVsGrid() {
        return randomVsGrid;
    }

    /** The spec the form describes now; IllegalArgumentException with the reason if it is not one. */
    public SearchSpec formSpec() {
        SearchSpec base = loaded.get();
        Map<Hyper, Dimension> ranges = new EnumMap<>(Hyper.class);
        if (base != null) {
            ranges.putAll(base.ranges());
        }
        double[] now = {lrLow.get(), lrHigh.get(), regLow.get(), regHigh.get()};
        boolean lrKept = loadedBounds != null && now[0] == loadedBounds[0] && now[1] == loadedBounds[1];
        boolean regKept = loadedBounds != null && now[2] == loadedBounds[2] && now[3] == loadedBounds[3];
        if (!lrKept) {
            ranges.put(Hyper.LR, range("lr", base == null ? null : base.range(Hyper.LR), now[0], now[1]));
        }
        if (!regKept) {
            ranges.put(Hyper.REG, range("reg", base == null ? null : base.range(Hyper.REG), now[2], now[3]));
        }
        PrunerSpec p = base != null && base.pruner().kind() == pruner.get() ? base.pruner() : switch (pruner.get()) {
            case NONE -> PrunerSpec.NONE;
            case MEDIAN -> PrunerSpec.MEDIAN;
            case HALVING -> PrunerSpec.HALVING;
        };
        return new SearchSpec(base == null ? SearchSpec.Strategy.RANDOM : base.strategy(), ranges,
                base == null ? List.of() : base.rules(), trials.get(), epochs.get(), subset.get(), seed.get(), p);
    }

    /** The form's bounds as a range: uniform if the loaded spec's was, else log. */
    private static Dimension range(String name, Dimension was, double low, double high) {
        try {
            return was != null && was.scale() == org.babysitter.engine.search.Scale.UNIFORM ? Dimension.uniform(low, high)
                    : Dimension.log(low, high);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /**
     * The form shows {@code s}: its lr and reg bounds (a choice's smallest and largest value), trials, epochs, training
     * images, seed and pruner; its other dimensions are kept as they are and summed up in {@link #othersProperty}.
     */
    public void applySpec(SearchSpec s) {
        loaded.set(s);
        bounds(s.range(Hyper.LR), lrLow, lrHigh);
        bounds(s.range(Hyper.REG), regLow, regHigh);
        loadedBounds = new double[] {lrLow.get(), lrHigh.get(), regLow.get(), regHigh.get()};
        trials.set(s.trials());
        epochs.set(s.epochs());
        subset.set(s.subset());
        seed.set(s.seed());
        pruner.set(s.pruner().kind());
        others.set(describeOthers(s));
    }

    private static void bounds(Dimension d, DoubleProperty low, DoubleProperty high) {
        if (d != null) {
            List<Double> ends = d.endpoints();
            low.set(ends.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            high.set(ends.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }
    }

    /** The spec's dimensions besides lr and reg in one line: "Also: grid; hidden 50,100; update sgd, adam; ...". */
    static String describeOthers(SearchSpec s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.strategy().name().toLowerCase(Locale.ROOT));
        for (Hyper h : s.ranges().keySet()) {
            if (h != Hyper.LR && h != Hyper.REG) {
                parts.add(h.key() + " " + s.range(h).describe());
            }
        }
        if (!s.rules().isEmpty()) {
            parts.add("update " + String.join(",", s.rules().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).toList()));
        }
        for (Hyper h : new Hyper[] {Hyper.LR, Hyper.REG}) {
            if (s.range(h) == null) {
                parts.add(h.key() + " not ranged");
            } else if (!s.range(h).continuous()) {
                parts.add(h.key() + " " + s.range(h).describe());
            }
        }
        return "Spec: " + String.join("; ", parts) + ". Anything not ranged as configured on the left.";
    }

    /** Reads a spec file (the CLI's search --spec format) in the background; a bad one is one notice, the form kept. */
    public void loadSpec(Path file) {
        jobs.start("Reading the spec", p -> SearchSpec.load(file), new BackgroundJobs.Outcome<SearchSpec>() {
            @Override
            public void succeeded(SearchSpec s) {
                if (phase.get() == Phase.RUNNING || phase.get() == Phase.PAUSED) {
                    notices.accept(new Notice("Load spec", "A search is under way: load the spec when it has ended.", true));
                    return;
                }
                applySpec(s);
                status.accept("Spec loaded from " + file);
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice("Load spec", file + " is not a search spec: " + message
                        + "\n\nThe form keeps its spec.", true));
            }
        });
    }

    /** Writes the form's spec (with the loaded spec's other dimensions) to {@code file} in the background. */
    public void saveSpec(Path file) {
        SearchSpec s;
        try {
            s = formSpec();
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Save spec", e.getMessage(), true));
            return;
        }
        jobs.start("Writing the spec", p -> {
            s.save(file);
            return file;
        }, new BackgroundJobs.Outcome<Path>() {
            @Override
            public void succeeded(Path written) {
                status.accept("Spec written to " + written + " (search --spec " + written + " runs it)");
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice("Save spec", message, true));
            }
        });
    }

    /**
     * The spec's trials with the configured net and trainer (the form's epochs, seed {@code spec seed + i}) and the
     * trial's ranged values: the search tries what the window would train, changed only where ranged.
     */
    static List<Trial> plan(SearchSpec spec, NetConfig net, TrainConfig train, DataIdentity identity) {
        return spec.trials(new Hyper.Configs(net, train), identity);
    }

    /**
     * Start: a new search of the form's spec on the loaded data (its rows replace the last search's), recorded in the
     * workspace store if one is open.
     */
    public void start() {
        if (active()) {
            return;
        }
        LoadedImages images = data.imagesOrSay(notices);
        if (images == null) {
            return;
        }
        SearchSpec s;
        NetConfig net;
        TrainConfig train;
        ClusterConfig cluster;
        try {
            s = formSpec();
            net = config.netConfig(Cifar.PIXELS, images.classNames().size());
            train = config.trainConfig();
            plan(s, net, train, new DataIdentity("check", "sha256:" + "0".repeat(64))); // a range the net refuses: now
            cluster = clusterConfig();
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot search", e.getMessage(), true));
            return;
        }
        RunStore store = runs.store();
        run(s, images, store, null, store == null ? "Not recorded: no workspace run store is open (File > Workspace...)." : "");
        runSearch(images, s, cluster, (pd, publish) -> {
            Hyper.Configs base = new Hyper.Configs(net.withShape(pd.preprocessor().features(), pd.dataset().classCount()), train);
            DataIdentity identity = DataIdentity.ofImages(pd.dataset());
            if (store == null) {
                return new Planned(s.trials(base, identity), List.of(), null);
            }
            SearchLog log = SearchLog.create(store, s, base, identity, pd.preprocessor().kind().label());
            publish.accept(new Update.Recorded(log.id(), new Update.Recorded.Earlier(List.of(), Map.of())));
            return new Planned(log.plan(pd.preprocessor().features(), pd.dataset().classCount()), List.of(), log);
        });
    }

    /** True while a search runs or is paused. */
    private boolean active() {
        return phase.get() == Phase.RUNNING || phase.get() == Phase.PAUSED;
    }

    /**
     * Resumes recorded search {@code id} of the workspace store on the loaded data: its own spec and base configs, the
     * trials that ended there shown at once and not run again, the others (never started, or stopped by a close or a
     * crash) run and recorded. The form shows its spec.
     */
    public void resumeRecorded(String id) {
        RunStore store = runs.store();
        if (active() || store == null) {
            return;
        }
        LoadedImages images = data.imagesOrSay(notices);
        if (images == null) {
            return;
        }
        String preprocessing = data.view().preprocessingProperty().get().label();
        jobs.start("Reading search " + id, p -> SearchLog.reopen(store, id, preprocessing), new BackgroundJobs.Outcome<SearchLog>() {
            @Override
            public void succeeded(SearchLog log) {
                if (!active() && store == runs.store()) {
                    resume(log, images, store);
                }
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice("Resume search", "Search " + id + " cannot be resumed: " + message, true));
            }
        });
    }

    /** Resumes {@code log}'s search on {@code images} (FX thread): the form shows its spec, the job runs the rest. */
    private void resume(SearchLog log, LoadedImages images, RunStore store) {
        String id = log.id();
        SearchSpec s = log.spec();
        applySpec(s);
        ClusterConfig cluster;
        try {
            cluster = clusterConfig();
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot resume", e.getMessage(), true));
            return;
        }
        run(s, images, store, id, "");
        runSearch(images, s, cluster, (pd, publish) -> {
            DataIdentity identity = DataIdentity.ofImages(pd.dataset());
            if (!identity.equals(log.data())) {
                throw new IllegalArgumentException("search " + id + " trained on " + log.data().name() + " (" + log.data().checksum()
                        + "); the loaded images are " + identity.name() + " (" + identity.checksum() + "): load the same data");
            }
            List<Trial> planned = log.plan(pd.preprocessor().features(), pd.dataset().classCount());
            List<TrialResult> earlier = log.finished(planned);
            publish.accept(new Update.Recorded(id, new Update.Recorded.Earlier(earlier, losses(log, earlier))));
            return new Planned(planned, earlier, log);
        });
    }

    /** The recorded losses of {@code results}' trials, by trial index. */
    private static Map<Integer, List<Double>> losses(SearchLog log, List<TrialResult> results) throws java.io.IOException {
        Map<Integer, List<Double>> out = new HashMap<>();
        for (TrialResult r : results) {
            out.put(r.trial().index(), thin(log.losses(r.trial().index())));
        }
        return out;
    }

    /** At most {@value #MAX_LOSSES} of {@code losses}, evenly spread: a small chart's curve. */
    private static List<Double> thin(List<Double> losses) {
        List<Double> out = losses;
        while (out.size() > MAX_LOSSES) {
            List<Double> half = new ArrayList<>();
            for (int i = 0; i < out.size(); i += 2) {
                half.add(out.get(i));
            }
            out = half;
        }
        return out;
    }

    /** The trials of a search, those that ended before, and the log recording it (null: unrecorded). */
    private record Planned(List<Trial> trials, List<TrialResult> earlier, SearchLog log) {
        Planned {
            trials = List.copyOf(trials);
            earlier = List.copyOf(earlier);
        }
    }

    /** Plans a search once its data is prepared (on the search's thread): new, or resumed from the store. */
    @FunctionalInterface
    private interface Planner {
        Planned plan(PreparedData pd, Consumer<Update> publish) throws Exception;
    }

    /** The rows cleared and the phase set for a search starting; {@code note} says where it is recorded. */
    private void run(SearchSpec s, LoadedImages images, RunStore store, String id, String note) {
        spec = s;
        rows.clear();
        warnings.clear();
        losses.clear();
        startedAt.clear();
        shownId.set(id);
        recording.set(store == null ? note : id == null ? "Recording in " + store.folder() + "..." : "Search " + id
                + " recorded in " + store.folder());
        phase.set(Phase.RUNNING);
        summary.set("Preparing " + (s.subset() == 0 ? "all" : s.subset()) + " training images...");
    }

    /** Runs a search in a background job: the data prepared, the trials planned by {@code planner}, then trained. */
    private void runSearch(LoadedImages images, SearchSpec s, ClusterConfig cluster, Planner planner) {
        Control c = new Control();
        var preprocessing = data.view().preprocessingProperty().get();
        int jobsAtOnce = SearchRunner.DEFAULT_JOBS;
        CountDownLatch ended = new CountDownLatch(1);
        jobEnded = ended;
        BackgroundJobs.PublishingTask<SearchEvent.SearchEnded, Update> task = (progress, publish) -> {
            try {
                SplitSpec split = new SplitSpec(SplitSpec.AUTO, s.subset() == 0 ? SplitSpec.ALL : s.subset(), SplitSpec.ALL);
                PreparedData pd = PreparedData.prepare(images, split, preprocessing);
                Planned planned = planner.plan(pd, publish);
                if (cluster != null) {
                    return runOwned(cluster, planned, images, split, pd, s, jobsAtOnce, c, publish);
                }
                SearchRunner runner = new SearchRunner(planned.trials(), planned.earlier(), planned.log(), pd, gemm,
                        s.pruner().create(), jobsAtOnce, e -> {
                    if (!(e instanceof SearchEvent.SearchEnded)) {
                        publish.accept(new Update.Event(e));
                    }
                });
                runner.listenToTrials(t -> new TrainingListener() {
                    @Override
                    public void onIteration(IterationMetrics m) {
                        publish.accept(new Update.Loss(t.index(), m.loss()));
                    }
                });
                c.attach(runner);
                runner.start();
                return new SearchEvent.SearchEnded(awaitAll(runner), c.cancelled());
            } finally {
                ended.countDown();
            }
        };
        launch(s, c, task);
    }

    /**
     * The search across machines of {@code planned}, owned here (the job's thread): this machine runs
     * {@code jobsAtOnce} trials, the workers that join the others; the rows show every trial wherever it runs (a
     * remote trial's curve by epoch), the member list what each member runs and its speed.
     */
    private SearchEvent.SearchEnded runOwned(ClusterConfig cluster, Planned planned, LoadedImages images, SplitSpec split, PreparedData pd,
                                             SearchSpec s, int jobsAtOnce, Control c, Consumer<Update> publish) throws Exception {
        OwnedSearch owned = new OwnedSearch(cluster, jobsAtOnce, 0, true);
        c.attach(owned);
        String here = cluster.bind() + ":" + cluster.port();
        Path path = data.path();
        String location = TrialHost.location(path);
        String hint = TrialHost.dataHint(path);
        Map<Integer, Trial> byIndex = new HashMap<>();
        planned.trials().forEach(t -> byIndex.put(t.index(), t));
        java.util.Set<Integer> shown = new java.util.HashSet<>();
        planned.earlier().forEach(r -> shown.add(r.trial().index()));
        int total = planned.trials().size();
        int[] ended = {planned.earlier().size()};
        Runnable members = () -> publish.accept(new Update.Members(owned.members().stream().map(m -> MemberRow.of(m, here)).toList()));
        List<TrialResult> results = new ArrayList<>(planned.earlier());
        results.addAll(owned.run(planned.trials(), planned.earlier(), planned.log(), images, location, hint,
                split, pd.preprocessor().kind(), pd, gemm, s.pruner().create(), new OwnedSearch.Listener() {
                    @Override
                    public void started(ClusterNode node) {
                        publish.accept(new Update.Members(node.members().stream().map(m -> new MemberRow(m.address()
                                + (m.local() ? " (this machine)" : ""), m.version(), ClusterNode.role(m.runsTrials(), m.slots()), "", ""))
                                .toList()));
                    }

                    @Override
                    public void memberAdded(ClusterNode.MemberInfo m) {
                        members.run();
                    }

                    @Override
                    public void memberRemoved(ClusterNode.MemberInfo m) {
                        members.run();
                    }

                    @Override
                    public void event(ClusterEvent e) {
                        if (e instanceof ClusterEvent.Sent sent && shown.add(sent.index())) {
                            publish.accept(new Update.Event(new SearchEvent.TrialStarted(byIndex.get(sent.index()))));
                        } else if (e instanceof ClusterEvent.Progress p) { // a curve by epoch, wherever the trial runs
                            publish.accept(new Update.Loss(p.index(), p.metrics().loss()));
                        } else if (e instanceof ClusterEvent.Finished f) {
                            publish.accept(new Update.Event(new SearchEvent.TrialFinished(f.result(), ++ended[0], total)));
                        }
                        members.run();
                    }
                }));
        publish.accept(new Update.Members(List.of()));
        return new SearchEvent.SearchEnded(results, c.cancelled());
    }

    /** The cluster the form sets when the search runs across machines, else null; a bad field said in words. */
    private ClusterConfig clusterConfig() {
        if (!acrossMachines.get()) {
            return null;
        }
        String bind = clusterBind.get() == null || clusterBind.get().isBlank() ? ClusterConfig.ownerAddress() : clusterBind.get().strip();
        return new ClusterConfig(clusterName.get() == null ? "" : clusterName.get().strip(), clusterSecret.get() == null ? ""
                : clusterSecret.get(), List.of(), bind, clusterPort.get());
    }

    /**
     * A trial's events and losses from elsewhere than training: what a bench or a test feeds the command center, on
     * the job's thread, through the same publish path and pump as a {@link SearchRunner}'s.
     */
    public interface Source {
        /** Reports each trial's start, its losses and its end, and returns the ended trials. */
        List<TrialResult> run(Consumer<SearchEvent> events, Losses losses) throws Exception;
    }

    /** Where a {@link Source} reports a trial's iteration loss. */
    public interface Losses {
        void loss(int trial, double loss);
    }

    /**
     * For benches and tests: a search of {@code s} whose trials are {@code source}'s, shown exactly as a real search's
     * (the same job, partial results, pump frames and rows).
     */
    public void startFrom(SearchSpec s, Source source) {
        if (phase.get() == Phase.RUNNING || phase.get() == Phase.PAUSED) {
            return;
        }
        Control c = new Control();
        launch(s, c, (progress, publish) -> new SearchEvent.SearchEnded(source.run(e -> publish.accept(new Update.Event(e)),
                (trial, loss) -> publish.accept(new Update.Loss(trial, loss))), c.cancelled()));
    }

    /** The rows of the last search cleared, and {@code task} started as the search of {@code s} (FX thread). */
    private void launch(SearchSpec s, Control c, BackgroundJobs.PublishingTask<SearchEvent.SearchEnded, Update> task) {
        spec = s;
        rows.clear();
        warnings.clear();
        losses.clear();
        startedAt.clear();
        control = c;
        long id = ++search;
        phase.set(Phase.RUNNING);
        summary.set("Preparing " + (s.subset() == 0 ? "all" : s.subset()) + " training images...");
        jobs.start("Searching", task, u -> {
            if (id == search) {
                take(u);
            }
        }, u -> !(u instanceof Update.Loss), new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(SearchEvent.SearchEnded end) {
                if (id == search) {
                    ended(end);
                }
            }

            @Override
            public void failed(String message) {
                if (id == search) {
                    phase.set(Phase.ENDED);
                    summary.set("The search stopped: " + message);
                    notices.accept(new Notice("Search failed", message, true));
                    listRecorded();
                }
            }
        });
    }

    /** Waits for every trial to end; interrupted, the search is cancelled and still waited for (its recordings end). */
    private static List<TrialResult> awaitAll(SearchRunner runner) {
        boolean interrupted = false;
        while (true) {
            try {
                List<TrialResult> r = runner.await();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return r;
            } catch (InterruptedException e) {
                interrupted = true;
                runner.cancel();
            }
        }
    }

    /** A trial started or ended, or a loss (FX thread). */
    private void take(Update u) {
        if (u instanceof Update.Loss l) {
            List<Double> ls = losses.computeIfAbsent(l.trial(), k -> new ArrayList<>());
            ls.add(l.loss());
            if (ls.size() > MAX_LOSSES) { // keep every other one: the curve's shape at half the points
                List<Double> half = new ArrayList<>();
                for (int i = 0; i < ls.size(); i += 2) {
                    half.add(ls.get(i));
                }
                losses.put(l.trial(), half);
            }
            lossesChanged = true;
            pump.requestFrame();
        } else if (u instanceof Update.Members m) {
            members.setAll(m.members());
        } else if (u instanceof Update.Recorded rec) {
            shownId.set(rec.id());
            RunStore store = runs.store();
            recording.set("Search " + rec.id() + " recorded in " + (store == null ? "the workspace" : store.folder())
                    + ": each trial is a run (View > Runs...); it goes on after a close or a crash (Resume).");
            for (TrialResult r : rec.earlier().results()) {
                rows.add(TrialRow.started(r.trial()).ended(r, rec.earlier().losses().getOrDefault(r.trial().index(), List.of())));
            }
            listRecorded();
        } else if (u instanceof Update.Event ev && ev.event() instanceof SearchEvent.TrialStarted st) {
            startedAt.put(st.trial().index(), System.nanoTime());
            rows.add(TrialRow.started(st.trial()));
            summary.set(describeProgress(rows.size(), spec.trials()));
        } else if (u instanceof Update.Event ev && ev.event() instanceof SearchEvent.TrialFinished f) {
            int i = position(f.result().trial().index());
            rows.set(i, rows.get(i).ended(f.result(), losses.getOrDefault(f.result().trial().index(), List.of())));
            summary.set(String.format(Locale.ROOT, "%d of %d trials ended", f.finished(), f.total()));
        }
    }

    private static String describeProgress(int started, int total) {
        return "Trial " + started + " of " + total + " started";
    }

    /** The row of trial {@code index}. */
    private int position(int index) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).trial().index() == index) {
                return i;
            }
        }
        throw new IllegalStateException("no row for trial " + index);
    }

    /** At a frame: the running trials' rows take their losses and time so far. */
    private void frame() {
        if (!lossesChanged) {
            return;
        }
        lossesChanged = false;
        long now = System.nanoTime();

        for (int i = 0; i < rows.size(); i++) {
            TrialRow r = rows.get(i);
            List<Double> ls = losses.get(r.trial().index());
            if (!r.ended() && ls != null && ls.size() != r.losses().size()) {
                rows.set(i, r.running(ls, (now - startedAt.getOrDefault(r.trial().index(), now)) / 1e9));
            }
        }
    }

    private void ended(SearchEvent.SearchEnded end) {
        if (phase.get() == Phase.ENDED) {
            return;
        }
        phase.set(Phase.ENDED);
        List<TrialResult> results = end.results();
        warnings.setAll(Refine.edgeWarnings(spec, results, top(results)));
        long counted = results.stream().filter(r -> r.best() > 0).count();
        TrialResult best = results.isEmpty() ? null : Refine.top(results, 1).get(0);
        summary.set((end.cancelled() ? "Cancelled: " : "Done: ") + results.size() + " trials ended"
                + (best == null || best.best() == 0 ? "" : String.format(Locale.ROOT, "; best val acc %.3f (trial %d, lr %.2e, reg %.2e)",
                best.best(), best.trial().index() + 1, best.trial().value(Hyper.LR), best.trial().value(Hyper.REG)))
                + (counted == 0 ? "; no trial learned anything" : ""));
        status.accept("Search " + (end.cancelled() ? "cancelled" : "done") + ": " + results.size() + " trials");
        listRecorded();
    }

    /** The top trials to look at: {@value #TOP}, but at most half of those finished (else nothing is narrowed). */
    private static int top(List<TrialResult> results) {
        return Math.max(1, Math.min(TOP, results.size() / 2));
    }

    public void pause() {
        if (phase.get() == Phase.RUNNING && control.acrossMachines()) {
            summary.set("A search across machines does not pause (its trials run on other machines): Cancel stops it");
            return;
        }
        if (phase.get() == Phase.RUNNING) {
            control.pause();
            phase.set(Phase.PAUSED);
            summary.set("Paused: the running trials wait, no new one starts");
        }
    }

    public void resume() {
        if (phase.get() == Phase.PAUSED) {
            control.resume();
            phase.set(Phase.RUNNING);
            summary.set("Resumed");
        }
    }

    /** Stops the running trials (they end cancelled) and starts no more; the finished ones stay. */
    public void cancel() {
        if (phase.get() == Phase.RUNNING || phase.get() == Phase.PAUSED) {
            control.resume(); // a paused trial must run on to its next iteration to see the stop
            control.cancel();
            summary.set("Cancelling...");
        }
    }

    /** The results of the search that ended, for the fine stage. */
    private List<TrialResult> results() {
        return rows.stream().filter(TrialRow::ended).map(TrialRow::result).toList();
    }

    /**
     * Fine stage: the form's lr and reg ranges narrowed around the top trials of the search that ended
     * ({@link Refine#narrow}), and the next seed, so that Start runs the next stage.
     */
    public void fineStage() {
        List<TrialResult> results = results();
        if (phase.get() != Phase.ENDED || results.stream().noneMatch(r -> r.best() > 0)) {
            notices.accept(new Notice("No fine stage", "A fine stage narrows the ranges around the best finished trials:"
                    + " run a search in which some trial learned first.", true));
            return;
        }
        SearchSpec fine = Refine.narrow(spec.withSeed(spec.seed() + 1), results, top(results));
        applySpec(fine); // every dimension narrowed, not only lr and reg
        status.accept("Fine stage: lr " + fine.range(Hyper.LR).describe() + ", reg " + fine.range(Hyper.REG).describe());
    }

    /**
     * Sets the window's lr and reg (and hidden size, if the search ranged it) to the trial's, to 3 significant digits
     * as the table shows them (a random draw's 16 digits say nothing more): Start trains it.
     */
    public void useTrial(TrialRow row) {
        config.learningRateProperty().set(threeDigits(row.lr()));
        config.regProperty().set(threeDigits(row.reg()));
        if (spec != null && spec.range(Hyper.HIDDEN) != null) {
            config.hiddenProperty().set(String.valueOf((int) row.trial().value(Hyper.HIDDEN)));
        }
        status.accept(String.format(Locale.ROOT, "Trial %d: lr %.2e, reg %.2e", row.number(), row.lr(), row.reg())
                + " set; Start trains it");
    }

    /** {@code x} to 3 significant digits. */
    static double threeDigits(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2e", x));
    }

    /** The table as CSV: a header and one line per trial, in trial order. */
    public String csv() {
        StringBuilder sb = new StringBuilder("trial,state,reason,lr,reg,best_val_acc,epochs,seconds\n");
        rows.stream().sorted(java.util.Comparator.comparingInt(TrialRow::number)).forEach(r -> sb.append(String.format(Locale.ROOT,
                "%d,%s,%s,%s,%s,%s,%d,%.3f%n", r.number(), r.state(), quote(r.reason()), Numbers.exact(r.lr()),
                Numbers.exact(r.reg()), Double.isNaN(r.best()) ? "" : String.format(Locale.ROOT, "%.6f", r.best()),
                r.epochsDone(), r.seconds())));
        return sb.toString();
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** Writes the table's CSV to {@code file} in the background (replaced whole, never half-written). */
    public void exportCsv(Path file) {
        String text = csv();
        jobs.start("Exporting the trials", p -> {
            AtomicFiles.writeString(file, text);
            return file;
        }, new BackgroundJobs.Outcome<Path>() {
            @Override
            public void succeeded(Path written) {
                status.accept("Trials written to " + written);
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice("Export failed", message, true));
            }
        });
    }

    /**
     * The window is closing: the search stops, its running trials recorded as cancelled (a resumed search runs them
     * again).
     */
    void shutdown() {
        randomVsGrid.shutdown();
        if (control != null) {
            control.resume();
            control.cancel();
        }
    }

    /** Counted down once the search's trials have all ended and their recordings closed (the store waits for it). */
    CountDownLatch jobEnded() {
        return jobEnded;
    }

    /**
     * Lists the searches recorded in the workspace store in the background; the newest whose trials did not all end
     * is offered ({@link #unfinishedProperty}). No store: the list is empty and the panel says the search is unrecorded.
     */
    public void listRecorded() {
        RunStore store = runs.store();
        long asked = ++listing;
        if (store == null) {
            recorded.clear();
            unfinished.set(null);
            if (!active()) {
                recording.set("Not recorded: no workspace run store is open (File > Workspace...).");
            }
            return;
        }
        if (!active() && shownId.get() == null) {
            recording.set("A search is recorded in " + store.folder() + ": it survives closing the window.");
        }
        jobs.start("Listing the searches", p -> {
            List<RecordedSearch> out = new ArrayList<>();
            for (String id : SearchLog.ids(store)) {
                try {
                    SearchLog log = SearchLog.reopen(store, id, "");
                    List<Trial> planned = log.plan();
                    out.add(new RecordedSearch(id, log.finished(planned).size(), planned.size(), describe(log.spec())));
                } catch (IllegalArgumentException e) {
                    // a search file this version cannot read: not listed
                }
            }
            return out;
        }, new BackgroundJobs.Outcome<List<RecordedSearch>>() {
            @Override
            public void succeeded(List<RecordedSearch> list) {
                if (asked != listing) {
                    return;
                }
                recorded.setAll(list);
                RecordedSearch offer = null;
                for (RecordedSearch r : list) {
                    if (!r.finished() && !(active() && r.id().equals(shownId.get()))) {
                        offer = r;
                    }
                }
                unfinished.set(offer);
            }

            @Override
            public void failed(String message) {
                status.accept("Could not list the recorded searches: " + message);
            }
        });
    }

    /** A spec in a few words: "random, 30 x 1 epoch, lr 1e-06:0.001:log, reg ...". */
    static String describe(SearchSpec s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.strategy().name().toLowerCase(Locale.ROOT) + ", " + s.epochs() + " epoch" + (s.epochs() == 1 ? "" : "s"));
        s.ranges().forEach((h, d) -> parts.add(h.key() + " " + d.describe()));
        return String.join(", ", parts);
    }

    /**
     * Shows recorded search {@code id} read-only: its ended trials in the table, curves and scatter (with their recorded
     * losses), its spec in the form. An unfinished one can then be resumed.
     */
    public void showRecorded(String id) {
        RunStore store = runs.store();
        if (active() || store == null) {
            return;
        }
        long asked = ++search;
        control = null;
        jobs.start("Reading search " + id, p -> {
            SearchLog log = SearchLog.reopen(store, id, "");
            List<Trial> planned = log.plan();
            List<TrialResult> ended = log.finished(planned);
            return new Shown(log.spec(), planned.size(), ended, losses(log, ended));
        }, new BackgroundJobs.Outcome<Shown>() {
            @Override
            public void succeeded(Shown shown) {
                if (asked != search || active()) {
                    return;
                }
                applySpec(shown.spec());
                spec = shown.spec();
                rows.clear();
                losses.clear();
                startedAt.clear();
                for (TrialResult r : shown.ended()) {
                    rows.add(TrialRow.started(r.trial()).ended(r, shown.losses().getOrDefault(r.trial().index(), List.of())));
                }
                rows.sort(java.util.Comparator.comparingInt(TrialRow::number));
                shownId.set(id);
                phase.set(Phase.ENDED);
                warnings.setAll(shown.ended().isEmpty() ? List.of() : Refine.edgeWarnings(spec, shown.ended(), top(shown.ended())));
                boolean done = shown.ended().size() >= shown.total();
                summary.set("Search " + id + " (recorded, read-only): " + shown.ended().size() + " of " + shown.total()
                        + " trials done" + (done ? "" : "; Resume goes on with the others"));
                recording.set("Search " + id + " shown from " + store.folder());
            }

            @Override
            public void failed(String message) {
                notices.accept(new Notice("Recorded search", "Search " + id + " cannot be read: " + message, true));
            }
        });
    }

    /** A recorded search as read for showing. */
    private record Shown(SearchSpec spec, int total, List<TrialResult> ended, Map<Integer, List<Double>> losses) {
        Shown {
            ended = List.copyOf(ended);
            losses = Map.copyOf(losses);
        }
    }

    /**
     * Opens the trial in the main window: its whole net and trainer config in the forms, and, if it is recorded, its
     * run reopened from the store in every chart (as View > Runs... reopens a run, read-only).
     */
    public void openInMainWindow(TrialRow row) {
        if (row == null) {
            return;
        }
        RunStore store = runs.store();
        String id = shownId.get();
        if (store == null || id == null) {
            config.apply(row.trial().net(), row.trial().train());
            status.accept("Trial " + row.number() + "'s config set in the main window (not recorded: no curves to reopen);"
                    + " Start trains it");
            return;
        }
        jobs.start("Finding trial " + row.number() + "'s run", p -> SearchLog.reopen(store, id, "").runOf(row.trial().index()),
                new BackgroundJobs.Outcome<java.util.OptionalLong>() {
                    @Override
                    public void succeeded(java.util.OptionalLong run) {
                        if (run.isEmpty()) {
                            config.apply(row.trial().net(), row.trial().train());
                            status.accept("Trial " + row.number() + " has no recorded run yet: its config is set; Start trains it");
                            return;
                        }
                        runs.reopen(run.getAsLong(), d -> {
                            config.apply(d.netConfig(), d.trainConfig());
                            status.accept("Trial " + row.number() + " (run " + run.getAsLong() + ") reopened in the main window,"
                                    + " its config in the forms; Start trains it again");
                        });
                    }

                    @Override
                    public void failed(String message) {
                        notices.accept(new Notice("Open in main window", message, true));
                    }
                });
    }

    /** The spec of the search under way or ended last (its rows' axes), null before the first. */
    public SearchSpec spec() {
        return spec;
    }

    /** Run the search across machines: this machine owns it, workers join (babysitter worker, or Join a search...). */
    public javafx.beans.property.BooleanProperty acrossMachinesProperty() {
        return acrossMachines;
    }

    public StringProperty clusterNameProperty() {
        return clusterName;
    }

    /** The shared secret, in memory only. */
    public StringProperty clusterSecretProperty() {
        return clusterSecret;
    }

    public StringProperty clusterBindProperty() {
        return clusterBind;
    }

    public IntegerProperty clusterPortProperty() {
        return clusterPort;
    }

    /** The members of the search across machines under way, live (empty otherwise). */
    public ObservableList<MemberRow> members() {
        return membersView;
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    /** The loaded (or narrowed) spec the form edits, null if none. */
    public ReadOnlyObjectProperty<SearchSpec> loadedSpecProperty() {
        return loaded;
    }

    /** The spec's dimensions besides the form's, in one line. */
    public StringProperty othersProperty() {
        return others;
    }

    /** Where the search is recorded, or that it is not, in one line. */
    public StringProperty recordingProperty() {
        return recording;
    }

    /** The searches recorded in the workspace store, oldest first. */
    public ObservableList<RecordedSearch> recorded() {
        return recorded;
    }

    /** The newest recorded search with trials left to run (null: none): offered to resume. */
    public ReadOnlyObjectProperty<RecordedSearch> unfinishedProperty() {
        return unfinished;
    }

    /** The recorded search the rows are of, null if unrecorded. */
    public StringProperty shownIdProperty() {
        return shownId;
    }

    /** A row per started trial, in the order they started. */
    public ObservableList<TrialRow> rows() {
        return rowsView;
    }

    /** The edge warnings of the search that ended. */
    public ObservableList<String> warnings() {
        return warnings;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public DoubleProperty lrLowProperty() {
        return lrLow;
    }

    public DoubleProperty lrHighProperty() {
        return lrHigh;
    }

    public DoubleProperty regLowProperty() {
        return regLow;
    }

    public DoubleProperty regHighProperty() {
        return regHigh;
    }

    public IntegerProperty trialsProperty() {
        return trials;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    /** Training images, 0 for all. */
    public IntegerProperty subsetProperty() {
        return subset;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public ObjectProperty<PrunerSpec.Kind> prunerProperty() {
        return pruner;
    }
}
