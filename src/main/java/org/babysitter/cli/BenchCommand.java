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
import org.babysitter.engine.linalg.OneDnn;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.ConvStage;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
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
 * python3 with numpy is there; with {@code --net convnetjs}, the same for ConvNetJS's CIFAR-10 net side by side
 * with that net in PyTorch on the CPU (float32, as many threads as ours) when python3 with torch is there. Machines
 * here are shared and noisy, so every case runs in several rounds that interleave the backends and the other
 * language's side; the table gives medians over rounds, and the ratios are medians of the ratios within each round.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training and evaluation examples/s per GEMM backend, side by side with numpy"
                + " (--net convnetjs: ConvNetJS's net, side by side with PyTorch).")
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

    @Option(names = "--warmup", defaultValue = "200", description = "Untimed iterations of each case's new run first (default:"
            + " ${DEFAULT-VALUE}; a new trainer's allocations start a collection cycle that would otherwise fall in its first windows).")
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

    @Option(names = "--net", defaultValue = "fc", paramLabel = "NET",
            description = "fc: the lecture's two-layer net against numpy (the table per --hidden and --batch); convnetjs:"
                    + " ConvNetJS's CIFAR-10 net (three conv-ReLU-pool stages, He init, lr 1e-2, inputs standardized per"
                    + " channel, batch 100 unless --batch) on the backend train would choose (or --gemm), against the same net"
                    + " in PyTorch on the CPU, float32, on as many threads as ours (default: ${DEFAULT-VALUE}).")
    String net;

    @Option(names = "--numpy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the same net in numpy float64 and float32 (python3 + numpy needed; default: on).")
    boolean numpy;

    @Option(names = "--python", defaultValue = "python3",
            description = "Python with numpy, or torch (default: ${DEFAULT-VALUE}; /usr/bin/python3 is tried too).")
    String python;

    @Option(names = "--numpy-script", defaultValue = "src/bench/python/numpy_twolayer.py", description = "The numpy benchmark script.")
    Path numpyScript;

    @Option(names = "--torch", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --net convnetjs: also run the same net in PyTorch (python3 + torch needed; default: on).")
    boolean torch;

    @Option(names = "--torch-script", defaultValue = "src/bench/python/torch_convnet.py", description = "The PyTorch benchmark script.")
    Path torchScript;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (warmup < 0 || window < 1 || windows < 1 || rounds < 1 || jvmWarmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup and --jvm-warmup must be >= 0; --window, --windows and --rounds >= 1");
        }
        boolean conv = switch (net.toLowerCase(Locale.ROOT)) {
            case "fc" -> false;
            case "convnetjs" -> true;
            default -> throw new IllegalArgumentException("--net is fc (the lecture's two-layer net) or convnetjs, not '" + net + "'");
        };
        if (conv) {
            if (given("--hidden")) {
                throw new IllegalArgumentException("--hidden sizes the two-layer net; ConvNetJS's net (--net convnetjs) has no hidden layer");
            }
            if (given("--numpy") || given("--numpy-script")) {
                throw new IllegalArgumentException("the numpy side runs the two-layer net; --net convnetjs compares with torch"
                        + " (--torch, --torch-script)");
            }
            if (trial) {
                throw new IllegalArgumentException("--trial times the two-layer net's search trials; leave out --net convnetjs");
            }
        } else if (given("--torch") || given("--torch-script")) {
            throw new IllegalArgumentException("the torch side runs ConvNetJS's net: give --net convnetjs too");
        }
        if (trial) {
            return trial(out, err);
        }
        List<Gemm> backends = new ArrayList<>();
        if (gemms == null || gemms.isEmpty()) {
            // a conv net's round is long: by default only the backend train would choose, the FC table has them all
            for (String n : conv ? List.of(Gemms.choose().gemm().name()) : Gemms.available()) {
                backends.add(Gemms.byName(n));
            }
        } else {
            for (String n : gemms) {
                backends.add(Gemms.byName(n));
            }
        }
        if (conv && !given("--preprocess")) {
            dataOptions.preprocessing = Preprocessing.CHANNEL_STANDARDIZE; // as ConvNetJS's net trains (train --net convnetjs)
        }
        PreparedData data = dataOptions.load(err);
        try (Table table = conv ? convTable(data, backends, out) : fcTable(data, backends, out)) {
            out.printf("Data: %s (%s); %d cores; Java %s%n", data.dataset().source(), data.dataset().describeSplit(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            for (String line : table.header()) {
                out.println(line);
            }
            for (Gemm g : backends) {
                out.println("  " + g.describe());
            }
            out.println("  default here: " + Gemms.choose().summary());
            table.run(out);
        }
        return 0;
    }

    /** Whether {@code option} was given on the command line. */
    private boolean given(String option) {
        return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The two-layer net's table: a cell per hidden size and batch size, the backends against numpy float64 and float32. */
    private Table fcTable(PreparedData data, List<Gemm> backends, PrintWriter out) {
        Python np = numpy ? Python.start("numpy", "python3-numpy libopenblas0", python, numpyScript, dataOptions.data, List.of(), out)
                : null;
        if (np != null) {
            out.println("numpy side: " + np.python + " " + numpyScript + " (same net, same data, same timing)");
        }
        List<Cell> cells = new ArrayList<>();
        for (int h : hidden) {
            for (int b : batches) {
                NetConfig fc = NetConfig.lecture().withHidden(List.of(h));
                TrainConfig tc = new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-4, 0.9, 1.0, 1e-3, b, 1,
                        org.babysitter.engine.train.Batching.SAMPLED, 0, TrainConfig.DEFAULT_TRAIN_ACCURACY_SAMPLE);
                List<Side> sides = javaSides(data, backends, fc, tc);
                if (np != null) {
                    for (String dt : new String[] {"float64", "float32"}) {
                        sides.add(Side.other("numpy " + dt, () -> np.ask(h + " " + b + " " + dt + " " + warmup + " " + window + " " + windows)));
                    }
                }
                cells.add(new Cell(String.valueOf(h), b, sides));
            }
        }
        List<String> header = List.of(String.format("Two-layer net 3072-H-10, momentum 0.9, batches sampled with replacement."
                + " Training: median of %d windows of %d iterations after %d warm-up iterations, per round; %d interleaved rounds."
                + " Evaluation: test-mode accuracy over %d images.", windows, window, warmup, rounds, evaluationImages(data)));
        return new Table(header, "H", cells, List.of(new Reference("x np f64", "numpy float64", 0),
                new Reference("x np f32", "numpy float32", 0)), backends.get(0).name(), np,
                data.dataset().train().size());
    }

    /** ConvNetJS's net: a cell per batch size, the backends against the same net in PyTorch on the CPU. */
    private Table convTable(PreparedData data, List<Gemm> backends, PrintWriter out) {
        int threads = engineThreads();
        Python torch = this.torch ? Python.start("torch", "python3-torch", python, torchScript, dataOptions.data,
                List.of("--threads", String.valueOf(threads)), out) : null;
        List<String> header = new ArrayList<>();
        header.add(String.format(Locale.ROOT, "ConvNetJS's CIFAR-10 net (%s, then affine 320-10, softmax), ReLU, He init,"
                + " momentum 0.9, lr 1e-2, reg 1e-3, inputs: %s, batches sampled with replacement. Training: median of %d windows of"
                + " %d iterations after %d warm-up iterations, per round; %d interleaved rounds. Evaluation: test-mode accuracy"
                + " over %d images.", ConvStage.format(ConvStage.CONVNETJS), dataOptions.preprocessing.label(),
                windows, window, warmup, rounds, evaluationImages(data)));
        header.add(String.format(Locale.ROOT, "Threads: ours up to %d (products and parallel loops)%s", threads, torch == null ? ""
                : "; torch.set_num_threads(" + threads + ")"));
        for (Gemm g : backends) {
            header.add("Convolutions on " + g.name() + ": " + OneDnn.describe(g, true));
        }
        if (torch != null) {
            header.add("torch side: " + torch.python + " " + torchScript + ", " + torch.description
                    + ", float32, the same net, inputs standardized once, SGD with the same momentum, lr and L2, the same timing");
        }
        List<Cell> cells = new ArrayList<>();
        for (int b : given("--batch") ? batches : List.of(100)) {
            NetConfig cn = NetConfig.convnetjs(Cifar.PIXELS, data.dataset().classCount());
            TrainConfig tc = new TrainConfig(UpdateRuleKind.MOMENTUM, 1e-2, 0.9, 1.0, 1e-3, b, 1,
                    org.babysitter.engine.train.Batching.SAMPLED, 0, TrainConfig.DEFAULT_TRAIN_ACCURACY_SAMPLE);
            List<Side> sides = javaSides(data, backends, cn, tc);
            if (torch != null) {
                sides.add(Side.other("torch float32", () -> torch.ask(b + " " + warmup + " " + window + " " + windows)));
            }
            cells.add(new Cell(null, b, sides));
        }
        return new Table(header, null, cells, List.of(new Reference("x torch", "torch float32", 0),
                new Reference("eval x torch", "torch float32", 1)), backends.get(0).name(), torch,
                data.dataset().train().size());
    }

    /** Each backend training {@code net} with {@code tc} (and with the assistant listening, with --assistant). */
    private List<Side> javaSides(PreparedData data, List<Gemm> backends, NetConfig net, TrainConfig tc) {
        List<Side> sides = new ArrayList<>();
        for (Gemm g : backends) {
            sides.add(Side.java(g.name(), null, () -> measure(data, g, net, tc)));
            if (assistant) {
                sides.add(Side.java(g.name() + " + assistant", g.name(), () -> withAssistant(data, g, net, tc)));
            }
        }
        return sides;
    }

    private static int evaluationImages(PreparedData data) {
        return data.dataset().test().isEmpty() ? data.dataset().val().size() : data.dataset().test().size();
    }

    /**
     * The threads our engine computes on: those of the large products ({@link Gemms#THREADS_PROPERTY}, else the
     * cores), which the parallel loops of the layers and the update share; torch is given as many.
     */
    static int engineThreads() {
        String v = System.getProperty(Gemms.THREADS_PROPERTY);
        if (v != null && !v.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                // Gemms refuses it with the reason when a backend is built
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** What a row's figures come from: one call times one round of it, or gives null when its side could not answer. */
    @FunctionalInterface
    private interface Measure {
        double[] run() throws IOException;
    }

    /**
     * One row of a cell: a Java case ({train, eval}, or an assistant case {train, share, sampling, snapshots} with
     * {@code plain} the row it is compared with) or the other language's ({train, eval}).
     */
    private record Side(String name, boolean java, String plain, Measure measure) {
        Side {
            if (name == null || measure == null) {
                throw new IllegalArgumentException("a side needs a name and a measure");
            }
        }

        static Side java(String name, String plain, Measure m) {
            return new Side(name, true, plain, m);
        }

        static Side other(String name, Measure m) {
            return new Side(name, false, null, m);
        }
    }

    /** One case of the table: its hidden size (null where the net has none) and batch, and the sides timed in turn. */
    private record Cell(String hidden, int batch, List<Side> sides) {
        Cell {
            if (batch < 1 || sides == null || sides.isEmpty()) {
                throw new IllegalArgumentException("a cell needs a batch >= 1 and sides, got batch " + batch + ", sides " + sides);
            }
        }
    }

    /** A ratio column: this row's figure {@code figure} (0 training, 1 evaluation) over the same round's of {@code side}. */
    private record Reference(String header, String side, int figure) {
        Reference {
            if (figure < 0 || figure > 1) {
                throw new IllegalArgumentException("a reference compares training (0) or evaluation (1), not figure " + figure);
            }
        }
    }

    /**
     * A benchmark table: the cells, each timed in {@code rounds} rounds that take every side in turn (so the machine's
     * noise hits all of them alike), each row's rates the medians over rounds and its ratios the medians of the ratios
     * within each round. {@code hiddenHeader} is the hidden-size column's header, or null for no such column.
     */
    private final class Table implements AutoCloseable {
        private final List<String> header;
        private final String hiddenHeader;
        private final List<Cell> cells;
        private final List<Reference> references;
        private final String first;
        private final Python python;
        private final int trainImages;

        Table(List<String> header, String hiddenHeader, List<Cell> cells, List<Reference> references, String first, Python python,
              int trainImages) {
            this.header = List.copyOf(header);
            this.hiddenHeader = hiddenHeader;
            this.cells = List.copyOf(cells);
            this.references = List.copyOf(references);
            this.first = first;
            this.python = python;
            this.trainImages = trainImages;
        }

        List<String> header() {
            return header;
        }

        void run(PrintWriter out) throws IOException {
            if (jvmWarmupSeconds > 0) {
                // a JVM compiles the engine in its first seconds, on one of the cores the timing would use
                out.printf("JVM warm-up: every Java case, untimed, for at least %d s%n", jvmWarmupSeconds);
                out.flush();
                long until = System.nanoTime() + jvmWarmupSeconds * 1_000_000_000L;
                do {
                    for (Cell c : cells) {
                        for (Side s : c.sides()) {
                            if (s.java()) {
                                s.measure().run();
                            }
                        }
                    }
                } while (System.nanoTime() < until);
            }
            out.printf("x first: training rate over %s's in the same round, median over rounds%n", first);
            List<String> titles = new ArrayList<>(List.of("implementation"));
            if (hiddenHeader != null) {
                titles.add(hiddenHeader);
            }
            titles.addAll(List.of("batch", "train ex/s", "eval ex/s"));
            references.forEach(r -> titles.add(r.header()));
            titles.add("x first");
            for (int b : cells.stream().map(Cell::batch).distinct().toList()) {
                // the trainer evaluates at an epoch's end, and a window holding one is dropped: with short epochs few are left
                int perEpoch = Math.max(trainImages / Math.min(b, Math.max(trainImages, 1)), 1);
                if (perEpoch < 2 * window) {
                    out.printf("note: at batch %d an epoch here is %d iterations (%d training images), less than two windows of %d;"
                            + " windows holding an epoch's end are not timed, so few or none are left (NaN): a smaller --window,"
                            + " --val-size 0 or more images helps%n", b, perEpoch, trainImages, window);
                }
            }
            out.printf(columns(), titles.toArray());
            out.flush();
            for (Cell c : cells) {
                Map<String, double[][]> figures = new LinkedHashMap<>();
                for (int r = 0; r < rounds; r++) {
                    for (Side s : c.sides()) {
                        double[] f = s.measure().run();
                        if (f != null) {
                            figures.computeIfAbsent(s.name(), k -> nanRounds(f.length))[r] = f;
                        }
                    }
                }
                for (Side s : c.sides()) {
                    if (figures.containsKey(s.name())) {
                        out.print(row(c, s, figures));
                    }
                }
                out.flush();
            }
        }

        /** The table's format: the name, the hidden size if any, batch, the two rates, the ratios, x first. */
        private String columns() {
            return "%-28s" + (hiddenHeader == null ? "" : " %5s") + " %6s %14s %14s" + " %12s".repeat(references.size()) + " %8s%n";
        }

        private String row(Cell c, Side s, Map<String, double[][]> figures) {
            double[] t = figure(figures, s.name(), 0);
            List<Object> v = new ArrayList<>(List.of(s.name()));
            if (hiddenHeader != null) {
                v.add(c.hidden());
            }
            v.add(String.valueOf(c.batch()));
            v.add(rate(median(t)));
            boolean assisted = s.plain() != null;
            v.add(assisted ? "-" : rate(median(figure(figures, s.name(), 1))));
            for (Reference r : references) {
                v.add(assisted && r.figure() != 0 ? "-" : ratio(figure(figures, s.name(), r.figure()), figure(figures, r.side(), r.figure())));
            }
            v.add(assisted ? "-" : ratio(t, figure(figures, first, 0)));
            String line = String.format(Locale.ROOT, columns(), v.toArray());
            if (!assisted) {
                return line;
            }
            return line.stripTrailing() + String.format(Locale.ROOT, "   %s x %s; the assistant's share of the run, timed inside it:"
                            + " %.1f%% (the layer samples: %.1f%%, the last good state: %.1f%%)%n",
                    ratio(t, figure(figures, s.plain(), 0)), s.plain(), 100 * median(figure(figures, s.name(), 1)),
                    100 * median(figure(figures, s.name(), 2)), 100 * median(figure(figures, s.name(), 3)));
        }

        private double[][] nanRounds(int width) {
            double[][] a = new double[rounds][];
            double[] nan = new double[width];
            Arrays.fill(nan, Double.NaN);
            Arrays.fill(a, nan);
            return a;
        }

        @Override
        public void close() throws IOException {
            if (python != null) {
                python.close();
            }
        }
    }

    /** Figure {@code f} of side {@code name} over the rounds, or null if that side never answered. */
    private static double[] figure(Map<String, double[][]> figures, String name, int f) {
        double[][] a = figures.get(name);
        if (a == null) {
            return null;
        }
        double[] out = new double[a.length];
        for (int r = 0; r < a.length; r++) {
            out[r] = f < a[r].length ? a[r][f] : Double.NaN;
        }
        return out;
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
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

    /** Training and evaluation examples/s of {@code net} trained with {@code tc} on backend {@code g}. */
    private double[] measure(PreparedData data, Gemm g, NetConfig net, TrainConfig tc) {
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
    private double[] withAssistant(PreparedData data, Gemm g, NetConfig net, TrainConfig tc) {
        int tenEpochs = 10 * Math.max(1, data.dataset().train().size() / tc.batchSize());
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

    /**
     * The other language's side: one python process that loads the data once (and says "ready", perhaps with a
     * description after it), then answers each request line with one result line holding "train RATE eval RATE".
     */
    private static final class Python {
        private final Process process;
        private final BufferedReader in;
        private final Writer toPython;
        /** The interpreter that runs it, and what the script said of itself when it was ready (may be empty). */
        final String python;
        final String description;

        private Python(Process process, BufferedReader in, String python, String description) {
            this.process = process;
            this.in = in;
            this.toPython = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.python = python;
            this.description = description;
        }

        /**
         * Starts {@code script DATA --serve ARGS} with a python that imports {@code module} ({@code python}, else
         * /usr/bin/python3), or says in one line why the {@code module} comparison is skipped and gives null.
         */
        static Python start(String module, String debianPackages, String python, Path script, Path data, List<String> args,
                            PrintWriter out) {
            String skipped = module + " comparison skipped: ";
            if (!Files.isRegularFile(script)) {
                out.println(skipped + script + " not found (run from the repository root)");
                return null;
            }
            String py = imports(python, module) ? python : imports("/usr/bin/python3", module) ? "/usr/bin/python3" : null;
            if (py == null) {
                out.println(skipped + "no python3 with " + module + " (Debian: apt-get install " + debianPackages + ")");
                return null;
            }
            if (data == null) {
                out.println(skipped + "it reads CIFAR-10 files; pass --data");
                return null;
            }
            List<String> command = new ArrayList<>(List.of(py, script.toString(), data.toString(), "--serve"));
            command.addAll(args);
            try {
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String ready = in.readLine();
                if (ready == null || !(ready.equals("ready") || ready.startsWith("ready "))) {
                    out.println(skipped + "the script said " + ready);
                    p.destroy();
                    return null;
                }
                return new Python(p, in, py, ready.substring("ready".length()).strip());
            } catch (IOException e) {
                out.println(skipped + e.getMessage());
                return null;
            }
        }

        /** Sends one request line; training and evaluation examples/s, or null if the process answered nothing usable. */
        double[] ask(String request) throws IOException {
            toPython.write(request + "\n");
            toPython.flush();
            String line = in.readLine();
            if (line == null) {
                return null;
            }
            List<String> f = Arrays.asList(line.strip().split("\\s+"));
            int t = f.indexOf("train");
            int e = f.indexOf("eval");
            if (t < 0 || e < 0 || t + 1 >= f.size() || e + 1 >= f.size()) {
                return null;
            }
            return new double[] {Double.parseDouble(f.get(t + 1)), Double.parseDouble(f.get(e + 1))};
        }

        void close() throws IOException {
            toPython.close();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static boolean imports(String py, String module) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import " + module).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
    }
}
