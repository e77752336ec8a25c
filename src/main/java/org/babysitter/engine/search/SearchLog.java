package org.babysitter.engine.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.runs.RunRecorder;
import org.babysitter.engine.runs.RunSpec;
import org.babysitter.engine.runs.RunStore;
import org.babysitter.engine.runs.RunSummary;
import org.babysitter.engine.train.TrainConfig;

/**
 * A search recorded in a run store, so that it survives a crash: its spec and data identity in
 * {@code searches/ID.json} beside the store's database, each trial as a run of the store (tagged {@code search:ID}
 * and {@code trial:N}, every epoch recorded as it trains) whose note holds the trial's outcome once it ended. A trial
 * without an outcome (the process died while it trained) is run again by a resumed search.
 */
public final class SearchLog {
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final RunStore store;
    private final String id;
    private final Saved saved;
    private final String preprocessing;

    /**
     * What {@code searches/ID.json} holds.
     *
     * @param net   the net the trials change where ranged (a window's search: the configured one); null, with
     *              {@code train}, for the defaults the CLI's search starts from
     * @param train the trainer config the trials change where ranged, or null
     */
    public record Saved(SearchSpec spec, DataIdentity data, NetConfig net, TrainConfig train) {
        public Saved {
            if (spec == null || data == null) {
                throw new IllegalArgumentException("a recorded search needs its spec and data identity");
            }
            if ((net == null) != (train == null)) {
                throw new IllegalArgumentException("a recorded search's base is a net and a trainer config, or neither");
            }
        }
    }

    /** How a trial ended, as kept in its run's note. */
    record Outcome(TrialState state, String reason, List<Double> valAccuracies, long nanos) {
    }

    private SearchLog(RunStore store, String id, Saved saved, String preprocessing) {
        this.store = store;
        this.id = id;
        this.saved = saved;
        this.preprocessing = preprocessing;
    }

    /** A new search in {@code store}: the next free id ("s1", "s2", ...), its spec written now. */
    public static SearchLog create(RunStore store, SearchSpec spec, DataIdentity data, String preprocessing) throws IOException {
        return create(store, spec, null, data, preprocessing);
    }

    /**
     * A new search whose trials change {@code base} (null: the defaults) where the spec ranges: the base is written
     * with the spec, so that a resumed search plans the same trials ({@link #plan}).
     */
    public static SearchLog create(RunStore store, SearchSpec spec, Hyper.Configs base, DataIdentity data, String preprocessing)
            throws IOException {
        Path folder = store.folder().resolve("searches");
        Files.createDirectories(folder);
        int n = 1;
        while (Files.exists(folder.resolve("s" + n + ".json"))) {
            n++;
        }
        Saved saved = new Saved(spec, data, base == null ? null : base.net(), base == null ? null : base.train());
        AtomicFiles.writeString(folder.resolve("s" + n + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(saved) + "\n");
        return new SearchLog(store, "s" + n, saved, preprocessing);
    }

    /** A search recorded earlier, to resume; refused in words if there is none of that id. */
    public static SearchLog reopen(RunStore store, String id, String preprocessing) throws IOException {
        if (!id.matches("s\\d+")) {
            throw new IllegalArgumentException("a search id is s and a number, e.g. s1, got '" + id + "'");
        }
        Path file = store.folder().resolve("searches").resolve(id + ".json");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no search " + id + " in " + store.folder() + " (no " + file + ")");
        }
        try {
            return new SearchLog(store, id, JSON.readValue(text, Saved.class), preprocessing);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not a recorded search: " + e.getOriginalMessage(), e);
        }
    }

    public String id() {
        return id;
    }

    public SearchSpec spec() {
        return saved.spec();
    }

    public DataIdentity data() {
        return saved.data();
    }

    /** The net and trainer the trials change where ranged, or null for the defaults (a CLI search). */
    public Hyper.Configs base() {
        return saved.net() == null ? null : new Hyper.Configs(saved.net(), saved.train());
    }

    /**
     * The search's trials for a net of {@code inputs} features and {@code classes} classes: the same ones every time
     * (a resumed search runs the trials it planned first).
     */
    public List<Trial> plan(int inputs, int classes) {
        Hyper.Configs b = base();
        return b == null ? spec().trials(inputs, classes, data())
                : spec().trials(new Hyper.Configs(b.net().withShape(inputs, classes), b.train()), data());
    }

