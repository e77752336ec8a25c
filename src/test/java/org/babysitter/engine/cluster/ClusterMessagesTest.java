package org.babysitter.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.search.Trial;
import org.junit.jupiter.api.Test;

/**
 * What travels between the members besides jobs and replies (a trial's epochs, the owner's stops) and what the owner's
 * scheduler reports (progress, stops, the members' status): checked where they are made, unchanged across the wire.
 */
class ClusterMessagesTest {
    private static final EpochMetrics EPOCH = new EpochMetrics(2, 5, 60, 1.8125, 0.375, 0.3125, 9.025e-5, 3_000_000_000L);

    @Test
    void anEpochAndAStopCrossTheWireUnchanged() {
        UUID member = UUID.randomUUID();
        Wire.Epoch e = new Wire.Epoch(ClusterNode.START, 3, member, EPOCH);
        assertEquals(e, Wire.read(Wire.write(e), Wire.Epoch.class));
        Wire.Epoch noVal = new Wire.Epoch(ClusterNode.START, 3, member, new EpochMetrics(1, 1, 10, 2.0, 0.1, Double.NaN, 1e-4, 5));
        assertTrue(Double.isNaN(Wire.read(Wire.write(noVal), Wire.Epoch.class).metrics().valAccuracy()), "NaN: no validation set");
        Wire.Stop s = new Wire.Stop(ClusterNode.START, 3, "epoch 2: val 0.312 below the median 0.400 of 4 trials");
        assertEquals(s, Wire.read(Wire.write(s), Wire.Stop.class));
    }

    @Test
    void badMessagesAndReportsAreRefusedInWords() {
        assertEquals("a stop message has its start, trial and reason",
                assertThrows(IllegalArgumentException.class, () -> new Wire.Stop(ClusterNode.START, 0, " ")).getMessage());
        assertEquals("an epoch message has its start, trial, member and metrics",
                assertThrows(IllegalArgumentException.class, () -> new Wire.Epoch(ClusterNode.START, -1, UUID.randomUUID(), EPOCH))
                        .getMessage());
        assertEquals("a speed is >= 0 images/s (NaN: not measured), got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new ClusterEvent.Progress(0, "h:1", EPOCH, -1)).getMessage());
        assertEquals("a stop has its trial, member and reason",
                assertThrows(IllegalArgumentException.class, () -> new ClusterEvent.Stopping(0, "h:1", null)).getMessage());
        assertEquals("a member's status has its address, version, slots >= 0 and trials",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSearch.MemberStatus("h:1", "1", true, -1, List.of(), 0))
                        .getMessage());
        assertEquals("a speed is >= 0 images/s (NaN: not measured), got -Infinity", assertThrows(IllegalArgumentException.class,
                () -> new ClusterSearch.MemberStatus("h:1", "1", true, 1, List.of(), Double.NEGATIVE_INFINITY)).getMessage());
        Trial t = ClusterNodeTest.trial(BuiltInData.generate(600, 50, 5));
        assertEquals("a trial job carries its owner's start id (letters, digits and '-'), got \"a b\"",
                assertThrows(IllegalArgumentException.class, () -> new TrialJob(t, ClusterNodeTest.SPLIT, Preprocessing.MEAN_IMAGE,
                        "built-in", ClusterNode.VERSION, "a b")).getMessage());
    }

    @Test
    void aMembersStatusIsASnapshot() {
        List<Integer> trials = new ArrayList<>(List.of(4, 7));
        ClusterSearch.MemberStatus s = new ClusterSearch.MemberStatus("127.0.0.1:5702", ClusterNode.VERSION, true, 2, trials, 3468.5);
        trials.add(9);
        assertEquals(List.of(4, 7), s.trials(), "the list it was made with, not what became of it");
        assertThrows(UnsupportedOperationException.class, () -> s.trials().add(1));
        assertTrue(Double.isNaN(new ClusterSearch.MemberStatus("h:1", "1", false, 0, List.of(), Double.NaN).imagesPerSecond()));
    }
}
