package org.babysitter.app.session;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.babysitter.engine.data.DataFormatException;
import org.babysitter.engine.data.Progress;

/**
 * Typed background jobs (loading, checks, exports) and the view model of their progress. A job is a {@link Task}
 * returning a value, run on a daemon thread with a {@link Progress} that reports through the {@link UiPump} and can be
 * cancelled; its outcome comes back on the FX thread to the callbacks it was started with: the result as the task's
 * type, or a failure in words, or a cancellation. Start and cancel on the FX thread; nothing here waits for a job.
 */
public final class BackgroundJobs {
    /** Work that runs off the FX thread and returns a value; long work polls {@code progress} to honour a cancel. */
    @FunctionalInterface
    public interface Task<T> {
        T run(Progress progress) throws Exception;
    }

    /**
     * Work that hands over partial results as it goes (the steps of a wizard): each one given to {@code publish} reaches
     * the job's owner on the FX thread, in order, before the job's outcome.
     */
    @FunctionalInterface
    public interface PublishingTask<T, P> {
        T run(Progress progress, Consumer<P> publish) throws Exception;
    }

    /** What a started job's owner hears back, on the FX thread. */
    public interface Outcome<T> {
        void succeeded(T result);

        /** The job failed; {@code message} says why in words. */
        void failed(String message);

        default void cancelled() {
        }
    }

    /** One started job: its cancel flag, and where its messages go. */
    public final class Job implements Progress {
        private final String title;
        private final AtomicBoolean cancel = new AtomicBoolean();

        private Job(String title) {
            this.title = title;
        }

        @Override
        public void update(double fraction, String what) {
            pump.post(new UiMessage.JobProgress(this, fraction, what));
        }

        @Override
        public boolean isCancelled() {
            return cancel.get();
        }

        /** Asks this job to stop (FX thread); it ends as cancelled, and hands over no more partial results. */
        public void cancel() {
            cancel.set(true);
        }

        /** Job thread: a partial result, handed over at once (a user waits to see it). */
        private void publish(Runnable deliver) {
            pump.postNow(new UiMessage.JobPartial(this, deliver));
        }

        /** Job thread: a routine partial result (a loss), handed over at the pump's next look. */
        private void publishLater(Runnable deliver) {
            pump.post(new UiMessage.JobPartial(this, deliver));
        }

        /** FX thread: a partial result of this job, to its owner while the job is under way and not cancelled. */
        void partial(Runnable deliver) {
            if (active.contains(this) && !cancel.get()) {
                deliver.run();
            }
        }

        /** FX thread: this job's progress, shown if it is still under way. */
        void progressed(double fraction, String what) {
            if (active.contains(this)) {
                progress.set(fraction);
                message.set(what);
            }
        }

        /** FX thread: this job ended; its outcome goes to its owner. */
        void ended(Runnable deliver) {
            active.remove(this);
            running.set(!active.isEmpty());
            if (active.isEmpty()) {
                progress.set(0);
            }
            deliver.run();
        }
    }

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "babysitter-job");
        t.setDaemon(true);
        return t;
    });

    private final UiPump pump;
    private final Set<Job> active = new LinkedHashSet<>();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final StringProperty message = new SimpleStringProperty("");

    public BackgroundJobs(UiPump pump) {
        this.pump = pump;
    }

    /** Starts {@code task} in the background (FX thread); {@code outcome} hears how it ended, on the FX thread. */
    public <T> Job start(String title, Task<T> task, Outcome<T> outcome) {
        Job job = new Job(title);
        active.add(job);
        running.set(true);
        progress.set(-1);
        message.set(title + "...");
        THREADS.submit(() -> {
            Runnable deliver;
            try {
                T result = task.run(job);
                if (job.isCancelled()) {
                    throw new CancellationException();
                }
                deliver = () -> outcome.succeeded(result);
            } catch (CancellationException e) {
                deliver = outcome::cancelled;
            } catch (DataFormatException | java.io.IOException | IllegalArgumentException e) {
                String why = e.getMessage();
                deliver = () -> outcome.failed(why);
            } catch (OutOfMemoryError e) {
                deliver = () -> outcome.failed(title + " needs more memory than Java may use here (-Xmx): " + e.getMessage());
            } catch (Exception | LinkageError e) {
                e.printStackTrace(); // a bug, not bad input: keep the trace for the report
                String why = e.toString();
                deliver = () -> outcome.failed(why);
            }
            pump.postNow(new UiMessage.JobEnded(job, deliver));
        });
        return job;
    }

    /**
     * Starts {@code task} in the background (FX thread); {@code partial} hears each result it publishes and
     * {@code outcome} how it ended, both on the FX thread.
     */
    public <T, P> Job start(String title, PublishingTask<T, P> task, Consumer<P> partial, Outcome<T> outcome) {
        return start(title, p -> task.run(p, part -> ((Job) p).publish(() -> partial.accept(part))), outcome);
    }

    /**
     * Like {@link #start(String, PublishingTask, Consumer, Outcome)}, but only the partial results {@code urgent}
     * accepts are handed over at once; the others (many, routine: a search's losses) at the pump's next look, at most
     * {@value UiPump#RATE_HZ} times a second, in order with the urgent ones.
     */
    public <T, P> Job start(String title, PublishingTask<T, P> task, Consumer<P> partial, java.util.function.Predicate<P> urgent,
                            Outcome<T> outcome) {
        return start(title, p -> task.run(p, part -> {
            Runnable deliver = () -> partial.accept(part);
            if (urgent.test(part)) {
                ((Job) p).publish(deliver);
            } else {
                ((Job) p).publishLater(deliver);
            }
        }), outcome);
    }

    /** Asks every job under way to stop (FX thread); each ends as cancelled. */
    public void cancelAll() {
        active.forEach(j -> j.cancel.set(true));
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    /** Progress of the newest job, -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    /** What the newest job is doing, in words. */
    public ReadOnlyStringProperty messageProperty() {
        return message;
    }
}
