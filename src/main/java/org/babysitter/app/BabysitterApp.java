package org.babysitter.app;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import org.babysitter.app.session.Session;

/** The desktop workbench: opens on built-in data with the lecture's two-layer net ready to train. */
public class BabysitterApp extends Application {
    private Session session;

    @Override
    public void start(Stage stage) {
        session = new Session();
        open(stage, session, new FxDialogs());
        String data = getParameters() == null ? null : getParameters().getNamed().get("data");
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
