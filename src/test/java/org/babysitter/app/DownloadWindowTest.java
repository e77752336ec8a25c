package org.babysitter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.babysitter.app.session.DownloadChoice;
import org.babysitter.app.session.DownloadRequest;
import org.babysitter.engine.data.ArchiveServer;
import org.babysitter.engine.data.CifarArchives;
import org.babysitter.engine.data.Download;
import org.babysitter.engine.io.AppFolders;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * File > Download CIFAR-10... against a local HTTP server serving a generated archive: downloaded, verified and opened;
 * a corrupt download deleted with a message and the data before kept; a cancel keeping the .part and the next try
 * resuming it; "use a file I already have"; the dialog's own fields.
 */
class DownloadWindowTest extends WindowTest {
    private static final String NAME = Download.Archive.BINARY.name();

    @Start
    void start(Stage stage) {
        open(stage);
    }

    private void loaded() throws Exception {
        waitFor("built-in data loaded", () -> session.data().view().loadedProperty().get());
    }

    private String source() throws Exception {
        return fx(() -> session.data().view().sourceProperty().get());
    }

    private void fetch(ArchiveServer server, Path folder) {
        dialogs.downloadChoice = new DownloadChoice.Fetch(new DownloadRequest(server.archive(), folder, server.mirror()));
    }

    @Test
    void theDataPanelsButtonDownloadsVerifiesAndOpensTheArchive(FxRobot robot) throws Exception {
        loaded();
        Path folder = tmp.resolve("data");
        try (ArchiveServer server = new ArchiveServer(NAME, CifarArchives.standard())) {
            fetch(server, folder);
            robot.clickOn("#download-data");
            waitFor("the downloaded archive loaded", () -> source().contains(NAME));
            assertEquals(AppFolders.data(), dialogs.offeredDownload.folder(), "the application's data folder is offered first");
            assertEquals(Download.Archive.BINARY, dialogs.offeredDownload.archive());
            String status = fx(() -> session.statusProperty().get());
            assertTrue(status.startsWith("Verified the archive's MD5 and loaded"), status);
            assertTrue(fx(() -> session.data().view().splitProperty().get()).equals("45 train / 5 val / 10 test"),
                    fx(() -> session.data().view().splitProperty().get()));
            assertTrue(java.util.Arrays.equals(server.content, Files.readAllBytes(folder.resolve(NAME))));
            assertFalse(Files.exists(folder.resolve(NAME + ".part")));
            assertEquals(folder.resolve(NAME), fx(() -> session.data().path()), "a run records the archive it trains on");
            // a second time: verified where it is, not fetched again
            int requests = server.ranges.size();
            robot.clickOn("#download-data");
            waitFor("opened again", () -> !fx(() -> session.data().view().loadingProperty().get())
                    && fx(() -> session.statusProperty().get()).startsWith("Verified"));
            assertEquals(requests, server.ranges.size(), "no request for a verified archive");
        }
        robot.clickOn("#start");
        waitFor("training on the downloaded data", () -> fx(() -> window.charts().lossCount()) >= 3);
    }

    @Test
    void aCorruptDownloadIsDeletedWithAMessageAndTheDataBeforeStays(FxRobot robot) throws Exception {
        loaded();
        String before = source();
        Path folder = tmp.resolve("data");
        try (ArchiveServer server = new ArchiveServer(NAME, CifarArchives.standard())) {
            server.corruptAt = 200;
            fetch(server, folder);
            robot.clickOn("File").clickOn("#menu-download");
            waitFor("error dialog", () -> robot.lookup("#notice-dialog").tryQuery().isPresent());
            DialogPane pane = robot.lookup("#notice-dialog").queryAs(DialogPane.class);
            assertEquals("Cannot download CIFAR-10", pane.getHeaderText());
            String text = pane.getContentText();
            assertTrue(text.contains("MD5") && text.contains(server.md5()) && text.contains("deleted"), text);
            assertTrue(text.contains("stays"), text);
            assertFalse(Files.exists(folder.resolve(NAME)));
            assertFalse(Files.exists(folder.resolve(NAME + ".part")), "a corrupt download is deleted");
            assertEquals(before, source());
        }
    }

