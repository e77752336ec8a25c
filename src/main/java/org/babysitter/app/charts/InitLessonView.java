package org.babysitter.app.charts;

import java.awt.Color;
import java.util.List;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.diagnosis.InitLesson;

/**
 * The weight-initialisation lesson as the lecture shows it: a row per init (std 0.01, 1.0, Xavier) of the 10 tanh
 * layers' histograms over [-1, 1], each with its std, and the lecture's reading under the row.
 */
public final class InitLessonView {
    private static final Color[] ROWS = {ChartStyle.LAYERS[0], ChartStyle.CHANCE, ChartStyle.VAL};

    private InitLessonView() {
    }

    public static Node of(List<InitLesson.Row> rows) {
        VBox box = new VBox(4);
        box.setId("init-lesson");
        box.setPadding(new Insets(4));
        for (int r = 0; r < rows.size(); r++) {
            InitLesson.Row row = rows.get(r);
            Label title = new Label(row.init().title());
            title.setStyle("-fx-font-weight: bold;");
            HBox charts = new HBox(2);
            charts.setId("init-lesson-row-" + r);
            for (InitLesson.Layer l : row.layers()) {
                HistogramChart c = new HistogramChart("layer " + l.layer(), ROWS[r % ROWS.length], true, l.values());
                c.set(l.values(), "std " + Numbers.significant(l.std(), 2) + (l.saturated() >= 0.005
                        ? String.format(java.util.Locale.ROOT, ", %.0f%% sat.", 100 * l.saturated()) : ""));
                c.view().setPrefSize(116, 100); // ten to a row within the dialog's width, three rows within its height
                c.view().setMinSize(100, 90);
                charts.getChildren().add(c.view());
            }
            Label reading = new Label(row.init().reading());
            reading.setId("init-lesson-reading-" + r);
            reading.setWrapText(true);
            reading.setMaxWidth(1150);
            VBox.setMargin(reading, new Insets(0, 0, 8, 0));
            box.getChildren().addAll(title, charts, reading);
        }
        return box;
    }
}
