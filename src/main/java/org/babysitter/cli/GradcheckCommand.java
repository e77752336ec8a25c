package org.babysitter.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.gradcheck.CheckBatch;
import org.babysitter.engine.gradcheck.GradientCheck;
import org.babysitter.engine.gradcheck.GradientCheckTable;
import org.babysitter.engine.gradcheck.StepSweep;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gradcheck}: analytic vs numerical gradients of every parameter (reg off, then on), for 1-, 2- and 4-sided
 * differences at a step chosen per tensor; exit code 0 on PASS, 1 on FAIL (or when nothing could be judged).
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = {"Compare analytic and numerical gradients of every parameter (reg off, then on).",
                "Exit code 0 on PASS, 1 on FAIL or INCONCLUSIVE, 2 on bad input."})
final class GradcheckCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;
    @Mixin
    NetOptions netOptions;
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--images", defaultValue = "5", description = "Images in the checked batch (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--entries", defaultValue = "20", description = "Entries sampled per tensor (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--h", defaultValue = "auto", paramLabel = "auto|H",
            description = "Step of the differences: auto (default) chooses one per tensor, among 1e-1..1e-7 times its "
                    + "rms, with the smallest expected error (round-off plus truncation); a number (the lecture's 1e-5) "
                    + "is used for every tensor.")
    String h;

    @Option(names = "--h-sweep",
            description = "Instead of the check: every step h from 1e-1 to 1e-10 on the same entries, the 1-, 2- and 4-sided"
                    + " errors per tensor (reg 0): they fall with slopes 1, 2 and 4 until round-off makes them rise again.")
    boolean hSweep;

    @Option(names = "--reg", defaultValue = "1e-1", description = "Reg for the second pass (default: ${DEFAULT-VALUE}).")
    double reg;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for weights and sampled entries (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (images < 1 || entries < 1) {
            throw new IllegalArgumentException("--images and --entries must be at least 1");
        }
        GradientCheck.Options options = options(h, entries, seed);
        PreparedData data = dataOptions.load(spec.commandLine().getErr());
        NetConfig config = netOptions.config(Cifar.PIXELS, data.dataset().classCount());
        Gemm gemm = Gemms.exact(gemmOption.gemm());
        Net net = config.build(gemm, seed);
        int n = Math.min(images, data.dataset().train().size());
        out.printf("Gradient check of %s%n", config.describe());
        out.printf("on %d images, up to %d entries per tensor, %s%n", n, entries,
                options.isAuto() ? "h chosen per tensor" : "h = " + Numbers.exact(options.fixedStep()) + " for every tensor");
        out.printf("GEMM: %s%n", gemm.describe());
        if (hSweep) {
            out.println("The largest relative error over the sampled entries away from kinks, at each step h, reg 0:");
            CheckBatch b = CheckBatch.of(data, n);
            for (StepSweep s : StepSweep.run(net, b.x(), b.labels(), 0, StepSweep.steps(), entries, seed)) {
                out.println();
                s.lines().forEach(out::println);
            }
            return 0;
        }
        GradientCheckTable.legend().forEach(out::println);
        List<GradientCheckTable> tables = new ArrayList<>();
        for (double r : new double[] {0, reg}) {
            GradientCheckTable table = GradientCheckTable.compute(net, data, n, r, options);
            tables.add(table);
            out.println();
            table.lines().forEach(out::println);
        }
        out.println();
        GradientCheckTable.summary(tables).forEach(out::println);
        return GradientCheckTable.outcome(tables).exitCode();
    }

    /** "auto" or a positive step. */
    static GradientCheck.Options options(String h, int entries, long seed) {
        if (h.equalsIgnoreCase("auto")) {
            return GradientCheck.Options.auto(entries, seed);
        }
        double step;
        try {
            step = Double.parseDouble(h);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--h must be auto or a positive number, got '" + h + "'");
        }
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("--h must be auto or a positive number, got '" + h + "'");
        }
        return GradientCheck.Options.fixedStep(step, entries, seed);
    }
}
