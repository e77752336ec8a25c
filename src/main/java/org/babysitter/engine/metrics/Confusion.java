package org.babysitter.engine.metrics;

import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix: {@code counts[t][p]} images of true class t that the net gave class p.
 *
 * @param classes the class names, in label order
 * @param counts  C x C, every count >= 0
 */
public record Confusion(List<String> classes, int[][] counts) {
    public Confusion {
        classes = List.copyOf(classes);
        int c = classes.size();
        if (counts.length != c) {
            throw new IllegalArgumentException(c + " classes but " + counts.length + " rows");
        }
        int[][] copy = new int[c][];
        for (int t = 0; t < c; t++) {
            if (counts[t].length != c) {
                throw new IllegalArgumentException("row " + t + " has " + counts[t].length + " counts, not " + c);
            }
            for (int v : counts[t]) {
                if (v < 0) {
                    throw new IllegalArgumentException("a negative count");
                }
            }
            copy[t] = counts[t].clone();
        }
        counts = copy;
    }

    public int count(int trueClass, int predicted) {
        return counts[trueClass][predicted];
    }

    /** Images of class t. */
    public int support(int t) {
        int n = 0;
        for (int v : counts[t]) {
            n += v;
        }
        return n;
    }

    public int total() {
        int n = 0;
        for (int t = 0; t < counts.length; t++) {
            n += support(t);
        }
        return n;
    }

    /** The share of class t's images given class t; NaN for a class with no images. */
    public double accuracy(int t) {
        int n = support(t);
        return n == 0 ? Double.NaN : (double) counts[t][t] / n;
    }

    /** The share of all images given their own class. */
    public double accuracy() {
        int right = 0;
        for (int t = 0; t < counts.length; t++) {
            right += counts[t][t];
        }
        int n = total();
        return n == 0 ? Double.NaN : (double) right / n;
    }

    /** The matrix as text: a row per true class with its accuracy, a column per predicted class. */
    public String table() {
        int w = "true \\ given".length();
        for (String name : classes) {
            w = Math.max(w, name.length());
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  %8s ", "true \\ given", "accuracy"));
        for (String name : classes) {
            b.append(String.format(Locale.ROOT, " %5s", name.length() > 5 ? name.substring(0, 5) : name));
        }
        b.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            b.append(String.format(Locale.ROOT, "%-" + w + "s  %8.3f ", classes.get(t), accuracy(t)));
            for (int p = 0; p < classes.size(); p++) {
                b.append(String.format(Locale.ROOT, " %5d", counts[t][p]));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
