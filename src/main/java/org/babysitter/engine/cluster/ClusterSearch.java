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

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.search.Pruner;
import org.babysitter.engine.search.TrialResult;

/**
 * The owner's scheduler: hands a search's trials to the members that run trials, as many at a time per member as it
 * has slots (a worker one, the owner its {@code --jobs}), and keeps each trial's result once. A member that refuses (other data, another version) gets no more
 * trials; a trial whose member left or failed (kill -9 included) is queued again at the head and runs elsewhere; a
 * second result for a trial already kept is dropped. The listener hears each kept result once, with its epochs (the
 * CLI writes it to the run store then, and only then).
 * <p>
 * Live: every epoch of a running trial comes from its member on a topic of the owner's start; the listener hears it as
 * {@link ClusterEvent.Progress} (each epoch of the attempt that counts once, in order, all before the trial's
 * {@link ClusterEvent.Finished}), and the pruner, which runs here, hears it too: a trial it stops is told so on a second
 * topic ({@link ClusterEvent.Stopping}), ends within its epoch there and comes back pruned with the pruner's reason.
 * {@link #members()} is what each member runs now and its speed, for a live list.
 */
public final class ClusterSearch {
    /**
     * A member of the search as the owner's scheduler sees it now.
     *
     * @param address         "HOST:PORT"
     * @param version         its Babysitter version
     * @param runsTrials      false for a member without data
     * @param slots           trials it runs at once
     * @param trials          the trials (indices from 0) it runs now, in order
     * @param imagesPerSecond its training speed: the sum of its running trials' speeds at their last epoch (the last
     *                        one measured once they ended); NaN before its first epoch
     */
    public record MemberStatus(String address, String version, boolean runsTrials, int slots, List<Integer> trials,
                               double imagesPerSecond) {
        public MemberStatus {
            if (address == null || version == null || slots < 0 || trials == null) {
                throw new IllegalArgumentException("a member's status has its address, version, slots >= 0 and trials");
            }
            trials = List.copyOf(trials);
            if (!(imagesPerSecond >= 0) && !Double.isNaN(imagesPerSecond)) {
                throw new IllegalArgumentException("a speed is >= 0 images/s (NaN: not measured), got " + imagesPerSecond);
            }
        }
    }

    private final ClusterNode node;
    private final List<TrialJob> jobs;
    private final Pruner pruner;
    private final String start;
    private final Consumer<ClusterEvent> listener;
    /** The last epoch heard of each running trial's attempt. */
    private final Map<Integer, Integer> heard = new HashMap<>();
    /** Each running trial's speed at its last epoch, images/s. */
    private final Map<Integer, Double> rates = new HashMap<>();
    /** Each member's speed: the sum of its running trials' rates, the last one kept once they ended. */
    private final Map<UUID, Double> speeds = new HashMap<>();
    /** The trials the pruner stopped, with its reason. */
    private final Map<Integer, String> stopping = new HashMap<>();
    private final UUID listening;
    private final Deque<TrialJob> pending = new ArrayDeque<>();
    /** The member each running trial was sent to, by trial index. */
    private final Map<Integer, UUID> running = new HashMap<>();
    /** Trials each member runs now. */
    private final Map<UUID, Integer> busy = new HashMap<>();
    private final Set<UUID> refusing = new HashSet<>();
    private final Map<Integer, TrialResult> results = new LinkedHashMap<>();
    private final List<ClusterEvent> outbox = new ArrayList<>();
    private boolean cancelled;

    /** A search without a pruner. */
    public ClusterSearch(ClusterNode node, List<TrialJob> jobs, Consumer<ClusterEvent> listener) {
        this(node, jobs, Pruner.none(), listener);
    }

    /**
     * @param jobs   the trials to run, all of one owner's start (their epochs come on that start's topic)
     * @param pruner hears every epoch of every trial here (as a local search's does) and may stop a trial
     */
    public ClusterSearch(ClusterNode node, List<TrialJob> jobs, Pruner pruner, Consumer<ClusterEvent> listener) {
        if (node == null || jobs == null || pruner == null || listener == null) {
            throw new IllegalArgumentException("a search across machines needs its member, trials, pruner and listener");
        }
        this.node = node;
        this.jobs = List.copyOf(jobs);
        this.pruner = pruner;
        this.listener = listener;
        Set<Integer> indices = new HashSet<>();
        for (TrialJob j : this.jobs) {
            if (!indices.add(j.trial().index())) {
                throw new IllegalArgumentException("trial " + j.trial().index() + " is given twice");
            }
        }
        this.start = this.jobs.isEmpty() ? ClusterNode.START : this.jobs.get(0).start();
        if (this.jobs.stream().anyMatch(j -> !j.start().equals(start))) {
            throw new IllegalArgumentException("the trials of one search come from one owner's start");
        }
        pending.addAll(this.jobs);
        node.onMemberRemoved(this::memberRemoved);
        listening = node.onEpoch(start, this::epoch);
    }

