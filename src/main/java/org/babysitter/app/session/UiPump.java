package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import javafx.application.Platform;


/**
 * The one place where background work reaches the FX thread. The session's training listener and background
 * jobs only {@link #post} messages into a lock-free queue (never blocking, never touching JavaFX). A timer thread looks
 * {@value #RATE_HZ} times a second; when there is something to hand over (or the consumer still has a frame to
 * draw) it schedules one drain on the FX thread, which gives the consumer everything queued in one call, so
 * charts take one notification per batch however fast the trainer iterates. A message a user waits to see (a
 * run started, paused or ended, a job done or failed) goes in with {@link #postNow}, which hands the queue over
 * at once instead of at the next look. With nothing to do it schedules nothing: no animation keeps the FX thread
 * busy while training runs.
 * <p>
 * Why only {@value #RATE_HZ} looks a second: every hand-over wakes the FX thread and then the render thread, and on
 * a 2-core machine each wake-up stalls one of the two threads the trainer's step runs its parallel parts on. At 12
 * a second the live window trained at 0.93-0.94 of the same run with the window idle, at 4 at 0.97-1.01 (medians,
 * BENCHMARKS.md).
 */
public final class UiPump {
    /** Hand-overs per second at most of routine messages (a run's metrics, progress). */
    public static final int RATE_HZ = 4;

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<List<Object>> consumer;
    private final BooleanSupplier pending;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "babysitter-pump");
        t.setDaemon(true);
        return t;
    });
    private volatile long drained;

    /**
     * @param consumer gets each batch on the FX thread (possibly empty, when only {@code pending} asked)
     * @param pending  true while the consumer wants a call even without messages (a chart frame still to draw)
     */
    public UiPump(Consumer<List<Object>> consumer, BooleanSupplier pending) {
        this(consumer, pending, 1000 / RATE_HZ);
    }

    /** A pump that looks every {@code tickMillis} (tests). */
    UiPump(Consumer<List<Object>> consumer, BooleanSupplier pending, long tickMillis) {
        this.consumer = consumer;
        this.pending = pending;
        timer.scheduleAtFixedRate(this::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (!queue.isEmpty() || pending.getAsBoolean()) {
            handOver();
        }
    }

    /** Schedules one drain on the FX thread unless one is already waiting to run. */
    private void handOver() {
        if (scheduled.compareAndSet(false, true)) {
            Platform.runLater(() -> {
                scheduled.set(false);
                drain();
            });
        }
    }

    /** Queues a routine message from any thread: it is handed over at the next look. */
    public void post(Object message) {
        queue.add(message);
    }

    /**
     * Queues a message a user waits to see, from any thread, and hands the queue over now (everything queued
     * before it too, in order).
     */
    public void postNow(Object message) {
        queue.add(message);
        handOver();
    }

    /** Hands everything queued so far to the consumer (FX thread only). */
    public void drain() {
        List<Object> batch = new ArrayList<>();
        Object m;
        while ((m = queue.poll()) != null) {
            batch.add(m);
        }
        if (!batch.isEmpty()) {
            drained++;
        }
        consumer.accept(batch);
    }

    /** How many non-empty batches were handed over (for tests of the rate limit). */
    public long batchesDrained() {
        return drained;
    }

    public void stop() {
        timer.shutdownNow();
    }
}
