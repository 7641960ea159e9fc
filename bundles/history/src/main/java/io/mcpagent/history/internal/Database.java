package io.mcpagent.history.internal;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.security.Secrets;

/**
 * The history's database: H2 or PostgreSQL through their own DataSource classes (DriverManager does not see classes
 * of other bundles in OSGi). Messages name the URL with its secrets masked, never the password.
 */
final class Database {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String H2 = "jdbc:h2:";
    private static final String H2_MEMORY = "jdbc:h2:mem:";
    private static final String POSTGRESQL = "jdbc:postgresql:";

    /** Failures of the read-only open that say nothing about the file's content: the settings, or another user. */
    private static final Set<Integer> NOT_THE_FILE = Set.of(ErrorCode.WRONG_USER_OR_PASSWORD, ErrorCode.WRONG_PASSWORD_FORMAT, ErrorCode.FILE_ENCRYPTION_ERROR_1,
            ErrorCode.UNSUPPORTED_CIPHER, ErrorCode.UNSUPPORTED_SETTING_1, ErrorCode.DUPLICATE_PROPERTY_1,
            ErrorCode.URL_FORMAT_ERROR_2);

    private final DataSource dataSource;
    private final String safeUrl;
    private final boolean embedded;
    /** The file of an embedded H2 database, its real path; null for any other. */
    private final Path file;
    private final String password;
    /** An H2 database kept in files, embedded or in a server: not one in memory. */
    private final boolean h2Files;
    /** False once H2 refused this user a CHECKPOINT ({@link #writeThrough}). */
    private volatile boolean writesThrough = true;

    private Database(DataSource dataSource, String safeUrl, boolean embedded, Path file, String password,
                     boolean h2Files) {
        this.dataSource = dataSource;
        this.safeUrl = safeUrl;
        this.embedded = embedded;
        this.file = file;
        this.password = password;
        this.h2Files = h2Files;
    }

    /**
     * Opens a first connection to prove the settings work.
     *
     * @throws IllegalStateException naming the URL (secrets masked) and what to do, when the URL is not supported,
     *                               the PostgreSQL driver is not installed, or the database cannot be opened
     */
    static Database open(String url, String user, String password) {
        return open(url, user, password, null);
    }

    /**
     * Opens a first connection to prove the settings work, while this process uses {@code inUse}: the file of an
     * embedded H2 database that one has open is not checked for damage (see {@link #refuseDamagedFile}), since it
     * reads it, and a second descriptor on the file, closed again, would release this process's lock on it.
     *
     * @throws IllegalStateException as {@link #open(String, String, String)}
     */
    static Database open(String url, String user, String password, Database inUse) {
        String safeUrl = Secrets.redact(url);
        DataSource dataSource;
        Path file = isFile(url) ? realFile(url) : null;
        if (url.startsWith(H2)) {
            if (file != null && (inUse == null || !file.equals(inUse.file))) {
                refuseDamagedFile(url, user, password, safeUrl);
            }
            dataSource = h2(url, user, password);
        } else if (url.startsWith(POSTGRESQL)) {
            dataSource = postgres(url, user, password, safeUrl);
        } else {
            throw new IllegalStateException("jdbcUrl " + safeUrl + " of " + HistoryComponent.PID + " names a database "
                    + "the history does not support: use jdbc:h2:... (embedded) or jdbc:postgresql://host:port/database");
        }
        Database database = new Database(dataSource, safeUrl, isEmbedded(url), file, password,
                url.startsWith(H2) && !url.regionMatches(true, 0, H2_MEMORY, 0, H2_MEMORY.length()));
        try {
            database.connection().close();
            return database;
        } catch (SQLException e) {
            if (file != null && e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw inUseElsewhere(safeUrl, dataFile(url), e);
            }
            if (database.cannotWriteFile(e)) {
                throw database.unwritable(e);
            }
            throw new IllegalStateException("cannot open the history database " + safeUrl + ": " + database.describe(e)
                    + "; " + OpenFailure.of(e).advice(e, safeUrl), e);
        }
    }

