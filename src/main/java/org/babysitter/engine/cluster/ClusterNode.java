package org.babysitter.engine.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.topic.ITopic;
import org.babysitter.engine.metrics.EpochMetrics;

/**
 * This machine's member of a search across machines: an embedded Hazelcast member started with {@link ClusterConfig}
 * and nothing else listening (TCP/IP join on the given addresses only; no multicast, no cloud or Kubernetes
 * auto-detection; the phone-home, REST, Memcache and Jet off; one port on one address). A member with a
 * {@link TrialHost} runs trials sent to it; the search's owner sends them with {@link #run}.
 */
public final class ClusterNode implements AutoCloseable {
    /**
     * This Babysitter's version as members compare it: the jar's, or the build's in a development tree. The system
     * property {@code babysitter.cluster.version} says another, for a test's JVM that plays a member of another version.
     */
    public static final String VERSION = System.getProperty("babysitter.cluster.version",
            Objects.requireNonNullElse(ClusterNode.class.getPackage().getImplementationVersion(), "0.1.0-SNAPSHOT"));
    /**
     * This process's start id: a job carries its owner's, and the topics of its trials' epochs and stops are named by
     * it, so that an owner started again hears nothing of what its previous start sent.
     */
    public static final String START = UUID.randomUUID().toString();
    static final String EXECUTOR = "babysitter-trials";
    /** The topic a trial's epochs go to, per owner's start: JSON of {@link Wire.Epoch}. */
    static final String EPOCHS_TOPIC = "babysitter-epochs-";
    /** The topic the owner's "stop trial i" goes to, per owner's start: JSON of {@link Wire.Stop}. */
    static final String STOPS_TOPIC = "babysitter-stops-";
    /** Seconds without a heartbeat after which a member is taken for gone and its trials run elsewhere. */
    static final int NO_HEARTBEAT_SECONDS = 10;
    /** Seconds between a member's looks for the rest of its search (a restarted owner) once it is cut off. */
    static final int MERGE_SECONDS = 5;
    static final String VERSION_ATTRIBUTE = "babysitter.version";
    static final String RUNS_TRIALS_ATTRIBUTE = "babysitter.runs-trials";
    static final String SLOTS_ATTRIBUTE = "babysitter.slots";
    /** Hazelcast's own logging: warnings and worse only (held here so that the level is not collected away). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    static {
        HAZELCAST_LOG.setLevel(Level.WARNING);
    }

    /**
     * A member of the search as this one sees it.
     *
     * @param address    "HOST:PORT"
     * @param version    its Babysitter version
     * @param runsTrials true for a worker (a member with data)
     * @param local      true for this machine's own member
     * @param slots      trials it runs at once (its executor's threads; 0 for a member without data)
     */
    public record MemberInfo(UUID id, String address, String version, boolean runsTrials, boolean local, int slots) {
    }

    private final HazelcastInstance hz;
    private final ClusterConfig config;

    private ClusterNode(HazelcastInstance hz, ClusterConfig config) {
        this.hz = hz;
        this.config = config;
    }

    /**
     * Starts this machine's member and joins the members of {@code config} (none: the first member, the owner). A member
     * told to join that finds nobody who lets it in, or members of another version, leaves again and says why.
     *
     * @param host runs the trials sent here; null for a member that only sends them (the owner without data)
     */
    public static ClusterNode start(ClusterConfig config, TrialHost host) throws IOException {
        return start(config, host, 1);
    }

    /**
     * As {@link #start(ClusterConfig, TrialHost)}, the member running up to {@code slots} trials at once (the owner:
     * its {@code --jobs}).
     */
    public static ClusterNode start(ClusterConfig config, TrialHost host, int slots) throws IOException {
        return start(config, host, slots, true);
    }

