package org.babysitter.engine.train;

import java.util.List;
import java.util.Locale;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * The lecture's sanity checks before training: (1) with reg = 0 the initial loss is the chance loss (softmax: about
 * ln(C); SVM: C - 1);
 * (2) cranking reg up raises it; (3) a tiny subset (20 images, reg 0, plain SGD, no sampling) can be
 * overfitted to train accuracy 1.00.
 */
public final class SanityChecks {
    /** How close the initial loss must be to ln(C). */
    public static final double INITIAL_LOSS_TOLERANCE = 0.01;

    private SanityChecks() {
    }

    /** One check's outcome, with its line in words. */
    public record Result(String name, boolean pass, double value, String detail) {
        public String line() {
            return String.format(Locale.ROOT, "%-14s %s  %s", name, pass ? "PASS" : "FAIL", detail);
        }
    }

    /** Checks 1 and 2 on the training split (chunked, so the full 49,000 images are fine). */
    public static List<Result> initialLoss(NetConfig net, PreparedData data, Gemm gemm, long seed, double highReg) {
        Net model = net.build(gemm, seed);
        Evaluator evaluator = new Evaluator(model, data.preprocessor());
        ImageSet train = data.dataset().train();
        double loss = evaluator.loss(train, 0);
        double chance = net.loss().chanceLoss(net.classes());
        boolean near = Math.abs(loss - chance) < INITIAL_LOSS_TOLERANCE;
        Result first = new Result("initial loss", near, loss, String.format(Locale.ROOT,
                "loss %.6f with reg 0 vs %s (%.6f; difference %.4f, tolerance %.2f) on %d images",
                loss, net.loss().describeChance(net.classes()), chance, Math.abs(loss - chance), INITIAL_LOSS_TOLERANCE,
                train.size()));
        double regLoss = evaluator.loss(train, highReg);
        Result second = new Result("reg raises", regLoss > loss, regLoss, String.format(Locale.ROOT,
                "loss %.6f with reg %s %s %.6f with reg 0", regLoss, Numbers.exact(highReg), regLoss > loss ? ">" : "<=", loss));
        return List.of(first, second);
    }

    /** Check 3: train on the first {@code size} images, reg 0, SGD at {@code lr}, full-batch steps, {@code epochs}. */
    public static Result overfit(NetConfig net, Dataset data, PreparedData prepared, Gemm gemm, int size, double lr,
                                 int epochs, long seed, TrainingListener listener) {
        ImageSet tiny = data.train().head(size);
        Dataset small = new Dataset(data.source(), data.classNames(), tiny, ImageSet.empty(), ImageSet.empty());
        TrainConfig config = new TrainConfig(UpdateRuleKind.SGD, lr, 0, 1, 0, size, epochs, Batching.FULL, seed,
                Math.max(1, tiny.size()));
        Trainer trainer = Trainer.create(net, small, prepared.preprocessor(), config, gemm);
        if (listener != null) {
            trainer.addListener(listener);
        }
        TrainResult r = trainer.run();
        double trainAcc = r.lastEpoch() == null ? 0 : r.lastEpoch().trainAccuracy();
        boolean pass = !r.diverged() && trainAcc == 1.0;
        return new Result("overfit " + tiny.size(), pass, trainAcc, String.format(Locale.ROOT,
                "%d images, reg 0, sgd lr %s, one full-batch step per epoch, %d epochs: loss %.6f -> %.6f, train accuracy %.2f%s",
                tiny.size(), Numbers.exact(lr), r.epochs().size(), r.firstLoss(), r.lastLoss(), trainAcc,
                r.diverged() ? " (diverged: " + r.divergedReason() + ")" : ""));
    }
}
