package org.babysitter.cli;

import java.util.List;

import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import picocli.CommandLine.Option;

/** The architecture. */
final class NetOptions {
    @Option(names = "--hidden", split = ",", paramLabel = "H", defaultValue = "50",
            description = "Hidden layer sizes, comma-separated (default: ${DEFAULT-VALUE}, the lecture's two-layer net).")
    List<Integer> hidden;

    @Option(names = "--activation", defaultValue = "RELU", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Activation activation;

    @Option(names = "--init", defaultValue = "GAUSSIAN",
            description = "Weight init: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE} with --std).")
    WeightInit.Kind init;

    @Option(names = "--std", defaultValue = "1e-4", description = "Std of gaussian init (default: ${DEFAULT-VALUE}).")
    double std;

    @Option(names = "--batch-norm", description = "Batch normalization after each hidden affine layer.")
    boolean batchNorm;

    @Option(names = "--dropout", defaultValue = "0", description = "Probability of dropping a hidden unit in training (default: 0).")
    double dropout;

    @Option(names = "--loss", defaultValue = "SOFTMAX", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LossKind loss;

    NetConfig config(int inputSize, int classes) {
        WeightInit wi = init == WeightInit.Kind.GAUSSIAN ? WeightInit.gaussian(std) : new WeightInit(init, 0);
        return new NetConfig(inputSize, hidden, classes, activation, batchNorm, dropout, wi, loss);
    }
}
