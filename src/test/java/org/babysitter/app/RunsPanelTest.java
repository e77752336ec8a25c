package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.babysitter.app.charts.ChartKind;
import org.babysitter.app.session.RunState;
import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.runs.RunDetail;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.runs.RunSummary;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window and the run store, in a temporary workspace (never the user's): a run recorded as it trains, the runs
 * panel's rename, tag, note, delete and undo, export and reopen; a corrupt store; a window closed mid-run.
 */
class RunsPanelTest extends WindowTest {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    private Path openWorkspace() throws Exception {
        Path ws = tmp.resolve("workspace");
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        fx(() -> {
            session.runs().open(ws);
            return null;
        });
        waitFor("the store open", () -> fx(() -> session.runs().openProperty().get()));
        return ws;
    }

    private RunSummary onlyRun() throws Exception {
        List<RunSummary> runs = fx(() -> List.copyOf(session.runs().runs()));
        assertEquals(1, runs.size(), runs.toString());
        return runs.get(0);
    }

    @Test
    void aRunIsRecordedAndThePanelRenamesTagsNotesDeletesExportsAndReopensIt(FxRobot robot) throws Exception {
        Path ws = openWorkspace();
        assertEquals("recording", robot.lookup("#status-store").queryAs(Label.class).getText());
        fx(() -> {
            session.config().epochsProperty().set(3);
            session.data().view().trainSubsetProperty().set(2000); // 20 iterations an epoch: a short run
            session.config().learningRateProperty().set(1e-6); // flat: the assistant says the lr is too low
            session.config().learningRateDecayProperty().set(1.0);
            return null;
        });
        robot.clickOn("#start");
        waitFor("the run listed as training", () -> fx(() -> session.runs().runs().size()) == 1);
        waitFor("the evaluation", () -> fx(() -> session.run().view().evaluationProperty().get()) != null);
        waitFor("the run listed as finished", () -> fx(() -> session.runs().runs().get(0).state())
                == org.babysitter.engine.runs.RunState.FINISHED);
        RunSummary run = onlyRun();
        assertEquals(fx(() -> session.run().view().bestValAccuracyProperty().get()), run.bestVal(), 1e-12);
        assertEquals(3, run.epochsDone());
        int iterations = fx(() -> window.charts().lossCount());
        List<Finding> live = fx(() -> List.copyOf(session.run().view().findings()));
        assertFalse(live.isEmpty(), "the assistant said the lr is too low");

        // the panel lists it
        fx(() -> {
            window.showRuns();
            return null;
        });
        waitFor("the runs panel", () -> robot.lookup("#runs-table").tryQuery().isPresent());
        TableView<?> table = robot.lookup("#runs-table").queryAs(TableView.class);
        waitFor("one row", () -> fx(() -> table.getItems().size()) == 1);
        fx(() -> {
            window.runsView().select(run.id());
            return null;
        });
        assertEquals(run.name(), robot.lookup("#run-name").queryAs(TextField.class).getText());

        // rename, tag, note: kept in the store (another store on the same file reads them back)
        fx(() -> {
            robot.lookup("#run-name").queryAs(TextField.class).setText("first try");
            robot.lookup("#run-tags").queryAs(TextField.class).setText("baseline, built-in");
            robot.lookup("#run-note").queryAs(TextArea.class).setText("lr looks fine");
            return null;
        });
        robot.clickOn("#run-save");
        waitFor("name, tags and note listed", () -> {
            RunSummary r = fx(() -> session.runs().runs().get(0));
            return r.name().equals("first try") && r.tags().equals(List.of("baseline", "built-in")) && r.note().equals("lr looks fine");
        });
        try (RunStore other = RunStore.openExisting(ws)) {
            RunDetail d = other.detail(run.id());
            assertEquals("first try", d.summary().name());
            assertEquals(List.of("baseline", "built-in"), d.summary().tags());
            assertEquals("lr looks fine", d.summary().note());
            assertEquals(iterations, d.iterations());
            assertEquals(live, d.findings(), "the assistant's findings, handed from the FX thread to the recorder");
            assertTrue(d.hasBest(), "the best parameters are kept");
        }

        // export: the store's CSV, JSON and .npz into the chosen folder
        dialogs.folder = tmp.resolve("export");
        Files.createDirectories(dialogs.folder);
        robot.clickOn("#run-export");
        Path csv = dialogs.folder.resolve("run-" + run.id() + ".csv");
        Path json = dialogs.folder.resolve("run-" + run.id() + ".json");
        Path npz = dialogs.folder.resolve("run-" + run.id() + "-best.npz");
        waitFor("the exported files", () -> Files.exists(csv) && Files.exists(json) && Files.exists(npz));
        assertTrue(Files.readString(json).contains("\"first try\""));

        // reopen: the charts and the findings of the recorded run, read-only
        fx(() -> {
            session.run().reset();
            return null;
        });
        assertEquals(0, fx(() -> window.charts().lossCount()));
        robot.clickOn("#run-reopen");
        waitFor("the reopened run's losses", () -> fx(() -> window.charts().lossCount()) == iterations);
        assertEquals(live, fx(() -> List.copyOf(session.run().view().findings())), "the findings replayed");
        assertEquals(RunState.FINISHED, fx(() -> session.run().view().stateProperty().get()));
        String banner = fx(() -> session.run().view().messageProperty().get());
        assertTrue(banner.contains("read-only") && banner.contains("Test accuracy"), banner);
        assertTrue(fx(() -> session.run().view().evaluationProperty().get()) != null, "its evaluation too");

        // delete, then undo: with Ctrl+Z in the panel, and with its button
        robot.clickOn("#run-delete");
        waitFor("the run gone from the list", () -> fx(() -> session.runs().runs().isEmpty()));
        robot.clickOn("#runs-table").press(KeyCode.CONTROL).press(KeyCode.Z).release(KeyCode.Z).release(KeyCode.CONTROL);
        waitFor("the run back (Ctrl+Z)", () -> fx(() -> session.runs().runs().size()) == 1);
        fx(() -> {
            window.runsView().select(run.id());
            return null;
        });
        robot.clickOn("#run-delete");
        waitFor("the run gone again", () -> fx(() -> session.runs().runs().isEmpty()));
        robot.clickOn("#run-undo-delete");
        waitFor("the run back (Undo delete)", () -> fx(() -> session.runs().runs().size()) == 1);
        assertFalse(onlyRun().deleted());

        // compare on charts: the stored run's smoothed loss (a point an iteration: it is short), its accuracies and
        // its update ratios stay on the charts while a new run trains, named by its lr and reg (alone)
        fx(() -> {
            window.runsView().select(run.id());
            return null;
        });
        robot.clickOn("#run-compare");
        waitFor("the compared run drawn", () -> fx(() -> window.charts().comparedPoints(ChartKind.LOSS)) == iterations);
        assertEquals(2 * 3, (int) fx(() -> window.charts().comparedPoints(ChartKind.ACCURACY)), "train and val, 3 epochs");
        int weights = fx(() -> session.runs().compared().get(0).weightNames().size());
        assertEquals(weights * iterations, (int) fx(() -> window.charts().comparedPoints(ChartKind.UPDATE_RATIOS)));
        String label = fx(() -> window.charts().comparedLabels().get(0));
        assertTrue(label.startsWith("run " + run.id() + ": lr 1e-6, reg "), label);
        assertTrue(legend(ChartKind.LOSS).contains(label), legend(ChartKind.LOSS).toString());
        fx(() -> {
            session.config().epochsProperty().set(1);
            session.run().start(); // the runs panel may cover the window's Start button
            return null;
        });
        waitFor("the new run ended", () -> fx(() -> session.runs().runs().size()) == 2
                && fx(() -> !session.run().view().stateProperty().get().active()));
        assertEquals(20, (int) fx(() -> window.charts().lossCount()), "the new run's own losses");
        assertEquals(iterations, (int) fx(() -> window.charts().comparedPoints(ChartKind.LOSS)), "the compared run stayed");
        // the live run is told apart too: it trained 1 epoch, the compared run 3
        assertEquals(List.of("run " + run.id() + ": epochs 3"), fx(() -> window.charts().comparedLabels()));

        // both runs selected (Ctrl+A in the table), compared: named by what differs, the epochs; each listed in the panel
        long second = fx(() -> session.runs().runs().get(0).id());
        robot.clickOn("#runs-table").press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL);
        assertEquals(2, (int) fx(() -> ((TableView<?>) robot.lookup("#runs-table").query()).getSelectionModel().getSelectedItems().size()));
        fx(() -> {
            session.runs().refresh(); // the list is replaced: both stay selected
            return null;
        });
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
        assertEquals(2, (int) fx(() -> ((TableView<?>) robot.lookup("#runs-table").query()).getSelectionModel().getSelectedItems().size()));
        robot.clickOn("#run-compare");
        waitFor("both compared", () -> fx(() -> window.charts().comparedLabels().size()) == 2);
        List<String> labels = fx(() -> window.charts().comparedLabels());
        assertEquals(List.of("run " + run.id() + ": epochs 3", "run " + second + ": epochs 1"), labels);
        assertTrue(legend(ChartKind.LOSS).containsAll(labels), legend(ChartKind.LOSS).toString());
        assertTrue(legend(ChartKind.ACCURACY).contains(labels.get(1)), legend(ChartKind.ACCURACY).toString());
        assertEquals(iterations + 20, (int) fx(() -> window.charts().comparedPoints(ChartKind.LOSS)));
        assertEquals(labels.get(1), robot.lookup("#compared-" + second).queryAs(Label.class).getText());

        // the first run only selected: Remove from charts takes it off; the other stays, the live run's config
        fx(() -> {
            window.runsView().select(run.id());
            return null;
        });
        robot.clickOn("#run-remove-compared");
        List<String> left = fx(() -> window.charts().comparedLabels());
        assertEquals(1, left.size(), left.toString());
        assertEquals(List.of("run " + second + ": same config"), left);
        assertEquals(20, (int) fx(() -> window.charts().comparedPoints(ChartKind.LOSS)));

        // a compared run deleted leaves the charts
        fx(() -> {
            window.runsView().select(second);
            return null;
        });
        robot.clickOn("#run-delete");
        waitFor("the run gone from the list", () -> fx(() -> session.runs().runs().size()) == 1);
        assertEquals(List.of(), fx(() -> window.charts().comparedLabels()));
        for (ChartKind k : ChartKind.values()) {
            assertEquals(0, (int) fx(() -> window.charts().comparedPoints(k)), k.toString());
        }

        // Clear comparison takes every compared run off; the run's own lines stay
        fx(() -> {
            window.runsView().select(run.id());
            return null;
        });
        robot.clickOn("#run-compare");
        waitFor("compared again", () -> fx(() -> window.charts().comparedLabels().size()) == 1);
        robot.clickOn("#run-clear-compared");
        assertEquals(0, (int) fx(() -> window.charts().comparedPoints(ChartKind.LOSS)));
        assertFalse(legend(ChartKind.LOSS).stream().anyMatch(l -> l.startsWith("run ")));
        assertEquals(20, (int) fx(() -> window.charts().lossCount()), "the run's own lines stay");
    }

    /** A ready-made compared run (a fork's parent, say) of 10 iterations and 2 epochs, of no known config. */
    private static org.babysitter.app.session.ComparedRun readyMade(long id) {
        int[] x = new int[10];
        double[] loss = new double[10];
        double[][] ratios = new double[1][10];
        for (int i = 0; i < 10; i++) {
            x[i] = i + 1;
            loss[i] = 2.3 - 0.1 * i;
            ratios[0][i] = 1e-3;
        }
        return new org.babysitter.app.session.ComparedRun(id, "parent " + id, "parent " + id + " (forked)", null, x, loss,
                List.of("W1"), ratios, new int[] {1, 2}, new int[] {5, 10}, new double[] {0.3, 0.4}, new double[] {0.25, 0.3},
                org.babysitter.app.session.ComparedRun.ALL);
    }

    @Test
    void showDrawsAReadyMadeRunReplacesOneOfTheSameIdAndRefusesANinth(FxRobot robot) throws Exception {
        fx(() -> {
            session.runs().show(readyMade(100).until(6)); // drawn up to where it forked
            return null;
        });
        assertEquals(List.of("parent 100 (forked)"), fx(() -> window.charts().comparedLabels()), "its own label kept");
        assertEquals(6, (int) fx(() -> window.charts().comparedPoints(ChartKind.LOSS)));
        assertEquals(2, (int) fx(() -> window.charts().comparedPoints(ChartKind.ACCURACY)), "the first epoch, train and val");
        fx(() -> {
            session.runs().show(readyMade(100)); // the same id: replaced, now whole
            return null;
        });
        assertEquals(10, (int) fx(() -> window.charts().comparedPoints(ChartKind.LOSS)));
        assertEquals(1, (int) fx(() -> session.runs().compared().size()));
        fx(() -> {
            for (long id = 101; id <= 108; id++) {
                session.runs().show(readyMade(id));
            }
            return null;
        });
        assertEquals(org.babysitter.app.session.RunsController.MAX_COMPARED, (int) fx(() -> session.runs().compared().size()));
        assertTrue(session.noticeProperty().get() != null && session.noticeProperty().get().message().startsWith(
                "At most 8 runs"), String.valueOf(session.noticeProperty().get()));
        assertFalse(fx(() -> window.charts().comparedLabels()).contains("parent 108 (forked)"));
        fx(() -> {
            session.runs().remove(100);
            session.runs().clearCompared();
            return null;
        });
        assertEquals(0, (int) fx(() -> window.charts().comparedPoints(ChartKind.UPDATE_RATIOS)));
    }

    /** The names in a chart's legend. */
    private List<String> legend(ChartKind kind) throws Exception {
        return fx(() -> {
            List<String> names = new java.util.ArrayList<>();
            var items = window.charts().chart(kind).getXYPlot().getLegendItems();
            for (int i = 0; i < items.getItemCount(); i++) {
                names.add(items.get(i).getLabel());
            }
            return names;
        });
    }

    @Test
    void aCorruptStoreIsOneNoticeAndRunsStillTrain(FxRobot robot) throws Exception {
        Path ws = tmp.resolve("workspace");
        Files.createDirectories(ws);
        Files.writeString(ws.resolve(RunStore.FILE), "not a database at all, just text that someone saved here\n");
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        fx(() -> {
            session.runs().open(ws);
            return null;
        });
        waitFor("the notice", () -> session.noticeProperty().get() != null);
        assertEquals("Run store", session.noticeProperty().get().title());
        assertTrue(session.noticeProperty().get().message().contains("not recorded"), session.noticeProperty().get().message());
        assertFalse(fx(() -> session.runs().openProperty().get()));
        assertEquals("not recording", robot.lookup("#status-store").queryAs(Label.class).getText());
        assertTrue(fx(() -> session.runs().recordingProperty().get()).startsWith("Not recording"));
        waitFor("the notice's dialog", () -> robot.lookup("#notice-dialog").tryQuery().isPresent());
        fx(() -> {
            session.run().start();
            return null;
        });
        waitFor("losses drawn", () -> fx(() -> window.charts().lossCount()) >= 20);
        fx(() -> {
            session.run().stop();
            return null;
        });
        waitFor("stopped", () -> !fx(() -> session.run().view().stateProperty().get()).active());

        // File > Workspace...: another folder, and the window records again
        dialogs.workspace = tmp.resolve("another");
        fx(() -> {
            window.chooseWorkspace();
            return null;
        });
        waitFor("the other store open", () -> fx(() -> session.runs().openProperty().get()));
        assertEquals(dialogs.workspace, fx(() -> session.runs().workspaceProperty().get()));
        assertEquals("recording", robot.lookup("#status-store").queryAs(Label.class).getText());
    }

    @Test
    void aRunOnAFileRecordsTheFilesChecksumAsTrainStoreDoes() throws Exception {
        Path ws = openWorkspace();
        Path bin = tmp.resolve("tiny.bin");
        byte[] records = new byte[1000 * 3073]; // labels 0..9 in turn: a tiny but real CIFAR-10 batch
        for (int i = 0; i < 1000; i++) {
            records[i * 3073] = (byte) (i % 10);
            for (int j = 1; j < 3073; j++) {
                records[i * 3073 + j] = (byte) ((i * 13 + j * (i % 10 + 1)) & 0xFF);
            }
        }
        Files.write(bin, records);
        fx(() -> {
            session.data().open(bin);
            return null;
        });
        waitFor("tiny.bin loaded", () -> fx(() -> session.data().view().sourceProperty().get()).contains("tiny.bin"));
        fx(() -> {
            session.config().epochsProperty().set(1);
            session.run().start();
            return null;
        });
        waitFor("the run recorded and ended", () -> fx(() -> session.runs().runs().size()) == 1
                && fx(() -> session.runs().runs().get(0).state()) != org.babysitter.engine.runs.RunState.RUNNING);
        try (RunStore other = RunStore.openExisting(ws)) {
            RunDetail d = other.detail(onlyRun().id());
            assertEquals(other.identify("tiny.bin", bin).checksum(), d.data().checksum(), "the file's checksum");
        }
    }

    @Test
    void aWindowClosedMidRunLeavesItsRunStoppedInTheStore() throws Exception {
        Path ws = openWorkspace();
        fx(() -> {
            session.config().epochsProperty().set(50);
            session.run().start();
            return null;
        });
        waitFor("losses drawn", () -> fx(() -> window.charts().lossCount()) >= 20);
        fx(() -> {
            stage.hide(); // the window closes: its workbench shuts down
            return null;
        });
        Thread closing = session.storeClosing();
        assertTrue(closing != null, "the store is being closed");
        closing.join(15_000);
        assertFalse(closing.isAlive(), "the store closed once the stopped trainer ended");
        try (RunStore again = RunStore.openExisting(ws)) {
            RunSummary r = again.list(false).get(0);
            assertEquals(org.babysitter.engine.runs.RunState.STOPPED, r.state(),
                    "stopped by the closing and recorded so; interrupted only if the trainer had not ended in time");
            assertTrue(again.detail(r.id()).iterations() >= 20);
        }
    }
}
