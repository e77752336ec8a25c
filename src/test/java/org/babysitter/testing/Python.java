package org.babysitter.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Finding a python for the tests that check our files and figures against numpy or torch. */
public final class Python {
    private Python() {
    }

    /** Debian's /usr/bin/python3 or the python3 on the PATH, whichever first imports {@code module}; null if neither. */
    public static String with(String module) {
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import " + module).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
