package org.babysitter.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.stage.Stage;

import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Routine messages wait for the pump's next look; a message posted "now" goes over at once, with them, in order, on the FX thread. */
@ExtendWith(ApplicationExtension.class)
class UiPumpTest {
    @Start
    void start(Stage stage) {
        // the FX toolkit is all the pump needs
    }

    @Test
    void routineMessagesWaitForTheNextLookAndAnUrgentOneTakesThemAllOverAtOnce() throws Exception {
        List<List<Object>> batches = new CopyOnWriteArrayList<>();
        List<Boolean> onFxThread = new CopyOnWriteArrayList<>();
        // a pump whose next look after the first is an hour away: only postNow can hand anything over
        UiPump pump = new UiPump(batch -> {
            onFxThread.add(Platform.isFxApplicationThread());
            if (!batch.isEmpty()) {
                batches.add(batch);
            }
        }, () -> false, TimeUnit.HOURS.toMillis(1));
        try {
            Thread.sleep(200); // past the first look
            IterationMetrics m1 = new IterationMetrics(1, 0.1, 2.3, 1e-3, 0, List.of(1e-3), 1_000);
            IterationMetrics m2 = new IterationMetrics(2, 0.2, 2.2, 1e-3, 0, List.of(1e-3), 2_000);
            pump.post(m1);
            pump.post(m2);
            Thread.sleep(500);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of(), batches, "routine messages went over before the pump's next look");

            RunEvent paused = new RunEvent.Paused(2);
            pump.postNow(paused);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !batches.isEmpty());
            assertEquals(List.of(List.of(m1, m2, paused)), batches);
            assertTrue(onFxThread.stream().allMatch(b -> b), "handed over off the FX thread");
            assertEquals(1, pump.batchesDrained());
        } finally {
            pump.stop();
        }
    }
}
