package org.babysitter.app.charts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which values an axis labels and how it writes them, so that ticks stay readable at any size: labels at least
 * {@link #VERTICAL_SPACING} line heights apart along a vertical axis (a label's width and two ems apart along a
 * horizontal one), at 1-2-5 steps on a linear axis and at whole decades, 1-2-5 or 1..9 on a log axis, never a
 * value that reads as something else ("0" for 0.0004, "2.239" for 10^0.35, "0E0"). Pure: the axes measure
 * text and ask.
 */
final class AxisTicks {
    /** Closest two labels of a vertical axis may be, in line heights of the tick font (JFreeChart lets them touch). */
    static final double VERTICAL_SPACING = 2.2;
    /** Most labels a log axis shows; beyond that it labels every second decade and so on. */
    static final int MAX_LOG_LABELS = 10;
    /** How close (line heights) a short vertical log axis may put two whole decades rather than show one. */
    static final double CLOSE = 1.5;

    private AxisTicks() {
    }

    /** How a log axis writes its labels. */
    enum LogStyle {
        /** "0.01, 0.1, 1, 10" while every label is between 1e-3 and 1e5, else "1e-4, 1e-3" for all of them. */
        PLAIN_OR_POWER,
        /** Always "1e-4, 2e-4, 1e0": the update-ratio chart, whose band and target are written so too. */
        POWER
    }

    /** A labelled tick: its value and text. */
    record Tick(double value, String label) {
    }

    /** Text width in pixels in the tick font. */
    interface Measure {
        double width(String text);
    }

    // ---------------------------------------------------------------- linear

    /**
     * The ticks of a linear axis over [lo, hi] drawn {@code length} pixels long.
     *
     * @param vertical    along a vertical axis (labels stacked) or a horizontal one (labels side by side)
     * @param integers    only whole-number steps (iterations, epochs)
     * @param lineHeight  the tick font's line height in pixels
     */
    static List<Tick> linear(double lo, double hi, double length, boolean vertical, boolean integers, double lineHeight,
                             Measure measure) {
        BigDecimal unit = linearUnit(lo, hi, length, vertical, integers, lineHeight, measure);
        return linearTicks(lo, hi, unit, Math.max(Math.abs(lo), Math.abs(hi)));
    }

    /** The smallest 1-2-5 step whose labels keep their distance. */
    static BigDecimal linearUnit(double lo, double hi, double length, boolean vertical, boolean integers,
                                 double lineHeight, Measure measure) {
        double span = hi - lo;
        if (!(span > 0) || !(length > 0) || Double.isInfinite(span)) {
            return BigDecimal.ONE;
        }
        double magnitude = Math.max(Math.abs(lo), Math.abs(hi));
        // start from a step giving about one label per 4 pixels and go up the 1-2-5 ladder
        BigDecimal unit = niceAtLeast(span / Math.max(1, length / 4));
        if (integers && unit.compareTo(BigDecimal.ONE) < 0) {
            unit = BigDecimal.ONE;
        }
        for (int i = 0; i < 200; i++) {
            double px = unit.doubleValue() / span * length;
            double need;
            if (vertical) {
                need = VERTICAL_SPACING * lineHeight;
            } else {
                // the widest label is at one end: the most digits
                double u = unit.doubleValue();
                BigDecimal first = unit.multiply(BigDecimal.valueOf((long) Math.ceil(lo / u - 1e-9)));
                BigDecimal last = unit.multiply(BigDecimal.valueOf((long) Math.floor(hi / u + 1e-9)));
                double w = Math.max(measure.width(linearLabel(first, unit, magnitude)),
                        measure.width(linearLabel(last, unit, magnitude)));
                need = w + 2 * lineHeight; // about two ems between labels
            }
            if (px >= need) {
                return unit;
            }
            unit = nextNice(unit);
        }
        return unit;
    }

    /** The multiples of {@code unit} in [lo, hi], labelled. */
    static List<Tick> linearTicks(double lo, double hi, BigDecimal unit, double magnitude) {
        List<Tick> ticks = new ArrayList<>();
        double u = unit.doubleValue();
        double eps = 1e-9;
        long first = (long) Math.ceil(lo / u - eps);
        long last = (long) Math.floor(hi / u + eps);
        if (last - first > 10_000) { // a degenerate request: no sensible labels
            return ticks;
        }
        for (long k = first; k <= last; k++) {
            BigDecimal v = unit.multiply(BigDecimal.valueOf(k));
            ticks.add(new Tick(v.doubleValue(), linearLabel(v, unit, magnitude)));
        }
        return ticks;
    }

