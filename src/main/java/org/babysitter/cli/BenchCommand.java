package org.babysitter.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.diagnosis.Narrator;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.train.Throughput;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench}: training and evaluation examples per second of the lecture's two-layer net through the real
 * trainer, per GEMM backend, hidden size and batch size, and the same net in numpy float64 and float32 when
 * python3 with numpy is there. Machines here are shared and noisy, so every case runs in several rounds that
 * interleave the backends and numpy; the table gives medians over rounds, and the ratios are medians of the
 * ratios within each round.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training and evaluation examples/s per GEMM backend, side by side with numpy.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;

    @Option(names = "--hidden", split = ",", defaultValue = "50,500", description = "Hidden sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--batch", split = ",", defaultValue = "100,200", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--gemm", split = ",", description = "Backends to compare (default: all available here).")
    List<String> gemms;

    @Option(names = "--rounds", defaultValue = "3", description = "Interleaved rounds per case (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--window", defaultValue = "20", description = "Iterations per timed window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--windows", defaultValue = "5", description = "Timed windows per round; their median counts (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--jvm-warmup", defaultValue = "6", paramLabel = "SECONDS",
            description = "First train and evaluate every Java case, untimed, for at least this many seconds, so the"
                    + " JIT has compiled the engine before any timing; 0: none (default: ${DEFAULT-VALUE}).")
    int jvmWarmupSeconds;

    @Option(names = "--assistant",
            description = "Also train each Java case with the babysitting assistant listening, sampling the layers and keeping"
                    + " the last good state as a 10-epoch run in the window would, and print its rate as a share of the plain"
                    + " run's and its time as a share of the run.")
    boolean assistant;

    @Option(names = "--trial",
            description = "Instead of the backend table: a search trial against a train run, same data, net, config, seed,"
                    + " batch and backend (the first of --gemm, else train's default); the train path, a trial through the search"
                    + " runner (pruner, early-break checks), a trial recorded to a temporary run store, and two trials at once"
                    + " (--jobs 2), taking turns in every round; prints each path's rate and x train, the median and range of the per-round ratios.")
    boolean trial;

    @Option(names = "--numpy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the same net in numpy float64 and float32 (python3 + numpy needed; default: on).")
    boolean numpy;

    @Option(names = "--python", defaultValue = "python3", description = "Python with numpy (default: ${DEFAULT-VALUE}; /usr/bin/python3 is tried too).")
    String python;

    @Option(names = "--numpy-script", defaultValue = "src/bench/python/numpy_twolayer.py", description = "The numpy benchmark script.")
    Path numpyScript;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (warmup < 0 || window < 1 || windows < 1 || rounds < 1 || jvmWarmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup and --jvm-warmup must be >= 0; --window, --windows and --rounds >= 1");
        }
        if (trial) {
            return trial(out, err);
        }
        List<String> names = gemms == null || gemms.isEmpty() ? Gemms.available() : gemms;
        List<Gemm> backends = new ArrayList<>();
        for (String n : names) {
            backends.add(Gemms.byName(n));
        }
        PreparedData data = dataOptions.load(err);
        Numpy np = numpy ? Numpy.start(this, out) : null;
        out.printf("Data: %s (%s); %d cores; Java %s%n", data.dataset().source(), data.dataset().describeSplit(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf("Two-layer net 3072-H-10, momentum 0.9, batches sampled with replacement. Training: median of %d windows"
                + " of %d iterations after %d warm-up iterations, per round; %d interleaved rounds. Evaluation: test-mode"
                + " accuracy over %d images.%n", windows, window, warmup, rounds,
                data.dataset().test().isEmpty() ? data.dataset().val().size() : data.dataset().test().size());
        for (Gemm g : backends) {
            out.println("  " + g.describe());
        }
        out.println("  default here: " + Gemms.choose().summary());
        if (jvmWarmupSeconds > 0) {
            // a JVM compiles the engine in its first seconds, on one of the cores the timing would use
            out.printf("JVM warm-up: every Java case, untimed, for at least %d s%n", jvmWarmupSeconds);
            out.flush();
            long until = System.nanoTime() + jvmWarmupSeconds * 1_000_000_000L;
            do {
                for (int h : hidden) {
                    for (int b : batches) {
                        for (Gemm g : backends) {
                            measure(data, g, h, b);
                            if (assistant) {
                                withAssistant(data, g, h, b);
                            }
                        }
                    }
                }
            } while (System.nanoTime() < until);
        }
        String first = backends.get(0).name();
        out.printf("x first: training rate over %s's in the same round, median over rounds%n", first);
        out.printf("%-28s %5s %6s %14s %14s %12s %12s %8s%n", "implementation", "H", "batch", "train ex/s", "eval ex/s",
                "x np f64", "x np f32", "x first");
        out.flush();
        for (int h : hidden) {
            for (int b : batches) {
                Map<String, double[]> train = new LinkedHashMap<>();
                Map<String, double[]> eval = new LinkedHashMap<>();
                Map<String, double[]> share = new LinkedHashMap<>();
                Map<String, double[]> sampling = new LinkedHashMap<>();
                Map<String, double[]> snapshots = new LinkedHashMap<>();
                for (int r = 0; r < rounds; r++) {
                    for (Gemm g : backends) {
                        double[] te = measure(data, g, h, b);
                        put(train, g.name(), r, te[0]);
                        put(eval, g.name(), r, te[1]);
                        if (assistant) {
                            double[] a = withAssistant(data, g, h, b);
                            put(train, g.name() + " + assistant", r, a[0]);
                            put(share, g.name(), r, a[1]);
                            put(sampling, g.name(), r, a[2]);
                            put(snapshots, g.name(), r, a[3]);
                        }
                    }
                    if (np != null) {
                        for (String dt : new String[] {"float64", "float32"}) {
                            double[] te = np.run(h, b, dt, warmup, window, windows);
                            if (te != null) {
                                put(train, "numpy " + dt, r, te[0]);
                                put(eval, "numpy " + dt, r, te[1]);
                            }
                        }
                    }
                }
                for (String name : train.keySet()) {
                    double[] t = train.get(name);
                    if (name.endsWith(" + assistant")) {
                        String plain = name.substring(0, name.length() - " + assistant".length());
                        out.printf(Locale.ROOT, "%-28s %5d %6d %,14.0f %14s %12s %12s %8s   %s x %s; the assistant's share of the"
                                        + " run, timed inside it: %.1f%% (the layer samples: %.1f%%, the last good state: %.1f%%)%n",
                                name, h, b, median(t), "-",
                                ratio(t, train.get("numpy float64")), ratio(t, train.get("numpy float32")), "-",
                                ratio(t, train.get(plain)), plain, 100 * median(share.get(plain)), 100 * median(sampling.get(plain)),
                                100 * median(snapshots.get(plain)));
                        continue;
                    }
                    out.printf(Locale.ROOT, "%-28s %5d %6d %,14.0f %,14.0f %12s %12s %8s%n", name, h, b, median(t), median(eval.get(name)),
                            ratio(t, train.get("numpy float64")), ratio(t, train.get("numpy float32")), ratio(t, train.get(first)));
                }
                out.flush();
            }
        }
        if (np != null) {
            np.close();
        }
        return 0;
    }

    /** {@code --trial}: see {@link TrialBench}. */
    private int trial(PrintWriter out, PrintWriter err) throws Exception {
        if (assistant) {
            throw new IllegalArgumentException("--assistant and --trial are two different benchmarks: give one");
        }
        String gemmName = gemms == null || gemms.isEmpty() ? null : gemms.get(0);
        if (gemmName != null) {
            Gemms.byName(gemmName); // an unknown name is refused before the images are read
        }
        PreparedData data = dataOptions.load(err);
        TrialBench bench = new TrialBench(data, gemmName, warmup, window, windows);
        out.printf("Data: %s (%s); %d cores; Java %s%n", data.dataset().source(), data.dataset().describeSplit(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.printf("A search trial against a train run: two-layer net 3072-H-10, lr 1e-4, reg 1e-3, momentum 0.9, seed 1,"
                + " batches sampled with replacement; a trial alone as with --jobs 1 (the same backend as train). Median of %d"
                + " windows of %d iterations after %d warm-up iterations, per path and round; %d rounds, the paths' order"
                + " turned each round. 2 trials at once: --jobs 2, each product on half the cores, the two trials' rates"
                + " summed.%n", windows, window, warmup, rounds);
        out.println("  " + bench.gemm().describe());
        try {
            if (jvmWarmupSeconds > 0) {
                out.printf("JVM warm-up: every path and case, untimed, for at least %d s%n", jvmWarmupSeconds);
                out.flush();
                long until = System.nanoTime() + jvmWarmupSeconds * 1_000_000_000L;
                do {
                    bench.warmUp(hidden, batches);
                } while (System.nanoTime() < until);
            }
            bench.run(hidden, batches, rounds, out);
        } finally {
            bench.close();
        }
        return 0;
    }

    /** Training and evaluation examples/s of the two-layer net with H = {@code h} at batch {@code b} on backend {@code g}. */
    private double[] measure(PreparedData data, Gemm g, int h, int b) {
        NetConfig net = NetConfig.lecture().withHidden(List.of(h));
        TrainConfig tc = new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-4, 0.9, 1.0, 1e-3, b, 1, org.babysitter.engine.train.Batching.SAMPLED, 0,
                TrainConfig.DEFAULT_TRAIN_ACCURACY_SAMPLE);
        double t = Throughput.training(net, data.dataset(), data.preprocessor(), tc, g, warmup, window, windows).median();
        Net model = net.withShape(Cifar.PIXELS, data.dataset().classCount()).build(g, 0);
        double e = Throughput.evaluation(model, data.dataset(), data.preprocessor(), 1, 3).median();
        return new double[] {t, e};
    }

    /**
     * Training examples/s of the same case with a narrator listening and the layers sampled as in a 10-epoch run, the
     * share of the run's time the assistant took, timed inside the run (the narrator's calls, and the trainer's own
     * count of its sampling: the weights copied before a sampled step, the sample with its histograms after it), and the
     * sampling's share alone: steadier figures than the ratio of two short runs' rates.
     */
    private double[] withAssistant(PreparedData data, Gemm g, int h, int b) {
        NetConfig net = NetConfig.lecture().withHidden(List.of(h));
        TrainConfig tc = new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-4, 0.9, 1.0, 1e-3, b, 1, org.babysitter.engine.train.Batching.SAMPLED, 0,
                TrainConfig.DEFAULT_TRAIN_ACCURACY_SAMPLE);
        int tenEpochs = 10 * Math.max(1, data.dataset().train().size() / b);
        long[] nanos = new long[2]; // the narrator's, the run's start
        org.babysitter.engine.train.Trainer[] trainer = new org.babysitter.engine.train.Trainer[1];
        Narrator narrator = new Narrator(f -> { });
        double rate = Throughput.training(net, data.dataset(), data.preprocessor(), tc, g, warmup, window, windows, t -> {
            t.sampleLayerStatistics(Narrator.sampleEvery(tenEpochs));
            t.controls().setRewindOnBreak(true); // as the window runs: the last good state kept
            t.keepLastGoodEvery(org.babysitter.engine.train.Trainer.everyHundredth(tenEpochs));
            trainer[0] = t;
            nanos[1] = System.nanoTime();
            t.addListener(new TrainingListener() {
                @Override
                public void onEvent(RunEvent e) {
                    narrator.onEvent(e);
                }

                @Override
                public void onIteration(IterationMetrics m) {
                    long s = System.nanoTime();
                    narrator.onIteration(m);
                    nanos[0] += System.nanoTime() - s;
                }

                @Override
                public void onLayerStatistics(LayerStatistics l) {
                    long s = System.nanoTime();
                    narrator.onLayerStatistics(l);
                    nanos[0] += System.nanoTime() - s;
                }

                @Override
                public void onEpoch(EpochMetrics m) {
                    narrator.onEpoch(m);
                }
            });
        }).median();
        long run = System.nanoTime() - nanos[1];
        long sampling = trainer[0].statisticsNanos();
        long snapshots = trainer[0].snapshotNanos();
        return new double[] {rate, (double) (nanos[0] + sampling + snapshots) / run, (double) sampling / run,
                (double) snapshots / run};
    }

    private void put(Map<String, double[]> m, String name, int round, double v) {
        double[] a = m.computeIfAbsent(name, k -> {
            double[] init = new double[rounds];
            Arrays.fill(init, Double.NaN);
            return init;
        });
        a[round] = v;
    }

    private static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Median over rounds of the ratio within each round. */
    private static String ratio(double[] a, double[] b) {
        if (b == null) {
            return "-";
        }
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        double m = median(r);
        return Double.isNaN(m) ? "-" : String.format(Locale.ROOT, "%.2f", m);
    }

    /** The numpy side: one python process that loads the data once and answers case by case. */
    private static final class Numpy {
        private final Process process;
        private final BufferedReader in;
        private final Writer toPython;

        private Numpy(Process process) {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.toPython = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Numpy start(BenchCommand c, PrintWriter out) {
            if (!Files.isRegularFile(c.numpyScript)) {
                out.println("numpy comparison skipped: " + c.numpyScript + " not found (run from the repository root)");
                return null;
            }
            String py = hasNumpy(c.python) ? c.python : hasNumpy("/usr/bin/python3") ? "/usr/bin/python3" : null;
            if (py == null) {
                out.println("numpy comparison skipped: no python3 with numpy (Debian: apt-get install python3-numpy libopenblas0)");
                return null;
            }
            if (c.dataOptions.data == null) {
                out.println("numpy comparison skipped: it reads CIFAR-10 files; pass --data");
                return null;
            }
            try {
                Process p = new ProcessBuilder(py, c.numpyScript.toString(), c.dataOptions.data.toString(), "--serve")
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Numpy n = new Numpy(p);
                String ready = n.in.readLine();
                if (!"ready".equals(ready)) {
                    out.println("numpy comparison skipped: the script said " + ready);
                    p.destroy();
                    return null;
                }
                out.println("numpy side: " + py + " " + c.numpyScript + " (same net, same data, same timing)");
                return n;
            } catch (IOException e) {
                out.println("numpy comparison skipped: " + e.getMessage());
                return null;
            }
        }

        /** Training and evaluation examples/s, or null. */
        double[] run(int h, int b, String dtype, int warmup, int window, int windows) throws IOException {
            toPython.write(h + " " + b + " " + dtype + " " + warmup + " " + window + " " + windows + "\n");
            toPython.flush();
            String line = in.readLine();
            if (line == null) {
                return null;
            }
            String[] f = line.split("\\s+");
            return f.length >= 8 ? new double[] {Double.parseDouble(f[5]), Double.parseDouble(f[7])} : null;
        }

        void close() throws IOException {
            toPython.close();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static boolean hasNumpy(String py) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
    }
}
