package org.babysitter.app;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import org.babysitter.app.charts.ChartExport;
import org.babysitter.app.charts.ChartStyle;
import org.babysitter.app.charts.ImageFormat;
import org.babysitter.app.session.CheckReport;
import org.babysitter.app.session.DownloadChoice;
import org.babysitter.app.session.DownloadRequest;
import org.babysitter.engine.data.Download;
import org.babysitter.app.session.Notice;

/** The real dialogs: native file choosers, JavaFX alerts. */
public class FxDialogs implements Dialogs {
    /** The height a panel asks for (its view's, if larger), within the screen. */
    private static final double PANEL_HEIGHT = 640;
    private File lastDir;
    /** The format of the last chart exported: the next export's file chooser starts with it. */
    private ImageFormat lastImageFormat = ImageFormat.PNG;

    @Override
    public Optional<Path> chooseDataFile(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open CIFAR-10 (binary or python version)");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("CIFAR-10 archive or batch (*.tar.gz, *.tgz, *.bin)", "*.tar.gz", "*.tgz", "*.bin"),
                // the python version's batches have no extension
                new FileChooser.ExtensionFilter("CIFAR-10 python batch (data_batch_*, test_batch)", "data_batch_*", "test_batch"),
                new FileChooser.ExtensionFilter("All files", "*"));
        dir(fc);
        return remember(fc.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> chooseDataFolder(Window owner) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open the cifar-10-batches-bin or cifar-10-batches-py folder");
        if (lastDir != null && lastDir.isDirectory()) {
            dc.setInitialDirectory(lastDir);
        }
        File f = dc.showDialog(owner);
        if (f != null) {
            lastDir = f.getParentFile();
        }
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<DownloadChoice> chooseDownload(Window owner, DownloadRequest suggested) {
        Dialog<DownloadChoice> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Download CIFAR-10");
        d.setHeaderText("The official CIFAR-10 archive (60,000 images, about 170 MB), checked against its MD5 before use");
        ToggleGroup versions = new ToggleGroup();
        RadioButton binary = new RadioButton(String.format(Locale.ROOT, "Binary version: %s (%.1f MB)",
                Download.Archive.BINARY.name(), Download.Archive.BINARY.size() / 1e6));
        binary.setId("download-binary");
        RadioButton python = new RadioButton(String.format(Locale.ROOT, "Python version: %s (%.1f MB), the one cs231n's"
                + " assignments read", Download.Archive.PYTHON.name(), Download.Archive.PYTHON.size() / 1e6));
        python.setId("download-python");
        binary.setToggleGroup(versions);
        python.setToggleGroup(versions);
        boolean isPython = suggested.archive().name().equals(Download.Archive.PYTHON.name());
        (isPython ? python : binary).setSelected(true);

        TextField folder = new TextField(suggested.folder().toString());
        folder.setId("download-folder");
        folder.setPrefColumnCount(36);
        Button browse = new Button("Browse...");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("The folder to keep CIFAR-10 in");
            File start = new File(folder.getText().strip());
            while (start != null && !start.isDirectory()) {
                start = start.getParentFile();
            }
            if (start != null) {
                dc.setInitialDirectory(start);
            }
            File f = dc.showDialog(d.getDialogPane().getScene().getWindow());
            if (f != null) {
                folder.setText(f.getPath());
            }
        });
        TextField mirror = new TextField(suggested.mirror());
        mirror.setId("download-mirror");
        mirror.setTooltip(new Tooltip("A base URL the archive's name is appended to; the official site is "
                + Download.OFFICIAL_MIRROR + ". Whatever the mirror, the file is checked against the official MD5."));
        Label state = new Label();
        state.setId("download-state");
        state.setWrapText(true);
        state.setPrefWidth(560);
        state.setMinHeight(Region.USE_PREF_SIZE);

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.add(new VBox(4, binary, python), 0, 0, 3, 1);
        g.addRow(1, new Label("Folder"), folder, browse);
        g.addRow(2, new Label("Mirror"), mirror);
        GridPane.setColumnSpan(mirror, 2);
        g.add(state, 0, 3, 3, 1);
        d.getDialogPane().setContent(g);

        ButtonType download = new ButtonType("Download", ButtonBar.ButtonData.OK_DONE);
        ButtonType have = new ButtonType("Use a file I already have...", ButtonBar.ButtonData.LEFT);
        d.getDialogPane().getButtonTypes().addAll(download, have, ButtonType.CANCEL);
        Button go = (Button) d.getDialogPane().lookupButton(download);
        go.setId("download-go");

