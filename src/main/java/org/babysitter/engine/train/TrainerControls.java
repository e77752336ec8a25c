package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Mid-run controls, safe to call from any thread (the GUI's). Changes are picked up by the trainer between
 * iterations, never in the middle of one: a new learning rate or reg is used from the next iteration on and
 * reported as a {@link org.babysitter.engine.metrics.RunEvent.ControlChanged}. Invalid values are refused
 * with an {@link IllegalArgumentException} and the current value kept.
 */
public final class TrainerControls {
    private boolean paused;
    private boolean stopped;
    private int steps;
    private double pendingLearningRate = Double.NaN;
    private double pendingReg = Double.NaN;

    private volatile boolean rewindOnBreak;
    /** States asked for by {@link #askState()}, answered by the trainer between two iterations. */
    private final List<CompletableFuture<TrainerState>> stateAsked = new ArrayList<>();
    private volatile boolean stateWanted;
    /** True once the run has ended: a state asked for then is cancelled at once. */
    private boolean ended;

    /**
     * When the loss breaks (NaN, inf, above 3x the first), rewind to the last good snapshot and pause instead of ending
     * the run (false: end it, the default). The trainer keeps snapshots while this is on.
     */
    public void setRewindOnBreak(boolean on) {
        rewindOnBreak = on;
    }

    public boolean rewindsOnBreak() {
        return rewindOnBreak;
    }

    public synchronized void setLearningRate(double lr) {
        TrainConfig.requireValid(TrainConfig.learningRateProblem(lr));
        pendingLearningRate = lr;
    }

    public synchronized void setReg(double reg) {
        TrainConfig.requireValid(TrainConfig.regProblem(reg));
        pendingReg = reg;
    }

    public synchronized void pause() {
        paused = true;
        notifyAll();
    }

    public synchronized void resume() {
        paused = false;
        steps = 0;
        notifyAll();
    }

    /** Runs exactly one more iteration and then stays (or becomes) paused. */
    public synchronized void step() {
        paused = true;
        steps++;
        notifyAll();
    }

    public synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    public synchronized boolean isStopped() {
        return stopped;
    }

    /**
     * Asks the run for a copy of its whole state ({@link TrainerState}), taken between two iterations: at once if it is
     * paused, else before its next iteration. The future completes on the trainer's thread; it is cancelled if the run
     * ends first (or has ended). Never wait on it on a thread that must stay responsive: chain on it.
     */
    public synchronized CompletableFuture<TrainerState> askState() {
        CompletableFuture<TrainerState> f = new CompletableFuture<>();
        if (ended) {
            f.cancel(false);
            return f;
        }
        stateAsked.add(f);
        stateWanted = true;
        notifyAll();
        return f;
    }

    // ---- trainer side

    /** True if the trainer must wait before its next iteration. */
    synchronized boolean mustWait() {
        return paused && steps == 0 && !stopped;
    }

    /** Waits until resumed, stepped or stopped, or until a state is asked for (then returns to let the trainer answer). */
    synchronized void awaitTurn() throws InterruptedException {
        while (paused && steps == 0 && !stopped && !stateWanted) {
            wait();
        }
    }

    /** True if a state was asked for and not yet answered (a volatile read: cheap every iteration). */
    boolean stateWanted() {
        return stateWanted;
    }

    /** The run has ended: the states asked for and not answered are cancelled, and so are later ones. */
    synchronized void end() {
        ended = true;
        takeStateRequests().forEach(f -> f.cancel(false));
    }

    /** The states asked for so far, forgotten here: the trainer completes them. */
    synchronized List<CompletableFuture<TrainerState>> takeStateRequests() {
        List<CompletableFuture<TrainerState>> out = new ArrayList<>(stateAsked);
        stateAsked.clear();
        stateWanted = false;
        return out;
    }

    /** Called when an iteration is about to run: uses up one step if paused. Returns true if still paused. */
    synchronized boolean beginIteration() {
        if (paused && steps > 0) {
            steps--;
        }
        return paused;
    }

    /** The new learning rate asked for since the last call, or NaN. */
    synchronized double takeLearningRate() {
        double v = pendingLearningRate;
        pendingLearningRate = Double.NaN;
        return v;
    }

    /** The new reg asked for since the last call, or NaN. */
    synchronized double takeReg() {
        double v = pendingReg;
        pendingReg = Double.NaN;
        return v;
    }
}
