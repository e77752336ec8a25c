package org.babysitter.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javafx.application.Platform;
import javafx.stage.Stage;

import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Routine messages wait for the pump's next look; a message posted "now" goes over at once, with them, in order, on
 * the FX thread; frames asked for are drawn at the pump's pace, at most one per {@link UiPump#FRAME_MILLIS}.
 */
@ExtendWith(ApplicationExtension.class)
class UiPumpTest {
    @Start
    void start(Stage stage) {
        // the FX toolkit is all the pump needs
    }

    @Test
    void routineMessagesWaitForTheNextLookAndAnUrgentOneTakesThemAllOverAtOnce() throws Exception {
        List<List<UiMessage>> batches = new CopyOnWriteArrayList<>();
        List<Boolean> onFxThread = new CopyOnWriteArrayList<>();
        // a pump whose next look after the first is an hour away: only postNow can hand anything over
        UiPump pump = new UiPump(batch -> {
            onFxThread.add(Platform.isFxApplicationThread());
            batches.add(batch);
        }, TimeUnit.HOURS.toMillis(1));
        try {
            Thread.sleep(200); // past the first look
            UiMessage m1 = new UiMessage.FromRun(1, new IterationMetrics(1, 0.1, 2.3, 1e-3, 0, List.of(1e-3), 1_000, 0));
            UiMessage m2 = new UiMessage.FromRun(1, new IterationMetrics(2, 0.2, 2.2, 1e-3, 0, List.of(1e-3), 2_000, 0));
            pump.post(m1);
            pump.post(m2);
            Thread.sleep(500);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of(), batches, "routine messages went over before the pump's next look");

            UiMessage paused = new UiMessage.FromRun(1, new RunEvent.Paused(2));
            pump.postNow(paused);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !batches.isEmpty());
            assertEquals(List.of(List.of(m1, m2, paused)), batches);
            assertTrue(onFxThread.stream().allMatch(b -> b), "handed over off the FX thread");
            assertEquals(1, pump.batchesDrained());
        } finally {
            pump.stop();
        }
    }

    @Test
    void aRequestedFrameIsDrawnAtThePumpsPaceAndOnlyWhenAsked() throws Exception {
        AtomicInteger frames = new AtomicInteger();
        UiPump pump = new UiPump(batch -> { }, 50);
        try {
            pump.addFrameListener(frames::incrementAndGet);
            Thread.sleep(300);
            assertEquals(0, frames.get(), "no frame without a request");
            WaitForAsyncUtils.asyncFx(pump::requestFrame).get(5, TimeUnit.SECONDS);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> frames.get() == 1);
            // asked again at once: the next frame waits until FRAME_MILLIS after the last
            long asked = System.nanoTime();
            WaitForAsyncUtils.asyncFx(pump::requestFrame).get(5, TimeUnit.SECONDS);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> frames.get() == 2);
            long waited = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(waited >= UiPump.FRAME_MILLIS - 100, "second frame after " + waited + " ms");
            Thread.sleep(700);
            assertEquals(2, frames.get(), "one frame per request");
        } finally {
            pump.stop();
        }
    }
}
