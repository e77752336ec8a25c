package org.babysitter.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application-data folder on each OS, the overrides, and an earlier version's ~/.babysitter kept. */
class AppFoldersTest {
    @TempDir
    Path home;

    @Test
    void eachOsHasItsApplicationDataFolder() {
        assertEquals(home.resolve(".local/share/babysitter"), AppFolders.home("Linux", Map.of(), home, null));
        assertEquals(Path.of("/data/me/babysitter"), AppFolders.home("Linux", Map.of("XDG_DATA_HOME", "/data/me"), home, null));
        assertEquals(home.resolve(".local/share/babysitter"), AppFolders.home("Linux", Map.of("XDG_DATA_HOME", "rel"), home, null),
                "a relative XDG_DATA_HOME is ignored, as the spec says");
        assertEquals(home.resolve("Library/Application Support/Babysitter"), AppFolders.home("Mac OS X", Map.of(), home, null));
        assertEquals(Path.of("C:/Users/me/AppData/Roaming").resolve("Babysitter"),
                AppFolders.home("Windows 11", Map.of("APPDATA", "C:/Users/me/AppData/Roaming"), home, null));
        assertEquals(home.resolve("AppData/Roaming/Babysitter"), AppFolders.home("Windows 10", Map.of(), home, null));
    }

    @Test
    void theOverridesComeFirstAndAnEarlierVersionsStoreIsKept() throws IOException {
        assertEquals(Path.of("/elsewhere"), AppFolders.home("Linux", Map.of("BABYSITTER_HOME", "/env"), home, "/elsewhere"));
        assertEquals(Path.of("/env"), AppFolders.home("Linux", Map.of("BABYSITTER_HOME", "/env"), home, null));
        Files.createDirectories(home.resolve(".babysitter"));
        assertEquals(home.resolve(".local/share/babysitter"), AppFolders.home("Linux", Map.of(), home, null),
                "an empty ~/.babysitter is not a store to keep");
        Files.writeString(home.resolve(".babysitter/runs.db"), "");
        assertEquals(home.resolve(".babysitter"), AppFolders.home("Linux", Map.of(), home, null));
        assertEquals(home.resolve(".babysitter"), AppFolders.home("Mac OS X", Map.of(), home, null));
    }
}
