package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.model.FullyConnectedNet;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.preprocess.Preprocessor;
import org.babysitter.engine.train.optim.UpdateRule;
import org.ejml.data.DMatrixRMaj;

/**
 * The lecture's trainer (cs231n's Solver loop): mini-batch steps with an update rule, per-epoch learning-rate
 * decay, train/val accuracy every epoch, the best-validation parameters kept. It runs on the calling thread
 * ({@link #run()} blocks), reports to {@link TrainingListener}s on that thread, and takes mid-run
 * {@link TrainerControls} from any other.
 * <p>
 * Divergence ends a run: a NaN or infinite loss, or a loss above {@value #DIVERGENCE_FACTOR} times the first
 * iteration's ("if the cost ever exceeds 3x the original cost, break out early"). At the end the net holds
 * the parameters of the best validation epoch.
 */
public final class Trainer {
    public static final double DIVERGENCE_FACTOR = 3;

    private final FullyConnectedNet net;
    private final Dataset data;
    private final Preprocessor preprocessor;
    private final TrainConfig config;
    private final TrainerControls controls;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private volatile double learningRate;
    private volatile double reg;
    private volatile int iteration;

    public Trainer(FullyConnectedNet net, Dataset data, Preprocessor preprocessor, TrainConfig config) {
        this(net, data, preprocessor, config, new TrainerControls());
    }

