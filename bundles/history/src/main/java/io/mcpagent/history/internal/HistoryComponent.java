package io.mcpagent.history.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.api.workflow.Execution;

/**
 * The execution history: listens to every execution event, queues it without blocking the publisher, and has one
 * writer thread record it in the database; answers queries from the same database, after the writes submitted
 * before the query are done. On activation, executions the previous run left QUEUED or RUNNING become INTERRUPTED;
 * those the workflow engine of this process still runs (the history bundle alone was refreshed) stay as they are,
 * those it finished meanwhile get the outcome it holds ({@link OutcomeFollowUp}, which also takes the outcome of the
 * ones running on, should the engine publish it before it binds this), and one marked that sends an event afterwards
 * (the engine did not list it yet) is RUNNING again.
 * <p>
 * A database that cannot be used fails the activation: the history never writes to another database than the one
 * configured. A wrong {@link Upkeep} value is refused instead (see {@link GuardedConfiguration}): the history runs on
 * the upkeep settings in force before (the defaults on activation), but purges nothing while the refusal lasts, since
 * that retention could delete what the operator meant to keep.
 * <p>
 * A change of the configuration is applied while the component stays registered ({@link #modified(HistoryConfig)}),
 * so that no event published meanwhile is lost and no execution still running is taken for one a stopped process left
 * behind: the upkeep settings in place; other database settings by moving to that database (see {@link #moveTo}),
 * or, when it cannot be opened, by refusing them and saying so while the history goes on in the database it uses.
 * <p>
 * It starts disabled: {@link HistoryRecovery} enables it once its database answers (see its {@code firstStart}), so
 * that its consumers do not each activate it while the database is down.
 */
@Component(service = {ExecutionHistory.class, ExecutionListener.class, AuditLog.class, ProblemReporter.class},
        configurationPid = HistoryComponent.PID, enabled = false)
@Designate(ocd = HistoryConfig.class)
public final class HistoryComponent implements ExecutionHistory, ExecutionListener, AuditLog, ProblemReporter {
    static final String PID = "io.mcpagent.history";
    static final String INTERRUPTED_ERROR = "the process stopped while this execution ran";
    /** The error of an execution the process left waiting for admission: it never ran. */
    static final String INTERRUPTED_WAITING_ERROR = "the process stopped while this execution waited for admission"
            + " (it never ran)";
    /** The error of an execution left in the database the history moved away from; the new database's URL follows. */
    static final String MOVED_ERROR = "the history moved to another database while this execution ran: its later steps"
            + " and its outcome are recorded in ";
    /** How long a query waits for the writes submitted before it. */
    static final Duration READ_WAIT = Duration.ofSeconds(10);
    /** How long deactivation waits for the queue to be written to a database that does not answer. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(HistoryComponent.class);

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The database in use, with the settings it was opened with and the writer that records to it. */
    private record Backend(Settings settings, Database database, JdbcSink sink, HistoryWriter writer) {
        Backend with(Settings changed) {
            return new Backend(changed, database, sink, writer);
        }
    }

    /** Where the configuration refusal listeners are found; null outside a framework. */
    private final BundleContext context;
    private final Function<String, String> properties;
    private final Function<String, String> environment;
    private final Clock clock;
    /** Asked on activation which unfinished executions this process runs, or has finished meanwhile. */
    private final EngineExecutions engine;
    private final GuardedConfiguration<HistoryConfig, Upkeep> upkeep =
            new GuardedConfiguration<>(PID, HistoryConfig.class, Upkeep::from, LOG::error, LOG::info);
    private final HistoryStore store;
    private final AuditStore audit;
    private final Json json;
    private final Text text;
    private final DroppedSteps dropped = new DroppedSteps();
    /** Masks configured secrets too, in text stored and read; absent, by pattern alone. */
    private final AtomicReference<SecretMasker> masker = new AtomicReference<>();
    private volatile Backend backend;
    /** The outcomes of the executions the engine held on activation, which it may publish before it binds this. */
    private OutcomeFollowUp outcomes;
    private volatile List<Problem> refusals;
    /** The refusal of database settings the history could not move to, while it lasts. */
    private volatile Problem databaseRefusal;
    /** The last move's hand-over that failed, until a move hands over or the history restarts. */
    private volatile Problem handOverFailure;
    /** The history's H2 file was missing at the start, and a new empty one made; null when it was not. */
    private volatile Problem missingFile;
    private final KnownFiles knownFiles;

