package org.babysitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.babysitter.engine.io.Npy;
import org.babysitter.engine.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the train command says when saving fails (a full disk) or the destination changed during the run. That the
 * pair on the disk stays whole is Checkpoint's and AtomicFiles' part (their tests inject the same fault).
 */
class CheckpointTargetTest {
    @TempDir
    Path tmp;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskSaysSoAndThatThePreviousPairIsKept() throws IOException {
        Path npz = tmp.resolve("m.npz");
        CheckpointTarget target = CheckpointTarget.check(npz, false, null);
        IOException first = assertThrows(IOException.class, () -> target.save(p -> {
            throw new IOException("No space left on device");
        }));
        assertEquals("could not save " + npz + ": no space left on device (the disk is full); nothing was written",
                first.getMessage());

        // an earlier pair of ours, as the format marker says
        target.save(p -> {
            try (java.io.OutputStream out = Files.newOutputStream(p)) {
                Npy.writeNpz(out, java.util.Map.of("format", Npy.Text.scalar(Checkpoint.FORMAT)));
            }
            Files.writeString(tmp.resolve("m.json"), "{\"format\": \"" + Checkpoint.FORMAT + "\"}");
        });
        IOException later = assertThrows(IOException.class, () -> target.save(p -> {
            throw new IOException("No space left on device");
        }));
        assertEquals("could not save " + npz + ": no space left on device (the disk is full); the previous m.npz and m.json"
                + " are kept as they were", later.getMessage());
        assertEquals(List.of("m.json", "m.npz"), listing());
    }

    @Test
    void aFileThatAppearedDuringTheRunIsNotReplaced() throws IOException {
        Path npz = tmp.resolve("late.npz");
        CheckpointTarget target = CheckpointTarget.check(npz, false, null);
        Files.writeString(npz, "someone saved this while we trained");
        IOException e = assertThrows(IOException.class, () -> target.save(p -> Files.writeString(p, "the net")));
        assertTrue(e.getMessage().startsWith("not saved: --checkpoint would replace " + npz + ", which is not a Babysitter"
                + " checkpoint"), e.getMessage());
        assertEquals("someone saved this while we trained", Files.readString(npz));
    }

    @Test
    void theProbeLeavesNothingBehind() throws IOException {
        CheckpointTarget.check(tmp.resolve("m.npz"), false, null);
        assertEquals(List.of(), listing());
    }
}
