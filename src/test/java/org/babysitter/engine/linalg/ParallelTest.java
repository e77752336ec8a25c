package org.babysitter.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyPieceRunsExactlyOnce() {
        for (int parts : new int[] {2, 3, 17, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            for (int round = 0; round < 50; round++) {
                Parallel.forEach(parts, runs::incrementAndGet);
            }
            for (int p = 0; p < parts; p++) {
                assertEquals(50, runs.get(p), "piece " + p + " of " + parts);
            }
        }
    }

    @Test
    void groupedPiecesRunExactlyOnceOnAtMostTheThreadsAsked() {
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Parallel.forEach(10, 1, p -> {
            runs.incrementAndGet(p);
            threads.add(Thread.currentThread());
        });
        assertEquals(Set.of(Thread.currentThread()), threads, "one thread asked: the caller's alone");
        Parallel.forEach(10, 2, runs::incrementAndGet);
        for (int p = 0; p < 10; p++) {
            assertEquals(2, runs.get(p));
        }
    }

    @Test
    void helpersTakePieces() {
        assumeTrue(Parallel.helpers() > 0, "one core: no helpers");
        Set<String> names = ConcurrentHashMap.newKeySet();
        Parallel.forEach(20, p -> {
            names.add(Thread.currentThread().getName());
            sleep(2);
        });
        assertTrue(names.stream().anyMatch(n -> n.startsWith("babysitter-parallel-")), names.toString());
        assertTrue(names.contains(Thread.currentThread().getName()), "the caller works too: " + names);
    }

    @Test
    void aFailingPieceReachesTheCallerAndTheTeamGoesOn() {
        IllegalStateException thrown = new IllegalStateException("piece 7");
        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> Parallel.forEach(16, p -> {
            if (p == 7) {
                throw thrown;
            }
        }));
        assertSame(thrown, caught);
        AtomicIntegerArray runs = new AtomicIntegerArray(16);
        Parallel.forEach(16, runs::incrementAndGet);
        for (int p = 0; p < 16; p++) {
            assertEquals(1, runs.get(p));
        }
    }

    @Test
    void aPieceAskingForParallelWorkGetsItDone() {
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * 8);
        Parallel.forEach(4, outer -> Parallel.forEach(8, inner -> runs.incrementAndGet(outer * 8 + inner)));
        for (int i = 0; i < 32; i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void insideInOrderEveryPieceRunsOnTheCallersThreadAndTheResultComesBack() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray runs = new AtomicIntegerArray(64);
        String result = Parallel.inOrder(() -> {
            Parallel.forEach(64, p -> {
                runs.incrementAndGet(p);
                threads.add(Thread.currentThread());
            });
            return "done";
        });
        assertEquals("done", result);
        assertEquals(Set.of(Thread.currentThread()), threads);
        for (int p = 0; p < 64; p++) {
            assertEquals(1, runs.get(p));
        }
        assumeTrue(Parallel.helpers() > 0, "one core: no helpers");
        Set<String> after = ConcurrentHashMap.newKeySet(); // and outside it the helpers take part again
        Parallel.forEach(20, p -> {
            after.add(Thread.currentThread().getName());
            sleep(2);
        });
        assertTrue(after.stream().anyMatch(n -> n.startsWith("babysitter-parallel-")), after.toString());
    }

    @Test
    void callersOnSeveralThreadsAtOnceAreAllServed() throws Exception {
        int callers = 4;
        AtomicIntegerArray runs = new AtomicIntegerArray(callers * 64);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new java.util.ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int round = 0; round < 200; round++) {
                        Parallel.forEach(64, p -> runs.incrementAndGet(caller * 64 + p));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(List.of(), failures);
        for (int i = 0; i < callers * 64; i++) {
            assertEquals(200, runs.get(i), "piece " + i);
        }
    }

    @Test
    void idleHelpersSleepInsteadOfKeepingACore() {
        assumeTrue(Parallel.helpers() > 0, "one core: no helpers");
        Parallel.forEach(8, p -> { });
        assertTrue(helpersAsleepWithin(5_000),
                "the helpers still run 5 s after their last piece (they look for work " + Parallel.SPIN_MICROS + " us)");
        Parallel.forEach(8, p -> { }); // woken, they spin again; told to rest, they sleep at once
        Parallel.rest();
        assertTrue(helpersAsleepWithin(5_000));
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        Parallel.forEach(8, runs::incrementAndGet); // and wake again for the next call
        for (int p = 0; p < 8; p++) {
            assertEquals(1, runs.get(p));
        }
    }

    private static boolean helpersAsleepWithin(long millis) {
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            List<Thread> helpers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("babysitter-parallel-")).toList();
            assertEquals(Parallel.helpers(), helpers.size());
            if (helpers.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
                return true;
            }
            sleep(1);
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
