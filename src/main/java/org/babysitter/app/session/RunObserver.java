package org.babysitter.app.session;

import java.util.List;

import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;

/**
 * Sees the current run in batches, on the FX thread: what the charts implement. The run controller knows nothing of
 * how it is drawn.
 */
public interface RunObserver {
    /** A run began (or a run is shown again): clear what the last one drew. */
    void started(RunEvent.Started started);

    /** Reports since the last call, in order within each list. */
    void append(List<IterationMetrics> iterations, List<EpochMetrics> epochs, List<RunEvent.ControlChanged> changes);

    /** The run diverged: its last loss (NaN, infinite or above 3x the first), which a decimated curve may not show. */
    void diverged(RunEvent.Diverged diverged);

    /** The loss broke and the run went back to its last good state, paused there (a marker where it broke). */
    void rewound(RunEvent.Rewound rewound);

    /** The run paused, finished, stopped or diverged: show everything now, without waiting for the next frame. */
    void settled();

    /** Everything was cleared (Reset). */
    void cleared();

    /** The assistant said something about the run, at {@link Finding#iteration()} (after the metrics up to there). */
    void said(Finding finding);
}
