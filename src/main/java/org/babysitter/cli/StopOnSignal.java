package org.babysitter.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.train.TrainerControls;

/**
 * Ctrl-C (SIGINT, or a plain {@code kill}'s SIGTERM) during {@code train}: the JVM runs its shutdown hooks and then
 * exits. This hook asks the trainer to stop after its current iteration and then waits, while the command's own
 * thread says where the run stopped and saves the best net so far; the JVM exits (with 130 for SIGINT) once the
 * command {@link #close() closes} this. Before there is a trainer nothing is waited for: nothing has been trained.
 * <p>
 * While the JVM shuts down, {@code System.exit} blocks forever: {@link Main#main} asks {@link #shutdownInProgress()}
 * before calling it.
 */
final class StopOnSignal implements AutoCloseable {
    /** How long the hook waits for the stop to be reported and the net saved; then the JVM exits regardless. */
    static final long WAIT_SECONDS = 300;

    private static volatile boolean shutdown;

    private final Thread hook;
    private final CountDownLatch done = new CountDownLatch(1);
    private final PrintWriter err;
    private volatile Runnable stopper;
    private volatile String stopping;
    private volatile boolean signalled;

    /** Installs the hook; {@link #watch} gives it the trainer to stop once there is one. */
    StopOnSignal(PrintWriter err) {
        this.err = err;
        this.hook = new Thread(this::onSignal, "babysitter-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once a signal started the JVM's shutdown: {@code System.exit} must not be called then. */
    static boolean shutdownInProgress() {
        return shutdown;
    }

    /** From now on a signal stops this trainer and waits for the command to finish. */
    void watch(TrainerControls trainer) {
        watch(trainer::stop, "stopping after the current iteration...");
    }

    /** From now on a signal runs {@code stop} (saying {@code message}) and waits for the command to finish. */
    void watch(Runnable stop, String message) {
        this.stopping = message;
        this.stopper = stop;
    }

    /** True if a signal arrived. */
    boolean signalled() {
        return signalled;
    }

    private void onSignal() {
        shutdown = true;
        signalled = true;
        Runnable c = stopper;
        if (c == null) {
            err.println("babysitter: stopped before training began; nothing to save.");
            return;
        }
        err.println("babysitter: " + stopping);
        c.run();
        try {
            if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                err.println("babysitter: gave up waiting for the run to end after " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done (printed and saved): the hook, if running, lets the JVM exit; else it is removed. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and waits for the count-down below
        }
        done.countDown();
    }
}
