package org.babysitter.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.ConvStage;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.NetFile;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The architecture; every default is the lecture's net ({@link NetConfig#lecture()}). */
final class NetOptions {
    private static final NetConfig LECTURE = NetConfig.lecture();

    /** The command this is mixed into: its parse result tells which options were given. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--hidden", split = ",", paramLabel = "H",
            description = "Hidden layer sizes, comma-separated (default: ${DEFAULT-VALUE}, the lecture's two-layer net).")
    List<Integer> hidden = new ArrayList<>(LECTURE.hiddenSizes());

    @Option(names = "--net", paramLabel = "STAGES|FILE.json",
            description = "Convolutional stages before the hidden layers, e.g. 'conv 5x5x16 pad 2 pool 2, conv 5x5x20 pad 2"
                    + " pool 2' (each: conv KxKxFILTERS [stride S] [pad P] [pool Q], then the activation, then Q x Q max"
                    + " pooling), or 'convnetjs' for ConvNetJS's CIFAR-10 net. With --net, --hidden defaults to none and"
                    + " --init to he. Or a net file, FILE.json (or any existing file): the whole net as a list of layers"
                    + " (README: Net files); --activation, --init, --std, --batch-norm, --dropout and --loss given with it"
                    + " replace the file's.")
    String net;

    @Option(names = "--activation", paramLabel = "NAME", completionCandidates = Choices.Activations.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Activation activation = LECTURE.activation();

    @Option(names = "--init", paramLabel = "KIND", completionCandidates = Choices.Inits.class,
            description = "Weight init: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, with --std); xavier: std"
                    + " 1/sqrt(fan_in), he: sqrt(2/fan_in).")
    WeightInit.Kind init = LECTURE.init().kind();

    @Option(names = "--std", paramLabel = "S", description = "Std of the gaussian init (default: ${DEFAULT-VALUE}).")
    double std = LECTURE.init().std();

    @Option(names = "--batch-norm", description = "Batch normalization after each hidden affine layer.")
    boolean batchNorm = LECTURE.batchNorm();

    @Option(names = "--dropout", paramLabel = "P",
            description = "Probability of dropping a hidden unit in training (default: ${DEFAULT-VALUE}).")
    double dropout = LECTURE.dropout();

    @Option(names = "--loss", paramLabel = "NAME", completionCandidates = Choices.Losses.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LossKind loss = LECTURE.loss();

    /** The net for this input size and class count; options that would be silently ignored are refused. */
    NetConfig config(int inputSize, int classes) {
        if (given("--std") && init != WeightInit.Kind.GAUSSIAN) {
            throw new IllegalArgumentException("--std " + Numbers.exact(std) + " would be ignored: --init " + Choices.name(init)
                    + " sets each layer's std from its fan-in (" + (init == WeightInit.Kind.XAVIER ? "1/sqrt(fan_in)" : "sqrt(2/fan_in)")
                    + "); leave out --std, or use --init gaussian");
        }
        if (NetFile.isNetFile(net)) {
            return fromFile(Path.of(net.strip()), inputSize, classes);
        }
        List<ConvStage> stages = ConvStage.parse(net);
        boolean conv = !stages.isEmpty();
        // a conv net's defaults: no hidden layer after the stages (ConvNetJS's), He's init (1e-4 would not train it)
        List<Integer> sizes = conv && !given("--hidden") ? List.of() : hidden;
        WeightInit.Kind kind = conv && !given("--init") && !given("--std") ? WeightInit.Kind.HE : init;
        WeightInit wi = kind == WeightInit.Kind.GAUSSIAN ? WeightInit.gaussian(std) : new WeightInit(kind, 0);
        return new NetConfig(inputSize, sizes, classes, activation, batchNorm, dropout, wi, loss, stages);
    }

    /** The net in a net file; the settings given on the command line replace the file's, its layers stay. */
    private NetConfig fromFile(Path file, int inputSize, int classes) {
        if (given("--hidden")) {
            throw new IllegalArgumentException("--hidden would be ignored: the net file " + file + " lists the layers;"
                    + " add {\"affine\": H} layers there");
        }
        NetConfig n = NetFile.read(file, inputSize, classes);
        if (given("--activation")) {
            n = n.withActivation(activation);
        }
        if (given("--init") || given("--std")) {
            n = n.withInit(init == WeightInit.Kind.GAUSSIAN ? WeightInit.gaussian(std) : new WeightInit(init, 0));
        }
        if (given("--batch-norm")) {
            n = n.withBatchNorm(batchNorm);
        }
        if (given("--dropout")) {
            n = n.withDropout(dropout);
        }
        if (given("--loss")) {
            n = n.withLoss(loss);
        }
        return n;
    }

    private boolean given(String option) {
        return mixee != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }
}
