package org.babysitter.app.charts;

import java.util.Locale;
import java.util.function.Consumer;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The chart area: the loss chart on top with its smoothing slider and log toggle, accuracy and update ratios
 * below. Each chart's context menu exports it or all of them, or restores the zoom.
 */
public final class ChartsPane {
    private final VBox root;
    private final Slider smoothing;
    private final CheckBox logY;

    public ChartsPane(RunCharts charts, Consumer<ChartKind> exportOne, Consumer<ImageFormat> exportAll) {
        smoothing = new Slider(0, 0.99, charts.smoothing());
        smoothing.setId("smoothing");
        smoothing.setPrefWidth(160);
        Label smoothValue = new Label();
        smoothValue.textProperty().bind(smoothing.valueProperty().asString(Locale.ROOT, "%.2f"));
        smoothing.valueProperty().addListener((o, a, b) -> charts.setSmoothing(b.doubleValue()));
        logY = new CheckBox("log loss axis");
        logY.setId("log-loss");
        logY.selectedProperty().addListener((o, a, b) -> charts.setLogLoss(b));
        HBox tools = new HBox(8, new Label("Smoothing (EMA)"), smoothing, smoothValue, logY);
        tools.setAlignment(Pos.CENTER_LEFT);
        tools.setPadding(new Insets(2, 6, 0, 6));

        for (ChartKind k : ChartKind.values()) {
            ChartView v = charts.viewer(k);
            ContextMenu menu = new ContextMenu();
            MenuItem one = new MenuItem("Export " + k.title().toLowerCase(Locale.ROOT) + " chart (PNG or SVG)...");
            one.setOnAction(e -> exportOne.accept(k));
            MenuItem all = new MenuItem("Export all charts as PNG...");
            all.setOnAction(e -> exportAll.accept(ImageFormat.PNG));
            MenuItem allSvg = new MenuItem("Export all charts as SVG...");
            allSvg.setOnAction(e -> exportAll.accept(ImageFormat.SVG));
            MenuItem zoom = new MenuItem("Restore zoom");
            zoom.setOnAction(e -> v.restoreZoom());
            menu.getItems().addAll(one, all, allSvg, new SeparatorMenuItem(), zoom);
            v.setOnContextMenuRequested(e -> menu.show(v, e.getScreenX(), e.getScreenY()));
            v.setMinSize(200, 150);
        }
        ChartView loss = charts.viewer(ChartKind.LOSS);
        VBox.setVgrow(loss, Priority.ALWAYS);
        GridPane bottom = new GridPane();
        bottom.setHgap(4);
        var c1 = new javafx.scene.layout.ColumnConstraints();
        c1.setPercentWidth(50);
        var c2 = new javafx.scene.layout.ColumnConstraints();
        c2.setPercentWidth(50);
        bottom.getColumnConstraints().addAll(c1, c2);
        bottom.add(charts.viewer(ChartKind.ACCURACY), 0, 0);
        bottom.add(charts.viewer(ChartKind.UPDATE_RATIOS), 1, 0);
        GridPane.setHgrow(charts.viewer(ChartKind.ACCURACY), Priority.ALWAYS);
        GridPane.setVgrow(charts.viewer(ChartKind.ACCURACY), Priority.ALWAYS);
        GridPane.setHgrow(charts.viewer(ChartKind.UPDATE_RATIOS), Priority.ALWAYS);
        GridPane.setVgrow(charts.viewer(ChartKind.UPDATE_RATIOS), Priority.ALWAYS);
        VBox.setVgrow(bottom, Priority.ALWAYS);
        loss.setPrefHeight(360);
        bottom.setPrefHeight(300);
        root = new VBox(2, tools, loss, bottom);
    }

    public VBox node() {
        return root;
    }

    public CheckBox logToggle() {
        return logY;
    }

    public Slider smoothingSlider() {
        return smoothing;
    }
}
