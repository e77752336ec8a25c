package org.babysitter.cli;

import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import picocli.CommandLine.Option;

/** The trainer's parameters, named as in the lecture. */
final class TrainOptions {
    @Option(names = "--update", defaultValue = "MOMENTUM", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    UpdateRuleKind update;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum for momentum/nesterov (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--lr-decay", defaultValue = "0.95", description = "Learning rate multiplier after each epoch (default: ${DEFAULT-VALUE}).")
    double lrDecay;

    @Option(names = "--reg", defaultValue = "1e-3", description = "L2 strength in 0.5*reg*sum(W^2) (default: ${DEFAULT-VALUE}).")
    double reg;

    @Option(names = "--batch-size", defaultValue = "100", description = "Images per iteration (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batching", defaultValue = "SAMPLED",
            description = "SAMPLED: each batch drawn with replacement (the lecture's sample_batches=True, default); SHUFFLED: shuffled passes; FULL: one full-batch step per epoch (sample_batches=False).")
    org.babysitter.engine.train.Batching batching;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for weights, batches and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    TrainConfig config() {
        return new TrainConfig(update, lr, momentum, lrDecay, reg, batchSize, epochs, batching, seed,
                TrainConfig.DEFAULT_TRAIN_ACCURACY_SAMPLE);
    }
}
