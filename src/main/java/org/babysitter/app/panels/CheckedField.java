package org.babysitter.app.panels;

import java.util.function.Consumer;

import javafx.beans.property.Property;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;

/**
 * A text field for one value of type {@code T}. The text is taken on Enter, or when the field loses the focus with
 * text the user changed (leaving it untouched takes nothing, so it never resets a value changed elsewhere meanwhile). A
 * text that does not parse, or a value refused, is not taken: the line under the field says why, and stays until the
 * text changes. That line always has its place, so a message appearing or going never moves the controls below.
 */
public abstract class CheckedField<T> extends VBox {
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");

    private final TextField field = new TextField();
    private final Label error = new Label(" ");
    private final Property<T> value;
    private Consumer<T> onCommit;
    /** The text last shown for the value: focus loss with this text takes nothing. */
    private String shown = "";
    private boolean showing;

    protected CheckedField(String id, Property<T> value) {
        this.value = value;
        setId(id);
        field.setId(id + "-text");
        error.setId(id + "-error");
        error.getStyleClass().add("field-error");
        error.setMinHeight(USE_PREF_SIZE);
        error.setMaxWidth(Double.MAX_VALUE);
        getChildren().addAll(field, error);
        field.setOnAction(e -> commit());
        field.focusedProperty().addListener((o, was, is) -> {
            if (!is && !field.getText().equals(shown)) {
                commit();
            }
        });
        field.textProperty().addListener((o, a, b) -> {
            if (!showing) {
                clearError(); // the user is changing the text: the old refusal no longer applies
            }
        });
        value.addListener((o, a, b) -> {
            if (!field.isFocused() || field.getText().equals(shown)) {
                show(b);
            }
        });
    }

    /** The value in {@code text}; an IllegalArgumentException saying why there is none. */
    protected abstract T parse(String text);

    /** How a value is written in the field. */
    protected abstract String format(T v);

    /** Shows the current value; call at the end of a subclass's constructor. */
    protected final void showValue() {
        show(value.getValue());
    }

    /** Called with a valid value instead of setting the property directly; may throw IllegalArgumentException. */
    public void setOnCommit(Consumer<T> c) {
        this.onCommit = c;
    }

    public TextField textField() {
        return field;
    }

    /** The message of the last refused entry, or "". */
    public String errorText() {
        return error.getText().isBlank() ? "" : error.getText();
    }

    /** Parses and applies the text; returns true if it was taken. */
    public boolean commit() {
        String text = field.getText() == null ? "" : field.getText().strip();
        try {
            T v = parse(text);
            if (onCommit != null) {
                onCommit.accept(v);
            } else {
                value.setValue(v);
            }
        } catch (IllegalArgumentException e) {
            show(value.getValue());
            error.setText(e.getMessage() + "; kept " + format(value.getValue()));
            error.setTooltip(new Tooltip(error.getText()));
            pseudoClassStateChanged(ERROR, true);
            return false;
        }
        clearError();
        show(value.getValue());
        return true;
    }

    private void clearError() {
        error.setText(" ");
        error.setTooltip(null);
        pseudoClassStateChanged(ERROR, false);
    }

    /** Shows a value as text (not the user's typing: no refusal is cleared by it). */
    private void show(T v) {
        showing = true;
        shown = format(v);
        field.setText(shown);
        showing = false;
    }
}
