package io.mcpagent.history.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;
import org.osgi.util.promise.Promises;

import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.config.testkit.SavedConfigurations;

/**
 * The history's component as DS runs it, on an H2 server that is not up at first: DS is a fake that activates the
 * component when it is enabled, and time passes only when the test says so. The recovery's thread runs what it was
 * handed only when the test says so too ({@code tasks.advance}), as it runs after the activation that handed it.
 */
class HistoryRecoveryTest {
    private final MutableClock clock = new MutableClock(Events.T0);
    private final ManualTasks tasks = new ManualTasks();
    private final ServiceComponentRuntime runtime = mock(ServiceComponentRuntime.class);
    /** Without ConfigAdmin: the history's configuration is said to be its file in etc/. */
    private final BundleContext context = mock(BundleContext.class);
    private final ComponentDescriptionDTO description = new ComponentDescriptionDTO();
    private final ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
    private final List<HistoryComponent> started = new ArrayList<>();
    private final int port = freePort();
    @TempDir
    Path folder;
    private HistoryRecovery recovery;
    private HistoryConfig config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:tcp://localhost:" + port
            + "/mem:recovery"));
    private int activations;
    private int disablings;
    private int enablings;
    private Server server;
    /** What happens between DS enabling the history and its activation: the database may go down again meanwhile. */
    private Runnable beforeActivation = () -> { };

    /** Runs the tasks whose time has come, one at a time, as the recovery's thread does. */
    private final class ManualTasks implements RecoveryTasks {
        private record Scheduled(Instant due, Runnable task, CompletableFuture<Void> future) {
        }

        private final List<Scheduled> scheduled = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            schedule(task, Duration.ZERO);
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            Scheduled next = new Scheduled(clock.instant().plus(delay), task, new CompletableFuture<>());
            scheduled.add(next);
            return next.future();
        }

        @Override
        public void shutdown() {
            scheduled.clear();
        }

        List<Instant> pending() {
            return scheduled.stream().filter(s -> !s.future().isDone()).map(Scheduled::due).toList();
        }

        /** Runs what is due, in the order it was handed, and what those hand on that is due as well. */
        void advance(Duration duration) {
            clock.advance(duration);
            for (int i = 0; i < scheduled.size(); i++) {
                Scheduled due = scheduled.get(i);
                if (!due.future().isDone() && !due.due().isAfter(clock.instant())) {
                    due.future().complete(null);
                    due.task().run();
                }
            }
        }
    }

    /** A port nothing listens on: one the system hands out, closed again. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    @AfterEach
    void stop() {
        started.forEach(HistoryComponent::deactivate);
        if (server != null) {
            server.stop();
        }
    }

    /** DS: enabling the component registers its services, and its consumers activate it with the configuration. */
    private void recoveryOverFakeDs() throws Exception {
        when(runtime.getComponentDescriptionDTO(any(), any())).thenReturn(description);
        when(runtime.getComponentConfigurationDTOs(description)).thenReturn(List.of(configuration));
        when(runtime.disableComponent(description)).thenAnswer(invocation -> {
            disablings++;
            configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
            configuration.failure = null;
            return Promises.resolved(null);
        });
        when(runtime.enableComponent(description)).thenAnswer(invocation -> {
            enablings++;
            beforeActivation.run();
            activate();
            return Promises.resolved(null);
        });
        recovery = new HistoryRecovery(context, runtime, clock, tasks);
    }

    private void activate() {
        activations++;
        try {
            started.add(new HistoryComponent(config, name -> null, name -> null, clock, EngineExecutions.NONE,
                    recovery));
            configuration.state = ComponentConfigurationDTO.ACTIVE;
            configuration.failure = null;
        } catch (IllegalStateException e) {
            configuration.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
            configuration.failure = e.toString(); // DS keeps the stack trace, which begins so
        }
    }

    private void serverUp() throws Exception {
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
    }

    private void serverDown() {
        server.stop();
        server = null;
    }

    /**
     * The one problem of a history that cannot reach its database, which this keeps disabled: DS shows none for it,
     * so the recovery names the cause, the next try and since when it fails.
     */
    private String waitingProblem() {
        return waitingProblemUntil("its database answers");
    }

    /** As {@link #waitingProblem()}, for a failure that waits for {@code awaited}. */
    private String waitingProblemUntil(String awaited) {
        assertEquals(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, configuration.state, "disabled");
        List<Problem> problems = recovery.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(Events.T0, problems.get(0).since(), "failing since");
        String prefix = "component " + HistoryComponent.class.getName() + " is disabled until " + awaited + ": ";
        assertTrue(problems.get(0).message().startsWith(prefix), problems.get(0).message());
        return problems.get(0).message().substring(prefix.length());
    }

    private void configurationChanged(Map<String, Object> settings) {
        configurationChanged(settings, true);
    }

    /** @param configAdminFirst whether ConfigAdmin's event comes before DS's call of modified, or after it */
    private void configurationChanged(Map<String, Object> settings, boolean configAdminFirst) {
        config = ConfigurationTest.config(settings);
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationAdmin> admin = mock(ServiceReference.class);
        ConfigurationEvent event = new ConfigurationEvent(admin, ConfigurationEvent.CM_UPDATED, null,
                HistoryComponent.PID);
        if (configAdminFirst) {
            recovery.configurationEvent(event);
        }
        recovery.modified(config); // DS, on a thread of its own, in either order
        if (!configAdminFirst) {
            recovery.configurationEvent(event);
        }
    }

    /**
     * A try opens and closes the database itself: one that fails activates nothing (enabled, each consumer asking for
     * the history activated it, and DS logged each failure with its stack), and the history stays disabled; the one
     * that finds the database answering enables it, which activates it once.
     */
    @Test
    void aHistoryWhoseDatabaseIsNotUpYetStaysDisabledAndIsTriedFurtherApartUntilItAnswers() throws Exception {
        recoveryOverFakeDs();
        activate();
        assertEquals(ComponentConfigurationDTO.FAILED_ACTIVATION, configuration.state, "until the recovery disables it");
        assertEquals(List.of(), recovery.problems(), "DS shows the failure meanwhile");
        tasks.advance(Duration.ZERO);
        assertEquals(1, disablings);
        assertEquals(List.of(Events.T0.plusSeconds(5)), tasks.pending());
        assertTrue(waitingProblem().startsWith("cannot open the history database jdbc:h2:tcp://localhost:" + port
                + "/mem:recovery: "), waitingProblem());
        assertTrue(waitingProblem().contains("; it is tried again at " + Events.T0.plusSeconds(5)
                + " (try 2, failing since " + Events.T0 + ";"), waitingProblem());
        assertTrue(waitingProblem().endsWith(" changes (the log has the whole failure)"), waitingProblem());

        tasks.advance(Duration.ofSeconds(4));
        tasks.advance(Duration.ofSeconds(1));
        assertEquals(1, activations, "a try that fails activates nothing");
        assertEquals(0, enablings);
        assertEquals(List.of(Events.T0.plusSeconds(15)), tasks.pending());
        assertTrue(waitingProblem().contains("; it is tried again at " + Events.T0.plusSeconds(15)
                + " (try 3, failing since " + Events.T0 + ";"), waitingProblem());
        assertTrue(waitingProblem().endsWith(" changes (the log has the whole failure logged at " + Events.T0 + ")"),
                "a try's failure is one WARN, without its stack: " + waitingProblem());

        serverUp();
        tasks.advance(Duration.ofSeconds(10));
        assertEquals(1, enablings, "the try that succeeds enables it once");
        assertEquals(2, activations);
        assertEquals(1, started.size());
        assertEquals(1, disablings);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), tasks.pending(), "no more tries once it started");
        assertEquals(List.of(), recovery.problems());
    }

    /**
     * The history starts disabled, and its database server is tried before it is enabled: enabled with the server
     * down, each consumer binding the history as it was registered activated it, and DS logged each failure at ERROR
     * with its stack (14 at a refresh of the bundle in a runtime). Now nothing activates it until a try finds the
     * server answering, and the first failure is the one ERROR, with its stack.
     */
    @Test
    void aHistoryWhoseDatabaseServerIsDownAtItsStartIsNotActivatedUntilItAnswers() throws Exception {
        firstStartKeepsItDisabled("jdbc:h2:tcp://localhost:" + port + "/mem:recovery");
        assertEquals(List.of(Events.T0.plusSeconds(5)), tasks.pending());
        assertTrue(waitingProblem().contains("; it is tried again at " + Events.T0.plusSeconds(5)
                + " (try 2, failing since " + Events.T0 + ";"), waitingProblem());
        assertTrue(waitingProblem().endsWith(" changes (the log has the whole failure)"), waitingProblem());

        String logged = Logged.whileRunning(() -> tasks.advance(Duration.ofSeconds(5)));
        assertEquals(0, activations, "a try that fails activates nothing");
        assertEquals(List.of(), logged.lines().filter(line -> line.contains(" ERROR ")).toList(), "one WARN");
        assertTrue(waitingProblem().endsWith(" changes (the log has the whole failure logged at " + Events.T0 + ")"),
                waitingProblem());

        serverUp();
        tasks.advance(Duration.ofSeconds(10));
        assertEquals(1, enablings, "the try that succeeds enables it once");
        assertEquals(1, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(0, disablings);
        assertEquals(List.of(), tasks.pending());
        assertEquals(List.of(), recovery.problems());
    }

    /**
     * A file H2 cannot write at the start (an immutable file, a read-only file system), which H2 opens read-only:
     * each consumer's activation failed, each logged by DS with its stack (3,012 lines in a runtime), and the status
     * showed H2's message cut at its first line, without the file or what to do. It is a start that waits, as for a
     * database that does not answer, and the history starts once the file can be written.
     */
    @Test
    void aFileThatCannotBeWrittenAtTheStartIsWaitedForAndTheHistoryStartsOnceItCan() throws Exception {
        String url = "jdbc:h2:" + FailingWritesFilePath.SCHEME + ":" + folder.resolve("history")
                + ";DB_CLOSE_ON_EXIT=FALSE";
        FailingWritesFilePath.register();
        try {
            config = ConfigurationTest.config(Map.of("jdbcUrl", url));
            new HistoryComponent(config, name -> null, name -> null, clock, EngineExecutions.NONE, new IgnoredStarts())
                    .deactivate();
            FailingWritesFilePath.protect(true);
            firstStartKeepsItDisabled(url, "the history database " + url + " cannot write its file ");
            String waiting = waitingProblemUntil("its database can write its file");
            assertTrue(waiting.startsWith("the history database " + url + " cannot write its file "), waiting);
            assertTrue(waiting.contains(" (H2 opened it read-only): make it writable (a full disk, a read-only file"
                    + " system, its permissions or attributes?); the history starts once it can; it is tried again at "
                    + Events.T0.plusSeconds(5)), waiting);
            assertFalse(waiting.contains("\n"), waiting);

            FailingWritesFilePath.protect(false);
            tasks.advance(Duration.ofSeconds(5));
            assertEquals(1, activations);
            assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
            assertEquals(List.of(), recovery.problems());
        } finally {
            stop(); // before the scheme goes, or H2 writes to a folder named after it
            started.clear();
            FailingWritesFilePath.unregister();
        }
    }

    /**
     * The first start of the recovery over the history DS holds disabled, as its descriptor says: it enables nothing,
     * and logs the failure to open {@code url} once, whole, as the one ERROR.
     */
    private void firstStartKeepsItDisabled(String url) throws Exception {
        firstStartKeepsItDisabled(url, "cannot open the history database " + url + ": ");
    }

    /** @param failure how the message of the whole failure begins */
    private void firstStartKeepsItDisabled(String url, String failure) throws Exception {
        recoveryOverFakeDs();
        configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        String logged = Logged.whileRunning(() -> recovery.firstStart(config));
        assertEquals(0, enablings, "enabled, each consumer would activate it");
        assertEquals(0, activations);
        assertEquals(1, logged.lines().filter(line -> line.contains(" ERROR ")).count(), logged);
        assertTrue(logged.contains("Caused by: ") && logged.contains("Exception: " + failure), "the whole failure of "
                + url + ": " + logged);
    }

    /**
     * The one problem of a history kept disabled for a failure that waiting does not mend: no try is scheduled, and the
     * problem says it waits for a change of the configuration.
     *
     * @return the failure the problem names
     */
    private String problemUntilChange() {
        assertEquals(List.of(), tasks.pending(), "waiting does not mend it");
        List<Problem> problems = recovery.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(Events.T0, problems.get(0).since());
        String prefix = "component " + HistoryComponent.class.getName() + " is disabled until its configuration"
                + " changes: ";
        String suffix = "; waiting does not mend that: it is not tried again until configuration "
                + HistoryComponent.PID + " (etc/" + HistoryComponent.PID + ".cfg.json) changes (the log has the whole"
                + " failure)";
        String problem = problems.get(0).message();
        assertTrue(problem.startsWith(prefix) && problem.endsWith(suffix), problem);
        return problem.substring(prefix.length(), problem.length() - suffix.length());
    }

    /**
     * An embedded H2 file is tried before the history is enabled too, and the try leaves it closed: the history's own
     * open then finds the file's lock free, and enabling it activates it once.
     */
    @Test
    void aHistoryOnAnEmbeddedFileIsEnabledOnceATryOpenedAndClosedTheFile() throws Exception {
        Path file = folder.resolve("executions.mv.db");
        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:file:" + folder.resolve("executions")
                + ";DB_CLOSE_DELAY=-1"));
        recoveryOverFakeDs();
        List<Boolean> lockFreeWhenEnabled = new ArrayList<>();
        beforeActivation = () -> lockFreeWhenEnabled.add(lockFree(file));
        recovery.firstStart(config);
        assertEquals(List.of(true), lockFreeWhenEnabled, "the try closed the file it opened");
        assertEquals(1, enablings);
        assertEquals(1, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), tasks.pending());
        assertEquals(List.of(), recovery.problems());
    }

    /** Whether this process can lock the file: it cannot while H2 holds it open (its lock is this JVM's). */
    private static boolean lockFree(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock != null;
        } catch (OverlappingFileLockException heldHere) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An embedded database the history cannot open (a setting H2 does not know, a damaged file) does not heal by
     * waiting either: enabled at once, the history failed an activation for each consumer, each logged by DS with its
     * stack (15 at a start of a runtime). It stays disabled with one ERROR and one problem saying what to check, and a
     * change of the configuration is tried at once, and enables it once the database opens.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unknown setting", "damaged file"})
    void anEmbeddedDatabaseItCannotOpenAtItsStartKeepsTheHistoryDisabledUntilTheConfigurationChanges(String broken)
            throws Exception {
        String url;
        String failure;
        if (broken.equals("damaged file")) {
            url = "jdbc:h2:file:" + folder.resolve("damaged");
            Files.write(folder.resolve("damaged.mv.db"), new byte[8192]); // no header H2 can read
            failure = "the history database " + url + " is damaged: ";
        } else {
            url = "jdbc:h2:mem:recovery-embedded;NO_SUCH_SETTING=1";
            failure = "cannot open the history database " + url + ": ";
        }
        config = ConfigurationTest.config(Map.of("jdbcUrl", url));
        firstStartKeepsItDisabled(url, failure);
        assertTrue(problemUntilChange().startsWith(failure), problemUntilChange());

        aChangeToAGoodDatabaseEnablesIt();
    }

    /** A change of the configuration to a database the history can use is tried at once, and enables it once. */
    private void aChangeToAGoodDatabaseEnablesIt() {
        aChangeEnablesIt(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-repaired"));
    }

    /** A change of the configuration to {@code changed}, a database the history can use, enables it once. */
    private void aChangeEnablesIt(Map<String, Object> changed) {
        configurationChanged(changed);
        tasks.advance(Duration.ZERO);
        assertEquals(1, enablings, "a change tries at once");
        assertEquals(1, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), recovery.problems());
    }

    /**
     * A database that opens but that the history cannot prepare (made by a newer version of this bundle, or with a
     * table {@code executions} that is not the history's) does not heal by waiting either: tried by opening alone, it
     * enabled the history, and DS failed an activation for each consumer. The try checks the schema, reading only: the
     * history stays disabled with one ERROR and one problem saying what to do, the database is left as it was, and a
     * change of the configuration enables it once the database can be prepared.
     */
    @ParameterizedTest
    @ValueSource(strings = {"newer schema", "table not ours"})
    void aDatabaseItCannotPrepareAtItsStartKeepsTheHistoryDisabledUntilTheConfigurationChanges(String broken)
            throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("unprepared");
        String failure;
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            if (broken.equals("newer schema")) {
                Schema.ensure(connection, url);
                statement.execute("UPDATE history_schema SET version = " + (Schema.VERSION + 1));
                statement.execute("ALTER TABLE executions DROP COLUMN warnings"); // as a newer version may have
                failure = "the history database " + url + " has schema version " + (Schema.VERSION + 1) + ", newer"
                        + " than the " + Schema.VERSION + " this bundle knows: ";
            } else {
                statement.execute("CREATE TABLE executions (id INTEGER PRIMARY KEY, title VARCHAR(100))");
                failure = "the history database " + url + " has a table executions that is not the history's: it"
                        + " lacks the columns tenant, node, task, pattern, status, started, ";
            }
        }
        config = ConfigurationTest.config(Map.of("jdbcUrl", url));
        firstStartKeepsItDisabled(url, failure);
        assertTrue(problemUntilChange().startsWith(failure), problemUntilChange());
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery("SELECT LOWER(table_name) FROM information_schema.columns"
                     + " WHERE table_schema = CURRENT_SCHEMA AND LOWER(column_name) = 'warnings'")) {
            assertFalse(tables.next(), "the database is left as it was");
        }

        aChangeToAGoodDatabaseEnablesIt();
    }

    /**
     * A database server that answers a try at last, with a database the history cannot prepare (here one made by a
     * newer version of this bundle), will not heal by waiting any more: enabled, the history failed an activation for
     * each consumer, each logged by DS with its stack. It stays disabled, now until its configuration changes, with
     * one ERROR, failing since the first failure.
     */
    @Test
    void aDatabaseServerThatAnswersATryWithADatabaseItCannotPrepareKeepsTheHistoryDisabledUntilTheConfigurationChanges()
            throws Exception {
        String url = "jdbc:h2:tcp://localhost:" + port + "/mem:recovery";
        firstStartKeepsItDisabled(url);
        serverUp();
        try (Connection keepsTheDatabase = DriverManager.getConnection(url, "sa", "");
             Statement statement = keepsTheDatabase.createStatement()) {
            Schema.ensure(keepsTheDatabase, url);
            statement.execute("UPDATE history_schema SET version = " + (Schema.VERSION + 1));

            String logged = Logged.whileRunning(() -> tasks.advance(Duration.ofSeconds(5)));
            assertEquals(0, enablings, "enabled, each consumer would activate it");
            assertEquals(0, activations);
            assertEquals(1, logged.lines().filter(line -> line.contains(" ERROR ")).count(), logged);
            assertTrue(problemUntilChange().startsWith("the history database " + url + " has schema version "),
                    problemUntilChange());
        }
        aChangeToAGoodDatabaseEnablesIt();
    }

    /**
     * A configuration no file made (set in the Web Console) has no file in etc/ to change: the problem of the history
     * that waits for its database says where it comes from, as a refusal of it does.
     */
    @Test
    void theProblemOfAWaitNamesAConfigurationSetThroughConfigurationAdminSo() throws Exception {
        String origin = configurationSetThroughConfigurationAdmin();
        firstStartKeepsItDisabled("jdbc:h2:tcp://localhost:" + port + "/mem:recovery");
        assertTrue(waitingProblem().endsWith(" minutes), until it starts or " + origin + " changes (the log has the"
                + " whole failure)"), waitingProblem());
    }

    /** So does the problem of a history that waits for a change of that configuration. */
    @Test
    void theProblemOfARefusalNamesAConfigurationSetThroughConfigurationAdminSo() throws Exception {
        String origin = configurationSetThroughConfigurationAdmin();
        String url = "jdbc:h2:mem:recovery-origin;NO_SUCH_SETTING=1";
        config = ConfigurationTest.config(Map.of("jdbcUrl", url));
        firstStartKeepsItDisabled(url);
        String problem = recovery.problems().get(0).message();
        assertTrue(problem.endsWith("; waiting does not mend that: it is not tried again until " + origin
                + " changes (the log has the whole failure)"), problem);
    }

    /**
     * ConfigAdmin holds the history's configuration without the property FileInstall sets to the file it read.
     *
     * @return how the problems name that configuration
     */
    private String configurationSetThroughConfigurationAdmin() throws Exception {
        SavedConfigurations.holdInConfigurationAdmin(context, HistoryComponent.PID,
                Map.of("jdbcUrl", "set in the Web Console"));
        return "configuration " + HistoryComponent.PID + " (" + ConfigurationOrigins.NO_FILE + ")";
    }

    /**
     * A database server that refuses the password will not heal by waiting: enabled, the history failed an activation
     * for each consumer, each logged by DS with its stack (6 in 25 s of a start). It stays disabled with one ERROR and
     * one problem saying what to check, and is not tried again; a change of the configuration is tried at once, and
     * enables it once the database takes it.
     */
    @Test
    void aDatabaseServerThatRefusesThePasswordAtItsStartKeepsTheHistoryDisabledUntilTheConfigurationChanges()
            throws Exception {
        serverUp();
        String url = "jdbc:h2:tcp://localhost:" + port + "/mem:recovery-password";
        try (Connection keepsTheDatabase = DriverManager.getConnection(url, "sa", "right")) {
            config = ConfigurationTest.config(Map.of("jdbcUrl", url, "user", "sa", "_password", "wrong"));
            firstStartKeepsItDisabled(url);
            String problem = problemUntilChange();
            assertTrue(problem.startsWith("cannot open the history database " + url + ": "), problem);
            assertTrue(problem.contains("check user and the password (.password, passwordEnv or passwordFile) of "
                    + HistoryComponent.PID), problem);

            String stillRefused = Logged.whileRunning(() -> {
                configurationChanged(Map.of("jdbcUrl", url, "user", "sa", "_password", "wrong too"));
                tasks.advance(Duration.ZERO);
            });
            assertEquals(0, enablings, "a change tries at once, and a refused one enables nothing either");
            assertEquals(1, stillRefused.lines().filter(line -> line.contains(" ERROR ")).count(), stillRefused);
            assertEquals(List.of(), tasks.pending());
            assertEquals(1, recovery.problems().size(), recovery.problems().toString());

            aChangeEnablesIt(Map.of("jdbcUrl", url, "user", "sa", "_password", "right"));
        }
    }

    /**
     * A database that answers a try and fails the activation it enables, or fails a start again within
     * {@link HistoryRecovery#STAYED_UP}, goes on being tried further apart: the successful probe cleared the count, so
     * each such failure was tried again after 5 s. A history that stayed up that long starts over at 5 s.
     */
    @Test
    void aDatabaseThatFlapsIsTriedFurtherApartUntilTheHistoryHasStayedUp() throws Exception {
        recoveryOverFakeDs();
        activate();
        tasks.advance(Duration.ZERO);
        serverUp();
        beforeActivation = this::serverDown; // it answers the try, and is down again when the history activates
        tasks.advance(Duration.ofSeconds(5));
        assertEquals(1, enablings);
        assertEquals(2, activations, "the activation failed, and the recovery disabled the history again");
        assertEquals(List.of(Events.T0.plusSeconds(5 + 10)), tasks.pending(), "the second wait, not the first again");
        assertTrue(waitingProblem().contains(" (try 3, failing since " + Events.T0 + ";"), waitingProblem());

        serverUp();
        beforeActivation = () -> { };
        tasks.advance(Duration.ofSeconds(10));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        tasks.advance(HistoryRecovery.STAYED_UP.minusSeconds(1));
        serverDown();
        activate(); // DS activates it again (a consumer came back, say) before it stayed up that long
        tasks.advance(Duration.ZERO);
        assertEquals(List.of(clock.instant().plusSeconds(20)), tasks.pending(), "the third wait");
        assertTrue(waitingProblem().contains(" (try 4, failing since " + Events.T0 + ";"), waitingProblem());

        serverUp();
        tasks.advance(Duration.ofSeconds(20));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        tasks.advance(HistoryRecovery.STAYED_UP);
        serverDown();
        Instant afterStayingUp = clock.instant();
        activate();
        tasks.advance(Duration.ZERO);
        assertEquals(List.of(afterStayingUp.plusSeconds(5)), tasks.pending(), "a failure of its own, after 5 s");
        assertEquals(afterStayingUp, recovery.problems().get(0).since());
        assertTrue(recovery.problems().get(0).message().contains(" (try 2, failing since " + afterStayingUp + ";"),
                recovery.problems().get(0).message());
    }

    /** DS activates the history once for each consumer that asks for it: those failures before a try are one. */
    @Test
    void theActivationsOfSeveralConsumersBeforeTheDisablingCountAsOneFailure() throws Exception {
        recoveryOverFakeDs();
        activate();
        String first = configuration.failure;
        activate();
        activate();
        assertEquals(first, configuration.failure, "the cause and the next try, not a try of its own");
        assertTrue(first.contains("; it is tried again at " + Events.T0.plusSeconds(5) + " (try 2,"), first);
        tasks.advance(Duration.ZERO);
        assertEquals(1, disablings);
        assertEquals(List.of(Events.T0.plusSeconds(5)), tasks.pending());
    }

    /**
     * The consumers' activations before the recovery has disabled the history do not try the database (a refused
     * connection took about 1.3 s each, for each of about 14 consumers, during the start): they fail at once with the
     * pending failure, even once the database is up; the try tries it.
     */
    @Test
    void anActivationWhileATryIsScheduledFailsAtOnceWithThePendingFailure() throws Exception {
        recoveryOverFakeDs();
        activate();
        String pending = configuration.failure.substring(IllegalStateException.class.getName().length() + 2);
        serverUp();

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> new HistoryComponent(config, name -> null, name -> null, clock, EngineExecutions.NONE, recovery));
        assertEquals(pending, failure.getMessage(), "the cause and the next try, not a try of its own");
        assertTrue(HistoryRecovery.canHeal(failure.getCause()), String.valueOf(failure.getCause()));
        tasks.advance(Duration.ZERO);
        assertEquals(pending, waitingProblem().substring(0, pending.length()));

        tasks.advance(Duration.ofSeconds(5));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state, "the try tries the database");
        assertEquals(List.of(), tasks.pending());
    }

    /**
     * DS enables the history on its own thread, and the promise resolves once every consumer that binds it has
     * activated, which took seconds. The recovery's thread waited for it, and the next try ran later than its failure
     * said. Waiting for the consumers here fails the test rather than hangs it.
     */
    @Test
    void theRecoveryDoesNotWaitForTheConsumersOfTheHistoryItEnabled() throws Exception {
        recoveryOverFakeDs();
        Promise<Void> consumersActivating = spy(new Deferred<Void>().getPromise());
        doThrow(new AssertionError("the recovery's thread waits until DS has activated every consumer"))
                .when(consumersActivating).getValue();
        doAnswer(invocation -> {
            activate();
            return consumersActivating;
        }).when(runtime).enableComponent(description);
        activate();
        tasks.advance(Duration.ZERO);
        serverUp();
        tasks.advance(Duration.ofSeconds(5));
        assertEquals(2, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
    }

    /**
     * Disabling the history, DS unbinds it from each consumer whose activation of it failed, and asks for it to hand it
     * to the unbind method. With the database up by then, each of those started the history (opened the database,
     * marked the executions left behind interrupted, started the writer and its purge) and DS disposed of it at once:
     * in a runtime, a try that succeeded started it 15 times. Such an activation fails at once.
     */
    @Test
    void aTryThatSucceedsStartsTheHistoryOnceThoughDsAsksForItWhileDisablingIt() throws Exception {
        recoveryOverFakeDs();
        List<String> unbindFailures = disablingUnbindsFromConsumers(3);
        activate();
        serverUp();
        tasks.advance(Duration.ZERO);

        tasks.advance(Duration.ofSeconds(5));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(1, started.size(), "one start per try that succeeds");
        assertEquals(List.of(HistoryRecovery.DISABLING, HistoryRecovery.DISABLING, HistoryRecovery.DISABLING),
                unbindFailures);
    }

    /**
     * Disabled, the history has no registration whose properties DS could update with a changed configuration: the
     * recovery's own modified hears the change, which ends the tries and enables it once the changed database opens.
     */
    @Test
    void aChangedConfigurationWhileDisabledEnablesItAtOnceAndEndsTheTries() throws Exception {
        recoveryOverFakeDs();
        activate();
        tasks.advance(Duration.ZERO);
        assertEquals(1, tasks.pending().size());

        configurationChanged(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-changed"));
        tasks.advance(Duration.ZERO);
        assertEquals(1, enablings);
        assertEquals(2, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), tasks.pending());
        assertEquals(List.of(), recovery.problems());
    }

    /**
     * A change of the configuration while the history waits for its database is tried first as well, as at the first
     * start: enabled untried, a changed configuration the history cannot open failed an activation for each consumer,
     * each logged by DS with its stack. It stays disabled, now until its configuration changes again, with one ERROR,
     * and a change it can open enables it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aChangeWhileTheHistoryWaitsForItsDatabaseIsTriedBeforeItIsEnabled(boolean configAdminFirst) throws Exception {
        firstStartKeepsItDisabled("jdbc:h2:tcp://localhost:" + port + "/mem:recovery");
        String url = "jdbc:h2:mem:recovery-changed;NO_SUCH_SETTING=1";
        String logged = Logged.whileRunning(() -> {
            configurationChanged(Map.of("jdbcUrl", url), configAdminFirst);
            tasks.advance(Duration.ZERO);
        });
        assertEquals(0, enablings, "enabled, each consumer would activate it");
        assertEquals(0, activations);
        assertEquals(1, logged.lines().filter(line -> line.contains(" ERROR ")).count(), logged);
        assertTrue(problemUntilChange().startsWith("cannot open the history database " + url + ": "),
                problemUntilChange());

        configurationChanged(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-changed"), configAdminFirst);
        tasks.advance(Duration.ZERO);
        assertEquals(1, enablings);
        assertEquals(1, activations);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(List.of(), tasks.pending());
        assertEquals(List.of(), recovery.problems());
    }

    /** The change DS tells before the recovery has disabled the history: one start, with the changed configuration. */
    @Test
    void aChangedConfigurationBeforeTheDisablingStartsTheHistoryOnce() throws Exception {
        recoveryOverFakeDs();
        List<String> unbindFailures = disablingUnbindsFromConsumers(3);
        activate();

        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-changed"));
        recovery.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED, mock(ServiceReference.class)));
        recovery.modified(config); // DS, as it updates the registration
        tasks.advance(Duration.ZERO);
        assertEquals(ComponentConfigurationDTO.ACTIVE, configuration.state);
        assertEquals(1, started.size(), "one start per change");
        assertEquals(1, disablings);
        assertEquals(3, unbindFailures.size());
        assertEquals(List.of(), tasks.pending());
    }

    /** A configuration changed while the history runs is the component's own business. */
    @Test
    void aChangedConfigurationOfARunningHistoryLeavesItAlone() throws Exception {
        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-running"));
        recoveryOverFakeDs();
        activate();
        configurationChanged(Map.of("jdbcUrl", "jdbc:h2:mem:recovery-running"));
        tasks.advance(Duration.ZERO);
        assertEquals(0, disablings);
        assertEquals(0, enablings);
    }

    /**
     * DS disabling the history unbinds it from that many consumers that had not got it, asking for it for each.
     *
     * @return the failures of those activations
     */
    private List<String> disablingUnbindsFromConsumers(int consumers) {
        List<String> failures = new ArrayList<>();
        doAnswer(invocation -> {
            disablings++;
            for (int consumer = 0; consumer < consumers; consumer++) {
                try {
                    started.add(new HistoryComponent(config, name -> null, name -> null, clock, EngineExecutions.NONE,
                    recovery));
                } catch (IllegalStateException e) {
                    failures.add(e.getMessage());
                }
            }
            configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
            return Promises.resolved(null);
        }).when(runtime).disableComponent(description); // not when(...): that would call the answer in place
        return failures;
    }

    /**
     * From the enabling of the history until the activation that starts it anew ends, DS shows no failure of the
     * component: the recovery shows the restart then, and only then; while disabled, the one problem that waits.
     */
    @Test
    void theHistoryBeingStartedAnewIsAProblemUntilTheActivationThatStartsItEnds() throws Exception {
        recoveryOverFakeDs();
        List<List<Problem>> whileEnabling = new ArrayList<>();
        Deferred<Void> consumersActivated = new Deferred<>();
        when(runtime.enableComponent(description)).thenAnswer(invocation -> {
            whileEnabling.add(recovery.problems());
            return consumersActivated.getPromise(); // no consumer asked for the history yet
        });
        activate();
        tasks.advance(Duration.ZERO);
        tasks.advance(Duration.ofSeconds(5));
        assertTrue(waitingProblem().contains("(try 3, failing since " + Events.T0), waitingProblem());

        serverUp();
        tasks.advance(Duration.ofSeconds(10));
        Problem restart = new Problem("component", HistoryComponent.class.getName(), "component "
                + HistoryComponent.class.getName() + " is being started anew (try 3, failing since " + Events.T0
                + ": its database could not be reached); its services cannot be used until it has started", Events.T0);
        assertEquals(List.of(List.of(restart)), whileEnabling);
        assertEquals(List.of(restart), recovery.problems(), "until an activation ends");
        consumersActivated.resolve(null);
        assertEquals(List.of(), recovery.problems(), "every consumer has activated it, or failed to");
    }

    @Test
    void aMalformedConfigurationIsNotTriedAgain() throws Exception {
        config = ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:recovery;NO_SUCH_SETTING=1"));
        recoveryOverFakeDs();
        activate();
        assertEquals(ComponentConfigurationDTO.FAILED_ACTIVATION, configuration.state);
        assertEquals(List.of(), tasks.pending());
        assertFalse(configuration.failure.contains("tried again"), configuration.failure);
    }

    /**
     * A database that goes down while the history runs: the writer keeps the events and tries again, which only the log
     * said; it is a problem until they are written, naming since when and why.
     */
    @Test
    void aDatabaseDownWhileTheHistoryRunsIsAProblemUntilWhatWaitedIsWritten() throws Exception {
        String url = "jdbc:h2:tcp://localhost:" + port + "/" + folder.resolve("history");
        serverUp();
        HistoryComponent history = new HistoryComponent(ConfigurationTest.config(Map.of("jdbcUrl", url)), name -> null,
                name -> null, clock, EngineExecutions.NONE, new IgnoredStarts());
        started.add(history);
        history.onEvent(Events.started("before", Events.T0, "acme", "task", "direct"));
        assertTrue(history.awaitWritten(HistoryContract.WRITER_CATCHES_UP));

        serverDown();
        history.onEvent(Events.succeeded("before", Events.T0, Events.T0.plusSeconds(1)));
        long deadline = System.nanoTime() + HistoryContract.WRITER_CATCHES_UP.toNanos();
        while (history.problems().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no problem");
            Thread.sleep(20);
        }
        assertEquals(1, history.problems().size(), history.problems().toString());
        Problem down = history.problems().get(0);
        assertEquals(url, down.subject());
        assertEquals(Events.T0, down.since());
        assertTrue(down.message().startsWith("the history database " + url + " is unreachable since " + Events.T0
                + " (Connection is broken"), down.message());
        assertTrue(down.message().endsWith("): the events since wait in memory, are lost if the runtime stops before"
                + " they are written, and steps beyond writeQueueCapacity are dropped. The history writes what waits"
                + " once the database answers"), down.message());

        serverUp();
        assertTrue(history.awaitWritten(HistoryContract.WRITER_CATCHES_UP));
        assertEquals(List.of(), history.problems());
        assertEquals(ExecutionStatus.SUCCEEDED, history.find("before").orElseThrow().status());
    }

    @Test
    void eachTryWaitsTwiceAsLongUpToFiveMinutes() {
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 300L, 300L),
                java.util.stream.IntStream.rangeClosed(1, 8)
                        .mapToObj(n -> HistoryRecovery.delayAfter(n).toSeconds()).toList());
        assertEquals(Duration.ofMinutes(5), HistoryRecovery.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void onlyAFailureToReachTheDatabaseCanHeal() {
        assertTrue(HistoryRecovery.canHeal(new IllegalStateException("x",
                new java.sql.SQLException("refused", "08001", new java.net.ConnectException("refused")))));
        assertTrue(HistoryRecovery.canHeal(new IllegalStateException("x",
                new java.sql.SQLException("the database system is starting up", "57P03"))));
        assertTrue(HistoryRecovery.canHeal(assertThrows(IllegalStateException.class,
                () -> Database.open("jdbc:postgresql://localhost:" + port + "/history", "app", ""))), "refused");
        assertFalse(HistoryRecovery.canHeal(new IllegalStateException("x",
                new java.sql.SQLException("password authentication failed", "28P01"))));
        // DNS: a host whose name does not resolve yet (a database container starting); .invalid never resolves
        IllegalStateException unknownPostgres = assertThrows(IllegalStateException.class,
                () -> Database.open("jdbc:postgresql://db.invalid:5432/history", "app", ""));
        assertTrue(HistoryRecovery.canHeal(unknownPostgres), unknownPostgres.getMessage());
        assertTrue(unknownPostgres.getMessage().contains("the host db.invalid is not known (yet): its name does not"
                + " resolve"), unknownPostgres.getMessage());
        IllegalStateException unknownH2Server = assertThrows(IllegalStateException.class,
                () -> Database.open("jdbc:h2:tcp://db.invalid:9092/mem:history", "", ""));
        assertTrue(HistoryRecovery.canHeal(unknownH2Server), unknownH2Server.getMessage());
        assertFalse(HistoryRecovery.canHeal(new IllegalStateException("jdbcUrl ... names a database the history"
                + " does not support")));
    }
}
