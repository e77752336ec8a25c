package org.babysitter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.SearchLog;
import org.babysitter.engine.search.SearchRunner;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;
import org.babysitter.engine.train.Throughput;
import org.babysitter.engine.train.TrainConfig;
import org.babysitter.engine.train.Trainer;

/**
 * {@code bench --trial}: a search trial against a {@code train} run, on the same data, net, config, seed, batch and
 * backend. The train side is built as {@code train} builds its run ({@link Trainer#create}, the command's own epoch
 * printer listening, to a sink); the trial side runs through the real {@link SearchRunner} on its worker thread and
 * {@link Trial#run} (the pruner asked after each epoch, the trainer's early-break checks), once without and once with
 * recording to a temporary run store as {@code search --store} does; and, on 2 cores or more, two such trials at once
 * as {@code search --jobs 2} runs them (their rates summed). All are timed by the same window listener
 * ({@link Throughput.Windows}); the paths take turns within each round, the order rotated from round to round.
 */
final class TrialBench {
    static final String TRAIN = "train";
    static final String TRIAL = "search trial";
    static final String STORED = "search trial + store";
    static final String TWO = "2 trials at once, sum";

    private final List<String> paths;

    private final PreparedData data;
    private final Gemm gemm;
    /** Each of two trials at once gets its share of the cores, as {@code search --jobs 2} gives them. */
    private final Gemm sharing;
    private final int warmup;
    private final int window;
    private final int windows;
    private final DataIdentity identity;
    private final Path storeFolder;
    private final PrintWriter sink = new PrintWriter(Writer.nullWriter());
    private RunStore store;

    /** {@code gemmName}: the backend (null: -Dbabysitter.gemm's, else the fastest), as {@code train} and {@code search} take it. */
    TrialBench(PreparedData data, String gemmName, int warmup, int window, int windows) throws IOException {
        this.data = data;
        this.gemm = gemmName == null ? Gemms.fromSystemProperty() : Gemms.byName(gemmName);
        int cores = Runtime.getRuntime().availableProcessors();
        this.sharing = cores >= 2 ? Gemms.sharing(gemmName, cores / 2) : null;
        this.paths = sharing == null ? List.of(TRAIN, TRIAL, STORED) : List.of(TRAIN, TRIAL, STORED, TWO);
        this.warmup = warmup;
        this.window = window;
        this.windows = windows;
        this.identity = DataIdentity.ofImages(data.dataset());
        this.storeFolder = Files.createTempDirectory("babysitter-bench-trial");
    }

    /** The config both sides train: {@code train}'s and {@code search}'s defaults at lr 1e-4, reg 1e-3, batch {@code b}. */
    static TrainConfig config(int b, int epochs) {
        return TrainConfig.defaults().withLearningRate(1e-4).withReg(1e-3).withBatchSize(b).withEpochs(epochs).withSeed(1);
    }

    static NetConfig net(int h) {
        return NetConfig.lecture().withHidden(List.of(h));
    }

    Gemm gemm() {
        return gemm;
    }

