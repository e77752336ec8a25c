package org.babysitter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.diagnosis.LearningRateSweep;
import org.babysitter.engine.diagnosis.SanityWizard;
import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sanity}: the lecture's sanity checks as numbered steps, each printed as it finishes in the window's words
 * (its expectation, PASS or FAIL and why); exit 1 if a step failed.
 */
@Command(name = "sanity", mixinStandardHelpOptions = true,
        description = {"The lecture's sanity checks, step by step: (1) initial loss vs ln(C), (2) the loss with reg raised,"
                + " (3) overfitting a tiny subset, (4) a learning-rate sweep (one short run per decade; its trainer is the"
                + " one --update, --momentum, --batch-size, --reg and --seed describe, as for train). Exit code 1 if a"
                + " step failed."})
final class SanityCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;
    @Mixin
    NetOptions netOptions;
    @Mixin
    TrainOptions trainOptions;
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--high-reg", defaultValue = "1e3", description = "Reg for step 2 (default: ${DEFAULT-VALUE}).")
    double highReg;

    @Option(names = "--overfit-size", defaultValue = "20", description = "Images to overfit in step 3 (default: ${DEFAULT-VALUE}).")
    int overfitSize;

    @Option(names = "--overfit-lr", defaultValue = "1e-3", description = "SGD learning rate for the overfit (default: ${DEFAULT-VALUE}).")
    double overfitLr;

    @Option(names = "--overfit-epochs", defaultValue = "200", description = "Epochs of the overfit (default: ${DEFAULT-VALUE}).")
    int overfitEpochs;

    @Option(names = "--no-sweep", description = "Leave out step 4, the learning-rate sweep.")
    boolean noSweep;

    @Option(names = "--sweep-iterations", defaultValue = "200", paramLabel = "N",
            description = "Iterations per rate in step 4, at least 20 (default: ${DEFAULT-VALUE}).")
    int sweepIterations;

    @Option(names = "--sweep-from", defaultValue = "1e-7", paramLabel = "LR", description = "Step 4's lowest rate (default: ${DEFAULT-VALUE}).")
    double sweepFrom;

    @Option(names = "--sweep-to", defaultValue = "1", paramLabel = "LR", description = "Step 4's highest rate (default: ${DEFAULT-VALUE}).")
    double sweepTo;

    @Option(names = "--export", paramLabel = "FILE",
            description = "Also write the steps to FILE as text (the same lines; readable as markdown).")
    Path export;

    @Option(names = "--overwrite", description = "Let --export replace an existing file.")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (overfitSize < 1 || overfitEpochs < 1 || !(overfitLr > 0) || !(highReg > 0)) {
            throw new IllegalArgumentException("--overfit-size and --overfit-epochs must be at least 1, --overfit-lr and --high-reg positive");
        }
        if (!noSweep && sweepIterations < LearningRateSweep.MIN_ITERATIONS) {
            throw new IllegalArgumentException("--sweep-iterations must be at least " + LearningRateSweep.MIN_ITERATIONS + ", got " + sweepIterations);
        }
        if (overwrite && export == null) {
            throw new IllegalArgumentException("--overwrite applies to --export, which is not given");
        }
        if (export != null) {
            OutputFile.check("--export", export, overwrite, dataOptions.data);
        }
        List<Double> rates = noSweep ? List.of() : LearningRateSweep.decades(sweepFrom, sweepTo);
        TrainConfig trainer = trainOptions.config();
        SanityWizard.Options options = new SanityWizard.Options(trainer, highReg, overfitSize, overfitLr, overfitEpochs,
                rates, sweepIterations);
        PreparedData data = dataOptions.load(err);
        NetConfig net = netOptions.config(Cifar.PIXELS, data.dataset().classCount());
        Gemm gemm = gemmOption.gemm();
        SanityWizard.report(net, data, options, List.of()).header().forEach(out::println);
        out.flush();
        SanityWizard.Report report = SanityWizard.run(net, data, gemm, options, new Progress() {
            @Override
            public void update(double fraction, String what) {
                err.println("  " + what);
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        }, step -> {
            out.println();
            step.lines().forEach(out::println);
            out.flush();
        });
        out.println();
        out.println(report.summary());
        if (export != null) {
            AtomicFiles.writeString(export, String.join("\n", report.lines()) + "\n");
            out.println("Saved the steps in " + export);
        }
        return report.passed() ? 0 : 1;
    }
}
