package org.babysitter.engine.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.babysitter.engine.Numbers;

/**
 * The values one hyperparameter may take. {@link Scale#LOG} and {@link Scale#UNIFORM} use {@code low} and
 * {@code high} (low < high, both above 0 for log); {@link Scale#CHOICE} and {@link Scale#FIXED} use {@code values}
 * (one value for fixed).
 */
public record Dimension(Scale scale, double low, double high, List<Double> values) {
    public Dimension {
        if (scale == null) {
            throw new IllegalArgumentException("a range needs a scale: log, uniform, a choice or a fixed value");
        }
        values = values == null ? List.of() : List.copyOf(values);
        switch (scale) {
            case LOG, UNIFORM -> {
                if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
                    throw new IllegalArgumentException("a " + word(scale) + " range needs finite low < high, got "
                            + Numbers.exact(low) + ":" + Numbers.exact(high));
                }
                if (scale == Scale.LOG && !(low > 0)) {
                    throw new IllegalArgumentException("a log range needs low > 0, got " + Numbers.exact(low));
                }
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException("a " + word(scale) + " range takes low and high, not a list of values");
                }
            }
            case CHOICE, FIXED -> {
                if (values.isEmpty() || (scale == Scale.FIXED && values.size() != 1)) {
                    throw new IllegalArgumentException(scale == Scale.FIXED ? "a fixed value is one value"
                            : "a choice needs at least one value");
                }
                for (double v : values) {
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("values must be finite numbers, got " + Numbers.exact(v));
                    }
                }
            }
        }
    }

    public static Dimension log(double low, double high) {
        return new Dimension(Scale.LOG, low, high, List.of());
    }

    public static Dimension uniform(double low, double high) {
        return new Dimension(Scale.UNIFORM, low, high, List.of());
    }

    public static Dimension choice(List<Double> values) {
        return new Dimension(Scale.CHOICE, 0, 0, values);
    }

    public static Dimension fixed(double value) {
        return new Dimension(Scale.FIXED, 0, 0, List.of(value));
    }

    /**
     * Parses "1e-6:1e-3:log", "0.5:0.99:uniform" (either bound first), "50,100,200" (a choice) or "0.9" (fixed).
     */
    public static Dimension parse(String text) {
        String t = text.trim();
        try {
            String[] parts = t.split(":");
            if (parts.length == 3) {
                double a = Double.parseDouble(parts[0]);
                double b = Double.parseDouble(parts[1]);
                Scale s = switch (parts[2].toLowerCase(Locale.ROOT)) {
                    case "log" -> Scale.LOG;
                    case "uniform", "lin", "linear" -> Scale.UNIFORM;
                    default -> throw new IllegalArgumentException("'" + t + "': the scale after the second ':' is log or uniform");
                };
                return new Dimension(s, Math.min(a, b), Math.max(a, b), List.of());
            }
            if (parts.length != 1) {
                throw new IllegalArgumentException("'" + t + "' is not a range: write LOW:HIGH:log, LOW:HIGH:uniform, A,B,C or a value");
            }
            List<Double> vs = new ArrayList<>();
            for (String s : t.split(",")) {
                vs.add(Double.parseDouble(s.trim()));
            }
            return vs.size() == 1 ? fixed(vs.get(0)) : choice(vs);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a range: write LOW:HIGH:log, LOW:HIGH:uniform, A,B,C or a value");
        }
    }

    /** The parse form: "1e-06:0.001:log", "50,100", "0.9". */
    public String describe() {
        return switch (scale) {
            case LOG, UNIFORM -> Numbers.exact(low) + ":" + Numbers.exact(high) + ":" + word(scale);
            case CHOICE, FIXED -> String.join(",", values.stream().map(Numbers::exact).toList());
        };
    }

    /** True if values are drawn at random from an interval (log or uniform). */
    public boolean continuous() {
        return scale == Scale.LOG || scale == Scale.UNIFORM;
    }

    /** Every value the range may give: its low and high, or its values. */
    public List<Double> endpoints() {
        return continuous() ? List.of(low, high) : values;
    }

    /** One value at random. */
    public double sample(SplittableRandom rng) {
        return switch (scale) {
            case LOG -> Math.pow(10, Math.log10(low) + rng.nextDouble() * (Math.log10(high) - Math.log10(low)));
            case UNIFORM -> low + rng.nextDouble() * (high - low);
            case CHOICE -> values.get(rng.nextInt(values.size()));
            case FIXED -> values.get(0);
        };
    }

    /** A grid over the range: {@code points} evenly spaced values (in log10 for log) from low to high, or the values. */
    public List<Double> grid(int points) {
        if (!continuous()) {
            return values;
        }
        if (points == 1) {
            return List.of(scale == Scale.LOG ? Math.sqrt(low * high) : (low + high) / 2);
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double f = (double) i / (points - 1);
            out.add(scale == Scale.LOG ? Math.pow(10, Math.log10(low) + f * (Math.log10(high) - Math.log10(low)))
                    : low + f * (high - low));
        }
        return out;
    }

    /** Where {@code v} lies in the range, 0 at low and 1 at high (in log10 for log). */
    public double position(double v) {
        return scale == Scale.LOG ? (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))
                : (v - low) / (high - low);
    }

    private static String word(Scale s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