    @Activate
    public HistoryComponent(BundleContext context, HistoryConfig config, @Reference HistoryStarts starts) {
        this(context, config, context::getProperty, System::getenv, Clock.systemUTC(), EngineExecutions.of(context),
                starts);
    }

    /** Outside a framework (tests): a refusal of the database is told to nobody. */
    HistoryComponent(HistoryConfig config, Function<String, String> properties, Function<String, String> environment,
                     Clock clock, EngineExecutions engine, HistoryStarts starts) {
        this(null, config, properties, environment, clock, engine, starts);
    }

    /**
     * @param context     where the refusal of a database the history cannot move to is told; null tells nobody
     * @param properties  framework properties
     * @param environment environment variables
     * @param engine      what the workflow engine of this process runs, and has finished
     * @param starts      told whether this activation started the history
     * @throws IllegalStateException when the database cannot be used: the message names the URL and what to do, and
     *                               when the start is tried again if it is
     */
    HistoryComponent(BundleContext context, HistoryConfig config, Function<String, String> properties,
                     Function<String, String> environment, Clock clock, EngineExecutions engine,
                     HistoryStarts starts) {
        this(context, properties, environment, clock, engine);
        Optional<RuntimeException> pending = starts.pendingFailure();
        if (pending.isPresent()) {
            throw pending.get();
        }
        upkeep.update(config);
        try {
            start(settingsOf(config), upkeep.problems());
        } catch (RuntimeException e) {
            throw starts.failed(e, () -> Settings.probe(config, properties, environment));
        }
        starts.started();
    }

    /**
     * @param refusals the refusal of the configuration's upkeep settings, if they were refused
     * @throws IllegalStateException when the database cannot be used: the message names the URL and what to do
     */
    HistoryComponent(Settings settings, List<Problem> refusals, Clock clock, EngineExecutions engine) {
        this(null, name -> null, name -> null, clock, engine);
        start(settings, refusals);
    }

    private HistoryComponent(BundleContext context, Function<String, String> properties,
                             Function<String, String> environment, Clock clock, EngineExecutions engine) {
        this.context = context;
        this.knownFiles = new KnownFiles(context);
        this.properties = properties;
        this.environment = environment;
        this.clock = clock;
        this.engine = engine;
        this.text = new Text(value -> SecretMasker.orPatterns(masker.get()).mask(value));
        this.audit = new AuditStore(text);
        this.json = new Json(text);
        this.store = new HistoryStore(json, text);
    }

    private void start(Settings settings, List<Problem> upkeepRefusals) {
        this.refusals = List.copyOf(upkeepRefusals);
        Optional<Path> file = Database.h2DataFile(settings.jdbcUrl());
        Optional<Problem> missing = file.flatMap(path -> knownFiles.missingAtStart(path, clock.instant()));
        Database database = Database.open(settings.jdbcUrl(), settings.user(), settings.password());
        missingFile = missing.orElse(null);
        database.h2DataFile().ifPresent(knownFiles::remember);
        EventRecorder recorder = new EventRecorder(store, json, text, dropped, settings.nodeId());
        List<Execution> followed = new ArrayList<>();
        Connection connection = prepare(database, settings, recorder, followed);
        Backend started = backend(settings, database, connection, recorder);
        started.writer().start();
        this.backend = started;
        outcomes = new OutcomeFollowUp(followed, this::onEvent, clock);
        outcomes.start();
        logInForce(settings);
    }

    /** The sink and writer of a database; the writer is not started. */
    private Backend backend(Settings settings, Database database, Connection connection, EventRecorder recorder) {
        JdbcSink sink = new JdbcSink(database, connection, recorder, store, clock, settings.retentionDays(), audit,
                settings.auditRetentionDays(), () -> ConfigurationRefusals.fileRefusal(context, PID));
        return new Backend(settings, database, sink,
                new HistoryWriter(sink, dropped, settings.writeQueueCapacity(), settings.purgeInterval(), clock));
    }

