package io.mcpagent.history.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

import org.h2.api.ErrorCode;

/**
 * What a failure to open the history's database comes from: the one rule for the advice its message gives and for
 * whether {@link HistoryRecovery} tries the start again. Before, every such message advised to check jdbcUrl, user and
 * the password, also for a database that was not running or a host name that did not resolve.
 */
enum OpenFailure {
    /** The host's name does not resolve (yet): a database container starting, its DNS entry not there yet. */
    UNKNOWN_HOST,
    /** The database refused the connection, did not answer in time, or is starting up. */
    UNREACHABLE,
    /** The database refused the user or the password. */
    AUTHENTICATION,
    /** An embedded database whose file cannot be written ({@link UnwritableFileException}). */
    UNWRITABLE_FILE,
    /** Anything else: a malformed URL, a setting, a damaged file, a missing driver. */
    OTHER;

    /** PostgreSQL's cannot_connect_now: the server is starting up or shutting down. */
    private static final String STARTING_UP = "57P03";
    private static final String SETTINGS = "(.password, passwordEnv or passwordFile) of " + HistoryComponent.PID;

    /** The kind of the failure, from any exception in its chain of causes. */
    static OpenFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnwritableFileException) {
                return UNWRITABLE_FILE;
            }
        }
        if (unknownHost(failure) != null) {
            return UNKNOWN_HOST;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof SocketTimeoutException
                    || cause instanceof NoRouteToHostException || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals(STARTING_UP))) {
                return UNREACHABLE;
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // class 28: invalid authorization (H2's wrong user or password, PostgreSQL's 28P01 and 28000)
            if (cause instanceof SQLException sql && (sql.getSQLState() != null && sql.getSQLState().startsWith("28")
                    || sql.getErrorCode() == ErrorCode.WRONG_PASSWORD_FORMAT
                    || sql.getErrorCode() == ErrorCode.FILE_ENCRYPTION_ERROR_1)) {
                return AUTHENTICATION;
            }
        }
        return OTHER;
    }

    /** The host whose name did not resolve, when that is the cause; null otherwise. */
    static String unknownHost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownHostException unknown) {
                return String.valueOf(unknown.getMessage());
            }
        }
        return null;
    }

    /** Whether it may go away without a change of the configuration. */
    boolean canHeal() {
        return this == UNKNOWN_HOST || this == UNREACHABLE || this == UNWRITABLE_FILE;
    }

    /** What the history cannot do, for the log of a start that fails so. */
    String cannot() {
        return this == UNWRITABLE_FILE ? "cannot write its database's file" : "cannot reach its database";
    }

    /** What a start that fails so waits for. */
    String awaited() {
        return this == UNWRITABLE_FILE ? "its database can write its file" : "its database answers";
    }

    /**
     * What the operator should check, for the message of {@code failure} when {@code url} (secrets masked) could not
     * be opened.
     */
    String advice(Throwable failure, String url) {
        return switch (this) {
            case UNKNOWN_HOST -> "check the host name " + unknownHost(failure) + " in jdbcUrl of " + HistoryComponent.PID
                    + " (a database container's name resolves once the container runs)";
            case UNREACHABLE -> {
                String server = server(url);
                yield "is the database " + (server == null ? "" : "at " + server + " ") + "running, and can this host"
                        + " reach it? Check that, and the host and port in jdbcUrl of " + HistoryComponent.PID;
            }
            case AUTHENTICATION -> "check user and the password " + SETTINGS;
            case UNWRITABLE_FILE -> "make the database's file writable";
            case OTHER -> "check jdbcUrl, user and the password " + SETTINGS;
        };
    }

    /**
     * The host and port of a database server URL ({@code jdbc:postgresql://host[:port]/...},
     * {@code jdbc:h2:tcp://host[:port]/...}), with the driver's default port when it names none; null for another URL
     * (an embedded H2 database).
     */
    static String server(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        String rest;
        int defaultPort;
        if (lower.startsWith("jdbc:postgresql:")) {
            rest = url.substring("jdbc:postgresql:".length());
            defaultPort = 5432;
        } else if (lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")) {
            rest = url.substring("jdbc:h2:tcp:".length());
            defaultPort = 9092;
        } else {
            return null;
        }
        if (!rest.startsWith("//")) {
            return "localhost:" + defaultPort; // jdbc:postgresql:database
        }
        rest = rest.substring(2);
        int end = 0;
        while (end < rest.length() && "/?;".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String hosts = rest.substring(0, end);
        if (hosts.isEmpty()) {
            return "localhost:" + defaultPort;
        }
        // several hosts, or one with its port (an IPv6 address is bracketed): as written
        boolean hasPort = hosts.contains(",") || hosts.lastIndexOf(':') > hosts.lastIndexOf(']');
        return hasPort ? hosts : hosts + ":" + defaultPort;
    }
}
