package org.babysitter.app;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import org.babysitter.app.charts.ChartKind;
import org.babysitter.app.charts.ChartsPane;
import org.babysitter.app.panels.ControlBar;
import org.babysitter.app.panels.DataPanel;
import org.babysitter.app.panels.ModelPanel;
import org.babysitter.app.panels.StatusBar;
import org.babysitter.app.panels.TrainingPanel;
import org.babysitter.app.session.RunState;
import org.babysitter.app.session.Session;

/**
 * The main window: menus, the panels on the left, the charts in the middle, the status bar below; keyboard
 * shortcuts (Space start/pause, F10 step, Ctrl+O open, Ctrl+E export, F5 presentation mode) and drag and drop
 * of CIFAR-10 files.
 */
public final class MainWindow {
    private final Stage stage;
    private final Session session;
    private final Dialogs dialogs;
    private final BorderPane root = new BorderPane();
    private final ChartsPane chartsPane;
    private final TrainingPanel trainingPanel;
    private final ControlBar controlBar;
    private final CheckMenuItem presentation = new CheckMenuItem("Presentation mode");
    private int exportWidth = 1280;
    private int exportHeight = 720;

    public MainWindow(Stage stage, Session session, Dialogs dialogs) {
        this.stage = stage;
        this.session = session;
        this.dialogs = dialogs;
        trainingPanel = new TrainingPanel(session);
        controlBar = new ControlBar(session);
        chartsPane = new ChartsPane(session.charts(), this::exportChart, this::exportAll);

        VBox panels = new VBox(4, new DataPanel(session, this::openFile, this::openFolder).node(),
                new ModelPanel(session).node(), trainingPanel.node());
        ScrollPane left = new ScrollPane(panels);
        left.setFitToWidth(true);
        left.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        left.setMinWidth(330);
        left.setPrefWidth(370);

        Label banner = new Label();
        banner.setId("run-message");
        banner.setWrapText(true);
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.textProperty().bind(session.run().messageProperty());
        banner.visibleProperty().bind(session.run().messageProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        session.run().stateProperty().addListener((o, a, b) -> {
            banner.getStyleClass().removeAll("banner-error", "banner-info");
            banner.getStyleClass().add(b == RunState.DIVERGED || b == RunState.FAILED ? "banner-error" : "banner-info");
        });
        banner.getStyleClass().add("banner-info");
        BorderPane center = new BorderPane(chartsPane.node());
        center.setTop(new VBox(controlBar.node(), banner));

        SplitPane split = new SplitPane(left, center);
        split.setDividerPositions(0.29);
        SplitPane.setResizableWithParent(left, false);
        root.setTop(menus());
        root.setCenter(split);
        root.setBottom(new StatusBar(session).node());
        root.setId("main-window");

        Scene scene = new Scene(root, 1280, 800);
        scene.getStylesheets().add(MainWindow.class.getResource("babysitter.css").toExternalForm());
        installKeys(scene);
        installDragAndDrop(scene);
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.createStringBinding(() -> "Babysitter" + (session.data().sourceProperty().get().isEmpty()
                ? "" : " - " + shortSource(session.data().sourceProperty().get())), session.data().sourceProperty()));
        session.noticeProperty().addListener((o, a, n) -> {
            if (n != null) {
                dialogs.show(stage, n);
            }
        });
    }

    private static String shortSource(String s) {
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        return slash >= 0 ? s.substring(slash + 1) : s;
    }

