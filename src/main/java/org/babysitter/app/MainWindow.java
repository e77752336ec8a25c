package org.babysitter.app;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.prefs.Preferences;

import javafx.beans.binding.Bindings;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
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
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

import org.babysitter.app.charts.ChartExports;
import org.babysitter.app.charts.ChartKind;
import org.babysitter.app.charts.ChartsPane;
import org.babysitter.app.charts.ImageFormat;
import org.babysitter.app.charts.InitLessonView;
import org.babysitter.app.charts.InsideCharts;
import org.babysitter.app.charts.RunCharts;
import org.babysitter.app.charts.StepSweepChart;
import org.babysitter.app.panels.AssistantPanel;
import org.babysitter.app.panels.ConfusionView;
import org.babysitter.app.panels.ControlBar;
import org.babysitter.app.panels.DataPanel;
import org.babysitter.app.panels.FirstLayerView;
import org.babysitter.app.panels.ModelPanel;
import org.babysitter.app.panels.RunsView;
import org.babysitter.app.panels.SanityWizardView;
import org.babysitter.app.panels.SearchView;
import org.babysitter.app.panels.JoinSearchView;
import org.babysitter.app.panels.StatusBar;
import org.babysitter.app.panels.TrainingPanel;
import org.babysitter.app.session.DownloadChoice;
import org.babysitter.app.session.DownloadRequest;
import org.babysitter.engine.data.Download;
import org.babysitter.app.session.RunState;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.diagnosis.Rule;
import org.babysitter.engine.gradcheck.StepSweep;
import org.babysitter.engine.metrics.RunEvaluation;

/**
 * The main window: menus, the panels on the left, the charts in the middle, the status bar below; keyboard shortcuts
 * (Space start/pause, F10 step, Ctrl+O open, Ctrl+E export, Ctrl+R runs, F5 presentation mode) and drag and drop of CIFAR-10
 * files. It opens at its last size and place (or 1280 x 800 on the primary screen), never smaller than
 * {@value #MIN_WIDTH} x {@value #MIN_HEIGHT}; Reset and closing during a run ask first.
 */
public final class MainWindow {
    static final double MIN_WIDTH = 960;
    static final double MIN_HEIGHT = 640;
    static final double DEFAULT_WIDTH = 1280;
    static final double DEFAULT_HEIGHT = 800;

    private final Stage stage;
    private final Workbench workbench;
    private final Dialogs dialogs;
    private final Preferences placement;
    private final BorderPane root = new BorderPane();
    private final RunCharts charts;
    private final ChartExports exports;
    private final ChartsPane chartsPane;
    private final TrainingPanel trainingPanel;
    private final ControlBar controlBar;
    private final InsideCharts inside;
    private final CheckMenuItem presentation = new CheckMenuItem("Presentation mode");
    private SanityWizardView wizardView;
    private SearchView searchView;
    private JoinSearchView joinView;
    private RunsView runsView;
    private int exportWidth = 1280;
    private int exportHeight = 720;

