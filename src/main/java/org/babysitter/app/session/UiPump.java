package org.babysitter.app.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javafx.application.Platform;

/**
 * The one place where background work reaches the FX thread, and the one clock of the window's live updates.
 * Background threads only {@link #post} typed messages into a lock-free queue (never blocking, never touching JavaFX).
 * A timer thread looks {@value #RATE_HZ} times a second; when there is something to hand over it schedules one drain
 * on the FX thread, which gives the consumer everything queued in one call. A message a user waits to see (a run
 * started, paused or ended, a job done) goes in with {@link #postNow}, which hands the queue over at once.
 * <p>
 * Frames: whoever has something new to draw (the charts, after taking a batch) calls {@link #requestFrame()} on the
 * FX thread; the frame listeners then run at the end of a hand-over, at most once per {@value #FRAME_MILLIS} ms. With
 * nothing queued and no frame asked for, the pump schedules nothing: no animation keeps the FX thread busy while a
 * run trains.
 * <p>
 * Why only {@value #RATE_HZ} looks a second: every hand-over wakes the FX thread and then the render thread, and on a
 * 2-core machine each wake-up stalls one of the two threads the trainer's step runs its parallel parts on
 * (BENCHMARKS.md: the window live against idle).
 */
public final class UiPump {
    /** Hand-overs per second at most of routine messages (a run's metrics, progress). */
    public static final int RATE_HZ = 4;
    /** Frames are drawn at most this often: a live frame of the loss and ratio charts costs CPU time the trainer needs. */
    public static final long FRAME_MILLIS = 500;

    private final ConcurrentLinkedQueue<UiMessage> queue = new ConcurrentLinkedQueue<>();
    private final Consumer<List<UiMessage>> consumer;
    private final List<Runnable> frameListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "babysitter-pump");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean frameRequested;
    private volatile long lastFrame;
    private volatile long drained;

    /** @param consumer gets each non-empty batch on the FX thread */
    public UiPump(Consumer<List<UiMessage>> consumer) {
        this(consumer, 1000 / RATE_HZ);
    }

    /** A pump that looks every {@code tickMillis} (tests). */
    UiPump(Consumer<List<UiMessage>> consumer, long tickMillis) {
        this.consumer = consumer;
        timer.scheduleAtFixedRate(this::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (!queue.isEmpty() || frameDue()) {
            handOver();
        }
    }

    private boolean frameDue() {
        return frameRequested && System.nanoTime() - lastFrame >= FRAME_MILLIS * 1_000_000L;
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
    public void post(UiMessage message) {
        queue.add(message);
    }

    /** Queues a message a user waits to see, from any thread, and hands the queue over now (everything before it too, in order). */
    public void postNow(UiMessage message) {
        queue.add(message);
        handOver();
    }

    /** FX thread: something new waits to be drawn; the frame listeners run at the next frame. */
    public void requestFrame() {
        frameRequested = true;
    }

    /** Runs on the FX thread at each frame (a chart redraw). */
    public void addFrameListener(Runnable listener) {
        frameListeners.add(listener);
    }

    /** Hands everything queued so far to the consumer, then draws a frame if one is due (FX thread only). */
    public void drain() {
        List<UiMessage> batch = new ArrayList<>();
        UiMessage m;
        while ((m = queue.poll()) != null) {
            batch.add(m);
        }
        if (!batch.isEmpty()) {
            drained++;
            consumer.accept(batch);
        }
        if (frameDue()) {
            frameRequested = false;
            lastFrame = System.nanoTime();
            frameListeners.forEach(Runnable::run);
        }
    }

    /** How many non-empty batches were handed over (for tests of the rate limit). */
    public long batchesDrained() {
        return drained;
    }

    public void stop() {
        timer.shutdownNow();
    }
}
