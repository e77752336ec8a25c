package org.babysitter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import picocli.CommandLine.Option;

/**
 * A search across machines' shared secret, from a file or an environment variable, never from the command line (which
 * every user of the machine can read in the process list and the shell's history). {@code worker} and
 * {@code search --cluster} take it the same way.
 */
final class SecretOptions {
    @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the shared secret from FILE (its first line).")
    Path file;

    @Option(names = "--secret-env", paramLabel = "VAR", description = "Read the shared secret from the environment variable VAR.")
    String env;

    /** The secret; a group- or world-readable file is read with a warning on {@code err}. */
    String read(PrintWriter err) throws IOException {
        if (env != null) {
            String s = System.getenv(env);
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("--secret-env: the environment variable " + env + " is not set");
            }
            return s.strip();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new IllegalArgumentException("--secret-file: " + file + " is empty");
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("warning: " + file + " can be read by other users of this machine (chmod 600 it)");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return lines.get(0).strip();
    }
}
