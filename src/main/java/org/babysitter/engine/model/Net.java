package org.babysitter.engine.model;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.babysitter.engine.SplitMix;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.model.loss.Loss;
import org.babysitter.engine.model.loss.LossKind;
import org.ejml.data.DMatrixRMaj;

/**
 * A net is a list of layers and a loss (cs231n's FullyConnectedNet, generalised): scores are the layers' forward
 * passes in order, gradients their backward passes in reverse. L2 applies to the {@linkplain Param#regularized()
 * regularized} params (the weights), loss term {@code 0.5 * reg * sum(W^2)}. Built with a {@link Builder}, which
 * names the params W1, b1, gamma1, ... and draws the weights from one seed; dropout masks come from a generator
 * split off the same seed, so one seed fixes the whole net.
 * <p>
 * Nothing here knows a kind of layer: params, buffers, kinks and frozen randomness come through {@link Layer}.
 */
public final class Net {
    private final List<Layer> layers;
    private final List<Param> params = new ArrayList<>();
    private final List<Param> weights = new ArrayList<>();
    private final List<Layer.Buffer> buffers = new ArrayList<>();
    private final Loss loss;
    private final LossKind lossKind;
    private final Gemm gemm;
    private final int inputs;
    private final int outputs;
    private final String description;
    private final Workspace training;
    /** Where the dropout masks come from: part of the net's state, so a copied state draws the same masks next. */
    private final SplitMix masks;
    private final long valuesPerRow;
    /** Per layer, the image shape of its output (conv, pooling, and the layers between them), else null. */
    private final List<Volume> volumes;

    private Net(List<Layer> layers, LossKind lossKind, Gemm gemm, int inputs, int outputs, String description, SplitMix masks,
                long valuesPerRow, List<Volume> volumes) {
        this.valuesPerRow = valuesPerRow;
        this.volumes = java.util.Collections.unmodifiableList(new ArrayList<>(volumes));
        this.layers = List.copyOf(layers);
        for (Layer l : this.layers) {
            params.addAll(l.params());
            buffers.addAll(l.buffers());
        }
        params.stream().filter(Param::regularized).forEach(weights::add);
        this.loss = lossKind.newLoss();
        this.lossKind = lossKind;
        this.gemm = gemm;
        this.inputs = inputs;
        this.outputs = outputs;
        this.description = description;
        this.training = newWorkspace();
        this.masks = masks;
    }

    /** A builder for a net over inputs of {@code inputSize} features, its weights drawn with {@code seed}. */
    public static Builder builder(int inputSize, Gemm gemm, long seed) {
        return new Builder(inputSize, gemm, seed);
    }

    /**
     * Adds layers in order and keeps track of the width between them. Params are numbered by the affine layer they
     * follow (W1, b1, gamma1, beta1, W2, ...), as cs231n names them.
     */
    public static final class Builder {
        private final List<Layer> layers = new ArrayList<>();
        private final Gemm gemm;
        private final SplitMix init;
        private final SplitMix dropout;
        private final int inputs;
        private int width;
        private int index;
        /** The shape of the current output while it is an image (after {@link #image}, conv and pool layers), else null. */
        private Volume volume;
        private final List<Volume> volumes = new ArrayList<>();
        /** Values a forward pass keeps per example: the input and every layer's output. */
        private long valuesPerRow;

        private Builder(int inputSize, Gemm gemm, long seed) {
            if (inputSize < 1) {
                throw new IllegalArgumentException("input size must be positive, got " + inputSize);
            }
            this.inputs = inputSize;
            this.width = inputSize;
            this.gemm = gemm;
            this.init = new SplitMix(seed);
            this.dropout = init.split();
        }

        /** An affine layer to {@code out} features, weights drawn from {@code weightInit}, biases 0 (none if not {@code bias}). */
        public Builder affine(int out, WeightInit weightInit, boolean bias) {
            index++;
            Param w = weights(width, out, weightInit);
            Param b = bias ? new Param("b" + index, new DMatrixRMaj(1, out), false) : null;
            return add(new Affine(w, b, gemm), out);
        }

