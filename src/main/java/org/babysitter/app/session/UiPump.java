package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.TrainingListener;

/**
 * The one place where background work reaches the FX thread. Training listeners and background jobs only
 * {@link #post} messages into a lock-free queue (never blocking, never touching JavaFX); a timeline on the FX
 * thread drains it {@value #RATE_HZ} times a second and hands each non-empty batch to the consumer in one
 * call, so charts take one notification per batch however fast the trainer iterates.
 */
public final class UiPump implements TrainingListener {
    /** Drains per second. */
    public static final int RATE_HZ = 20;

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<List<Object>> consumer;
    private final Timeline timeline;
    private volatile long drained;

    /** Must be created on the FX thread; starts draining at once. */
    public UiPump(Consumer<List<Object>> consumer) {
        this.consumer = consumer;
        this.timeline = new Timeline(new KeyFrame(Duration.millis(1000.0 / RATE_HZ), e -> drain()));
        timeline.setCycleCount(Timeline.INDEFINITE);
        timeline.play();
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

    /** Hands everything queued so far to the consumer (FX thread only; the timeline calls it). */
    public void drain() {
        List<Object> batch = new ArrayList<>();
        Object m;
        while ((m = queue.poll()) != null) {
            batch.add(m);
        }
        if (!batch.isEmpty()) {
            drained++;
            consumer.accept(batch);
        }
    }

    /** How many non-empty batches were handed over (for tests of the rate limit). */
    public long batchesDrained() {
        return drained;
    }

    public void stop() {
        timeline.stop();
    }
}
