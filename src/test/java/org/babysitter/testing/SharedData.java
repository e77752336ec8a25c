package org.babysitter.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real CIFAR-10 in ../shared/data, beside the clone (CI has it; a user's fresh clone may not). Tests that
 * need it call {@link #require} and are skipped, not failed, when it is absent.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String prop = System.getProperty("babysitter.shared");
        return Path.of(prop != null ? prop : "../shared").toAbsolutePath().normalize();
    }

    /** {@code ../shared/data/<relative>}, or the test is skipped. */
    public static Path require(String relative) {
        Path p = root().resolve("data").resolve(relative);
        assumeTrue(Files.exists(p), "real CIFAR-10 not found at " + p + ": skipped");
        return p;
    }
}
