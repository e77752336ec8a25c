package org.babysitter.app.panels;

import java.util.function.DoubleConsumer;
import java.util.function.DoubleFunction;

import javafx.beans.property.DoubleProperty;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;

import org.babysitter.engine.Numbers;

/**
 * A quantity set on a log scale, the way the lecture searches it: a slider over round values (1, 2, 5 in each decade,
 * so a drag lands on 1e-4, 2e-4, 5e-4, 1e-3, ...) plus a text field for any value, kept in step. The slider commits
 * when released (not at every pixel of a drag), the field on Enter or when left with changed text; both go through
 * one commit action, which may refuse a value.
 */
public final class LogControl extends HBox {
    /** Mantissas of the slider's steps within a decade. */
    private static final double[] STEPS = {1, 2, 5};

    private final Slider slider;
    private final NumberField field;
    private final int minExp;
    private final int positions;
    private boolean updating;

    public LogControl(String id, String label, DoubleProperty value, int minExp, int maxExp,
                      DoubleFunction<String> validator, DoubleConsumer commit) {
        this.minExp = minExp;
        setId(id);
        setSpacing(6);
        positions = (maxExp - minExp) * STEPS.length;
        slider = new Slider(0, positions, position(value.get()));
        slider.setId(id + "-slider");
        slider.setMajorTickUnit(STEPS.length);
        slider.setMinorTickCount(STEPS.length - 1);
        slider.setSnapToTicks(true);
        slider.setShowTickMarks(true);
        slider.setShowTickLabels(true);
        slider.setBlockIncrement(1);
        slider.setLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Double p) {
                return "1e" + (minExp + Math.round(p) / STEPS.length);
            }

            @Override
            public Double fromString(String s) {
                return 0.0;
            }
        });
        slider.setPrefWidth(14 * positions);
        slider.setMinWidth(7 * positions);
        slider.setMaxWidth(18 * positions);
        HBox.setHgrow(slider, Priority.ALWAYS);
        field = new NumberField(id + "-field", value, validator, false);
        field.setOnCommit(commit);
        field.textField().setPrefColumnCount(6);
        field.setMinWidth(USE_PREF_SIZE);
        Label l = new Label(label);
        l.setMinWidth(USE_PREF_SIZE);
        l.setLabelFor(field.textField());
        getChildren().addAll(l, slider, field);
        value.addListener((o, a, b) -> {
            if (!slider.isValueChanging()) {
                updating = true;
                slider.setValue(position(b.doubleValue()));
                updating = false;
            }
        });
        slider.valueChangingProperty().addListener((o, was, is) -> {
            if (!is) {
                fromSlider();
            }
        });
        slider.valueProperty().addListener((o, a, b) -> {
            if (!updating && !slider.isValueChanging()) {
                fromSlider(); // a click on the track or a key
            }
        });
    }

    private void fromSlider() {
        double v = valueAt((int) Math.round(slider.getValue()));
        field.textField().setText(field.format(v));
        field.commit();
    }

    /** The value of slider position {@code p}: 1, 2 or 5 times a power of ten. */
    double valueAt(int p) {
        int decade = Math.floorDiv(p, STEPS.length);
        return Double.parseDouble(Numbers.exact(STEPS[p - decade * STEPS.length]) + "e" + (minExp + decade));
    }

    /** The slider position nearest to {@code v} (in log terms); the lowest for 0 or less. */
    double position(double v) {
        if (!(v > 0)) {
            return 0;
        }
        double best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int p = 0; p <= positions; p++) {
            double d = Math.abs(Math.log10(valueAt(p)) - Math.log10(v));
            if (d < bestDistance) {
                bestDistance = d;
                best = p;
            }
        }
        return best;
    }

    public Slider slider() {
        return slider;
    }

    public NumberField field() {
        return field;
    }
}
