package org.babysitter.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.Pruner;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialResult;
import org.babysitter.engine.search.TrialState;
import org.babysitter.engine.train.TrainerControls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two members in this JVM on 127.0.0.1: a trial runs on the other member; other data or another version is refused. */
class ClusterNodeTest {
    static final String SECRET = "a secret of the lab's";
    static final SplitSpec SPLIT = new SplitSpec(100, 300, 50);

    /** A port free on the loopback address now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Trial 0 of a one-trial search of one epoch on {@code images} split by {@link #SPLIT}. */
    static Trial trial(LoadedImages images) {
        PreparedData data = PreparedData.prepare(images, SPLIT, Preprocessing.MEAN_IMAGE);
        SearchSpec spec = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(Hyper.LR, Dimension.fixed(1e-4),
                Hyper.REG, Dimension.fixed(1e-3)), List.of(), 1, 1, 0, 7, PrunerSpec.NONE);
        return spec.trials(data.preprocessor().features(), data.dataset().classCount(), DataIdentity.ofImages(data.dataset())).get(0);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTrialRunsOnTheOtherMemberAndOtherDataIsRefusedNamingItAndWhereToGetIt() throws Exception {
        LoadedImages mine = BuiltInData.generate(600, 50, 5);
        LoadedImages other = BuiltInData.generate(600, 50, 6);
        int ownerPort = freePort();
        int workerPort = freePort();
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        try (ClusterNode owner = ClusterNode.start(new ClusterConfig("t", SECRET, List.of(), "127.0.0.1", ownerPort), null);
             ClusterNode worker = ClusterNode.start(new ClusterConfig("t", SECRET, List.of("127.0.0.1:" + ownerPort), "127.0.0.1", workerPort),
                     new TrialHost(other, "--data /elsewhere", new EjmlGemm(false), said::add))) {
            assertTrue(owner.awaitMembers(2, Duration.ofSeconds(20)), "the worker joined: " + owner.members());
            ClusterNode.MemberInfo w = owner.members().stream().filter(ClusterNode.MemberInfo::runsTrials).findFirst().orElseThrow();
            assertEquals("127.0.0.1:" + workerPort, w.address());

            Trial t = trial(mine);
            TrialReply reply = owner.run(TrialJob.of(t, SPLIT, Preprocessing.MEAN_IMAGE, "babysitter download"), w).get(30, TimeUnit.SECONDS);
            TrialReply.Refused refused = assertInstanceOf(TrialReply.Refused.class, reply);
            assertEquals(w.address(), refused.member());
            assertTrue(refused.reason().contains(t.data().checksum()) && refused.reason().contains("--data /elsewhere")
                    && refused.reason().contains("babysitter download"), refused.reason());
            assertTrue(said.stream().anyMatch(l -> l.startsWith("refused: trial 1 was made for")), "the worker says it: " + said);

            // the owner's own member has no data: refused without sending
            ClusterNode.MemberInfo self = owner.members().stream().filter(ClusterNode.MemberInfo::local).findFirst().orElseThrow();
            assertInstanceOf(TrialReply.Refused.class, owner.run(TrialJob.of(t, SPLIT, Preprocessing.MEAN_IMAGE, "x"), self).get());
        }
    }

    @Test
    void aTrialOfAnotherVersionIsRefusedAndOneOfTheSameDataRunsAsItDoesLocally() {
        LoadedImages images = BuiltInData.generate(600, 50, 5);
        Trial t = trial(images);
        TrialHost host = new TrialHost(images, "built-in", new EjmlGemm(false), line -> { });
        TrialReply old = host.run(new TrialJob(t, SPLIT, Preprocessing.MEAN_IMAGE, "built-in", "0.0.1", ClusterNode.START));
        assertTrue(assertInstanceOf(TrialReply.Refused.class, old).reason().contains("Babysitter 0.0.1"), old.toString());

        TrialResult there = assertInstanceOf(TrialReply.Ran.class, host.run(TrialJob.of(t, SPLIT, Preprocessing.MEAN_IMAGE, "x"))).result();
        TrialResult here = Trial.run(t, PreparedData.prepare(images, SPLIT, Preprocessing.MEAN_IMAGE), new EjmlGemm(false),
                Pruner.none(), new TrainerControls());
        assertEquals(TrialState.DONE, there.state(), String.valueOf(there.reason()));
        assertEquals(here.valAccuracies(), there.valAccuracies());

        // and the result crosses the wire unchanged
        TrialReply back = Wire.reply("h:1", Wire.reply(new TrialReply.Ran("here", there)));
        assertEquals(there, assertInstanceOf(TrialReply.Ran.class, back).result());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void thePortSpeaksNeitherTheClientProtocolNorHttp() throws Exception {
        int port = freePort();
        try (ClusterNode owner = ClusterNode.start(new ClusterConfig("t", SECRET, List.of(), "127.0.0.1", port), null)) {
            for (String hello : List.of("CP2", "GET /hazelcast/rest/cluster HTTP/1.0\r\n\r\n")) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(hello.getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    // the member announces its own protocol ("HZC"), then closes a connection that speaks another
                    boolean closed;
                    try {
                        while (s.getInputStream().read() != -1) {
                            // its protocol header
                        }
                        closed = true;
                    } catch (SocketTimeoutException open) {
                        closed = false;
                    } catch (SocketException reset) {
                        closed = true;
                    }
                    assertTrue(closed, "the member closes a connection that starts with " + hello.strip());
                }
            }
            assertEquals(1, owner.members().size());
        }
    }
}
