package org.babysitter.engine.metrics;

/**
 * Everything a run reports, one sealed type: an iteration's metrics, an epoch's metrics, a sample of the layers'
 * statistics, a change in the run's life, or the evaluation of what it kept. A report is delivered to a
 * {@link TrainingListener} by {@link #deliverTo}, so every receiver handles every kind (the compiler sees to it), on
 * whatever thread it is read.
 */
public sealed interface RunReport permits IterationMetrics, EpochMetrics, LayerStatistics, RunEvent, RunEvaluation {
    /** Calls the listener's method for this kind of report. */
    void deliverTo(TrainingListener listener);
}