        // the request as the fields describe it, or why there is none; said under the fields as they change
        java.util.function.Supplier<DownloadRequest> request = () -> {
            Download.Archive archive = python.isSelected() ? Download.Archive.PYTHON : Download.Archive.BINARY;
            String f = folder.getText().strip();
            if (f.isEmpty()) {
                throw new IllegalArgumentException("Choose a folder to keep the archive in.");
            }
            return new DownloadRequest(archive, Path.of(f), mirror.getText());
        };
        Runnable check = () -> {
            try {
                DownloadRequest r = request.get();
                Path target = r.target();
                Path part = target.resolveSibling(target.getFileName() + ".part");
                if (Files.isRegularFile(target)) {
                    state.setText(target + " is there already: it is checked against the official MD5 and opened,"
                            + " not downloaded again.");
                } else if (Files.isRegularFile(part)) {
                    state.setText(String.format(Locale.ROOT, "%s holds %.1f MB of an earlier try: the download"
                            + " goes on from there.", part.getFileName(), sizeOf(part) / 1e6));
                } else {
                    state.setText("Downloaded into " + target + " (first as " + part.getFileName() + "; a download"
                            + " cut short goes on from where it stopped). Cancel keeps what has come.");
                }
                go.setDisable(false);
            } catch (RuntimeException e) {
                state.setText(e.getMessage());
                go.setDisable(true);
            }
        };
        versions.selectedToggleProperty().addListener((o, a, b) -> check.run());
        folder.textProperty().addListener((o, a, b) -> check.run());
        mirror.textProperty().addListener((o, a, b) -> check.run());
        check.run();
        d.setResultConverter(b -> b == download ? new DownloadChoice.Fetch(request.get())
                : b == have ? new DownloadChoice.UseFileIHave() : null);
        return d.showAndWait();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Override
    public Optional<Path> chooseWorkspaceFolder(Window owner, Path current) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Workspace: the folder of the run store (runs.db)");
        if (current != null && current.toFile().isDirectory()) {
            dc.setInitialDirectory(current.toFile());
        }
        return Optional.ofNullable(dc.showDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseImageFile(Window owner, String suggestedName) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export chart as PNG or SVG");
        FileChooser.ExtensionFilter png = filter(ImageFormat.PNG);
        FileChooser.ExtensionFilter svg = filter(ImageFormat.SVG);
        fc.getExtensionFilters().addAll(png, svg);
        fc.setSelectedExtensionFilter(lastImageFormat == ImageFormat.SVG ? svg : png);
        fc.setInitialFileName(suggestedName + "." + lastImageFormat.extension());
        dir(fc);
        Optional<Path> chosen = remember(fc.showSaveDialog(owner));
        if (chosen.isEmpty()) {
            return chosen;
        }
        Path p = chosen.get();
        Optional<ImageFormat> named = ImageFormat.of(p);
        if (named.isEmpty()) {
            // no extension of ours in the name: the filter chosen in the dialog says which
            ImageFormat byFilter = fc.getSelectedExtensionFilter() == svg ? ImageFormat.SVG : ImageFormat.PNG;
            p = byFilter.withExtension(p);
            named = Optional.of(byFilter);
            // the dialog confirmed replacing the name as typed, not this one
            if (Files.exists(p) && !confirmOverwrite(owner, List.of(p))) {
                return Optional.empty();
            }
        }
        lastImageFormat = named.get();
        return Optional.of(p);
    }

    private static FileChooser.ExtensionFilter filter(ImageFormat f) {
        return new FileChooser.ExtensionFilter(f.description() + " (*." + f.extension() + ")", "*." + f.extension());
    }

    @Override
    public Optional<Path> chooseSpecFile(Window owner, boolean save) {
        return chooseJson(owner, save, save ? "Save the search spec" : "Load a search spec", "search.json", "Search spec");
    }

    @Override
    public Optional<Path> chooseNetFile(Window owner, boolean save) {
        return chooseJson(owner, save, save ? "Save the net file" : "Open a net file", "net.json", "Net file");
    }

    /** A .json file to save (suggesting {@code name}) or open, in the last folder used. */
    private Optional<Path> chooseJson(Window owner, boolean save, String title, String name, String kind) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(save ? name : null);
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter(kind + " (*.json)", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        dir(fc);
        return remember(save ? fc.showSaveDialog(owner) : fc.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> chooseCsvFile(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export metrics as CSV");
        fc.setInitialFileName("metrics.csv");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        dir(fc);
        return remember(fc.showSaveDialog(owner));
    }

    @Override
    public Optional<Path> chooseTextFile(Window owner, String suggestedName) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export as text");
        fc.setInitialFileName(suggestedName);
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Text or markdown (*.txt, *.md)", "*.txt", "*.md"),
                new FileChooser.ExtensionFilter("All files", "*"));
        dir(fc);
        return remember(fc.showSaveDialog(owner));
    }

