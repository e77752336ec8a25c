package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.metrics.Histogram;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.model.Layer;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Param;
import org.ejml.data.DMatrixRMaj;

/**
 * Takes a {@link LayerStatistics} sample from a net right after a training step: each layer's output on that step's
 * batch (mean, std, dead units, saturated outputs, histogram) and each weight matrix's gradient, values and the step's
 * update (mean absolute, histograms). It only reads: the float copies the step runs on stay as they are, so a run
 * sampled gives the same numbers as a run not sampled. The update is W after the step minus W before it: {@link
 * #beforeStep()} copies the weights before a sampled iteration's step, so only sampled iterations pay for it.
 */
public final class LayerProbe {
    /** Within this fraction of the span between a squashing activation's bounds counts as saturated (tanh: |y| > 0.98). */
    static final double SATURATION_MARGIN = 0.01;

    private final Net net;
    /** Per weight, its values before the step of the iteration being sampled (null until the first). */
    private final double[][] before;
    private boolean haveBefore;
    /** A tensor's values read as doubles, reused sample after sample. */
    private double[] values = new double[0];

    LayerProbe(Net net) {
        this.net = net;
        this.before = new double[net.weights().size()][];
    }

    /** Remembers the weights' values now: the next {@link #sample} shows the change since as the update. */
    void beforeStep() {
        List<Param> ws = net.weights();
        for (int i = 0; i < ws.size(); i++) {
            Param w = ws.get(i);
            if (before[i] == null || before[i].length != w.size()) {
                before[i] = new double[w.size()];
            }
            read(w.forProduct(), w.size(), before[i]);
        }
        haveBefore = true;
    }

    /** The sample after a step: outputs of its forward pass, gradients of its backward pass, and its update. */
    LayerStatistics sample(int iteration) {
        List<LayerStatistics.Gradient> grads = new ArrayList<>();
        List<Param> ws = net.weights();
        for (int i = 0; i < ws.size(); i++) {
            Param w = ws.get(i);
            int n = w.size();
            double[] v = buffer(n);
            read(w.gradForProduct(), n, v);
            double gradient = meanAbs(v, n, true);
            Histogram gh = histogram;
            read(w.forProduct(), n, v);
            double value;
            Histogram uh = Histogram.NONE;
            double update = Double.NaN;
            if (haveBefore) { // mean |W| and the update (W now minus W before) in one pass: v becomes the update
                double[] b = before[i];
                double sw = 0;
                for (int k = 0; k < n; k++) {
                    double x = v[k];
                    sw += Math.abs(x);
                    v[k] = x - b[k];
                }
                value = sw / n;
                update = meanAbs(v, n, true);
                uh = histogram;
            } else {
                value = meanAbs(v, n, false);
            }
            grads.add(new LayerStatistics.Gradient(w.name(), gradient, value, update, gh, uh));
        }
        haveBefore = false;
        return new LayerStatistics(iteration, outputs(net), grads);
    }

    /**
     * The input and every layer's output but the scores, of the net's last pass in training mode: what a sample shows
     * of the layers (the init lesson reads it after a forward pass of its own).
     */
    public static List<LayerStatistics.Output> outputs(Net net) {
        List<Layer> layers = net.layers();
        List<DMatrixRMaj> outputs = net.lastTrainingOutputs();
        List<LayerStatistics.Output> out = new ArrayList<>();
        DMatrixRMaj x = net.lastTrainingInput();
        if (x != null) {
            out.add(input(x));
        }
        for (int i = 0; i < layers.size() - 1; i++) { // the last output is the scores
            DMatrixRMaj y = outputs.get(i);
            if (y == null) {
                continue;
            }
            MirroredMatrix.ensureData(y);
            out.add(output((i + 1) + " " + layers.get(i).describe(), y, layers.get(i).saturationBounds()));
        }
        return out;
    }

    private double[] buffer(int n) {
        if (values.length < n) {
            values = new double[n];
        }
        return values;
    }

    /** The first n values of m into {@code into}, from its float copy when that is the valid one (no conversion of m). */
    private static void read(DMatrixRMaj m, int n, double[] into) {
        float[] f = MirroredMatrix.validMirror(m);
        if (f != null) {
            for (int k = 0; k < n; k++) {
                into[k] = f[k];
            }
        } else {
            MirroredMatrix.ensureData(m);
            System.arraycopy(m.data, 0, into, 0, n);
        }
    }

    /** The batch's input: mean and std only (read from its float copy when that is the valid one: no conversion). */
    static LayerStatistics.Output input(DMatrixRMaj x) {
        int n = x.numRows * x.numCols;
        float[] f = MirroredMatrix.validMirror(x);
        double sum = 0;
        double squares = 0;
        if (f != null) {
            for (int k = 0; k < n; k++) {
                sum += f[k];
                squares += (double) f[k] * f[k];
            }
        } else {
            for (int k = 0; k < n; k++) {
                sum += x.data[k];
                squares += x.data[k] * x.data[k];
            }
        }
        double mean = sum / n;
        return new LayerStatistics.Output(LayerStatistics.INPUT, x.numCols, mean, Math.sqrt(Math.max(0, squares / n - mean * mean)),
                0, 0);
    }

    static LayerStatistics.Output output(String name, DMatrixRMaj y, double[] bounds) {
        int rows = y.numRows;
        int cols = y.numCols;
        double[] d = y.data;
        int n = rows * cols;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double v = d[k];
            sum += v;
            if (v < min && v != Double.NEGATIVE_INFINITY) {
                min = v;
            }
            if (v > max && v != Double.POSITIVE_INFINITY) {
                max = v;
            }
        }
        double mean = sum / n;
        double squares = 0;
        int saturated = 0;
        double lowEdge = bounds == null ? 0 : bounds[0] + SATURATION_MARGIN * (bounds[1] - bounds[0]);
        double highEdge = bounds == null ? 0 : bounds[1] - SATURATION_MARGIN * (bounds[1] - bounds[0]);
        for (int k = 0; k < n; k++) {
            double c = d[k] - mean;
            squares += c * c;
            if (bounds != null && (d[k] <= lowEdge || d[k] >= highEdge)) {
                saturated++;
            }
        }
        int dead = 0;
        for (int j = 0; j < cols; j++) {
            boolean allZero = true;
            for (int i = 0; i < rows && allZero; i++) {
                allZero = d[i * cols + j] == 0;
            }
            if (allZero) {
                dead++;
            }
        }
        Histogram values = bounds == null ? Histogram.between(d, n, min, max, Histogram.BINS)
                : Histogram.of(d, n, bounds[0], bounds[1], Histogram.BINS); // a squashing layer: its whole range
        return new LayerStatistics.Output(name, cols, mean, Math.sqrt(squares / n), (double) dead / cols,
                (double) saturated / n, values);
    }

    /** The histogram of the values {@link #meanAbs} read last. */
    private Histogram histogram;

    /**
     * Mean |v| over the first n values, and if asked their histogram (into {@link #histogram}), binned over the min and
     * max of the same pass.
     */
    private double meanAbs(double[] v, int n, boolean histogramToo) {
        double s = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double x = v[k];
            s += Math.abs(x);
            if (x < min && x != Double.NEGATIVE_INFINITY) {
                min = x;
            }
            if (x > max && x != Double.POSITIVE_INFINITY) {
                max = x;
            }
        }
        histogram = histogramToo ? Histogram.between(v, n, min, max, Histogram.BINS) : null;
        return s / n;
    }
}