    /** The settings of {@code config}, with the upkeep in force: nothing purged while the upkeep is refused. */
    private Settings settingsOf(HistoryConfig config) {
        return Settings.of(config, upkeepInForce(), properties, environment);
    }

    private void logInForce(Settings settings) {
        LOG.info("execution history in {}, keeping finished executions {}", Secrets.redact(settings.jdbcUrl()),
                settings.retentionDays() == 0 ? "forever" : "for " + settings.retentionDays() + " days");
        if (!refusals.isEmpty()) {
            LOG.warn("nothing is purged from the execution history while configuration {} ({}) is refused: repair it",
                    PID, ConfigurationOrigins.describe(context, PID));
        }
    }

    /**
     * A changed configuration, applied without unregistering the services, so that the events published meanwhile
     * are all recorded and the executions running now are not mistaken for ones a stopped process left behind.
     */
    @Modified
    void modified(HistoryConfig config) {
        upkeep.update(config);
        Settings settings;
        try {
            settings = settingsOf(config);
        } catch (IllegalStateException e) { // the password file or variable cannot be read
            refuseDatabase(e.getMessage());
            applyUpkeep(backend.settings().withUpkeep(upkeepInForce()), upkeep.problems());
            return;
        }
        reconfigure(settings, upkeep.problems());
    }

    /**
     * Applies {@code settings}: the upkeep ones in place; another database, user, password or node by moving to it
     * ({@link #moveTo}), or, when that database cannot be used, by refusing them: the history goes on in the database
     * it uses, and says so (logged at ERROR, told to the configuration refusal listeners, and a problem) until the
     * configuration is repaired.
     *
     * @param upkeepRefusals the refusal of the configuration's upkeep settings, if they were refused
     */
    void reconfigure(Settings settings, List<Problem> upkeepRefusals) {
        Backend current = backend;
        if (!sameDatabase(current.settings(), settings)) {
            try {
                moveTo(current, settings);
            } catch (IllegalStateException e) {
                refuseDatabase(e.getMessage());
                applyUpkeep(current.settings().withUpkeep(settings.upkeep()), upkeepRefusals);
                return;
            } finally {
                // moved, even when an Error is thrown on: an earlier refusal no longer holds
                if (backend.database() != current.database()) {
                    databaseRefusal = null;
                    refusals = List.copyOf(upkeepRefusals);
                }
            }
            logInForce(settings);
            return;
        }
        databaseRefusal = null;
        applyUpkeep(settings, upkeepRefusals);
    }

    /** Retention, queue capacity and purge interval, taken in use by the running writer. */
    private void applyUpkeep(Settings settings, List<Problem> upkeepRefusals) {
        refusals = List.copyOf(upkeepRefusals);
        Backend current = backend;
        current.sink().retain(settings.retentionDays(), settings.auditRetentionDays());
        current.writer().reconfigure(settings.writeQueueCapacity(), settings.purgeInterval());
        backend = current.with(settings);
        logInForce(settings);
    }

    private Upkeep upkeepInForce() {
        return upkeep.problems().isEmpty() ? upkeep.settings() : upkeep.settings().keepingEverything();
    }

    private static boolean sameDatabase(Settings a, Settings b) {
        return a.jdbcUrl().equals(b.jdbcUrl()) && a.user().equals(b.user()) && a.password().equals(b.password())
                && a.nodeId().equals(b.nodeId());
    }

    private void refuseDatabase(String why) {
        String message = "configuration " + PID + " (" + ConfigurationOrigins.describe(context, PID) + ") is refused: "
                + why + "; the history goes on recording in " + backend.database().safeUrl() + " until it is repaired";
        LOG.error(message);
        databaseRefusal = new Problem(GuardedConfiguration.SOURCE, PID, message, clock.instant());
        // ConfigAdmin's event said only that the configuration was stored: the audit log records the refusal from this
        ConfigurationRefusals.tell(context, PID, message, LOG::error);
    }

