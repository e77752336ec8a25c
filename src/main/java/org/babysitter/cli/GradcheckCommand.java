package org.babysitter.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.gradcheck.GradientCheckTable;
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

/** {@code gradcheck}: analytic vs numerical gradients of every parameter, for 1-, 2- and 4-sided differences. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Compare analytic and numerical gradients of every parameter (reg off, then on).")
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

    @Option(names = "--h", defaultValue = "1e-5", description = "Step of the differences (default: ${DEFAULT-VALUE}).")
    double h;

    @Option(names = "--reg", defaultValue = "1e-1", description = "Reg for the second pass (default: ${DEFAULT-VALUE}).")
    double reg;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for weights and sampled entries (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (images < 1 || entries < 1 || !(h > 0)) {
            throw new IllegalArgumentException("--images and --entries must be at least 1 and --h positive");
        }
        PreparedData data = dataOptions.load(spec.commandLine().getErr());
        NetConfig config = netOptions.config(Cifar.PIXELS, data.dataset().classCount());
        Gemm gemm = Gemms.exact(gemmOption.gemm());
        Net net = config.build(gemm, seed);
        int n = Math.min(images, data.dataset().train().size());
        out.printf("Gradient check of %s on %d images, h = %s, up to %d entries per tensor (GEMM: %s)%n",
                config.describe(), n, h, entries, gemm.describe());
        out.println(GradientCheckTable.LEGEND);
        double worst = 0;
        for (double r : new double[] {0, reg}) {
            GradientCheckTable table = GradientCheckTable.compute(net, data, n, r, h, entries, seed);
            out.println();
            table.lines().forEach(out::println);
            worst = Math.max(worst, table.worstCentered());
        }
        boolean ok = worst <= 1e-2;
        out.printf(Locale.ROOT, "worst 2-sided relative error %.2e: %s%n", worst, ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }
}