    /**
     * @param placement where the window's size and place are remembered between starts (null: nowhere)
     */
    public MainWindow(Stage stage, Workbench workbench, Dialogs dialogs, Preferences placement) {
        this.stage = stage;
        this.workbench = workbench;
        this.dialogs = dialogs;
        this.placement = placement;
        charts = new RunCharts(workbench.pump());
        workbench.run().addObserver(charts);
        // stored runs compared (View > Runs...): drawn beside the live run's lines until removed
        workbench.runs().compared().addListener((javafx.collections.ListChangeListener<org.babysitter.app.session.ComparedRun>)
                c -> charts.setCompared(workbench.runs().compared()));
        inside = new InsideCharts(workbench.pump(), workbench.run().view().layerSamples());
        exports = new ChartExports(charts, workbench.run(), workbench.jobs(), workbench.noticeProperty()::set,
                workbench.statusProperty()::set);
        trainingPanel = new TrainingPanel(workbench);
        controlBar = new ControlBar(workbench, this::reset);
        chartsPane = new ChartsPane(charts, this::exportChart, f -> exportAll(f));

        VBox panels = new VBox(4, new DataPanel(workbench, this::openFile, this::openFolder, this::download).node(),
                new ModelPanel(workbench, dialogs::chooseNetFile).node(), trainingPanel.node());
        ScrollPane left = new ScrollPane(panels);
        left.setFitToWidth(true);
        left.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        left.setMinWidth(330);
        left.setPrefWidth(370);

        Label banner = new Label();
        banner.setId("run-message");
        banner.setWrapText(true);
        banner.setMaxWidth(Double.MAX_VALUE);
        var run = workbench.run().view();
        banner.textProperty().bind(run.messageProperty());
        banner.visibleProperty().bind(run.messageProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        javafx.beans.InvalidationListener style = o -> {
            RunState b = run.stateProperty().get();
            banner.getStyleClass().removeAll("banner-error", "banner-info");
            banner.getStyleClass().add(b == RunState.DIVERGED || b == RunState.FAILED || run.rewoundProperty().get() != null
                    ? "banner-error" : "banner-info");
        };
        run.stateProperty().addListener(style);
        run.rewoundProperty().addListener(style);
        banner.getStyleClass().add("banner-info");
        AssistantPanel assistant = new AssistantPanel(workbench);
        charts.setOnFindingClicked(assistant::select);
        SplitPane chartsAndAssistant = new SplitPane(chartsPane.node(), assistant.node());
        chartsAndAssistant.setOrientation(javafx.geometry.Orientation.VERTICAL);
        chartsAndAssistant.setDividerPositions(0.8);
        BorderPane center = new BorderPane(chartsAndAssistant);
        center.setTop(new VBox(controlBar.node(), banner));

        SplitPane split = new SplitPane(left, center);
        split.setDividerPositions(0.29);
        SplitPane.setResizableWithParent(left, false);
        root.setTop(menus());
        root.setCenter(split);
        root.setBottom(new StatusBar(workbench).node());
        root.setId("main-window");

        Scene scene = new Scene(root, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        scene.getStylesheets().add(MainWindow.class.getResource("babysitter.css").toExternalForm());
        installKeys(scene);
        installDragAndDrop(scene);
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.createStringBinding(() -> "Babysitter" + (workbench.data().view().sourceProperty().get().isEmpty()
                ? "" : " - " + shortSource(workbench.data().view().sourceProperty().get())), workbench.data().view().sourceProperty()));
        workbench.noticeProperty().addListener((o, a, n) -> {
            if (n != null) {
                dialogs.show(stage, n);
            }
        });
        workbench.checks().stepSweepProperty().addListener((o, a, r) -> {
            if (r != null) {
                showStepSweep(r);
            }
        });
        workbench.checks().initLessonProperty().addListener((o, a, r) -> {
            if (r != null) {
                dialogs.showView(stage, "Weight-initialisation lesson", "A 10-layer tanh net, 500 units per layer, on unit-gaussian"
                        + " inputs: each layer's activations over [-1, 1] for three weight inits", InitLessonView.of(r));
            }
        });
        workbench.checks().reportProperty().addListener((o, a, r) -> {
            if (r != null) {
                dialogs.showReport(stage, r);
            }
        });
        place();
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> keepSizeOnceShown());
        stage.addEventHandler(WindowEvent.WINDOW_CLOSE_REQUEST, e -> {
            if (workbench.run().view().stateProperty().get().active() && !dialogs.confirm(stage, "Stop the run and quit?",
                    workbench.runs().openProperty().get()
                            ? "A run is training. Quitting stops it; the run store keeps it, stopped (View > Runs... reopens it)."
                            : "A run is training. Quitting stops it; what it has drawn is not kept (no run store is open).",
                    "Stop and quit")) {
                e.consume();
                return;
            }
            remember();
        });
    }

    private static String shortSource(String s) {
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        return slash >= 0 ? s.substring(slash + 1) : s;
    }