    /**
     * As {@link #start(ClusterConfig, TrialHost, int)}; {@code hazelcastHook} false leaves Ctrl-C to the caller (the
     * search's owner stops its trials first and then closes this member) instead of Hazelcast's own shutdown hook.
     */
    public static ClusterNode start(ClusterConfig config, TrialHost host, int slots, boolean hazelcastHook) throws IOException {
        if (slots < 1) {
            throw new IllegalArgumentException("a member runs at least one trial at once, got " + slots);
        }
        HazelcastInstance hz;
        try {
            Config c = hazelcastConfig(config, host, slots);
            c.setProperty("hazelcast.shutdownhook.enabled", Boolean.toString(hazelcastHook));
            hz = Hazelcast.newHazelcastInstance(c);
        } catch (RuntimeException e) {
            throw new IOException("could not start this machine's member on " + config.bind() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        ClusterNode node = new ClusterNode(hz, config);
        if (!config.members().isEmpty() && hz.getCluster().getMembers().size() < 2) {
            boolean answers = node.anyAnswers();
            String why = node.whyAlone();
            node.close();
            throw answers ? new IOException(why) : new NobodyAnswers(why);
        }
        for (MemberInfo m : node.members()) {
            if (!m.local() && !VERSION.equals(m.version())) {
                node.close();
                throw new IOException("the search's member " + m.address() + " runs Babysitter " + m.version() + ", this one "
                        + VERSION + ": refused; run the same version on every machine of the search");
            }
        }
        return node;
    }

    /** Hazelcast's configuration for {@code config}: what listens, who is asked, what this member says of itself. */
    static Config hazelcastConfig(ClusterConfig config, TrialHost host) {
        return hazelcastConfig(config, host, 1);
    }

    static Config hazelcastConfig(ClusterConfig config, TrialHost host, int slots) {
        Config c = new Config();
        c.setClusterName(config.clusterName());
        c.setInstanceName("babysitter-" + config.name() + "-" + config.port() + "-" + UUID.randomUUID());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.jmx", "false");
        c.setProperty("hazelcast.health.monitoring.level", "OFF");
        // a member that vanished (kill -9, a machine switched off) is removed within seconds, not Hazelcast's 60
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(NO_HEARTBEAT_SECONDS));
        // a member left alone (its owner stopped or died) keeps asking the addresses it joined, every few seconds
        // instead of Hazelcast's 5 minutes, and merges with the restarted owner's member found there
        c.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_SECONDS));
        c.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_SECONDS));
        c.getJetConfig().setEnabled(false);
        c.getRestConfig().setEnabled(false);
        // the advanced network configuration: one server socket for members only, so the port speaks no client or
        // HTTP protocol (with the plain network configuration the member port also takes Hazelcast clients)
        AdvancedNetworkConfig net = c.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
        members.setPort(config.port()).setPortAutoIncrement(false).setPortCount(1);
        members.setInterfaces(new InterfacesConfig().setEnabled(true).setInterfaces(List.of(config.bind())));
        net.setMemberEndpointConfig(members);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(config.memberAddresses())).setConnectionTimeoutSeconds(3);
        c.getMemberAttributeConfig().setAttribute(VERSION_ATTRIBUTE, VERSION)
                .setAttribute(RUNS_TRIALS_ATTRIBUTE, Boolean.toString(host != null))
                .setAttribute(SLOTS_ATTRIBUTE, Integer.toString(host == null ? 0 : slots));
        c.getExecutorConfig(EXECUTOR).setPoolSize(slots).setStatisticsEnabled(false);
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.getWhitelist().addClasses(TrialTask.class.getName());
        c.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        if (host != null) {
            c.getUserContext().put(TrialHost.KEY, host);
        }
        return c;
    }

    /** Why a member told to join is alone: nothing answers at the addresses, or something answers and refused it. */
    /** Nothing listens at the addresses to join: the owner is not up yet, or its port is closed to this machine. */
    public static final class NobodyAnswers extends IOException {
        NobodyAnswers(String message) {
            super(message);
        }
    }

    /**
     * As {@link #start(ClusterConfig, TrialHost)}, a worker that finds nothing at the owner's address asks again every
     * {@code every} (the owner may start after its workers, as in a lab), saying so once through {@code waiting},
     * until it is let in, refused (another secret or version: thrown), or {@code stop} says to give up (null returned).
     */
    public static ClusterNode join(ClusterConfig config, TrialHost host, Duration every, java.util.function.BooleanSupplier stop,
                                   Consumer<String> waiting) throws IOException, InterruptedException {
        boolean said = false;
        while (!stop.getAsBoolean()) {
            try {
                return start(config, host);
            } catch (NobodyAnswers e) {
                if (!said) {
                    waiting.accept(e.getMessage() + "; asking again every " + every.toSeconds() + " s");
                    said = true;
                }
            }
            for (long waited = 0; waited < every.toMillis() && !stop.getAsBoolean(); waited += 200) {
                Thread.sleep(200);
            }
        }
        return null;
    }

    private boolean anyAnswers() {
        return !answering().isEmpty();
    }

    private List<String> answering() {
        List<String> answering = new ArrayList<>();
        for (String a : config.memberAddresses()) {
            int colon = a.lastIndexOf(':');
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))), 2000);
                answering.add(a);
            } catch (IOException | RuntimeException e) {
                // nothing listens there
            }
        }
        return answering;
    }

    private String whyAlone() {
        List<String> answering = answering();
        if (answering.isEmpty()) {
            return "could not join the search \"" + config.name() + "\": nothing answers at " + String.join(", ",
                    config.memberAddresses()) + " (is the search's owner running, and its port open to this machine?)";
        }
        return "could not join the search \"" + config.name() + "\": " + String.join(", ", answering) + " answers but did not"
                + " let this member in: the cluster name or the shared secret differ from the owner's (or it runs another"
                + " version of Babysitter)";
    }

    /** The members of the search now, the oldest (usually the owner) first. */
    public List<MemberInfo> members() {
        List<MemberInfo> out = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            out.add(info(m));
        }
        return out;
    }

    private static MemberInfo info(Member m) {
        return new MemberInfo(m.getUuid(), m.getAddress().getHost() + ":" + m.getAddress().getPort(),
                Objects.requireNonNullElse(m.getAttribute(VERSION_ATTRIBUTE), "unknown"),
                Boolean.parseBoolean(m.getAttribute(RUNS_TRIALS_ATTRIBUTE)), m.localMember(), slots(m.getAttribute(SLOTS_ATTRIBUTE)));
    }

    /** A member's slots as it says them; a member that says nothing (or nonsense) runs one trial at a time. */
    private static int slots(String attribute) {
        try {
            return attribute == null ? 1 : Math.max(Integer.parseInt(attribute), 0);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Calls {@code added} (on a Hazelcast thread) for every member that joins the search. */
    public void onMemberAdded(Consumer<MemberInfo> added) {
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                added.accept(info(e.getMember()));
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                // see onMemberRemoved
            }
        });
    }

    /** Calls {@code removed} (on a Hazelcast thread) for every member that leaves the search or is taken for gone. */
    public void onMemberRemoved(Consumer<MemberInfo> removed) {
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                // a new member is offered trials when the scheduler next looks
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                removed.accept(info(e.getMember()));
            }
        });
    }

    /** Waits until the search has at least {@code n} members; false if it has fewer when {@code timeout} ends. */
    public boolean awaitMembers(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (hz.getCluster().getMembers().size() < n) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /**
     * Sends {@code job} to the member {@code on} and completes with its reply. A member of another version, or without
     * data, is refused here without sending; a member that leaves or fails completes the future exceptionally.
     */
    public CompletableFuture<TrialReply> run(TrialJob job, MemberInfo on) {
        if (!VERSION.equals(on.version())) {
            return CompletableFuture.completedFuture(new TrialReply.Refused(on.address(), "the member runs Babysitter "
                    + on.version() + ", this one " + VERSION));
        }
        if (!on.runsTrials()) {
            return CompletableFuture.completedFuture(new TrialReply.Refused(on.address(), "the member has no data to run trials on"));
        }
        Member target = hz.getCluster().getMembers().stream().filter(m -> m.getUuid().equals(on.id())).findFirst().orElse(null);
        if (target == null) {
            CompletableFuture<TrialReply> gone = new CompletableFuture<>();
            gone.completeExceptionally(new IOException("member " + on.address() + " has left the search"));
            return gone;
        }
        IExecutorService executor = hz.getExecutorService(EXECUTOR);
        CompletableFuture<TrialReply> reply = new CompletableFuture<>();
        executor.submitToMember(new TrialTask(job), target, new ExecutionCallback<String>() {
            @Override
            public void onResponse(String json) {
                try {
                    reply.complete(Wire.reply(on.address(), json));
                } catch (RuntimeException e) {
                    reply.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Throwable t) {
                reply.completeExceptionally(t);
            }
        });
        return reply;
    }

    /**
     * Calls {@code heard} (on a Hazelcast event thread) with every epoch that a trial of the owner's start {@code start}
     * reports, on any member; a message that does not read is dropped. Returns what {@link #stopListening} takes.
     */
    public UUID onEpoch(String start, Consumer<RemoteEpoch> heard) {
        ITopic<String> topic = hz.getTopic(EPOCHS_TOPIC + start);
        return topic.addMessageListener(message -> {
            Wire.Epoch e;
            try {
                e = Wire.read(message.getMessageObject(), Wire.Epoch.class);
            } catch (RuntimeException x) {
                return; // not ours to read: another version's message
            }
            if (e.start().equals(start)) {
                Member from = message.getPublishingMember();
                String address = from == null ? "unknown" : from.getAddress().getHost() + ":" + from.getAddress().getPort();
                heard.accept(new RemoteEpoch(e.index(), e.member(), address, e.metrics()));
            }
        });
    }

    /** Stops calling the listener {@link #onEpoch} returned {@code registration} for. */
    public void stopListening(String start, UUID registration) {
        if (hz.getLifecycleService().isRunning()) {
            hz.getTopic(EPOCHS_TOPIC + start).removeMessageListener(registration);
        }
    }

    /** Tells the member running trial {@code index} of the owner's start {@code start} to stop it: pruned, for {@code reason}. */
    public void stop(String start, int index, String reason) {
        hz.getTopic(STOPS_TOPIC + start).publish(Wire.write(new Wire.Stop(start, index, reason)));
    }

    /**
     * An epoch of a trial that runs on a member, as the owner hears it.
     *
     * @param index    the trial (from 0)
     * @param memberId the member that runs it (the attempt: a trial run again elsewhere has another)
     * @param address  that member's "HOST:PORT"
     * @param metrics  the epoch, as its trainer reported it
     */
    public record RemoteEpoch(int index, UUID memberId, String address, EpochMetrics metrics) {
        public RemoteEpoch {
            if (index < 0 || memberId == null || address == null || metrics == null) {
                throw new IllegalArgumentException("a remote epoch has its trial, member and metrics");
            }
        }
    }

    /** Blocks until this member has left the search (closed here, or Ctrl-C through Hazelcast's shutdown hook). */
    public void awaitShutdown() throws InterruptedException {
        while (running()) {
            Thread.sleep(500);
        }
    }

    /** A member's part in the search in words: "runs 2 trials at once", or "sends trials" for one without data. */
    public static String role(boolean runsTrials, int slots) {
        return runsTrials ? "runs " + slots + " trial" + (slots == 1 ? "" : "s") + " at once" : "sends trials";
    }

    /** False once this member has left the search (closed, or shut down by Hazelcast). */
    public boolean running() {
        return hz.getLifecycleService().isRunning();
    }

    public ClusterConfig config() {
        return config;
    }

    /** Leaves the search and stops listening. */
    @Override
    public void close() {
        hz.shutdown();
    }
}
