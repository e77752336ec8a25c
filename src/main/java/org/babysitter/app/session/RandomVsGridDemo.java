package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.RandomVsGrid;
import org.babysitter.engine.search.SearchEvent;
import org.babysitter.engine.search.SearchRunner;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.train.TrainConfig;

/**
 * The lecture's random vs grid picture as a one-click experiment of the command center: the form's lr and reg ranges,
 * epochs, training images and seed, a square budget (9 by default), run as a k x k grid and then at random in one
 * background job (cancellable, progress in the summary); each side's rows fill in as its trials end, then the best val
 * accuracies, the distinct learning rates and the conclusion ({@link RandomVsGrid}). FX thread.
 */
public final class RandomVsGridDemo {
    /** A trial of one side started or ended. */
    record Update(boolean grid, SearchEvent event) {
        Update {
            if (event == null) {
                throw new IllegalArgumentException("an update carries its event");
            }
        }
    }

    private final BackgroundJobs jobs;
    private final Gemm gemm;
    private final ConfigViewModel config;
    private final DataController data;
    private final Consumer<Notice> notices;
    private final Supplier<SearchSpec> form;

    private final IntegerProperty budget = new SimpleIntegerProperty(9);
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty conclusion = new SimpleStringProperty("");
    private final ObservableList<TrialRow> gridRows = FXCollections.observableArrayList();
    private final ObservableList<TrialRow> randomRows = FXCollections.observableArrayList();
    /** Read-only views, kept: a view listens to its list weakly, so a view made per call could be collected. */
    private final ObservableList<TrialRow> gridView = FXCollections.unmodifiableObservableList(gridRows);
    private final ObservableList<TrialRow> randomView = FXCollections.unmodifiableObservableList(randomRows);
    /** The runner under way (job thread sets, FX thread cancels) and whether Cancel was asked. */
    private final AtomicReference<SearchRunner> runner = new AtomicReference<>();
    private BackgroundJobs.Job job;
    private volatile boolean cancelled;
    private long run;

    RandomVsGridDemo(BackgroundJobs jobs, Gemm gemm, ConfigViewModel config, DataController data, Consumer<Notice> notices,
                     Supplier<SearchSpec> form) {
        this.jobs = jobs;
        this.gemm = gemm;
        this.config = config;
        this.data = data;
        this.notices = notices;
        this.form = form;
    }

