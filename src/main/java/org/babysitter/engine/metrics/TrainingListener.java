package org.babysitter.engine.metrics;

/**
 * Receives what a run reports ({@link RunReport#deliverTo}). Calls come on the training thread, in order; a listener
 * must return quickly (copy and hand over, never block): the window's listener only queues for its rate-limited
 * pump.
 */
public interface TrainingListener {
    default void onEvent(RunEvent event) {
    }

    default void onIteration(IterationMetrics metrics) {
    }

    default void onEpoch(EpochMetrics metrics) {
    }

    /** Only when the trainer was asked to sample them ({@code Trainer.sampleLayerStatistics}). */
    default void onLayerStatistics(LayerStatistics statistics) {
    }

    /** After a run, from whoever evaluated what it kept ({@code Evaluator.evaluate}). */
    default void onEvaluation(RunEvaluation evaluation) {
    }
}
