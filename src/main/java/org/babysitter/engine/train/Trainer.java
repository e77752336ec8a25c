package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

import org.babysitter.engine.SplitMix;

import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunReport;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.Net;
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
 * iteration's ("if the cost ever exceeds 3x the original cost, break out early"); the {@link RunEvent.Diverged}
 * event names the likely cause ({@link Divergence}). A run whose controls ask to rewind at a break
 * ({@link TrainerControls#setRewindOnBreak}) keeps its last good state instead ({@link LastGood}), goes back to it
 * and pauses ({@link RunEvent.Rewound}). At the end, diverged or not, the net holds the parameters of the best
 * validation epoch, if any epoch ended.
 */
public final class Trainer {
    public static final double DIVERGENCE_FACTOR = 3;
    /** Rows per forward/backward pass of a full-batch step: the whole training set is done in chunks of this. */
    static final int FULL_BATCH_CHUNK = 1000;

    private final Net net;
    private final Dataset data;
    private final Preprocessor preprocessor;
    private final TrainConfig config;
    private final TrainerControls controls;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private volatile int statisticsEvery;
    /** Time spent taking layer samples (the weights copied before a sampled step, the sample after it). */
    private volatile long statisticsNanos;
    private volatile long snapshotNanos;
    private final int batch;
    private final int perEpoch;
    private final int total;
    private volatile double learningRate;
    private volatile double reg;
    private volatile int iteration;
    private RunEvent.ControlChanged lastChange;
    /** The state this run goes on from (null: a run from its start). */
    private final TrainerState from;

    public Trainer(Net net, Dataset data, Preprocessor preprocessor, TrainConfig config) {
        this(net, data, preprocessor, config, new TrainerControls());
    }

    /**
     * A trainer taking its controls from {@code controls}, which may have been used before the run starts (paused,
     * stepped). A run too long to count ({@code epochs x iterations per epoch} above 2^31 - 1) is refused here.
     */
    public Trainer(Net net, Dataset data, Preprocessor preprocessor, TrainConfig config, TrainerControls controls) {
        this(net, data, preprocessor, config, controls, null);
    }

    /**
     * A trainer going on from {@code from}, a state another run of the same net shapes, config and training set took
     * ({@link TrainerControls#askState()}): a fork when its controls change the learning rate or reg, the original
     * continued when they do not. Its reports start after the state's iteration.
     */
    public Trainer(Net net, Dataset data, Preprocessor preprocessor, TrainConfig config, TrainerControls controls,
                   TrainerState from) {
        if (net.outputs() != data.classCount()) {
            throw new IllegalArgumentException("the net has " + net.outputs() + " classes, the data " + data.classCount());
        }
        if (net.inputs() != preprocessor.features()) {
            throw new IllegalArgumentException("the net takes " + net.inputs() + " inputs, the data has " + preprocessor.features());
        }
        this.net = net;
        this.data = data;
        this.preprocessor = preprocessor;
        this.config = config;
        this.controls = controls;
        int n = data.train().size();
        this.batch = config.effectiveBatch(n);
        this.perEpoch = Math.max(n / batch, 1);
        long iterations = (long) perEpoch * config.epochs();
        if (iterations > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%,d epochs of %,d iterations are %,d iterations, more than a run can count (%,d): train fewer epochs",
                    config.epochs(), perEpoch, iterations, Integer.MAX_VALUE));
        }
        this.total = (int) iterations;
        this.learningRate = config.learningRate();
        this.reg = config.reg();
        if (from != null) {
            if (!from.config.equals(config)) {
                throw new IllegalArgumentException("a run goes on from a state only with the config it was taken with");
            }
            if (from.order.length != n) {
                throw new IllegalArgumentException("the state is of a run on " + from.order.length + " training images, not " + n);
            }
            if (from.iteration >= total) {
                throw new IllegalArgumentException("the state is at the run's end (iteration " + from.iteration + " of " + total + ")");
            }
            this.learningRate = from.learningRate;
            this.reg = from.reg;
            this.iteration = from.iteration;
        }
        this.from = from;
    }

    /**
     * A trainer going on from {@code state} on a net of its own, built from {@code netConfig} (the config the state's
     * run was built from) and given the state's values.
     */
    public static Trainer from(TrainerState state, org.babysitter.engine.model.NetConfig netConfig, Dataset data,
                               Preprocessor preprocessor, org.babysitter.engine.linalg.Gemm gemm, TrainerControls controls) {
        return new Trainer(netConfig.build(gemm, state.config.seed()), data, preprocessor, state.config, controls, state);
    }

    /** Builds the net for a config and seed, and a trainer over it (the one way the CLI and the app start runs). */
    public static Trainer create(org.babysitter.engine.model.NetConfig netConfig, Dataset data, Preprocessor preprocessor,
                                 TrainConfig config, org.babysitter.engine.linalg.Gemm gemm, TrainerControls controls) {
        return new Trainer(netConfig.build(gemm, config.seed()), data, preprocessor, config, controls);
    }

    public static Trainer create(org.babysitter.engine.model.NetConfig netConfig, Dataset data, Preprocessor preprocessor,
                                 TrainConfig config, org.babysitter.engine.linalg.Gemm gemm) {
        return create(netConfig, data, preprocessor, config, gemm, new TrainerControls());
    }

    /**
     * Publishes a {@link LayerStatistics} sample after the first iteration and every {@code every} iterations (0:
     * never, the default). A sample reads the layers' outputs and the weights' gradients without changing them.
     */
    public void sampleLayerStatistics(int every) {
        if (every < 0) {
            throw new IllegalArgumentException("sample every N >= 0 iterations, got " + every);
        }
        statisticsEvery = every;
    }

    /**
     * Nanoseconds this run has spent on layer samples so far: copying the weights before each sampled step and taking
     * the sample after it (not the listeners' time). What {@code bench --assistant} reports as their cost.
     */
    public long statisticsNanos() {
        return statisticsNanos;
    }

    /**
     * A hundred times a run of {@code totalIterations}, at most every 50 iterations: how often a run samples its layers
     * for the assistant and keeps its last good state.
     */
    public static int everyHundredth(int totalIterations) {
        return Math.max(1, Math.min(50, totalIterations / 100));
    }

    /**
     * Keeps the last good state every {@code every} iterations while the controls ask to rewind at a break (default:
     * {@link #everyHundredth} of this run); call before {@link #run()}.
     */
    public void keepLastGoodEvery(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("keep the last good state every N >= 1 iterations, got " + every);
        }
        lastGoodEvery = every;
    }

    private int lastGoodEvery;

    /** Time this run spent copying its last good state (while its controls ask to rewind at a break), read from any thread. */
    public long snapshotNanos() {
        return snapshotNanos;
    }

    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TrainingListener listener) {
        listeners.remove(listener);
    }

    /** The listeners now attached, in the order they hear each report (a read-only view; safe from any thread). */
    public List<TrainingListener> listeners() {
        return java.util.Collections.unmodifiableList(listeners);
    }

    public TrainerControls controls() {
        return controls;
    }

    public Net net() {
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

    /** Iterations in one epoch: training images / batch size (at least 1; 1 for full batches). */
    public int iterationsPerEpoch() {
        return perEpoch;
    }

    /** Images per iteration: the batch size capped at the training set, or all of it for full batches. */
    public int batchSize() {
        return batch;
    }

    /**
     * Trains until done, stopped or diverged. Call once. If it throws (out of memory, say), the net holds the best
     * epoch's parameters, if an epoch ended.
     */
    public TrainResult run() {
        ImageSet train = data.train();
        int n = train.size();
        SplitMix random = new SplitMix(config.seed() ^ 0x5DEECE66DL);
        Evaluator evaluator = new Evaluator(net, preprocessor);
        Step step = new Step(net, preprocessor, train, batch, config.batching(), config.updateRule().create(config.momentum()),
                random, config.augment() ? new Augmentation(NetConfig.imageVolume(preprocessor.features()), config.seed()) : null);
        int[] sampleOrder = identity(n);
        LayerProbe probe = new LayerProbe(net);
        List<EpochMetrics> epochs = new ArrayList<>();
        Net.State best = net.snapshot();
        double bestVal = -1;
        int bestEpoch = 0;
        double firstLoss = Double.NaN;
        double loss = Double.NaN;
        String diverged = null;
        boolean stopped = false;
        boolean paused = false;
        long active = 0;
        LastGood lastGood = null; // kept while the controls ask to rewind at a break
        int first = 0; // the first iteration this run does
        if (from != null) { // everything the original had at this point; the loop goes on from its next iteration
            net.restore(from.best);
            best.copyFrom(net);
            net.restore(from.values);
            step.rule.setState(net.params(), from.rule);
            random.setState(from.random);
            System.arraycopy(from.order, 0, step.order, 0, n);
            System.arraycopy(from.sampleOrder, 0, sampleOrder, 0, n);
            bestVal = from.bestVal;
            bestEpoch = from.bestEpoch;
            firstLoss = from.firstLoss;
            loss = from.loss;
            epochs.addAll(from.epochs);
            active = from.active;
            first = from.iteration;
        }

        publish(new RunEvent.Started(first, net.describe(), config.describeRule(),
                net.weights().stream().map(Param::name).toList(), perEpoch, total, config.epochs(), batch,
                config.batching().describe(), learningRate, reg, n, data.val().size(), data.classCount(),
                net.lossKind().chanceLoss(data.classCount()), net.lossKind().describeChance(data.classCount()), config.seed(),
                net.gemm().name()));

        try {
            for (int it = first; it < total; it++) {
                // ---- between iterations: states asked for, pause, stop and control changes
                boolean interrupted = false;
                while (true) {
                    if (controls.stateWanted()) {
                        TrainerState state = new TrainerState(it, net.snapshot(), step.rule.copyState(net.params()), random,
                                step.order, sampleOrder, learningRate, reg, firstLoss, loss, best.copy(), bestVal, bestEpoch,
                                epochs, active, net.describe(), config);
                        controls.takeStateRequests().forEach(f -> f.complete(state));
                    }
                    if (!controls.mustWait()) {
                        break;
                    }
                    if (!paused) {
                        paused = true;
                        publish(new RunEvent.Paused(it));
                    }
                    try {
                        controls.awaitTurn();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        interrupted = true;
                        break;
                    }
                }
                if (interrupted) {
                    stopped = true;
                    break;
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
                if (controls.rewindsOnBreak()) {
                    if (lastGood == null) {
                        lastGood = new LastGood(net, step.rule, lastGoodEvery > 0 ? lastGoodEvery : everyHundredth(total));
                    }
                    lastGood.beforeIteration(it);
                    snapshotNanos = lastGood.nanos();
                }

                long start = System.nanoTime();
                int inEpoch = it % perEpoch;
                double lr = learningRate;
                double r = reg;
                int every = statisticsEvery;
                boolean sample = every > 0 && (it == 0 || (it + 1) % every == 0);
                if (sample) {
                    long t = System.nanoTime();
                    probe.beforeStep(); // the sample shows the step's update: W after it minus W before
                    statisticsNanos += System.nanoTime() - t;
                }
                double dataLoss = step.run(it, inEpoch, lr, r);
                double l2 = r == 0 ? 0 : 0.5 * r * step.squares; // 0 x inf would be NaN
                loss = dataLoss + l2;
                if (it == 0) {
                    firstLoss = loss;
                }
                active += System.nanoTime() - start;
                iteration = it + 1;
                publish(new IterationMetrics(it + 1, (double) (it + 1) / perEpoch, loss, lr, r, step.ratios(), active, l2));
                if (sample && Double.isFinite(loss)) {
                    long t = System.nanoTime();
                    LayerStatistics taken = probe.sample(it + 1);
                    statisticsNanos += System.nanoTime() - t;
                    publish(taken);
                }
                boolean broke = !Double.isFinite(loss) || loss > DIVERGENCE_FACTOR * firstLoss;
                if (lastGood != null) {
                    lastGood.judged(it, loss, firstLoss);
                }
                Divergence d = broke ? new Divergence(it + 1, perEpoch, loss, it == 0 ? Double.NaN : firstLoss, dataLoss, l2,
                        lr, r, lastChange) : null;
                if (broke && lastGood != null && controls.rewindsOnBreak() && lastGood.present()
                        && d.cause() != RunEvent.Cause.INIT) {
                    lastGood.restore(); // the run goes on from the last good state, paused before its next iteration
                    controls.pause();
                    publish(new RunEvent.Rewound(it + 1, loss, d.cause(), d.reason(), lastGood.iteration(), lastGood.loss(), lr, r));
                } else if (broke) {
                    diverged = d.reason();
                    if (bestEpoch > 0) {
                        net.restore(best);
                    }
                    publish(new RunEvent.Diverged(it + 1, loss, d.cause(), diverged, bestEpoch > 0 ? bestVal : Double.NaN, bestEpoch));
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
                    int epochIndex = it / perEpoch;
                    double score = Double.isNaN(valAcc) ? trainAcc : valAcc;
                    if (score > bestVal) {
                        bestVal = score;
                        bestEpoch = epochIndex + 1;
                        best.copyFrom(net);
                    }
                    learningRate = learningRate * config.learningRateDecay();
                    EpochMetrics em = new EpochMetrics(epochIndex + 1, config.epochs(), it + 1, loss, trainAcc, valAcc,
                            learningRate, active);
                    epochs.add(em);
                    publish(em);
                }
            }
        } catch (RuntimeException | Error e) {
            controls.end();
            if (bestEpoch > 0) {
                net.restore(best); // whoever catches it (out of memory in an evaluation) can still save the best net
            }
            throw e;
        }
        controls.end(); // a state asked for from now on is cancelled
        if (diverged == null && bestEpoch > 0) {
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
     * One run's step buffers and the step itself: a batch picked, turned into rows, forward and backward, every
     * param updated. It is a method of its own, called every iteration, so the JIT compiles it once and every later
     * run reuses that code; inlined into {@link #run()}'s loop it was recompiled for each new run (an on-stack
     * replacement of a method run only once), taking one of two cores for the first seconds of every run.
     */
    static final class Step {
        private final Net net;
        private final Preprocessor preprocessor;
        private final ImageSet train;
        private final int batch;
        private final Batching batching;
        private final UpdateRule rule;
        private final SplitMix random;
        private final DMatrixRMaj xBatch;
        private final Param.StepStats stats;
        private final int[] batchIdx;
        private final int[] yBatch;
        private final int[] order;
        private final List<Param> params;
        /** Per param, the full batch's gradient summed over its chunks (full batches larger than a chunk only). */
        private final double[][] sums;
        /** norm(update) / norm(W) per weight matrix, of the last step. */
        private final double[] ratios;
        /** sum(W^2) over the weights before the last step: the loss's L2 term is 0.5 * reg * squares. */
        double squares;
        /** Flips and shifts of each batch's images, or null. */
        private final Augmentation augmentation;
        /** The run's iteration of the step under way (the augmentation's choices depend on it). */
        private int iteration;

        Step(Net net, Preprocessor preprocessor, ImageSet train, int batch, Batching batching, UpdateRule rule,
             SplitMix random, Augmentation augmentation) {
            this.augmentation = augmentation;
            this.net = net;
            this.preprocessor = preprocessor;
            this.train = train;
            this.batch = batch;
            this.batching = batching;
            this.rule = rule;
            this.random = random;
            // a full batch larger than a chunk is done chunk by chunk; every other batch in one pass
            boolean chunked = batching == Batching.FULL && batch > FULL_BATCH_CHUNK;
            int rows = chunked ? FULL_BATCH_CHUNK : batch;
            this.xBatch = MirroredMatrix.of(rows, preprocessor.features(), net.gemm().readsFloatCopies());
            this.stats = new Param.StepStats(net.gemm().threads());
            this.batchIdx = new int[rows];
            this.yBatch = new int[rows];
            this.order = identity(train.size());
            this.params = net.params();
            this.sums = chunked ? new double[params.size()][] : null;
            this.ratios = new double[net.weights().size()];
        }

        List<Double> ratios() {
            List<Double> list = new ArrayList<>(ratios.length);
            for (double v : ratios) {
                list.add(v);
            }
            return list;
        }

        /**
         * Iteration {@code iteration}'s step, {@code inEpoch} iterations into its epoch; returns the data loss. On a NaN
         * or infinite data loss no update is made, and the ratios are NaN.
         */
        double run(int iteration, int inEpoch, double lr, double reg) {
            this.iteration = iteration;
            double dataLoss = sums == null ? pass(inEpoch) : fullBatchInChunks();
            if (!Double.isFinite(dataLoss)) {
                java.util.Arrays.fill(ratios, Double.NaN);
                squares = sumOfSquares();
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

        /** Forward and backward on this iteration's batch; the data loss. */
        private double pass(int inEpoch) {
            int n = train.size();
            switch (batching) {
                case SAMPLED -> {
                    for (int i = 0; i < batch; i++) {
                        batchIdx[i] = random.nextInt(n);
                    }
                }
                case SHUFFLED -> {
                    if (inEpoch == 0) {
                        shuffle(order, n, random);
                    }
                    System.arraycopy(order, inEpoch * batch, batchIdx, 0, batch);
                }
                case FULL -> System.arraycopy(order, 0, batchIdx, 0, batch);
            }
            for (int i = 0; i < batch; i++) {
                yBatch[i] = train.label(batchIdx[i]);
            }
            preprocessor.rowsInParallel(train, batchIdx, batch, xBatch, net.gemm().threads());
            if (augmentation != null) {
                augmentation.apply(xBatch, batch, iteration);
            }
            return net.dataLossAndGradients(xBatch, yBatch);
        }

        /**
         * A full-batch step on more images than fit one pass: forward and backward chunk by chunk, the gradients
         * averaged over all images as one pass would (each chunk's mean weighted by its share). Batch norm, if any,
         * normalises each chunk with its own statistics.
         */
        private double fullBatchInChunks() {
            int n = train.size();
            double loss = 0;
            for (int from = 0; from < n; from += FULL_BATCH_CHUNK) {
                int len = Math.min(FULL_BATCH_CHUNK, n - from);
                for (int i = 0; i < len; i++) {
                    yBatch[i] = train.label(from + i);
                }
                preprocessor.rows(train, from, len, xBatch);
                if (augmentation != null) { // each chunk its own choices: the chunk's first row counts from its start
                    augmentation.apply(xBatch, len, (long) iteration * n + from);
                }
                double share = (double) len / n;
                loss += share * net.dataLossAndGradients(xBatch, yBatch);
                for (int p = 0; p < params.size(); p++) {
                    double[] g = params.get(p).grad().data;
                    if (sums[p] == null) {
                        sums[p] = new double[g.length];
                    }
                    double[] s = sums[p];
                    for (int k = 0; k < g.length; k++) {
                        s[k] = from == 0 ? share * g[k] : s[k] + share * g[k];
                    }
                }
            }
            for (int p = 0; p < params.size(); p++) {
                System.arraycopy(sums[p], 0, params.get(p).grad().data, 0, sums[p].length);
            }
            return loss;
        }

        private double sumOfSquares() {
            double sum = 0;
            for (Param p : net.weights()) {
                for (double v : p.value().data) {
                    sum += v * v;
                }
            }
            return sum;
        }
    }

    private void applyControls(int it) {
        double lr = controls.takeLearningRate();
        if (!Double.isNaN(lr) && lr != learningRate) {
            double old = learningRate;
            learningRate = lr;
            publish(lastChange = new RunEvent.ControlChanged(it, RunEvent.Control.LEARNING_RATE, old, lr));
        }
        double r = controls.takeReg();
        if (!Double.isNaN(r) && r != reg) {
            double old = reg;
            reg = r;
            publish(lastChange = new RunEvent.ControlChanged(it, RunEvent.Control.REG, old, r));
        }
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** A uniform random permutation of {@code a[0..n)} (Fisher-Yates). */
    static void shuffle(int[] a, int n, RandomGenerator random) {
        partialShuffle(a, n, n, random);
    }

    /** Fisher-Yates on the first k positions: a[0..k) becomes a uniform sample without replacement. */
    static void partialShuffle(int[] a, int n, int k, RandomGenerator random) {
        for (int i = 0; i < Math.min(k, n - 1); i++) {
            int j = i + random.nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private void publish(RunReport report) {
        for (TrainingListener l : listeners) {
            report.deliverTo(l);
        }
    }
}
