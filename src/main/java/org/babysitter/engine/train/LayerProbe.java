package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.model.Layer;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Param;
import org.ejml.data.DMatrixRMaj;

/**
 * Takes a {@link LayerStatistics} sample from a net right after a training step: each layer's output on that step's
 * batch (mean, std, dead units, saturated outputs) and each weight matrix's gradient and values (mean absolute).
 * It only reads: the float copies the step runs on stay as they are, so a run sampled gives the same numbers as a run
 * not sampled.
 */
final class LayerProbe {
    /** Within this fraction of the span between a squashing activation's bounds counts as saturated (tanh: |y| > 0.98). */
    static final double SATURATION_MARGIN = 0.01;

    private LayerProbe() {
    }

    static LayerStatistics sample(Net net, int iteration) {
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
        List<LayerStatistics.Gradient> grads = new ArrayList<>();
        for (Param w : net.weights()) {
            grads.add(new LayerStatistics.Gradient(w.name(), meanAbs(w.gradForProduct(), w.size()),
                    meanAbs(w.forProduct(), w.size())));
        }
        return new LayerStatistics(iteration, out, grads);
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
        return new LayerStatistics.Output("0 input", x.numCols, mean, Math.sqrt(Math.max(0, squares / n - mean * mean)), 0, 0);
    }

    static LayerStatistics.Output output(String name, DMatrixRMaj y, double[] bounds) {
        int rows = y.numRows;
        int cols = y.numCols;
        double[] d = y.data;
        int n = rows * cols;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += d[k];
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
        return new LayerStatistics.Output(name, cols, mean, Math.sqrt(squares / n), (double) dead / cols,
                (double) saturated / n);
    }

    /** Mean |x| over a weight-sized matrix, read from its float copy when that is the valid one (no conversion). */
    private static double meanAbs(DMatrixRMaj m, int n) {
        float[] f = MirroredMatrix.validMirror(m);
        double s = 0;
        if (f != null) {
            for (int k = 0; k < n; k++) {
                s += Math.abs(f[k]);
            }
        } else {
            MirroredMatrix.ensureData(m);
            for (int k = 0; k < n; k++) {
                s += Math.abs(m.data[k]);
            }
        }
        return s / n;
    }
}
