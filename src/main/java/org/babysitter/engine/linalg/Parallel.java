package org.babysitter.engine.linalg;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Shares {@code parts} independent pieces of work between the cores (the common fork/join pool and the calling
 * thread), for the engine's passes over large arrays: product blocks, input rows, update slices. Pieces are fixed
 * by the caller, never by which thread runs them, so results do not depend on scheduling. Costs a few small task
 * objects per call, no buffers.
 */
public final class Parallel {
    private Parallel() {
    }

    /** Runs {@code piece.accept(p)} for p in [0, parts), in parallel when there is more than one. */
    public static void forEach(int parts, IntConsumer piece) {
        if (parts == 1) {
            piece.accept(0);
        } else if (parts > 1) {
            IntStream.range(0, parts).parallel().forEach(piece);
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
}
