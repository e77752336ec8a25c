package org.babysitter.app.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.stage.Stage;

import org.babysitter.engine.linalg.DeferredGemm;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.linalg.Gemms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The backend is chosen off the FX thread (the first start extracts the bundled OpenBLAS): the window is built at
 * once, says it is preparing, then names the backend and why; a backend that failed its self-test raises a notice.
 */
@ExtendWith(ApplicationExtension.class)
class GemmChoiceShownTest {
    private Workbench workbench;

    @Start
    void start(Stage stage) {
        // the FX toolkit is all this needs
    }

    @AfterEach
    void tearDown() throws Exception {
        if (workbench != null) {
            fx(() -> {
                workbench.shutdown();
                return null;
            });
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theWindowSaysItIsPreparingThenWhichBackendRunsAndWhy() throws Exception {
        CountDownLatch extracted = new CountDownLatch(1);
        DeferredGemm gemm = new DeferredGemm(() -> {
            try {
                extracted.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Gemms.Choice(new EjmlGemm(true), "bundled OpenBLAS 0.3.31: no system OpenBLAS found", false, null);
        });
        // built on the FX thread while the choice is still being made: it must not wait for it
        workbench = fx(() -> new Workbench(gemm));
        assertEquals("preparing...", fx(() -> workbench.run().view().gemmProperty().get()));
        assertEquals("being chosen", fx(() -> workbench.gemmChoiceProperty().get()));
        // a background job while it is prepared: the status bar shows it running, with its words
        assertTrue(fx(() -> workbench.jobs().runningProperty().get()));
        String status = fx(() -> workbench.jobs().messageProperty().get());
        assertTrue(status.startsWith("Preparing the bundled OpenBLAS") || status.startsWith("Loading the matrix-product backend"), status);
        extracted.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> workbench.run().view().gemmProperty().get()).equals("ejml-mt"));
        assertTrue(fx(() -> workbench.gemmChoiceProperty().get()).startsWith("ejml-mt: bundled OpenBLAS 0.3.31: no system OpenBLAS found"));
        assertTrue(fx(() -> workbench.statusProperty().get()).contains("ejml-mt"));
        assertTrue(!fx(() -> workbench.jobs().runningProperty().get()), "the job ended");
        assertNull(fx(() -> workbench.noticeProperty().get()), "nothing went wrong: no notice");
    }

    @Test
    void aBackendThatFailedItsSelfTestRaisesANotice() throws Exception {
        DeferredGemm gemm = new DeferredGemm(() -> new Gemms.Choice(new EjmlGemm(true), "x", false,
                "openblas-bundled-f32 failed the start-up self-test (relative error 0.1)\n\nUsing ejml-mt instead."));
        workbench = fx(() -> new Workbench(gemm));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> workbench.noticeProperty().get()) != null);
        Notice n = fx(() -> workbench.noticeProperty().get());
        assertTrue(n.toString().contains("failed the start-up self-test"), n.toString());
    }
}
