package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.Parallel;
import org.babysitter.engine.metrics.Confusion;
import org.babysitter.engine.metrics.RunEvaluation;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.preprocess.Preprocessor;
import org.ejml.data.DMatrixRMaj;

/**
 * Accuracy and loss of a net over whole image sets, in chunks so memory stays bounded however large the set
 * (a forward pass over 49,000 images at once would need 1.2 GB of doubles). Accuracy chunks run in parallel,
 * each worker with its own workspace and buffers (reused across calls); the net is only read (test mode).
 */
public final class Evaluator {
    /** Images per chunk, at most. */
    public static final int CHUNK = 500;
    /** Values a chunk's forward pass may keep: a conv net's chunks are smaller (ConvNetJS's net: ~20 images). */
    static final long CHUNK_VALUES = 5_000_000;

    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), r -> {
                Thread t = new Thread(r, "babysitter-eval");
                t.setDaemon(true);
                return t;
            });

    private final Net net;
    private final Preprocessor preprocessor;
    private final ConcurrentLinkedQueue<Worker> workers = new ConcurrentLinkedQueue<>();

    /** Images per chunk for this net: {@link #CHUNK}, or fewer where a forward pass keeps much per image. */
    private final int chunk;

    public Evaluator(Net net, Preprocessor preprocessor) {
        this.net = net;
        this.preprocessor = preprocessor;
        this.chunk = chunkFor(net.valuesPerRow());
    }

    /** {@link #CHUNK} images, or as many as keep {@link #CHUNK_VALUES} values (at least 10). */
    public static int chunkFor(long valuesPerRow) {
        return (int) Math.max(10, Math.min(CHUNK, CHUNK_VALUES / Math.max(1, valuesPerRow)));
    }

    /** One chunk's buffers. */
    private final class Worker {
        final Net.Workspace workspace = net.newWorkspace();
        final DMatrixRMaj x = MirroredMatrix.of(1, 1, net.gemm().readsFloatCopies());
        final int[] labels = new int[chunk];
        final int[] indices = new int[chunk];
    }

    private Worker take() {
        Worker w = workers.poll();
        return w != null ? w : new Worker();
    }

    /** Test-mode accuracy on all of {@code set}; NaN if it is empty. */
    public double accuracy(ImageSet set) {
        if (set.isEmpty()) {
            return Double.NaN;
        }
        return (double) correct(set, null, set.size()) / set.size();
    }

    /** The confusion matrix of test-mode predictions on all of {@code set} (chunks in parallel, counts added). */
    public Confusion confusion(ImageSet set, List<String> classes) {
        int c = classes.size();
        int chunks = (set.size() + chunk - 1) / chunk;
        List<Future<int[][]>> parts = new ArrayList<>(chunks);
        for (int k = 0; k < chunks; k++) {
            int from = k * chunk;
            int n = Math.min(chunk, set.size() - from);
            parts.add(POOL.submit(() -> Parallel.inOrder(() -> {
                Worker w = take();
                try {
                    preprocessor.rows(set, from, n, w.x);
                    int[] predicted = new int[n];
                    net.predict(w.x, w.workspace, predicted);
                    int[][] counts = new int[c][c];
                    for (int i = 0; i < n; i++) {
                        counts[set.label(from + i)][predicted[i]]++;
                    }
                    return counts;
                } finally {
                    workers.add(w);
                }
            })));
        }
        int[][] counts = new int[c][c];
        for (int[][] part : await(parts)) {
            for (int t = 0; t < c; t++) {
                for (int p = 0; p < c; p++) {
                    counts[t][p] += part[t][p];
                }
            }
        }
        return new Confusion(classes, counts);
    }

    /**
     * What a run kept, evaluated: the validation confusion matrix, the test accuracy and the first layer's weights as
     * pictures, of the net's parameters now (after a run, the best epoch's). Reads the weights: call it when no step runs.
     */
    public RunEvaluation evaluate(Dataset data, int iteration, int epoch) {
        Confusion val = data.val().isEmpty() ? null : confusion(data.val(), data.classNames());
        return new RunEvaluation(iteration, epoch, val, accuracy(data.test()),
                FirstLayer.images(net.weights().get(0), FIRST_LAYER_IMAGES));
    }

    /** First-layer units drawn at most (a 10 x 10 grid). */
    public static final int FIRST_LAYER_IMAGES = 100;

    private static <T> List<T> await(List<Future<T>> parts) {
        List<T> out = new ArrayList<>(parts.size());
        try {
            for (Future<T> f : parts) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            parts.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
        }
        return out;
    }

    /** Test-mode accuracy on images {@code indices[0..count)} of {@code set}. */
    public double accuracy(ImageSet set, int[] indices, int count) {
        return (double) correct(set, indices, count) / count;
    }

    private int correct(ImageSet set, int[] indices, int count) {
        int chunks = (count + chunk - 1) / chunk;
        if (chunks == 1) {
            return chunk(set, indices, 0, count);
        }
        List<Future<Integer>> parts = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk;
            int n = Math.min(chunk, count - from);
            parts.add(POOL.submit(() -> Parallel.inOrder(() -> chunk(set, indices, from, n))));
        }
        int correct = 0;
        for (int part : await(parts)) {
            correct += part;
        }
        return correct;
    }

    /** Images {@code from..from+n} of the set, or of {@code indices} when given. */
    private int chunk(ImageSet set, int[] indices, int from, int n) {
        Worker w = take();
        try {
            if (indices == null) {
                preprocessor.rows(set, from, n, w.x);
                for (int i = 0; i < n; i++) {
                    w.labels[i] = set.label(from + i);
                }
            } else {
                System.arraycopy(indices, from, w.indices, 0, n);
                for (int i = 0; i < n; i++) {
                    w.labels[i] = set.label(w.indices[i]);
                }
                preprocessor.rows(set, w.indices, n, w.x);
            }
            return net.countCorrect(w.x, w.labels, w.workspace);
        } finally {
            workers.add(w);
        }
    }

    /**
     * The mean loss (data loss over all of {@code set} plus the L2 term) as training would compute it, chunk by
     * chunk in TRAIN mode; batch-norm running averages are left as they were.
     */
    public double loss(ImageSet set, double reg) {
        Net.State before = net.snapshot();
        Worker w = take();
        double sum = 0;
        try {
            for (int from = 0; from < set.size(); from += chunk) {
                int n = Math.min(chunk, set.size() - from);
                preprocessor.rows(set, from, n, w.x);
                for (int i = 0; i < n; i++) {
                    w.labels[i] = set.label(from + i);
                }
                sum += net.loss(w.x, w.labels, 0, Mode.TRAIN) * n;
            }
        } finally {
            workers.add(w);
            net.restore(before);
        }
        return sum / set.size() + net.regularizationLoss(reg);
    }
}
