package org.babysitter.engine.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides after each epoch whether a trial goes on. Shared by the trials of one search and called from their
 * threads, so implementations are thread-safe. A trial is never pruned after its last epoch (it has finished).
 */
public interface Pruner {
    /**
     * Records {@code trial}'s validation accuracy after {@code epoch} (from 1) of {@code epochs} and returns why it
     * must stop, in words ("epoch 2: val 0.210 below the median 0.340 of 6 trials"), or null to go on.
     */
    String report(int trial, int epoch, int epochs, double valAccuracy);

    /** Never stops a trial. */
    static Pruner none() {
        return (trial, epoch, epochs, val) -> null;
    }

    /**
     * The median rule: after epoch {@code fromEpoch} or later, a trial whose accuracy is below the median of what at
     * least {@code minTrials} other trials had at the same epoch stops.
     */
    static Pruner median(int minTrials, int fromEpoch) {
        return new Median(minTrials, fromEpoch);
    }

    /**
     * Successive halving, asynchronous (ASHA-style): rungs at epochs {@code minEpoch * eta^k}; a trial reaching a rung
     * goes on only if its accuracy is among the top 1/eta of the accuracies recorded at that rung so far (itself
     * included; with fewer than eta there, it goes on).
     */
    static Pruner halving(int minEpoch, int eta) {
        return new Halving(minEpoch, eta);
    }

    /** The median rule. */
    final class Median implements Pruner {
        private final int minTrials;
        private final int fromEpoch;
        private final Map<Integer, Map<Integer, Double>> byEpoch = new HashMap<>();

        Median(int minTrials, int fromEpoch) {
            if (minTrials < 1 || fromEpoch < 1) {
                throw new IllegalArgumentException("the median rule needs at least 1 trial to compare and epoch >= 1");
            }
            this.minTrials = minTrials;
            this.fromEpoch = fromEpoch;
        }

        @Override
        public synchronized String report(int trial, int epoch, int epochs, double val) {
            Map<Integer, Double> at = byEpoch.computeIfAbsent(epoch, e -> new HashMap<>());
            List<Double> others = new ArrayList<>();
            at.forEach((t, v) -> {
                if (t != trial) {
                    others.add(v);
                }
            });
            at.put(trial, val);
            if (epoch >= epochs || epoch < fromEpoch || others.size() < minTrials) {
                return null;
            }
            double median = median(others);
            return val < median || Double.isNaN(val) ? String.format(Locale.ROOT,
                    "epoch %d: val %.3f below the median %.3f of %d trials", epoch, val, median, others.size()) : null;
        }

        static double median(List<Double> values) {
            List<Double> s = new ArrayList<>(values);
            s.sort(null);
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }
    }

    /** Successive halving with asynchronous rungs. */
    final class Halving implements Pruner {
        private final int minEpoch;
        private final int eta;
        private final Map<Integer, List<Double>> rungs = new HashMap<>();

        Halving(int minEpoch, int eta) {
            if (minEpoch < 1 || eta < 2) {
                throw new IllegalArgumentException("successive halving needs a first rung >= 1 epoch and a factor >= 2");
            }
            this.minEpoch = minEpoch;
            this.eta = eta;
        }

        /** True if {@code epoch} is a rung: minEpoch, minEpoch*eta, minEpoch*eta^2, ... */
        boolean isRung(int epoch) {
            long r = minEpoch;
            while (r < epoch) {
                r *= eta;
            }
            return r == epoch;
        }

        @Override
        public synchronized String report(int trial, int epoch, int epochs, double val) {
            if (!isRung(epoch)) {
                return null;
            }
            List<Double> at = rungs.computeIfAbsent(epoch, e -> new ArrayList<>());
            at.add(val);
            if (epoch >= epochs) {
                return null;
            }
            List<Double> sorted = new ArrayList<>(at);
            sorted.sort(null);
            int keep = Math.max(at.size() / eta, 1);
            double needed = sorted.get(sorted.size() - keep);
            return val >= needed ? null : String.format(Locale.ROOT,
                    "epoch %d: val %.3f not in the top 1/%d at this rung (%d of %d trials there reach %.3f)",
                    epoch, val, eta, keep, at.size(), needed);
        }
    }
}
