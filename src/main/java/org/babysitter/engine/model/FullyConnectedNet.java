package org.babysitter.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.model.loss.Loss;
import org.ejml.data.DMatrixRMaj;

/**
 * A fully connected net over any list of hidden sizes (cs231n's FullyConnectedNet):
 * {@code {affine - [batch norm] - activation - [dropout]} x L - affine - loss}, with L2 on the weights only,
 * loss term {@code 0.5 * reg * sum(W^2)}. Parameters are named W1, b1, ..., W{L+1}, b{L+1}; with batch norm a
 * hidden layer has W, gamma, beta and no bias (beta takes its place).
 * Weights are drawn from the config's init with {@code seed}; dropout masks come from a generator split off
 * the same seed, so one seed fixes the whole net.
 */
public final class FullyConnectedNet {
    private final NetConfig config;
    private final Gemm gemm;
    private final List<Layer> layers = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<Param> weights = new ArrayList<>();
    private final List<BatchNorm> batchNorms = new ArrayList<>();
    private final Loss loss;
    private final Workspace training;

    public FullyConnectedNet(NetConfig config, Gemm gemm, long seed) {
        this.config = config;
        this.gemm = gemm;
        this.loss = config.loss().newLoss();
        SplittableRandom init = new SplittableRandom(seed);
        SplittableRandom dropout = init.split();
        int in = config.inputSize();
        int index = 1;
        for (int h : config.hiddenSizes()) {
            addAffine(index, in, h, !config.batchNorm(), init);
            if (config.batchNorm()) {
                BatchNorm bn = new BatchNorm(Integer.toString(index), h);
                batchNorms.add(bn);
                add(bn);
            }
            add(config.activation().newLayer());
            if (config.dropout() > 0) {
                add(new Dropout(config.dropout(), dropout));
            }
            in = h;
            index++;
        }
        addAffine(index, in, config.classes(), true, init);
        this.training = newWorkspace();
    }

    private void addAffine(int index, int in, int out, boolean bias, SplittableRandom random) {
        // a single-precision backend multiplies the weights' float copy, which the update rule steps (see Param)
        DMatrixRMaj w = gemm.readsFloatCopies() ? MirroredMatrix.of(in, out, true) : new DMatrixRMaj(in, out);
        double std = config.init().stdFor(in);
        for (int i = 0; i < w.data.length; i++) {
            w.data[i] = std * random.nextGaussian();
        }
        Affine affine = new Affine(Integer.toString(index), w, bias, gemm);
        weights.add(affine.weights());
        add(affine);
    }

    private void add(Layer layer) {
        layers.add(layer);
        params.addAll(layer.params());
    }

    /**
     * Buffers for one forward/backward pass. The net has one for training; evaluation threads each take
     * their own, so several can run the net in {@link Mode#TEST} at once.
     */
    public final class Workspace {
        private final Layer.Cache[] caches = new Layer.Cache[layers.size()];
        private final DMatrixRMaj dscores = new DMatrixRMaj(1, 1);

        private Workspace() {
            for (int i = 0; i < caches.length; i++) {
                caches[i] = layers.get(i).newCache();
            }
            // The input needs no gradient: skip the largest product of the backward pass.
            ((Affine.Cache) caches[0]).setInputGradient(false);
        }
    }

    public Workspace newWorkspace() {
        return new Workspace();
    }

    public NetConfig config() {
        return config;
    }

    public Gemm gemm() {
        return gemm;
    }

    /** Every learned tensor, in checkpoint order. */
    public List<Param> params() {
        return Collections.unmodifiableList(params);
    }

    /** The weight matrices W1..W{L+1} (the regularized params), one per affine layer. */
    public List<Param> weights() {
        return Collections.unmodifiableList(weights);
    }

