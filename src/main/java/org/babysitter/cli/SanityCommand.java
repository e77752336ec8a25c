package org.babysitter.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.SanityChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sanity}: the lecture's three checks before training, each PASS or FAIL. */
@Command(name = "sanity", mixinStandardHelpOptions = true,
        description = "Initial loss vs ln(C), loss with reg raised, and overfitting a tiny subset.")
final class SanityCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;
    @Mixin
    NetOptions netOptions;
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--high-reg", defaultValue = "1e3", description = "Reg for the second check (default: ${DEFAULT-VALUE}).")
    double highReg;

    @Option(names = "--overfit-size", defaultValue = "20", description = "Images to overfit (default: ${DEFAULT-VALUE}).")
    int overfitSize;

    @Option(names = "--overfit-lr", defaultValue = "1e-3", description = "SGD learning rate for the overfit (default: ${DEFAULT-VALUE}).")
    double overfitLr;

    @Option(names = "--overfit-epochs", defaultValue = "200", description = "Epochs of the overfit (default: ${DEFAULT-VALUE}).")
    int overfitEpochs;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (overfitSize < 1 || overfitEpochs < 1 || !(overfitLr > 0) || !(highReg > 0)) {
            throw new IllegalArgumentException("--overfit-size and --overfit-epochs must be at least 1, --overfit-lr and --high-reg positive");
        }
        PreparedData data = dataOptions.load(err);
        NetConfig net = netOptions.config(Cifar.PIXELS, data.dataset().classCount());
        Gemm gemm = gemmOption.gemm();
        out.printf("Sanity checks of %s on %s (%s)%n", net.describe(), data.dataset().source(), data.dataset().describeSplit());
        List<SanityChecks.Result> results = new ArrayList<>(SanityChecks.initialLoss(net, data, gemm, seed, highReg));
        results.forEach(r -> out.println(r.line()));
        out.flush();
        SanityChecks.Result overfit = SanityChecks.overfit(net, data.dataset(), data, gemm, overfitSize, overfitLr,
                overfitEpochs, seed, new TrainingListener() {
                    @Override
                    public void onEpoch(EpochMetrics m) {
                        if (m.epoch() % 50 == 0) {
                            err.printf(Locale.ROOT, "  overfit epoch %d / %d: loss %.6f, train %.2f%n", m.epoch(), m.epochs(),
                                    m.loss(), m.trainAccuracy());
                        }
                    }
                });
        results.add(overfit);
        out.println(overfit.line());
        long failed = results.stream().filter(r -> !r.pass()).count();
        out.println(failed == 0 ? "All sanity checks passed." : failed + " sanity check(s) failed.");
        return failed == 0 ? 0 : 1;
    }
}