        /** The next layer's weights W{index} [fanIn x out], drawn from {@code weightInit} with this fan-in. */
        private Param weights(int fanIn, int out, WeightInit weightInit) {
            // a single-precision backend multiplies the weights' float copy, which the update rule steps (see Param)
            Param w = Param.zeros("W" + index, fanIn, out, true, gemm.readsFloatCopies());
            double std = weightInit.stdFor(fanIn);
            double[] v = w.value().data;
            for (int i = 0; i < v.length; i++) {
                v[i] = std * init.nextGaussian();
            }
            return w;
        }

        /** The input is an image of this shape (its size must be the input size): conv and pool layers can follow. */
        public Builder image(Volume v) {
            if (v.size() != width || !layers.isEmpty()) {
                throw new IllegalStateException("the image " + v + " must be the net's input of " + width + " values");
            }
            volume = v;
            return this;
        }

        /**
         * A convolution of {@code filters} k x k filters over the current image, weights drawn from {@code weightInit}
         * with fan-in C*k*k, biases 0 (none when {@code bias} is false: batch norm follows and its beta does their job).
         */
        public Builder conv(int filters, int kernel, int stride, int pad, WeightInit weightInit, boolean bias) {
            Volume in = requireImage("a convolution");
            index++;
            int fanIn = in.channels() * kernel * kernel;
            Param w = weights(fanIn, filters, weightInit);
            Param b = bias ? new Param("b" + index, new DMatrixRMaj(1, filters), false) : null;
            Conv conv = new Conv(w, b, in, kernel, stride, pad, gemm);
            return add(conv, conv.output().size(), conv.output());
        }

        /** Spatial batch normalization of the current image, named after the last conv layer. */
        public Builder spatialBatchNorm() {
            Volume v = requireImage("spatial batch norm");
            return add(new SpatialBatchNorm(Integer.toString(index), v), v.size(), v);
        }

        /** Max pooling of the current image over non-overlapping size x size windows. */
        public Builder maxPool(int size) {
            MaxPool pool = new MaxPool(requireImage("max pooling"), size, size, gemm.threads());
            return add(pool, pool.output().size(), pool.output());
        }

        private Volume requireImage(String what) {
            if (volume == null) {
                throw new IllegalStateException(what + " needs an image input (image(...) first, no affine layer before it)");
            }
            return volume;
        }

        /** Batch normalization over the current width, named after the last affine layer. */
        public Builder batchNorm() {
            return add(new BatchNorm(Integer.toString(index), width), width);
        }

        public Builder activation(Activation activation) {
            return add(activation.newLayer(gemm.threads()), width);
        }

        /** Inverted dropout with probability {@code p}; its masks come from the net's seed. */
        public Builder dropout(double p) {
            return add(new Dropout(p, dropout), width);
        }

        /** Any layer, whose output has {@code outputWidth} features (an image keeps its shape only through activations). */
        public Builder add(Layer layer, int outputWidth) {
            return add(layer, outputWidth, outputWidth == width && !(layer instanceof Affine) ? volume : null);
        }

        private Builder add(Layer layer, int outputWidth, Volume outputVolume) {
            if (layers.isEmpty()) {
                valuesPerRow += inputs;
            }
            valuesPerRow += outputWidth;
            layers.add(layer);
            volumes.add(outputVolume);
            width = outputWidth;
            volume = outputVolume;
            return this;
        }

        /** The net, its scores [N x width] fed to {@code loss}; {@code description} in words for logs and the window. */
        public Net build(LossKind loss, String description) {
            if (layers.isEmpty()) {
                throw new IllegalStateException("a net needs at least one layer");
            }
            return new Net(layers, loss, gemm, inputs, width, description, dropout, valuesPerRow, volumes);
        }
    }

    /**
     * Buffers for one forward/backward pass. The net has one for training; evaluation threads each take their own,
     * so several can run the net in {@link Mode#TEST} at once.
     */
    public final class Workspace {
        private final Layer.Cache[] caches = new Layer.Cache[layers.size()];
        private final DMatrixRMaj[] outputs = new DMatrixRMaj[layers.size()];
        private DMatrixRMaj input;
        private int[] predicted = new int[0];
        private final DMatrixRMaj dscores = new DMatrixRMaj(1, 1);
        private DMatrixRMaj scores;