    /**
     * Sizes and places the stage explicitly (under a window manager on Linux, JavaFX 21 otherwise opens it at
     * 200 x 200): the remembered size and place if they still fit a screen, else the default size centred on the
     * primary screen, within that screen's visible bounds.
     */
    private void place() {
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double w = Math.max(MIN_WIDTH, Math.min(DEFAULT_WIDTH, screen.getWidth()));
        double h = Math.max(MIN_HEIGHT, Math.min(DEFAULT_HEIGHT, screen.getHeight()));
        double x = screen.getMinX() + (screen.getWidth() - w) / 2;
        double y = screen.getMinY() + (screen.getHeight() - h) / 2;
        if (placement != null) {
            double pw = placement.getDouble("width", -1);
            double ph = placement.getDouble("height", -1);
            double px = placement.getDouble("x", Double.NaN);
            double py = placement.getDouble("y", Double.NaN);
            if (pw >= MIN_WIDTH && ph >= MIN_HEIGHT && !Screen.getScreensForRectangle(px, py, pw, ph).isEmpty()) {
                w = pw;
                h = ph;
                x = px;
                y = py;
            }
        }
        stage.setWidth(w);
        stage.setHeight(h);
        stage.setX(x);
        stage.setY(y);
        if (placement != null && placement.getBoolean("maximized", false)) {
            stage.setMaximized(true);
        }
    }

