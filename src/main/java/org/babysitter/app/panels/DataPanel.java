package org.babysitter.app.panels;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.Priority;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;

import org.babysitter.app.session.DataViewModel;
import org.babysitter.app.session.DataController;
import org.babysitter.app.session.Workbench;
import org.babysitter.engine.preprocess.Preprocessing;

/** The data set: source, split, classes, one sample per class, the mean image; opening, loading progress, preprocessing. */
public final class DataPanel {
    private final TitledPane pane;

    /**
     * @param openFile   opens the chooser for an archive or batch
     * @param openFolder opens the chooser for a folder
     * @param download   opens the download dialog
     */
    public DataPanel(Workbench workbench, Runnable openFile, Runnable openFolder, Runnable download) {
        DataController data = workbench.data();
        DataViewModel vm = data.view();
        var state = workbench.run().view().stateProperty();
        var active = Bindings.createBooleanBinding(() -> state.get().active(), state);
        Label source = new Label();
        source.setId("data-source");
        source.textProperty().bind(vm.sourceProperty());
        source.setWrapText(true);
        source.getStyleClass().add("data-source");
        Label split = new Label();
        split.setId("data-split");
        split.textProperty().bind(vm.splitProperty());
        split.setWrapText(true);
        Label classes = new Label();
        classes.textProperty().bind(vm.classesProperty());
        classes.setWrapText(true);
        classes.getStyleClass().add("small");

        TilePane samples = new TilePane(4, 4);
        samples.setId("data-samples");
        samples.setPrefColumns(5);
        samples.setPrefTileWidth(58);
        vm.samples().addListener((javafx.collections.ListChangeListener<DataViewModel.Sample>) c -> {
            samples.getChildren().clear();
            for (DataViewModel.Sample s : vm.samples()) {
                ImageView iv = new ImageView(s.image());
                iv.setFitWidth(48);
                iv.setFitHeight(48);
                iv.setSmooth(false);
                Label l = new Label(s.label());
                l.getStyleClass().add("sample-label");
                l.setMaxWidth(56);
                VBox box = new VBox(1, iv, l);
                box.setAlignment(Pos.CENTER);
                Tooltip.install(box, new Tooltip(s.label()));
                samples.getChildren().add(box);
            }
        });
        ImageView mean = new ImageView();
        mean.setId("data-mean-image");
        mean.imageProperty().bind(vm.meanImageProperty());
        mean.setFitWidth(72);
        mean.setFitHeight(72);
        mean.setSmooth(false);
        Label meanLabel = new Label("mean image\n(training split)");
        meanLabel.getStyleClass().add("small");
        HBox meanBox = new HBox(8, mean, new VBox(2, split, meanLabel));
        meanBox.setAlignment(Pos.CENTER_LEFT);

        Button open = new Button("Open CIFAR-10...");
        open.setId("open-data");
        open.setOnAction(e -> openFile.run());
        open.setTooltip(new Tooltip("The official cifar-10-binary.tar.gz or a .bin batch (Ctrl+O); a folder: Ctrl+Shift+O; or drop either on the window"));
        Button folder = new Button("Folder...");
        folder.setId("open-folder");
        folder.setOnAction(e -> openFolder.run());
        folder.setTooltip(new Tooltip("The cifar-10-batches-bin or cifar-10-batches-py folder, or the folder holding it (Ctrl+Shift+O)"));
        Button fetch = new Button("Download...");
        fetch.setId("download-data");
        fetch.setOnAction(e -> download.run());
        fetch.setTooltip(new Tooltip("Download the official CIFAR-10 (binary or python version, 170 MB), checked by its MD5"));
        Button builtIn = new Button("Built-in");
        builtIn.setId("load-builtin");
        builtIn.setOnAction(e -> data.loadBuiltIn());
        builtIn.setTooltip(new Tooltip("Generated 10-class images, no download"));
        // the data a run trains on stays the data shown: no loading while a run is active
        for (Button b : new Button[] {open, folder, fetch, builtIn}) {
            b.disableProperty().bind(Bindings.createBooleanBinding(() -> vm.loadingProperty().get() || active.get(),
                    vm.loadingProperty(), active));
        }
        // wraps instead of cutting the labels short when the panel is narrow for its font (presentation mode)
        FlowPane buttons = new FlowPane(6, 4, open, folder, fetch, builtIn);
        for (Button b : new Button[] {open, folder, fetch, builtIn}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }

        ProgressBar progress = new ProgressBar();
        progress.setId("load-progress");
        progress.progressProperty().bind(vm.loadProgressProperty());
        progress.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(progress, Priority.ALWAYS);
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-load");
        cancel.setOnAction(e -> data.cancelLoad());
        Label loadMessage = new Label();
        loadMessage.textProperty().bind(vm.loadMessageProperty());
        loadMessage.getStyleClass().add("small");
        VBox loading = new VBox(2, new HBox(6, progress, cancel), loadMessage);
        loading.visibleProperty().bind(vm.loadingProperty());
        loading.managedProperty().bind(vm.loadingProperty());

        ChoiceBox<Preprocessing> prep = Forms.choice("preprocessing", Preprocessing.values(), vm.preprocessingProperty(),
                "Statistics from the whole training split: subtract the mean image (the lecture's), one mean per colour"
                        + " channel, or per-channel mean and std; or none: the raw pixels 0..255, to see what uncentred inputs do"
                        + " (the assistant names it)");
        NumberField subset = new NumberField("train-subset", NumberField.bridge(vm.trainSubsetProperty()),
                v -> v < 0 ? "the subset size must be 0 (all) or more" : v > vm.trainSizeProperty().get()
                        ? "the set has " + vm.trainSizeProperty().get() + " training images" : null, true);
        subset.textField().setTooltip(new Tooltip("Train on the first N training images only; 0 = all. 20 is the lecture's"
                + " overfitting check (the mean image still comes from the whole training split)."));
        var grid = Forms.grid();
        Forms.row(grid, "Preprocessing", prep);
        Forms.row(grid, "Train on first N (0 = all)", subset);
        prep.disableProperty().bind(active);
        subset.disableProperty().bind(active);

        VBox box = new VBox(6, buttons, loading, source, meanBox, classes, samples, grid);
        pane = Forms.section("Data", box);
        pane.setId("data-panel");
    }

    public TitledPane node() {
        return pane;
    }
}