        private Workspace() {
            for (int i = 0; i < caches.length; i++) {
                caches[i] = layers.get(i).newCache();
            }
            caches[0].setInputGradient(false); // the input needs no gradient: the largest product of backward skipped
        }

        private int[] predicted(int rows) {
            if (predicted.length < rows) {
                predicted = new int[rows];
            }
            return predicted;
        }
    }

    public Workspace newWorkspace() {
        return new Workspace();
    }

    public Gemm gemm() {
        return gemm;
    }

    /** The loss the scores feed. */
    public LossKind lossKind() {
        return lossKind;
    }

    /** Features per input row (D). */
    public int inputs() {
        return inputs;
    }

    /** Scores per row: the number of classes (C). */
    public int outputs() {
        return outputs;
    }

    /** The net in words, e.g. "3072-50-10 ReLU, gaussian std 1.0E-4, softmax". */
    public String describe() {
        return description;
    }

    /** Every learned tensor, in checkpoint order. */
    public List<Param> params() {
        return java.util.Collections.unmodifiableList(params);
    }

    /** The regularized params (the weight matrices): L2 and the per-layer update ratios apply to them. */
    public List<Param> weights() {
        return java.util.Collections.unmodifiableList(weights);
    }

    /** Every saved state that is not learned (running statistics), in checkpoint order. */
    public List<Layer.Buffer> buffers() {
        return java.util.Collections.unmodifiableList(buffers);
    }

    /**
     * Values (doubles) a forward pass keeps per example: the input and every layer's output (a convolution's im2col
     * columns are per part of the batch, not per example); what a chunk of rows costs in memory.
     */
    public long valuesPerRow() {
        return valuesPerRow;
    }

    /** The image shape of layer {@code i}'s output (a conv net's layers up to the last pooling), or null. */
    public Volume outputVolume(int i) {
        return volumes.get(i);
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Class scores [N x C] for the rows of x, in the workspace's buffer. */
    public DMatrixRMaj scores(DMatrixRMaj x, Mode mode, Workspace ws) {
        DMatrixRMaj h = x;
        ws.input = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (!layer.readsFloatOnly()) {
                MirroredMatrix.ensureData(h);
            }
            h = layer.forward(h, mode, ws.caches[i]);
            ws.outputs[i] = h;
        }
        MirroredMatrix.ensureData(h);
        ws.scores = h;
        return h;
    }

    /**
     * Every layer's output of the last training pass, in order (the last is the scores): the caches' own buffers,
     * valid until the next pass, to read only (a float product's output may be held in its float copy:
     * {@code MirroredMatrix.ensureData} first). Null entries before the first pass.
     */
    public List<DMatrixRMaj> lastTrainingOutputs() {
        return java.util.Arrays.asList(training.outputs.clone());
    }

