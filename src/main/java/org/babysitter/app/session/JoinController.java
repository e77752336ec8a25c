package org.babysitter.app.session;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.ClusterNode;
import org.babysitter.engine.cluster.TrialHost;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.linalg.Gemm;

/**
 * "Join a search...": this window's machine becomes a worker of a search across machines, as {@code babysitter worker}
 * does, on the data loaded in the window. The member runs in a {@link BackgroundJobs} job until Leave (or the window
 * closes); what it hears (the members joining and leaving, each trial it runs or refuses) comes back as the job's
 * partial results. FX thread.
 */
public final class JoinController {
    /** Where this machine is. */
    public enum Phase { IDLE, JOINING, JOINED, LEAVING }

    /** Lines of the log kept: the latest, enough for a long search. */
    static final int MAX_LINES = 500;

    /**
     * What the user typed to join.
     *
     * @param owner   the owner's (or any member's) "HOST" or "HOST:PORT"
     * @param cluster the search's cluster name
     * @param secret  the shared secret (kept in memory only)
     * @param bind    this machine's address to listen on; blank: the one whose route reaches the owner
     * @param port    this machine's port
     */
    public record Request(String owner, String cluster, String secret, String bind, int port) {
        public Request {
            if (owner == null || owner.isBlank()) {
                throw new IllegalArgumentException("the owner's address is missing: HOST or HOST:PORT, as the owner's search prints it");
            }
            if (cluster == null || cluster.isBlank()) {
                throw new IllegalArgumentException("the cluster's name is missing: the name the owner set");
            }
            if (secret == null) {
                throw new IllegalArgumentException("the shared secret is missing");
            }
            owner = owner.strip();
            cluster = cluster.strip();
            bind = bind == null ? "" : bind.strip();
        }

        @Override
        public String toString() { // never the secret
            return "Request[owner=" + owner + ", cluster=" + cluster + ", bind=" + bind + ", port=" + port + "]";
        }
    }

    /** A member of the search as the panel lists it. */
    public record MemberRow(String address, String version, String role) {
        static MemberRow of(ClusterNode.MemberInfo m) {
            return new MemberRow(m.address() + (m.local() ? " (this machine)" : ""), m.version(), ClusterNode.role(m.runsTrials(), m.slots()));
        }
    }

    /** What the member's job hands to the FX thread. */
    sealed interface Update {
        void applyTo(JoinController c);

        /** Handed over at once (a line of the log waits for the pump's next look). */
        default boolean urgent() {
            return true;
        }

        /** The member is in: where, and the members it found. */
        record Joined(String where, List<MemberRow> members) implements Update {
            @Override
            public void applyTo(JoinController c) {
                c.phase.set(Phase.JOINED);
                c.status.set("In the search as " + where + ": running the trials the owner sends.");
                c.members.setAll(members);
            }
        }

        /** Nothing answers at the owner's address yet: asking again. */
        record Waiting(String why) implements Update {
            @Override
            public void applyTo(JoinController c) {
                c.status.set("Waiting for the owner: " + why + ".");
            }
        }

        /** The members changed. */
        record Members(List<MemberRow> members) implements Update {
            @Override
            public void applyTo(JoinController c) {
                c.members.setAll(members);
            }
        }

        /** A line of what the host runs or refuses. */
        record Line(String line) implements Update {
            @Override
            public boolean urgent() {
                return false;
            }

            @Override
            public void applyTo(JoinController c) {
                c.log.add(line);
                if (c.log.size() > MAX_LINES) {
                    c.log.remove(0, c.log.size() - MAX_LINES);
                }
            }
        }
    }

    private final BackgroundJobs jobs;
    private final DataController data;
    private final Gemm gemm;
    private final Consumer<Notice> notices;
    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(Phase.IDLE);
    private final StringProperty status = new SimpleStringProperty("Not in a search.");
    private final ObservableList<MemberRow> members = FXCollections.observableArrayList();
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private BackgroundJobs.Job job;

    JoinController(BackgroundJobs jobs, DataController data, Gemm gemm, Consumer<Notice> notices) {
        this.jobs = jobs;
        this.data = data;
        this.gemm = gemm;
        this.notices = notices;
    }

    /**
     * Joins the search {@code r} names, on the loaded data (none loaded: says so and stays idle). A refusal (a wrong
     * secret, nobody at the address, another version) ends the job with that sentence as the status.
     */
    public void join(Request r) {
        if (phase.get() != Phase.IDLE) {
            return;
        }
        LoadedImages images = data.imagesOrSay(notices);
        if (images == null) {
            return;
        }
        Path path = data.path();
        String location = TrialHost.location(path);
        phase.set(Phase.JOINING);
        members.clear();
        status.set("Joining search " + r.cluster() + " at " + r.owner() + "...");
        job = jobs.start("Joining search " + r.cluster(), (BackgroundJobs.PublishingTask<Void, Update>) (progress, publish) -> {
            String bind = r.bind().isEmpty() ? ClusterConfig.localAddressTowards(r.owner()) : r.bind();
            ClusterConfig config = new ClusterConfig(r.cluster(), r.secret(), List.of(r.owner()), bind, r.port());
            TrialHost host = new TrialHost(images, location, gemm, line -> publish.accept(new Update.Line(line)));
            ClusterNode joined = ClusterNode.join(config, host, java.time.Duration.ofSeconds(5), progress::isCancelled,
                    line -> publish.accept(new Update.Waiting(line)));
            if (joined == null) {
                return null; // left while waiting for the owner
            }
            try (ClusterNode node = joined) {
                Runnable changed = () -> publish.accept(new Update.Members(rows(node)));
                node.onMemberAdded(m -> changed.run());
                node.onMemberRemoved(m -> changed.run());
                String where = bind + ":" + r.port();
                publish.accept(new Update.Joined(where, rows(node)));
                progress.update(-1, "In search " + r.cluster() + " as " + where + " (Leave in its panel, or Cancel)");
                while (!progress.isCancelled() && node.running()) {
                    Thread.sleep(200);
                }
                host.stopAll();
            }
            return null;
        }, u -> u.applyTo(this), Update::urgent, new BackgroundJobs.Outcome<>() {
            @Override
            public void succeeded(Void result) {
                ended("Left the search.");
            }

            @Override
            public void failed(String message) {
                ended("Could not join: " + message); // said in the panel, where the user typed what it names
            }

            @Override
            public void cancelled() {
                ended("Left the search.");
            }
        });
    }

    /** Leaves the search: the trial under way here stops, the owner runs it elsewhere. */
    public void leave() {
        if (job != null && (phase.get() == Phase.JOINED || phase.get() == Phase.JOINING)) {
            phase.set(Phase.LEAVING);
            status.set("Leaving the search...");
            job.cancel();
        }
    }

    private static List<MemberRow> rows(ClusterNode node) {
        return node.members().stream().map(MemberRow::of).toList();
    }

    private void ended(String why) {
        job = null;
        phase.set(Phase.IDLE);
        status.set(why);
        members.clear();
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    public ObservableList<MemberRow> members() {
        return FXCollections.unmodifiableObservableList(members);
    }

    public ObservableList<String> log() {
        return FXCollections.unmodifiableObservableList(log);
    }

    /** The data a join would use, in words. */
    public String dataInWords() {
        LoadedImages images = data.images();
        if (images == null) {
            return "none loaded: load CIFAR-10 (File > Open...) as the owner did, or the built-in data";
        }
        Path path = data.path();
        String source = images.source();
        return path == null || source.equals(path.toAbsolutePath().toString()) || source.equals(path.toString()) ? source
                : source + " (" + path.toAbsolutePath() + ")";
    }
}
