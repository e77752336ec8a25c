package org.babysitter.app.panels;

import java.util.Locale;

import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import org.babysitter.engine.metrics.Confusion;
import org.babysitter.engine.metrics.RunEvaluation;

/**
 * What a run kept, per class: each class's validation accuracy and the confusion matrix (rows: the true class;
 * columns: the class the net gave), each cell shaded by its share of the row, and the test accuracy.
 */
public final class ConfusionView {
    private ConfusionView() {
    }

    public static Node of(RunEvaluation e) {
        VBox box = new VBox(8);
        box.setPadding(new Insets(4));
        Label head = new Label(String.format(Locale.ROOT, "Epoch %d's parameters (kept by the run).%s", e.epoch(),
                Double.isNaN(e.testAccuracy()) ? "" : String.format(Locale.ROOT, " Test accuracy %.3f.", e.testAccuracy())));
        box.getChildren().add(head);
        Confusion c = e.validation();
        if (c == null) {
            box.getChildren().add(new Label("No validation images: no confusion matrix."));
            return box;
        }
        box.getChildren().add(new Label(String.format(Locale.ROOT,
                "Validation: %d images, accuracy %.3f. Rows: the true class; columns: the class the net gave.", c.total(),
                c.accuracy())));
        GridPane g = new GridPane();
        g.setId("confusion-grid");
        g.setHgap(2);
        g.setVgap(2);
        int n = c.classes().size();
        g.add(bold("accuracy"), 1, 0);
        for (int p = 0; p < n; p++) {
            Label l = bold(shortName(c.classes().get(p)));
            l.setTooltip(new Tooltip("given " + c.classes().get(p)));
            g.add(l, p + 2, 0);
            GridPane.setHalignment(l, HPos.CENTER);
        }
        for (int t = 0; t < n; t++) {
            g.add(bold(c.classes().get(t)), 0, t + 1);
            Label acc = new Label(Double.isNaN(c.accuracy(t)) ? "-" : String.format(Locale.ROOT, "%.3f", c.accuracy(t)));
            acc.setId("class-accuracy-" + t);
            g.add(acc, 1, t + 1);
            GridPane.setHalignment(acc, HPos.RIGHT);
            int support = c.support(t);
            for (int p = 0; p < n; p++) {
                int count = c.count(t, p);
                Label cell = new Label(Integer.toString(count));
                cell.setMinWidth(44);
                cell.setAlignment(javafx.geometry.Pos.CENTER);
                double share = support == 0 ? 0 : (double) count / support;
                // diagonal green, errors red, the stronger the larger the share of the row
                String rgb = t == p ? "46, 125, 50" : "198, 40, 40";
                cell.setStyle(String.format(Locale.ROOT, "-fx-background-color: rgba(%s, %.3f); -fx-padding: 2 4 2 4;", rgb,
                        Math.min(0.85, share * (t == p ? 0.9 : 2.5))));
                cell.setTooltip(new Tooltip(String.format(Locale.ROOT, "%d %s images given %s (%.1f%% of the row)", count,
                        c.classes().get(t), c.classes().get(p), 100 * share)));
                g.add(cell, p + 2, t + 1);
            }
        }
        box.getChildren().add(g);
        return box;
    }

    private static Label bold(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private static String shortName(String name) {
        return name.length() <= 6 ? name : name.substring(0, 5) + ".";
    }
}
