package org.babysitter.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.babysitter.engine.data.Progress;
import org.babysitter.engine.diagnosis.InitLesson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code init-lesson}: the weight-initialisation lesson's printouts, a 10-layer tanh net with three inits. */
@Command(name = "init-lesson", mixinStandardHelpOptions = true,
        description = {"The lesson before the lecture: a 10-layer tanh net of 500 units on unit-gaussian inputs, forward only,"
                + " with weights of std 0.01 (the activations collapse to 0), std 1.0 (every unit saturates) and Xavier"
                + " (healthy through all layers): per layer the mean, std, saturated share and a histogram as a row of bars."})
final class InitLessonCommand implements Callable<Integer> {
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--examples", defaultValue = "" + InitLesson.EXAMPLES, paramLabel = "N",
            description = "Rows of unit-gaussian input (default: ${DEFAULT-VALUE}, as the lecture's randn(1000, 500)).")
    int examples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the input and the weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (examples < 1) {
            throw new IllegalArgumentException("--examples must be at least 1, got " + examples);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<InitLesson.Row> rows = InitLesson.run(gemmOption.gemm(), seed, examples, Progress.NONE);
        InitLesson.lines(rows).forEach(out::println);
        out.flush();
        return 0;
    }
}