    @Test
    void aCancelKeepsThePartAndTheNextDownloadGoesOnFromIt(FxRobot robot) throws Exception {
        loaded();
        String before = source();
        Path folder = tmp.resolve("data");
        try (ArchiveServer server = new ArchiveServer(NAME, CifarArchives.random(600, 20, 5))) {
            server.slowMillis = 40; // 8 KB per 40 ms: the 1.8 MB take ~9 s, time to cancel
            fetch(server, folder);
            robot.clickOn("#download-data");
            waitFor("progress with speed and ETA", () -> {
                String m = fx(() -> session.data().view().loadMessageProperty().get());
                return m.contains("MB/s") && m.contains("ETA") && fx(() -> session.data().view().loadProgressProperty().get()) > 0.05;
            });
            robot.clickOn("#cancel-load");
            waitFor("cancelled", () -> !fx(() -> session.data().view().loadingProperty().get()));
            String status = fx(() -> session.statusProperty().get());
            assertTrue(status.startsWith("Download cancelled") && status.contains(NAME + ".part"), status);
            assertEquals(before, source(), "the data before stays");
            Path part = folder.resolve(NAME + ".part");
            assertTrue(Files.exists(part));
            long kept = Files.size(part);
            assertTrue(kept > 0 && kept < server.content.length, kept + " bytes kept");

            server.slowMillis = 0;
            robot.clickOn("#download-data");
            waitFor("the resumed archive loaded", () -> source().contains(NAME));
            String last = server.ranges.get(server.ranges.size() - 1);
            assertTrue(last.startsWith("bytes=") && Long.parseLong(last.substring(6, last.indexOf('-'))) >= kept,
                    "resumed with a range request: " + server.ranges);
            assertTrue(java.util.Arrays.equals(server.content, Files.readAllBytes(folder.resolve(NAME))));
        }
    }

    @Test
    void useAFileIAlreadyHaveOpensTheFileChooser(FxRobot robot) throws Exception {
        loaded();
        Path archive = tmp.resolve("mine.tar.gz");
        Files.write(archive, CifarArchives.standard());
        dialogs.downloadChoice = new DownloadChoice.UseFileIHave();
        dialogs.dataFile = archive;
        robot.clickOn("File").clickOn("#menu-download");
        waitFor("my archive loaded", () -> source().contains("mine.tar.gz"));
    }

    @Test
    void theDialogSaysWhatWillHappenAndChecksTheMirror(FxRobot robot) throws Exception {
        loaded();
        Path folder = Files.createDirectories(tmp.resolve("data"));
        Files.write(folder.resolve(Download.Archive.PYTHON.name() + ".part"), new byte[2_500_000]);
        try (ArchiveServer server = new ArchiveServer(Download.Archive.PYTHON.name(), CifarArchives.standard())) {
            dialogs.realDownloadDialog = true;
            robot.clickOn("#download-data");
            waitFor("the dialog", () -> robot.lookup("#download-folder").tryQuery().isPresent());
            Label state = robot.lookup("#download-state").queryAs(Label.class);
            Button go = robot.lookup("#download-go").queryAs(Button.class);
            assertTrue(state.getText().startsWith("Downloaded into " + AppFolders.data().resolve(NAME)), state.getText());
            TextField f = robot.lookup("#download-folder").queryAs(TextField.class);
            TextField m = robot.lookup("#download-mirror").queryAs(TextField.class);
            assertEquals(Download.OFFICIAL_MIRROR, m.getText());
            fx(() -> {
                f.setText(folder.toString());
                m.setText("ftp://example.org/");
                return null;
            });
            robot.clickOn("#download-python");
            WaitForAsyncUtils.waitForFxEvents();
            assertTrue(go.isDisabled(), "an ftp mirror cannot be used");
            assertTrue(state.getText().contains("http:// or https://"), state.getText());
            fx(() -> {
                m.setText(server.mirror());
                return null;
            });
            assertFalse(go.isDisabled());
            assertTrue(state.getText().contains("2.5 MB of an earlier try"), state.getText());
            robot.clickOn(go);
            // the python archive from that mirror, checked against the official MD5: the served one is not it
            waitFor("error dialog", () -> robot.lookup("#notice-dialog").tryQuery().isPresent());
            String text = robot.lookup("#notice-dialog").queryAs(DialogPane.class).getContentText();
            assertTrue(text.contains("not the official " + Download.Archive.PYTHON.md5()), text);
            assertTrue(server.ranges.stream().anyMatch(r -> r.equals("bytes=2500000-")), "resumed the part: " + server.ranges);
        }
    }
}
