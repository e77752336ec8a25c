package org.babysitter.engine.metrics;

import java.util.List;

/** A change in a run's life: started, paused, resumed, a control applied, finished or diverged. */
public sealed interface RunEvent {
    /** Iterations done when the event happened. */
    int iteration();

    /**
     * The run began.
     *
     * @param net                the architecture in words
     * @param updateRule         the update rule in words
     * @param weightNames        W1, W2, ...: the order of {@link IterationMetrics#updateRatios()}
     * @param iterationsPerEpoch training images / batch size
     * @param gemm               the matrix-product backend in use
     */
    record Started(int iteration, String net, String updateRule, List<String> weightNames, int iterationsPerEpoch,
                   int totalIterations, int epochs, int batchSize, double learningRate, double reg, int trainSize,
                   int valSize, int classes, long seed, String gemm) implements RunEvent {
        public Started {
            weightNames = List.copyOf(weightNames);
            if (iterationsPerEpoch < 1 || totalIterations < 1) {
                throw new IllegalArgumentException("a run has at least one iteration");
            }
        }
    }

    record Paused(int iteration) implements RunEvent {
    }

    record Resumed(int iteration) implements RunEvent {
    }

    /** A mid-run control took effect before iteration {@code iteration + 1}. */
    record ControlChanged(int iteration, Control control, double from, double to) implements RunEvent {
        /** "lr 1e-03 -> 3e-04". */
        public String label() {
            return control.shortName() + " " + format(from) + " -> " + format(to);
        }

        /** Two significant digits at most: 3e-4, 2.9e-4, 1e+3 as 1e3. */
        static String format(double v) {
            if (v == 0) {
                return "0";
            }
            String[] parts = String.format(java.util.Locale.ROOT, "%.1e", v).split("e");
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            return mantissa + "e" + Integer.parseInt(parts[1]);
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
    }

    /** The run ended because the loss blew up; {@code reason} says so in words. */
    record Diverged(int iteration, double loss, String reason) implements RunEvent {
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