    /**
     * A linear axis's label: plainly with the step's decimals ("0.0", "0.2", "1,500") while the axis's values are
     * between 1e-3 and 1e6; else as a power of ten ("0", "5.5e12", "2e-5").
     */
    static String linearLabel(BigDecimal v, BigDecimal unit, double magnitude) {
        if (magnitude >= 1e6 || magnitude < 1e-3) {
            return power(v);
        }
        int decimals = Math.max(0, unit.stripTrailingZeros().scale());
        String plain = v.setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        // thousands grouped ("1,500"), as JFreeChart wrote iterations before
        int sign = plain.startsWith("-") ? 1 : 0;
        int point = plain.indexOf('.');
        int end = point < 0 ? plain.length() : point;
        StringBuilder sb = new StringBuilder(plain);
        for (int i = end - 3; i > sign; i -= 3) {
            sb.insert(i, ',');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- log

    /**
     * The ticks of a log axis over [lo, hi] (both above 0) drawn {@code length} pixels long: the densest of 1..9,
     * 1-2-5, 1-3 and whole decades (then every 2nd, 3rd, 5th, 10th... decade) with two to {@link #MAX_LOG_LABELS}
     * labels that keep their distance; on an axis too short for that, as many 1-2-5 values as keep it (at least the
     * lowest); a range too narrow for two 1..9 values gets linear 1-2-5 steps.
     */
    static List<Tick> log(double lo, double hi, double length, boolean vertical, double lineHeight, LogStyle style,
                          Measure measure) {
        if (!(lo > 0) || !(hi > lo) || !(length > 0) || Double.isInfinite(hi)) {
            return List.of();
        }
        double logLo = Math.log10(lo);
        double logHi = Math.log10(hi);
        Function<List<BigDecimal>, List<Tick>> label = vs -> logLabels(vs, style);
        List<List<BigDecimal>> candidates = new ArrayList<>();
        candidates.add(logValues(logLo, logHi, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1));
        candidates.add(logValues(logLo, logHi, new int[] {1, 2, 5}, 1));
        candidates.add(logValues(logLo, logHi, new int[] {1, 3}, 1));
        for (int step : new int[] {1, 2, 3, 5, 10, 20, 50, 100}) {
            candidates.add(logValues(logLo, logHi, new int[] {1}, step));
        }
        for (List<BigDecimal> values : candidates) {
            if (values.size() < 2 || values.size() > MAX_LOG_LABELS) {
                continue;
            }
            List<Tick> ticks = label.apply(values);
            if (fits(ticks, logLo, logHi, length, vertical, lineHeight, measure)) {
                return ticks;
            }
        }
        // too short for that: two decades a little closer, else as many 1-2-5 values (else 1..9) as keep their distance
        for (int i = 3; i < candidates.size(); i++) {
            List<BigDecimal> values = candidates.get(i);
            if (values.size() >= 2 && values.size() <= MAX_LOG_LABELS
                    && fits(label.apply(values), logLo, logHi, length, vertical, lineHeight * CLOSE / VERTICAL_SPACING, measure)) {
                return label.apply(values);
            }
        }
        List<BigDecimal> nice = candidates.get(1).size() >= 2 ? candidates.get(1) : candidates.get(0);
        if (nice.size() >= 2) {
            List<BigDecimal> thinned = new ArrayList<>();
            double last = Double.NaN;
            double lastHalf = 0;
            for (BigDecimal v : nice) {
                double at = (Math.log10(v.doubleValue()) - logLo) / (logHi - logLo) * length;
                double half = vertical ? 0 : measure.width(logLabels(List.of(v), style).get(0).label()) / 2;
                if (Double.isNaN(last) || at - last >= (vertical ? VERTICAL_SPACING * lineHeight : lastHalf + half + 2 * lineHeight)) {
                    thinned.add(v);
                    last = at;
                    lastHalf = half;
                }
            }
            return label.apply(thinned);
        }
        // narrower than from one 1..9 value to the next: plain linear steps
        BigDecimal unit = linearUnit(lo, hi, length, vertical, false, lineHeight, measure);
        return linearTicks(lo, hi, unit, hi);
    }

    /** Minor (unlabelled) tick values: 2..9 of each decade, when the ticks are whole decades one apart. */
    static List<Double> logMinor(List<Tick> major, double lo, double hi) {
        List<Double> minor = new ArrayList<>();
        if (major.size() < 2) {
            return minor;
        }
        double ratio = major.get(1).value() / major.get(0).value();
        if (Math.abs(ratio - 10) > 1e-6) {
            return minor;
        }
        int from = (int) Math.floor(Math.log10(lo));
        int to = (int) Math.ceil(Math.log10(hi));
        for (int e = from; e <= to; e++) {
            for (int m = 2; m <= 9; m++) {
                double v = m * Math.pow(10, e);
                if (v >= lo && v <= hi) {
                    minor.add(v);
                }
            }
        }
        return minor;
    }

    private static List<BigDecimal> logValues(double logLo, double logHi, int[] mantissas, int decadeStep) {
        List<BigDecimal> values = new ArrayList<>();
        int from = (int) Math.floor(logLo) - 1;
        int to = (int) Math.ceil(logHi) + 1;
        if (to - from > 2000) {
            return values;
        }
        double eps = 1e-9;
        for (int e = from; e <= to; e++) {
            if (Math.floorMod(e, decadeStep) != 0) {
                continue;
            }
            for (int m : mantissas) {
                double l = Math.log10(m) + e;
                if (l >= logLo - eps && l <= logHi + eps) {
                    values.add(BigDecimal.valueOf(m).scaleByPowerOfTen(e));
                }
            }
        }
        return values;
    }

    private static List<Tick> logLabels(List<BigDecimal> values, LogStyle style) {
        boolean plain = style == LogStyle.PLAIN_OR_POWER;
        for (BigDecimal v : values) {
            double a = v.doubleValue();
            plain &= a >= 1e-3 && a < 1e5;
        }
        List<Tick> ticks = new ArrayList<>();
        for (BigDecimal v : values) {
            ticks.add(new Tick(v.doubleValue(), plain ? v.stripTrailingZeros().toPlainString() : power(v)));
        }
        return ticks;
    }

    private static boolean fits(List<Tick> ticks, double logLo, double logHi, double length, boolean vertical,
                                double lineHeight, Measure measure) {
        double previous = Double.NaN;
        double previousHalfWidth = 0;
        for (Tick t : ticks) {
            double at = (Math.log10(t.value()) - logLo) / (logHi - logLo) * length;
            double halfWidth = vertical ? 0 : measure.width(t.label()) / 2;
            if (!Double.isNaN(previous)) {
                double need = vertical ? VERTICAL_SPACING * lineHeight : previousHalfWidth + halfWidth + 2 * lineHeight;
                if (at - previous < need) {
                    return false;
                }
            }
            previous = at;
            previousHalfWidth = halfWidth;
        }
        return true;
    }

    // ---------------------------------------------------------------- shared

    /** "5.5e12", "2e-4", "1e0": the shortest mantissa and a power of ten. */
    static String power(BigDecimal v) {
        if (v.signum() == 0) {
            return "0";
        }
        BigDecimal d = v.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    /** The smallest 1-2-5 step at least {@code x}. */
    static BigDecimal niceAtLeast(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            return BigDecimal.ONE;
        }
        int e = (int) Math.floor(Math.log10(x));
        for (int tries = 0; tries < 3; tries++, e++) {
            for (int m : new int[] {1, 2, 5}) {
                BigDecimal u = BigDecimal.valueOf(m).scaleByPowerOfTen(e);
                if (u.doubleValue() >= x * (1 - 1e-12)) {
                    return u;
                }
            }
        }
        return BigDecimal.TEN.scaleByPowerOfTen(e);
    }

    /** The next step up the 1-2-5 ladder. */
    static BigDecimal nextNice(BigDecimal unit) {
        BigDecimal u = unit.stripTrailingZeros();
        int m = u.unscaledValue().intValue();
        int scale = u.scale();
        return switch (m) {
            case 1 -> BigDecimal.valueOf(2, scale);
            case 2 -> BigDecimal.valueOf(5, scale);
            default -> BigDecimal.valueOf(1, scale - 1);
        };
    }

    /** The axis label that fits along {@code length} pixels: the full one if it does, else the short one. */
    static String fitLabel(String label, String shortLabel, double length, Measure measure) {
        if (label == null || shortLabel == null || measure.width(label) <= length) {
            return label;
        }
        return shortLabel;
    }
}
