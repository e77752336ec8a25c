package org.babysitter.engine;

import java.math.BigDecimal;
import java.util.Locale;

/** How the engine, the command line and the window write a number for a person: short, exact, never "1.0E-4". */
public final class Numbers {
    private Numbers() {
    }

    /**
     * The shortest text that reads back as {@code v}: plainly between 0.01 and 1e6 ("0.05", "0.95", "100"), else
     * as a power of ten ("1e-3", "9.471549e-4", "1e6"); "NaN", "inf", "-inf".
     */
    public static String exact(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-2 && a < 1e6) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /** At most {@code digits} significant digits, in the same style: {@code short(3.1622e-4, 2)} is "3.2e-4". */
    public static String significant(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return exact(v);
        }
        return exact(Double.parseDouble(String.format(Locale.ROOT, "%." + (digits - 1) + "e", v)));
    }
}
