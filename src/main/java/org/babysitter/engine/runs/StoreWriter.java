package org.babysitter.engine.runs;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunEvent;
import org.babysitter.engine.metrics.RunReport;

/**
 * The store's one writer: a thread that takes what recorders queue and commits it in batches, one transaction at
 * most {@link #BATCH_MILLIS} ms after the first message of the batch arrived. The training thread only queues (an
 * unbounded queue: it never waits on the disk); a process killed mid-run loses what was not yet committed, at most
 * that long plus one commit.
 */
final class StoreWriter {
    /** The longest a message waits in the queue before its batch commits. */
    static final long BATCH_MILLIS = 250;

    /** What the writer thread is handed, in order. */
    sealed interface Write permits Report, Found, Best, End, Sync {
    }

    record Report(long run, long seq, RunReport report) implements Write {
    }

    record Found(long run, long seq, Finding finding) implements Write {
    }

    /** The kept parameters as a checkpoint's .npz bytes and .json text. */
    record Best(long run, byte[] npz, String json) implements Write {
    }

    /** A run's end that no report says: failed, or its recording closed first. */
    record End(long run, RunState state, String reason) implements Write {
    }

    /** Commits everything queued before it, then counts down; {@code last} ends the thread. */
    record Sync(CountDownLatch done, boolean last) implements Write {
    }

    private final Connection db;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Exception failure;

    StoreWriter(Connection db, String name) {
        this.db = db;
        thread = new Thread(this::loop, "run store writer " + name);
        thread.setDaemon(true); // a forgotten close must not keep the JVM alive; close() flushes
        thread.start();
    }

    void submit(Write w) {
        if (failure == null) {
            queue.add(w);
        }
    }

    /** Waits until everything queued so far is committed; a failure of the writer is thrown here. */
    void flush() throws IOException {
        sync(false);
    }

    void close() throws IOException {
        if (thread.isAlive()) {
            sync(true);
        }
    }

    void closeConnection() throws SQLException {
        db.close();
    }

    private void sync(boolean last) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        queue.add(new Sync(done, last));
        try {
            while (!done.await(100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the run store was writing", e);
        }
        if (failure != null) {
            throw new IOException("the run store could not record: " + failure.getMessage(), failure);
        }
    }

    private void loop() {
        List<Write> batch = new ArrayList<>();
        boolean last = false;
        while (!last) {
            try {
                batch.add(queue.take());
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS);
                while (!(batch.get(batch.size() - 1) instanceof Sync)) {
                    Write w = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (w == null) {
                        break;
                    }
                    batch.add(w);
                }
            } catch (InterruptedException e) {
                last = true;
            }
            if (failure == null) {
                try {
                    commit(batch);
                } catch (SQLException | RuntimeException e) {
                    failure = e;
                    queue.clear();
                }
            }
            for (Write w : batch) {
                if (w instanceof Sync s) {
                    last |= s.last();
                    s.done().countDown();
                }
            }
            batch.clear();
        }
        // whoever waits after the end is released
        for (Write w; (w = queue.poll()) != null; ) {
            if (w instanceof Sync s) {
                s.done().countDown();
            }
        }
    }

    private void commit(List<Write> batch) throws SQLException {
        db.setAutoCommit(false);
        try (PreparedStatement iteration = db.prepareStatement("INSERT INTO iterations(run_id, seq, iteration, epoch, loss,"
                + " lr, reg, ratios, elapsed, reg_loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement epoch = db.prepareStatement("INSERT INTO epochs(run_id, seq, epoch, epochs, iteration, loss,"
                     + " train_acc, val_acc, lr, elapsed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement report = db.prepareStatement("INSERT INTO reports(run_id, seq, kind, iteration, json)"
                     + " VALUES (?, ?, ?, ?, ?)");
             PreparedStatement finding = db.prepareStatement("INSERT INTO findings(run_id, seq, iteration, json)"
                     + " VALUES (?, ?, ?, ?)")) {
            Map<Long, Integer> lastIteration = new HashMap<>();
            for (Write w : batch) {
                if (w instanceof Report r) {
                    RunReport rr = r.report();
                    if (rr instanceof IterationMetrics m) {
                        set(iteration, r.run(), r.seq(), m.iteration(), m.epoch(), Codec.real(m.loss()), m.learningRate(),
                                m.reg(), Codec.ratios(m.updateRatios()), m.elapsedNanos(), Codec.real(m.regLoss()));
                        iteration.addBatch();
                        lastIteration.put(r.run(), m.iteration());
                    } else if (rr instanceof EpochMetrics e) {
                        set(epoch, r.run(), r.seq(), e.epoch(), e.epochs(), e.iteration(), Codec.real(e.loss()), e.trainAccuracy(),
                                Codec.real(e.valAccuracy()), e.learningRate(), e.elapsedNanos());
                        epoch.addBatch();
                        double score = Double.isNaN(e.valAccuracy()) ? e.trainAccuracy() : e.valAccuracy();
                        update("UPDATE runs SET epochs_done = ?, best_val = MAX(COALESCE(best_val, -1), ?) WHERE id = ?",
                                e.epoch(), score, r.run());
                    } else {
                        int at = rr instanceof RunEvent ev ? ev.iteration()
                                : rr instanceof org.babysitter.engine.metrics.LayerStatistics s ? s.iteration()
                                : ((org.babysitter.engine.metrics.RunEvaluation) rr).iteration();
                        set(report, r.run(), r.seq(), Codec.kind(rr), at, Codec.json(rr));
                        report.addBatch();
                        ended(r.run(), rr);
                    }
                } else if (w instanceof Found f) {
                    set(finding, f.run(), f.seq(), f.finding().iteration(), Codec.json(f.finding()));
                    finding.addBatch();
                } else if (w instanceof Best b) {
                    update("UPDATE runs SET best_npz = ?, best_json = ? WHERE id = ?", b.npz(), b.json(), b.run());
                } else if (w instanceof End e) {
                    update("UPDATE runs SET state = ?, reason = ?, ended = ? WHERE id = ? AND state = 'running'",
                            e.state().word(), e.reason(), System.currentTimeMillis(), e.run());
                }
            }
            iteration.executeBatch();
            epoch.executeBatch();
            report.executeBatch();
            finding.executeBatch();
            for (Map.Entry<Long, Integer> e : lastIteration.entrySet()) {
                update("UPDATE runs SET iterations = MAX(iterations, ?) WHERE id = ?", e.getValue(), e.getKey());
            }
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    /** A run's end from its events: the state, the reason and the kept epoch. */
    private void ended(long run, RunReport r) throws SQLException {
        if (r instanceof RunEvent.Finished f) {
            update("UPDATE runs SET state = ?, reason = ?, ended = ?, best_epoch = ?, best_val = ? WHERE id = ?",
                    (f.completed() ? RunState.FINISHED : RunState.STOPPED).word(),
                    f.completed() ? "" : "stopped at iteration " + f.iteration(), System.currentTimeMillis(), f.bestEpoch(),
                    Codec.real(f.bestValAccuracy()), run);
        } else if (r instanceof RunEvent.Diverged d) {
            update("UPDATE runs SET state = ?, reason = ?, ended = ?, best_epoch = ?, best_val = ? WHERE id = ?",
                    RunState.DIVERGED.word(), d.reason(), System.currentTimeMillis(), d.bestEpoch(),
                    Codec.real(d.bestValAccuracy()), run);
        }
    }

    private void update(String sql, Object... values) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            set(st, values);
            st.executeUpdate();
        }
    }

    private static void set(PreparedStatement st, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            st.setObject(i + 1, values[i]);
        }
    }
}