    @Override
    public Optional<Path> chooseExportFolder(Window owner) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Export all charts and metrics to a folder");
        if (lastDir != null && lastDir.isDirectory()) {
            dc.setInitialDirectory(lastDir);
        }
        return Optional.ofNullable(dc.showDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<int[]> chooseSize(Window owner, int width, int height) {
        Dialog<int[]> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Image size");
        d.setHeaderText("Size of the exported image, in pixels (for SVG, the size it is laid out at)");
        Spinner<Integer> w = new Spinner<>(ChartExport.MIN_SIZE, ChartExport.MAX_SIZE, width, 10);
        Spinner<Integer> h = new Spinner<>(ChartExport.MIN_SIZE, ChartExport.MAX_SIZE, height, 10);
        w.setEditable(true);
        h.setEditable(true);
        w.setId("export-width");
        h.setId("export-height");
        HBox presets = new HBox(6);
        for (int[] p : new int[][] {{1280, 720}, {1920, 1080}, {1024, 768}, {800, 600}}) {
            Button b = new Button(p[0] + " x " + p[1]);
            b.setOnAction(e -> {
                w.getValueFactory().setValue(p[0]);
                h.getValueFactory().setValue(p[1]);
            });
            presets.getChildren().add(b);
        }
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        g.addRow(0, new Label("Width"), w);
        g.addRow(1, new Label("Height"), h);
        g.add(presets, 0, 2, 2, 1);
        // what the size does to the drawing: text and lines grow with the image (ChartStyle.exportScale)
        Label scale = new Label();
        scale.setId("export-scale");
        Runnable showScale = () -> scale.setText(String.format(java.util.Locale.ROOT,
                "Text and lines drawn at %.1fx their normal size in the window.",
                ChartStyle.exportScale(w.getValue(), h.getValue())));
        w.valueProperty().addListener((o, a, b) -> showScale.run());
        h.valueProperty().addListener((o, a, b) -> showScale.run());
        showScale.run();
        g.add(scale, 0, 3, 2, 1);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> b == ButtonType.OK ? new int[] {w.getValue(), h.getValue()} : null);
        return d.showAndWait();
    }