    /** The members now: what each runs and its speed (a snapshot, for a live list of members). */
    public List<MemberStatus> members() {
        List<ClusterNode.MemberInfo> now = node.members();
        List<MemberStatus> out = new ArrayList<>();
        synchronized (this) {
            for (ClusterNode.MemberInfo m : now) {
                List<Integer> trials = running.entrySet().stream().filter(e -> e.getValue().equals(m.id())).map(Map.Entry::getKey)
                        .sorted().toList();
                out.add(new MemberStatus(m.address(), m.version(), m.runsTrials(), m.slots(), trials,
                        speeds.getOrDefault(m.id(), Double.NaN)));
            }
        }
        return out;
    }

    /** An epoch heard from a member: kept if it is the next of the attempt that counts; the pruner may stop the trial. */
    private void epoch(ClusterNode.RemoteEpoch e) {
        String stop;
        synchronized (this) {
            if (cancelled || results.containsKey(e.index()) || !e.memberId().equals(running.get(e.index()))) {
                return; // a lost attempt's, a trial that ended, or a search that stopped
            }
            stop = progress(e.index(), e.memberId(), e.address(), e.metrics(), true);
        }
        if (stop != null) {
            node.stop(start, e.index(), stop);
        }
        flush();
    }

    /**
     * Epoch {@code m} of trial {@code index} on member {@code id}, if it is later than the last one heard (under the
     * lock): to the listener, to the pruner; returns the pruner's reason to stop the trial now, or null.
     */
    private String progress(int index, UUID id, String address, EpochMetrics m, boolean mayStop) {
        if (m.epoch() <= heard.getOrDefault(index, 0)) {
            return null;
        }
        heard.put(index, m.epoch());
        TrialJob job = jobs.stream().filter(j -> j.trial().index() == index).findFirst().orElseThrow();
        double rate = m.elapsedNanos() > 0 ? (double) m.iteration() * job.trial().train().batchSize() / (m.elapsedNanos() / 1e9)
                : Double.NaN;
        if (!Double.isNaN(rate)) {
            rates.put(index, rate);
            speeds.put(id, rate + running.entrySet().stream().filter(r -> r.getValue().equals(id) && r.getKey() != index)
                    .mapToDouble(r -> rates.getOrDefault(r.getKey(), 0.0)).sum());
        }
        outbox.add(new ClusterEvent.Progress(index, address, m, rate));
        if (stopping.containsKey(index)) {
            return null;
        }
        String why = pruner.report(index, m.epoch(), m.epochs(), m.valAccuracy());
        if (why == null || !mayStop) {
            return null;
        }
        stopping.put(index, why);
        outbox.add(new ClusterEvent.Stopping(index, address, why));
        return why;
    }

    /** The attempt of trial {@code index} ended or was lost: its epochs heard so far no longer count (under the lock). */
    private void forget(int index) {
        heard.remove(index);
        rates.remove(index);
        stopping.remove(index);
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
        node.stopListening(start, listening);
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
                    // the epochs whose messages have not arrived yet (or never will) are heard now, before the result
                    for (EpochMetrics e : ran.epochs()) {
                        progress(index, m.id(), m.address(), e, false);
                    }
                    forget(index);
                    results.put(index, ran.result());
                    pending.removeIf(j -> j.trial().index() == index);
                    outbox.add(new ClusterEvent.Finished(ran.result(), ran.epochs(), ran.end(), m.address(), results.size(),
                            jobs.size()));
                }
            } else if (reply instanceof TrialReply.Refused refused) {
                forget(index);
                refusing.add(m.id());
                requeue(job, stillOurs);
                outbox.add(new ClusterEvent.Refused(index, m.address(), refused.reason()));
            } else if (stillOurs) {
                forget(index);
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
            speeds.remove(m.id());
            for (Map.Entry<Integer, UUID> e : new ArrayList<>(running.entrySet())) {
                if (e.getValue().equals(m.id())) {
                    running.remove(e.getKey());
                    forget(e.getKey());
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
