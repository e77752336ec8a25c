package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import javafx.scene.control.Button;
import javafx.stage.Stage;

import org.babysitter.app.session.RunState;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.runs.RunSummary;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * Fork in the window: a paused run forked with a new lr goes on from exactly its paused iteration (the charts show the
 * original up to there, then the fork, its change marked), both recorded, the fork tagged; then the original
 * continued from the same point is the run it would have been, loss for loss.
 */
class ForkTest extends WindowTest {
    @Start
    void start(Stage stage) {
        open(stage);
    }

    private double[] losses() throws Exception {
        return fx(() -> session.run().history().iterations().stream().mapToDouble(IterationMetrics::loss).toArray());
    }

    private void ended() throws Exception {
        waitFor("the run's end", () -> fx(() -> session.run().view().stateProperty().get()) == RunState.FINISHED);
        waitFor("the evaluation", () -> fx(() -> session.run().view().evaluationProperty().get()) != null);
    }

    @Test
    void aPausedRunForkedWithANewLrGoesOnFromThatIterationAndTheOriginalCanBeContinued(FxRobot robot) throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        fx(() -> {
            session.runs().open(tmp.resolve("workspace"));
            session.config().epochsProperty().set(2);
            session.data().view().trainSubsetProperty().set(1000); // 10 iterations an epoch
            session.config().learningRateDecayProperty().set(1.0);
            return null;
        });
        waitFor("the store open", () -> fx(() -> session.runs().openProperty().get()));
        // the run as it goes without a fork: the yardstick for the original continued
        robot.clickOn("#start");
        ended();
        double[] plain = losses();
        assertEquals(20, plain.length);

        Button fork = robot.lookup("#fork").queryAs(Button.class);
        assertTrue(fork.isDisabled(), "nothing paused to fork");
        for (int i = 0; i < 7; i++) { // Step starts a run paused after its first iteration, then one more each
            robot.clickOn("#step");
            int want = i + 1;
            waitFor("iteration " + want, () -> fx(() -> session.run().view().stateProperty().get()) == RunState.PAUSED
                    && fx(() -> session.run().view().iterationProperty().get()) == want);
        }
        assertFalse(fork.isDisabled(), "paused: Fork is offered");
        fx(() -> {
            session.run().setLearningRate(1e-6);
            return null;
        });
        robot.clickOn("#fork");
        ended();
        double[] forked = losses();
        assertEquals(20, forked.length, "the original's 7 losses, then the fork's 13");
        assertArrayEquals(Arrays.copyOf(plain, 7), Arrays.copyOf(forked, 7), "the same run up to the fork");
        assertEquals(plain[7], forked[7], "the fork's first loss is of the values it took over");
        assertTrue(forked[19] != plain[19], "then lr 1e-6 goes elsewhere");
        List<RunEvent.ControlChanged> changes = fx(() -> session.run().history().events().stream()
                .filter(RunEvent.ControlChanged.class::isInstance).map(RunEvent.ControlChanged.class::cast).toList());
        assertEquals(1, changes.size(), changes.toString());
        assertEquals(7, changes.get(0).iteration());
        assertEquals(1e-6, changes.get(0).to());
        assertTrue(fx(() -> window.charts().markerLabels()).contains("lr 1e-4 -> 1e-6"), "the fork's change marked");
        assertEquals(20, (int) fx(() -> window.charts().lossCount()), "one loss curve from 1 to 20");

        waitFor("three runs recorded", () -> fx(() -> session.runs().runs().size()) == 3
                && fx(() -> session.runs().runs().get(0).state()) == org.babysitter.engine.runs.RunState.FINISHED);
        List<RunSummary> runs = fx(() -> List.copyOf(session.runs().runs()));
        RunSummary forkRun = runs.get(0);
        RunSummary original = runs.get(1);
        assertEquals(org.babysitter.engine.runs.RunState.STOPPED, original.state(), "the original ends at the fork");
        assertEquals(List.of("fork-of:" + original.id() + "@7"), forkRun.tags());
        assertEquals("fork of run " + original.id() + " at 7: lr 1e-6", forkRun.name());

        String offered = fx(() -> session.run().continueOriginalProperty().get());
        assertEquals("Continue run " + original.id() + " from iteration 7 (lr 1e-4, reg 1e-3)", offered);
        fx(() -> {
            session.run().continueOriginal();
            return null;
        });
        ended();
        assertArrayEquals(plain, losses(), "the original continued is the run it would have been, loss for loss");
        waitFor("the fork drawn beside the original continued", () -> fx(() -> session.runs().compared().stream()
                .anyMatch(c -> c.id() == forkRun.id())));
        waitFor("labelled as the branch it is", () -> fx(() -> window.charts().comparedLabels()).contains("run " + forkRun.id()
                + " (fork of run " + original.id() + " at 7: lr 1e-6)"));
        waitFor("four runs recorded", () -> fx(() -> session.runs().runs().size()) == 4);
        assertEquals(List.of("continued-from:" + original.id() + "@7"), fx(() -> session.runs().runs().get(0).tags()));
    }
}
