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
import io.mcpagent.api.runtime.Problem;

/**
 * Writes each batch in one transaction on one long-lived connection. When the connection fails, or H2 cannot write
 * its file, it reconnects and tries the batch again, waiting longer each time (up to {@link #MAX_BACKOFF}), and is a
 * problem meanwhile ({@link #problems}); when a statement fails otherwise it writes the
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
    /** Since when and why batches cannot be written, while the writer keeps trying; null while they can. */
    private volatile Outage outage;

    private record Outage(Instant since, String why, boolean cannotWriteFile) {
        /** What the database does not do, as the log and the problem say it. */
        static String state(boolean cannotWriteFile) {
            return cannotWriteFile ? "cannot write its file" : "is unreachable";
        }
    }

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
                writable();
                return;
            } catch (SQLException e) {
                // an embedded file closed under the writer (another connection let go of it) cannot be written either
                boolean cannotWriteFile = database.cannotWriteFile(e) || !database.writesToFile(connection);
                if (!cannotWriteFile && !Database.isConnectionProblem(e) && connectionAlive()) {
                    failure = e;
                    break;
                }
                if (cannotWriteFile) {
                    database.letGoOfFiles(connection);
                }
                closeConnection();
                String what = Outage.state(cannotWriteFile);
                String why = Text.oneLine(database.describe(e));
                if (giveUp.getAsBoolean()) {
                    LOG.error("the history database {} {} and the history is stopping: {} events are lost ({})",
                            database.safeUrl(), what, events.size(), why);
                    return;
                }
                // the first failure's time, the last one's cause: an outage may change its kind as it goes on
                outage = new Outage(outage == null ? clock.instant() : outage.since(), why, cannotWriteFile);
                LOG.warn("the history database {} {} ({}); {} events wait, tried again in {} s", database.safeUrl(),
                        what, why, events.size(), backoff.toSeconds());
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
            skipped.skipped(event, why, failure instanceof SQLException ? null : failure);
            return;
        }
        for (ExecutionEvent event : events) {
            write(List.of(event), giveUp);
        }
    }

    /** Whether batches wait for a database that cannot be written now: the writer reaches no barrier meanwhile. */
    boolean waitingForDatabase() {
        return outage != null;
    }

    /** Ends an outage once a batch is written again. */
    private void writable() {
        Outage ended = outage;
        if (ended != null) {
            outage = null;
            LOG.info("the history database {} is written to again; the events kept since {} are written",
                    database.safeUrl(), ended.since());
        }
    }

    /**
     * The problem of a database the writer cannot write to now and keeps trying, none while it can: the events wait in
     * memory, where a stop loses them, and steps beyond the queue's capacity are dropped.
     */
    List<Problem> problems() {
        Outage current = outage;
        if (current == null) {
            return List.of();
        }
        String url = database.safeUrl();
        String state = Outage.state(current.cannotWriteFile());
        String remedy = current.cannotWriteFile() ? "Make the file writable (a full disk, a read-only file system,"
                + " its permissions or attributes?); the history writes what waits once it can, nothing needs"
                + " restarting" : "The history writes what waits once the database answers";
        return List.of(new Problem(SkippedEvents.SOURCE, url, "the history database " + url + " " + state
                + " since " + current.since() + " (" + current.why() + "): the events since wait in memory, are lost"
                + " if the runtime stops before they are written, and steps beyond writeQueueCapacity are dropped. "
                + remedy, current.since()));
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
            if (database.cannotWriteFile(e)) {
                database.letGoOfFiles(connection);
            }
            if (Database.isConnectionProblem(e) || database.cannotWriteFile(e)) {
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
            database.writeThrough(current);
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
