package org.babysitter.app;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.babysitter.app.session.SearchController;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.SearchEvent;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;

/**
 * A search's events without training, for the command center's tests and bench: {@code n} trials of a random spec, all
 * started at once, each reporting a loss every {@code periodMillis} for {@code iterations} iterations (a decaying noisy
 * curve; every 10th trial diverges halfway), then ending done with a val accuracy. Through
 * {@link SearchController#startFrom}, so the window sees it exactly as a SearchRunner's.
 */
final class SyntheticSearch implements SearchController.Source {
    final SearchSpec spec;
    private final int iterations;
    private final long periodMillis;
    private final List<Trial> trials;

    SyntheticSearch(int n, int iterations, long periodMillis) {
        this.spec = SearchSpec.lectureCoarse(n, 1, 1000, 0);
        this.iterations = iterations;
        this.periodMillis = periodMillis;
        this.trials = spec.trials(3072, 10, new DataIdentity("synthetic", "sha256:" + "0".repeat(64)));
    }

    @Override
    public List<TrialResult> run(Consumer<SearchEvent> events, SearchController.Losses losses) {
        SplittableRandom rng = new SplittableRandom(1);
        for (Trial t : trials) {
            events.accept(new SearchEvent.TrialStarted(t));
        }
        List<TrialResult> results = new ArrayList<>();
        boolean[] ended = new boolean[trials.size()];
        long next = System.nanoTime();
        for (int it = 0; it < iterations; it++) {
            for (Trial t : trials) {
                int i = t.index();
                if (ended[i]) {
                    continue;
                }
                if (i % 10 == 9 && it == iterations / 2) {
                    ended[i] = true;
                    TrialResult r = new TrialResult(t, TrialState.DIVERGED, "loss above 3x the first", List.of(), 1_000_000);
                    results.add(r);
                    events.accept(new SearchEvent.TrialFinished(r, results.size(), trials.size()));
                    continue;
                }
                losses.loss(i, 2.3 * Math.exp(-it / (200.0 + i)) + 0.2 * rng.nextDouble());
            }
            next += periodMillis * 1_000_000;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        for (Trial t : trials) {
            if (!ended[t.index()]) {
                TrialResult r = new TrialResult(t, TrialState.DONE, null, List.of(0.1 + 0.3 * rng.nextDouble()), 1_000_000);
                results.add(r);
                events.accept(new SearchEvent.TrialFinished(r, results.size(), trials.size()));
            }
        }
        return results;
    }
}