    /**
     * Moves the history to the database of {@code next}, which is opened first: when it cannot be, nothing changes and
     * this throws. Events published from then on wait in the new writer's queue while the old writer writes what it
     * holds. An execution that was running in the old database goes on in the same record when the new database holds
     * it (the same database, with other credentials or another URL); otherwise it ends INTERRUPTED in the old database
     * with {@link #MOVED_ERROR} naming the new one, and its record in the new one opens with a step that names the old.
     * Once the old writer has stopped, the move completes with the new writer running whatever that hand-over does: a
     * hand-over that fails is rolled back in the new database, logged and a problem (see {@link #handOverFailed}); an
     * {@link Error} is thrown on once the new writer runs.
     *
     * @throws IllegalStateException when the new database cannot be used; the history is then left as it was
     */
    private void moveTo(Backend current, Settings next) {
        Database database = Database.open(next.jdbcUrl(), next.user(), next.password(), current.database());
        Connection connection = prepared(database, ready -> null);
        EventRecorder recorder = new EventRecorder(store, json, text, dropped, next.nodeId());
        Backend moved = backend(next, database, connection, recorder);
        backend = moved;
        current.writer().stop(STOP_WAIT);
        current.writer().unwritten().forEach(event -> moved.writer().submit(event, EventRecorder.droppable(event)));
        try {
            handOver(current, moved, connection, recorder);
            handOverFailure = null;
        } catch (SQLException e) {
            rollback(connection);
            handOverFailed(current, moved, database.describe(e), e);
        } catch (RuntimeException e) {
            rollback(connection);
            handOverFailed(current, moved, Secrets.redact(e.toString()) + "; data a damaged file gives back wrong can"
                    + " cause it", e);
        } catch (Error e) {
            rollback(connection);
            handOverFailed(current, moved, Secrets.redact(e.toString()), e);
            throw e;
        } finally {
            // the old writer has stopped: the move is past turning back, and the new writer must start whatever failed
            current.database().close();
            moved.writer().start();
        }
        LOG.info("the execution history moved from {} to {}", current.database().safeUrl(), database.safeUrl());
    }

    /**
     * Says, logged at ERROR and as a problem until the next move that hands over or a restart, what a hand-over that
     * failed left: the executions running then may read RUNNING in the old database and their records in the new one
     * may lack the {@value EventRecorder#MOVED} step. Only the log said so, which an operator reading the status
     * did not see.
     */
    private void handOverFailed(Backend old, Backend moved, String cause, Throwable failure) {
        String from = old.database().safeUrl();
        String to = moved.database().safeUrl();
        Instant at = clock.instant();
        String message = "the history moved from " + from + " to " + to + " at " + at + ", but handing over the"
                + " executions running then failed (" + cause + "). It records in " + to + " all the same, but those"
                + " executions may read RUNNING in " + from + ", and their records in " + to + " may lack the "
                + EventRecorder.MOVED + " step (their start, usage and cost before the move are in " + from + " only);"
                + " executions a stopped process left unfinished in " + to + " may read RUNNING too. Restart the bundle"
                + " io.mcpagent.history to mark those left in " + to + " INTERRUPTED; the executions left RUNNING in "
                + from + " are marked when the history next starts on it, or set them INTERRUPTED by hand";
        LOG.error(message, failure);
        handOverFailure = new Problem(SkippedEvents.SOURCE, to, message, at);
    }

