package org.babysitter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.babysitter.engine.Numbers;
import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.Checkpoint;
import org.babysitter.engine.train.Evaluator;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.TrainResult;
import org.babysitter.engine.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code train}: one run, printed the lecture's way. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a fully connected net and print each epoch the lecture's way.")
final class TrainCommand implements Callable<Integer> {
    /** Exit code of a run that diverged (NaN, inf, or loss above 3x the first). */
    static final int DIVERGED = 3;

    @Mixin
    DataOptions dataOptions;
    @Mixin
    NetOptions netOptions;
    @Mixin
    TrainOptions trainOptions;
    @Mixin
    GemmOption gemmOption;

    @Option(names = "--checkpoint", paramLabel = "FILE.npz", description = "Save the best net as .npz (numpy.load reads it) plus a .json of the configs.")
    Path checkpoint;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainConfig config = trainOptions.config();
        PreparedData data = dataOptions.load(err);
        NetConfig net = netOptions.config(Cifar.PIXELS, data.dataset().classCount());
        Gemm gemm = gemmOption.gemm();
        // built before the header: a run too long to count is refused here, with nothing printed
        Trainer trainer = Trainer.create(net, data.dataset(), data.preprocessor(), config, gemm);
        boolean validation = !data.dataset().val().isEmpty();
        out.printf("Data: %s (%s), preprocessing: %s%n", data.dataset().source(), data.dataset().describeSplit(),
                data.preprocessor().kind());
        out.printf("Net: %s; update: %s%s, lr %s, reg %s, lr decay %s, batch %d (%s), %d epoch%s, seed %d%n", net.describe(),
                config.describeRule(), trainOptions.preset == TrainOptions.Preset.LECTURE ? " (--preset lecture)" : "",
                Numbers.exact(config.learningRate()), Numbers.exact(config.reg()), Numbers.exact(config.learningRateDecay()),
                trainer.batchSize(), config.batching().describe(), config.epochs(), config.epochs() == 1 ? "" : "s", config.seed());
        out.printf("GEMM: %s%n", gemm.describe());
        if (!validation) {
            out.println("No validation images (--val-size 0): the best epoch is the one of the best train accuracy.");
        }
        trainer.addListener(new TrainingListener() {
            private long lastPrint = System.nanoTime();
            private int perEpoch = 1;

            @Override
            public void onEvent(RunEvent event) {
                if (event instanceof RunEvent.Started s) {
                    perEpoch = s.iterationsPerEpoch();
                } else if (event instanceof RunEvent.Diverged d) {
                    out.println("Run diverged: " + d.reason());
                }
            }

            @Override
            public void onIteration(IterationMetrics m) {
                long now = System.nanoTime();
                if (now - lastPrint > 5_000_000_000L && m.iteration() % perEpoch != 0) {
                    lastPrint = now;
                    err.printf(Locale.ROOT, "  iteration %d (epoch %.2f): loss %.4f%n", m.iteration(), m.epoch(), m.loss());
                }
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                lastPrint = System.nanoTime();
                out.println(m.lectureLine());
            }
        });
        TrainResult result = trainer.run();
        if (result.bestEpoch() > 0) {
            out.printf(Locale.ROOT, "finished optimization. best %s: %.6f%n", validation ? "validation accuracy" : "train accuracy",
                    result.bestValAccuracy());
        } else {
            out.println("finished optimization. no epoch completed.");
        }
        if (!data.dataset().test().isEmpty() && result.bestEpoch() > 0) {
            double test = new Evaluator(trainer.net(), data.preprocessor()).accuracy(data.dataset().test());
            out.printf(Locale.ROOT, "test accuracy (best %s parameters): %.6f%n", validation ? "validation" : "train-accuracy", test);
        }
        if (result.diverged()) {
            if (checkpoint != null) {
                out.println("Not saving " + checkpoint + ": the run diverged.");
            }
            return DIVERGED;
        }
        if (checkpoint != null) {
            new Checkpoint(net, config, data.preprocessor().kind(), data.dataset().source(), data.dataset().classNames(),
                    result.bestEpoch(), result.bestValAccuracy(), "completed " + result.bestEpoch() + " epochs")
                    .save(checkpoint, trainer.net(), data.preprocessor());
            out.println("Saved " + checkpoint + " and " + Checkpoint.jsonFor(checkpoint).getFileName());
        }
        return 0;
    }
}
