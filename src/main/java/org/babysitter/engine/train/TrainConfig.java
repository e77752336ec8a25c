package org.babysitter.engine.train;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * How a net is trained: the lecture's trainer parameters. Validated here, and only here: the command line, the
 * window's fields and the mid-run controls all ask {@link #learningRateProblem} and {@link #regProblem}.
 *
 * @param updateRule         sgd, momentum, nesterov, rmsprop, adam or adamw
 * @param learningRate       the initial learning rate (positive)
 * @param momentum           mu for the rules that take one (momentum, nesterov), in [0, 1); ignored by the others
 * @param learningRateDecay  the learning rate is multiplied by this after every epoch, in (0, 1]
 * @param reg                L2 strength in {@code 0.5 * reg * sum(W^2)}, >= 0 (adamw: decoupled weight decay)
 * @param batchSize          images per iteration (capped at the training set's size; the whole set under {@link Batching#FULL})
 * @param epochs             passes over the training set
 * @param batching           sampled with replacement (the lecture's default), shuffled passes, or one full batch
 * @param seed               fixes weights, batches, dropout masks and accuracy samples: the same seed and configs
 *                           give the same run, bit for bit
 * @param trainAccuracySample training images sampled for the per-epoch train accuracy (the lecture's 1,000)
 * @param augment            ConvNetJS's data augmentation of each training batch: random horizontal flips and shifts
 *                           of up to 2 pixels ({@link Augmentation}); off by default
 */
public record TrainConfig(UpdateRuleKind updateRule, double learningRate, double momentum, double learningRateDecay,
                          double reg, int batchSize, int epochs, Batching batching, long seed,
                          int trainAccuracySample, boolean augment) {
    public static final int DEFAULT_TRAIN_ACCURACY_SAMPLE = 1000;

    public TrainConfig {
        if (updateRule == null || batching == null) {
            throw new IllegalArgumentException("update rule and batching must be given");
        }
        requireValid(learningRateProblem(learningRate));
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + Numbers.exact(momentum));
        }
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("lr decay must be above 0 and at most 1, got " + Numbers.exact(learningRateDecay));
        }
        requireValid(regProblem(reg));
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (trainAccuracySample < 1) {
            throw new IllegalArgumentException("train accuracy sample must be at least 1, got " + trainAccuracySample);
        }
    }

    /** Without augmentation. */
    public TrainConfig(UpdateRuleKind updateRule, double learningRate, double momentum, double learningRateDecay, double reg,
                       int batchSize, int epochs, Batching batching, long seed, int trainAccuracySample) {
        this(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, batching, seed, trainAccuracySample, false);
    }

    public TrainConfig withAugment(boolean on) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, batching, seed,
                trainAccuracySample, on);
    }

    /** Why {@code lr} cannot be a learning rate, or null if it can (any finite number above 0). */
    public static String learningRateProblem(double lr) {
        return lr > 0 && Double.isFinite(lr) ? null : "the learning rate must be a number above 0, got " + Numbers.exact(lr);
    }

    /** Why {@code reg} cannot be an L2 strength, or null if it can (any finite number, 0 or more). */
    public static String regProblem(double reg) {
        return reg >= 0 && Double.isFinite(reg) ? null : "reg must be a number of 0 or more, got " + Numbers.exact(reg);
    }

    /** Throws IllegalArgumentException with {@code problem} unless it is null. */
    public static void requireValid(String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * The workbench's defaults, settings that train the lecture's two-layer net well: momentum 0.9, lr 1e-4,
     * decay 0.95, reg 1e-3, batch 100, 10 epochs, sampled batches, seed 0.
     */
    public static TrainConfig defaults() {
        return new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-4, 0.9, 0.95, 1e-3, 100, 10, Batching.SAMPLED, 0,
                DEFAULT_TRAIN_ACCURACY_SAMPLE);
    }

    /**
     * The lecture's trainer as it ran: {@code update='momentum'} with the 2015 trainer's default momentum of 0 (so
     * plain SGD steps: learning rates found this way diverge under momentum 0.9, whose steps are ~10x larger), lr
     * decay 0.95, batch 100, sampled batches; learning rate, reg and epochs are the caller's.
     */
    public TrainConfig asLectureTrainer() {
        return new TrainConfig(UpdateRuleKind.MOMENTUM, learningRate, 0, 0.95, reg, 100, epochs, Batching.SAMPLED, seed,
                trainAccuracySample, augment);
    }

    public TrainConfig withUpdateRule(UpdateRuleKind rule) {
        return new TrainConfig(rule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, batching, seed, trainAccuracySample, augment);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(updateRule, lr, momentum, learningRateDecay, reg, batchSize, epochs, batching, seed, trainAccuracySample, augment);
    }

    public TrainConfig withMomentum(double mu) {
        return new TrainConfig(updateRule, learningRate, mu, learningRateDecay, reg, batchSize, epochs, batching, seed, trainAccuracySample, augment);
    }

    public TrainConfig withLearningRateDecay(double decay) {
        return new TrainConfig(updateRule, learningRate, momentum, decay, reg, batchSize, epochs, batching, seed, trainAccuracySample, augment);
    }

    public TrainConfig withReg(double r) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, r, batchSize, epochs, batching, seed, trainAccuracySample, augment);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, b, epochs, batching, seed, trainAccuracySample, augment);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, e, batching, seed, trainAccuracySample, augment);
    }

    public TrainConfig withBatching(Batching b) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, b, seed, trainAccuracySample, augment);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, batching, s, trainAccuracySample, augment);
    }

    public TrainConfig withTrainAccuracySample(int n) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, batching, seed, n, augment);
    }

    /** "momentum 0.9" or "sgd": the momentum only where the rule takes one. */
    public String describeRule() {
        return updateRule.usesMomentum() ? updateRule.label() + " " + Numbers.exact(momentum) : updateRule.label();
    }

    /** The images per step on a training set of {@code trainSize}: the batch size, capped, or all of them for full batches. */
    public int effectiveBatch(int trainSize) {
        return batching == Batching.FULL ? trainSize : Math.min(batchSize, trainSize);
    }
}
