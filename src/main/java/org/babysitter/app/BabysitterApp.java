package org.babysitter.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.prefs.Preferences;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import org.babysitter.app.session.Notice;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.linalg.DeferredGemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.runs.RunStore;

/**
 * The desktop workbench: opens on built-in data with the lecture's two-layer net ready to train. Named parameters:
 * {@code --data=PATH} opens a CIFAR-10 set instead, {@code --gemm=NAME} forces a matrix-product backend
 * ({@code ./mvnw javafx:run -Djavafx.args="--gemm=ejml-mt"}), {@code --workspace=DIR} records runs in the run store in
 * DIR. Closing the window ends the process, whatever else is still on screen (a tooltip, a dialog).
 */
public class BabysitterApp extends Application {
    /** The system property naming the workspace (tests and scripts: never the user's own). */
    public static final String WORKSPACE_PROPERTY = "babysitter.workspace";
    private Workbench workbench;

    @Override
    public void start(Stage stage) {
        Map<String, String> named = getParameters() == null ? Map.of() : getParameters().getNamed();
        String gemmName = named.getOrDefault("gemm", System.getProperty(Gemms.PROPERTY));
        // chosen on a thread of its own: the first start extracts the bundled OpenBLAS (the status bar says so)
        workbench = new Workbench(new DeferredGemm(() -> Gemms.choose(gemmName)));
        FxDialogs dialogs = new FxDialogs();
        var icon = BabysitterApp.class.getResourceAsStream("icon.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon));
        }
        Preferences prefs = Preferences.userNodeForPackage(BabysitterApp.class);
        open(stage, workbench, dialogs, prefs.node("window"));
        // the last window closed need not be the last one showing (a tooltip, a dialog): end the toolkit explicitly
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> Platform.exit());
        // the run store opens in the background; a folder chosen with File > Workspace... is remembered, unless the
        // workspace was given for this start (--workspace, or the system property tests set)
        String given = named.getOrDefault("workspace", System.getProperty(WORKSPACE_PROPERTY));
        Preferences remembered = prefs.node("workspace");
        Path workspace = given != null ? Path.of(given)
                : Path.of(remembered.get("folder", RunStore.defaultFolder().toString()));
        if (given == null) {
            workbench.runs().workspaceProperty().addListener((o, a, folder) -> {
                if (folder != null) {
                    remembered.put("folder", folder.toAbsolutePath().toString());
                }
            });
        }
        workbench.runs().open(workspace);
        String data = named.get("data");
        if (data != null) {
            workbench.data().open(Path.of(data));
        } else {
            workbench.data().loadBuiltIn();
        }
    }

    /** Builds and shows the window over a workbench; closing it stops the run and every job. */
    public static MainWindow open(Stage stage, Workbench workbench, Dialogs dialogs, Preferences placement) {
        MainWindow window = new MainWindow(stage, workbench, dialogs, placement);
        stage.setOnHidden(e -> workbench.shutdown());
        stage.show();
        return window;
    }

    @Override
    public void stop() {
        if (workbench != null) {
            workbench.shutdown();
        }
    }

    public static void main(String[] args) {
        launch(args);
    }
}
