package org.babysitter.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.babysitter.engine.diagnosis.Suite;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.preprocess.PreparedData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code diagnose}: the babysitting assistant's labelled suite of broken and healthy runs, scored. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Runs the assistant's labelled suite: deliberately broken runs (lr x100 and /100, reg x1e3, a deep tanh"
                + " net's init x100 and x0.01, no mean subtraction, too few units, 20 images, dying ReLUs, a tiny batch) and"
                + " healthy ones, with the assistant listening, and prints what it said and the suite's table: the broken runs"
                + " named right, how early, and false alarms on the healthy ones. To hear it on one run: train --diagnose."})
final class DiagnoseCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--case", split = ",", paramLabel = "NAME",
            description = "Run only these cases (names as in the table; default: all).")
    List<String> only;

    @Option(names = "--quiet", description = "Print only the table, not each finding as it comes.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PreparedData data = dataOptions.load(err);
        List<Suite.Case> cases = Suite.cases(data.dataset().classCount());
        if (only != null) {
            List<String> names = cases.stream().map(Suite.Case::name).toList();
            for (String n : only) {
                if (!names.contains(n)) {
                    throw new IllegalArgumentException("no case named '" + n + "': the cases are " + String.join(", ", names));
                }
            }
            cases = cases.stream().filter(c -> only.contains(c.name())).toList();
        }
        Gemm gemm = gemmOption.gemm();
        out.printf("The assistant's suite on %s (%s), %d cases%n", data.dataset().source(), data.dataset().describeSplit(),
                cases.size());
        List<Suite.Outcome> outcomes = new ArrayList<>();
        for (Suite.Case c : cases) {
            if (!quiet) {
                out.printf("%s: %s; %s; %s%n", c.name(), c.fault(), c.net().describe(), c.train().describeRule());
                out.flush();
            }
            Suite.Outcome o = Suite.run(c, data.dataset(), gemm, quiet ? null : f -> {
                out.println("  " + f.line());
                out.flush();
            });
            outcomes.add(o);
        }
        out.print(Suite.table(outcomes));
        out.flush();
        return 0;
    }
}
