package org.babysitter.engine.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.babysitter.engine.search.TrialResult;

/**
 * The owner's scheduler: hands a search's trials to the members that run trials, as many at a time per member as it
 * has slots (a worker one, the owner its {@code --jobs}), and keeps each trial's result once. A member that refuses (other data, another version) gets no more
 * trials; a trial whose member left or failed (kill -9 included) is queued again at the head and runs elsewhere; a
 * second result for a trial already kept is dropped. The listener hears each kept result once, with its epochs (the
 * CLI writes it to the run store then, and only then). Not yet: the pruner, live metrics (DESIGN.md).
 */
public final class ClusterSearch {
    private final ClusterNode node;
    private final List<TrialJob> jobs;
    private final Consumer<ClusterEvent> listener;
    private final Deque<TrialJob> pending = new ArrayDeque<>();
    /** The member each running trial was sent to, by trial index. */
    private final Map<Integer, UUID> running = new HashMap<>();
    /** Trials each member runs now. */
    private final Map<UUID, Integer> busy = new HashMap<>();
    private final Set<UUID> refusing = new HashSet<>();
    private final Map<Integer, TrialResult> results = new LinkedHashMap<>();
    private final List<ClusterEvent> outbox = new ArrayList<>();
    private boolean cancelled;

    public ClusterSearch(ClusterNode node, List<TrialJob> jobs, Consumer<ClusterEvent> listener) {
        this.node = node;
        this.jobs = List.copyOf(jobs);
        this.listener = listener;
        Set<Integer> indices = new HashSet<>();
        for (TrialJob j : this.jobs) {
            if (!indices.add(j.trial().index())) {
                throw new IllegalArgumentException("trial " + j.trial().index() + " is given twice");
            }
        }
        pending.addAll(this.jobs);
        node.onMemberRemoved(this::memberRemoved);
    }

    /**
     * Runs the trials on the members until every one has a result; returns them in the order they were kept.
     *
     * @throws TimeoutException if {@code timeout} ends first (the results so far are in the message's count)
     */
    public List<TrialResult> run(Duration timeout) throws InterruptedException, TimeoutException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (this) {
                if (results.size() == jobs.size() || cancelled) {
                    break;
                }
                if (System.nanoTime() > end) {
                    throw new TimeoutException(results.size() + " of " + jobs.size() + " trials ended before the time ran out");
                }
                dispatch();
            }
            flush();
            synchronized (this) {
                if (results.size() < jobs.size() && !cancelled) {
                    wait(200);
                }
            }
        }
        flush();
        synchronized (this) {
            return List.copyOf(results.values());
        }
    }

    /**
     * Sends no more trials and makes {@link #run} return the results kept so far (a result that arrives later is not
     * heard). The trials running on the members are not stopped here.
     */
    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    /** Sends pending trials to the members that run trials and have a free slot (under the lock). */
    private void dispatch() {
        for (ClusterNode.MemberInfo m : node.members()) {
            if (!m.runsTrials() || refusing.contains(m.id())) {
                continue;
            }
            while (!pending.isEmpty() && !cancelled && busy.getOrDefault(m.id(), 0) < Math.max(m.slots(), 1)
                    && !refusing.contains(m.id())) {
                send(m);
            }
        }
    }

    /** Sends the next pending trial to {@code m} (under the lock). */
    private void send(ClusterNode.MemberInfo m) {
        TrialJob job = pending.poll();
        int index = job.trial().index();
        busy.merge(m.id(), 1, Integer::sum);
        running.put(index, m.id());
        outbox.add(new ClusterEvent.Sent(index, m.address()));
        node.run(job, m).whenComplete((reply, failure) -> answered(job, m, reply, failure));
    }

    private void answered(TrialJob job, ClusterNode.MemberInfo m, TrialReply reply, Throwable failure) {
        int index = job.trial().index();
        synchronized (this) {
            busy.computeIfPresent(m.id(), (k, n) -> n > 1 ? n - 1 : null);
            boolean stillOurs = m.id().equals(running.get(index));
            if (stillOurs) {
                running.remove(index);
            }
            if (cancelled) {
                notifyAll(); // the search was cancelled: what arrives now is not kept (nor written)
            } else if (reply instanceof TrialReply.Ran ran) {
                if (results.containsKey(index)) {
                    outbox.add(new ClusterEvent.Duplicate(index, m.address()));
                } else {
                    results.put(index, ran.result());
                    pending.removeIf(j -> j.trial().index() == index);
                    outbox.add(new ClusterEvent.Finished(ran.result(), ran.epochs(), ran.end(), m.address(), results.size(),
                            jobs.size()));
                }
            } else if (reply instanceof TrialReply.Refused refused) {
                refusing.add(m.id());
                requeue(job, stillOurs);
                outbox.add(new ClusterEvent.Refused(index, m.address(), refused.reason()));
            } else if (stillOurs) {
                requeue(job, true);
                outbox.add(new ClusterEvent.Requeued(index, m.address(), failure == null ? "no reply" : String.valueOf(failure.getMessage())));
            }
            notifyAll();
        }
        if (!Thread.holdsLock(this)) { // a reply given at once (a refusal without sending) arrives inside dispatch
            flush();
        }
    }

    /** A member left: the trial it ran goes back to the head of the queue (once, whoever notices first). */
    private void memberRemoved(ClusterNode.MemberInfo m) {
        synchronized (this) {
            busy.remove(m.id());
            for (Map.Entry<Integer, UUID> e : new ArrayList<>(running.entrySet())) {
                if (e.getValue().equals(m.id())) {
                    running.remove(e.getKey());
                    TrialJob job = jobs.stream().filter(j -> j.trial().index() == e.getKey()).findFirst().orElseThrow();
                    requeue(job, true);
                    outbox.add(new ClusterEvent.Requeued(e.getKey(), m.address(), "the member left the search"));
                }
            }
            notifyAll();
        }
        flush();
    }

    private void requeue(TrialJob job, boolean requeue) {
        int index = job.trial().index();
        if (requeue && !results.containsKey(index) && pending.stream().noneMatch(j -> j.trial().index() == index)) {
            pending.addFirst(job);
        }
    }

    /** Events to the listener outside the scheduler's lock, one at a time. */
    private void flush() {
        synchronized (listener) {
            List<ClusterEvent> out;
            synchronized (this) {
                out = List.copyOf(outbox);
                outbox.clear();
            }
            out.forEach(listener);
        }
    }
}