    public List<BatchNorm> batchNorms() {
        return Collections.unmodifiableList(batchNorms);
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Class scores [N x C] for the rows of x, in the workspace's buffer. */
    public DMatrixRMaj scores(DMatrixRMaj x, Mode mode, Workspace ws) {
        DMatrixRMaj h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, mode, ws.caches[i]);
        }
        return h;
    }

    /** Scores with the training workspace. */
    public DMatrixRMaj scores(DMatrixRMaj x, Mode mode) {
        return scores(x, mode, training);
    }

    /** The L2 term {@code 0.5 * reg * sum(W^2)} over the weights. */
    public double regularizationLoss(double reg) {
        if (reg == 0) {
            return 0;
        }
        double sum = 0;
        for (Param w : weights) {
            for (double v : w.value().data) {
                sum += v * v;
            }
        }
        return 0.5 * reg * sum;
    }

    /**
     * One training pass on a mini-batch: the loss (data loss + L2 term) in {@link Mode#TRAIN}, with the
     * gradients of every param, L2 included, written to {@link Param#grad()}. Gradient checks use this.
     */
    public double lossAndGradients(DMatrixRMaj x, int[] labels, double reg) {
        double data = dataLossAndGradients(x, labels);
        if (reg != 0) {
            for (Param w : weights) {
                double[] g = w.grad().data;
                double[] v = w.value().data;
                for (int k = 0; k < g.length; k++) {
                    g[k] += reg * v[k];
                }
            }
        }
        return data + regularizationLoss(reg);
    }

    /**
     * The training pass without the L2 term: the data loss, and gradients of the data loss only. The trainer
     * uses it because its update rule adds the L2 gradient and measures sum(W^2) in its own pass over the
     * weights (see {@link org.babysitter.engine.train.optim.UpdateRule}).
     */
    public double dataLossAndGradients(DMatrixRMaj x, int[] labels) {
        DMatrixRMaj scores = scores(x, Mode.TRAIN, training);
        double data = loss.loss(scores, labels, training.dscores);
        DMatrixRMaj d = training.dscores;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d, training.caches[i]);
        }
        return data;
    }

    /** Tells the net its param values were written from outside an update rule (float copies go stale). */
    public void paramsChanged() {
        for (Param p : params) {
            MirroredMatrix.invalidate(p.value());
        }
    }

    /** The loss without gradients, in the given mode (TRAIN mode still updates batch-norm running averages). */
    public double loss(DMatrixRMaj x, int[] labels, double reg, Mode mode) {
        return loss.loss(scores(x, mode, training), labels, null) + regularizationLoss(reg);
    }

    /** How many rows of x the net classifies right (argmax of test-mode scores). */
    public int countCorrect(DMatrixRMaj x, int[] labels, Workspace ws) {
        DMatrixRMaj s = scores(x, Mode.TEST, ws);
        int c = s.numCols;
        int correct = 0;
        for (int i = 0; i < s.numRows; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (s.data[i * c + j] > s.data[i * c + best]) {
                    best = j;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** Freezes (or releases) the dropout masks of the training workspace, for gradient checks. */
    public void freezeDropoutMasks(boolean frozen) {
        for (Layer.Cache c : training.caches) {
            if (c instanceof Dropout.Cache dc) {
                dc.freezeMask(frozen);
            }
        }
    }

    /** A copy of every param value and batch-norm running statistic. */
    public State snapshot() {
        State s = new State(this);
        s.copyFrom(this);
        return s;
    }

    /** Puts a snapshot's values back. */
    public void restore(State state) {
        state.copyTo(this);
        paramsChanged();
    }

    /** Saved values of a net's params and running statistics, reusable across saves. */
    public static final class State {
        private final double[][] values;
        private final double[][] running;

        private State(FullyConnectedNet net) {
            values = new double[net.params.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = new double[net.params.get(i).size()];
            }
            running = new double[net.batchNorms.size() * 2][];
            for (int i = 0; i < net.batchNorms.size(); i++) {
                running[2 * i] = new double[net.batchNorms.get(i).features()];
                running[2 * i + 1] = new double[net.batchNorms.get(i).features()];
            }
        }

        /** Overwrites this state with the net's current values. */
        public void copyFrom(FullyConnectedNet net) {
            for (int i = 0; i < values.length; i++) {
                System.arraycopy(net.params.get(i).value().data, 0, values[i], 0, values[i].length);
            }
            for (int i = 0; i < net.batchNorms.size(); i++) {
                BatchNorm bn = net.batchNorms.get(i);
                System.arraycopy(bn.runningMean(), 0, running[2 * i], 0, bn.features());
                System.arraycopy(bn.runningVar(), 0, running[2 * i + 1], 0, bn.features());
            }
        }

        private void copyTo(FullyConnectedNet net) {
            for (int i = 0; i < values.length; i++) {
                System.arraycopy(values[i], 0, net.params.get(i).value().data, 0, values[i].length);
            }
            for (int i = 0; i < net.batchNorms.size(); i++) {
                BatchNorm bn = net.batchNorms.get(i);
                System.arraycopy(running[2 * i], 0, bn.runningMean(), 0, bn.features());
                System.arraycopy(running[2 * i + 1], 0, bn.runningVar(), 0, bn.features());
            }
        }
    }
}
