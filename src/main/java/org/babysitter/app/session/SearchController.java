package org.babysitter.app.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.babysitter.engine.search.Refine;
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
 * fine stage, "use this trial" and the CSV export. FX thread; the runner's events come back as the job's partial
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
    }

    /** The runner of the search under way and the pause or cancel asked before it existed (FX and job threads). */
    private static final class Control {
        private SearchRunner runner;
        private boolean paused;
        private boolean cancelled;

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
        }

        synchronized boolean cancelled() {
            return cancelled;
        }
    }

    private final BackgroundJobs jobs;
    private final UiPump pump;
    private final Gemm gemm;
    private final ConfigViewModel config;
    private final DataController data;
    private final Consumer<Notice> notices;
    private final Consumer<String> status;

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

    SearchController(BackgroundJobs jobs, UiPump pump, Gemm gemm, ConfigViewModel config, DataController data,
                     Consumer<Notice> notices, Consumer<String> status) {
        this.jobs = jobs;
        this.pump = pump;
        this.gemm = gemm;
        this.config = config;
        this.data = data;
        this.notices = notices;
        this.status = status;
        pump.addFrameListener(this::frame);
        randomVsGrid = new RandomVsGridDemo(jobs, gemm, config, data, notices, this::formSpec);
    }

    /** The lecture's random vs grid experiment on the form's ranges and stage. */
    public RandomVsGridDemo randomVsGrid() {
        return randomVsGrid;
    }

    /** The spec the form describes now; IllegalArgumentException with the reason if it is not one. */
    public SearchSpec formSpec() {
        Map<Hyper, Dimension> ranges = new EnumMap<>(Hyper.class);
        ranges.put(Hyper.LR, range("lr", lrLow.get(), lrHigh.get()));
        ranges.put(Hyper.REG, range("reg", regLow.get(), regHigh.get()));
        PrunerSpec p = switch (pruner.get()) {
            case NONE -> PrunerSpec.NONE;
            case MEDIAN -> PrunerSpec.MEDIAN;
            case HALVING -> PrunerSpec.HALVING;
        };
        return new SearchSpec(SearchSpec.Strategy.RANDOM, ranges, List.of(), trials.get(), epochs.get(), subset.get(),
                seed.get(), p);
    }

    private static Dimension range(String name, double low, double high) {
        try {
            return Dimension.log(low, high);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /**
     * The spec's trials with the configured net and trainer (the form's epochs, seed {@code spec seed + i}) and the
     * trial's ranged values: the search tries what the window would train, changed only where ranged.
     */
    static List<Trial> plan(SearchSpec spec, NetConfig net, TrainConfig train, DataIdentity identity) {
        List<Trial> out = new ArrayList<>();
        for (Trial t : spec.trials(net.inputSize(), net.classes(), identity)) {
            Hyper.Configs c = new Hyper.Configs(net, train.withEpochs(spec.epochs()).withSeed(t.train().seed()));
            for (Hyper h : spec.ranges().keySet()) {
                c = h.apply(c, t.value(h));
            }
            out.add(new Trial(t.index(), c.net(), c.train(), identity));
        }
        return out;
    }

    /** Start: a new search of the form's spec on the loaded data (its rows replace the last search's). */
    public void start() {
        if (phase.get() == Phase.RUNNING || phase.get() == Phase.PAUSED) {
            return;
        }
        LoadedImages images = data.imagesOrSay(notices);
        if (images == null) {
            return;
        }
        SearchSpec s;
        NetConfig net;
        TrainConfig train;
        try {
            s = formSpec();
            net = config.netConfig(Cifar.PIXELS, images.classNames().size());
            train = config.trainConfig();
            plan(s, net, train, new DataIdentity("check", "sha256:" + "0".repeat(64))); // a range the net refuses: now
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot search", e.getMessage(), true));
            return;
        }
        Control c = new Control();
        var preprocessing = data.view().preprocessingProperty().get();
        int jobsAtOnce = SearchRunner.DEFAULT_JOBS;
        BackgroundJobs.PublishingTask<SearchEvent.SearchEnded, Update> task = (progress, publish) -> {
            PreparedData pd = PreparedData.prepare(images, new SplitSpec(SplitSpec.AUTO, s.subset() == 0 ? SplitSpec.ALL : s.subset(),
                    SplitSpec.ALL), preprocessing);
            List<Trial> planned = plan(s, net.withShape(pd.preprocessor().features(), pd.dataset().classCount()), train,
                    DataIdentity.ofImages(pd.dataset()));
            SearchRunner runner = new SearchRunner(planned, pd, gemm, s.pruner().create(), jobsAtOnce, e -> {
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
            return new SearchEvent.SearchEnded(runner.await(), c.cancelled());
        };
        launch(s, c, task);
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
        }, u -> u instanceof Update.Event, new BackgroundJobs.Outcome<>() {
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
                }
            }
        });
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
    }

    /** The top trials to look at: {@value #TOP}, but at most half of those finished (else nothing is narrowed). */
    private static int top(List<TrialResult> results) {
        return Math.max(1, Math.min(TOP, results.size() / 2));
    }

    public void pause() {
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
        lrLow.set(fine.range(Hyper.LR).low());
        lrHigh.set(fine.range(Hyper.LR).high());
        regLow.set(fine.range(Hyper.REG).low());
        regHigh.set(fine.range(Hyper.REG).high());
        seed.set(fine.seed());
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

    /** The window is closing: the search stops. */
    void shutdown() {
        randomVsGrid.shutdown();
        if (control != null) {
            control.cancel();
        }
    }

    /** The spec of the search under way or ended last (its rows' axes), null before the first. */
    public SearchSpec spec() {
        return spec;
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase;
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