    /** The trials as planned for the recorded base's shape (or the lecture's net's): how many, and their values. */
    public List<Trial> plan() {
        NetConfig shape = saved.net() != null ? saved.net() : NetConfig.lecture();
        return plan(shape.inputSize(), shape.classes());
    }

    /** The ids of the searches recorded in {@code store}, oldest first ("s1", "s2", ...). */
    public static List<String> ids(RunStore store) throws IOException {
        Path folder = store.folder().resolve("searches");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>();
        try (var files = Files.list(folder)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.matches("s\\d{1,9}\\.json"))
                    .forEach(n -> numbers.add(Integer.parseInt(n.substring(1, n.length() - 5))));
        }
        return numbers.stream().sorted().map(n -> "s" + n).toList();
    }

    /**
     * The run of the store that recorded trial {@code index} (from 0): the newest one tagged for it (a trial run
     * again after a cancel has a newer run), or empty if it never started.
     */
    public OptionalLong runOf(int index) throws IOException {
        for (RunSummary run : store.list(false)) { // newest first
            if (run.tags().contains("search:" + id) && run.tags().contains("trial:" + (index + 1))) {
                return OptionalLong.of(run.id());
            }
        }
        return OptionalLong.empty();
    }

    /** The recorded loss of each iteration of trial {@code index} (its newest run), empty if it never started. */
    public List<Double> losses(int index) throws IOException {
        OptionalLong run = runOf(index);
        if (run.isEmpty()) {
            return List.of();
        }
        return store.history(run.getAsLong()).iterations().stream().map(IterationMetrics::loss).toList();
    }

    /** Starts recording a trial as a run of the store: the recorder listens to its trainer. */
    RunRecorder begin(Trial trial) throws IOException {
        RunRecorder r = store.record(new RunSpec("search " + id + " trial " + (trial.index() + 1), trial.net(), trial.train(),
                preprocessing, trial.data()));
        store.tag(r.id(), List.of("search:" + id, "trial:" + (trial.index() + 1)));
        return r;
    }

    /** Ends a trial's recording with its outcome in the run's note. */
    void end(RunRecorder recorder, TrialResult result) throws IOException {
        if (result.state() == TrialState.FAILED) {
            recorder.failed(result.reason());
        }
        recorder.close();
        store.note(recorder.id(), JSON.writeValueAsString(new Outcome(result.state(), result.reason(), result.valAccuracies(),
                result.nanos())));
    }

    /**
     * Records a trial that ran elsewhere (another machine of a search across machines) once its result is in: one run,
     * tagged as {@link #begin} tags it, with the epochs and the end ({@code end}: the trainer's finished or diverged
     * event, null if none) its trainer reported there, and the outcome in its note, written together. Nothing of a
     * trial is written before its result arrives, so an attempt lost with its machine leaves nothing in the store.
     */
    public void record(TrialResult result, List<EpochMetrics> epochs, RunEvent end) throws IOException {
        RunRecorder recorder = begin(result.trial());
        epochs.forEach(recorder::onEpoch);
        if (end != null) {
            recorder.onEvent(end);
        }
        end(recorder, result);
    }

    /**
     * The trials of {@code trials} that ended in an earlier process (cancelled ones excepted: they run again), by
     * index, as their results.
     */
    public List<TrialResult> finished(List<Trial> trials) throws IOException {
        Map<Integer, TrialResult> byIndex = new HashMap<>();
        for (RunSummary run : store.list(false)) {
            if (!run.tags().contains("search:" + id) || run.note().isEmpty()) {
                continue;
            }
            int index = run.tags().stream().filter(t -> t.startsWith("trial:")).mapToInt(t -> Integer.parseInt(t.substring(6)) - 1)
                    .findFirst().orElse(-1);
            if (index < 0 || index >= trials.size()) {
                continue;
            }
            Outcome o = JSON.readValue(run.note(), Outcome.class);
            if (o.state() != TrialState.CANCELLED) {
                byIndex.put(index, new TrialResult(trials.get(index), o.state(), o.reason(), o.valAccuracies(), o.nanos()));
            }
        }
        List<TrialResult> out = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            if (byIndex.containsKey(i)) {
                out.add(byIndex.get(i));
            }
        }
        return out;
    }
}