    private MenuBar menus() {
        MenuItem openFile = item("Open CIFAR-10 archive or batch...", "menu-open", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::openFile);
        MenuItem openFolder = item("Open CIFAR-10 folder...", "menu-open-folder",
                new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::openFolder);
        MenuItem builtIn = item("Use built-in data", "menu-builtin", null, session::loadBuiltIn);
        MenuItem exportLoss = item("Export loss chart...", "menu-export", new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN),
                () -> exportChart(ChartKind.LOSS));
        MenuItem exportAcc = item("Export accuracy chart...", "menu-export-accuracy", null, () -> exportChart(ChartKind.ACCURACY));
        MenuItem exportRatio = item("Export update-ratio chart...", "menu-export-ratios", null, () -> exportChart(ChartKind.UPDATE_RATIOS));
        MenuItem exportAll = item("Export all charts...", "menu-export-all",
                new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::exportAll);
        MenuItem exportCsv = item("Export metrics as CSV...", "menu-export-csv", null, this::exportCsv);
        MenuItem quit = item("Quit", "menu-quit", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), stage::close);
        Menu file = new Menu("File", null, openFile, openFolder, builtIn, new SeparatorMenuItem(), exportLoss, exportAcc, exportRatio,
                exportAll, exportCsv, new SeparatorMenuItem(), quit);

        MenuItem start = item("Start / Pause / Resume\tSpace", "menu-start", null, session::togglePause);
        MenuItem step = item("Step one iteration", "menu-step", new KeyCodeCombination(KeyCode.F10), session::step);
        MenuItem stop = item("Stop", "menu-stop", null, session::stop);
        MenuItem reset = item("Reset", "menu-reset", null, session::reset);
        Menu runMenu = new Menu("Run", null, start, step, stop, reset);

        MenuItem sanity = item("Sanity checks (initial loss, reg, overfit 20)", "menu-sanity", null, session::runSanityChecks);
        MenuItem gradcheck = item("Gradient check", "menu-gradcheck", null, session::runGradientCheck);
        Menu checks = new Menu("Checks", null, sanity, gradcheck);

        presentation.setAccelerator(new KeyCodeCombination(KeyCode.F5));
        presentation.setId("menu-presentation");
        presentation.selectedProperty().addListener((o, a, b) -> setPresentation(b));
        CheckMenuItem log = new CheckMenuItem("Log loss axis");
        log.selectedProperty().bindBidirectional(chartsPane.logToggle().selectedProperty());
        Menu view = new Menu("View", null, presentation, log);

        MenuItem about = item("About Babysitter", "menu-about", null, () -> dialogs.show(stage, new org.babysitter.app.session.Notice(
                "About Babysitter", String.join("\n",
                "Babysitter: watch a net train, the cs231n lecture's way.",
                "",
                "Loss: too high a learning rate explodes, too low is linear-ish, a good one decays fast then flattens.",
                "Train/val gap: a big gap means overfitting (more reg); no gap means more capacity.",
                "Update/weight ratio per layer: about 1e-3 (the green band is 1e-4..1e-2).",
                "Sanity checks: initial loss ln(C) with reg 0; more reg raises it; 20 images overfit to 100%.",
                "",
                "Keys: Space start/pause/resume, F10 step, Ctrl+O open, Ctrl+E export loss chart, Ctrl+Shift+E export all, F5 presentation mode.",
                "Matrix products: " + session.gemm().describe()), false)));
        Menu help = new Menu("Help", null, about);
        MenuBar bar = new MenuBar(file, runMenu, checks, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private static MenuItem item(String text, String id, KeyCombination key, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setId(id);
        if (key != null) {
            m.setAccelerator(key);
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    /** Space starts, pauses and resumes, except while typing; it never also presses the focused button. */
    private void installKeys(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.SPACE && !(scene.getFocusOwner() instanceof TextInputControl)
                    && !e.isShortcutDown() && !e.isAltDown()) {
                e.consume();
                session.togglePause();
            }
        });
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> {
            if (e.getCode() == KeyCode.SPACE && !(scene.getFocusOwner() instanceof TextInputControl)) {
                e.consume();
            }
        });
    }

    private void installDragAndDrop(Scene scene) {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && e.getDragboard().getFiles().size() == 1) {
                e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            boolean ok = files.size() == 1;
            if (ok) {
                session.open(files.get(0).toPath());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    void openFile() {
        dialogs.chooseDataFile(stage).ifPresent(session::open);
    }

    void openFolder() {
        dialogs.chooseDataFolder(stage).ifPresent(session::open);
    }

    void exportChart(ChartKind kind) {
        Optional<Path> file = dialogs.choosePngFile(stage, kind.fileName());
        if (file.isEmpty()) {
            return;
        }
        dialogs.chooseSize(stage, exportWidth, exportHeight).ifPresent(size -> {
            exportWidth = size[0];
            exportHeight = size[1];
            session.exportChart(kind, file.get(), size[0], size[1]);
        });
    }

    void exportAll() {
        Optional<Path> folder = dialogs.chooseExportFolder(stage);
        if (folder.isEmpty()) {
            return;
        }
        List<Path> existing = new ArrayList<>();
        for (String name : Session.exportAllNames()) {
            Path p = folder.get().resolve(name);
            if (Files.exists(p)) {
                existing.add(p);
            }
        }
        if (!existing.isEmpty() && !dialogs.confirmOverwrite(stage, existing)) {
            return;
        }
        dialogs.chooseSize(stage, exportWidth, exportHeight).ifPresent(size -> {
            exportWidth = size[0];
            exportHeight = size[1];
            session.exportAll(folder.get(), size[0], size[1]);
        });
    }

    void exportCsv() {
        dialogs.chooseCsvFile(stage).ifPresent(session::exportCsv);
    }

    /** Larger fonts and thicker chart lines, for a projector. */
    public void setPresentation(boolean on) {
        if (on) {
            if (!root.getStyleClass().contains("presentation")) {
                root.getStyleClass().add("presentation");
            }
        } else {
            root.getStyleClass().remove("presentation");
        }
        session.charts().setPresentation(on);
        if (presentation.isSelected() != on) {
            presentation.setSelected(on);
        }
    }

    public boolean presentation() {
        return presentation.isSelected();
    }

    public TrainingPanel trainingPanel() {
        return trainingPanel;
    }

    public ControlBar controlBar() {
        return controlBar;
    }

    public Stage stage() {
        return stage;
    }
}
