package org.babysitter.app.panels;

import java.util.Locale;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleFunction;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

/**
 * A text field for one number. Enter or leaving the field commits; a non-number or a value the validator
 * refuses is not taken: a message under the field says why and the previous value comes back.
 */
public class NumberField extends VBox {
    private final TextField field = new TextField();
    private final Label error = new Label();
    private final DoubleProperty value;
    private final DoubleFunction<String> validator;
    private final boolean integer;
    private DoubleConsumer onCommit;

    /**
     * @param value     the property it shows and sets
     * @param validator returns null if a value is fine, else why it is not
     * @param integer   whole numbers only
     */
    public NumberField(String id, DoubleProperty value, DoubleFunction<String> validator, boolean integer) {
        this.value = value;
        this.validator = validator;
        this.integer = integer;
        setId(id);
        field.setId(id + "-text");
        field.setPrefColumnCount(8);
        error.setId(id + "-error");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.setVisible(false);
        error.setManaged(false);
        getChildren().addAll(field, error);
        show(value.get());
        value.addListener((o, a, b) -> {
            if (!field.isFocused()) {
                show(b.doubleValue());
            }
        });
        field.setOnAction(e -> commit());
        field.focusedProperty().addListener((o, was, is) -> {
            if (!is) {
                commit();
            }
        });
    }

    /** A field over a plain number, for integer properties bridged by the caller. */
    public static DoubleProperty bridge(javafx.beans.property.Property<Number> p) {
        DoubleProperty d = new SimpleDoubleProperty(p.getValue().doubleValue());
        d.addListener((o, a, b) -> p.setValue(b));
        p.addListener((o, a, b) -> d.set(b.doubleValue()));
        return d;
    }

    /** Called with a valid value instead of setting the property directly; may throw IllegalArgumentException. */
    public void setOnCommit(DoubleConsumer c) {
        this.onCommit = c;
    }

    public TextField textField() {
        return field;
    }

    /** The message of the last refused entry, or "" . */
    public String errorText() {
        return error.isVisible() ? error.getText() : "";
    }

    /** Parses and applies the text; returns true if it was taken. */
    public boolean commit() {
        String text = field.getText() == null ? "" : field.getText().strip();
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return refuse("'" + text + "' is not a number");
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return refuse("'" + text + "' is not a finite number");
        }
        if (integer && v != Math.rint(v)) {
            return refuse("'" + text + "' is not a whole number");
        }
        String problem = validator.apply(v);
        if (problem != null) {
            return refuse(problem);
        }
        try {
            if (onCommit != null) {
                onCommit.accept(v);
            } else {
                value.set(v);
            }
        } catch (IllegalArgumentException e) {
            return refuse(e.getMessage());
        }
        clearError();
        show(value.get());
        return true;
    }

    private boolean refuse(String why) {
        error.setText(why + "; kept " + format(value.get()));
        error.setVisible(true);
        error.setManaged(true);
        field.setTooltip(new Tooltip(error.getText()));
        show(value.get());
        return false;
    }

    private void clearError() {
        error.setVisible(false);
        error.setManaged(false);
        field.setTooltip(null);
    }

    private void show(double v) {
        field.setText(format(v));
    }

    /** Whole numbers as such; others plainly between 0.01 and 10^4, else as "3e-4" or "2.5e-5". */
    String format(double v) {
        if (integer) {
            return Long.toString((long) v);
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-2 && a < 1e4) {
            return strip(String.format(Locale.ROOT, "%.4f", v));
        }
        String[] parts = String.format(Locale.ROOT, "%.3e", v).split("e");
        int exponent = Integer.parseInt(parts[1]);
        return strip(parts[0]) + "e" + exponent;
    }

    private static String strip(String decimal) {
        return decimal.contains(".") ? decimal.replaceAll("0+$", "").replaceAll("\\.$", "") : decimal;
    }
}
