package org.babysitter.engine.metrics;

import java.util.List;

import org.babysitter.engine.Numbers;

/** A change in a run's life: started, paused, resumed, a control applied, finished, diverged or rewound at a break. */
public sealed interface RunEvent extends RunReport {
    /** Iterations done when the event happened. */
    int iteration();

    /** Calls the visitor's method for this kind of event. */
    void accept(Visitor visitor);

    @Override
    default void deliverTo(TrainingListener listener) {
        listener.onEvent(this);
    }

    /** One method per kind of event: a receiver that implements it handles them all. */
    interface Visitor {
        void started(Started e);

        void paused(Paused e);

        void resumed(Resumed e);

        void controlChanged(ControlChanged e);

        void finished(Finished e);

        void diverged(Diverged e);

        void rewound(Rewound e);
    }

    /**
     * The run began.
     *
     * @param net                the architecture in words
     * @param updateRule         the update rule in words
     * @param weightNames        W1, W2, ...: the order of {@link IterationMetrics#updateRatios()}
     * @param iterationsPerEpoch training images / batch size
     * @param batchSize          images per iteration (the whole training set for full batches)
     * @param batching           how batches are drawn, in words
     * @param chanceLoss         the loss of equal scores (softmax ln C, SVM C - 1): the first loss of a small init
     * @param chanceLabel        how it is written, e.g. "ln(10) = 2.303"
     * @param gemm               the matrix-product backend in use
     */
    record Started(int iteration, String net, String updateRule, List<String> weightNames, int iterationsPerEpoch,
                   int totalIterations, int epochs, int batchSize, String batching, double learningRate, double reg,
                   int trainSize, int valSize, int classes, double chanceLoss, String chanceLabel, long seed, String gemm)
            implements RunEvent {
        public Started {
            weightNames = List.copyOf(weightNames);
            if (iterationsPerEpoch < 1 || totalIterations < 1) {
                throw new IllegalArgumentException("a run has at least one iteration");
            }
        }

        @Override
        public void accept(Visitor visitor) {
            visitor.started(this);
        }
    }

    record Paused(int iteration) implements RunEvent {
        @Override
        public void accept(Visitor visitor) {
            visitor.paused(this);
        }
    }

    record Resumed(int iteration) implements RunEvent {
        @Override
        public void accept(Visitor visitor) {
            visitor.resumed(this);
        }
    }

    /** A mid-run control took effect before iteration {@code iteration + 1}. */
    record ControlChanged(int iteration, Control control, double from, double to) implements RunEvent {
        /** "lr 1e-3 -> 3e-4". */
        public String label() {
            return control.shortName() + " " + Numbers.significant(from, 2) + " -> " + Numbers.significant(to, 2);
        }

        @Override
        public void accept(Visitor visitor) {
            visitor.controlChanged(this);
        }
    }

    /**
     * The run ended normally or was stopped.
     *
     * @param completed true if all epochs ran, false if stopped early
     * @param bestEpoch the epoch of the best validation accuracy (0 if no epoch ended)
     */
    record Finished(int iteration, boolean completed, double bestValAccuracy, int bestEpoch, long elapsedNanos)
            implements RunEvent {
        @Override
        public void accept(Visitor visitor) {
            visitor.finished(this);
        }
    }

    /**
     * The run ended because the loss blew up; {@code reason} says so in words, naming the likely cause.
     *
     * @param bestEpoch the epoch whose parameters the net holds now (0 if none ended before the divergence)
     */
    record Diverged(int iteration, double loss, Cause cause, String reason, double bestValAccuracy, int bestEpoch)
            implements RunEvent {
        @Override
        public void accept(Visitor visitor) {
            visitor.diverged(this);
        }
    }

    /**
     * The loss broke (as for {@link Diverged}) in a run asked to rewind instead of ending: the net's values were put
     * back as they were after iteration {@code toIteration}, the update rule starts afresh (no velocities), and the
     * run paused before its next iteration, to go on (with a lower learning rate, say) from there. The iteration count
     * goes on.
     *
     * @param iteration   iterations done, the breaking one included
     * @param loss        the loss that broke
     * @param reason      what broke, where, and the likely cause, in words (as {@link Diverged#reason()})
     * @param toIteration iterations done when the state rewound to was taken
     * @param lossThen    the loss those values gave (at iteration {@code toIteration + 1})
     * @param learningRate the learning rate of the breaking step
     * @param reg         the reg of the breaking step
     */
    record Rewound(int iteration, double loss, Cause cause, String reason, int toIteration, double lossThen,
                   double learningRate, double reg) implements RunEvent {
        public Rewound {
            if (toIteration < 0 || toIteration >= iteration) {
                throw new IllegalArgumentException("a run rewinds to an iteration before the break: " + toIteration
                        + " vs " + iteration);
            }
        }

        @Override
        public void accept(Visitor visitor) {
            visitor.rewound(this);
        }
    }

    /** What most likely made a run diverge. */
    enum Cause {
        LEARNING_RATE("the learning rate"), REG("reg"), INIT("the weight init");

        private final String words;

        Cause(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** The controls that can change mid-run. */
    enum Control {
        LEARNING_RATE("lr"), REG("reg");

        private final String shortName;

        Control(String shortName) {
            this.shortName = shortName;
        }

        public String shortName() {
            return shortName;
        }
    }
}
