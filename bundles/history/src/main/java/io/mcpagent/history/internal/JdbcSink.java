package io.mcpagent.history.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * Writes each batch in one transaction on one long-lived connection. When the connection fails it reconnects and
 * tries the batch again, waiting longer each time (up to {@link #MAX_BACKOFF}); when a statement fails it writes the
 * batch's events one by one, so that a single bad event is skipped (see {@link SkippedEvents}) without losing its
 * neighbours.
 */
final class JdbcSink implements BatchSink {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);

    private final Database database;
    private final EventRecorder recorder;
    private final HistoryStore store;
    private final Clock clock;
    private volatile int retentionDays;
    private final AuditStore audit;
    private volatile int auditRetentionDays;
    private final SkippedEvents skipped;
    /** Why nothing may be purged now (the configuration file is refused), or empty. */
    private final Supplier<Optional<String>> purgeHeld;
    private Connection connection;

    /**
     * @param connection an open connection to use first (the one that prepared the schema), or null
     * @param purgeHeld  asked before each purge: why nothing may be purged now, or empty
     */
    JdbcSink(Database database, Connection connection, EventRecorder recorder, HistoryStore store, Clock clock,
             int retentionDays, AuditStore audit, int auditRetentionDays, Supplier<Optional<String>> purgeHeld) {
        this.database = database;
        this.connection = connection;
        this.recorder = recorder;
        this.store = store;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.audit = audit;
        this.auditRetentionDays = auditRetentionDays;
        this.skipped = new SkippedEvents(database.safeUrl(), clock);
        this.purgeHeld = purgeHeld;
    }

    /** The events this sink skipped, as a problem once there is one. */
    SkippedEvents skipped() {
        return skipped;
    }

    /** The retention of the next purges. */
    void retain(int retentionDays, int auditRetentionDays) {
        this.retentionDays = retentionDays;
        this.auditRetentionDays = auditRetentionDays;
    }

    @Override
    public void write(List<ExecutionEvent> events, BooleanSupplier giveUp) {
        Duration backoff = FIRST_BACKOFF;
        Exception failure;
        while (true) {
            try {
                transaction(events);
                return;
            } catch (SQLException e) {
                if (!Database.isConnectionProblem(e) && connectionAlive()) {
                    failure = e;
                    break;
                }
                closeConnection();
                if (giveUp.getAsBoolean()) {
                    LOG.error("the history database {} is unreachable and the history is stopping: {} events are lost ({})",
                            database.safeUrl(), events.size(), database.describe(e));
                    return;
                }
                LOG.warn("the history database {} is unreachable ({}); trying again in {} s", database.safeUrl(),
                        database.describe(e), backoff.toSeconds());
                if (!sleep(backoff)) {
                    LOG.error("the history writer was interrupted: {} events are lost", events.size());
                    return;
                }
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        if (events.size() == 1) {
            ExecutionEvent event = events.get(0);
            String why = failure instanceof SQLException sql ? database.describe(sql) : failure.toString();
            skipped.skipped(event, why, failure instanceof SQLException ? null : failure, writingFailed(failure));
            return;
        }
        for (ExecutionEvent event : events) {
            write(List.of(event), giveUp);
        }
    }

    /**
     * Whether the database could not write its file (a full disk, a read-only file system, its permissions), as H2's
     * MVStore says it ({@code Writing to <file> failed; ...}), rather than could not read a page of it.
     */
    static boolean writingFailed(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("Writing to ") && message.contains(" failed")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void purge() {
        if (retentionDays > 0 || auditRetentionDays > 0) {
            Optional<String> held = purgeHeld.get();
            if (held.isPresent()) {
                // the defaults or the earlier file's retention may delete what the refused file was to keep
                LOG.warn("nothing is purged from the execution history while its configuration file is refused:"
                        + " repair it ({})", held.get());
                return;
            }
        }
        try {
            if (retentionDays > 0) {
                Instant cutoff = clock.instant().minus(Duration.ofDays(retentionDays));
                int purged = store.purgeFinishedBefore(connection(), cutoff);
                if (purged > 0) {
                    LOG.info("purged {} executions that finished before {} (retentionDays = {})", purged, cutoff,
                            retentionDays);
                }
            }
            if (auditRetentionDays > 0) {
                Instant cutoff = clock.instant().minus(Duration.ofDays(auditRetentionDays));
                int purged = audit.purgeBefore(connection(), cutoff);
                if (purged > 0) {
                    LOG.info("purged {} audit log entries older than {} (auditRetentionDays = {})", purged, cutoff,
                            auditRetentionDays);
                }
            }
        } catch (SQLException e) {
            LOG.warn("purging the history database {} failed; it is tried again later: {}", database.safeUrl(),
                    database.describe(e));
            if (Database.isConnectionProblem(e)) {
                closeConnection();
            }
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    private void transaction(List<ExecutionEvent> events) throws SQLException {
        Connection current = connection();
        try {
            for (ExecutionEvent event : events) {
                recorder.record(current, event);
            }
            recorder.endBatch(current);
            current.commit();
            recorder.committed();
        } catch (SQLException | RuntimeException e) {
            rollback(current);
            recorder.rolledBack();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection opened = database.connection();
            opened.setAutoCommit(false);
            connection = opened;
        }
        return connection;
    }

    private boolean connectionAlive() {
        try {
            return connection != null && connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed; the connection is replaced", e);
        }
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the history database connection failed", e);
        }
        connection = null;
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
