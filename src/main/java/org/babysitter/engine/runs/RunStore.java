package org.babysitter.engine.runs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.babysitter.engine.diagnosis.Finding;
import org.babysitter.engine.io.AppFolders;
import org.babysitter.engine.io.AtomicFiles;
import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.RunHistory;
import org.babysitter.engine.metrics.RunReport;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.train.TrainConfig;

/**
 * A workspace folder's runs: one SQLite database, {@value #FILE}, in WAL mode (readers and the writer do not block
 * each other; a commit survives the process being killed), opened in-process through sqlite-jdbc: no server.
 * <p>
 * Runs are recorded by a {@link RunRecorder} ({@link #record}), whose reports one writer thread commits in batches
 * ({@link StoreWriter}). Every store that is open holds a lock on a file of its own, {@code owners/<token>.lock},
 * and stamps the runs it records with that token. Opening a store marks "interrupted" every running run whose owner's
 * lock can be taken, i.e. whose process is gone (the OS drops a killed process's locks); a run of a live process,
 * another JVM or this one, is left alone.
 * <p>
 * Deleting is soft ({@link #delete}, {@link #undelete}: the window's undo); {@link #purge} removes deleted runs for
 * good. Methods are safe from any thread (one reading connection, used under this object's lock).
 */
public final class RunStore implements AutoCloseable {
    /** The database's file name in the workspace folder. */
    public static final String FILE = "runs.db";
    /** The schema this code writes ({@code PRAGMA user_version}); a store with a higher one is refused. */
    public static final int SCHEMA = 1;
    private static final String OWNERS = "owners";
    /**
     * The owner tokens of the stores open in this JVM. Their lock files are never opened by another store here:
     * closing any channel on a file drops every lock this process holds on it (POSIX), the owner's own included.
     */
    private static final java.util.Set<String> OWNED_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final String[] TABLES = {
            "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, state TEXT NOT NULL,"
                    + " reason TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL, ended INTEGER, owner TEXT NOT NULL,"
                    + " data_name TEXT NOT NULL, data_checksum TEXT NOT NULL, preprocessing TEXT NOT NULL,"
                    + " net TEXT NOT NULL, net_json TEXT NOT NULL, train_json TEXT NOT NULL, rule TEXT NOT NULL,"
                    + " lr REAL NOT NULL, reg REAL NOT NULL, seed INTEGER NOT NULL, epochs INTEGER NOT NULL,"
                    + " epochs_done INTEGER NOT NULL DEFAULT 0, iterations INTEGER NOT NULL DEFAULT 0, best_val REAL,"
                    + " best_epoch INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '', deleted INTEGER,"
                    + " best_npz BLOB, best_json TEXT)",
            "CREATE TABLE tags (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, tag TEXT NOT NULL,"
                    + " PRIMARY KEY (run_id, tag)) WITHOUT ROWID",
            "CREATE TABLE iterations (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
                    + " iteration INTEGER NOT NULL, epoch REAL NOT NULL, loss REAL, lr REAL NOT NULL, reg REAL NOT NULL,"
                    + " ratios TEXT NOT NULL, elapsed INTEGER NOT NULL, reg_loss REAL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID",
            "CREATE TABLE epochs (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
                    + " epoch INTEGER NOT NULL, epochs INTEGER NOT NULL, iteration INTEGER NOT NULL, loss REAL,"
                    + " train_acc REAL NOT NULL, val_acc REAL, lr REAL NOT NULL, elapsed INTEGER NOT NULL,"
                    + " PRIMARY KEY (run_id, seq)) WITHOUT ROWID",
            "CREATE TABLE reports (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
                    + " kind TEXT NOT NULL, iteration INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID",
            "CREATE TABLE findings (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
                    + " iteration INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID",
            "CREATE TABLE data_checksums (path TEXT PRIMARY KEY, size INTEGER NOT NULL, modified INTEGER NOT NULL,"
                    + " sha256 TEXT NOT NULL)",
    };

    private final Path folder;
    private final Path file;
    private final Connection db;
    private final String owner;
    private final FileChannel ownerChannel;
    private final FileLock ownerLock;
    private StoreWriter writer;
    private boolean closed;