    /** Runs the grid, then the random search, of the form's ranges on {@link #budgetProperty()} trials each. */
    public void start() {
        if (running.get()) {
            return;
        }
        LoadedImages images = data.imagesOrSay(notices);
        if (images == null) {
            return;
        }
        RandomVsGrid.Specs specs;
        NetConfig net;
        TrainConfig train;
        try {
            specs = RandomVsGrid.specs(form.get(), budget.get());
            net = config.netConfig(Cifar.PIXELS, images.classNames().size());
            train = config.trainConfig();
        } catch (IllegalArgumentException e) {
            notices.accept(new Notice("Cannot compare random and grid search", e.getMessage(), true));
            return;
        }
        gridRows.clear();
        randomRows.clear();
        conclusion.set("");
        cancelled = false;
        running.set(true);
        long id = ++run;
        int n = budget.get();
        var preprocessing = data.view().preprocessingProperty().get();
        SearchSpec g = specs.grid();
        summary.set("Preparing " + (g.subset() == 0 ? "all" : g.subset()) + " training images...");
        BackgroundJobs.PublishingTask<RandomVsGrid.Outcome, Update> task = (progress, publish) -> {
            PreparedData pd = PreparedData.prepare(images, new SplitSpec(SplitSpec.AUTO, g.subset() == 0 ? SplitSpec.ALL : g.subset(),
                    SplitSpec.ALL), preprocessing);
            NetConfig shaped = net.withShape(pd.preprocessor().features(), pd.dataset().classCount());
            DataIdentity identity = DataIdentity.ofImages(pd.dataset());
            List<List<TrialResult>> results = new ArrayList<>();
            for (SearchSpec s : List.of(specs.grid(), specs.random())) {
                boolean isGrid = s == specs.grid();
                if (cancelled) {
                    results.add(List.of());
                    continue;
                }
                List<Trial> planned = SearchController.plan(s, shaped, train, identity);
                SearchRunner r = new SearchRunner(planned, pd, gemm, s.pruner().create(), SearchRunner.DEFAULT_JOBS, e -> {
                    if (!(e instanceof SearchEvent.SearchEnded)) {
                        publish.accept(new Update(isGrid, e));
                    }
                    if (e instanceof SearchEvent.TrialFinished f) {
                        progress.update(((isGrid ? 0 : n) + f.finished()) / (2.0 * n), (isGrid ? "Grid" : "Random") + " search");
                    }
                });
                runner.set(r);
                if (cancelled) {
                    r.cancel();
                }
                r.start();
                results.add(r.await());
            }
            return new RandomVsGrid.Outcome(results.get(0), results.get(1));
        };
        job = jobs.start("Random vs grid", task, u -> {
            if (id == run) {
                take(u, n);
            }
        }, new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(RandomVsGrid.Outcome o) {
                if (id == run) {
                    running.set(false);
                    summary.set(cancelled ? "Cancelled" : String.format(Locale.ROOT,
                            "Done: grid best val acc %.3f with %d distinct lr values; random %.3f with %d", o.bestGrid(),
                            RandomVsGrid.distinct(o.grid(), Hyper.LR), o.bestRandom(), RandomVsGrid.distinct(o.random(), Hyper.LR)));
                    conclusion.set(cancelled ? "" : o.conclusion());
                }
            }

            @Override
            public void cancelled() {
                if (id == run) {
                    running.set(false);
                    summary.set("Cancelled");
                }
            }

            @Override
            public void failed(String message) {
                if (id == run) {
                    running.set(false);
                    summary.set("The comparison stopped: " + message);
                    notices.accept(new Notice("Random vs grid failed", message, true));
                }
            }
        });
    }

    /** A trial of one side started (a running row) or ended (its row replaced). */
    private void take(Update u, int n) {
        ObservableList<TrialRow> rows = u.grid() ? gridRows : randomRows;
        if (u.event() instanceof SearchEvent.TrialStarted st) {
            rows.add(TrialRow.started(st.trial()));
        } else if (u.event() instanceof SearchEvent.TrialFinished f) {
            int index = f.result().trial().index();
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).trial().index() == index) {
                    rows.set(i, rows.get(i).ended(f.result(), List.of()));
                }
            }
            summary.set(String.format(Locale.ROOT, "%s search: %d of %d trials ended", u.grid() ? "Grid" : "Random", f.finished(), n));
        }
    }

    /** Stops the side under way (its running trials end cancelled) and starts no other. */
    public void cancel() {
        if (running.get()) {
            cancelled = true;
            SearchRunner r = runner.get();
            if (r != null) {
                r.cancel();
            }
            summary.set("Cancelling...");
        }
    }

    /** The window is closing. */
    void shutdown() {
        cancel();
        if (job != null) {
            job.cancel();
        }
    }

    /** Trials per side: a square of at least 4. */
    public IntegerProperty budgetProperty() {
        return budget;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    /** The one-line conclusion once both ended, else "". */
    public StringProperty conclusionProperty() {
        return conclusion;
    }

    /** The grid's trials, a row each as it starts. */
    public ObservableList<TrialRow> gridRows() {
        return gridView;
    }

    /** The random search's trials, a row each as it starts. */
    public ObservableList<TrialRow> randomRows() {
        return randomView;
    }

    /** Distinct learning rates of a side's rows so far. */
    public static int distinctLr(List<TrialRow> rows) {
        return (int) rows.stream().mapToDouble(TrialRow::lr).distinct().count();
    }
}
