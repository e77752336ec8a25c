package org.babysitter.engine.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where Babysitter keeps what it writes for a user, in the folder each OS has for an application's data, never the
 * current directory: Linux {@code $XDG_DATA_HOME/babysitter} (else {@code ~/.local/share/babysitter}), macOS
 * {@code ~/Library/Application Support/Babysitter}, Windows {@code %APPDATA%\Babysitter}. A {@code ~/.babysitter} made
 * by an earlier version, holding a run store, is kept where it is. {@code -Dbabysitter.home=DIR} or
 * {@code BABYSITTER_HOME} puts it elsewhere. The workspace (the run store) is this folder; downloads go to
 * {@link #data}.
 */
public final class AppFolders {
    /** The folder an earlier version used, in the user's home. */
    static final String LEGACY = ".babysitter";

    private AppFolders() {
    }

    /** This machine's folder (system properties, environment, OS). */
    public static Path home() {
        return home(System.getProperty("os.name", ""), System.getenv(), Path.of(System.getProperty("user.home")),
                System.getProperty("babysitter.home"));
    }

    /** Where downloaded data goes by default: {@code data} in {@link #home()}. */
    public static Path data() {
        return home().resolve("data");
    }

    /**
     * The folder for an OS named {@code osName} with environment {@code env} and home {@code userHome};
     * {@code override} (the system property, may be null) first, then {@code BABYSITTER_HOME}, then an earlier
     * version's {@code ~/.babysitter} if it holds a run store, then the OS's application-data folder.
     */
    static Path home(String osName, Map<String, String> env, Path userHome, String override) {
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String fromEnv = env.get("BABYSITTER_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        Path legacy = userHome.resolve(LEGACY);
        if (Files.exists(legacy.resolve("runs.db"))) {
            return legacy;
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            return (appData != null && !appData.isBlank() ? Path.of(appData) : userHome.resolve("AppData").resolve("Roaming"))
                    .resolve("Babysitter");
        }
        if (os.startsWith("mac")) {
            return userHome.resolve("Library").resolve("Application Support").resolve("Babysitter");
        }
        String xdg = env.get("XDG_DATA_HOME");
        // the XDG spec: a relative XDG_DATA_HOME is invalid and ignored
        return (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : userHome.resolve(".local").resolve("share")).resolve("babysitter");
    }
}
