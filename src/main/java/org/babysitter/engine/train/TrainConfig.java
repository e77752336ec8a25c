package org.babysitter.engine.train;

import org.babysitter.engine.train.optim.UpdateRuleKind;

/**
 * How a net is trained: the lecture's trainer parameters.
 *
 * @param updateRule         sgd, momentum, nesterov, rmsprop or adam
 * @param learningRate       the initial learning rate (positive)
 * @param momentum           mu for momentum and nesterov, in [0, 1); ignored by the others
 * @param learningRateDecay  the learning rate is multiplied by this after every epoch, in (0, 1]
 * @param reg                L2 strength in {@code 0.5 * reg * sum(W^2)}, >= 0
 * @param batchSize          images per iteration (capped at the training set's size)
 * @param epochs             passes over the training set
 * @param sampleBatches      true: each batch drawn at random with replacement (the lecture's
 *                           {@code sample_batches=True}); false: each epoch is a shuffled pass in batches
 * @param seed               fixes weights, batches, dropout masks and accuracy samples: the same seed and
 *                           configs give the same run, bit for bit
 * @param trainAccuracySample training images sampled for the per-epoch train accuracy (the lecture's 1,000)
 */
public record TrainConfig(UpdateRuleKind updateRule, double learningRate, double momentum, double learningRateDecay,
                          double reg, int batchSize, int epochs, boolean sampleBatches, long seed,
                          int trainAccuracySample) {
    public static final int DEFAULT_TRAIN_ACCURACY_SAMPLE = 1000;

    public TrainConfig {
        if (updateRule == null) {
            throw new IllegalArgumentException("update rule must be given");
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(learningRateDecay > 0 && learningRateDecay <= 1)) {
            throw new IllegalArgumentException("learning rate decay must be in (0, 1], got " + learningRateDecay);
        }
        if (!(reg >= 0 && Double.isFinite(reg))) {
            throw new IllegalArgumentException("reg must be a number >= 0, got " + reg);
        }
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

    /** The lecture's two-layer settings that train well: momentum 0.9, lr 1e-4, decay 0.95, reg 1e-3, batch 100, 10 epochs. */
    public static TrainConfig lecture() {
        return new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-4, 0.9, 0.95, 1e-3, 100, 10, true, 0, DEFAULT_TRAIN_ACCURACY_SAMPLE);
    }

    public TrainConfig withUpdateRule(UpdateRuleKind rule) {
        return new TrainConfig(rule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, sampleBatches, seed, trainAccuracySample);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(updateRule, lr, momentum, learningRateDecay, reg, batchSize, epochs, sampleBatches, seed, trainAccuracySample);
    }

    public TrainConfig withMomentum(double mu) {
        return new TrainConfig(updateRule, learningRate, mu, learningRateDecay, reg, batchSize, epochs, sampleBatches, seed, trainAccuracySample);
    }

    public TrainConfig withLearningRateDecay(double decay) {
        return new TrainConfig(updateRule, learningRate, momentum, decay, reg, batchSize, epochs, sampleBatches, seed, trainAccuracySample);
    }

    public TrainConfig withReg(double r) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, r, batchSize, epochs, sampleBatches, seed, trainAccuracySample);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, b, epochs, sampleBatches, seed, trainAccuracySample);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, e, sampleBatches, seed, trainAccuracySample);
    }

    public TrainConfig withSampleBatches(boolean sample) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, sample, seed, trainAccuracySample);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(updateRule, learningRate, momentum, learningRateDecay, reg, batchSize, epochs, sampleBatches, s, trainAccuracySample);
    }

    /** "momentum 0.9" or "sgd". */
    public String describeRule() {
        return updateRule.usesMomentum() ? updateRule.label() + " " + momentum : updateRule.label();
    }
}