    /**
     * Under a window manager on Linux, JavaFX 21 lets the manager shrink a window sized before it was shown (to its
     * minimum, or to 200 x 200 without one). For the first seconds after it shows, a size smaller than the one asked
     * for is put back; after that the user's own resizing is left alone.
     */
    private void keepSizeOnceShown() {
        double w = stage.getWidth();
        double h = stage.getHeight();
        javafx.beans.InvalidationListener restore = o -> {
            if (!stage.isMaximized() && (stage.getWidth() < w - 1 || stage.getHeight() < h - 1)) {
                javafx.application.Platform.runLater(() -> {
                    stage.setWidth(w);
                    stage.setHeight(h);
                });
            }
        };
        stage.widthProperty().addListener(restore);
        stage.heightProperty().addListener(restore);
        restore.invalidated(null);
        javafx.animation.PauseTransition settle = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(2));
        settle.setOnFinished(e -> {
            stage.widthProperty().removeListener(restore);
            stage.heightProperty().removeListener(restore);
        });
        settle.play();
    }

    /** Remembers the window's size and place for the next start. */
    private void remember() {
        if (placement == null) {
            return;
        }
        placement.putBoolean("maximized", stage.isMaximized());
        if (!stage.isMaximized() && !stage.isIconified()) {
            placement.putDouble("x", stage.getX());
            placement.putDouble("y", stage.getY());
            placement.putDouble("width", stage.getWidth());
            placement.putDouble("height", stage.getHeight());
        }
        try {
            placement.flush();
        } catch (java.util.prefs.BackingStoreException e) {
            // not remembering the window's place is no reason to keep it from closing
        }
    }

    private MenuBar menus() {
        MenuItem openFile = item("Open CIFAR-10 archive or batch...", "menu-open", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::openFile);
        MenuItem openFolder = item("Open CIFAR-10 folder...", "menu-open-folder",
                new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::openFolder);
        MenuItem download = item("Download CIFAR-10...", "menu-download", null, this::download);
        MenuItem builtIn = item("Use built-in data", "menu-builtin", null, workbench.data()::loadBuiltIn);
        var active = Bindings.createBooleanBinding(() -> workbench.run().view().stateProperty().get().active(),
                workbench.run().view().stateProperty());
        for (MenuItem m : new MenuItem[] {openFile, openFolder, download, builtIn}) {
            m.disableProperty().bind(active.or(workbench.data().view().loadingProperty()));
        }
        MenuItem exportLoss = item("Export loss chart...", "menu-export", new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN),
                () -> exportChart(ChartKind.LOSS));
        MenuItem exportAcc = item("Export accuracy chart...", "menu-export-accuracy", null, () -> exportChart(ChartKind.ACCURACY));
        MenuItem exportRatio = item("Export update-ratio chart...", "menu-export-ratios", null, () -> exportChart(ChartKind.UPDATE_RATIOS));
        MenuItem exportAll = item("Export all charts as PNG...", "menu-export-all",
                new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::exportAll);
        MenuItem exportAllSvg = item("Export all charts as SVG...", "menu-export-all-svg", null,
                () -> exportAll(ImageFormat.SVG));
        MenuItem exportCsv = item("Export metrics as CSV...", "menu-export-csv", null, this::exportCsv);
        MenuItem workspace = item("Workspace...", "menu-workspace", null, this::chooseWorkspace);
        workspace.disableProperty().bind(active);
        MenuItem quit = item("Quit", "menu-quit", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN),
                () -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        Menu file = new Menu("File", null, openFile, openFolder, download, builtIn, new SeparatorMenuItem(), exportLoss, exportAcc, exportRatio,
                exportAll, exportAllSvg, exportCsv, new SeparatorMenuItem(), workspace, new SeparatorMenuItem(), quit);

        var r = workbench.run();
        MenuItem start = item("Start / Pause / Resume\tSpace", "menu-start", null, r::togglePause);
        MenuItem step = item("Step one iteration", "menu-step", new KeyCodeCombination(KeyCode.F10), r::step);
        MenuItem stop = item("Stop", "menu-stop", null, r::stop);
        MenuItem reset = item("Reset", "menu-reset", null, this::reset);
        MenuItem undo = item("Undo reset", "menu-undo-reset", new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN),
                r::undoReset);
        CheckMenuItem rewind = new CheckMenuItem("Pause at a break (back to the last good state)");
        rewind.setId("menu-rewind");
        rewind.selectedProperty().bindBidirectional(r.rewindOnBreakProperty());
        MenuItem fork = item("Fork here (a new run from this iteration, with the lr and reg set while paused)", "menu-fork",
                new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), r::fork);
        fork.disableProperty().bind(r.view().stateProperty().isNotEqualTo(RunState.PAUSED));
        MenuItem continueOriginal = item("Continue the original", "menu-continue-original", null, r::continueOriginal);
        continueOriginal.textProperty().bind(javafx.beans.binding.Bindings.when(r.continueOriginalProperty().isEmpty())
                .then("Continue the original (after a fork)").otherwise(r.continueOriginalProperty()));
        continueOriginal.disableProperty().bind(r.continueOriginalProperty().isEmpty().or(javafx.beans.binding.Bindings
                .createBooleanBinding(() -> r.view().stateProperty().get().active(), r.view().stateProperty())));
        Menu runMenu = new Menu("Run", null, start, step, stop, new SeparatorMenuItem(), fork, continueOriginal,
                new SeparatorMenuItem(), rewind, new SeparatorMenuItem(), reset, undo);
        runMenu.setOnShowing(e -> undo.setDisable(!r.canUndoReset()));

        MenuItem wizard = item("Sanity-check wizard...", "menu-wizard", null, this::showWizard);
        MenuItem gradcheck = item("Gradient check", "menu-gradcheck", null, workbench.checks()::runGradientCheck);
        MenuItem hSweep = item("Gradient check against h (1e-1 .. 1e-10)", "menu-h-sweep", null, workbench.checks()::runStepSweep);
        MenuItem lesson = item("Weight-initialisation lesson (10-layer tanh net)...", "menu-init-lesson", null,
                workbench.checks()::runInitLesson);
        MenuItem searchItem = item("Hyperparameter search...", "menu-search", null, this::showSearch);
        MenuItem joinItem = item("Join a search across machines...", "menu-join", null, this::showJoin);
        Menu checks = new Menu("Checks", null, wizard, gradcheck, hSweep, new SeparatorMenuItem(), lesson, new SeparatorMenuItem(),
                searchItem, joinItem);

        presentation.setAccelerator(new KeyCodeCombination(KeyCode.F5));
        presentation.setId("menu-presentation");
        presentation.selectedProperty().addListener((o, a, b) -> setPresentation(b));
        CheckMenuItem log = new CheckMenuItem("Log loss axis");
        log.selectedProperty().bindBidirectional(chartsPane.logToggle().selectedProperty());
        MenuItem classes = item("Per-class accuracy...", "menu-classes", null, this::showClasses);
        classes.disableProperty().bind(workbench.run().view().evaluationProperty().isNull());
        MenuItem filters = item("First-layer weights...", "menu-first-layer", null, this::showFirstLayer);
        filters.disableProperty().bind(workbench.run().view().evaluationProperty().isNull());
        MenuItem insideNet = item("Inside the net...", "menu-inside", null, this::showInside);
        MenuItem runsPanel = item("Runs...", "menu-runs", new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN),
                this::showRuns);
        Menu view = new Menu("View", null, runsPanel, new SeparatorMenuItem(), presentation, log, insideNet, classes, filters);

        MenuItem about = item("About Babysitter", "menu-about", null, () -> dialogs.showAbout(stage, String.join("\n",
                "Babysitter trains a net on CIFAR-10 and shows what the cs231n lecture \"Training Neural Networks\" says to"
                        + " watch.",
                "",
                "Loss: too high a learning rate explodes (NaN, or above 3x the first loss, ends the run); too low is"
                        + " linear-ish; a good one decays fast, then flattens.",
                "Train / val accuracy: a big gap means overfitting (more reg, dropout, data); no gap means more capacity.",
                "Update / weight ratio per layer: about 1e-3; the green band is 1e-4 .. 1e-2.",
                "Sanity checks: the initial loss is ln(C) with reg 0; more reg raises it; 20 images overfit to 100%.",
                "",
                "Presets (Training panel): the workbench's defaults run momentum 0.9; the lecture's trainer ran"
                        + " update='momentum' with momentum 0 (the 2015 default), whose learning rates diverge under 0.9"
                        + " (CLI: --preset lecture). Both: lr decay 0.95, batch 100, batches sampled with replacement;"
                        + " Batching 'full' is the lecture's sample_batches=False.",
                "",
                "Keys: Space start / pause / resume, F10 step, Ctrl+K fork the paused run, Ctrl+O open, Ctrl+E export the"
                        + " loss chart, Ctrl+Shift+E export all, Ctrl+Z undo reset, Ctrl+R the runs panel, F5 presentation mode.",
                "Workspace (the run store, File > Workspace... changes it): " + (workbench.runs().workspaceProperty().get() == null
                        ? "none open" : workbench.runs().workspaceProperty().get()),
                "Application data (the default workspace; downloads in its data folder): "
                        + org.babysitter.engine.io.AppFolders.home(),
                "Matrix products: " + workbench.gemmChoiceProperty().get(),
                "Convolutions (single precision): " + workbench.convolutions())));
        MenuItem rules = item("Assistant's rules", "menu-assistant-rules", null, () -> dialogs.showHelp(stage,
                "The assistant's rules", "What the assistant watches, when each rule fires, and where its threshold comes from",
                "Each rule fires once per subject in a run, where it first holds: a warning says something is wrong (a marker"
                        + " on the chart it reads), a note explains. The lecture's numbers first; where it gives none, DL4J's"
                        + " training guide, SageMaker Debugger's built-in rules and AUTOTRAINER, calibrated on the labelled suite"
                        + " (babysitter diagnose).\n\n" + Rule.table()));
        Menu help = new Menu("Help", null, rules, about);
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

    /** Space starts, pauses and resumes, except while typing; it never also presses the focused control. */
    private void installKeys(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.SPACE && !(scene.getFocusOwner() instanceof TextInputControl)
                    && !e.isShortcutDown() && !e.isAltDown()) {
                e.consume();
                workbench.run().togglePause();
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
                workbench.data().open(files.get(0).toPath());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** Reset: asks first while a run is active (it cannot be continued after); otherwise Undo reset brings it back. */
    void reset() {
        if (workbench.run().view().stateProperty().get().active() && !dialogs.confirm(stage, "Stop the run and clear it?",
                "A run is training. Reset stops it and clears the charts (Run > Undo reset shows them again, stopped).",
                "Stop and reset")) {
            return;
        }
        workbench.run().reset();
    }

    void openFile() {
        dialogs.chooseDataFile(stage).ifPresent(workbench.data()::open);
    }

    void openFolder() {
        dialogs.chooseDataFolder(stage).ifPresent(workbench.data()::open);
    }

    /**
     * File > Download CIFAR-10...: the archive, folder and mirror chosen last time are offered again (remembered
     * with the window's place); "Use a file I already have" opens the file chooser instead.
     */
    void download() {
        DownloadRequest suggested = rememberedDownload();
        dialogs.chooseDownload(stage, suggested).ifPresent(choice -> {
            if (choice instanceof DownloadChoice.Fetch f) {
                rememberDownload(f.request());
                workbench.data().download(f.request());
            } else { // DownloadChoice.UseFileIHave
                openFile();
            }
        });
    }

    private DownloadRequest rememberedDownload() {
        DownloadRequest d = DownloadRequest.defaults();
        if (placement == null) {
            return d;
        }
        Preferences p = placement.parent().node("download");
        try {
            Download.Archive archive = Download.Archive.PYTHON.name().equals(p.get("archive", ""))
                    ? Download.Archive.PYTHON : Download.Archive.BINARY;
            return new DownloadRequest(archive, Path.of(p.get("folder", d.folder().toString())), p.get("mirror", d.mirror()));
        } catch (RuntimeException e) { // a remembered value that is no longer valid: the defaults
            return d;
        }
    }

    private void rememberDownload(DownloadRequest r) {
        if (placement != null) {
            Preferences p = placement.parent().node("download");
            p.put("archive", r.archive().name());
            p.put("folder", r.folder().toAbsolutePath().toString());
            p.put("mirror", r.mirror());
        }
    }

    void exportChart(ChartKind kind) {
        Optional<Path> file = dialogs.chooseImageFile(stage, kind.fileName());
        if (file.isEmpty()) {
            return;
        }
        dialogs.chooseSize(stage, exportWidth, exportHeight).ifPresent(size -> {
            exportWidth = size[0];
            exportHeight = size[1];
            exports.exportChart(kind, file.get(), size[0], size[1]);
        });
    }

    /** All charts as PNG, and metrics.csv, into a folder. */
    void exportAll() {
        exportAll(ImageFormat.PNG);
    }

    /** All charts in {@code format}, and metrics.csv, into a folder. */
    void exportAll(ImageFormat format) {
        Optional<Path> folder = dialogs.chooseExportFolder(stage);
        if (folder.isEmpty()) {
            return;
        }
        List<Path> existing = new ArrayList<>();
        for (String name : ChartExports.exportAllNames(format)) {
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
            exports.exportAll(folder.get(), size[0], size[1], format);
        });
    }

    void exportCsv() {
        dialogs.chooseCsvFile(stage).ifPresent(exports::exportCsv);
    }

    /** The error-against-h plots of the weight tensors, and every tensor's table. */
    private void showStepSweep(List<StepSweep> sweeps) {
        VBox box = new VBox(8);
        box.setId("h-sweep");
        HBox charts = new HBox(8);
        sweeps.stream().filter(s -> s.tensor().startsWith("W")).limit(2).forEach(s -> charts.getChildren().add(StepSweepChart.view(s)));
        box.getChildren().add(charts);
        Label lines = new Label(String.join("\n", sweeps.stream().flatMap(s -> s.lines().stream()).toList()));
        lines.setStyle("-fx-font-family: monospace;");
        box.getChildren().add(lines);
        dialogs.showView(stage, "Gradient check against h", "The largest relative error over the sampled entries away from"
                + " kinks, reg 0: slopes 1, 2 and 4 while truncation rules, then round-off", box);
    }

    /**
     * The sanity-check wizard beside the window: its steps as they would run now, Run to run them. One panel: asked for
     * again while it is open, it comes to the front.
     */
    void showWizard() {
        if (wizardView == null) {
            wizardView = new SanityWizardView(workbench, owner -> dialogs.chooseTextFile(owner, "sanity-checks.md"));
            wizardView.setPresentation(presentation());
        }
        Node node = wizardView.node();
        if (toFrontIfShown(node)) {
            return;
        }
        workbench.checks().planWizard();
        dialogs.showPanel(stage, "Sanity-check wizard", "The lecture's checks before training, step by step, with the"
                + " configured net and trainer on the loaded data", node);
        wizardView.focusRun();
    }

    /** Brings the panel window showing {@code node} to the front: true if one shows it (a panel is opened once). */
    private static boolean toFrontIfShown(Node node) {
        if (node.getScene() != null && node.getScene().getWindow() != null && node.getScene().getWindow().isShowing()) {
            if (node.getScene().getWindow() instanceof Stage s) {
                s.toFront();
            }
            return true;
        }
        return false;
    }

    /**
     * The search command center beside the window (Checks > Hyperparameter search...); asked for again while it is
     * open, it comes to the front.
     */
    void showSearch() {
        if (searchView == null) {
            searchView = new SearchView(workbench, dialogs::chooseCsvFile, dialogs::chooseSpecFile);
            searchView.installExports(dialogs::chooseImageFile);
        }
        workbench.search().listRecorded(); // an unfinished recorded search is offered
        Node node = searchView.node();
        if (toFrontIfShown(node)) {
            return;
        }
        dialogs.showPanel(stage, "Hyperparameter search", "The lecture's command center: random (or grid) trials over"
                + " the ranges of lr and reg (and of a loaded spec) on the loaded data, the configured net and trainer otherwise;"
                + " recorded in the workspace", node);
    }

    /**
     * "Join a search...": this machine as a worker of a search across machines, on the loaded data; asked for again
     * while it is open, it comes to the front.
     */
    void showJoin() {
        if (joinView == null) {
            joinView = new JoinSearchView(workbench.join(), placement == null ? null : placement.parent().node("join"));
        }
        joinView.refresh();
        Node node = joinView.node();
        if (toFrontIfShown(node)) {
            return;
        }
        dialogs.showPanel(stage, "Join a search across machines", "This machine runs trials of a search another machine"
                + " owns (babysitter search --cluster), as babysitter worker does", node);
    }

    /** The search panel, once shown (tests). */
    public SearchView searchView() {
        return searchView;
    }

    /** File > Workspace...: another folder for the run store (not while a run trains: it is recorded in this one). */
    void chooseWorkspace() {
        dialogs.chooseWorkspaceFolder(stage, workbench.runs().workspaceProperty().get()).ifPresent(workbench.runs()::open);
    }

    /**
     * The runs panel beside the window: the store's runs, listed afresh; asked for again while it is open, it comes to
     * the front.
     */
    void showRuns() {
        if (runsView == null) {
            runsView = new RunsView(workbench, dialogs::chooseExportFolder, charts::comparedColour);
        }
        workbench.runs().refresh();
        Node node = runsView.node();
        if (toFrontIfShown(node)) {
            return;
        }
        dialogs.showPanel(stage, "Runs", "The runs recorded in the workspace: select one to name, tag, note, reopen,"
                + " export or delete it; select several to compare them on the charts", node);
    }

    /** The runs panel, once shown (tests). */
    public RunsView runsView() {
        return runsView;
    }

    /** Inside the net: the run's layer samples over time and the latest histograms, live while the run trains. */
    void showInside() {
        inside.refresh();
        dialogs.showView(stage, "Inside the net", "Per hidden layer over time, and the histograms of the latest sample",
                inside.node());
    }

    /** The live view behind View > Inside the net (tests). */
    public InsideCharts inside() {
        return inside;
    }

    /** The last run's kept parameters per class: validation confusion matrix and test accuracy (after a run ends). */
    void showClasses() {
        RunEvaluation e = workbench.run().view().evaluationProperty().get();
        if (e != null) {
            dialogs.showView(stage, "Per-class accuracy", "What the run kept, class by class", ConfusionView.of(e));
        }
    }

    /** The last run's kept first-layer weights as pictures (after a run ends). */
    void showFirstLayer() {
        RunEvaluation e = workbench.run().view().evaluationProperty().get();
        if (e != null) {
            dialogs.showView(stage, "First-layer weights", "What the first layer learned", FirstLayerView.of(e));
        }
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
        charts.setPresentation(on);
        if (wizardView != null) {
            wizardView.setPresentation(on);
        }
        if (presentation.isSelected() != on) {
            presentation.setSelected(on);
        }
    }

    public boolean presentation() {
        return presentation.isSelected();
    }

    public RunCharts charts() {
        return charts;
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
