package org.babysitter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.ClusterNode;
import org.babysitter.engine.cluster.TrialHost;
import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.CifarReader;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.linalg.Gemm;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code worker}: this machine joins a search across machines and runs the trials it is sent on its own copy of the
 * data, printing each. The secret comes from a file or an environment variable, never from the command line (which
 * every user of the machine can read in the process list and the shell's history).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Join a search across machines (issue 15) and run its trials here, on this machine's copy of the data.")
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GemmOption gemmOption;

    @Option(names = "--join", required = true, split = ",", paramLabel = "HOST[:PORT]",
            description = "The search's owner (or any member), port " + ClusterConfig.DEFAULT_PORT + " unless given; several comma-separated.")
    List<String> join;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster's name, as the owner set it.")
    String cluster;

    @ArgGroup(exclusive = true, multiplicity = "1")
    SecretOptions secret;

    @Option(names = "--data", paramLabel = "PATH",
            description = "This machine's copy of the search's data (CIFAR-10 as for train); default: the built-in generated images.")
    Path data;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "The one local address to listen on (default: the one this machine reaches the first --join host from).")
    String bind;

    @Option(names = "--port", paramLabel = "N", description = "The port to listen on (default: ${DEFAULT-VALUE}).")
    int port = ClusterConfig.DEFAULT_PORT;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String address = bind != null ? bind : ClusterConfig.localAddressTowards(join.get(0));
        ClusterConfig config = new ClusterConfig(cluster, secret.read(err), join, address, port);
        Gemm gemm = gemmOption.gemm();
        LoadedImages images = data == null ? BuiltInData.generate()
                : CifarReader.read(data, new DataOptions.PrintingProgress(err, "Loading " + data.getFileName()));
        String location = TrialHost.location(data);
        TrialHost host = new TrialHost(images, location, gemm, line -> {
            out.println(line);
            out.flush();
        });
        out.printf("Joining search %s at %s from %s:%d...%n", cluster, String.join(", ", config.memberAddresses()), address, port);
        out.flush();
        ClusterNode joined = ClusterNode.join(config, host, java.time.Duration.ofSeconds(5), () -> false, line -> {
            out.println(line + " (Ctrl-C stops)");
            out.flush();
        });
        try (ClusterNode node = joined) {
            out.printf("Joined search %s as %s:%d, Babysitter %s; data: %s (%s); GEMM: %s%n", cluster, address, port,
                    ClusterNode.VERSION, images.source(), location, gemmOption.explain(gemm));
            for (ClusterNode.MemberInfo m : node.members()) {
                out.printf("  member %s%s%s%n", m.address(), m.local() ? " (this machine)" : "", m.runsTrials() ? ", runs trials" : "");
            }
            out.println("Waiting for trials (Ctrl-C leaves the search)...");
            out.flush();
            node.onMemberAdded(m -> {
                synchronized (out) {
                    out.printf("member joined: %s (Babysitter %s)%n", m.address(), m.version());
                    out.flush();
                }
            });
            node.onMemberRemoved(m -> {
                boolean alone;
                try {
                    alone = node.members().size() < 2;
                } catch (RuntimeException leaving) {
                    return; // this member is leaving too (Ctrl-C)
                }
                synchronized (out) {
                    out.printf("member left: %s%s%n", m.address(), alone ? "; this worker stays and looks for the search at "
                            + String.join(", ", config.memberAddresses()) + " every few seconds (Ctrl-C leaves)" : "");
                    out.flush();
                }
            });
            node.awaitShutdown();
        }
        return 0;
    }
}
