package org.babysitter.engine.runs;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvaluation;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunReport;
import org.babysitter.engine.metrics.TrainingListener;

/**
 * Records one run into its store as it happens: a {@link TrainingListener} for the trainer's reports and a sink for
 * the assistant's findings ({@link #onFinding}, e.g. {@code new Narrator(recorder::onFinding)}). Every call only
 * queues for the store's writer thread, in the order of the calls. {@link #close} flushes; a recorder closed before
 * its run ended marks it interrupted.
 */
public final class RunRecorder implements TrainingListener, AutoCloseable {
    private final long id;
    private final StoreWriter writer;
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean ended;
    private boolean closed;

    RunRecorder(long id, StoreWriter writer) {
        this.id = id;
        this.writer = writer;
    }

    /** The run's number in its store. */
    public long id() {
        return id;
    }

    private void queue(RunReport r) {
        writer.submit(new StoreWriter.Report(id, seq.incrementAndGet(), r));
    }

    @Override
    public void onEvent(RunEvent event) {
        if (event instanceof RunEvent.Finished || event instanceof RunEvent.Diverged) {
            ended = true;
        }
        queue(event);
    }

    @Override
    public void onIteration(IterationMetrics metrics) {
        queue(metrics);
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        queue(metrics);
    }

    @Override
    public void onLayerStatistics(LayerStatistics statistics) {
        queue(statistics);
    }

    @Override
    public void onEvaluation(RunEvaluation evaluation) {
        queue(evaluation);
    }

    /** One thing the assistant said, kept in order with the reports. */
    public void onFinding(Finding finding) {
        writer.submit(new StoreWriter.Found(id, seq.incrementAndGet(), finding));
    }

    /**
     * The kept parameters, as a checkpoint's .npz bytes and .json text ({@code Checkpoint.npzBytes}, {@code json}):
     * given once the run ended and the net holds its best epoch's parameters. Stored in the run's row, so a run is
     * one thing to export, delete or undelete (a 3072-500-10 net's .npz is 12 MB; SQLite keeps blobs that size well).
     */
    public void keepBest(byte[] npz, String json) {
        if (npz == null || npz.length == 0 || json == null) {
            throw new IllegalArgumentException("the best parameters need the .npz bytes and the .json text");
        }
        writer.submit(new StoreWriter.Best(id, npz.clone(), json));
    }

    /** The run ended by an error: recorded as failed with {@code why}. */
    public void failed(String why) {
        ended = true;
        writer.submit(new StoreWriter.End(id, RunState.FAILED, why == null ? "" : why));
    }

    /** Waits until everything recorded so far is committed. */
    public void flush() throws IOException {
        writer.flush();
    }

    /** Flushes; a run that has not ended (no Finished, Diverged or {@link #failed}) is marked interrupted. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!ended) {
            writer.submit(new StoreWriter.End(id, RunState.INTERRUPTED, "the recording was closed before the run ended"));
        }
        writer.flush();
    }
}