    /**
     * The executions this process was running in the old database: those the new one holds unfinished go on there;
     * the others end INTERRUPTED in the old one, naming the new one. Then what a stopped process left unfinished in the
     * new database is marked INTERRUPTED, as on activation.
     */
    private void handOver(Backend old, Backend moved, Connection connection, EventRecorder recorder)
            throws SQLException {
        try (Connection oldConnection = old.database().connection()) {
            List<String> running = unfinished(old.database(), oldConnection,
                    old.database().embedded() ? null : old.settings().nodeId());
            Map<String, Totals> movedAway = new LinkedHashMap<>();
            List<String> goingOn = new ArrayList<>();
            for (String id : running) {
                Optional<HistoryStore.Stored> there = store.stored(connection, id);
                if (there.isEmpty() || there.get().status().isTerminal()) {
                    // the usage and cost so far go with it: its record in the new database has the whole totals
                    movedAway.put(id, store.stored(oldConnection, id).map(HistoryStore.Stored::totals)
                            .orElse(Totals.NONE));
                } else {
                    goingOn.add(id);
                }
            }
            // under a changed nodeId too: a restart of this node, which marks its own, finds them
            store.claim(connection, goingOn, moved.settings().nodeId());
            String movedTo = MOVED_ERROR + moved.database().safeUrl();
            Instant movedAt = clock.instant();
            store.interrupt(oldConnection, List.copyOf(movedAway.keySet()), id -> movedAt, movedTo, movedTo);
            recorder.movedFrom(old.database().safeUrl(), clock.instant(), movedAway);
            Set<String> ours = new HashSet<>(running);
            List<String> leftBehind = unfinished(moved.database(), connection, moved.database().embedded() ? null
                    : moved.settings().nodeId()).stream().filter(id -> !ours.contains(id)).toList();
            store.interrupt(connection, leftBehind, store.lastHeardOf(moved.database(), leftBehind, clock.instant()),
                    INTERRUPTED_ERROR, INTERRUPTED_WAITING_ERROR);
            connection.commit();
            if (!leftBehind.isEmpty()) {
                LOG.warn("{} executions were running in {} when the process that ran them stopped; they are marked"
                        + " INTERRUPTED", leftBehind.size(), moved.database().safeUrl());
            }
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

    /**
     * The refusals of the configuration: of its upkeep values, and of a database the history could not move to; and
     * a move's hand-over that failed; a database in use that cannot be written now; the events it could not record;
     * its writer's failure.
     */
    @Override
    public List<Problem> problems() {
        List<Problem> all = new ArrayList<>(refusals);
        Problem database = databaseRefusal;
        if (database != null) {
            all.add(database);
        }
        Problem handOver = handOverFailure;
        if (handOver != null) {
            all.add(handOver);
        }
        Problem missing = missingFile;
        if (missing != null) {
            all.add(missing);
        }
        Backend current = backend;
        current.database().h2DataFile().flatMap(file -> KnownFiles.deletedWhileRunning(file, clock.instant()))
                .ifPresent(all::add);
        all.addAll(current.sink().problems());
        all.addAll(current.sink().skipped().problems());
        all.addAll(current.writer().problems(current.database().safeUrl()));
        return List.copyOf(all);
    }

    /** Creates the schema and marks what the last run left QUEUED or RUNNING; returns the connection for the writer. */
    /**
     * Marks what a stopped process left unfinished INTERRUPTED; not what the workflow engine of this process runs (the
     * history bundle alone was restarted) nor what it finished meanwhile: those are added to {@code followed}, whose
     * outcomes the engine holds or will.
     */
    private Connection prepare(Database database, Settings settings, EventRecorder recorder,
                               List<Execution> followed) {
        return prepared(database, connection -> {
            // an embedded database was this process's alone; a shared one holds other nodes' running executions
            String node = database.embedded() ? null : settings.nodeId();
            List<Execution> running = engine.running();
            Set<String> goOn = running.stream().map(Execution::executionId).collect(Collectors.toSet());
            List<Execution> endedMeanwhile = new ArrayList<>();
            List<String> leftBehind = new ArrayList<>();
            for (String id : unfinished(database, connection, node)) {
                if (!goOn.contains(id)) {
                    engine.finished(id).ifPresentOrElse(endedMeanwhile::add, () -> leftBehind.add(id));
                }
            }
            store.interrupt(connection, leftBehind, store.lastHeardOf(database, leftBehind, clock.instant()),
                    INTERRUPTED_ERROR, INTERRUPTED_WAITING_ERROR);
            // recorded under another nodeId before this one was configured, they are this node's all the same
            store.claim(connection, goOn, settings.nodeId());
            connection.commit();
            recorder.interruptedOnStart(leftBehind);
            followed.addAll(running);
            followed.addAll(endedMeanwhile);
            if (!leftBehind.isEmpty()) {
                LOG.warn("{} executions were running when the process stopped; they are marked INTERRUPTED",
                        leftBehind.size());
            }
            if (!endedMeanwhile.isEmpty()) {
                LOG.info("{} executions of this process ended while the history was stopped; their outcomes are"
                        + " recorded as the workflow engine holds them", endedMeanwhile.size());
            }
            return null;
        });
    }

    /**
     * A connection to {@code database} with the schema in place and auto-commit off, once {@code then} has run on it;
     * closed again when anything fails.
     */
    private static Connection prepared(Database database, Query<?> then) {
        Connection connection = null;
        try {
            connection = database.connection();
            Schema.ensure(connection, database.safeUrl());
            connection.setAutoCommit(false);
            then.run(connection);
            return connection;
        } catch (SQLException e) {
            close(connection);
            throw database.cannotPrepare(e);
        } catch (IllegalStateException e) {
            close(connection);
            throw e; // the schema's refusals, which say what is wrong with the database
        } catch (RuntimeException e) {
            close(connection);
            throw new IllegalStateException("the history database " + database.safeUrl() + " cannot be prepared: "
                    + Secrets.redact(e.toString()) + ". The history does not start: nothing is expected to fail"
                    + " there, but data a damaged file gives back wrong can make it; check a copy of the file offline"
                    + " (see 'Damage in data pages' in the history README), restore it from a backup or move it aside,"
                    + " then restart the bundle io.mcpagent.history", e);
        }
    }

    /**
     * The unfinished executions of {@code node} (all when it is null), but a row without an id, which a damaged file
     * can give back: no id finds or marks it, so it is left as it is, with a warning.
     */
    private List<String> unfinished(Database database, Connection connection, String node) throws SQLException {
        List<String> ids = store.unfinished(connection, node);
        if (!ids.contains(null)) {
            return ids;
        }
        LOG.warn("the history database {} holds an unfinished execution without an id (a damaged row?); it is left"
                + " as it is", database.safeUrl());
        return ids.stream().filter(Objects::nonNull).toList();
    }

    @Deactivate
    void deactivate() {
        outcomes.stop();
        backend.writer().stop(STOP_WAIT);
        backend.database().close();
        // a start logs at INFO, so does its end: DS may create and dispose the history more than once
        LOG.info("execution history in {} stopped", backend.database().safeUrl());
    }

    @Override
    public void onEvent(ExecutionEvent event) {
        if (event.executionId() == null) {
            return;
        }
        boolean droppable = EventRecorder.droppable(event);
        Backend current = backend;
        // a writer stopped as the history moved to another database: the event goes to the writer that took over
        while (current.writer().admit(event, droppable) == HistoryWriter.Admission.CLOSED && current != backend) {
            current = backend;
        }
    }

    @Override
    public Optional<ExecutionRecord> find(String executionId) {
        Objects.requireNonNull(executionId, "executionId");
        return read(connection -> store.find(connection, executionId));
    }

    @Override
    public List<ExecutionRecord> findByIdPrefix(String prefix, String tenant, int max) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || max < 1) {
            throw new IllegalArgumentException("an id prefix needs a character and a maximum of at least 1, were '"
                    + prefix + "' and " + max);
        }
        return read(connection -> store.findByIdPrefix(connection, prefix, tenant, max));
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
        Database database = backend.database();
        try (Connection connection = database.connection()) {
            try {
                audit.insert(connection, entry);
                database.writeThrough(connection);
            } catch (SQLException e) {
                if (database.cannotWriteFile(e)) {
                    database.letGoOfFiles(connection);
                }
                throw e;
            }
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

    /** Events the database in use could not record. */
    long skippedEvents() {
        return backend.sink().skipped().count();
    }

    /**
     * Waits until every event received before this call is written (or could not be), at most {@code timeout}.
     *
     * @return false when the wait timed out or was interrupted
     */
    boolean awaitWritten(Duration timeout) {
        return backend.writer().awaitWritten(timeout);
    }

    private <T> T read(Query<T> query) {
        Backend current = backend;
        // while the writer waits for the database, a reader would wait its READ_WAIT for nothing
        if (!current.sink().waitingForDatabase() && !current.writer().awaitWritten(READ_WAIT)) {
            LOG.debug("reading the history before the writer caught up (waited {})", READ_WAIT);
        }
        Database database = current.database();
        try (Connection connection = database.connection()) {
            return query.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the history database " + database.safeUrl() + " failed: "
                    + database.describe(e), e);
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rolling back the hand-over failed too; the writer replaces a broken connection", e);
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
