package io.mcpagent.history.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

import io.mcpagent.api.security.Secrets;

/**
 * The history's database: H2 or PostgreSQL through their own DataSource classes (DriverManager does not see classes
 * of other bundles in OSGi). Messages name the URL with its secrets masked, never the password.
 */
final class Database {
    private static final String H2 = "jdbc:h2:";
    private static final String POSTGRESQL = "jdbc:postgresql:";

    private final DataSource dataSource;
    private final String safeUrl;
    private final boolean embedded;
    private final String password;

    private Database(DataSource dataSource, String safeUrl, boolean embedded, String password) {
        this.dataSource = dataSource;
        this.safeUrl = safeUrl;
        this.embedded = embedded;
        this.password = password;
    }

    /**
     * Opens a first connection to prove the settings work.
     *
     * @throws IllegalStateException naming the URL (secrets masked) and what to do, when the URL is not supported,
     *                               the PostgreSQL driver is not installed, or the database cannot be opened
     */
    static Database open(String url, String user, String password) {
        String safeUrl = Secrets.redact(url);
        DataSource dataSource;
        if (url.startsWith(H2)) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user.isEmpty() ? "sa" : user);
            h2.setPassword(password);
            dataSource = h2;
        } else if (url.startsWith(POSTGRESQL)) {
            dataSource = postgres(url, user, password, safeUrl);
        } else {
            throw new IllegalStateException("jdbcUrl " + safeUrl + " of " + HistoryComponent.PID + " names a database "
                    + "the history does not support: use jdbc:h2:... (embedded) or jdbc:postgresql://host:port/database");
        }
        Database database = new Database(dataSource, safeUrl, isEmbedded(url), password);
        try {
            database.connection().close();
            return database;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the history database " + safeUrl + ": " + database.describe(e)
                    + "; check jdbcUrl, user and the password (.password, passwordEnv or passwordFile) of "
                    + HistoryComponent.PID, e);
        }
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
        String message = Secrets.redact(String.valueOf(e.getMessage()));
        if (password.length() >= 4) {
            message = message.replace(password, Secrets.MASK);
        }
        return e.getSQLState() == null ? message : message + " (SQL state " + e.getSQLState() + ")";
    }

    /** True when the failure is the connection's rather than the statement's: worth reconnecting and trying again. */
    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || (state != null && state.startsWith("08"));
    }
}
