package org.babysitter.app.panels;

import java.util.function.DoubleConsumer;
import java.util.function.DoubleFunction;

import javafx.beans.property.DoubleProperty;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * A quantity set on a log scale: a slider over powers of ten plus a text field, kept in step. The slider
 * commits when released (not at every pixel of a drag), the field on Enter; both go through one commit
 * action, which may refuse a value.
 */
public final class LogControl extends VBox {
    private final Slider slider;
    private final NumberField field;
    private boolean updating;

    public LogControl(String id, String label, DoubleProperty value, double minExp, double maxExp,
                      DoubleFunction<String> validator, DoubleConsumer commit) {
        setId(id);
        setSpacing(2);
        slider = new Slider(minExp, maxExp, exponent(value.get(), minExp));
        slider.setId(id + "-slider");
        slider.setMajorTickUnit(1);
        slider.setMinorTickCount(0);
        slider.setShowTickMarks(true);
        slider.setBlockIncrement(0.25);
        HBox.setHgrow(slider, Priority.ALWAYS);
        field = new NumberField(id + "-field", value, validator, false);
        field.setOnCommit(commit);
        field.textField().setPrefColumnCount(6);
        Label l = new Label(label);
        l.setMinWidth(USE_PREF_SIZE);
        HBox row = new HBox(6, l, slider, field);
        getChildren().add(row);
        value.addListener((o, a, b) -> {
            if (!slider.isValueChanging()) {
                updating = true;
                slider.setValue(exponent(b.doubleValue(), minExp));
                updating = false;
            }
        });
        slider.valueChangingProperty().addListener((o, was, is) -> {
            if (!is) {
                fromSlider(commit);
            }
        });
        slider.valueProperty().addListener((o, a, b) -> {
            if (!updating && !slider.isValueChanging()) {
                fromSlider(commit);
            }
        });
    }

    private void fromSlider(DoubleConsumer commit) {
        double v = round2(Math.pow(10, slider.getValue()));
        field.textField().setText(field.format(v));
        field.commit();
    }

    /** Rounds to two significant digits (3.2e-4, not 3.1622776e-4). */
    static double round2(double v) {
        if (v == 0) {
            return 0;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).doubleValue();
    }

    private static double exponent(double v, double minExp) {
        return v > 0 ? Math.log10(v) : minExp;
    }

    public Slider slider() {
        return slider;
    }

    public NumberField field() {
        return field;
    }
}
