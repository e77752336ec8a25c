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
    /**
     * A weight's gradient and update histograms bin at most this many entries, every k-th of a larger tensor (their
     * range still the whole tensor's min and max): thirty bins need no more for their shape, and binning every entry of
     * W1 was most of a sample's cost.
     */
    public static final int HISTOGRAM_ENTRIES = 1 << 15;

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
            read(w.forProduct(), w.size(), null, 1, before[i]);
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
            int stride = (n + HISTOGRAM_ENTRIES - 1) / HISTOGRAM_ENTRIES;
            double[] v = buffer(HISTOGRAM_ENTRIES);
            int kept = read(w.gradForProduct(), n, null, stride, v);
            double gradient = sumAbs / n;
            Histogram gh = Histogram.between(v, kept, min, max, Histogram.BINS);
            // W now, and the update (W now minus W before), in one pass
            read(w.forProduct(), n, haveBefore ? before[i] : null, stride, v);
            double value = sumAbs / n;
            Histogram uh = Histogram.NONE;
            double update = Double.NaN;
            if (haveBefore) {
                update = sumAbsWritten / n;
                uh = Histogram.between(v, kept, min, max, Histogram.BINS);
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
            out.add(output((i + 1) + " " + layers.get(i).describe(), y, layers.get(i).saturationBounds(), net.outputVolume(i)));
        }
        return out;
    }

    private double[] buffer(int n) {
        if (values.length < n) {
            values = new double[n];
        }
        return values;
    }

    /** What {@link #read} measured last: the sum of |value|, and the sum of |x|, the min and the max of what it wrote. */
    private double sumAbs;
    private double sumAbsWritten;
    private double min;
    private double max;

    /**
     * The first n values of m, minus {@code minus} entry by entry if given, every {@code stride}-th of them into {@code
     * into}, read from m's float copy when that is the valid one (no conversion of m), measuring on the way what the
     * sample reports of all of them: one pass. Returns how many it wrote.
     */
    private int read(DMatrixRMaj m, int n, double[] minus, int stride, double[] into) {
        float[] f = MirroredMatrix.validMirror(m);
        if (f == null) {
            MirroredMatrix.ensureData(m);
        }
        double[] d = m.data;
        double s = 0;
        double sw = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int next = 0;
        int written = 0;
        for (int k = 0; k < n; k++) {
            double x = f != null ? f[k] : d[k];
            double y = minus == null ? x : x - minus[k];
            if (k == next) {
                into[written++] = y;
                next += stride;
            }
            s += Math.abs(x);
            sw += Math.abs(y);
            if (y < lo && y != Double.NEGATIVE_INFINITY) { // NaN compares false: left out, as the histogram leaves it
                lo = y;
            }
            if (y > hi && y != Double.POSITIVE_INFINITY) {
                hi = y;
            }
        }
        sumAbs = s;
        sumAbsWritten = sw;
        min = lo;
        max = hi;
        return written;
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
        return output(name, y, bounds, null);
    }

    /**
     * A layer's output statistics. Dead units: for a fully connected layer, units 0 for the whole batch; for an image
     * (a conv layer's channels, {@code volume} not null), the units of the filters that are 0 at every position of every
     * example: a position at the image's edge may be 0 for a whole batch while its filter is alive elsewhere.
     */
    static LayerStatistics.Output output(String name, DMatrixRMaj y, double[] bounds, org.babysitter.engine.model.Volume volume) {
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
        if (volume != null && volume.size() == cols) {
            int area = volume.area();
            for (int ch = 0; ch < volume.channels(); ch++) {
                boolean allZero = true;
                for (int i = 0; i < rows && allZero; i++) {
                    int from = i * cols + ch * area;
                    for (int q = 0; q < area && allZero; q++) {
                        allZero = d[from + q] == 0;
                    }
                }
                if (allZero) {
                    dead += area;
                }
            }
        } else {
            for (int j = 0; j < cols; j++) {
                boolean allZero = true;
                for (int i = 0; i < rows && allZero; i++) {
                    allZero = d[i * cols + j] == 0;
                }
                if (allZero) {
                    dead++;
                }
            }
        }
        Histogram values = bounds == null ? Histogram.between(d, n, min, max, Histogram.BINS)
                : Histogram.of(d, n, bounds[0], bounds[1], Histogram.BINS); // a squashing layer: its whole range
        return new LayerStatistics.Output(name, cols, mean, Math.sqrt(squares / n), (double) dead / cols,
                (double) saturated / n, values);
    }
}
