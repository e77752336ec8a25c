package org.babysitter.engine.linalg;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Shares {@code parts} independent pieces of work between the cores, for the engine's passes over large arrays:
 * product blocks, input rows, update slices. Pieces are fixed by the caller, never by which thread runs them, so
 * results do not depend on scheduling.
 * <p>
 * The pieces go to a team of helper threads (one per core beyond the caller's) that keep looking for work for a
 * short while ({@link #SPIN_MICROS}) after their last piece before they sleep. A training step hands out a few
 * such passes a few hundred microseconds apart, and a sleeping thread takes tens of microseconds to wake (more in a
 * virtual machine): with the common fork/join pool, whose workers sleep at once, waking them cost more than the
 * passes gained at small sizes. A caller that finds the team busy (another thread's passes) is served as before, by
 * the common pool; a piece asking for parallel work itself runs it in order on its own thread. Native libraries
 * with threads of their own call {@link #rest()} first, so that the helpers do not keep a core they need.
 */
public final class Parallel {
    /** How long a helper keeps looking for the next piece of work after its last, before it sleeps. */
    static final long SPIN_MICROS = 300;

    private static final Team TEAM = new Team(Runtime.getRuntime().availableProcessors() - 1, SPIN_MICROS * 1000);

    private Parallel() {
    }

    /** Runs {@code piece.accept(p)} for p in [0, parts), in parallel when there is more than one. */
    public static void forEach(int parts, IntConsumer piece) {
        if (parts == 1) {
            piece.accept(0);
        } else if (parts > 1) {
            if (TEAM.inside()) {
                for (int p = 0; p < parts; p++) { // the cores are taken by the passes this piece belongs to
                    piece.accept(p);
                }
            } else if (!TEAM.tryRun(parts, piece)) {
                IntStream.range(0, parts).parallel().forEach(piece);
            }
        }
    }

    /**
     * Runs {@code piece.accept(p)} for p in [0, parts) on at most {@code threads} threads at once, each taking a
     * run of consecutive pieces; on the calling thread alone, in order, when {@code threads} is 1.
     */
    public static void forEach(int parts, int threads, IntConsumer piece) {
        int workers = Math.min(parts, threads);
        if (workers <= 1) {
            for (int p = 0; p < parts; p++) {
                piece.accept(p);
            }
            return;
        }
        forEach(workers, w -> {
            for (int p = (int) ((long) parts * w / workers), end = (int) ((long) parts * (w + 1) / workers); p < end; p++) {
                piece.accept(p);
            }
        });
    }

    /**
     * Runs {@code task} on this thread with every parallel call inside it done in order here: for threads that already
     * share the cores out among themselves (the evaluator's chunks), where the helpers would only add a thread to each
     * core.
     */
    public static <T> T inOrder(java.util.function.Supplier<T> task) {
        if (TEAM.inside()) {
            return task.get();
        }
        TEAM.inPiece.set(true);
        try {
            return task.get();
        } finally {
            TEAM.inPiece.set(false);
        }
    }

    /**
     * Sends the helpers to sleep now instead of after their spin: called before work on threads the engine does not
     * own (a native library's), which would otherwise share a core with a helper looking for work.
     */
    public static void rest() {
        TEAM.rest();
    }

    /** The number of helper threads (the cores beyond the caller's); 0 on one core. */
    static int helpers() {
        return TEAM.helpers.length;
    }

    /** The helpers and the one set of pieces they work on at a time. */
    private static final class Team {
        private final Thread[] helpers;
        /** Per helper: true while it sleeps (or is about to), so a poster knows to wake it. */
        private final AtomicBoolean[] sleeping;
        private final long spinNanos;
        /** Held by the thread whose pieces the team works on. */
        private final AtomicBoolean busy = new AtomicBoolean();
        /** Counts posted sets of pieces; a helper works on a set once. */
        private volatile long posted;
        /** Counts calls to {@link #rest()}: a helper looking for work sleeps when it changes. */
        private volatile long rests;
        private volatile Job job;
        private final ThreadLocal<Boolean> inPiece = ThreadLocal.withInitial(() -> false);

        Team(int count, long spinNanos) {
            this.spinNanos = spinNanos;
            this.helpers = new Thread[Math.max(0, count)];
            this.sleeping = new AtomicBoolean[helpers.length];
            for (int i = 0; i < helpers.length; i++) {
                int index = i;
                sleeping[i] = new AtomicBoolean();
                helpers[i] = new Thread(() -> loop(index), "babysitter-parallel-" + (i + 1));
                helpers[i].setDaemon(true);
                helpers[i].start();
            }
        }

        boolean inside() {
            return inPiece.get();
        }

        /** Runs the pieces with the helpers and returns true, or returns false at once if the team is busy. */
        boolean tryRun(int parts, IntConsumer piece) {
            if (helpers.length == 0 || !busy.compareAndSet(false, true)) {
                return false;
            }
            inPiece.set(true);
            try {
                Job j = new Job(parts, piece, Math.min(helpers.length, parts - 1));
                job = j;
                posted = posted + 1;
                for (int i = 0; i < j.helpers; i++) {
                    if (sleeping[i].get()) {
                        LockSupport.unpark(helpers[i]);
                    }
                }
                j.work();
                j.awaitDone();
                j.rethrow();
                return true;
            } finally {
                job = null;
                inPiece.set(false);
                busy.set(false);
            }
        }

        void rest() {
            rests = rests + 1;
        }

        private void loop(int index) {
            inPiece.set(true);
            long seen = 0;
            while (true) {
                long rest = rests;
                long until = System.nanoTime() + spinNanos;
                while (posted == seen) {
                    if (System.nanoTime() - until > 0 || rests != rest) {
                        sleeping[index].set(true);
                        if (posted == seen) {
                            LockSupport.park(this);
                        }
                        sleeping[index].set(false);
                        rest = rests;
                        until = System.nanoTime() + spinNanos;
                    } else {
                        Thread.onSpinWait();
                    }
                }
                seen = posted;
                Job j = job;
                if (j != null && index < j.helpers) {
                    j.work();
                }
            }
        }
    }

    /** One call's pieces: taken one at a time by whichever thread is free, the first failure kept for the caller. */
    private static final class Job {
        private final int parts;
        private final IntConsumer piece;
        /** How many helpers take part (the others let it pass). */
        final int helpers;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable failure;

        Job(int parts, IntConsumer piece, int helpers) {
            this.parts = parts;
            this.piece = piece;
            this.helpers = helpers;
        }

        void work() {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        piece.accept(p);
                    }
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                } finally {
                    done.incrementAndGet();
                }
            }
        }

        /**
         * Waits for the pieces other threads took, looking all the while: they are running on the other cores, and a
         * yield here can keep this thread off its core for milliseconds in a virtual machine.
         */
        void awaitDone() {
            while (done.get() < parts) {
                Thread.onSpinWait();
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }
}
