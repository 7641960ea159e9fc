package io.mcpagent.history.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.SecretMasker;

/**
 * The execution history: listens to every execution event, queues it without blocking the publisher, and has one
 * writer thread record it in the database; answers queries from the same database, after the writes submitted
 * before the query are done. On activation, executions the previous run left QUEUED or RUNNING become INTERRUPTED.
 * <p>
 * A database that cannot be used fails the activation: the history never writes to another database than the one
 * configured. A wrong {@link Upkeep} value is refused instead (see {@link GuardedConfiguration}): the history runs on
 * the default upkeep settings, but purges nothing while the refusal lasts, since the default retention could delete
 * what the operator meant to keep. A change of the configuration restarts the component.
 */
@Component(service = {ExecutionHistory.class, ExecutionListener.class, AuditLog.class, ProblemReporter.class},
        configurationPid = HistoryComponent.PID)
@Designate(ocd = HistoryConfig.class)
public final class HistoryComponent implements ExecutionHistory, ExecutionListener, AuditLog, ProblemReporter {
    static final String PID = "io.mcpagent.history";
    static final String INTERRUPTED_ERROR = "the process stopped while this execution ran";
    /** How long a query waits for the writes submitted before it. */
    static final Duration READ_WAIT = Duration.ofSeconds(10);
    /** How long deactivation waits for the queue to be written to a database that does not answer. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(HistoryComponent.class);

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Database database;
    private final HistoryStore store;
    private final AuditStore audit;
    private final DroppedSteps dropped = new DroppedSteps();
    private final HistoryWriter writer;
    private final List<Problem> refusals;
    /** Masks configured secrets too, in text stored and read; absent, by pattern alone. */
    private final AtomicReference<SecretMasker> masker = new AtomicReference<>();

    @Activate
    public HistoryComponent(BundleContext context, HistoryConfig config) {
        this(config, context::getProperty, System::getenv, Clock.systemUTC());
    }

    /**
     * @param properties  framework properties
     * @param environment environment variables
     * @throws IllegalStateException when the database cannot be used: the message names the URL and what to do
     */
    HistoryComponent(HistoryConfig config, Function<String, String> properties, Function<String, String> environment,
                     Clock clock) {
        this(config, checkedUpkeep(config), properties, environment, clock);
    }

    private HistoryComponent(HistoryConfig config, GuardedConfiguration<HistoryConfig, Upkeep> upkeep,
                             Function<String, String> properties, Function<String, String> environment, Clock clock) {
        this(Settings.of(config, upkeep.problems().isEmpty() ? upkeep.settings() : upkeep.settings().keepingEverything(),
                properties, environment), upkeep.problems(), clock);
    }

