package org.babysitter.engine.train;

import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.model.FullyConnectedNet;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.preprocess.Preprocessor;
import org.ejml.data.DMatrixRMaj;

/**
 * Accuracy and loss of a net over whole image sets, in chunks so memory stays bounded however large the set
 * (a forward pass over 49,000 images at once would need 1.2 GB of doubles). Buffers are reused across calls.
 */
public final class Evaluator {
    /** Images per chunk. */
    public static final int CHUNK = 500;

    private final FullyConnectedNet net;
    private final Preprocessor preprocessor;
    private final FullyConnectedNet.Workspace workspace;
    private final DMatrixRMaj x = new DMatrixRMaj(1, 1);
    private final int[] labels = new int[CHUNK];
    private final int[] chunkIndices = new int[CHUNK];

    public Evaluator(FullyConnectedNet net, Preprocessor preprocessor) {
        this.net = net;
        this.preprocessor = preprocessor;
        this.workspace = net.newWorkspace();
    }

    /** Test-mode accuracy on all of {@code set}; NaN if it is empty. */
    public double accuracy(ImageSet set) {
        if (set.isEmpty()) {
            return Double.NaN;
        }
        int correct = 0;
        for (int from = 0; from < set.size(); from += CHUNK) {
            int n = Math.min(CHUNK, set.size() - from);
            preprocessor.rows(set, from, n, x);
            for (int i = 0; i < n; i++) {
                labels[i] = set.label(from + i);
            }
            correct += net.countCorrect(x, labels, workspace);
        }
        return (double) correct / set.size();
    }

    /** Test-mode accuracy on images {@code indices[0..count)} of {@code set}. */
    public double accuracy(ImageSet set, int[] indices, int count) {
        int correct = 0;
        for (int from = 0; from < count; from += CHUNK) {
            int n = Math.min(CHUNK, count - from);
            for (int i = 0; i < n; i++) {
                chunkIndices[i] = indices[from + i];
                labels[i] = set.label(indices[from + i]);
            }
            preprocessor.rows(set, chunkIndices, n, x);
            correct += net.countCorrect(x, labels, workspace);
        }
        return (double) correct / count;
    }

    /**
     * The mean loss (data loss over all of {@code set} plus the L2 term) as training would compute it, chunk by
     * chunk in TRAIN mode; batch-norm running averages are left as they were.
     */
    public double loss(ImageSet set, double reg) {
        FullyConnectedNet.State before = net.snapshot();
        double sum = 0;
        for (int from = 0; from < set.size(); from += CHUNK) {
            int n = Math.min(CHUNK, set.size() - from);
            preprocessor.rows(set, from, n, x);
            for (int i = 0; i < n; i++) {
                labels[i] = set.label(from + i);
            }
            sum += net.loss(x, labels, 0, Mode.TRAIN) * n;
        }
        net.restore(before);
        return sum / set.size() + net.regularizationLoss(reg);
    }
}
