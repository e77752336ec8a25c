package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javafx.scene.control.Label;
import javafx.stage.Stage;

import org.babysitter.app.session.SearchController;
import org.babysitter.app.session.TrialRow;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.runs.RunSummary;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.SearchEvent;
import org.babysitter.engine.search.SearchLog;
import org.babysitter.engine.search.SearchRunner;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The search panel with the workspace store (built-in data, trials of 1 epoch on 400 images): a search is recorded
 * as runs, a half-finished one is offered and resumed, a trial opens in the main window; a spec file loads, saves and
 * runs, a bad one is refused; the table filters.
 */
class SearchStoreTest extends WindowTest {
    private static final int SUBSET = 400;

    @Start
    void start(Stage stage) {
        open(stage);
    }

    private Path openWorkspace() throws Exception {
        Path ws = tmp.resolve("workspace");
        fx(() -> {
            session.runs().open(ws);
            return null;
        });
        waitFor("the store open", () -> fx(() -> session.runs().openProperty().get()));
        return ws;
    }

    private void dataLoaded() throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
    }

    /** The panel open, the form set to {@code trials} trials of 1 epoch on {@value #SUBSET} images. */
    private SearchController openPanel(int trials) throws Exception {
        SearchController s = session.search();
        fx(() -> {
            window.showSearch();
            s.trialsProperty().set(trials);
            s.epochsProperty().set(1);
            s.subsetProperty().set(SUBSET);
            s.lrLowProperty().set(1e-4);
            s.lrHighProperty().set(1e-2);
            s.regLowProperty().set(1e-5);
            s.regHighProperty().set(1e-1);
            return null;
        });
        return s;
    }

    private void waitEnded(SearchController s) throws Exception {
        waitFor("the search to end", () -> fx(() -> s.phaseProperty().get()) == SearchController.Phase.ENDED);
    }

    @Test
    void aWindowSearchIsRecordedFiltersAndOpensATrialInTheMainWindow(FxRobot robot) throws Exception {
        dataLoaded();
        Path ws = openWorkspace();
        fx(() -> {
            session.config().hiddenProperty().set("30");
            session.config().activationProperty().set(Activation.TANH);
            return null;
        });
        SearchController s = openPanel(4);
        robot.clickOn("#search-start");
        waitEnded(s);
        assertEquals("s1", fx(() -> s.shownIdProperty().get()));
        assertTrue(fx(() -> s.recordingProperty().get()).startsWith("Search s1 recorded in "), fx(() -> s.recordingProperty().get()));
        List<TrialRow> rows = fx(() -> List.copyOf(s.rows()));
        assertEquals(4, rows.size());

        // in the store: the search and its trials, each a run tagged search:s1 / trial:N (listed in View > Runs... too)
        fx(() -> {
            session.runs().refresh();
            return null;
        });
        waitFor("the trials listed as runs", () -> fx(() -> session.runs().runs().size()) == 4);
        Set<String> trialTags = fx(() -> session.runs().runs().stream().filter(r -> r.tags().contains("search:s1"))
                .flatMap(r -> r.tags().stream()).filter(t -> t.startsWith("trial:")).collect(Collectors.toSet()));
        assertEquals(Set.of("trial:1", "trial:2", "trial:3", "trial:4"), trialTags);
        try (RunStore store = RunStore.open(ws)) {
            SearchLog log = SearchLog.reopen(store, "s1", "");
            assertEquals(fx(s::formSpec), log.spec());
            assertEquals(List.of(30), log.base().net().hiddenSizes(), "the configured net is the search's base");
            assertEquals(Activation.TANH, log.base().net().activation());
            List<TrialResult> finished = log.finished(log.plan());
            assertEquals(rows.stream().map(TrialRow::number).sorted().toList(),
                    finished.stream().map(r -> r.trial().index() + 1).sorted().toList());
            for (TrialResult r : finished) {
                TrialRow row = rows.stream().filter(x -> x.trial().index() == r.trial().index()).findFirst().orElseThrow();
                assertEquals(row.result().valAccuracies(), r.valAccuracies(), "trial " + row.number() + " as the table shows it");
            }
        }
        waitFor("the listing", () -> fx(() -> s.recorded().size()) == 1);
        assertEquals("s1: 4 of 4 trials done", fx(() -> s.recorded().get(0).toString()).replaceAll(" \\(.*", ""));
        assertNull(fx(() -> s.unfinishedProperty().get()), "nothing left to resume");

        // the filters: by state, by number; sorting still works on what passes
        var view = window.searchView();
        String someState = rows.get(0).state();
        long inState = rows.stream().filter(r -> r.state().equals(someState)).count();
        fx(() -> {
            view.filterState().setValue(someState);
            return null;
        });
        assertEquals(inState, (long) fx(() -> view.table().getItems().size()));
        assertTrue(fx(() -> view.table().getItems().stream().allMatch(r -> r.state().equals(someState))));
        fx(() -> {
            view.filterState().setValue("all");
            return null;
        });
        robot.clickOn("#search-filter").write("3");
        assertEquals(List.of(3), fx(() -> view.table().getItems().stream().map(TrialRow::number).toList()));
        fx(() -> {
            view.filterText().setText("");
            view.filterState().setValue("running");
            return null;
        });
        assertEquals(0, fx(() -> view.table().getItems().size()), "none running");
        fx(() -> {
            view.filterState().setValue("all");
            var number = view.table().getColumns().get(0);
            number.setSortType(javafx.scene.control.TableColumn.SortType.DESCENDING);
            view.table().getSortOrder().setAll(List.of(number));
            return null;
        });
        assertEquals(List.of(4, 3, 2, 1), fx(() -> view.table().getItems().stream().map(TrialRow::number).toList()));

        // open trial 2 in the main window: its whole config in the forms, its run's curves in the charts
        fx(() -> {
            session.config().hiddenProperty().set("77");
            session.config().activationProperty().set(Activation.RELU);
            view.table().getSelectionModel().select(2); // descending: trial 2
            return null;
        });
        TrialRow chosen = fx(() -> view.table().getSelectionModel().getSelectedItem());
        assertEquals(2, chosen.number());
        long runId;
        int iterations;
        try (RunStore store = RunStore.open(ws)) {
            runId = SearchLog.reopen(store, "s1", "").runOf(1).getAsLong();
            iterations = store.history(runId).iterations().size();
        }
        assertTrue(iterations > 1);
        robot.clickOn("#search-open");
        waitFor("trial 2's run in the charts", () -> fx(() -> window.charts().lossCount()) == iterations);
        waitFor("trial 2's config in the forms", () -> fx(() -> session.config().hiddenProperty().get()).equals("30"));
        assertEquals(chosen.lr(), fx(() -> session.config().learningRateProperty().get()), 0, "the exact lr");
        assertEquals(chosen.reg(), fx(() -> session.config().regProperty().get()), 0, "the exact reg");
        assertEquals(Activation.TANH, fx(() -> session.config().activationProperty().get()));
        assertEquals(chosen.trial().train().seed(), fx(() -> session.config().seedProperty().get()));
        assertEquals(1, fx(() -> session.config().epochsProperty().get()));
        assertEquals(chosen.trial().net().withShape(Cifar.PIXELS, 10),
                fx(() -> session.config().netConfig(Cifar.PIXELS, 10)), "the whole net");
        assertTrue(fx(() -> session.run().view().messageProperty().get()).contains("Run " + runId),
                fx(() -> session.run().view().messageProperty().get()));
    }

    @Test
    void aHalfFinishedSearchInTheStoreIsOfferedAndResumedToTheEnd(FxRobot robot) throws Exception {
        dataLoaded();
        Path ws = tmp.resolve("workspace");
        // a search as the window records it, 2 of 5 trials ended and the third stopped by a close (cancelled)
        LoadedImages images = fx(() -> session.data().images());
        Preprocessing preprocessing = fx(() -> session.data().view().preprocessingProperty().get());
        PreparedData pd = PreparedData.prepare(images, new SplitSpec(SplitSpec.AUTO, SUBSET, SplitSpec.ALL), preprocessing);
        Hyper.Configs base = fx(() -> new Hyper.Configs(session.config().netConfig(pd.preprocessor().features(),
                pd.dataset().classCount()), session.config().trainConfig()));
        SearchSpec spec = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(Hyper.LR, Dimension.log(1e-4, 1e-2),
                Hyper.REG, Dimension.log(1e-5, 1e-1)), List.of(), 5, 1, SUBSET, 11, PrunerSpec.NONE);
        List<TrialResult> earlier;
        try (RunStore store = RunStore.open(ws)) {
            SearchLog log = SearchLog.create(store, spec, base, DataIdentity.ofImages(pd.dataset()), preprocessing.label());
            List<Trial> planned = log.plan(pd.preprocessor().features(), pd.dataset().classCount());
            SearchRunner first = new SearchRunner(planned.subList(0, 2), List.of(), log, pd, new EjmlGemm(false),
                    spec.pruner().create(), 1, e -> { });
            first.start();
            earlier = first.await();
            SearchRunner[] third = new SearchRunner[1];
            third[0] = new SearchRunner(planned.subList(2, 3), List.of(), log, pd, new EjmlGemm(false), spec.pruner().create(), 1, e -> {
                if (e instanceof SearchEvent.TrialStarted) {
                    third[0].cancel();
                }
            });
            third[0].start();
            assertEquals(TrialState.CANCELLED, third[0].await().get(0).state(), "in flight when the window closed");
            assertEquals(2, log.finished(planned).size());
        }
        openWorkspace();
        SearchController s = openPanel(3);
        waitFor("the offer", () -> fx(() -> s.unfinishedProperty().get()) != null);
        assertEquals("Search s1: 2 of 5 trials done", robot.lookup("#search-offer").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#search-offer-resume").queryButton().getParent().isVisible());
        robot.clickOn("#search-offer-resume");
        waitFor("the form showing the resumed search's spec", () -> spec.equals(fx(s::formSpec)));
        waitFor("the earlier trials shown", () -> fx(() -> s.rows().size()) >= 2);
        waitEnded(s);
        List<TrialRow> rows = fx(() -> s.rows().stream().sorted(Comparator.comparingInt(TrialRow::number)).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), rows.stream().map(TrialRow::number).toList());
        assertTrue(rows.stream().allMatch(r -> r.ended() && !r.state().equals("cancelled")), rows.toString());
        for (TrialResult r : earlier) {
            TrialRow row = rows.get(r.trial().index());
            assertEquals(r.valAccuracies(), row.result().valAccuracies(), "trial " + row.number() + " kept, not run again");
            assertFalse(row.losses().isEmpty(), "its recorded curve");
        }
        assertEquals(5, fx(() -> window.searchView().curves().charts().size()));
        waitFor("the listing", () -> fx(() -> s.recorded().size()) == 1 && fx(() -> s.recorded().get(0).finished()));
        assertNull(fx(() -> s.unfinishedProperty().get()), "nothing left to offer");
        assertFalse(robot.lookup("#search-offer-resume").queryButton().getParent().isVisible(), "the offer gone");
        try (RunStore store = RunStore.open(ws)) {
            SearchLog log = SearchLog.reopen(store, "s1", "");
            assertEquals(5, log.finished(log.plan()).size());
            List<RunSummary> runs = store.list(false);
            assertEquals(6, runs.size(), "5 trials and the cancelled one's run");
            assertTrue(runs.stream().allMatch(r -> r.tags().contains("search:s1")));
        }

        // shown again from the store, read-only: the same trials
        fx(() -> {
            s.showRecorded("s1");
            return null;
        });
        waitFor("shown", () -> fx(() -> s.summaryProperty().get()).startsWith("Search s1 (recorded, read-only): 5 of 5"));
        assertEquals(rows.stream().map(r -> r.result().valAccuracies()).toList(),
                fx(() -> s.rows().stream().map(r -> r.result().valAccuracies()).toList()));
    }

    @Test
    void closingTheWindowMidSearchRecordsTheTrialsInFlightAsCancelledSoResumeRunsThemAgain(FxRobot robot) throws Exception {
        dataLoaded();
        Path ws = openWorkspace();
        SearchController s = openPanel(6);
        fx(() -> {
            s.subsetProperty().set(4000); // long enough trials to be caught running
            return null;
        });
        robot.clickOn("#search-start");
        waitFor("a trial running", () -> fx(() -> s.rows().stream().anyMatch(r -> !r.ended() && !r.losses().isEmpty())));
        fx(() -> {
            session.shutdown();
            return null;
        });
        Thread closing = session.storeClosing();
        closing.join(20_000);
        assertFalse(closing.isAlive(), "the store closed once the search's trials were recorded");
        session = null;
        try (RunStore store = RunStore.open(ws)) {
            List<RunSummary> runs = store.list(false);
            assertFalse(runs.isEmpty());
            assertTrue(runs.stream().noneMatch(r -> r.state() == org.babysitter.engine.runs.RunState.RUNNING
                    || r.state() == org.babysitter.engine.runs.RunState.INTERRUPTED), runs.toString());
            List<RunSummary> cancelled = runs.stream().filter(r -> r.note().contains("CANCELLED")).toList();
            assertFalse(cancelled.isEmpty(), "the trials in flight ended cancelled: " + runs);
            SearchLog log = SearchLog.reopen(store, "s1", "");
            List<TrialResult> finished = log.finished(log.plan());
            assertEquals(runs.size() - cancelled.size(), finished.size(), "a resumed search runs the cancelled ones again");
            assertTrue(finished.size() < 6);
        }
    }

    @Test
    void aSpecFileLoadsSavesAndRunsEveryDimensionAndABadOneIsRefused(FxRobot robot) throws Exception {
        dataLoaded();
        SearchController s = openPanel(3);
        waitFor("unrecorded, said in one line", () -> fx(() -> s.recordingProperty().get()).startsWith("Not recorded"));
        SearchSpec spec = new SearchSpec(SearchSpec.Strategy.GRID, Map.of(Hyper.LR, Dimension.log(1e-4, 1e-2),
                Hyper.REG, Dimension.fixed(1e-3), Hyper.HIDDEN, Dimension.choice(List.of(20.0, 40.0)),
                Hyper.MOMENTUM, Dimension.uniform(0.5, 0.9)), List.of(UpdateRuleKind.SGD, UpdateRuleKind.ADAM), 4, 1, SUBSET, 5,
                PrunerSpec.MEDIAN);
        Path file = tmp.resolve("grid.json");
        spec.save(file);
        dialogs.specFile = file;
        robot.clickOn("#search-load-spec");
        waitFor("the spec loaded", () -> fx(() -> s.loadedSpecProperty().get()) != null);
        assertEquals(spec, fx(s::formSpec), "the form, untouched, is the spec");
        assertEquals(1e-4, fx(() -> s.lrLowProperty().get()));
        assertEquals(1e-2, fx(() -> s.lrHighProperty().get()));
        assertEquals(4, fx(() -> s.trialsProperty().get()));
        assertEquals(PrunerSpec.Kind.MEDIAN, fx(() -> s.prunerProperty().get()));
        String others = robot.lookup("#search-others").queryAs(Label.class).getText();
        for (String part : List.of("grid", "hidden 20,40", "momentum 0.5:0.9:uniform", "update sgd,adam", "reg 1e-3")) {
            assertTrue(others.contains(part), part + " in: " + others);
        }

        // the form edits the spec's lr; everything else stays the spec's
        fx(() -> {
            s.lrHighProperty().set(5e-3);
            return null;
        });
        SearchSpec edited = fx(s::formSpec);
        assertEquals(Dimension.log(1e-4, 5e-3), edited.range(Hyper.LR));
        assertEquals(Dimension.fixed(1e-3), edited.range(Hyper.REG));
        assertEquals(spec.range(Hyper.HIDDEN), edited.range(Hyper.HIDDEN));
        assertEquals(spec.rules(), edited.rules());
        assertEquals(SearchSpec.Strategy.GRID, edited.strategy());

        // saved: the CLI's format, read back the same
        Path saved = tmp.resolve("saved.json");
        dialogs.specFile = saved;
        robot.clickOn("#search-save-spec");
        waitFor("the spec written", () -> Files.exists(saved));
        assertEquals(edited, SearchSpec.load(saved));

        // runs: a grid of hidden x rule, lr at the middle of its range
        robot.clickOn("#search-start");
        waitEnded(s);
        List<TrialRow> rows = fx(() -> List.copyOf(s.rows()));
        assertEquals(4, rows.size());
        assertEquals(Set.of("20/SGD", "20/ADAM", "40/SGD", "40/ADAM"), rows.stream().map(r -> r.trial().net().hiddenSizes().get(0)
                + "/" + r.trial().train().updateRule().name()).collect(Collectors.toSet()));
        assertTrue(rows.stream().allMatch(r -> r.trial().train().reg() == 1e-3 && r.trial().train().momentum() == 0.7),
                "reg fixed, momentum at its grid's one point");
        assertEquals(Math.sqrt(1e-4 * 5e-3), rows.get(0).lr(), 1e-12);
        assertNull(fx(() -> s.shownIdProperty().get()), "no store: unrecorded");

        // a bad file: one notice, the form's spec kept
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{ \"strategy\": \"RANDOM\", \"trials\": ");
        fx(() -> {
            s.loadSpec(bad);
            return null;
        });
        waitFor("the notice", () -> session.noticeProperty().get() != null && session.noticeProperty().get().title().equals("Load spec"));
        assertTrue(session.noticeProperty().get().message().contains("bad.json"), session.noticeProperty().get().message());
        assertEquals(edited, fx(s::formSpec), "the previous spec kept");
        assertNotEquals("", fx(() -> s.othersProperty().get()));
    }
}
