package org.babysitter.cli;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.train.Batching;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The trainer's parameters, named as in the lecture; every default is {@link TrainConfig#defaults()}. {@code --preset
 * lecture} starts from the lecture's trainer instead ({@link TrainConfig#asLectureTrainer()}); see {@link #config()}
 * for which options may change a preset's values.
 */
final class TrainOptions {
    private static final TrainConfig DEFAULTS = TrainConfig.defaults();

    /** Named sets of trainer settings. */
    enum Preset {
        /** {@link TrainConfig#asLectureTrainer()}. */
        LECTURE
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--preset", paramLabel = "lecture",
            description = "lecture: the lecture's trainer as it ran: update='momentum' with the 2015 trainer's default"
                    + " momentum 0 (so plain SGD steps), lr decay 0.95, batch 100, sampled batches; --lr, --reg, --epochs"
                    + " and --seed stay yours. The lecture's learning rates were found without momentum: under momentum"
                    + " 0.9 (this tool's default), whose steps are ~10x larger, they diverge. --lr-decay, --batch-size and"
                    + " --batching change the preset's values; --update and --momentum are refused with it (they would"
                    + " replace the very rule it stands for).")
    Preset preset;

    @Option(names = "--update", paramLabel = "RULE", completionCandidates = Choices.Rules.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    UpdateRuleKind update = DEFAULTS.updateRule();

    @Option(names = "--lr", paramLabel = "LR", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = DEFAULTS.learningRate();

    @Option(names = "--momentum", paramLabel = "MU",
            description = "Momentum of --update momentum and nesterov; refused with the other rules (default: ${DEFAULT-VALUE}).")
    double momentum = DEFAULTS.momentum();

    @Option(names = "--lr-decay", paramLabel = "D",
            description = "Learning rate multiplier after each epoch (default: ${DEFAULT-VALUE}).")
    double lrDecay = DEFAULTS.learningRateDecay();

    @Option(names = "--reg", paramLabel = "REG", description = "L2 strength in 0.5*reg*sum(W^2) (default: ${DEFAULT-VALUE}).")
    double reg = DEFAULTS.reg();

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Images per iteration, at most the training set (default: ${DEFAULT-VALUE}).")
    int batchSize = DEFAULTS.batchSize();

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = DEFAULTS.epochs();

    @Option(names = "--augment", description = "ConvNetJS's data augmentation: each training image flipped left to right"
            + " at random and shifted by up to 2 pixels each way (off by default).")
    boolean augment;

    @Option(names = "--batching", paramLabel = "HOW", completionCandidates = Choices.Batchings.class,
            description = "sampled: each batch drawn with replacement (the lecture's sample_batches=True); shuffled:"
                    + " shuffled passes; full: one full-batch step per epoch (sample_batches=False) (default: ${DEFAULT-VALUE}).")
    Batching batching = DEFAULTS.batching();

    @Option(names = "--no-sample-batches", description = "The same as --batching shuffled (its older name).")
    boolean noSampleBatches;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for weights, batches and dropout (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed();

    /**
     * The trainer's config. With {@code --preset lecture}: the lecture's trainer, whose lr decay, batch size and
     * batching an explicit option still sets (schedule and batches are experiments one runs on the lecture's rule);
     * {@code --update} and {@code --momentum} are refused, since the rule with momentum 0 is what the preset is.
     * Options the run would silently ignore are refused with the reason: {@code --momentum} with a rule that takes
     * none, {@code --batch-size} under full batches, {@code --no-sample-batches} beside {@code --batching}.
     */
    TrainConfig config() {
        if (noSampleBatches && given("--batching")) {
            throw new IllegalArgumentException("--no-sample-batches is the older name of --batching shuffled: give one of them");
        }
        Batching how = noSampleBatches ? Batching.SHUFFLED : batching;
        TrainConfig c = new TrainConfig(update, lr, momentum, lrDecay, reg, batchSize, epochs, how, seed,
                TrainConfig.DEFAULT_TRAIN_ACCURACY_SAMPLE, augment);
        if (preset == Preset.LECTURE) {
            for (String option : new String[] {"--update", "--momentum"}) {
                if (given(option)) {
                    throw new IllegalArgumentException(option + " cannot change --preset lecture: the preset is the lecture's"
                            + " update='momentum' with momentum 0; leave out " + option + " or the preset");
                }
            }
            TrainConfig lecture = c.asLectureTrainer();
            if (given("--lr-decay")) {
                lecture = lecture.withLearningRateDecay(lrDecay);
            }
            if (given("--batch-size")) {
                lecture = lecture.withBatchSize(batchSize);
            }
            if (given("--batching") || noSampleBatches) {
                lecture = lecture.withBatching(how);
            }
            c = lecture;
        }
        if (given("--momentum") && !c.updateRule().usesMomentum()) {
            throw new IllegalArgumentException("--momentum " + Numbers.exact(momentum) + " would be ignored: --update "
                    + c.updateRule().label() + " takes no momentum (only momentum and nesterov do)");
        }
        if (given("--batch-size") && c.batching() == Batching.FULL) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " would be ignored: --batching full takes one"
                    + " step on the whole training set each epoch");
        }
        return c;
    }

    /** True if the option was on the command line (not a default). */
    private boolean given(String option) {
        return mixee != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }
}