    /** Training examples/s of {@code path} for H = {@code h} at batch {@code b} (the median of its windows). */
    double measure(String path, int h, int b) throws IOException, InterruptedException {
        int epochs = Throughput.epochsFor(data.dataset().train().size(), b, warmup, window, windows);
        TrainConfig tc = config(b, epochs);
        int batch = Math.min(b, data.dataset().train().size());
        if (path.equals(TRAIN)) {
            Trainer trainer = Trainer.create(net(h), data.dataset(), data.preprocessor(), tc, gemm);
            trainer.addListener(new TrainCommand.Printer(sink, sink));
            Throughput.Windows timing = new Throughput.Windows(warmup, window, windows, batch, () -> trainer.controls().stop());
            trainer.addListener(timing);
            trainer.run();
            return timing.result().median();
        }
        if (path.equals(TWO)) {
            return two(h, tc, batch);
        }
        SearchLog log = null;
        if (path.equals(STORED)) {
            if (store == null) {
                store = RunStore.open(storeFolder);
            }
            SearchSpec spec = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(), List.of(), 1, epochs, 0, tc.seed(),
                    PrunerSpec.MEDIAN);
            log = SearchLog.create(store, spec, identity, data.preprocessor().kind().label());
        }
        Trial trial = new Trial(0, net(h), tc, identity);
        SearchRunner runner = new SearchRunner(List.of(trial), List.of(), log, data, gemm, PrunerSpec.MEDIAN.create(), 1, e -> { });
        Throughput.Windows timing = new Throughput.Windows(warmup, window, windows, batch, runner::cancel);
        runner.listenToTrials(t -> timing);
        runner.start();
        List<TrialResult> results = runner.await();
        TrialResult r = results.get(0);
        if (r.state() != TrialState.CANCELLED && r.state() != TrialState.DONE) {
            throw new IllegalStateException("the benchmark's trial ended " + r.state().word() + ": " + r.reason());
        }
        return timing.result().median();
    }

    /**
     * Two trials of the same config at once through one runner ({@code --jobs 2}, each product on its share of the
     * cores): the sum of their rates, each the median of its windows, timed while both train (the runner is cancelled
     * once both have their windows; the first goes on timing till then).
     */
    private double two(int h, TrainConfig tc, int batch) throws InterruptedException {
        List<Trial> trials = List.of(new Trial(0, net(h), tc, identity), new Trial(1, net(h), tc, identity));
        SearchRunner runner = new SearchRunner(trials, List.of(), null, data, sharing, PrunerSpec.MEDIAN.create(), 2, e -> { });
        java.util.concurrent.ConcurrentHashMap<Integer, Throughput.Windows> timings = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Set<Integer> timed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        runner.listenToTrials(t -> timings.computeIfAbsent(t.index(), i -> new Throughput.Windows(warmup, window, windows, batch, () -> {
            timed.add(i);
            if (timed.size() == trials.size()) {
                runner.cancel();
            }
        })));
        runner.start();
        for (TrialResult r : runner.await()) {
            if (r.state() != TrialState.CANCELLED && r.state() != TrialState.DONE) {
                throw new IllegalStateException("a benchmark's trial ended " + r.state().word() + ": " + r.reason());
            }
        }
        double sum = 0;
        for (Throughput.Windows w : timings.values()) {
            sum += w.result().median();
        }
        return sum;
    }

    /** Every path once for every case, untimed: what the JVM warm-up runs. */
    void warmUp(List<Integer> hidden, List<Integer> batches) throws IOException, InterruptedException {
        for (int h : hidden) {
            for (int b : batches) {
                for (String p : paths) {
                    measure(p, h, b);
                }
            }
        }
    }

    /**
     * Rounds of the paths, interleaved, and the table: each path's median rate; x train, the median of the
     * per-round ratios to the train path's rate, with their middle half (quartiles) and range, and every round's.
     */
    void run(List<Integer> hidden, List<Integer> batches, int rounds, PrintWriter out) throws IOException, InterruptedException {
        out.printf("%-22s %5s %6s %14s %10s %12s %12s   %s%n", "path", "H", "batch", "train ex/s", "x train", "middle half",
                "min-max", "x train per round");
        out.flush();
        for (int h : hidden) {
            for (int b : batches) {
                double[][] rates = new double[paths.size()][rounds];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < paths.size(); k++) {
                        int p = (r + k) % paths.size(); // the order turns from round to round
                        rates[p][r] = measure(paths.get(p), h, b);
                    }
                }
                for (int p = 0; p < paths.size(); p++) {
                    double[] ratios = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        ratios[r] = rates[p][r] / rates[0][r];
                    }
                    double[] sorted = ratios.clone();
                    Arrays.sort(sorted);
                    StringBuilder each = new StringBuilder();
                    for (double v : ratios) {
                        each.append(String.format(Locale.ROOT, " %.3f", v));
                    }
                    out.printf(Locale.ROOT, "%-22s %5d %6d %,14.0f %10.3f %12s %12s  %s%n", paths.get(p), h, b, median(rates[p]),
                            median(ratios), String.format(Locale.ROOT, "%.3f-%.3f", quantile(sorted, 0.25), quantile(sorted, 0.75)),
                            String.format(Locale.ROOT, "%.3f-%.3f", sorted[0], sorted[sorted.length - 1]),
                            p == 0 ? "" : each.toString());
                }
                out.flush();
            }
        }
    }

    /** Closes the temporary store and deletes its folder. */
    void close() throws IOException {
        if (store != null) {
            store.close();
        }
        try (Stream<Path> files = Files.walk(storeFolder)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The {@code q} quantile of sorted values, interpolated between neighbours. */
    static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int i = (int) Math.floor(at);
        return i + 1 >= sorted.length ? sorted[sorted.length - 1] : sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
