package org.babysitter.app;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import org.babysitter.app.session.Session;

/**
 * The desktop workbench: opens on built-in data with the lecture's two-layer net ready to train. Named
 * parameters: {@code --data=PATH} opens a CIFAR-10 set instead, {@code --gemm=NAME} forces a matrix-product
 * backend ({@code ./mvnw javafx:run -Djavafx.args="--gemm=ejml-mt"}).
 */
public class BabysitterApp extends Application {
    private Session session;

    @Override
    public void start(Stage stage) {
        java.util.Map<String, String> named = getParameters() == null ? java.util.Map.of() : getParameters().getNamed();
        String gemmName = named.get("gemm");
        org.babysitter.engine.linalg.Gemm gemm;
        String gemmProblem = null;
        try {
            gemm = gemmName == null ? org.babysitter.engine.linalg.Gemms.fromSystemProperty()
                    : org.babysitter.engine.linalg.Gemms.byName(gemmName);
        } catch (IllegalArgumentException e) {
            gemm = org.babysitter.engine.linalg.Gemms.best();
            gemmProblem = e.getMessage() + "\n\nUsing " + gemm.name() + " instead.";
        }
        session = new Session(gemm);
        FxDialogs dialogs = new FxDialogs();
        open(stage, session, dialogs);
        if (gemmProblem != null) {
            dialogs.show(stage, new org.babysitter.app.session.Notice("Matrix-product backend", gemmProblem, true));
        }
        String data = named.get("data");
        if (data != null) {
            session.open(java.nio.file.Path.of(data));
        } else {
            session.loadBuiltIn();
        }
    }

    /** Builds and shows the window over a session; closing it stops the run and exits. */
    public static MainWindow open(Stage stage, Session session, Dialogs dialogs) {
        MainWindow window = new MainWindow(stage, session, dialogs);
        stage.setOnCloseRequest(e -> session.shutdown());
        stage.setOnHidden(e -> session.shutdown());
        stage.show();
        return window;
    }

    @Override
    public void stop() {
        if (session != null) {
            session.shutdown();
        }
        Platform.exit();
    }

    public static void main(String[] args) {
        launch(args);
    }
}
