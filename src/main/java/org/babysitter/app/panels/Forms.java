package org.babysitter.app.panels;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

/** Small layout helpers shared by the panels: labelled rows in a two-column grid inside a titled section. */
final class Forms {
    private Forms() {
    }

    /** A choice among an enum's values, bound both ways to a property, with a tooltip. */
    static <E> javafx.scene.control.ChoiceBox<E> choice(String id, E[] values, javafx.beans.property.Property<E> value, String tip) {
        javafx.scene.control.ChoiceBox<E> box = new javafx.scene.control.ChoiceBox<>();
        box.setId(id);
        box.getItems().setAll(values);
        box.valueProperty().bindBidirectional(value);
        box.setTooltip(new javafx.scene.control.Tooltip(tip));
        return box;
    }

    static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(2);
        g.setPadding(new Insets(6));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        g.getColumnConstraints().addAll(labels, fields);
        return g;
    }

    static void row(GridPane g, String label, Node field) {
        int r = g.getRowCount();
        Label l = new Label(label);
        l.setLabelFor(field);
        g.add(l, 0, r);
        g.add(field, 1, r);
        javafx.scene.layout.GridPane.setValignment(l, javafx.geometry.VPos.TOP);
        l.setPadding(new Insets(4, 0, 0, 0)); // level with the field's text, above its message line
    }

    static TitledPane section(String title, Node content) {
        TitledPane t = new TitledPane(title, content);
        t.setCollapsible(true);
        t.setAnimated(false);
        return t;
    }

    static String range(double v, double lo, double hi, String what) {
        return v < lo || v > hi ? what + " must be between " + fmt(lo) + " and " + fmt(hi) : null;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? Long.toString((long) v) : Double.toString(v);
    }
}