    /**
     * @param refusals the refusal of the configuration's upkeep settings, if they were refused
     * @throws IllegalStateException when the database cannot be used: the message names the URL and what to do
     */
    HistoryComponent(Settings settings, List<Problem> refusals, Clock clock) {
        this.refusals = List.copyOf(refusals);
        this.database = Database.open(settings.jdbcUrl(), settings.user(), settings.password());
        Text text = new Text(value -> SecretMasker.orPatterns(masker.get()).mask(value));
        this.audit = new AuditStore(text);
        Json json = new Json(text);
        this.store = new HistoryStore(json, text);
        Connection connection = prepare(settings, clock);
        EventRecorder recorder = new EventRecorder(store, json, text, dropped, settings.nodeId());
        JdbcSink sink = new JdbcSink(database, connection, recorder, store, clock, settings.retentionDays(), audit,
                settings.auditRetentionDays());
        this.writer = new HistoryWriter(sink, dropped, settings.writeQueueCapacity(), settings.purgeInterval(), clock);
        writer.start();
        LOG.info("execution history in {}, keeping finished executions {}", database.safeUrl(),
                settings.retentionDays() == 0 ? "forever" : "for " + settings.retentionDays() + " days");
        if (!this.refusals.isEmpty()) {
            LOG.warn("nothing is purged from the execution history while configuration {} is refused: repair "
                    + "etc/{}.cfg.json", PID, PID);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMasker(SecretMasker secretMasker) {
        masker.set(secretMasker);
    }

    void unbindMasker(SecretMasker secretMasker) {
        masker.compareAndSet(secretMasker, null); // a later bind of another masker stays
    }

    /** The upkeep settings of {@code config}, or its refusal (logged) and the defaults. */
    private static GuardedConfiguration<HistoryConfig, Upkeep> checkedUpkeep(HistoryConfig config) {
        GuardedConfiguration<HistoryConfig, Upkeep> upkeep =
                new GuardedConfiguration<>(PID, HistoryConfig.class, Upkeep::from, LOG::error, LOG::info);
        upkeep.update(config);
        return upkeep;
    }

    /** The refusal of the configuration this component started with, if it was refused. */
    @Override
    public List<Problem> problems() {
        return refusals;
    }

    /** Creates the schema and marks what the last run left QUEUED or RUNNING; returns the connection for the writer. */
    private Connection prepare(Settings settings, Clock clock) {
        Connection connection = null;
        try {
            connection = database.connection();
            Schema.ensure(connection);
            connection.setAutoCommit(false);
            // an embedded database was this process's alone; a shared one holds other nodes' running executions
            String node = database.embedded() ? null : settings.nodeId();
            int interrupted = store.interruptRunning(connection, clock.instant(), INTERRUPTED_ERROR, node);
            connection.commit();
            if (interrupted > 0) {
                LOG.warn("{} executions were running when the process stopped; they are marked INTERRUPTED", interrupted);
            }
            return connection;
        } catch (SQLException e) {
            close(connection);
            throw new IllegalStateException("cannot prepare the history database " + database.safeUrl() + ": "
                    + database.describe(e), e);
        } catch (RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        writer.stop(STOP_WAIT);
    }

    @Override
    public void onEvent(ExecutionEvent event) {
        String executionId = event.executionId();
        if (executionId != null) {
            writer.submit(event, EventRecorder.droppable(event));
        }
    }

    @Override
    public Optional<ExecutionRecord> find(String executionId) {
        Objects.requireNonNull(executionId, "executionId");
        return read(connection -> store.find(connection, executionId));
    }

    @Override
    public List<ExecutionStep> steps(String executionId) {
        Objects.requireNonNull(executionId, "executionId");
        return read(connection -> store.steps(connection, executionId));
    }

    @Override
    public List<ExecutionRecord> query(HistoryQuery query) {
        Objects.requireNonNull(query, "query");
        return read(connection -> store.query(connection, query));
    }

    @Override
    public long count(HistoryQuery query) {
        Objects.requireNonNull(query, "query");
        return read(connection -> store.count(connection, query));
    }

    @Override
    public int purgeFinishedBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        return read(connection -> store.purgeFinishedBefore(connection, cutoff));
    }

    /** Written at once on its own connection, not through the writer's queue: an audit entry is never dropped. */
    @Override
    public void record(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        try (Connection connection = database.connection()) {
            audit.insert(connection, entry);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the audit log to " + database.safeUrl() + ": "
                    + database.describe(e), e);
        }
    }

    /** Waits like the history's queries: for the writer's purges too, so what retention dropped is never read. */
    @Override
    public List<AuditEntry> query(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        return read(connection -> audit.query(connection, query));
    }

    @Override
    public long count(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        return read(connection -> audit.count(connection, query));
    }

    /** Steps dropped because the write queue was full, since activation. */
    long droppedSteps() {
        return dropped.count();
    }

    /**
     * Waits until every event received before this call is written (or could not be), at most {@code timeout}.
     *
     * @return false when the wait timed out or was interrupted
     */
    boolean awaitWritten(Duration timeout) {
        return writer.awaitWritten(timeout);
    }

    private <T> T read(Query<T> query) {
        if (!awaitWritten(READ_WAIT)) {
            LOG.debug("reading the history before the writer caught up (waited {})", READ_WAIT);
        }
        try (Connection connection = database.connection()) {
            return query.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the history database " + database.safeUrl() + " failed: "
                    + database.describe(e), e);
        }
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a connection that failed to prepare the database failed too", e);
        }
    }
}