    @Override
    public boolean confirmOverwrite(Window owner, List<Path> existing) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.initOwner(owner);
        a.setTitle("Replace files?");
        a.setHeaderText(existing.size() == 1 ? "This file exists already:" : existing.size() + " files exist already:");
        a.setContentText(existing.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "))
                + "\n\nReplace them?");
        return a.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    @Override
    public boolean confirm(Window owner, String title, String message, String action) {
        ButtonType go = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, message, go, ButtonType.CANCEL);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        a.getDialogPane().setId("confirm-dialog");
        // Cancel is the default: Enter or Escape keeps things as they are
        ((Button) a.getDialogPane().lookupButton(go)).setDefaultButton(false);
        ((Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return a.showAndWait().filter(b -> b == go).isPresent();
    }

    @Override
    public void show(Window owner, Notice notice) {
        Alert a = new Alert(notice.error() ? Alert.AlertType.ERROR : Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle(notice.title());
        a.setHeaderText(notice.title());
        a.setContentText(notice.message());
        // the text in a label of a set width that wraps: with the pane's own content text the window came up at
        // 200 x 200 on Linux window managers, cutting the message and hiding the OK button
        Label body = new Label(notice.message());
        body.setWrapText(true);
        body.setPrefWidth(520);
        body.setMinHeight(Region.USE_PREF_SIZE);
        body.setId("notice-text");
        a.getDialogPane().setContent(body);
        a.setResizable(true);
        a.getDialogPane().setId("notice-dialog");
        a.show();
    }

    @Override
    public void showReport(Window owner, CheckReport report) {
        Alert a = new Alert(report.passed() ? Alert.AlertType.INFORMATION : Alert.AlertType.WARNING);
        a.initOwner(owner);
        a.setTitle(report.title());
        a.setHeaderText(report.heading());
        // one scrollable table in monospace, sized to its longest line: no second scrollbar for the dialog; a gradient
        // check's rows coloured by the lecture's band
        javafx.scene.layout.VBox table = new javafx.scene.layout.VBox();
        for (int i = 0; i < report.lines().size(); i++) {
            Label line = new Label(report.lines().get(i));
            line.getStyleClass().add("mono");
            var band = report.band(i);
            if (band != null) {
                line.getStyleClass().add("band-" + band.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                line.setMaxWidth(Double.MAX_VALUE);
                line.setTooltip(new javafx.scene.control.Tooltip("The lecture's band: " + band.words() + " (" + band.range() + ")"));
            }
            table.getChildren().add(line);
        }
        table.setId("report-text");
        table.setMinWidth(Region.USE_PREF_SIZE);
        table.setPadding(new Insets(4));
        ScrollPane scroll = new ScrollPane(table);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(Math.min(480, 18 * (report.lines().size() + 1)));
        // the longest line's width in the table's font (the labels have no skin yet to measure themselves)
        javafx.scene.text.Text measure = new javafx.scene.text.Text(report.lines().stream()
                .max(java.util.Comparator.comparingInt(String::length)).orElse(""));
        measure.setFont(javafx.scene.text.Font.font("monospace", owner == null || owner.getScene() == null
                ? 12 : javafx.scene.text.Font.getDefault().getSize() * owner.getScene().getRoot().getStyleClass()
                        .stream().filter("presentation"::equals).findAny().map(p -> 1.5).orElse(1.0)));
        scroll.setPrefViewportWidth(Math.min(1100, measure.getLayoutBounds().getWidth() + 24));
        a.getDialogPane().setContent(scroll);
        a.setResizable(true);
        a.getDialogPane().setId("notice-dialog");
        a.show();
    }

    @Override
    public void showAbout(Window owner, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle("About Babysitter");
        a.setHeaderText("Babysitter: watch a net train, the lecture's way");
        Label body = new Label(text);
        body.setWrapText(true);
        body.setPrefWidth(620);
        body.setMinHeight(Region.USE_PREF_SIZE);
        a.getDialogPane().setContent(body);
        a.getDialogPane().setId("about-dialog");
        a.setResizable(true);
        a.show();
    }

    @Override
    public void showView(Window owner, String title, String header, javafx.scene.Node view) {
        viewDialog(owner, title, header, view).show();
    }

    @Override
    public void showPanel(Window owner, String title, String header, javafx.scene.Node view) {
        Alert a = viewDialog(owner, title, header, view);
        // a panel's rows and charts fill in after it opens: it is as large as its view will be, within the screen
        // (its preferred size before it is styled would be too small)
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        ScrollPane scroll = (ScrollPane) a.getDialogPane().getContent();
        scroll.setPrefViewportHeight(Math.min(screen.getHeight() - 220, Math.max(view.prefHeight(-1), PANEL_HEIGHT)));
        scroll.setPrefViewportWidth(Math.min(screen.getWidth() - 60, view.prefWidth(-1) + 20));
        scroll.setFitToWidth(true); // a panel made wider uses the width (its tables and charts grow), down to its minimum
        a.initModality(javafx.stage.Modality.NONE);
        a.getDialogPane().setId("panel-dialog");
        Button close = (Button) a.getDialogPane().lookupButton(ButtonType.OK);
        close.setText("Close");
        close.setDefaultButton(false); // Enter is the panel's own (the wizard's Run), never a close by accident
        a.show();
    }

    /** A dialog showing {@code view}, scrolled when it is larger than a screenful. */
    private static Alert viewDialog(Window owner, String title, String header, javafx.scene.Node view) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(header);
        a.setGraphic(null);
        // styled first, so that its labels' text counts in its size (unstyled, a label has no height yet)
        new javafx.scene.Scene(new javafx.scene.Group(view));
        view.applyCss();
        ScrollPane scroll = new ScrollPane(view);
        // at most a screenful: a long view scrolls, and the dialog's button stays on the screen
        scroll.setPrefViewportHeight(Math.min(600, view.prefHeight(-1)));
        scroll.setPrefViewportWidth(Math.min(1240, view.prefWidth(-1)));
        a.getDialogPane().setContent(scroll);
        a.getDialogPane().setId("view-dialog");
        a.setResizable(true);
        return a;
    }

    @Override
    public void showHelp(Window owner, String title, String header, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(header);
        Label body = new Label(text);
        body.setWrapText(true);
        body.setPrefWidth(760);
        body.setMinHeight(Region.USE_PREF_SIZE);
        ScrollPane scroll = new ScrollPane(body);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(460); // the text's height is known only after layout: a page, scrolled
        a.getDialogPane().setContent(scroll);
        a.getDialogPane().setId("help-dialog");
        a.setResizable(true);
        a.show();
    }

    private void dir(FileChooser fc) {
        if (lastDir != null && lastDir.isDirectory()) {
            fc.setInitialDirectory(lastDir);
        }
    }

    private Optional<Path> remember(File f) {
        if (f != null) {
            lastDir = f.getParentFile();
        }
        return Optional.ofNullable(f).map(File::toPath);
    }
}
