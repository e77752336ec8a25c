package org.babysitter.app.panels;

import java.util.function.DoubleConsumer;
import java.util.function.DoubleFunction;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;

import org.babysitter.engine.Numbers;

/** A {@link CheckedField} for one number, whole or not, with a validator saying why a value is refused. */
public class NumberField extends CheckedField<Number> {
    private final DoubleFunction<String> validator;
    private final boolean integer;

    /**
     * @param value     the property it shows and sets
     * @param validator returns null if a value is fine, else why it is not
     * @param integer   whole numbers only
     */
    public NumberField(String id, DoubleProperty value, DoubleFunction<String> validator, boolean integer) {
        super(id, value);
        this.validator = validator;
        this.integer = integer;
        textField().setPrefColumnCount(8);
        showValue();
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
        super.setOnCommit(v -> c.accept(v.doubleValue()));
    }

    @Override
    protected Number parse(String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("'" + text + "' is not a finite number");
        }
        if (integer && v != Math.rint(v)) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        String problem = validator.apply(v);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return v;
    }

    /** Whole numbers as such; others shortest, plainly between 0.01 and 1e6, else as "3e-4" or "2.5e-5". */
    @Override
    protected String format(Number v) {
        return integer ? Long.toString(v.longValue()) : Numbers.exact(v.doubleValue());
    }

    String format(double v) {
        return format((Number) v);
    }
}
