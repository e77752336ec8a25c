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

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;

/**
 * The one place where background work reaches the FX thread. Training listeners and background jobs only
 * {@link #post} messages into a lock-free queue (never blocking, never touching JavaFX). A timer thread looks
 * {@value #RATE_HZ} times a second; when there is something to hand over (or the consumer still has a frame to
 * draw) it schedules one drain on the FX thread, which gives the consumer everything queued in one call, so
 * charts take one notification per batch however fast the trainer iterates. With nothing to do it schedules
 * nothing: no animation keeps the FX thread busy while training runs.
 */
public final class UiPump implements TrainingListener {
    /** Hand-overs per second at most. */
    public static final int RATE_HZ = 12;

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
        this.consumer = consumer;
        this.pending = pending;
        timer.scheduleAtFixedRate(this::tick, 0, 1000 / RATE_HZ, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if ((!queue.isEmpty() || pending.getAsBoolean()) && scheduled.compareAndSet(false, true)) {
            Platform.runLater(() -> {
                scheduled.set(false);
                drain();
            });
        }
    }

    /** Queues a message from any thread. */
    public void post(Object message) {
        queue.add(message);
    }

    @Override
    public void onEvent(RunEvent event) {
        post(event);
    }

    @Override
    public void onIteration(IterationMetrics metrics) {
        post(metrics);
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        post(metrics);
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