    /** A trainer taking its controls from {@code controls}, which may have been used before the run starts (paused, stepped). */
    public Trainer(FullyConnectedNet net, Dataset data, Preprocessor preprocessor, TrainConfig config, TrainerControls controls) {
        this.controls = controls;
        if (net.config().classes() != data.classCount()) {
            throw new IllegalArgumentException("the net has " + net.config().classes() + " classes, the data "
                    + data.classCount());
        }
        this.net = net;
        this.data = data;
        this.preprocessor = preprocessor;
        this.config = config;
        this.learningRate = config.learningRate();
        this.reg = config.reg();
    }

    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TrainingListener listener) {
        listeners.remove(listener);
    }

    /** The listeners now attached, in the order they hear each event (a read-only view; safe from any thread). */
    public List<TrainingListener> listeners() {
        return java.util.Collections.unmodifiableList(listeners);
    }

    public TrainerControls controls() {
        return controls;
    }

    public FullyConnectedNet net() {
        return net;
    }

    public TrainConfig config() {
        return config;
    }

    /** The learning rate in use now (read from any thread). */
    public double learningRate() {
        return learningRate;
    }

    /** The reg in use now (read from any thread). */
    public double reg() {
        return reg;
    }

    /** Iterations done so far (read from any thread). */
    public int iteration() {
        return iteration;
    }

    /** Iterations in one epoch: training images / batch size (at least 1). */
    public int iterationsPerEpoch() {
        return Math.max(data.train().size() / batchSize(), 1);
    }

    private int batchSize() {
        return Math.min(config.batchSize(), data.train().size());
    }

    /** Trains until done, stopped or diverged. Call once. */
    public TrainResult run() {
        ImageSet train = data.train();
        int n = train.size();
        int batch = batchSize();
        int perEpoch = iterationsPerEpoch();
        int total = perEpoch * config.epochs();
        SplittableRandom random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        Evaluator evaluator = new Evaluator(net, preprocessor);
        Step step = new Step(net, preprocessor, train, batch, config.sampleBatches(),
                config.updateRule().create(config.momentum()), random);
        int[] sampleOrder = identity(n);
        List<Param> weights = net.weights();
        List<EpochMetrics> epochs = new ArrayList<>();
        FullyConnectedNet.State best = net.snapshot();
        double bestVal = -1;
        int bestEpoch = 0;
        double firstLoss = Double.NaN;
        double loss = Double.NaN;
        String diverged = null;
        boolean stopped = false;
        boolean paused = false;
        long active = 0;

        publish(new RunEvent.Started(0, net.config().describe(), config.describeRule(),
                weights.stream().map(Param::name).toList(), perEpoch, total, config.epochs(), batch, learningRate, reg,
                n, data.val().size(), data.classCount(), config.seed(), net.gemm().name()));

        for (int it = 0; it < total; it++) {
            // ---- between iterations: pause, stop and control changes
            if (controls.mustWait()) {
                if (!paused) {
                    paused = true;
                    publish(new RunEvent.Paused(it));
                }
                try {
                    controls.awaitTurn();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                    break;
                }
            }
            if (controls.isStopped() || Thread.currentThread().isInterrupted()) {
                stopped = true;
                break;
            }
            boolean stillPaused = controls.beginIteration();
            if (paused && !stillPaused) {
                paused = false;
                publish(new RunEvent.Resumed(it));
            } else if (!paused && stillPaused) {
                paused = true; // a step asked while running: this iteration is the step
                publish(new RunEvent.Paused(it));
            }
            applyControls(it);

            long start = System.nanoTime();
            int epochIndex = it / perEpoch;
            int inEpoch = it % perEpoch;
            double lr = learningRate;
            double r = reg;
            double dataLoss = step.run(inEpoch, lr, r);
            if (!Double.isFinite(dataLoss)) {
                loss = dataLoss;
                active += System.nanoTime() - start;
                diverged = String.format(Locale.ROOT, "loss became %s at iteration %d (epoch %.2f): the learning rate is too high"
                        + " (NaN almost always means a high learning rate)",
                        Double.isNaN(loss) ? "NaN" : "infinite", it + 1, (double) (it + 1) / perEpoch);
                iteration = it;
                publish(new RunEvent.Diverged(it, loss, diverged));
                break;
            }
            loss = dataLoss + 0.5 * r * step.squares;
            if (it == 0) {
                firstLoss = loss;
            }
            active += System.nanoTime() - start;
            iteration = it + 1;
            publish(new IterationMetrics(it + 1, (double) (it + 1) / perEpoch, loss, lr, r, boxed(step.ratios), active));
            if (!Double.isFinite(loss) || loss > DIVERGENCE_FACTOR * firstLoss) {
                diverged = !Double.isFinite(loss)
                        ? String.format(Locale.ROOT, "loss became infinite at iteration %d (epoch %.2f): the weights blew up;"
                        + " the learning rate is too high", it + 1, (double) (it + 1) / perEpoch)
                        : String.format(Locale.ROOT, "loss %.4g exceeded %s times the initial loss %.4g at iteration %d"
                        + " (epoch %.2f): the learning rate is too high", loss, "3", firstLoss, it + 1, (double) (it + 1) / perEpoch);
                publish(new RunEvent.Diverged(it + 1, loss, diverged));
                break;
            }

            // ---- end of an epoch: accuracies, best params, decay
            if (inEpoch == perEpoch - 1) {
                long evalStart = System.nanoTime();
                int k = Math.min(config.trainAccuracySample(), n);
                if (k < n) {
                    partialShuffle(sampleOrder, n, k, random);
                }
                double trainAcc = evaluator.accuracy(train, sampleOrder, k);
                double valAcc = evaluator.accuracy(data.val());
                active += System.nanoTime() - evalStart;
                EpochMetrics em = new EpochMetrics(epochIndex + 1, config.epochs(), it + 1, loss, trainAcc, valAcc, lr, active);
                epochs.add(em);
                double score = Double.isNaN(valAcc) ? trainAcc : valAcc;
                if (score > bestVal) {
                    bestVal = score;
                    bestEpoch = epochIndex + 1;
                    best.copyFrom(net);
                }
                publish(em);
                learningRate = learningRate * config.learningRateDecay();
            }
        }
        if (bestEpoch > 0) {
            net.restore(best);
        }
        boolean completed = diverged == null && !stopped;
        double bestAcc = bestEpoch > 0 ? bestVal : Double.NaN;
        if (diverged == null) {
            publish(new RunEvent.Finished(iteration, completed, bestAcc, bestEpoch, active));
        }
        return new TrainResult(iteration, completed, diverged, bestAcc, bestEpoch, epochs, firstLoss, loss);
    }

    /**
     * One run's step buffers and the step itself: a batch sampled, turned into rows, forward and backward, every
     * param updated. It is a method of its own, called every iteration, so the JIT compiles it once and every
     * later run reuses that code; inlined into {@link #run()}'s loop it was recompiled for each new run (an
     * on-stack replacement of a method run only once), and on two cores that compilation took one of them for the
     * first seconds of every run.
     */
    private static final class Step {
        private final FullyConnectedNet net;
        private final Preprocessor preprocessor;
        private final ImageSet train;
        private final int batch;
        private final boolean sampleBatches;
        private final UpdateRule rule;
        private final SplittableRandom random;
        private final DMatrixRMaj xBatch;
        private final UpdateRule.Stats stats = new UpdateRule.Stats();
        private final int[] batchIdx;
        private final int[] yBatch;
        private final int[] order;
        private final List<Param> params;
        /** norm(update) / norm(W) per weight matrix, of the last step. */
        final double[] ratios;
        /** sum(W^2) over the weights before the last step: the loss's L2 term is 0.5 * reg * squares. */
        double squares;

        Step(FullyConnectedNet net, Preprocessor preprocessor, ImageSet train, int batch, boolean sampleBatches,
             UpdateRule rule, SplittableRandom random) {
            this.net = net;
            this.preprocessor = preprocessor;
            this.train = train;
            this.batch = batch;
            this.sampleBatches = sampleBatches;
            this.rule = rule;
            this.random = random;
            this.xBatch = MirroredMatrix.of(batch, preprocessor.shift().length, net.gemm().readsFloatCopies());
            this.batchIdx = new int[batch];
            this.yBatch = new int[batch];
            this.order = identity(train.size());
            this.params = net.params();
            this.ratios = new double[net.weights().size()];
        }

        /**
         * One step, {@code inEpoch} iterations into its epoch; returns the data loss (NaN or infinite on
         * divergence, with no update made).
         */
        double run(int inEpoch, double lr, double reg) {
            int n = train.size();
            if (sampleBatches) {
                for (int i = 0; i < batch; i++) {
                    batchIdx[i] = random.nextInt(n);
                }
            } else {
                if (inEpoch == 0) {
                    shuffle(order, n, random);
                }
                System.arraycopy(order, inEpoch * batch, batchIdx, 0, batch);
            }
            for (int i = 0; i < batch; i++) {
                yBatch[i] = train.label(batchIdx[i]);
            }
            preprocessor.rowsInParallel(train, batchIdx, batch, xBatch);
            double dataLoss = net.dataLossAndGradients(xBatch, yBatch);
            if (!Double.isFinite(dataLoss)) {
                return dataLoss;
            }
            // the rule adds the L2 gradient and measures sum(W^2) of the weights before the step: the loss's L2 term
            int w = 0;
            double sum = 0;
            for (Param p : params) {
                rule.apply(p, lr, reg, stats);
                if (p.regularized()) {
                    ratios[w++] = stats.ratio();
                    sum += stats.valueSquares;
                }
            }
            squares = sum;
            return dataLoss;
        }
    }

    private void applyControls(int it) {
        double lr = controls.takeLearningRate();
        if (!Double.isNaN(lr) && lr != learningRate) {
            double old = learningRate;
            learningRate = lr;
            publish(new RunEvent.ControlChanged(it, RunEvent.Control.LEARNING_RATE, old, lr));
        }
        double r = controls.takeReg();
        if (!Double.isNaN(r) && r != reg) {
            double old = reg;
            reg = r;
            publish(new RunEvent.ControlChanged(it, RunEvent.Control.REG, old, r));
        }
    }

    private static List<Double> boxed(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void shuffle(int[] a, int n, SplittableRandom random) {
        partialShuffle(a, n, n, random);
    }

    /** Fisher-Yates on the first k positions: a[0..k) becomes a uniform sample without replacement. */
    private static void partialShuffle(int[] a, int n, int k, SplittableRandom random) {
        for (int i = 0; i < Math.min(k, n - 1); i++) {
            int j = i + random.nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private void publish(RunEvent e) {
        for (TrainingListener l : listeners) {
            l.onEvent(e);
        }
    }

    private void publish(IterationMetrics m) {
        for (TrainingListener l : listeners) {
            l.onIteration(m);
        }
    }

    private void publish(EpochMetrics m) {
        for (TrainingListener l : listeners) {
            l.onEpoch(m);
        }
    }

    /** Builds the net for a config and seed, and a trainer over it (the one way the CLI and the app start runs). */
    public static Trainer create(NetConfig netConfig, Dataset data, Preprocessor preprocessor, TrainConfig config, Gemm gemm) {
        return create(netConfig, data, preprocessor, config, gemm, new TrainerControls());
    }

    public static Trainer create(NetConfig netConfig, Dataset data, Preprocessor preprocessor, TrainConfig config, Gemm gemm,
                                 TrainerControls controls) {
        return new Trainer(new FullyConnectedNet(netConfig, gemm, config.seed()), data, preprocessor, config, controls);
    }

}
