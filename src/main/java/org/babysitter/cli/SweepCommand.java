package org.babysitter.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.diagnosis.LearningRateSweep;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sweep}: the lecture's learning-rate search, one short run per decade, read as too low, good or too high. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"A short run per decade of learning rate from the same init (the net, rule, batch, reg and seed as"
                + " for train; no lr decay), each read the lecture's way: the loss barely moves (too low), falls (good),"
                + " or explodes or rises (too high); then the suggested rate."})
final class SweepCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;
    @Mixin
    NetOptions netOptions;
    @Mixin
    TrainOptions trainOptions;
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--from", defaultValue = "1e-7", paramLabel = "LR", description = "The lowest rate (default: ${DEFAULT-VALUE}).")
    double from;

    @Option(names = "--to", defaultValue = "1", paramLabel = "LR", description = "The highest rate (default: ${DEFAULT-VALUE}).")
    double to;

    @Option(names = "--iterations", defaultValue = "200", paramLabel = "N",
            description = "Iterations per rate, at least 20 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Double> lrs = LearningRateSweep.decades(from, to);
        if (iterations < LearningRateSweep.MIN_ITERATIONS) {
            throw new IllegalArgumentException("--iterations must be at least " + LearningRateSweep.MIN_ITERATIONS + ", got " + iterations);
        }
        TrainConfig base = trainOptions.config();
        PreparedData data = dataOptions.load(err);
        NetConfig net = netOptions.config(Cifar.PIXELS, data.dataset().classCount());
        Gemm gemm = gemmOption.gemm();
        out.printf("Learning-rate sweep of %s, %s, batch %d, reg %s, seed %d: %d iterations per rate, %s .. %s, on %s%n",
                net.describe(), base.describeRule(), base.batchSize(), Numbers.exact(base.reg()), base.seed(), iterations,
                Numbers.exact(lrs.get(0)), Numbers.exact(lrs.get(lrs.size() - 1)), data.dataset().source());
        out.flush();
        LearningRateSweep.Result r = LearningRateSweep.run(net, data.dataset(), data.preprocessor(), base, gemm, lrs, iterations,
                Progress.NONE);
        r.points().forEach(p -> out.println(p.line()));
        out.println(r.suggestion());
        return 0;
    }
}
