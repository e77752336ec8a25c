package org.babysitter.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import javafx.stage.Stage;

import org.babysitter.app.session.Workbench;
import org.babysitter.engine.linalg.EjmlGemm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The main window on the built-in data for a TestFX test (dialogs stubbed, a temporary folder): opened before each
 * test, and after it shut down with its run store closed before the folder goes. {@link #waitFor} says, when it times
 * out, what the window was saying.
 */
@ExtendWith(ApplicationExtension.class)
abstract class WindowTest {
    protected Workbench session;
    protected MainWindow window;
    protected Stage stage;
    protected final StubDialogs dialogs = new StubDialogs();

    @TempDir
    Path tmp;

    static {
        // as in WorkbenchTest: Monocle's closed-view race is checked by hand, not failed on by the next wait
        WaitForAsyncUtils.autoCheckException = false;
    }

    /** Opens the window on {@code stage}: each test class's {@code @Start} method calls it (TestFX looks there only). */
    protected void open(Stage stage) {
        this.stage = stage;
        session = new Workbench(new EjmlGemm(true));
        window = BabysitterApp.open(stage, session, dialogs, null);
        session.data().loadBuiltIn();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (session != null) {
            session.shutdown();
            Thread closing = session.storeClosing();
            if (closing != null) {
                closing.join(15_000); // the temp folder is deleted next: the store is closed first
            }
        }
        org.testfx.api.FxToolkit.cleanupStages();
        WaitForAsyncUtils.waitForFxEvents();
    }

    protected void waitFor(String what, Callable<Boolean> condition) throws Exception {
        waitFor(what, 60, condition);
    }

    protected void waitFor(String what, int seconds, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what + " (status: " + session.statusProperty().get()
                    + "; notice: " + session.noticeProperty().get() + "; run: " + session.run().view().stateProperty().get()
                    + "; search: " + session.search().summaryProperty().get() + "; store: "
                    + session.runs().recordingProperty().get() + ")", e);
        }
    }

    protected <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }
}