    /** The input of the last training pass (the caller's matrix, to read only), or null before the first. */
    public DMatrixRMaj lastTrainingInput() {
        return training.input;
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
     * One training pass on a mini-batch: the loss (data loss + L2 term) in {@link Mode#TRAIN}, with the gradients of
     * every param, L2 included, written to {@link Param#grad()}. Gradient checks use this.
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
     * The training pass without the L2 term: the data loss, and gradients of the data loss only. The trainer uses it
     * because its update rule adds the L2 gradient and measures sum(W^2) in its own pass over the weights.
     */
    public double dataLossAndGradients(DMatrixRMaj x, int[] labels) {
        DMatrixRMaj scores = scores(x, Mode.TRAIN, training);
        double data = loss.loss(scores, labels, training.dscores);
        DMatrixRMaj d = training.dscores;
        for (int i = layers.size() - 1; i >= 0 && d != null; i--) {
            Layer layer = layers.get(i);
            if (!layer.readsFloatOnly()) {
                MirroredMatrix.ensureData(d);
            }
            d = layer.backward(d, training.caches[i]);
        }
        return data;
    }

    /** The loss without gradients, in the given mode (TRAIN mode still updates batch-norm running averages). */
    public double loss(DMatrixRMaj x, int[] labels, double reg, Mode mode) {
        return loss.loss(scores(x, mode, training), labels, null) + regularizationLoss(reg);
    }

    /** How many rows of x the net classifies right (argmax of test-mode scores). */
    public int countCorrect(DMatrixRMaj x, int[] labels, Workspace ws) {
        int[] predicted = ws.predicted(x.numRows);
        predict(x, ws, predicted);
        int correct = 0;
        for (int i = 0; i < x.numRows; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** The class each row of x is given (argmax of the test-mode scores, the first of equal ones), into {@code out}. */
    public void predict(DMatrixRMaj x, Workspace ws, int[] out) {
        DMatrixRMaj s = scores(x, Mode.TEST, ws);
        int c = s.numCols;
        for (int i = 0; i < s.numRows; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (s.data[i * c + j] > s.data[i * c + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
    }

    /** Freezes (or releases) the random choices of the training workspace (dropout masks), for gradient checks. */
    public void freezeRandomness(boolean frozen) {
        for (Layer.Cache c : training.caches) {
            c.freezeRandomness(frozen);
        }
    }

    /**
     * Which side of its kinks every input of a kinked layer (and the loss) was on in the last training-workspace
     * forward pass: equal lists at x+h and x-h mean no kink was crossed in between.
     */
    public List<BitSet> kinkSides(int[] labels) {
        List<BitSet> sides = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            BitSet s = layers.get(i).kinkSides(training.caches[i]);
            if (s != null) {
                sides.add(s);
            }
        }
        BitSet l = training.scores == null ? null : loss.kinkSides(training.scores, labels);
        if (l != null) {
            sides.add(l);
        }
        return sides;
    }

    /** A copy of every param value and buffer, and of where the next dropout masks come from. */
    public State snapshot() {
        State s = new State();
        s.copyFrom(this);
        return s;
    }

    /**
     * Puts a snapshot's values back: one taken from this net, or from another net built from the same config (a run
     * forked from another's state).
     */
    public void restore(State state) {
        state.copyTo(this);
    }

    /**
     * Saved values of a net's params and buffers and its dropout generator, reusable across saves of the same net and
     * restorable into any net of the same shapes.
     */
    public final class State {
        private final double[][] values = new double[params.size()][];
        private final double[][] saved = new double[buffers.size()][];
        private final SplitMix masksAt = masks.copy();

        private State() {
            for (int i = 0; i < values.length; i++) {
                values[i] = new double[params.get(i).size()];
            }
            for (int i = 0; i < saved.length; i++) {
                saved[i] = new double[buffers.get(i).values().length];
            }
        }

        /** A copy of this state, of the same net. */
        public State copy() {
            State c = new State();
            for (int i = 0; i < values.length; i++) {
                System.arraycopy(values[i], 0, c.values[i], 0, values[i].length);
            }
            for (int i = 0; i < saved.length; i++) {
                System.arraycopy(saved[i], 0, c.saved[i], 0, saved[i].length);
            }
            c.masksAt.setState(masksAt);
            return c;
        }

        /** Overwrites this state with the net's current values. */
        public void copyFrom(Net net) {
            check(net);
            for (int i = 0; i < values.length; i++) {
                System.arraycopy(net.params.get(i).value().data, 0, values[i], 0, values[i].length);
            }
            for (int i = 0; i < saved.length; i++) {
                System.arraycopy(net.buffers.get(i).values(), 0, saved[i], 0, saved[i].length);
            }
            masksAt.setState(net.masks);
        }

        private void copyTo(Net net) {
            check(net);
            for (int i = 0; i < values.length; i++) {
                System.arraycopy(values[i], 0, net.params.get(i).value().data, 0, values[i].length);
            }
            for (int i = 0; i < saved.length; i++) {
                System.arraycopy(saved[i], 0, net.buffers.get(i).values(), 0, saved[i].length);
            }
            net.masks.setState(masksAt);
        }

        private void check(Net net) {
            if (net == Net.this) {
                return;
            }
            boolean same = net.params.size() == values.length && net.buffers.size() == saved.length;
            for (int i = 0; same && i < values.length; i++) {
                same = net.params.get(i).size() == values[i].length && net.params.get(i).name().equals(params.get(i).name());
            }
            for (int i = 0; same && i < saved.length; i++) {
                same = net.buffers.get(i).values().length == saved[i].length;
            }
            if (!same) {
                throw new IllegalArgumentException("a state fits only a net of the same layers and shapes: "
                        + description + " vs " + net.description);
            }
        }
    }
}
