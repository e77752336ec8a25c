package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;

import org.babysitter.app.charts.ChartExports;
import org.babysitter.app.charts.ChartKind;
import org.babysitter.app.session.RunState;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.diagnosis.Rule;
import org.babysitter.engine.linalg.EjmlGemm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real window, driven headless (Monocle): training, mid-run control, pause/step, export, bad input, closing. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchTest {
    private Workbench session;
    private MainWindow window;
    private Stage stage;
    private final StubDialogs dialogs = new StubDialogs();

    @TempDir
    Path tmp;

    static {
        // Monocle sometimes uploads the pixels of a window that has just closed (a dialog, the previous test's
        // stage) and throws "The view has already been closed" on its own thread; that is checked by hand in
        // tearDown instead of failing whichever wait comes next. Any other exception off the test thread fails.
        WaitForAsyncUtils.autoCheckException = false;
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        session = new Workbench(new EjmlGemm(true));
        window = BabysitterApp.open(stage, session, dialogs, null);
        session.data().loadBuiltIn();
    }

    @AfterEach
    void tearDown() throws Throwable {
        if (session != null) {
            session.shutdown();
        }
        org.testfx.api.FxToolkit.cleanupStages(); // no dialog of one test takes the keys of the next
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(200);
        while (true) {
            try {
                WaitForAsyncUtils.checkException();
                return;
            } catch (Throwable t) {
                if (!closedViewRace(t)) {
                    throw t;
                }
            }
        }
    }

    private static boolean closedViewRace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IllegalStateException && "The view has already been closed".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private void waitFor(String what, Callable<Boolean> condition) throws Exception {
        waitFor(what, 30, condition);
    }

    private void waitFor(String what, int seconds, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what + " (status: " + session.statusProperty().get()
                    + "; notice: " + session.noticeProperty().get() + "; state: " + session.run().view().stateProperty().get() + ")", e);
        }
    }

    private <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private void loaded() throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
    }

    @Test
    void startTrainsOnBuiltInDataAndTheLossSeriesGrows(FxRobot robot) throws Exception {
        loaded();
        assertTrue(fx(() -> session.data().view().sourceProperty().get()).startsWith("built-in"));
        assertEquals(10, fx(() -> session.data().view().samples().size()));
        robot.clickOn("#start");
        waitFor("20 losses drawn", () -> fx(() -> window.charts().lossCount()) >= 20);
        int first = fx(() -> window.charts().lossCount());
        waitFor("more losses", () -> fx(() -> window.charts().lossCount()) > first + 20);
        assertEquals(RunState.RUNNING, fx(() -> session.run().view().stateProperty().get()));
        // the pump batches: far fewer hand-overs than iterations
        int its = fx(() -> window.charts().lossCount());
        long batches = session.pump().batchesDrained();
        assertTrue(batches < its, "batches " + batches + " for " + its + " iterations");
        waitFor("an epoch on the accuracy chart", () -> fx(() -> session.run().view().epochProperty().get()) >= 2
                && !Double.isNaN(fx(() -> session.run().view().lastValAccuracyProperty().get())));
        String speed = robot.lookup("#status-speed").queryAs(Label.class).getText();
        assertTrue(speed.endsWith("examples/s"), speed);
        assertTrue(robot.lookup("#status-eta").queryAs(Label.class).getText().startsWith("ETA "));
    }

    @Test
    void theAssistantSaysTheLearningRateIsTooLowMarksTheLossChartAndItsButtonRaisesIt(FxRobot robot) throws Exception {
        loaded();
        fx(() -> {
            session.config().learningRateProperty().set(1e-6); // the lecture's flat run
            session.config().learningRateDecayProperty().set(1.0);
            session.config().epochsProperty().set(50); // still running when the button is pressed
            return null;
        });
        robot.clickOn("#start");
        waitFor("the assistant's first finding", () -> !fx(() -> session.run().view().findings()).isEmpty());
        Finding f = fx(() -> session.run().view().findings().get(0));
        assertEquals(Rule.LR_TOO_LOW, f.rule());
        assertEquals(225, f.iteration()); // the window: 5% of 4,500 iterations
        waitFor("its marker", () -> fx(() -> window.charts().markerLabels()).stream()
                .anyMatch(l -> l.startsWith("assistant: learning rate too low")));
        ListView<?> list = robot.lookup("#assistant-findings").queryAs(ListView.class);
        assertEquals(f, list.getItems().get(0));
        assertTrue(robot.lookup("#assistant-count").queryAs(Label.class).getText().startsWith("1 warning"));
        // the finding's cell (and its button) is drawn at a pulse after the list changed: a loaded machine is later
        waitFor("its button drawn", () -> robot.lookup("Raise lr 10x").tryQuery().filter(javafx.scene.Node::isVisible).isPresent());
        // a later finding may arrive meanwhile and the list scroll to it, taking the cell found out of the scene before
        // the robot reaches it (it fails before pressing): then the button is looked up again
        for (int attempt = 1; ; attempt++) {
            var button = robot.lookup("Raise lr 10x").match((javafx.scene.Node n) -> n.isVisible() && n.getScene() != null)
                    .tryQuery();
            try {
                robot.clickOn(button.orElseThrow());
                break;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        waitFor("lr 1e-5 in the run", () -> fx(() -> session.run().view().learningRateProperty().get()) == 1e-5);
        assertEquals(1e-5, fx(() -> session.config().learningRateProperty().get()));
        robot.clickOn("#stop");
        waitFor("stopped", () -> !fx(() -> session.run().view().stateProperty().get()).active());
        fx(() -> {
            session.run().reset();
            return null;
        });
        assertTrue(fx(() -> session.run().view().findings()).isEmpty());
        fx(() -> {
            session.run().undoReset(); // the findings come back with the run
            return null;
        });
        assertEquals(Rule.LR_TOO_LOW, fx(() -> session.run().view().findings().get(0)).rule());
    }

    @Test
    void aFinishedRunIsEvaluatedPerClassAndOnTheTestImages(FxRobot robot) throws Exception {
        loaded();
        assertTrue(robot.lookup("#menu-bar").queryAs(javafx.scene.control.MenuBar.class).getMenus().stream()
                .flatMap(m -> m.getItems().stream()).filter(i -> "menu-classes".equals(i.getId())).findFirst().orElseThrow()
                .isDisable(), "nothing to show before a run");
        fx(() -> {
            session.config().epochsProperty().set(2);
            return null;
        });
        robot.clickOn("#start");
        waitFor("the evaluation", () -> fx(() -> session.run().view().evaluationProperty().get()) != null);
        var e = fx(() -> session.run().view().evaluationProperty().get());
        assertEquals(1000, e.validation().total(), "the built-in split's 1,000 validation images");
        assertTrue(e.testAccuracy() > 0.2 && e.testAccuracy() <= 1, "test accuracy " + e.testAccuracy());
        assertEquals(fx(() -> session.run().view().bestValAccuracyProperty().get()), e.validation().accuracy(), 1e-12,
                "the confusion matrix is of the kept parameters");
        assertTrue(fx(() -> session.run().view().messageProperty().get()).contains("Test accuracy"));
        fx(() -> {
            window.showClasses();
            return null;
        });
        waitFor("the per-class view", () -> robot.lookup("#confusion-grid").tryQuery().isPresent());
        assertEquals(10, robot.lookup(n -> n.getId() != null && n.getId().startsWith("class-accuracy-")).queryAll().size());
        assertEquals(50, e.firstLayer().size(), "a picture per first-layer unit");
        fx(() -> {
            window.showFirstLayer();
            return null;
        });
        waitFor("the first layer's pictures", () -> robot.lookup("#first-layer-grid").tryQuery().isPresent());
        assertEquals(50, robot.lookup("#first-layer-grid").queryAs(javafx.scene.layout.GridPane.class).getChildren().size());
    }

    @Test
    void insideTheNetShowsEachLayerOverTimeAndTheLatestHistogramsLiveWhileTheRunTrains(FxRobot robot) throws Exception {
        loaded();
        fx(() -> {
            session.config().hiddenProperty().set("20");
            session.config().batchNormProperty().set(true);
            session.config().epochsProperty().set(3);
            return null;
        });
        fx(() -> {
            window.showInside(); // before a run: says there is nothing yet
            return null;
        });
        waitFor("the view", () -> robot.lookup("#inside-heading").tryQuery().isPresent());
        assertTrue(robot.lookup("#inside-heading").queryAs(Label.class).getText().startsWith("No layer samples yet"));
        fx(() -> {
            session.run().start(); // the view stays open over the window
            return null;
        });
        waitFor("the run's end", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.FINISHED);
        int samples = fx(() -> session.run().view().layerSamples().size());
        assertTrue(samples > 50, samples + " samples"); // a hundred a run
        // drawn by the pump's frames while it showed, without being opened again
        waitFor("the last sample drawn", () -> fx(() -> robot.lookup("#inside-heading").queryAs(Label.class).getText())
                .startsWith(samples + " samples"));
        var inside = window.inside();
        assertEquals(3, fx(inside::layerSeries), "a line per hidden layer's output: affine, batch norm, relu");
        assertEquals(List.of("1 affine (before batch norm)", "2 batch norm (after)", "3 relu"),
                fx(() -> inside.activationCharts().stream().map(c -> c.title()).toList()));
        assertEquals(List.of("dW1", "dW2"), fx(() -> inside.gradientCharts().stream().map(c -> c.title()).toList()));
        assertEquals(List.of("update of W1", "update of W2"), fx(() -> inside.updateCharts().stream().map(c -> c.title()).toList()));
        assertTrue(fx(() -> inside.activationCharts().get(2).caption()).matches("mean \\S+, std \\S+, dead \\d+%"),
                fx(() -> inside.activationCharts().get(2).caption()));
        assertEquals(3, robot.lookup("#inside-activations").queryAs(javafx.scene.layout.Pane.class).getChildren().size());
        assertEquals(4, robot.lookup("#inside-weights").queryAs(javafx.scene.layout.Pane.class).getChildren().size(),
                "each weight's gradient and update side by side");
    }

    @Test
    void theInitLessonShowsTenHistogramsPerInitWithTheLecturesReading(FxRobot robot) throws Exception {
        robot.clickOn("Checks").clickOn("#menu-init-lesson");
        waitFor("the lesson's view", () -> robot.lookup("#init-lesson").tryQuery().isPresent());
        for (int r = 0; r < 3; r++) {
            assertEquals(10, robot.lookup("#init-lesson-row-" + r).queryAs(javafx.scene.layout.HBox.class).getChildren().size());
        }
        assertTrue(robot.lookup("#init-lesson-reading-0").queryAs(Label.class).getText().startsWith("All activations become zero"));
        assertTrue(robot.lookup("#init-lesson-reading-1").queryAs(Label.class).getText().contains("saturated"));
        assertTrue(robot.lookup("#init-lesson-reading-2").queryAs(Label.class).getText().startsWith("Reasonable initialization"));
        var rows = fx(() -> session.checks().initLessonProperty().get());
        assertTrue(rows.get(0).last().std() < 1e-6 && rows.get(2).last().std() > 0.2);
    }

    @Test
    void theSanityCheckWizardShowsItsStepsAsTheyFinishCancelsRunsAgainUsesTheSuggestedLrAndExports(FxRobot robot)
            throws Exception {
        loaded();
        fx(() -> {
            session.config().learningRateProperty().set(1e-6);
            return null;
        });
        assertTrue(robot.lookup("#menu-bar").queryAs(javafx.scene.control.MenuBar.class).getMenus().stream()
                .flatMap(m -> m.getItems().stream()).noneMatch(i -> "menu-sanity".equals(i.getId()) || "menu-sweep".equals(i.getId())),
                "the wizard replaces the separate sanity checks and sweep");
        fire(robot, "menu-wizard");
        waitFor("the wizard", () -> robot.lookup("#sanity-wizard").tryQuery().isPresent());
        for (int i = 1; i <= 4; i++) {
            assertEquals("waiting", text(robot, "#wizard-status-" + i));
        }
        assertTrue(robot.lookup("#wizard-export").queryButton().isDisabled(), "nothing to export yet");
        assertEquals(javafx.stage.Modality.NONE, ((Stage) robot.lookup("#sanity-wizard").query().getScene().getWindow())
                .getModality(), "a panel beside the window: the window stays usable");

        // Cancel while it runs: the finished steps stay, the running one says it stopped
        robot.clickOn("#wizard-run");
        waitFor("step 1 done", () -> "PASS".equals(text(robot, "#wizard-status-1")));
        robot.clickOn("#wizard-cancel");
        waitFor("cancelled", () -> !fx(() -> session.checks().wizard().runningProperty().get()));
        assertTrue(text(robot, "#wizard-summary").startsWith("Cancelled after "), text(robot, "#wizard-summary"));
        List<String> statuses = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            statuses.add(text(robot, "#wizard-status-" + i));
        }
        assertTrue(statuses.contains("stopped") && !statuses.get(3).equals("PASS"), statuses.toString());
        assertEquals("Run again", robot.lookup("#wizard-run").queryButton().getText());

        robot.clickOn("#wizard-run");
        waitFor("the four steps", 90, () -> !fx(() -> session.checks().wizard().runningProperty().get())
                && !"running...".equals(text(robot, "#wizard-status-4")));
        for (int i = 1; i <= 4; i++) {
            assertEquals("PASS", text(robot, "#wizard-status-" + i), i + ": " + text(robot, "#wizard-reason-" + i));
        }
        assertTrue(text(robot, "#wizard-reason-1").matches("loss 2\\.30\\d+ with reg 0 on 9000 images, 0\\.00\\d+ from the chance loss 2\\.302585"),
                text(robot, "#wizard-reason-1"));
        assertTrue(text(robot, "#wizard-reason-3").endsWith("in 200 epochs, train accuracy 1.00"), text(robot, "#wizard-reason-3"));
        assertEquals("All 4 steps passed.", text(robot, "#wizard-summary"));
        assertEquals(1, robot.lookup("#wizard-overfit").lookup(".chart-hover").queryAll().size(), "step 3's curve drawn");
        assertEquals(1, robot.lookup("#wizard-sweep").lookup(".chart-hover").queryAll().size(), "step 4's sweep drawn");
        var sweep = fx(() -> session.checks().wizard().sweepProperty().get());
        assertEquals(8, sweep.points().size(), "1e-7 .. 1");
        assertEquals(1e-4, sweep.suggested(), sweep.points().toString());

        assertEquals("Use lr 1e-4", robot.lookup("#wizard-use-lr").queryButton().getText());
        robot.clickOn("#wizard-use-lr");
        waitFor("the lr field", () -> "1e-4".equals(fx(() -> robot.lookup("#learning-rate-field-text")
                .queryAs(javafx.scene.control.TextField.class).getText())));
        assertEquals(1e-4, fx(() -> session.config().learningRateProperty().get()));

        Path file = tmp.resolve("sanity.md");
        dialogs.textFile = file;
        robot.clickOn("#wizard-export");
        waitFor("exported", () -> Files.exists(file) && fx(() -> session.statusProperty().get()).startsWith("Saved"));
        List<String> lines = Files.readAllLines(file);
        assertEquals("Sanity checks, step by step", lines.get(0));
        assertTrue(lines.contains("1. Initial loss: PASS") && lines.contains("4. Learning-rate sweep: PASS"), lines.toString());
        assertEquals("All 4 steps passed.", lines.get(lines.size() - 1));

        // presentation mode (F5) enlarges the panel with the window, its charts redrawn larger
        double before = fx(() -> robot.lookup("#wizard-overfit").queryAs(javafx.scene.layout.Region.class).getPrefWidth());
        fx(() -> {
            window.setPresentation(true);
            return null;
        });
        assertTrue(fx(() -> robot.lookup("#wizard-overfit").queryAs(javafx.scene.layout.Region.class).getPrefWidth()) > 1.1 * before);
        assertEquals(1, robot.lookup("#wizard-overfit").lookup(".chart-hover").queryAll().size(), "the curve drawn again");

        // asked for again while open: the same panel, not a second one
        fire(robot, "menu-wizard");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, robot.lookup("#sanity-wizard").queryAll().size());
    }

    @Test
    void theGradientCheckAgainstHDrawsTheWeightsErrorsAtEveryStep(FxRobot robot) throws Exception {
        loaded();
        robot.clickOn("Checks").clickOn("#menu-h-sweep");
        waitFor("the sweep of h", () -> fx(() -> session.checks().stepSweepProperty().get()) != null);
        var sweeps = fx(() -> session.checks().stepSweepProperty().get());
        assertEquals(List.of("W1", "b1", "W2", "b2"), sweeps.stream().map(s -> s.tensor()).toList());
        assertEquals(10, sweeps.get(2).rows().size());
        waitFor("its dialog", () -> robot.lookup("#h-sweep").tryQuery().isPresent());
        assertEquals(2, robot.lookup("#h-sweep").queryAs(javafx.scene.layout.VBox.class).getChildren().get(0)
                .lookupAll(".chart-hover").size(), "a chart for each of W1 and W2");
    }

    @Test
    void aLearningRateTypedMidRunReachesTheTrainerAndMarksEveryChart(FxRobot robot) throws Exception {
        loaded();
        fx(() -> {
            session.config().learningRateDecayProperty().set(1.0); // keep 1e-4 exact until the change
            return null;
        });
        robot.clickOn("#start");
        waitFor("training", () -> fx(() -> window.charts().lossCount()) >= 5);
        replaceText(robot, "#learning-rate-field-text", "abc");
        Label error = robot.lookup("#learning-rate-field-error").queryAs(Label.class);
        waitFor("refusal shown", () -> !error.getText().isBlank());
        assertTrue(error.getText().contains("'abc' is not a number"), error.getText());
        assertEquals(1e-4, session.run().trainer().learningRate());
        assertEquals(java.util.List.of(), controlMarkers(), "a refused value changes nothing");
        replaceText(robot, "#learning-rate-field-text", "-1");
        waitFor("negative refused", () -> error.getText().contains("above 0"));
        replaceText(robot, "#learning-rate-field-text", "5e-5");
        waitFor("trainer took the new lr", () -> session.run().trainer().learningRate() == 5e-5);
        waitFor("marker drawn", () -> fx(() -> window.charts().markerLabels()).contains("lr 1e-4 -> 5e-5"));
        for (ChartKind k : ChartKind.values()) {
            assertEquals(1, (int) fx(() -> window.charts().markerCount(k)), k.toString());
        }
        assertTrue(error.getText().isBlank(), "the refusal went with the text that caused it: " + error.getText());
        waitFor("reported lr in the window", () -> fx(() -> session.run().view().learningRateProperty().get()) == 5e-5);
    }

    /**
     * The charts' markers of control changes (lr, reg): the assistant's warnings, which a run that goes on long enough
     * may draw while a test types, are not what a field took.
     */
    private java.util.List<String> controlMarkers() throws Exception {
        return fx(() -> window.charts().markerLabels()).stream()
                .filter(l -> !l.startsWith("assistant: ") && !l.startsWith("diverged at"))
                .toList();
    }

    @Test
    void leavingTheLrFieldUntouchedKeepsTheDecayedRateAndARefusalStaysUntilTheTextChanges(FxRobot robot) throws Exception {
        loaded();
        fx(() -> {
            session.config().learningRateDecayProperty().set(0.5); // a visible decay after the first epoch
            return null;
        });
        robot.clickOn("#start");
        waitFor("an epoch decayed the rate", () -> fx(() -> session.run().view().learningRateProperty().get()) == 5e-5);
        robot.clickOn("#learning-rate-field-text");
        robot.type(KeyCode.TAB); // in and out without changing the text
        Thread.sleep(300);
        double lr = session.run().trainer().learningRate(); // the decayed 5e-5, or 2.5e-5 once a second epoch ended
        assertTrue(lr == 5e-5 || lr == 2.5e-5, "focus in and out took nothing (not the field's 1e-4): " + lr);
        assertEquals(java.util.List.of(), controlMarkers(), "and drew no marker");
        // a refused text: the message stays when the field is left, and goes when the text changes
        Label error = robot.lookup("#learning-rate-field-error").queryAs(Label.class);
        robot.clickOn("#learning-rate-field-text").press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write("abc").type(KeyCode.TAB);
        waitFor("refusal shown", () -> error.getText().contains("'abc' is not a number"));
        robot.clickOn("#status-bar");
        Thread.sleep(200);
        assertTrue(error.getText().contains("'abc' is not a number"), "the refusal stays when the field is left: " + error.getText());
        robot.clickOn("#learning-rate-field-text").type(KeyCode.END).write("0");
        waitFor("refusal gone with the change", () -> error.getText().isBlank());
        assertEquals(java.util.List.of(), controlMarkers(), "nothing was taken");
    }

    @Test
    void theRunButtonsNeverTakeTheFocusAndResetAndCloseAskDuringARun(FxRobot robot) throws Exception {
        loaded();
        for (String id : new String[] {"#start", "#pause", "#step", "#stop", "#reset"}) {
            assertFalse(robot.lookup(id).query().isFocusTraversable(), id);
        }
        robot.clickOn("#start");
        waitFor("training", () -> fx(() -> window.charts().lossCount()) >= 3);
        dialogs.confirmAnswer = false;
        robot.clickOn("#reset");
        waitFor("asked", () -> dialogs.questions.contains("Stop the run and clear it?"));
        assertEquals(RunState.RUNNING, fx(() -> session.run().view().stateProperty().get()), "no: the run goes on");
        fx(() -> {
            stage.fireEvent(new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
            return null;
        });
        assertTrue(dialogs.questions.contains("Stop the run and quit?"));
        assertTrue(stage.isShowing(), "no: the window stays");
        dialogs.confirmAnswer = true;
        robot.clickOn("#reset");
        waitFor("reset", () -> fx(() -> window.charts().lossCount()) == 0);
        assertEquals(RunState.IDLE, fx(() -> session.run().view().stateProperty().get()));
        int drawn = session.run().trainer().iteration();
        fx(() -> {
            session.run().undoReset();
            return null;
        });
        assertTrue(fx(() -> window.charts().lossCount()) >= Math.min(drawn, 3), "undo brought the curves back");
        assertEquals(RunState.STOPPED, fx(() -> session.run().view().stateProperty().get()));
    }

    @Test
    void theWindowHasAMinimumSizeAndNoDataLoadsDuringARun(FxRobot robot) throws Exception {
        loaded();
        assertTrue(stage.getMinWidth() >= 960 && stage.getMinHeight() >= 640);
        assertTrue(stage.getWidth() >= 960 && stage.getHeight() >= 640, stage.getWidth() + " x " + stage.getHeight());
        robot.clickOn("#start");
        waitFor("training", () -> fx(() -> window.charts().lossCount()) >= 3);
        assertTrue(robot.lookup("#open-data").queryButton().isDisabled());
        assertTrue(robot.lookup("#load-builtin").queryButton().isDisabled());
        fx(() -> {
            session.data().open(tmp.resolve("whatever.bin")); // a drop on the window
            return null;
        });
        waitFor("told why", () -> session.noticeProperty().get() != null
                && session.noticeProperty().get().title().equals("A run is training"));
        assertTrue(fx(() -> session.data().view().sourceProperty().get()).startsWith("built-in"));
    }

    @Test
    void hoveringAChartShowsValuesInsideItAndLeavingHidesThem(FxRobot robot) throws Exception {
        loaded();
        robot.clickOn("#start");
        waitFor("training", () -> fx(() -> window.charts().lossCount()) >= 50);
        var view = window.charts().viewer(ChartKind.LOSS);
        var area = fx(() -> view.getRenderingInfo().getPlotInfo().getDataArea());
        javafx.geometry.Point2D p = fx(() -> view.localToScreen(area.getCenterX(), area.getCenterY()));
        robot.moveTo(p);
        waitFor("hover values", () -> fx(view::hoverText) != null);
        assertTrue(fx(view::hoverText).startsWith("iteration "), fx(view::hoverText));
        robot.moveTo((javafx.scene.Node) robot.lookup("#status-bar").query());
        waitFor("hover gone", () -> fx(view::hoverText) == null);
        assertTrue(Window.getWindows().stream().allMatch(w -> w == stage || !w.isShowing()), "no popup window of its own");
    }

    @Test
    void pauseStepAndResume(FxRobot robot) throws Exception {
        loaded();
        robot.clickOn("#start");
        waitFor("training", () -> fx(() -> window.charts().lossCount()) >= 3);
        robot.clickOn("#pause");
        waitFor("paused", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.PAUSED);
        int at = session.run().trainer().iteration();
        Thread.sleep(400);
        assertEquals(at, session.run().trainer().iteration(), "a paused run stays put");
        robot.clickOn("#step");
        waitFor("one step", () -> session.run().trainer().iteration() == at + 1);
        Thread.sleep(300);
        assertEquals(at + 1, session.run().trainer().iteration(), "exactly one iteration per step");
        waitFor("drawn", () -> fx(() -> window.charts().lossCount()) == at + 1);
        robot.type(KeyCode.SPACE); // Space resumes
        waitFor("running again", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.RUNNING);
        waitFor("moving again", () -> session.run().trainer().iteration() > at + 10);
        robot.clickOn("#stop");
        waitFor("stopped", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.STOPPED);
    }

    @Test
    void stepWithNoRunStartsOnePausedAfterOneIteration(FxRobot robot) throws Exception {
        loaded();
        robot.clickOn("#status-bar"); // the window has the keyboard
        robot.type(KeyCode.F10);
        waitFor("paused after the first iteration", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.PAUSED
                && fx(() -> window.charts().lossCount()) == 1);
        assertEquals(1, session.run().trainer().iteration());
    }

    @Test
    void exportsAPngOfTheChosenSizeAndAllChartsWithoutSilentOverwrites(FxRobot robot) throws Exception {
        loaded();
        robot.clickOn("#start");
        waitFor("some training", () -> fx(() -> window.charts().lossCount()) >= 30);
        dialogs.pngFile = tmp.resolve("loss.png");
        dialogs.size = new int[] {640, 400};
        assertEquals("Shortcut+E", menuItem(robot, "menu-export").getAccelerator().getName());
        fire(robot, "menu-export");
        waitFor("png written", () -> Files.exists(tmp.resolve("loss.png")));
        waitFor("export reported", () -> fx(() -> session.statusProperty().get()).startsWith("Saved"));
        BufferedImage img = ImageIO.read(tmp.resolve("loss.png").toFile());
        assertNotNull(img);
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        assertTrue(distinctColours(img) > 10, "the image has a drawn chart");

        Path folder = Files.createDirectories(tmp.resolve("all"));
        dialogs.folder = folder;
        dialogs.size = new int[] {800, 600};
        fx(() -> {
            window.exportAll();
            return null;
        });
        for (String name : ChartExports.exportAllNames()) {
            waitFor(name, () -> Files.exists(folder.resolve(name)));
        }
        waitFor("all saved", () -> fx(() -> session.statusProperty().get()).startsWith("Saved 3 charts"));
        assertEquals(800, ImageIO.read(folder.resolve("accuracy.png").toFile()).getWidth());
        List<String> csv = Files.readAllLines(folder.resolve("metrics.csv"));
        assertTrue(csv.get(0).startsWith("iteration,epoch,loss,learning_rate,reg,update_ratio_W1,update_ratio_W2"), csv.get(0));
        assertTrue(csv.size() > 30);
        // a second export into the same folder asks first; "no" leaves the files alone
        long before = Files.getLastModifiedTime(folder.resolve("loss.png")).toMillis();
        byte[] oldCsv = Files.readAllBytes(folder.resolve("metrics.csv"));
        dialogs.overwrite = false;
        fx(() -> {
            window.exportAll();
            return null;
        });
        assertEquals(1, dialogs.overwriteQuestions.size());
        assertEquals(4, dialogs.overwriteQuestions.get(0).size());
        Thread.sleep(300);
        assertEquals(before, Files.getLastModifiedTime(folder.resolve("loss.png")).toMillis());
        assertTrue(java.util.Arrays.equals(oldCsv, Files.readAllBytes(folder.resolve("metrics.csv"))));
        try (var files = Files.list(folder)) {
            assertEquals(Set.of("loss.png", "accuracy.png", "update-ratios.png", "metrics.csv"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()), "no temp files left");
        }
    }

    @Test
    void aBadFileShowsAnErrorAndTheOldDataStays(FxRobot robot) throws Exception {
        loaded();
        String before = fx(() -> session.data().view().sourceProperty().get());
        Path bad = tmp.resolve("broken.bin");
        Files.write(bad, new byte[3073 * 2 + 100]);
        dialogs.dataFile = bad;
        assertEquals("Shortcut+O", menuItem(robot, "menu-open").getAccelerator().getName());
        fire(robot, "menu-open");
        waitFor("error dialog", () -> robot.lookup("#notice-dialog").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#notice-dialog").queryAs(DialogPane.class);
        String text = pane.getContentText();
        assertTrue(text.contains("broken.bin"), text);
        assertTrue(text.contains("not a multiple of 3073"), text);
        assertTrue(text.contains("stays"), text);
        assertEquals(before, fx(() -> session.data().view().sourceProperty().get()));
        assertFalse(fx(() -> session.data().view().loadingProperty().get()));
        // the old data still trains
        robot.clickOn(pane.lookupButton(javafx.scene.control.ButtonType.OK));
        waitFor("dialog closed", () -> robot.lookup("#notice-dialog").tryQuery().isEmpty());
        robot.clickOn("#start");
        waitFor("training on the old data", () -> fx(() -> window.charts().lossCount()) >= 3);
    }

    @Test
    void closingDuringARunStopsTheTrainer(FxRobot robot) throws Exception {
        loaded();
        robot.clickOn("#start");
        waitFor("training", () -> fx(() -> window.charts().lossCount()) >= 3);
        Thread trainer = session.run().trainerThread();
        assertTrue(trainer.isAlive());
        fx(() -> {
            stage.close();
            return null;
        });
        trainer.join(5000);
        assertFalse(trainer.isAlive(), "the trainer thread ended");
        assertTrue(Window.getWindows().stream().noneMatch(w -> w == stage && w.isShowing()));
    }

    @Test
    void divergenceEndsTheRunSaysWhyAndKeepsTheCharts(FxRobot robot) throws Exception {
        loaded();
        robot.clickOn("Run").clickOn("#menu-rewind"); // on by default: off, a break ends the run
        assertFalse(fx(() -> session.run().rewindOnBreakProperty().get()));
        fx(() -> {
            session.run().setLearningRate(1e6);
            return null;
        });
        robot.clickOn("#start");
        waitFor("diverged", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.DIVERGED);
        Label banner = robot.lookup("#run-message").queryAs(Label.class);
        assertTrue(banner.getText().startsWith("Diverged: "), banner.getText());
        assertTrue(banner.getText().contains("the learning rate 1e6 is too high"), banner.getText());
        assertTrue(banner.getStyleClass().contains("banner-error"));
        assertTrue(fx(() -> window.charts().lossCount()) >= 1, "what was drawn stays drawn");
        assertTrue(fx(() -> window.charts().markerLabels()).stream().anyMatch(l -> l.startsWith("diverged at iteration")),
                "the loss chart marks where it diverged: " + fx(() -> window.charts().markerLabels()));
        assertTrue(robot.lookup("#start").queryButton().isDisabled() == false, "a new run can start");
    }

    @Test
    void aBreakPausesTheRunBackAtItsLastGoodStateAndOneButtonLowersLrAndResumes(FxRobot robot) throws Exception {
        loaded();
        assertTrue(fx(() -> session.run().rewindOnBreakProperty().get()), "on by default");
        fx(() -> {
            session.run().setLearningRate(1e6);
            return null;
        });
        robot.clickOn("#start");
        waitFor("paused at the break", () -> fx(() -> session.run().view().rewoundProperty().get() != null
                && session.run().view().stateProperty().get() == RunState.PAUSED));
        RunEvent.Rewound first = fx(() -> session.run().view().rewoundProperty().get());
        Label banner = robot.lookup("#run-message").queryAs(Label.class);
        assertTrue(banner.getText().startsWith("Paused at the break: ") && banner.getText().contains("the learning rate 1e6 is too high")
                && banner.getText().contains("back as it was after iteration " + first.toIteration()), banner.getText());
        assertTrue(banner.getStyleClass().contains("banner-error"));
        assertTrue(fx(() -> window.charts().markerLabels()).stream().anyMatch(l -> l.startsWith("broke at iteration " + first.iteration())),
                fx(() -> window.charts().markerLabels()).toString());
        waitFor("the finding", () -> robot.lookup(".finding-fix").queryAll().stream()
                .anyMatch(n -> ((Button) n).getText().equals("Lower lr 10x and resume")));
        Button fix = (Button) robot.lookup(".finding-fix").queryAll().stream()
                .filter(n -> ((Button) n).getText().equals("Lower lr 10x and resume")).findFirst().orElseThrow();
        robot.clickOn(fix);
        assertEquals(1e5, fx(() -> session.run().view().learningRateProperty().get()), 0, "lr 10x lower");
        // 1e5 breaks again: the run went on from the rewound iteration and is back at a later break
        waitFor("the next break", () -> fx(() -> {
            RunEvent.Rewound r = session.run().view().rewoundProperty().get();
            return r != null && r.iteration() > first.iteration();
        }));
        assertEquals(RunState.PAUSED, fx(() -> session.run().view().stateProperty().get()));
        long breaks = fx(() -> session.run().view().findings()).stream().filter(f -> f.fix() == Finding.Fix.LOWER_LR_10X_RESUME).count();
        assertEquals(2, breaks, "each break said once");
        robot.clickOn("#stop");
        waitFor("stopped", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.STOPPED);
    }

    @Test
    void loadingTheRealArchiveCanBeCancelledAndTheOldDataStays(FxRobot robot) throws Exception {
        Path archive = org.babysitter.testing.SharedData.require("cifar-10-binary.tar.gz");
        loaded();
        String before = fx(() -> session.data().view().sourceProperty().get());
        dialogs.dataFile = archive;
        robot.clickOn("#open-data");
        waitFor("loading shows progress", () -> fx(() -> session.data().view().loadProgressProperty().get()) > 0);
        assertTrue(robot.lookup("#load-progress").query().isVisible());
        robot.clickOn("#cancel-load");
        waitFor("loading ended", () -> !fx(() -> session.data().view().loadingProperty().get()));
        assertTrue(fx(() -> session.statusProperty().get()).startsWith("Loading cancelled"));
        assertEquals(before, fx(() -> session.data().view().sourceProperty().get()));
    }

    @Test
    void theChecksMenuRunsAGradientCheckInTheBackground(FxRobot robot) throws Exception {
        loaded();
        fire(robot, "menu-gradcheck");
        waitFor("gradient check report", () -> robot.lookup("#notice-dialog").tryQuery().isPresent());
        DialogPane g = robot.lookup("#notice-dialog").queryAs(DialogPane.class);
        String table = reportText(g);
        assertTrue(table.contains("W1") && table.contains("2-sided"), table);
        assertTrue(g.getHeaderText().endsWith("PASS"), g.getHeaderText() + "\n" + table);
        // the tensors' rows coloured by the lecture's band: W1, b1, W2, b2 at reg 0 and at reg > 0
        var rows = g.lookupAll(".label").stream().filter(n -> n.getStyleClass().stream().anyMatch(c -> c.startsWith("band-")))
                .map(n -> (Label) n).toList();
        assertEquals(8, rows.size(), table);
        assertTrue(rows.stream().allMatch(l -> l.getText().matches("(W|b)\\d.*")), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.getStyleClass().contains("band-good")), rows.toString());
    }

    @Test
    void presentationModeEnlargesFonts(FxRobot robot) throws Exception {
        loaded();
        Node root = stage.getScene().getRoot();
        double normal = robot.lookup("#status-state").queryAs(Label.class).getFont().getSize();
        robot.clickOn("#status-bar");
        robot.type(KeyCode.F5);
        waitFor("presentation", () -> root.getStyleClass().contains("presentation"));
        WaitForAsyncUtils.waitForFxEvents();
        double big = robot.lookup("#status-state").queryAs(Label.class).getFont().getSize();
        assertTrue(big > normal * 1.3, normal + " -> " + big);
        java.awt.Font title = window.charts().chart(ChartKind.LOSS).getTitle().getFont();
        assertTrue(title.getSize() >= 22, "chart title " + title.getSize());
    }

    private static javafx.scene.control.MenuItem menuItem(FxRobot robot, String id) {
        javafx.scene.control.MenuBar bar = robot.lookup("#menu-bar").queryAs(javafx.scene.control.MenuBar.class);
        return bar.getMenus().stream().flatMap(m -> m.getItems().stream())
                .filter(i -> id.equals(i.getId())).findFirst().orElseThrow();
    }

    /** Fires a menu item by id, as choosing it in the menu bar (or its shortcut) does. */
    private void fire(FxRobot robot, String id) throws Exception {
        javafx.scene.control.MenuItem item = menuItem(robot, id);
        fx(() -> {
            item.fire();
            return null;
        });
    }

    /** A label's text, read on the FX thread. */
    private String text(FxRobot robot, String query) throws Exception {
        return fx(() -> robot.lookup(query).queryAs(Label.class).getText());
    }

    /** Selects all of a text field's text, types the new text and Enter, as a user would. */
    private static void replaceText(FxRobot robot, String query, String text) {
        robot.clickOn(query).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
        robot.write(text).type(KeyCode.ENTER);
    }

    /** The table of a check's report dialog. */
    private static String reportText(DialogPane pane) {
        var lines = ((javafx.scene.layout.VBox) ((javafx.scene.control.ScrollPane) pane.getContent()).getContent()).getChildren();
        return String.join("\n", lines.stream().map(n -> ((Label) n).getText()).toList());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
