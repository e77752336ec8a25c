package org.babysitter.engine.model;

import java.util.Arrays;
import java.util.List;

import org.ejml.data.DMatrixRMaj;

/**
 * Batch normalization (Ioffe and Szegedy, 2015), per feature over the rows of a mini-batch:
 * {@code x_hat = (x - mu_B) / sqrt(var_B + eps)}, {@code y = gamma * x_hat + beta}. In {@link Mode#TRAIN}
 * it uses the batch's mean and (biased) variance and updates running averages
 * {@code running = momentum * running + (1 - momentum) * batch}; in {@link Mode#TEST} it uses the running
 * averages instead, the lecture's "source of many bugs".
 */
public final class BatchNorm implements Layer {
    public static final double MOMENTUM = 0.9;
    public static final double EPS = 1e-5;

    private final Param gamma;
    private final Param beta;
    private final double[] runningMean;
    private final double[] runningVar;
    private final List<Buffer> buffers;
    private final double momentum;
    private final double eps;

    /** Batch norm over {@code features}, its params and buffers named gamma{suffix}, running_mean{suffix}, ... */
    public BatchNorm(String suffix, int features) {
        this(suffix, features, MOMENTUM, EPS);
    }

    public BatchNorm(String suffix, int features, double momentum, double eps) {
        DMatrixRMaj g = new DMatrixRMaj(1, features);
        Arrays.fill(g.data, 1.0);
        this.gamma = new Param("gamma" + suffix, g, false);
        this.beta = new Param("beta" + suffix, new DMatrixRMaj(1, features), false);
        this.runningMean = new double[features];
        this.runningVar = new double[features];
        Arrays.fill(runningVar, 1.0);
        this.buffers = List.of(new Buffer("running_mean" + suffix, runningMean), new Buffer("running_var" + suffix, runningVar));
        this.momentum = momentum;
        this.eps = eps;
    }

    /** Cache: normalised input, 1/std per feature, output and input gradient. */
    static final class Cache extends Layer.Cache {
        final DMatrixRMaj xhat = new DMatrixRMaj(1, 1);
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
        double[] invStd = new double[0];
        double[] mean = new double[0];
        Mode mode;
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache();
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    /** The running mean and variance, live arrays (test mode normalises with them). */
    @Override
    public List<Buffer> buffers() {
        return buffers;
    }

    public int features() {
        return runningMean.length;
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        int n = x.numRows;
        int f = x.numCols;
        if (f != features()) {
            throw new IllegalArgumentException("batch norm over " + features() + " features got " + f);
        }
        if (cache.invStd.length != f) {
            cache.invStd = new double[f];
            cache.mean = new double[f];
        }
        cache.mode = mode;
        double[] mean = cache.mean;
        double[] inv = cache.invStd;
        double[] xd = x.data;
        if (mode == Mode.TRAIN) {
            Arrays.fill(mean, 0);
            double[] var = inv; // reuse: holds the variance, then 1/std
            Arrays.fill(var, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < f; j++) {
                    mean[j] += xd[i * f + j];
                }
            }
            for (int j = 0; j < f; j++) {
                mean[j] /= n;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < f; j++) {
                    double d = xd[i * f + j] - mean[j];
                    var[j] += d * d;
                }
            }
            for (int j = 0; j < f; j++) {
                var[j] /= n;
                runningMean[j] = momentum * runningMean[j] + (1 - momentum) * mean[j];
                runningVar[j] = momentum * runningVar[j] + (1 - momentum) * var[j];
                inv[j] = 1 / Math.sqrt(var[j] + eps);
            }
        } else {
            for (int j = 0; j < f; j++) {
                mean[j] = runningMean[j];
                inv[j] = 1 / Math.sqrt(runningVar[j] + eps);
            }
        }
        cache.xhat.reshape(n, f, false);
        cache.out.reshape(n, f, false);
        double[] xh = cache.xhat.data;
        double[] o = cache.out.data;
        double[] g = gamma.value().data;
        double[] b = beta.value().data;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                int k = i * f + j;
                xh[k] = (xd[k] - mean[j]) * inv[j];
                o[k] = g[j] * xh[k] + b[j];
            }
        }
        return cache.out;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        int n = dout.numRows;
        int f = dout.numCols;
        double[] d = dout.data;
        double[] xh = cache.xhat.data;
        double[] dg = gamma.grad().data;
        double[] db = beta.grad().data;
        Arrays.fill(dg, 0);
        Arrays.fill(db, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                int k = i * f + j;
                db[j] += d[k];
                dg[j] += d[k] * xh[k];
            }
        }
        cache.dx.reshape(n, f, false);
        double[] dx = cache.dx.data;
        double[] g = gamma.value().data;
        double[] inv = cache.invStd;
        if (cache.mode == Mode.TRAIN) {
            // dx = gamma / (N std) * (N dout - sum(dout) - x_hat * sum(dout * x_hat))
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < f; j++) {
                    int k = i * f + j;
                    dx[k] = g[j] * inv[j] / n * (n * d[k] - db[j] - xh[k] * dg[j]);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < f; j++) {
                    int k = i * f + j;
                    dx[k] = d[k] * g[j] * inv[j];
                }
            }
        }
        return cache.dx;
    }

    @Override
    public String describe() {
        return "batch norm " + features();
    }
}
