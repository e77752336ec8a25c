package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.babysitter.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The training step reuses its buffers (no per-iteration allocation beyond the reported metrics) and fits in 512 MB. */
class HotLoopTest {
    static Stream<String> backends() {
        // left out, allocating inside the libraries, not in the step: EJML's threaded ops (their tasks) and netlib's
        // pure-Java BLAS (its own work arrays for transposed operands)
        return Gemms.available().stream().filter(n -> !n.equals("ejml-mt") && !n.startsWith("java-blas"));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aTrainingStepAllocatesNoBuffers(String backend) {
        Gemm gemm = Gemms.byName(backend);
        PreparedData data = PreparedData.prepare(BuiltInData.generate(10_000, 0, 1), SplitSpec.LECTURE, Preprocessing.MEAN_IMAGE);
        NetConfig net = NetConfig.lecture().withHidden(List.of(500));
        TrainConfig config = new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-4, 0.9, 1, 1e-3, 100, 1, Batching.SAMPLED, 0, 100);
        Trainer trainer = Trainer.create(net, data.dataset(), data.preprocessor(), config, gemm);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] at = new long[2];
        trainer.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                if (m.iteration() == 30) {
                    at[0] = threads.getCurrentThreadAllocatedBytes();
                } else if (m.iteration() == 80) { // epoch ends at 90: no evaluation inside the window
                    at[1] = threads.getCurrentThreadAllocatedBytes();
                    trainer.controls().stop();
                }
            }
        });
        trainer.run();
        // both readings were taken (a run that ended early would measure nothing) and the metrics records count
        assertTrue(at[0] > 0 && at[1] > at[0], backend + ": allocated bytes read at iterations 30 and 80: " + at[0] + ", " + at[1]);
        double perIteration = (at[1] - at[0]) / 50.0;
        // one batch of activations alone would be 100 x 500 doubles = 400 KB, the smallest buffer of the step
        // (the scores' gradient, 100 x 10 doubles) 8 KB; what is allowed: the metrics records (~200 bytes) and the
        // fork/join tasks that share products, rows and update slices between the cores (~100 bytes each)
        assertTrue(perIteration < 4096, backend + ": " + perIteration + " bytes allocated per iteration");
    }

    @Test
    void theFullSetLoadsAndTrainsIn512Megabytes() throws Exception {
        Path archive = SharedData.require("cifar-10-binary.tar.gz");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.babysitter.cli.Main", "train", "--data", archive.toString(), "--epochs", "1", "--hidden", "500",
                "--batch-size", "200", "--lr", "1e-4")
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertEquals(0, code, out);
        assertTrue(out.contains("49000 train / 1000 val / 10000 test"), out);
        assertTrue(out.contains("Finished epoch 1 / 1"), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
    }
}
