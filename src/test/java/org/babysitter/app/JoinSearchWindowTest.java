package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import org.babysitter.app.session.JoinController;
import org.babysitter.engine.cluster.ClusterConfig;
import org.babysitter.engine.cluster.ClusterNode;
import org.babysitter.engine.cluster.TrialJob;
import org.babysitter.engine.cluster.TrialReply;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.runs.DataIdentity;
import org.babysitter.engine.search.Dimension;
import org.babysitter.engine.search.Hyper;
import org.babysitter.engine.search.PrunerSpec;
import org.babysitter.engine.search.SearchSpec;
import org.babysitter.engine.search.Trial;
import org.babysitter.engine.search.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * Checks > Join a search across machines...: the window's machine joins an owner's member on 127.0.0.1 with the
 * shared secret, lists the members, runs the trial the owner sends on the window's built-in data and says so, and
 * leaves; a wrong secret is refused in words and the window stays out of the search.
 */
class JoinSearchWindowTest extends WindowTest {
    private static final String SECRET = "the lab's shared secret";

    @Start
    void start(Stage stage) {
        open(stage);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void fill(FxRobot robot, String id, String text) {
        robot.clickOn(id).write(text);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theWindowJoinsRunsTheOwnersTrialListsTheMembersAndLeaves(FxRobot robot) throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        int ownerPort = freePort();
        int myPort = freePort();
        JoinController join = session.join();
        try (ClusterNode owner = ClusterNode.start(new ClusterConfig("lab", SECRET, List.of(), "127.0.0.1", ownerPort), null)) {
            fx(() -> {
                window.showJoin();
                return null;
            });
            String data = robot.lookup("#join-data").queryAs(Label.class).getText();
            assertTrue(data.startsWith(session.data().images().source()), data);

            // a wrong secret: refused in words, nothing joined
            fill(robot, "#join-owner", "127.0.0.1:" + ownerPort);
            fill(robot, "#join-cluster", "lab");
            fill(robot, "#join-secret", "not the lab's secret");
            fill(robot, "#join-bind", "127.0.0.1");
            robot.doubleClickOn("#join-port").write(Integer.toString(myPort));
            robot.clickOn("#join-button");
            waitFor("the refusal", 60, () -> join.phaseProperty().get() == JoinController.Phase.IDLE
                    && join.statusProperty().get().startsWith("Could not join"));
            assertTrue(join.statusProperty().get().contains("the cluster name or the shared secret differ"), join.statusProperty().get());
            assertEquals(1, owner.members().size());

            // the right one: in, the two members listed
            fx(() -> {
                robot.lookup("#join-secret").queryAs(javafx.scene.control.PasswordField.class).setText(SECRET);
                return null;
            });
            robot.clickOn("#join-button");
            waitFor("joined", 60, () -> join.phaseProperty().get() == JoinController.Phase.JOINED);
            assertTrue(owner.awaitMembers(2, Duration.ofSeconds(20)));
            @SuppressWarnings("unchecked")
            TableView<JoinController.MemberRow> members = robot.lookup("#join-members").queryAs(TableView.class);
            waitFor("two members listed", () -> members.getItems().size() == 2);
            assertTrue(members.getItems().contains(new JoinController.MemberRow("127.0.0.1:" + myPort + " (this machine)",
                    ClusterNode.VERSION, "runs 1 trial at once")), members.getItems().toString());
            assertTrue(members.getItems().contains(new JoinController.MemberRow("127.0.0.1:" + ownerPort, ClusterNode.VERSION,
                    "sends trials")), members.getItems().toString());

            // the owner's trial runs here, on the window's data
            LoadedImages images = session.data().images();
            SplitSpec split = new SplitSpec(200, 100, 50);
            PreparedData prepared = PreparedData.prepare(images, split, Preprocessing.MEAN_IMAGE);
            SearchSpec spec = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(Hyper.LR, Dimension.fixed(1e-3),
                    Hyper.REG, Dimension.fixed(1e-3)), List.of(), 1, 1, 0, 7, PrunerSpec.NONE);
            Trial t = spec.trials(prepared.preprocessor().features(), prepared.dataset().classCount(),
                    DataIdentity.ofImages(prepared.dataset())).get(0);
            ClusterNode.MemberInfo me = owner.members().stream().filter(ClusterNode.MemberInfo::runsTrials).findFirst().orElseThrow();
            TrialReply reply = owner.run(TrialJob.of(t, split, Preprocessing.MEAN_IMAGE, "built-in"), me).get(60, TimeUnit.SECONDS);
            assertEquals(TrialState.DONE, assertInstanceOf(TrialReply.Ran.class, reply).result().state());
            waitFor("the trial's lines in the log", () -> join.log().size() >= 2);
            assertTrue(join.log().get(0).contains("trial 1"), join.log().toString());

            // Leave: out of the search, the owner alone again
            robot.clickOn("#join-leave");
            waitFor("left", 60, () -> join.phaseProperty().get() == JoinController.Phase.IDLE);
            assertEquals("Left the search.", join.statusProperty().get());
            waitFor("the owner alone", 30, () -> owner.members().size() == 1);
            assertTrue(members.getItems().isEmpty());
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theCommandCenterOwnsASearchAcrossMachinesAndListsItsMembersLive(FxRobot robot) throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
        int ownerPort = freePort();
        org.babysitter.app.session.SearchController s = session.search();
        List<List<org.babysitter.app.session.SearchController.MemberRow>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        fx(() -> {
            window.showSearch();
            s.trialsProperty().set(6);
            s.epochsProperty().set(4);
            s.subsetProperty().set(2500); // trials of a few seconds: the worker joins while they run
            s.members().addListener((javafx.collections.ListChangeListener<org.babysitter.app.session.SearchController.MemberRow>)
                    c -> seen.add(List.copyOf(s.members())));
            return null;
        });
        robot.clickOn("#search-across");
        fill(robot, "#search-cluster-name", "lab");
        fill(robot, "#search-cluster-secret", SECRET);
        fill(robot, "#search-cluster-bind", "127.0.0.1");
        robot.doubleClickOn("#search-cluster-port").write(Integer.toString(ownerPort));
        robot.clickOn("#search-start");
        waitFor("the owner's member listed", 60, () -> !s.members().isEmpty());
        java.util.List<String> said = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (ClusterNode worker = ClusterNode.start(new ClusterConfig("lab", SECRET, List.of("127.0.0.1:" + ownerPort), "127.0.0.1",
                freePort()), new org.babysitter.engine.cluster.TrialHost(session.data().images(), "built-in",
                new org.babysitter.engine.linalg.EjmlGemm(false), said::add))) {
            waitFor("the search ended", 120, () -> s.phaseProperty().get() == org.babysitter.app.session.SearchController.Phase.ENDED);
        }
        assertTrue(seen.stream().anyMatch(m -> m.size() == 2 && m.stream().anyMatch(r -> r.address().endsWith("(this machine)"))
                && m.stream().anyMatch(r -> r.role().equals("runs 1 trial at once") && !r.address().endsWith("(this machine)"))),
                "the worker listed beside this machine while the search ran: " + seen);
        assertEquals(6, s.rows().size(), s.rows().toString());
        assertTrue(s.rows().stream().allMatch(r -> r.ended()), s.rows().toString());
        assertEquals(6, s.rows().stream().map(r -> r.trial().index()).distinct().count());
        assertTrue(s.members().isEmpty(), "no members once the search ended: " + s.members());
    }
}
