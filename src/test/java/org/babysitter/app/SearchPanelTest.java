package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;


import javafx.stage.Stage;
import org.babysitter.app.session.SearchController;
import org.babysitter.app.session.TrialRow;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.Refine;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.TrialResult;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The search command center on the built-in data (a few hundred images, trials of 1 epoch): the panel starts a search,
 * the table, the curves and the scatter fill in, Fine stage narrows the form, Use this trial sets lr and reg, the CSV
 * has a line per trial, and Cancel keeps the finished trials.
 */
class SearchPanelTest extends WindowTest {
    private static final Set<String> ENDED = Set.of("done", "diverged", "pruned", "failed", "cancelled");

    @Start
    void start(Stage stage) {
        open(stage);
    }

    /** The panel open on the loaded built-in data, the form set to {@code trials} trials of {@code epochs} epochs. */
    private SearchController openPanel(int trials, int epochs, int subset) throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        SearchController s = session.search();
        fx(() -> {
            window.showSearch();
            s.trialsProperty().set(trials);
            s.epochsProperty().set(epochs);
            s.subsetProperty().set(subset);
            s.lrLowProperty().set(1e-4);
            s.lrHighProperty().set(1e-1);
            s.regLowProperty().set(1e-5);
            s.regHighProperty().set(1e1);
            return null;
        });
        waitFor("the search form shown, Start enabled", () -> fx(() -> {
            var start = window.searchView().node().lookup("#search-start");
            return start != null && start.getScene() != null && start.isVisible() && !start.isDisabled();
        }));
        return s;
    }

    @Test
    void aSearchFillsTheTableCurvesAndScatterThenNarrowsUsesAndExports(FxRobot robot) throws Exception {
        SearchController s = openPanel(5, 1, 400);
        robot.clickOn("#search-start");
        waitFor("the search to end", () -> fx(() -> s.phaseProperty().get()) == SearchController.Phase.ENDED);
        List<TrialRow> rows = fx(() -> List.copyOf(s.rows()));
        assertEquals(5, rows.size());
        for (TrialRow r : rows) {
            assertTrue(ENDED.contains(r.state()) && !r.state().equals("cancelled"), r.state() + ": " + r.reason());
            assertFalse(r.losses().isEmpty(), "trial " + r.number() + " has its loss curve");
        }
        assertEquals(5, fx(() -> window.searchView().table().getItems().size()));
        waitFor("a curve per trial (made a few a pulse)", () -> fx(() -> window.searchView().curves().charts().size()) == 5);
        int[] points = fx(() -> window.searchView().scatter().counts());
        assertEquals(5, points[0] + points[1], "every ended trial is a point");
        assertEquals(0, points[2], "none running");
        assertEquals(List.of("lr (log)", "reg (log)", "val acc"), fx(() -> window.searchView().parallel().axisTitles()));
        assertEquals(5, fx(() -> window.searchView().parallel().lines()), "a line per trial in the parallel coordinates");

        // fine stage: the form's ranges are the engine's narrowing around the top trials, the seed the next
        SearchSpec before = fx(s::formSpec);
        List<TrialResult> results = rows.stream().map(TrialRow::result).toList();
        // the edge warnings of the search as run, under the table
        List<String> expectedWarnings = Refine.edgeWarnings(before, results, 2);
        assertEquals(expectedWarnings, fx(() -> List.copyOf(s.warnings())));
        assertEquals(expectedWarnings.size(), fx(() -> robot.lookup("#search-warnings").queryAs(javafx.scene.layout.VBox.class)
                .getChildren().size()));
        robot.clickOn("#search-fine");
        SearchSpec after = fx(s::formSpec);
        SearchSpec expected = Refine.narrow(before.withSeed(before.seed() + 1), results, 2);
        assertEquals(expected.range(Hyper.LR), after.range(Hyper.LR));
        assertEquals(expected.range(Hyper.REG), after.range(Hyper.REG));
        assertNotEquals(before.ranges(), after.ranges());
        assertEquals(before.seed() + 1, after.seed());

        // use this trial: the window's lr and reg
        fx(() -> {
            window.searchView().table().getSelectionModel().select(2);
            return null;
        });
        TrialRow chosen = fx(() -> window.searchView().table().getSelectionModel().getSelectedItem());
        robot.clickOn("#search-use");
        assertEquals(chosen.lr(), fx(() -> session.config().learningRateProperty().get()), chosen.lr() * 5e-3, "lr to 3 digits");
        assertEquals(chosen.reg(), fx(() -> session.config().regProperty().get()), chosen.reg() * 5e-3, "reg to 3 digits");

        // CSV: a header and a line per trial
        Path csv = tmp.resolve("trials.csv");
        dialogs.csvFile = csv;
        robot.clickOn("#search-export");
        waitFor("the CSV written", () -> Files.exists(csv));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("trial,state,reason,lr,reg,best_val_acc"), lines.get(0));
        assertTrue(lines.get(1).startsWith("1,"), lines.get(1));
    }

    @Test
    void pauseResumesAndCancelKeepsTheFinishedTrials(FxRobot robot) throws Exception {
        SearchController s = openPanel(6, 1, 2000);
        robot.clickOn("#search-start");
        waitFor("a trial to start", () -> fx(() -> s.rows().size()) > 0);
        robot.clickOn("#search-pause");
        assertEquals(SearchController.Phase.PAUSED, fx(() -> s.phaseProperty().get()));
        assertTrue(fx(() -> robot.lookup("#search-resume").queryButton().isDisabled()) == false, "Resume offered");
        robot.clickOn("#search-resume");
        assertEquals(SearchController.Phase.RUNNING, fx(() -> s.phaseProperty().get()));
        waitFor("a trial to end", () -> fx(() -> s.rows().stream().anyMatch(TrialRow::ended)));
        robot.clickOn("#search-cancel");
        waitFor("the search to end", () -> fx(() -> s.phaseProperty().get()) == SearchController.Phase.ENDED);
        List<TrialRow> rows = fx(() -> List.copyOf(s.rows()));
        assertTrue(rows.size() < 6 || rows.stream().anyMatch(r -> r.state().equals("cancelled")),
                "the search stopped early: " + rows.stream().map(TrialRow::state).toList());
        assertTrue(rows.stream().allMatch(TrialRow::ended), "every started trial ended");
        assertTrue(rows.stream().anyMatch(r -> !r.state().equals("cancelled")), "the finished trials stay");
        assertTrue(fx(() -> s.summaryProperty().get()).startsWith("Cancelled"), fx(() -> s.summaryProperty().get()));
    }

    @Test
    void randomVsGridShowsBothSidesTheirDistinctLearningRatesAndTheConclusion(FxRobot robot) throws Exception {
        SearchController s = openPanel(30, 1, 300);
        fx(() -> {
            s.randomVsGrid().budgetProperty().set(4);
            return null;
        });
        robot.clickOn("#search-rvg");
        waitFor("both searches to end", () -> fx(() -> !s.randomVsGrid().runningProperty().get()
                && !s.randomVsGrid().conclusionProperty().get().isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(4, fx(() -> s.randomVsGrid().gridRows().size()));
        assertEquals(4, fx(() -> s.randomVsGrid().randomRows().size()));
        int[] grid = fx(() -> window.searchView().randomVsGrid().grid().counts());
        int[] random = fx(() -> window.searchView().randomVsGrid().random().counts());
        assertEquals(4, grid[0] + grid[1], "every grid trial a point");
        assertEquals(4, random[0] + random[1], "every random trial a point");
        List<String> texts = fx(() -> window.searchView().randomVsGrid().texts());
        assertTrue(texts.get(0).startsWith("Grid: 4 trials, best val acc ") && texts.get(0).endsWith(", 2 distinct lr values"), texts.get(0));
        assertTrue(texts.get(1).startsWith("Random: 4 trials, best val acc ") && texts.get(1).endsWith(", 4 distinct lr values"), texts.get(1));
        String conclusion = fx(() -> robot.lookup("#rvg-conclusion").queryAs(javafx.scene.control.Label.class).getText());
        assertTrue(conclusion.endsWith("random tried 4 distinct lr values, the grid 2."), conclusion);
        assertTrue(fx(() -> robot.lookup("#rvg-pane").queryAs(javafx.scene.control.TitledPane.class).isExpanded()));
    }

    @Test
    void aHundredTrialsAllAppearInTheTableTheGridAndTheParallelCoordinatesWhichExport(FxRobot robot) throws Exception {
        SyntheticSearch source = new SyntheticSearch(100, 20, 1);
        SearchController s = session.search();
        fx(() -> {
            window.showSearch();
            s.startFrom(source.spec, source);
            return null;
        });
        waitFor("the synthetic search to end", () -> fx(() -> s.phaseProperty().get()) == SearchController.Phase.ENDED);
        waitFor("every chart made", () -> fx(() -> window.searchView().curves().charts().size()) == 100);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(100, fx(() -> window.searchView().table().getItems().size()));
        assertEquals(100, fx(() -> window.searchView().parallel().lines()));
        int[] points = fx(() -> window.searchView().scatter().counts());
        assertEquals(90, points[0], "done trials coloured");
        assertEquals(10, points[1], "every 10th diverged");
        assertTrue(fx(() -> s.rows().stream().allMatch(r -> r.ended() && r.losses().size() >= 10)), "every row has its losses");

        // right-click > Export chart: the parallel coordinates as SVG, written in the background
        Path svg = tmp.resolve("parallel.svg");
        dialogs.pngFile = svg;
        fx(() -> { // the chart may be scrolled out of the panel's view: the right-click is fired at it, the item chosen
            var node = window.searchView().parallel().node();
            var b = node.localToScreen(node.getBoundsInLocal());
            javafx.event.Event.fireEvent(node, new javafx.scene.input.ContextMenuEvent(
                    javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, 10, 10, b.getMinX() + 10, b.getMinY() + 10, false, null));
            javafx.stage.Window.getWindows().stream().filter(w -> w instanceof javafx.scene.control.ContextMenu).findFirst()
                    .map(w -> ((javafx.scene.control.ContextMenu) w).getItems().get(0)).orElseThrow().fire();
            return null;
        });
        waitFor("the SVG written", () -> Files.exists(svg) && Files.size(svg) > 0);
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("val acc"), "the parallel coordinates as SVG");
    }
}
