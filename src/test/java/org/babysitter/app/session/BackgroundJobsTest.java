package org.babysitter.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;
import javafx.stage.Stage;

import org.babysitter.engine.linalg.EjmlGemm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A job of steps: each partial result reaches its owner on the FX thread, in order, before the outcome; none after a cancel. */
@ExtendWith(ApplicationExtension.class)
class BackgroundJobsTest {
    private Workbench workbench;

    @Start
    void start(Stage stage) {
        // the FX toolkit is all the jobs need
    }

    @AfterEach
    void tearDown() {
        if (workbench != null) {
            workbench.shutdown();
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    /** Records what the owner hears, and whether each came on the FX thread. */
    private static BackgroundJobs.Outcome<String> recording(List<String> heard) {
        return new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(String result) {
                heard.add(result + (Platform.isFxApplicationThread() ? "" : " (off the FX thread)"));
            }

            @Override
            public void failed(String message) {
                heard.add("failed: " + message);
            }

            @Override
            public void cancelled() {
                heard.add("cancelled");
            }
        };
    }

    @Test
    void partialResultsArriveInOrderBeforeTheOutcomeAndNoneAfterACancel() throws Exception {
        workbench = fx(() -> new Workbench(new EjmlGemm(true)));
        List<String> heard = new CopyOnWriteArrayList<>();
        fx(() -> workbench.jobs().<String, Integer>start("three steps", (p, publish) -> {
            for (int i = 1; i <= 3; i++) {
                publish.accept(i);
            }
            return "done";
        }, i -> heard.add("step " + i + (Platform.isFxApplicationThread() ? "" : " (off the FX thread)")), recording(heard)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> heard.contains("done"));
        assertEquals(List.of("step 1", "step 2", "step 3", "done"), heard);

        List<String> cancelled = new CopyOnWriteArrayList<>();
        CountDownLatch goOn = new CountDownLatch(1);
        BackgroundJobs.Job job = fx(() -> workbench.jobs().<String, Integer>start("cancelled", (p, publish) -> {
            publish.accept(1);
            assertTrue(goOn.await(10, TimeUnit.SECONDS));
            publish.accept(2); // after the cancel: dropped
            p.checkCancelled();
            return "not reached";
        }, i -> cancelled.add("step " + i), recording(cancelled)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> cancelled.contains("step 1"));
        fx(() -> {
            job.cancel();
            return null;
        });
        goOn.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> cancelled.contains("cancelled"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("step 1", "cancelled"), cancelled);
        assertEquals(false, fx(() -> workbench.jobs().runningProperty().get()));
    }
}