    private RunStore(Path folder, Connection db, String owner, FileChannel ownerChannel, FileLock ownerLock) {
        this.folder = folder;
        this.owner = owner;
        this.file = folder.resolve(FILE);
        this.db = db;
        this.ownerChannel = ownerChannel;
        this.ownerLock = ownerLock;
    }

    /** The default workspace: the OS's application-data folder for Babysitter ({@link AppFolders#home()}). */
    public static Path defaultFolder() {
        return AppFolders.home();
    }

    /** Opens the store in {@code folder}, creating the folder and the database if needed. */
    public static RunStore open(Path folder) throws IOException {
        return open(folder, true);
    }

    /** Opens an existing store; a folder without {@value #FILE} is an IOException saying so. */
    public static RunStore openExisting(Path folder) throws IOException {
        return open(folder, false);
    }

    private static RunStore open(Path folder, boolean create) throws IOException {
        Path file = folder.resolve(FILE);
        if (!create && !Files.isRegularFile(file)) {
            throw new IOException("no run store in " + folder + " (no " + FILE + "): record runs with train --store " + folder);
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a folder: a run store is a folder holding " + FILE);
        }
        if (Files.isRegularFile(file) && !isSqlite(file)) {
            throw new IOException(file + " is not a Babysitter run store (not an SQLite database)");
        }
        Files.createDirectories(folder.resolve(OWNERS));
        String token = UUID.randomUUID().toString();
        Connection db;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new IOException(file + ": cannot open: " + e.getMessage(), e);
        }
        FileChannel channel = null;
        try {
            prepare(db, file);
            channel = FileChannel.open(folder.resolve(OWNERS).resolve(token + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            OWNED_HERE.add(token);
            RunStore store = new RunStore(folder, db, token, channel, lock);
            store.markInterrupted();
            return store;
        } catch (SQLException e) {
            OWNED_HERE.remove(token);
            closeQuietly(db, channel);
            throw new IOException(file + " is not a usable run store: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            OWNED_HERE.remove(token);
            closeQuietly(db, channel);
            throw e;
        }
    }

    /** True if the file starts with SQLite's header (an empty file is one SQLite will make a database of). */
    private static boolean isSqlite(Path file) throws IOException {
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(magic.length);
            return head.length == 0 || java.util.Arrays.equals(head, magic);
        }
    }

    /** WAL mode, foreign keys, the schema made or checked. */
    private static void prepare(Connection db, Path file) throws SQLException, IOException {
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000"); // another process's commit: wait, do not fail
            int version;
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.getInt(1);
            }
            if (version > SCHEMA) {
                throw new IOException(file + " was written by a newer Babysitter (schema " + version + "; this one reads "
                        + SCHEMA + "): use that version, or another --store folder");
            }
            if (version == 0) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
                    if (rs.getInt(1) > 0) {
                        throw new IOException(file + " is not a Babysitter run store (an SQLite database with other tables)");
                    }
                }
            }
            st.execute("PRAGMA journal_mode = WAL");
            // in WAL mode NORMAL syncs at checkpoints only: a commit survives a killed process (not a power cut)
            st.execute("PRAGMA synchronous = NORMAL");
            st.execute("PRAGMA foreign_keys = ON");
            if (version == 0) {
                db.setAutoCommit(false);
                for (String table : TABLES) {
                    st.execute(table);
                }
                st.execute("PRAGMA user_version = " + SCHEMA);
                db.commit();
                db.setAutoCommit(true);
            }
        }
    }

    private static void closeQuietly(Connection db, FileChannel channel) {
        try {
            db.close();
        } catch (SQLException ignored) {
            // the original failure is what the caller hears about
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Marks "interrupted" the running runs whose owners are gone (their lock can be taken). */
    private synchronized void markInterrupted() throws SQLException, IOException {
        for (String o : strings("SELECT DISTINCT owner FROM runs WHERE state = 'running' AND owner <> ?", owner)) {
            if (alive(o)) {
                continue;
            }
            try (PreparedStatement st = db.prepareStatement("UPDATE runs SET state = 'interrupted', reason = ?"
                    + " WHERE state = 'running' AND owner = ?")) {
                st.setString(1, "its process ended without saying how the run ended (killed or crashed)");
                st.setString(2, o);
                st.executeUpdate();
            }
            Files.deleteIfExists(folder.resolve(OWNERS).resolve(o + ".lock"));
        }
    }

    /** True if the owner's lock file is locked by a live process (another, or another store in this JVM). */
    private boolean alive(String token) throws IOException {
        if (OWNED_HERE.contains(token)) {
            return true;
        }
        if (!token.matches("[0-9a-f-]{36}")) {
            return false;
        }
        Path lockFile = folder.resolve(OWNERS).resolve(token + ".lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM holds it (a store opened and closed here meanwhile): alive
        }
    }

    /** The workspace folder. */
    public Path folder() {
        return folder;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    // ---------------------------------------------------------------- recording

    /**
     * Starts recording a run: its row is written now (state running, owned by this store), the rest as the
     * recorder hears it.
     */
    public synchronized RunRecorder record(RunSpec spec) throws IOException {
        open();
        long id;
        try (PreparedStatement st = db.prepareStatement("INSERT INTO runs (name, state, created, owner, data_name,"
                + " data_checksum, preprocessing, net, net_json, train_json, rule, lr, reg, seed, epochs)"
                + " VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            TrainConfig t = spec.train();
            Object[] values = {spec.name(), System.currentTimeMillis(), owner, spec.data().name(), spec.data().checksum(),
                    spec.preprocessing(), spec.net().describe(), Codec.json(spec.net()), Codec.json(t), t.describeRule(),
                    t.learningRate(), t.reg(), t.seed(), t.epochs()};
            bind(st, values);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("record a run", e);
        }
        if (writer == null) {
            try {
                Connection w = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                try (Statement st = w.createStatement()) {
                    st.execute("PRAGMA busy_timeout = 10000");
                    st.execute("PRAGMA synchronous = NORMAL");
                }
                writer = new StoreWriter(w, file.toString());
            } catch (SQLException e) {
                throw failure("open the writer", e);
            }
        }
        return new RunRecorder(id, writer);
    }

    /**
     * The data's identity for a file or folder given as {@code --data}: SHA-256 of the file, or of a folder's files
     * (name and hash of each, in name order). Each file's hash is cached in the store by absolute path, size and
     * modification time, so the 170 MB archive is read once, not at every run.
     */
    public synchronized DataIdentity identify(String name, Path data) throws IOException {
        open();
        if (Files.isDirectory(data)) {
            MessageDigest all = DataIdentity.sha256();
            try (Stream<Path> files = Files.list(data)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    all.update((f.getFileName() + " " + fileHash(f) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return new DataIdentity(name, DataIdentity.hex(all.digest()));
        }
        return new DataIdentity(name, fileHash(data));
    }

    private String fileHash(Path f) throws IOException {
        String path = f.toAbsolutePath().normalize().toString();
        long size = Files.size(f);
        long modified = Files.getLastModifiedTime(f).toMillis();
        try {
            try (PreparedStatement st = db.prepareStatement("SELECT sha256 FROM data_checksums WHERE path = ? AND size = ?"
                    + " AND modified = ?")) {
                st.setString(1, path);
                st.setLong(2, size);
                st.setLong(3, modified);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            MessageDigest sha = DataIdentity.sha256();
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            String hash = DataIdentity.hex(sha.digest());
            try (PreparedStatement st = db.prepareStatement("INSERT OR REPLACE INTO data_checksums (path, size, modified, sha256)"
                    + " VALUES (?, ?, ?, ?)")) {
                st.setString(1, path);
                st.setLong(2, size);
                st.setLong(3, modified);
                st.setString(4, hash);
                st.executeUpdate();
            }
            return hash;
        } catch (SQLException e) {
            throw failure("look up the data's checksum", e);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * The runs, newest first; soft-deleted ones only if {@code withDeleted}. Runs whose process has gone since the
     * store was opened are marked interrupted first, so a panel that lists again sees a run killed meanwhile.
     */
    public synchronized List<RunSummary> list(boolean withDeleted) throws IOException {
        open();
        List<RunSummary> out = new ArrayList<>();
        try {
            markInterrupted();
        } catch (SQLException e) {
            throw failure("check the running runs", e);
        }
        try (PreparedStatement st = db.prepareStatement("SELECT * FROM runs" + (withDeleted ? "" : " WHERE deleted IS NULL")
                + " ORDER BY id DESC");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(summary(rs));
            }
        } catch (SQLException e) {
            throw failure("list the runs", e);
        }
        return out;
    }

    private RunSummary summary(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        return new RunSummary(id, rs.getString("name"), RunState.of(rs.getString("state")),
                Instant.ofEpochMilli(rs.getLong("created")), rs.getString("data_name"), rs.getString("net"),
                rs.getString("rule"), rs.getDouble("lr"), rs.getDouble("reg"), bestVal(Codec.real(rs, "best_val")),
                rs.getInt("epochs_done"), rs.getInt("epochs"), tags(id), rs.getString("note"),
                rs.getObject("deleted") != null);
    }

    private static double bestVal(double v) {
        return v < 0 ? Double.NaN : v;
    }

    private List<String> tags(long id) throws SQLException {
        return strings("SELECT tag FROM tags WHERE run_id = ? ORDER BY tag", id);
    }

    /** The first column of a query's rows, as text. */
    private List<String> strings(String sql, Object... values) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement(sql)) {
            bind(st, values);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement st, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            st.setObject(i + 1, values[i]);
        }
    }

    /** Everything stored of run {@code id} (deleted or not); an unknown id is an IllegalArgumentException. */
    public synchronized RunDetail detail(long id) throws IOException {
        open();
        try (PreparedStatement st = db.prepareStatement("SELECT * FROM runs WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw unknown(id);
                }
                Object ended = rs.getObject("ended");
                return new RunDetail(summary(rs), rs.getString("reason"),
                        ended == null ? null : Instant.ofEpochMilli(((Number) ended).longValue()),
                        Codec.JSON.readValue(rs.getString("net_json"), NetConfig.class),
                        Codec.JSON.readValue(rs.getString("train_json"), TrainConfig.class), rs.getString("preprocessing"),
                        new DataIdentity(rs.getString("data_name"), rs.getString("data_checksum")), rs.getInt("iterations"),
                        rs.getInt("best_epoch"), rs.getObject("best_json") != null, findings(id), history(id));
            }
        } catch (SQLException e) {
            throw failure("read run " + id, e);
        }
    }

    /** What the assistant said about run {@code id}, in order. */
    public synchronized List<Finding> findings(long id) throws IOException {
        List<Finding> out = new ArrayList<>();
        try (PreparedStatement st = db.prepareStatement("SELECT json FROM findings WHERE run_id = ? ORDER BY seq")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(Codec.JSON.readValue(rs.getString(1), Finding.class));
                }
            }
        } catch (SQLException e) {
            throw failure("read run " + id + "'s findings", e);
        }
        return out;
    }

    /**
     * Reopens run {@code id}: a {@link RunHistory} that heard every stored report in the order the run made them, so a
     * window redraws every chart from it as if it had watched the run.
     */
    public synchronized RunHistory history(long id) throws IOException {
        open();
        requireRun(id);
        Map<Long, RunReport> reports = new TreeMap<>();
        try {
            try (PreparedStatement st = db.prepareStatement("SELECT * FROM iterations WHERE run_id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        reports.put(rs.getLong("seq"), new IterationMetrics(rs.getInt("iteration"), rs.getDouble("epoch"),
                                Codec.real(rs, "loss"), rs.getDouble("lr"), rs.getDouble("reg"), Codec.ratios(rs.getString("ratios")),
                                rs.getLong("elapsed"), Codec.real(rs, "reg_loss")));
                    }
                }
            }
            try (PreparedStatement st = db.prepareStatement("SELECT * FROM epochs WHERE run_id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        reports.put(rs.getLong("seq"), new EpochMetrics(rs.getInt("epoch"), rs.getInt("epochs"),
                                rs.getInt("iteration"), Codec.real(rs, "loss"), rs.getDouble("train_acc"),
                                Codec.real(rs, "val_acc"), rs.getDouble("lr"), rs.getLong("elapsed")));
                    }
                }
            }
            try (PreparedStatement st = db.prepareStatement("SELECT seq, kind, json FROM reports WHERE run_id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        reports.put(rs.getLong(1), Codec.report(rs.getString(2), rs.getString(3)));
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("read run " + id + "'s reports", e);
        }
        RunHistory history = new RunHistory();
        reports.values().forEach(r -> r.deliverTo(history));
        return history;
    }

    /** The kept parameters of run {@code id} as a checkpoint's .npz bytes, or null if none were stored. */
    public synchronized byte[] bestNpz(long id) throws IOException {
        return best(id, "best_npz") instanceof byte[] b ? b : null;
    }

    /** The .json beside {@link #bestNpz}, or null. */
    public synchronized String bestJson(long id) throws IOException {
        return best(id, "best_json") instanceof String s ? s : null;
    }

    private Object best(long id, String column) throws IOException {
        open();
        requireRun(id);
        try (PreparedStatement st = db.prepareStatement("SELECT " + column + " FROM runs WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return column.equals("best_npz") ? rs.getBytes(1) : rs.getString(1);
            }
        } catch (SQLException e) {
            throw failure("read run " + id + "'s parameters", e);
        }
    }

    // ---------------------------------------------------------------- changing

    public synchronized void rename(long id, String name) throws IOException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a run's name cannot be empty");
        }
        change(id, "UPDATE runs SET name = ? WHERE id = ?", name.strip(), id);
    }

    /** Adds tags (a tag already there stays once). */
    public synchronized void tag(long id, List<String> tags) throws IOException {
        requireRun(id);
        for (String t : tags) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("a tag cannot be empty");
            }
            change(id, "INSERT OR IGNORE INTO tags (run_id, tag) VALUES (?, ?)", id, t.strip());
        }
    }

    public synchronized void untag(long id, String tag) throws IOException {
        requireRun(id);
        change(id, "DELETE FROM tags WHERE run_id = ? AND tag = ?", id, tag);
    }

    /** Replaces the run's note ("" clears it). */
    public synchronized void note(long id, String text) throws IOException {
        change(id, "UPDATE runs SET note = ? WHERE id = ?", text == null ? "" : text, id);
    }

    /** Soft delete: the run leaves the list, and comes back with {@link #undelete}. */
    public synchronized void delete(long id) throws IOException {
        change(id, "UPDATE runs SET deleted = ? WHERE id = ?", System.currentTimeMillis(), id);
    }

    public synchronized void undelete(long id) throws IOException {
        change(id, "UPDATE runs SET deleted = NULL WHERE id = ?", id);
    }

    /** Removes every soft-deleted run for good, with everything it recorded; returns how many. */
    public synchronized int purge() throws IOException {
        open();
        try (PreparedStatement st = db.prepareStatement("DELETE FROM runs WHERE deleted IS NOT NULL AND state <> 'running'")) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw failure("purge deleted runs", e);
        }
    }

    private void change(long id, String sql, Object... values) throws IOException {
        open();
        requireRun(id);
        try (PreparedStatement st = db.prepareStatement(sql)) {
            bind(st, values);
            st.executeUpdate();
        } catch (SQLException e) {
            throw failure("change run " + id, e);
        }
    }

    private void requireRun(long id) throws IOException {
        try (PreparedStatement st = db.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw unknown(id);
                }
            }
        } catch (SQLException e) {
            throw failure("find run " + id, e);
        }
    }

    private IllegalArgumentException unknown(long id) {
        return new IllegalArgumentException("no run " + id + " in " + file + " (runs list shows the ids)");
    }

    // ---------------------------------------------------------------- export

    /** The files {@link #export} writes for run {@code id} into {@code folder}. */
    public synchronized List<Path> exportFiles(long id, Path folder) throws IOException {
        List<Path> files = new ArrayList<>(List.of(folder.resolve("run-" + id + ".csv"), folder.resolve("run-" + id + ".json")));
        if (bestJson(id) != null) {
            files.add(folder.resolve("run-" + id + "-best.npz"));
            files.add(folder.resolve("run-" + id + "-best.json"));
        }
        return files;
    }

    /**
     * Writes run {@code id} into {@code folder} as one unit (all files or none, {@link AtomicFiles#writeAll}): its
     * metrics as {@code run-ID.csv} (the charts' CSV, {@link RunHistory#toCsv}), {@code run-ID.json} (configs, data,
     * summary, findings) and, if stored, the kept parameters as the checkpoint {@code run-ID-best.npz} with its
     * {@code .json}. An existing file is replaced only with {@code overwrite}. Returns the files written.
     */
    public synchronized List<Path> export(long id, Path folder, boolean overwrite) throws IOException {
        RunDetail d = detail(id);
        List<Path> files = exportFiles(id, folder);
        if (!overwrite) {
            for (Path f : files) {
                if (Files.exists(f)) {
                    throw new IOException(f + " exists: export into another folder, or replace with --overwrite");
                }
            }
        }
        String csv = d.history().toCsv();
        String json = Codec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summaryJson(d)) + System.lineSeparator();
        List<AtomicFiles.Part> parts = new ArrayList<>();
        parts.add(new AtomicFiles.Part(files.get(0), out -> out.write(csv.getBytes(StandardCharsets.UTF_8))));
        parts.add(new AtomicFiles.Part(files.get(1), out -> out.write(json.getBytes(StandardCharsets.UTF_8))));
        if (files.size() == 4) {
            byte[] npz = bestNpz(id);
            byte[] bestJson = bestJson(id).getBytes(StandardCharsets.UTF_8);
            parts.add(new AtomicFiles.Part(files.get(2), out -> out.write(npz)));
            parts.add(new AtomicFiles.Part(files.get(3), out -> out.write(bestJson)));
        }
        AtomicFiles.writeAll(parts);
        return files;
    }

    private static ObjectNode summaryJson(RunDetail d) {
        RunSummary s = d.summary();
        ObjectNode node = Codec.JSON.createObjectNode();
        node.put("format", "Babysitter run 1");
        node.put("id", s.id());
        node.put("name", s.name());
        node.put("state", s.state().word());
        node.put("reason", d.reason());
        node.put("created", s.created().toString());
        node.put("ended", d.ended() == null ? null : d.ended().toString());
        node.set("tags", Codec.JSON.valueToTree(s.tags()));
        node.put("note", s.note());
        ObjectNode data = node.putObject("data");
        data.put("name", d.data().name());
        data.put("checksum", d.data().checksum());
        data.put("preprocessing", d.preprocessing());
        node.set("net", Codec.JSON.valueToTree(d.netConfig()));
        node.set("train", Codec.JSON.valueToTree(d.trainConfig()));
        ObjectNode summary = node.putObject("summary");
        summary.put("iterations", d.iterations());
        summary.put("epochsDone", s.epochsDone());
        summary.put("epochs", s.epochs());
        summary.put("bestEpoch", d.bestEpoch());
        summary.put("bestValAccuracy", s.bestVal());
        List<EpochMetrics> epochs = d.history().epochs();
        if (!epochs.isEmpty()) {
            summary.put("lastLoss", epochs.get(epochs.size() - 1).loss());
        }
        ArrayNode findings = node.putArray("findings");
        for (Finding f : d.findings()) {
            ObjectNode fn = Codec.JSON.valueToTree(f);
            fn.put("line", f.line());
            findings.add(fn);
        }
        return node;
    }

    // ---------------------------------------------------------------- closing

    private void open() {
        if (closed) {
            throw new IllegalStateException("the run store " + file + " is closed");
        }
    }

    private IOException failure(String what, SQLException e) {
        return new IOException(file + ": could not " + what + ": " + e.getMessage(), e);
    }

    /** Flushes the writer (every recorder's reports are committed), closes the database, releases the owner lock. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failed = null;
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException e) {
            failed = e;
        }
        try {
            if (writer != null) {
                writer.closeConnection();
            }
            db.close();
        } catch (SQLException e) {
            failed = failed != null ? failed : failure("close", e);
        }
        ownerLock.release();
        ownerChannel.close();
        OWNED_HERE.remove(owner);
        Files.deleteIfExists(folder.resolve(OWNERS).resolve(owner + ".lock"));
        if (failed != null) {
            throw failed;
        }
    }
}