    private static JdbcDataSource h2(String url, String user, String password) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser(user.isEmpty() ? "sa" : user);
        h2.setPassword(password);
        return h2;
    }

    /**
     * H2 replaces a file in which it finds no chunk it can read with an empty database, silently: every execution
     * and the audit log would be lost. Opened read-only first, such a file fails instead (H2 would have to write the
     * empty database), and stays untouched; the history then refuses to start, and the operator decides. Any other
     * failure of the read-only open refuses too: a file H2 cannot read read-only (cut short, pages H2 trips over)
     * would otherwise go to the real open, which writes to it even when it then fails. An empty file (0 bytes) holds
     * nothing to lose: the real open starts a new history in it.
     *
     * @throws IllegalStateException naming the URL and the file, and what to do, when the file exists and H2 cannot
     *                               open it read-only
     */
    private static void refuseDamagedFile(String url, String user, String password, String safeUrl) {
        if (isEmpty(dataFile(url))) {
            // a crash before the first write (or a power cut on some file systems) leaves 0 bytes: nothing to lose
            LOG.warn("the history database file {} is empty (0 bytes); a new"
                    + " history is started in it", dataFile(url));
            return;
        }
        try {
            openReadOnly(url, user, password);
        } catch (SQLException e) {
            int code = e.getErrorCode();
            if (code == ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1) {
                return;
            }
            String file = dataFile(url);
            if (code == ErrorCode.DATABASE_IS_READ_ONLY || code == ErrorCode.FILE_CORRUPTED_1) {
                throw new IllegalStateException("the history database " + safeUrl + " is damaged: H2 can read no data"
                        + " in its file " + file + " and would replace it with an empty database, losing every"
                        + " execution and the audit log. The file is left as it is and the history does not start:"
                        + " restore the file from a backup, or move it aside (keep it: org.h2.tools.Recover may save"
                        + " data from it) to start an empty history, then restart the bundle io.mcpagent.history", e);
            }
            if (code == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw inUseElsewhere(safeUrl, file, e);
            }
            String reason = describe(e, password).replace(ClosingFilePath.SCHEME + ":", "");
            if (NOT_THE_FILE.contains(code)) {
                throw new IllegalStateException("cannot open the history database " + safeUrl + ": " + reason
                        + "; the file " + file + " is left as it is; " + OpenFailure.of(e).advice(e, safeUrl)
                        + ", and that nothing else uses the file: another process, or another connection of this one",
                        e);
            }
            throw new IllegalStateException("the history database " + safeUrl + " cannot be read: H2 fails to open its"
                    + " file " + file + " read-only (" + reason + "): the file is damaged or unreadable. The file is"
                    + " left as it is and the history does not start: check the file and its disk, restore the file"
                    + " from a backup, or move it aside (keep it: org.h2.tools.Recover may save data from it) to"
                    + " start an empty history, then restart the bundle io.mcpagent.history", e);
        }
    }

    /**
     * H2's refusal of a file whose lock another process holds ("Database may be already in use"), said plainly: not a
     * wrong setting, and not tried again, since that process is alive and may keep the file as long as it runs. A lock
     * of this process is not the cause: the history closes what it opened (see {@link #close()},
     * {@link ClosingFilePath}).
     */
    private static IllegalStateException inUseElsewhere(String safeUrl, String file, SQLException e) {
        return new IllegalStateException("the history database " + safeUrl + " cannot be opened: its file " + file
                + " is in use by another process, and H2 lets one process at a time use a file (another runtime"
                + " whose data folder is this one, or an H2 tool such as its Console or Shell). The file is left as it"
                + " is and the history does not start: stop that process, or give jdbcUrl of " + HistoryComponent.PID
                + " a file of its own, then restart the bundle io.mcpagent.history", e);
    }

    /**
     * Opens the file read-only and closes it again, through {@link ClosingFilePath}, so that a failure leaves the file
     * closed. IFEXISTS: a file that does not exist yet is a new history, which the real open creates. SHUTDOWN: the
     * URL's settings (a DB_CLOSE_DELAY) would keep the check's database open in H2, and the next check would find it
     * open and read nothing of the file.
     */
    private static void openReadOnly(String url, String user, String password) throws SQLException {
        ClosingFilePath.closingWhatItOpens(() -> {
            try (Connection connection = h2(H2 + ClosingFilePath.SCHEME + ":" + fileOf(url)
                    + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE", user, password).getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                // a user without admin rights may not SHUTDOWN: the check's files are closed all the same, below; it
                // was refused as a file damaged or unreadable
                if (e.getErrorCode() != ErrorCode.ADMIN_RIGHTS_REQUIRED) {
                    throw e;
                }
            }
        });
    }

    /** An embedded H2 database in a file (not in memory). */
    private static boolean isFile(String url) {
        return isEmbedded(url) && !url.regionMatches(true, 0, H2_MEMORY, 0, H2_MEMORY.length());
    }

    /** The data file of an embedded H2 URL, its real path when it exists (however the URL spells it). */
    private static Path realFile(String url) {
        Path file = Path.of(dataFile(url)).toAbsolutePath().normalize();
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file; // not there (yet): a new history
        }
    }

    private static boolean isEmpty(String file) {
        try {
            return Files.size(Path.of(file)) == 0;
        } catch (IOException | RuntimeException e) {
            return false; // missing or unreadable: the read-only open says which
        }
    }

    /** The data file of an embedded H2 database in a file, its real path when it exists; empty for any other URL. */
    static Optional<Path> h2DataFile(String url) {
        return isFile(url) ? Optional.of(realFile(url)) : Optional.empty();
    }

    /** The data file of this database when it is an embedded H2 one in a file; empty for any other. */
    Optional<Path> h2DataFile() {
        return Optional.ofNullable(file);
    }

    /** The file of an embedded H2 URL ({@code jdbc:h2:[file:]<path>[;settings]}): {@code <path>.mv.db}. */
    private static String dataFile(String url) {
        int settings = url.indexOf(';');
        return fileOf(settings < 0 ? url : url.substring(0, settings)) + ".mv.db";
    }

    /** The embedded H2 URL without {@code jdbc:h2:} and {@code file:}: {@code <path>[;settings]}. */
    private static String fileOf(String url) {
        String path = url.substring(H2.length());
        return path.regionMatches(true, 0, "file:", 0, 5) ? path.substring(5) : path;
    }

    private static DataSource postgres(String url, String user, String password, String safeUrl) {
        try {
            return PostgresDataSources.create(url, user, password);
        } catch (LinkageError e) {
            throw new IllegalStateException("jdbcUrl " + safeUrl + " names a PostgreSQL database, but the PostgreSQL JDBC "
                    + "driver is not installed: install the bundle org.postgresql.jdbc (Maven org.postgresql:postgresql "
                    + "42.7.x), then refresh the bundle io.mcpagent.history or restart", e);
        } catch (IllegalArgumentException e) {
            // the driver's message repeats the URL, password and all: masked, and not kept as the cause
            throw new IllegalStateException("jdbcUrl " + safeUrl + " is not a valid PostgreSQL URL ("
                    + Secrets.redact(e.getMessage()) + "): use jdbc:postgresql://host:port/database");
        }
    }

    /** An H2 database in this process's files, which no other process can use (not a server, no AUTO_SERVER). */
    private static boolean isEmbedded(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        return upper.startsWith(H2.toUpperCase(Locale.ROOT)) && !upper.startsWith("JDBC:H2:TCP:")
                && !upper.startsWith("JDBC:H2:SSL:") && !upper.replace(" ", "").contains("AUTO_SERVER=TRUE");
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Refuses, reading only, a database the history cannot prepare ({@link Schema#check}), and one that refuses this
     * user the statements that prepare it ({@link Schema#rehearse}, rolled back), then closes it as {@link #close}
     * does, while the check's connection is still open: an embedded file is opened once for both.
     *
     * @throws IllegalStateException as {@link Schema#check}, or when the database refuses the reads or the rehearsal
     */
    void checkAndClose() {
        try (Connection connection = connection()) {
            try {
                checkWritable(connection);
                Schema.check(connection, safeUrl);
                Schema.rehearse(connection);
            } finally {
                close();
            }
        } catch (SQLException e) {
            throw cannotPrepare(e);
        }
    }

    /** A start that failed on a file H2 cannot write: it is tried again until it can ({@link OpenFailure}). */
    private UnwritableFileException unwritable(SQLException e) {
        // one line: the status shows a failure's first (H2 puts its statement on a line of its own)
        return unwritable(Text.oneLine(describe(e)), e);
    }

    private UnwritableFileException unwritable(String reason, Throwable cause) {
        return new UnwritableFileException("the history database " + safeUrl + " cannot write its file"
                + (file == null ? "" : " " + file) + " (" + reason + "): make it writable (a full disk, a read-only"
                + " file system, its permissions or attributes?); the history starts once it can", cause);
    }

    /**
     * Refuses an embedded file H2 opened read-only, as it does a file it cannot write (an immutable file, a read-only
     * file system), where reads and the rehearsal pass: the history's start then failed, once for each consumer.
     */
    private void checkWritable(Connection connection) throws SQLException {
        if (file == null) {
            return;
        }
        try (Statement statement = connection.createStatement(); ResultSet readOnly = statement.executeQuery(
                "SELECT READONLY()")) {
            if (readOnly.next() && readOnly.getBoolean(1)) {
                throw unwritable("H2 opened it read-only", null);
            }
        }
    }

    /**
     * The failure of a statement that prepares the database for the history, or checks that it can be; for a right the
     * user lacks (PostgreSQL's SQLState 42501, H2's 90096), which to grant; for a file H2 cannot write, an
     * {@link UnwritableFileException}.
     */
    IllegalStateException cannotPrepare(SQLException e) {
        if (cannotWriteFile(e)) {
            return unwritable(e);
        }
        boolean lacksRight = "42501".equals(e.getSQLState()) || e.getErrorCode() == ErrorCode.NOT_ENOUGH_RIGHTS_FOR_1;
        return new IllegalStateException("cannot prepare the history database " + safeUrl + ": " + describe(e)
                + (lacksRight ? "; the user of " + HistoryComponent.PID + " may not create or alter the history's"
                + " tables: grant it CREATE on the schema and make it the owner of the tables where they exist"
                + " (PostgreSQL asks for both even where nothing is to be created), or give user of "
                + HistoryComponent.PID + " one that may" : ""), e);
    }

    /**
     * Closes an embedded H2 file that H2 keeps open after its last connection (a {@code DB_CLOSE_DELAY} of -1 or a
     * delay, from the URL or stored in the file by an earlier URL), once no one in this process uses it any more: H2
     * held it, and the file's lock within this JVM, so the next start in this process (the bundle restarted or
     * refreshed, a move back to it) read "Database may be already in use". The delay is set to 0 rather than the
     * database shut down: H2 then closes it as its last connection closes, this one or one still at work (a query
     * under way, another URL of the same file the history moved to), which a SHUTDOWN would cut off. Never throws.
     */
    void close() {
        if (file == null) {
            return;
        }
        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            String delay;
            try (ResultSet rows = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'DB_CLOSE_DELAY'")) {
                delay = rows.next() ? rows.getString(1) : "0";
            }
            if (!"0".equals(delay)) {
                statement.execute("SET DB_CLOSE_DELAY 0");
            }
        } catch (SQLException e) {
            LOG.warn("closing the history database {} failed; H2 may keep its file open in this process until it"
                    + " exits: {}", safeUrl, describe(e));
        }
    }

    /** True when only this process uses the database, so every unfinished execution in it was this process's. */
    boolean embedded() {
        return embedded;
    }

    /** The JDBC URL with secrets masked, for messages. */
    String safeUrl() {
        return safeUrl;
    }

    /** What went wrong, with secrets masked. */
    String describe(SQLException e) {
        return describe(e, password);
    }

    private static String describe(SQLException e, String password) {
        String message = Secrets.redact(String.valueOf(e.getMessage()));
        if (password.length() >= 4) {
            message = message.replace(password, Secrets.MASK);
        }
        String said = (e.getSQLState() == null ? message : message + " (SQL state " + e.getSQLState() + ")")
                + fileSystemSaid(e);
        // the host whose name did not resolve: PostgreSQL's message says only that the connection failed
        return said + Optional.ofNullable(OpenFailure.unknownHost(e))
                .filter(host -> !said.contains(UnknownHostException.class.getName()))
                .map(host -> ": the host " + host + " is not known (yet): its name does not resolve").orElse("");
    }

    /**
     * Whether H2 could not write the database's file (a full disk, a read-only file system, the file's permissions or
     * attributes): its store's {@code Writing to <file> failed}, or {@code The database is read only}, as H2 opens a
     * file it cannot write. Once a write failed H2 takes commits into memory only, and loses them as it closes: see
     * {@link #letGoOfFiles}.
     */
    boolean cannotWriteFile(SQLException e) {
        return h2Files && (e.getErrorCode() == ErrorCode.DATABASE_IS_READ_ONLY || writingFailed(e));
    }

    /**
     * What the file system said to a write H2 could not make ("No space left on device"), which H2's own message leaves
     * out; empty for any other failure.
     */
    private static String fileSystemSaid(SQLException e) {
        if (!writingFailed(e)) {
            return "";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io && io.getMessage() != null) {
                return ": the file system said " + io.getMessage();
            }
        }
        return "";
    }

    /**
     * Whether an embedded H2 database still writes its file, asked after a statement failed: once a write failed, its
     * store fails what follows with errors of any kind ({@code General error}, {@code Database is already closed} once
     * another connection let go of it), which must not be taken for a bad event and skipped. True for any other
     * database, and without a connection.
     */
    boolean writesToFile(Connection connection) {
        if (file == null || connection == null) {
            return true;
        }
        try {
            writeThrough(connection);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Whether the failure is H2's store failing to write its file ({@code Writing to <file> failed; ...}). */
    static boolean writingFailed(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("Writing to ") && message.contains(" failed")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes H2 close the database at once, writing nothing ({@code SHUTDOWN IMMEDIATELY} on {@code connection}), after
     * it could not write its file ({@link #cannotWriteFile}): it went on taking commits into memory, which read as
     * recorded and were lost as it closed, even once the file could be written again. The next connection opens the
     * file afresh, with what it holds; readers' connections break, and their next ones open it anew. Never throws.
     */
    void letGoOfFiles(Connection connection) {
        if (connection == null) {
            return; // the open failed: H2 has no database of the file open
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException e) {
            LOG.debug("shutting down the history database {} after a failed write failed", safeUrl, e);
        }
    }

    /**
     * Makes H2 write what is committed to its file now ({@code CHECKPOINT}), rather than within its write delay (half
     * a second), so that a failure to write is known before a commit counts as stored: H2 tells it at the next commit
     * only, and the commits between are lost (see {@link #letGoOfFiles}). Nothing for any other database, whose commit
     * is durable.
     */
    void writeThrough(Connection connection) throws SQLException {
        if (!h2Files || !writesThrough) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            if (e.getErrorCode() != ErrorCode.ADMIN_RIGHTS_REQUIRED) {
                throw e;
            }
            // a user H2 gives no admin rights may not CHECKPOINT: the history records on, as before write-through
            writesThrough = false;
            LOG.warn("the user of the history database {} has no admin rights, which H2 asks for to write a commit"
                    + " through to the file: commits reach it within H2's write delay (half a second), so a write"
                    + " that fails is told one commit late and the commits between are lost; give the user admin"
                    + " rights (or use the default database) to have each batch written through", safeUrl);
        }
    }

    /** True when the failure is the connection's rather than the statement's: worth reconnecting and trying again. */
    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || (state != null && state.startsWith("08"));
    }
}
