package org.babysitter.app;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import org.babysitter.app.charts.ChartExport;
import org.babysitter.app.session.Notice;

/** The real dialogs: native file choosers, JavaFX alerts. */
public class FxDialogs implements Dialogs {
    private File lastDir;

    @Override
    public Optional<Path> chooseDataFile(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open CIFAR-10 (binary version)");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("CIFAR-10 archive or batch (*.tar.gz, *.tgz, *.bin)", "*.tar.gz", "*.tgz", "*.bin"),
                new FileChooser.ExtensionFilter("All files", "*"));
        dir(fc);
        return remember(fc.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> chooseDataFolder(Window owner) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open the cifar-10-batches-bin folder");
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
    public Optional<Path> choosePngFile(Window owner, String suggestedName) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export chart as PNG");
        fc.setInitialFileName(suggestedName + ".png");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        dir(fc);
        return remember(fc.showSaveDialog(owner)).map(p -> p.toString().toLowerCase().endsWith(".png") ? p
                : p.resolveSibling(p.getFileName() + ".png"));
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
        d.setHeaderText("Size of the exported image, in pixels");
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
    public void show(Window owner, Notice notice) {
        Alert a = new Alert(notice.error() ? Alert.AlertType.ERROR : Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle(notice.title());
        a.setHeaderText(notice.title());
        if (notice.error()) {
            a.setContentText(notice.message());
            a.getDialogPane().setMinWidth(480);
        } else {
            TextArea text = new TextArea(notice.message());
            text.setEditable(false);
            text.getStyleClass().add("mono");
            text.setPrefColumnCount(100);
            text.setPrefRowCount(Math.min(24, notice.message().split("\n").length + 1));
            a.getDialogPane().setContent(text);
            a.setResizable(true);
        }
        a.getDialogPane().setId("notice-dialog");
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
