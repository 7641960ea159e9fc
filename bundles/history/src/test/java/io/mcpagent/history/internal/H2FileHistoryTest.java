package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionStatus;

/** The history on its default database: an embedded H2 file. */
class H2FileHistoryTest extends HistoryContract {
    @TempDir
    Path folder;

    @Override
    String newDatabaseUrl() {
        return Settings.embeddedUrl(folder.toString());
    }

    @Test
    void theDefaultDatabaseIsAFileUnderTheDataFolder() {
        HistoryComponent history = open();
        history.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        history.find("exec-1").orElseThrow();
        assertTrue(folder.resolve("history").resolve("executions.mv.db").toFile().isFile());
    }

    /** H2 is a bundle of its own: a file system of this bundle left in its list kept this bundle's class loader. */
    @Test
    void theReadOnlyCheckLeavesNoFileSystemOfTheHistoryInH2() {
        deactivate(open());
        HistoryComponent history = open(); // an existing file: checked read-only first
        String path = ClosingFilePath.SCHEME + ":" + folder;
        assertFalse(FilePath.get(path) instanceof ClosingFilePath, "after the check");
        deactivate(history);
        assertFalse(FilePath.get(path) instanceof ClosingFilePath, "after deactivation");
    }

    /**
     * DB_CLOSE_DELAY=-1 kept an embedded file open in H2 after its last connection closed: a restart in the same
     * process (a bundle refresh) read "Database may be already in use", blaming another process.
     */
    @Test
    void aFileKeptOpenByItsUrlIsClosedOnDeactivationSoTheHistoryRestartsInTheSameProcess() {
        Settings keptOpen = settingsOn(url() + ";DB_CLOSE_DELAY=-1");
        HistoryComponent history = open(keptOpen);
        history.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        history.onEvent(Events.succeeded("exec-1", at(0), at(1)));
        history.find("exec-1").orElseThrow();
        deactivate(history);

        HistoryComponent restarted = open(keptOpen);
        assertEquals(ExecutionStatus.SUCCEEDED, restarted.find("exec-1").orElseThrow().status());
        deactivate(restarted);
        assertEquals(1, open(keptOpen).count(HistoryQuery.latest(10)), "and again, after the read-only check");
    }

    @Test
    void aFileKeptOpenByItsUrlIsClosedWhenTheHistoryMovesAwaySoItCanMoveBack() {
        Settings keptOpen = settingsOn(url() + ";DB_CLOSE_DELAY=-1");
        HistoryComponent history = open(keptOpen);
        history.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        history.onEvent(Events.succeeded("exec-1", at(0), at(1)));

        history.reconfigure(settingsOn(Settings.embeddedUrl(folder.resolve("other").toString())), List.of());
        history.reconfigure(keptOpen, List.of());

        assertEquals(List.of(), history.problems());
        assertEquals(ExecutionStatus.SUCCEEDED, history.find("exec-1").orElseThrow().status());
    }

    /**
     * A connection still at work as the history stopped (a query under way) made the session count 2, so the file was
     * never shut down and a restart in the same process was refused; a SHUTDOWN would have cut that query off. It
     * closes as the last connection goes.
     */
    @Test
    void aFileKeptOpenByItsUrlClosesAfterAConnectionStillAtWorkAsTheHistoryStops() throws Exception {
        Settings keptOpen = settingsOn(url() + ";DB_CLOSE_DELAY=-1");
        HistoryComponent history = open(keptOpen);
        history.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        history.find("exec-1").orElseThrow();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(keptOpen.jdbcUrl());
        h2.setUser("sa");
        try (Connection reader = h2.getConnection(); Statement statement = reader.createStatement()) {
            deactivate(history);
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM executions")) {
                rows.next();
                assertEquals(1, rows.getInt(1), "the query at work is not cut off");
            }
        }

        assertEquals(1, open(keptOpen).count(HistoryQuery.latest(10)));
    }

    /** H2 stores the DB_CLOSE_DELAY of a URL in the file: a URL without one kept the file open all the same. */
    @Test
    void aFileKeptOpenByTheDelayAnEarlierUrlStoredInItIsClosedOnDeactivation() {
        deactivate(open(settingsOn(url() + ";DB_CLOSE_DELAY=-1")));
        deactivate(open(settingsOn(url())));

        assertEquals(0, open(settingsOn(url())).count(HistoryQuery.latest(10)));
    }

    /** The read-only check's own database, which the URL kept open too, let the next check pass without reading. */
    @Test
    void aFileDamagedBetweenTwoStartsUnderAUrlThatKeepsItOpenIsRefused() throws Exception {
        Settings keptOpen = settingsOn(url() + ";DB_CLOSE_DELAY=-1");
        HistoryComponent history = open(keptOpen);
        for (int i = 1; i <= 3; i++) {
            history.onEvent(Events.started("exec-" + i, at(i), "acme", "task " + "x".repeat(20_000), "direct"));
        }
        history.find("exec-3").orElseThrow();
        deactivate(history);
        deactivate(open(keptOpen)); // checked read-only once
        Path file = folder.resolve("history").resolve("executions.mv.db");
        byte[] damaged = Files.readAllBytes(file);
        for (int i = 8192; i < damaged.length; i += 7) {
            damaged[i] = (byte) (damaged[i] * 31 + 7);
        }
        Files.write(file, damaged);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> open(keptOpen));
        assertTrue(refused.getMessage().startsWith("the history database jdbc:h2:file:"), refused.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(file), "left as it is");
    }

    @Test
    void aRefusedUpkeepValueLeavesTheHistoryRunningAndPurgingNothingUntilAValidOneArrives() throws Exception {
        recordAncientExecution();

        AtomicReference<HistoryComponent> started = new AtomicReference<>();
        String logged = Logged.whileRunning(() -> started.set(open(ConfigurationTest.config(Map.of("jdbcUrl", url(),
                "retentionDays", -1)))));
        HistoryComponent refused = started.get();
        assertTrue(logged.contains("WARN io.mcpagent.history.internal.HistoryComponent - nothing is purged from the"
                + " execution history while configuration io.mcpagent.history (etc/io.mcpagent.history.cfg.json) is"
                + " refused: repair it"), logged);
        assertEquals(1, refused.problems().size(), refused.problems().toString());
        Problem problem = refused.problems().get(0);
        assertEquals("config", problem.source());
        assertEquals("io.mcpagent.history", problem.subject());
        assertTrue(problem.message().startsWith("configuration io.mcpagent.history (etc/io.mcpagent.history.cfg.json)"
                + " is refused: retentionDays must be at least 0 (0: keep forever), was -1"), problem.message());
        assertTrue(refused.find("ancient").isPresent(), "the default retention of 30 days purges nothing while refused");
        refused.onEvent(Events.started("later", at(20), "acme", "task", "direct"));
        assertTrue(refused.find("later").isPresent(), "the history records on");
        deactivate(refused);

        HistoryComponent repaired = open(ConfigurationTest.config(Map.of("jdbcUrl", url(), "retentionDays", 30)));
        assertEquals(List.of(), repaired.problems());
        assertTrue(repaired.find("ancient").isEmpty(), "finished 60 days ago, kept 30");
    }

    /**
     * A file the config bundle refuses before ConfigAdmin sees it ({@code "retentionDays": -1}, a property misspelt,
     * invalid JSON) leaves the history on its defaults, whose 30-day retention purged what the file was to keep.
     */
    @Test
    void nothingIsPurgedWhileTheConfigurationFileIsRefused() throws Exception {
        recordAncientExecution();

        String refusal = "etc/io.mcpagent.history.cfg.json" + ConfigurationRefusals.NOT_APPLIED
                + "and no earlier version of it is in force: property 'retentionDays': -1 is out of range";
        List<Problem> configProblems = new ArrayList<>(List.of(new Problem(ConfigurationRefusals.FILE_SOURCE,
                "io.mcpagent.history.cfg.json", refusal, at(0))));
        BundleContext context = mock(BundleContext.class);
        ServiceReference<ServiceComponentRuntime> runtimeReference = uncheckedMock(ServiceReference.class);
        when(context.getServiceReference(ServiceComponentRuntime.class)).thenReturn(runtimeReference);
        when(context.getService(runtimeReference)).thenReturn(mock(ServiceComponentRuntime.class));
        ServiceReference<ProblemReporter> configReporter = uncheckedMock(ServiceReference.class);
        when(context.getServiceReferences(ProblemReporter.class, null)).thenReturn(List.of(configReporter));
        when(context.getService(configReporter)).thenReturn(() -> List.copyOf(configProblems));

        AtomicReference<HistoryComponent> started = new AtomicReference<>();
        AtomicReference<Boolean> kept = new AtomicReference<>();
        String logged = Logged.whileRunning(() -> {
            started.set(open(context, ConfigurationTest.config(Map.of("jdbcUrl", url()))));
            kept.set(started.get().find("ancient").isPresent()); // after the activation's purge, which it waits for
        });
        HistoryComponent defaults = started.get();
        assertTrue(kept.get(), "the default retention of 30 days purges nothing while the file is refused");
        assertTrue(logged.contains("WARN io.mcpagent.history.internal.JdbcSink - nothing is purged from the execution"
                + " history while its configuration file is refused: repair it (" + refusal + ")"), logged);
        deactivate(defaults);

        configProblems.clear(); // the file repaired, or removed: the defaults are what the operator wants
        HistoryComponent applied = open(context, ConfigurationTest.config(Map.of("jdbcUrl", url())));
        assertTrue(applied.find("ancient").isEmpty(), "finished 60 days ago, kept 30");
    }

    /** Records the execution "ancient", finished 60 days before the clock, with a history that keeps everything. */
    private void recordAncientExecution() {
        clock.set(at(0).plus(Duration.ofDays(60)));
        HistoryComponent keepingAll = open(0, 10_000);
        keepingAll.onEvent(Events.started("ancient", at(0), "acme", "task", "direct"));
        keepingAll.onEvent(Events.succeeded("ancient", at(0), at(10)));
        keepingAll.find("ancient").orElseThrow();
        deactivate(keepingAll);
    }

    @SuppressWarnings("unchecked")
    private static <T> T uncheckedMock(Class<?> type) {
        return (T) mock(type);
    }

    @Test
    void aChangedConfigurationIsCheckedAsOnActivationAndAppliedInPlace() throws java.io.IOException {
        clock.set(at(0).plus(Duration.ofDays(60)));
        HistoryComponent history = open(ConfigurationTest.config(Map.of("jdbcUrl", url(), "retentionDays", 0)));
        history.onEvent(Events.started("ancient", at(0), "acme", "task", "direct"));
        history.onEvent(Events.succeeded("ancient", at(0), at(10)));
        history.onEvent(Events.started("running", at(20), "acme", "task", "direct"));

        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", url(), "retentionDays", -1)));
        assertEquals(1, history.problems().size(), history.problems().toString());
        assertTrue(history.problems().get(0).message().contains("retentionDays must be at least 0"),
                history.problems().get(0).message());
        assertTrue(history.find("ancient").isPresent(), "a refused retention purges nothing");

        // a password written where its file's path belongs is not repeated
        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", url(), "passwordFile", "s3cret-Db-Pa55word")));
        assertEquals(1, history.problems().size(), history.problems().toString());
        String notAFile = history.problems().get(0).message();
        assertTrue(notAFile.contains("cannot read the history database password, as passwordFile of "
                + HistoryComponent.PID + " names no file there is (its value is not shown"), notAFile);
        assertFalse(notAFile.contains("s3cret"), notAFile);
        // /status masks what it shows: it read "password: [redacted] of io.mcpagent.history names no file"
        assertEquals(notAFile, io.mcpagent.api.security.Secrets.redact(notAFile));

        Path folderNotFile = Files.createDirectories(folder.resolve("a-folder"));
        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", url(), "passwordFile", folderNotFile.toString())));
        assertEquals(1, history.problems().size(), history.problems().toString());
        assertTrue(history.problems().get(0).message().contains("cannot read the history database password from "
                + "passwordFile " + folderNotFile), history.problems().get(0).message());

        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", url(), "retentionDays", 30)));
        assertEquals(List.of(), history.problems());
        assertTrue(history.find("ancient").isEmpty(), "finished 60 days ago, kept 30");
        assertEquals(ExecutionStatus.RUNNING, history.find("running").orElseThrow().status());
    }

    @Test
    void anEmbeddedDatabaseInterruptsEveryRunningExecutionWhateverItsNode() {
        HistoryComponent history = open(new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), "old-host-name"));
        history.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        history.find("exec-1").orElseThrow();
        deactivate(history);

        HistoryComponent renamed = open(new Settings(url(), "", "", 30, 365, 100, Duration.ofHours(1), "new-host-name"));
        assertEquals(ExecutionStatus.INTERRUPTED, renamed.find("exec-1").orElseThrow().status(),
                "only this process could have run it");
    }

    @Test
    void movingToAnotherDatabaseEndsTheOldRecordNamingTheNewAndOpensTheNewNamingTheOld() {
        String other = Settings.embeddedUrl(folder.resolve("other").toString());
        HistoryComponent earlierProcess = open(settingsOn(other));
        earlierProcess.onEvent(Events.started("left-behind", at(0), "acme", "task", "direct"));
        earlierProcess.find("left-behind").orElseThrow();
        deactivate(earlierProcess);
        HistoryComponent history = open();
        history.onEvent(Events.started("spanning", at(0), "acme", "the task", "direct"));
        history.onEvent(Events.llmFinished("spanning", at(1), "agent", 1, Usage.of(10, 10), "0.001"));
        history.onEvent(Events.started("done-before", at(0), "acme", "task", "direct"));
        history.onEvent(Events.succeeded("done-before", at(0), at(1)));
        history.find("spanning").orElseThrow();

        history.reconfigure(settingsOn(other), List.of());

        ExecutionRecord leftBehind = history.find("left-behind").orElseThrow();
        assertEquals(ExecutionStatus.INTERRUPTED, leftBehind.status(), "as on activation");
        assertEquals(HistoryComponent.INTERRUPTED_ERROR, leftBehind.error());
        history.onEvent(Events.llmFinished("spanning", at(2), "agent", 2, Usage.of(20, 20), "0.002"));
        ExecutionRecord running = history.find("spanning").orElseThrow();
        assertEquals(0, new BigDecimal("0.003").compareTo(running.cost()), "its cost so far, from before the move too: "
                + running.cost());
        history.onEvent(Events.finished("spanning", at(0), at(3), ExecutionStatus.SUCCEEDED, "done", null,
                Usage.NONE, "direct"));
        ExecutionRecord moved = history.find("spanning").orElseThrow();
        assertEquals(ExecutionStatus.SUCCEEDED, moved.status());
        assertEquals(Usage.of(30, 30), moved.usage(), "the model calls before the move and after");
        assertEquals(0, new BigDecimal("0.003").compareTo(moved.cost()), moved.cost().toPlainString());
        assertEquals("the task", moved.task());
        assertEquals(at(0), moved.started());
        List<ExecutionStep> steps = history.steps("spanning");
        assertEquals(List.of(EventRecorder.MOVED, AgentEvent.LLM_FINISHED), steps.stream().map(ExecutionStep::type).toList());
        assertEquals(url(), steps.get(0).subject());
        assertEquals(Usage.of(10, 10), steps.get(0).usage(), "what the record here carries from before the move");
        assertEquals(0, new BigDecimal("0.001").compareTo(steps.get(0).cost()), steps.get(0).cost().toPlainString());
        assertTrue(steps.get(0).detail().startsWith("the history moved to this database from " + url()),
                steps.get(0).detail());
        assertTrue(history.find("done-before").isEmpty(), "what had ended stays where it was recorded");
        deactivate(history);

        HistoryComponent old = open();
        ExecutionRecord left = old.find("spanning").orElseThrow();
        assertEquals(ExecutionStatus.INTERRUPTED, left.status());
        assertEquals(HistoryComponent.MOVED_ERROR + other, left.error());
        assertEquals(List.of(1L), old.steps("spanning").stream().map(ExecutionStep::seq).toList());
        assertEquals(ExecutionStatus.SUCCEEDED, old.find("done-before").orElseThrow().status());
    }

    /**
     * H2 creates a missing file without a word: a history file deleted or moved (a clean-up of data/) gave an empty
     * history at the next start, every execution recorded before gone and nothing said (walkthrough). One deleted while
     * the history runs on it is named too: what is recorded then is lost when the runtime stops.
     */
    @Test
    void aHistoryFileThatWentMissingIsNamedAtTheStartAndWhileRunning() throws Exception {
        BundleContext context = mock(BundleContext.class);
        Path bundleData = Files.createDirectories(folder.resolve("bundle-data"));
        when(context.getDataFile(KnownFiles.FILE)).thenReturn(bundleData.resolve(KnownFiles.FILE).toFile());
        HistoryComponent first = open(context, ConfigurationTest.config(Map.of("jdbcUrl", url())));
        first.onEvent(Events.started("before", at(0), "acme", "task", "direct"));
        first.find("before").orElseThrow();
        assertEquals(List.of(), first.problems());
        deactivate(first);
        Path file = folder.resolve("history").resolve("executions.mv.db").toRealPath();
        Files.delete(file);

        String logged = Logged.whileRunning(() -> {
            HistoryComponent emptied = open(context, ConfigurationTest.config(Map.of("jdbcUrl", url())));
            assertTrue(emptied.find("before").isEmpty(), "a new, empty history");
            assertEquals(List.of("the history database file " + file + " is missing: the history ran on it before,"
                    + " and it was deleted or moved since. A new, empty history is started in its place, without the"
                    + " executions recorded before; to get them back, stop the runtime, put the file back (from a"
                    + " backup) and start it"), emptied.problems().stream().map(Problem::message).toList());
            deactivate(emptied);
        });
        assertTrue(logged.contains("WARN io.mcpagent.history.internal.KnownFiles - the history database file " + file
                + " is missing"), logged);

        HistoryComponent running = open(context, ConfigurationTest.config(Map.of("jdbcUrl", url())));
        assertEquals(List.of(), running.problems(), "the file made at the last start is the history's now");
        Files.delete(file);
        assertEquals(1, running.problems().size());
        assertTrue(running.problems().get(0).message().startsWith("the history database file " + file + " was"
                + " deleted while the history runs on it"), running.problems().toString());
    }

    @Test
    void anotherUrlOfTheSameFileKeepsRecordingInTheSameRecords() {
        HistoryComponent history = open();
        history.onEvent(Events.started("spanning", at(0), "acme", "the task", "direct"));
        history.onEvent(Events.llmFinished("spanning", at(1), "agent", 1, Usage.of(10, 10), "0.001"));
        history.find("spanning").orElseThrow();

        history.reconfigure(settingsOn(url() + ";WRITE_DELAY=0"), List.of());

        assertEquals(List.of(), history.problems());
        assertEquals(ExecutionStatus.RUNNING, history.find("spanning").orElseThrow().status());
        history.onEvent(Events.llmFinished("spanning", at(2), "agent", 2, Usage.of(20, 20), "0.002"));
        history.onEvent(Events.succeeded("spanning", at(0), at(3)));
        assertEquals(ExecutionStatus.SUCCEEDED, history.find("spanning").orElseThrow().status());
        assertEquals(List.of(1L, 2L), history.steps("spanning").stream().map(ExecutionStep::seq).toList());
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsRefusedAndTheHistoryGoesOnSayingSo() {
        HistoryComponent history = open();
        history.onEvent(Events.started("spanning", at(0), "acme", "the task", "direct"));
        String bad = "jdbc:h2:mem:bad;NO_SUCH_SETTING=1";

        history.reconfigure(settingsOn(bad), List.of());

        assertEquals(1, history.problems().size(), history.problems().toString());
        Problem refused = history.problems().get(0);
        assertEquals("config", refused.source());
        assertTrue(refused.message().startsWith("configuration io.mcpagent.history (etc/io.mcpagent.history.cfg.json)"
                + " is refused: cannot open the history database " + bad + ": "), refused.message());
        assertTrue(refused.message().endsWith("; the history goes on recording in " + url() + " until it is repaired"),
                refused.message());
        history.onEvent(Events.llmFinished("spanning", at(1), "agent", 1, Usage.of(10, 10), "0.001"));
        history.onEvent(Events.succeeded("spanning", at(0), at(2)));
        assertEquals(ExecutionStatus.SUCCEEDED, history.find("spanning").orElseThrow().status());
        assertEquals(1, history.steps("spanning").size());

        history.reconfigure(settingsOn(url()), List.of());
        assertEquals(List.of(), history.problems(), "repaired");
    }

    /**
     * ConfigAdmin's event said only that the configuration was stored: the audit log hears the refusal of a database
     * the history cannot move to (or whose password cannot be read) from the refusal listeners, as any other refusal.
     */
    @Test
    void aDatabaseTheHistoryCannotMoveToIsToldToTheRefusalListeners() throws Exception {
        BundleContext context = mock(BundleContext.class);
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationRefusalListener> listener = mock(ServiceReference.class);
        List<String> told = new ArrayList<>();
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of(listener));
        when(context.getService(listener)).thenReturn((pid, message) -> told.add(pid + ": " + message));
        HistoryComponent history = open(context, ConfigurationTest.config(Map.of("jdbcUrl", url())));

        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:bad;NO_SUCH_SETTING=1")));
        String cannotOpen = history.problems().get(0).message();
        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", url(), "passwordFile", "s3cret-Db-Pa55word")));
        String cannotReadPassword = history.problems().get(0).message();
        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", url())));

        assertEquals(List.of(HistoryComponent.PID + ": " + cannotOpen, HistoryComponent.PID + ": " + cannotReadPassword),
                told);
        assertEquals(List.of(), history.problems(), "repaired");
    }

    /** A configuration saved in the Web Console has no file: its refusal named etc/io.mcpagent.history.cfg.json. */
    @Test
    void aDatabaseRefusedOfAConfigurationNoFileMadeSaysWhereItComesFrom() throws Exception {
        BundleContext context = mock(BundleContext.class);
        @SuppressWarnings("unchecked")
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        Configuration saved = mock(Configuration.class);
        when(context.getServiceReferences(ConfigurationRefusalListener.class, null)).thenReturn(List.of());
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(admin);
        when(admin.listConfigurations("(service.pid=" + HistoryComponent.PID + ")"))
                .thenReturn(new Configuration[] {saved});
        when(saved.getProperties()).thenReturn(new Hashtable<>(Map.of("jdbcUrl", "jdbc:h2:mem:bad;NO_SUCH_SETTING=1")));
        HistoryComponent history = open(context, ConfigurationTest.config(Map.of("jdbcUrl", url())));

        history.modified(ConfigurationTest.config(Map.of("jdbcUrl", "jdbc:h2:mem:bad;NO_SUCH_SETTING=1")));

        String message = history.problems().get(0).message();
        assertTrue(message.startsWith("configuration io.mcpagent.history (set through Configuration Admin, such as in"
                + " the Web Console, not by a file in etc/) is refused: cannot open the history database"), message);
    }

    /**
     * A hand-over that failed otherwise than by an SQLException (here a status a damaged file gives back wrong) left
     * the move half done: the old writer stopped, the new one never started, and the history recorded nothing more.
     * What the failure left (executions reading RUNNING in the old database, records without the history.moved step)
     * was only logged; it is a problem until a move hands over or the history restarts.
     */
    @Test
    void aMoveWhoseHandOverFailsUnexpectedlyStillRecordsInTheNewDatabaseAndSaysWhatItLeft() throws Exception {
        String other = Settings.embeddedUrl(folder.resolve("other").toString());
        garbleStatusIn(other, "spanning");
        HistoryComponent history = open();
        history.onEvent(Events.started("spanning", at(0), "acme", "the task", "direct"));
        history.find("spanning").orElseThrow();

        String log = Logged.whileRunning(() -> history.reconfigure(settingsOn(other), List.of()));

        assertHandOverFailedProblem(history, other, "java.lang.IllegalArgumentException: No enum constant");
        assertTrue(log.contains("ERROR io.mcpagent.history.internal.HistoryComponent - the history moved from " + url()
                + " to " + other + " at " + clock.instant() + ", but handing over the executions running then failed"
                + " (java.lang.IllegalArgumentException: No enum constant"), log);
        history.onEvent(Events.started("after", at(1), "acme", "task", "direct"));
        history.onEvent(Events.succeeded("after", at(1), at(2)));
        assertEquals(ExecutionStatus.SUCCEEDED, history.find("after").orElseThrow().status(), "the new writer runs");

        history.reconfigure(settingsOn(url()), List.of());
        assertEquals(List.of(), history.problems(), "a move that hands over clears it");
        assertEquals(ExecutionStatus.INTERRUPTED, history.find("spanning").orElseThrow().status(),
                "left RUNNING in the old database, and marked as the history starts on it again");
        deactivate(history);
        assertTrue(open().find("after").isEmpty(), "recorded in the database moved to, not in the old one");
    }

    /**
     * A hand-over the new database refuses (here a constraint of its own forbids marking what another process left
     * there INTERRUPTED) was only logged too.
     */
    @Test
    void aMoveWhoseHandOverTheDatabaseRefusesSaysWhatItLeftUntilTheHistoryRestarts() throws Exception {
        String other = Settings.embeddedUrl(folder.resolve("other").toString());
        deactivate(open(settingsOn(other)));
        Database database = Database.open(other, "", "");
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO executions (id, status, started) VALUES ('left', 'RUNNING',"
                    + " CURRENT_TIMESTAMP)");
            statement.execute("ALTER TABLE executions ADD CONSTRAINT never_interrupted"
                    + " CHECK (status <> 'INTERRUPTED')");
        }
        HistoryComponent history = open();
        history.onEvent(Events.started("spanning", at(0), "acme", "the task", "direct"));
        history.find("spanning").orElseThrow();

        history.reconfigure(settingsOn(other), List.of());

        assertHandOverFailedProblem(history, other, "NEVER_INTERRUPTED");
        deactivate(history);
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE executions DROP CONSTRAINT never_interrupted");
        }
        assertEquals(List.of(), open(settingsOn(other)).problems(), "a restart clears it");
    }

    /**
     * An Error in the hand-over (here the clock failing as it interrupts the executions moved away) left the old
     * writer stopped and the new one never started: nothing was recorded any more, and every query waited its 10 s.
     * The refusal of an earlier database, which said the history goes on in the old one, stayed too.
     */
    @Test
    void aMoveWhoseHandOverFailsWithAnErrorStillStartsTheNewWriter() {
        HistoryComponent history = open();
        history.onEvent(Events.started("spanning", at(0), "acme", "the task", "direct"));
        history.find("spanning").orElseThrow();
        history.reconfigure(settingsOn("jdbc:h2:mem:bad;NO_SUCH_SETTING=1"), List.of());
        assertEquals("config", history.problems().get(0).source(), "refused");
        String other = Settings.embeddedUrl(folder.resolve("other").toString());
        Error failure = new Error("the clock failed");

        clock.failNextReadingOnThisThread(failure);
        assertEquals(failure, assertThrows(Error.class, () -> history.reconfigure(settingsOn(other), List.of())));

        history.onEvent(Events.started("after", at(1), "acme", "task", "direct"));
        history.onEvent(Events.succeeded("after", at(1), at(2)));
        assertTrue(history.awaitWritten(Duration.ofSeconds(60)), "the new writer runs");
        assertEquals(ExecutionStatus.SUCCEEDED, history.find("after").orElseThrow().status());
        assertHandOverFailedProblem(history, other, "java.lang.Error: the clock failed");
        deactivate(history);
        assertTrue(open().find("after").isEmpty(), "recorded in the database moved to, not in the old one");
    }

    private void garbleStatusIn(String jdbcUrl, String executionId) throws SQLException {
        deactivate(open(settingsOn(jdbcUrl)));
        try (Connection connection = Database.open(jdbcUrl, "", "").connection();
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO executions (id, status, started) VALUES ('" + executionId + "', 'GARBLED',"
                    + " CURRENT_TIMESTAMP)");
        }
    }

    private void assertHandOverFailedProblem(HistoryComponent history, String movedTo, String cause) {
        assertEquals(1, history.problems().size(), history.problems().toString());
        Problem failed = history.problems().get(0);
        assertEquals("history", failed.source());
        assertEquals(movedTo, failed.subject());
        assertTrue(failed.message().startsWith("the history moved from " + url() + " to " + movedTo + " at "
                + clock.instant() + ", but handing over the executions running then failed ("), failed.message());
        assertTrue(failed.message().contains(cause), failed.message());
        assertTrue(failed.message().contains("those executions may read RUNNING in " + url() + ", and their records in "
                + movedTo + " may lack the history.moved step"), failed.message());
        assertTrue(failed.message().endsWith("Restart the bundle io.mcpagent.history to mark those left in " + movedTo
                + " INTERRUPTED; the executions left RUNNING in " + url() + " are marked when the history next starts"
                + " on it, or set them INTERRUPTED by hand"), failed.message());
    }

    @Test
    void noEventIsLostWhileTheHistoryMovesToAnotherDatabase() throws Exception {
        HistoryComponent history = open();
        history.onEvent(Events.started("busy", at(0), "acme", "the task", "direct"));
        history.find("busy").orElseThrow();
        int published = 2_000;
        Thread publisher = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < published; i++) {
                history.onEvent(Events.llmFinished("busy", at(1), "agent", i, Usage.NONE, "0"));
            }
        });
        String other = Settings.embeddedUrl(folder.resolve("other").toString());
        history.reconfigure(settingsOn(other), List.of());
        publisher.join();

        long inNew = history.steps("busy").stream().filter(step -> !EventRecorder.MOVED.equals(step.type())).count();
        deactivate(history);
        long inOld = open().steps("busy").size();
        assertEquals(published, inOld + inNew, inOld + " steps in the old database, " + inNew + " in the new one");
    }

    private static Settings settingsOn(String jdbcUrl) {
        return new Settings(jdbcUrl, "", "", 30, 365, 10_000, Duration.ofHours(1), NODE);
    }

    /**
     * Refused before anything is written to it: the columns added beside version 1 were added first (H2 commits each
     * ALTER at once), to a database whose newer version may have dropped them.
     */
    @Test
    void aDatabaseFromANewerVersionIsRefusedAndLeftAsItIs() throws Exception {
        deactivate(open());
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url());
        dataSource.setUser("sa");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE history_schema SET version = " + (Schema.VERSION + 1));
            statement.execute("ALTER TABLE executions DROP COLUMN warnings");
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().startsWith("the history database " + url() + " has schema version "
                + (Schema.VERSION + 1) + ", newer than the " + Schema.VERSION + " this bundle knows: it is left as it"
                + " is"), refused.getMessage());
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.columns"
                     + " WHERE LOWER(column_name) = 'warnings'")) {
            rows.next();
            assertEquals(0, rows.getInt(1), "nothing added to it");
        }
    }

    @Test
    void schemaCreationIsIdempotent() {
        deactivate(open());
        deactivate(open());
        HistoryComponent third = open();
        third.onEvent(Events.started("exec-1", at(0), "acme", "task", "direct"));
        assertTrue(third.find("exec-1").isPresent());
    }

    @Test
    void aFileWithScrambledDataPagesIsRefusedAndLeftAsItIs() throws Exception {
        Path file = historyWithThreeExecutions();
        byte[] damaged = Files.readAllBytes(file);
        // the two 4 KiB store headers stay intact, every chunk after them is garbled
        for (int i = 8192; i < damaged.length; i += 7) {
            damaged[i] = (byte) (damaged[i] * 31 + 7);
        }
        Files.write(file, damaged);

        assertRefusedAndUntouched(file, damaged);
    }

    /**
     * H2 kept a file it failed to open in use within the JVM until garbage collection: a start retried soon after, on
     * the file restored in place, read "Database may be already in use".
     */
    @Test
    void aDamagedFileRestoredInPlaceOpensOnTheNextStartInTheSameProcess() throws Exception {
        Path file = historyWithThreeExecutions();
        byte[] whole = Files.readAllBytes(file);
        byte[] damaged = whole.clone();
        for (int i = 8192; i < damaged.length; i += 7) {
            damaged[i] = (byte) (damaged[i] * 31 + 7);
        }
        Files.write(file, damaged);
        assertRefusedAndUntouched(file, damaged);

        Files.write(file, whole); // the backup copied over it: the same file
        assertEquals(3, open().count(HistoryQuery.latest(10)));
    }

    @Test
    void aTruncatedFileIsRefusedAndLeftAsItIs() throws Exception {
        Path file = historyWithThreeExecutions();
        byte[] truncated = Arrays.copyOf(Files.readAllBytes(file), 12_000);
        Files.write(file, truncated);

        IllegalStateException refused = assertRefusedAndUntouched(file, truncated);
        assertTrue(refused.getMessage().contains("is damaged: H2 can read no data in its file " + file
                + " and would replace it with an empty database"), refused.getMessage());
    }

    @Test
    void anEmptyFileStartsANewHistory() throws Exception {
        // 0 bytes (a crash before the first write, a power cut on some file systems) hold nothing to lose
        Path file = historyWithThreeExecutions();
        Files.write(file, new byte[0]);

        HistoryComponent history = open();
        assertEquals(0, history.count(HistoryQuery.latest(10)));
        history.onEvent(Events.started("exec-new", at(7), "acme", "task", "direct"));
        assertEquals(1, history.count(HistoryQuery.latest(10)));
        deactivate(history);
        assertTrue(Files.size(file) > 0, "H2 wrote a new database into the empty file");
    }

    @Test
    void aFileCutWithinItsHeadersIsRefusedAndLeftAsItIs() throws Exception {
        assertCutFileRefused(5_000);
    }

    /** H2 cannot open such a file read-only, but it is no file without readable data either (not read-only, not corrupted). */
    private void assertCutFileRefused(int length) throws Exception {
        Path file = historyWithThreeExecutions();
        byte[] cut = Arrays.copyOf(Files.readAllBytes(file), length);
        Files.write(file, cut);

        IllegalStateException refused = assertRefusedAndUntouched(file, cut);
        assertTrue(refused.getMessage().contains("cannot be read: H2 fails to open its file " + file + " read-only ("),
                refused.getMessage());
    }

    /**
     * 1 KiB zeroed at every 512th byte behind the headers, each in a file of its own: H2 opens some read-only (the
     * pages it needs on opening are intact), fails on others as on a file it can read no data in, and trips over
     * others in other ways ("Unexpected code path", a data conversion error). Every failure refuses and leaves the
     * file as it was; before, the others went on to the normal open, which wrote to the damaged file.
     */
    @Test
    void everyDamageTheReadOnlyOpenFailsOnIsRefusedAndLeftAsItIs() throws Exception {
        byte[] whole = Files.readAllBytes(historyWithThreeExecutions());
        deactivateAll();
        int otherFailures = 0;
        for (int from = 8192; from < whole.length; from += 512) {
            byte[] damaged = whole.clone();
            Arrays.fill(damaged, from, Math.min(whole.length, from + 1024), (byte) 0);
            Path copy = Files.createDirectories(folder.resolve("zeroed-at-" + from)).resolve("executions.mv.db");
            Files.write(copy, damaged);
            // no compaction when the files H2 opens are closed again: it would take up to 200 ms each
            String url = "jdbc:h2:file:" + copy.getParent().resolve("executions") + ";DB_CLOSE_ON_EXIT=FALSE"
                    + ";MAX_COMPACT_TIME=0";
            try {
                Database.open(url, "", "");
            } catch (IllegalStateException refused) {
                assertTrue(refused.getMessage().startsWith("the history database " + url), refused.getMessage());
                assertTrue(refused.getMessage().contains("its file " + copy), refused.getMessage());
                assertTrue(refused.getMessage().contains("The file is left as it is and the history does not start"),
                        refused.getMessage());
                assertArrayEquals(damaged, Files.readAllBytes(copy), "zeroed at " + from + ": " + refused.getMessage());
                int code = ((SQLException) refused.getCause()).getErrorCode();
                otherFailures += code == ErrorCode.DATABASE_IS_READ_ONLY || code == ErrorCode.FILE_CORRUPTED_1 ? 0 : 1;
            }
        }
        assertTrue(otherFailures > 0, "some damage makes the read-only open fail otherwise than on a file without"
                + " readable data, or this test no longer tests that");
    }

    /**
     * H2 opens some damaged files, read-only too, with a table gone from its catalog (in a probe, 2,391 random bytes
     * at 68,006 in a 77,824-byte file of two tables lost the first one); the history then created it again, empty.
     * The table is dropped here, which leaves the database in the same state, every time.
     */
    @Test
    void aDatabaseThatLostATableOfItsVersionIsRefused() throws Exception {
        historyWithThreeExecutions();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url());
        h2.setUser("sa");
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE executions");
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().startsWith("the history database " + url() + " is damaged: it records schema"
                + " version 1 but has no table executions. It is left as it is"), refused.getMessage());
        assertThrows(IllegalStateException.class, this::open, "refused again on the next start");
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                    + " WHERE LOWER(table_name) = 'executions'");
            rows.next();
            assertEquals(0, rows.getInt(1), "no empty table made in its place");
        }
    }

    /**
     * A damaged file can read a row's id as null: activation failed with a bare NullPointerException that named no
     * database. Such a row can be neither found nor marked by its id, so it is left as it is, with a warning.
     */
    @Test
    void anUnfinishedExecutionWithoutAnIdIsLeftAsItIsAndTheOthersAreMarked() throws Exception {
        HistoryComponent earlier = open();
        earlier.onEvent(Events.started("left-behind", at(0), "acme", "task", "direct"));
        earlier.find("left-behind").orElseThrow();
        deactivate(earlier);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url());
        h2.setUser("sa");
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE executions DROP PRIMARY KEY");
            statement.execute("ALTER TABLE executions ALTER COLUMN id SET NULL");
            statement.execute("INSERT INTO executions (id, status, started) SELECT NULL, status, started"
                    + " FROM executions WHERE id = 'left-behind'");
        }

        HistoryComponent[] started = new HistoryComponent[1];
        String log = Logged.whileRunning(() -> started[0] = open());

        assertTrue(log.contains("WARN io.mcpagent.history.internal.HistoryComponent - the history database " + url()
                + " holds an unfinished execution without an id"), log);
        assertEquals(ExecutionStatus.INTERRUPTED, started[0].find("left-behind").orElseThrow().status());
        started[0].onEvent(Events.started("after", at(1), "acme", "task", "direct"));
        assertTrue(started[0].find("after").isPresent(), "the history records");
    }

    /** Anything else unexpected while the database is prepared refuses the start, naming the database and the cause. */
    @Test
    void anUnexpectedFailureWhileTheDatabaseIsPreparedIsARefusalNamingTheDatabase() {
        deactivate(open());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new HistoryComponent(settings(30, 10_000), List.of(), clock, new EngineHere() {
                    @Override
                    public List<Execution> running() {
                        throw new NullPointerException("no id");
                    }
                }));
        assertTrue(refused.getMessage().startsWith("the history database " + url() + " cannot be prepared:"
                + " java.lang.NullPointerException: no id. The history does not start"), refused.getMessage());
        assertEquals(0, open().count(HistoryQuery.latest(10)), "it opens again once the cause is gone");
    }

    /** The writer thread failed: only the log said that the history no longer recorded. */
    @Test
    void aWriterThatFailedAndStoppedIsAProblem() {
        clock.set(Instant.MIN); // the first purge's cutoff is before any Instant: the writer fails on its first job
        HistoryComponent history = open();
        history.awaitWritten(HistoryComponent.READ_WAIT);

        List<Problem> problems = history.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("history", problems.get(0).source());
        assertEquals(url(), problems.get(0).subject());
        assertTrue(problems.get(0).message().startsWith("the history writer failed and stopped at " + Instant.MIN
                + ": no execution is recorded in " + url() + " any more (java.time.DateTimeException: "),
                problems.get(0).message());
    }

    /**
     * A full disk: H2 failed to write its file, took the commits that followed into memory, where they read as
     * recorded, and lost them as it closed, even once the disk had room again (the executions of the outage were gone
     * at the next start); it told the failure at the next commit only, so the commits of the half second before were
     * lost too. The writer has H2 write each batch through, lets go of the file when a write fails, keeps the events,
     * and writes them once there is room; a problem says so meanwhile. An audit entry is written through too.
     */
    @Test
    void eventsRecordedOnAFullDiskWaitUntilThereIsRoomAndSurviveARestart() throws Exception {
        String fullDisk = "jdbc:h2:" + FailingWritesFilePath.SCHEME + ":" + folder.resolve("history")
                .resolve("executions") + ";DB_CLOSE_ON_EXIT=FALSE";
        FailingWritesFilePath.register();
        try {
            HistoryComponent history = open(ConfigurationTest.config(Map.of("jdbcUrl", fullDisk)));
            history.onEvent(Events.started("before", at(1), "acme", "task", "direct"));
            assertTrue(history.awaitWritten(WRITER_CATCHES_UP));

            FailingWritesFilePath.fill(true);
            history.onEvent(Events.succeeded("before", at(1), at(2)));
            AuditEntry refused = new AuditEntry(at(2), "alice", "admin", null, "server.install", "fs",
                    AuditEntry.SUCCEEDED, null);
            assertThrows(IllegalStateException.class, () -> history.record(refused));
            for (String id : List.of("during-1", "during-2")) {
                history.onEvent(Events.started(id, at(3), "acme", "task", "direct"));
                history.onEvent(Events.llmFinished(id, at(3), "agent", 1, Usage.of(1, 1), "0.1"));
                history.onEvent(Events.succeeded(id, at(3), at(4)));
            }
            Problem problem = awaitProblem(history, fullDisk);
            assertTrue(problem.message().startsWith("the history database " + fullDisk + " cannot write its file since "
                    + clock.instant() + " ("), problem.message());
            assertTrue(problem.message().contains("No space left on device"), problem.message());
            assertTrue(problem.message().endsWith("): the events since wait in memory, are lost if the runtime stops"
                    + " before they are written, and steps beyond writeQueueCapacity are dropped. Make the file"
                    + " writable (a full disk, a read-only file system, its permissions or attributes?); the history"
                    + " writes what waits once it can, nothing needs restarting"), problem.message());

            long reading = System.nanoTime();
            assertEquals(List.of("before"), history.query(HistoryQuery.latest(10)).stream()
                    .map(ExecutionRecord::executionId).toList(), "what is stored, read at once");
            assertTrue(Duration.ofNanos(System.nanoTime() - reading).compareTo(HistoryComponent.READ_WAIT) < 0,
                    "not after the wait for a writer that waits for the file");

            FailingWritesFilePath.fill(false);
            assertTrue(history.awaitWritten(WRITER_CATCHES_UP));
            assertEquals(List.of(), problemsOf(history, fullDisk));
            history.record(new AuditEntry(at(5), "alice", "admin", null, "server.install", "fs", AuditEntry.SUCCEEDED,
                    null));
            deactivate(history);
        } finally {
            deactivateAll(); // before the scheme goes, or H2 writes to a folder named after it
            FailingWritesFilePath.unregister();
        }

        HistoryComponent reopened = open();
        assertEquals(List.of("before SUCCEEDED", "during-1 SUCCEEDED", "during-2 SUCCEEDED"),
                reopened.query(HistoryQuery.latest(10)).stream().map(run -> run.executionId() + " " + run.status())
                        .sorted().toList());
        assertEquals(1, reopened.steps("during-2").size());
        assertEquals(List.of(at(5)), reopened.query(AuditQuery.latest(10)).stream().map(AuditEntry::timestamp)
                .toList());
    }

    /**
     * A user H2 gives no admin rights may not CHECKPOINT, with which each batch is written through: every batch failed,
     * was taken for a file that cannot be written, and the history recorded nothing, waiting for ever. It records on
     * without write-through, and says so once.
     */
    @Test
    void aUserWithoutAdminRightsRecordsWithoutWriteThroughAndIsToldSoOnce() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url());
        h2.setUser("sa");
        try (Connection admin = h2.getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE USER app PASSWORD 'app-password'");
            statement.execute("GRANT ALTER ANY SCHEMA TO app");
        }
        String logged = Logged.whileRunning(() -> {
            HistoryComponent history = open(ConfigurationTest.config(Map.of("jdbcUrl", url(), "user", "app",
                    "_password", "app-password")));
            for (String id : List.of("first", "second")) {
                history.onEvent(Events.started(id, at(1), "acme", "task", "direct"));
                assertTrue(history.awaitWritten(WRITER_CATCHES_UP));
            }
            assertEquals(List.of(), history.problems());
            assertEquals(2, history.count(HistoryQuery.latest(10)));
            deactivate(history);
        });
        assertEquals(1, logged.split("has no admin rights", -1).length - 1, logged);
        assertEquals(2, open().count(HistoryQuery.latest(10)));
    }

    /** The one problem of the database {@code url}; the file's are others (its path read with the prefix as a folder). */
    private static Problem awaitProblem(HistoryComponent history, String url) throws InterruptedException {
        long deadline = System.nanoTime() + WRITER_CATCHES_UP.toNanos();
        while (problemsOf(history, url).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no problem within " + WRITER_CATCHES_UP);
            Thread.sleep(20);
        }
        assertEquals(1, problemsOf(history, url).size(), history.problems().toString());
        return problemsOf(history, url).get(0);
    }

    private static List<Problem> problemsOf(HistoryComponent history, String url) {
        return history.problems().stream().filter(problem -> problem.subject().equals(url)).toList();
    }

    @Test
    void aFileLeftByAKilledProcessStillOpensWithEverything() throws Exception {
        Path file = historyWithThreeExecutions();
        Path copy = folder.resolve("copy.mv.db");
        Files.copy(file, copy);
        deactivateAll();
        Files.copy(copy, file, StandardCopyOption.REPLACE_EXISTING);

        HistoryComponent reopened = open();
        assertEquals(3, reopened.count(HistoryQuery.latest(10)));
        assertEquals(1, reopened.count(AuditQuery.latest(10)));
    }

    /**
     * H2 reads a page when a statement needs it, so damage in data pages passes the check at start and fails the
     * writes that read it later: here the first page of the steps' primary key, which a step of the first executions
     * reads (its number follows the last one's) and writes. The first
     * event skipped raises a problem naming the database and H2's error, which counts the later ones; those are logged
     * at most once a minute. Before, each was an ERROR of its own, and nothing reached the status.
     */
    @Test
    void eventsSkippedOnADamagedPageRaiseOneProblemAndAreLoggedAtMostOnceAMinute() throws Exception {
        HistoryComponent history = open();
        List<String> ids = List.of("exec-1", "exec-2", "exec-3");
        for (String id : ids) {
            history.onEvent(Events.started(id, at(1), "acme", "task of " + id, "direct"));
            for (int call = 1; call <= 40; call++) {
                history.onEvent(Events.llmFinished(id, at(2), "agent", call, Usage.of(1, 1), "0.1"));
            }
        }
        assertTrue(history.awaitWritten(WRITER_CATCHES_UP));
        deactivate(history);
        zeroFirstPageOfTheStepsKey();
        HistoryComponent damaged = open();

        String first = Logged.whileRunning(() -> recordTwoCallsOfEach(damaged, ids));
        assertSkippedAndReported(damaged, ids, first, damaged.skippedEvents());
    }

    /**
     * Zeroes the header of the first page of the steps' primary key, where H2 checks a page's length. H2 reads the
     * root page of each table and index on opening (and the last page of a table's rows), so the damage is below the
     * root, which as a node page lists its children first: {@code int} length, {@code short} check value, varints page
     * number, map id and key count, a type byte, then the children's positions.
     */
    private void zeroFirstPageOfTheStepsKey() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url());
        h2.setUser("sa");
        int indexId;
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet id = statement.executeQuery("SELECT DB_OBJECT_ID('INDEX', 'PUBLIC', index_name) FROM"
                     + " information_schema.indexes WHERE table_name = 'STEPS' AND index_type_name = 'PRIMARY KEY'")) {
            id.next();
            indexId = id.getInt(1);
        }
        Path file = folder.resolve("history").resolve("executions.mv.db");
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int mapId = Integer.parseInt(store.getMetaMap().get("name.index." + indexId), 16);
            ByteBuffer root = ByteBuffer.allocate(4096);
            channel.read(root, positionOf(store, store.getFileStore().getRootPos(mapId)));
            root.flip().position(6);
            DataUtils.readVarInt(root); // page number
            DataUtils.readVarInt(root); // map id
            DataUtils.readVarInt(root); // key count
            assertEquals(1, root.get() & 1, "the root of the steps' key is a node: more steps, or this tests nothing");
            channel.write(ByteBuffer.allocate(Integer.BYTES + Short.BYTES), positionOf(store, root.getLong()));
        } finally {
            store.close();
        }
    }

    /** Where a page lies in the file: its chunk's first block, and its offset in the chunk. */
    private static long positionOf(MVStore store, long page) {
        String chunk = store.getLayoutMap().get("chunk." + Integer.toHexString(DataUtils.getPageChunkId(page)));
        return DataUtils.readHexLong(DataUtils.parseMap(chunk), "block", 0) * 4096 + DataUtils.getPageOffset(page);
    }

    private void assertSkippedAndReported(HistoryComponent history, List<String> ids, String firstLogged,
                                          long firstSkipped) throws Exception {
        Instant since = clock.instant();
        assertEquals(1, history.problems().size(), history.problems().toString());
        Problem problem = history.problems().get(0);
        assertEquals("history", problem.source());
        assertEquals(url(), problem.subject());
        assertEquals(since, problem.since());
        assertTrue(problem.message().startsWith("the history database " + url() + " cannot record every event: "
                + firstSkipped + " skipped since " + since + ", the first agent.llm.finished of execution exec-"),
                problem.message());
        assertTrue(problem.message().contains(": General error: \"org.h2.mvstore.MVStoreException: File corrupted"),
                problem.message());
        assertTrue(problem.message().contains("In an H2 file this is damage in its data pages: check a copy of the"
                + " file offline"), problem.message());
        assertTrue(firstSkipped > 1, "a call of each execution, twice: " + firstSkipped);
        assertEquals(1, firstLogged.split("it is skipped", -1).length - 1, "the first alone: " + firstLogged);
        assertTrue(firstLogged.contains("the history cannot record agent.llm.finished of execution exec-"),
                firstLogged);
        assertTrue(firstLogged.contains(" in " + url() + "; it is skipped: General error: "), firstLogged);

        String sameMinute = Logged.whileRunning(() -> recordTwoCallsOfEach(history, ids));
        long skipped = history.skippedEvents();
        assertTrue(skipped > firstSkipped, "the same rows fail again: " + skipped);
        assertFalse(sameMinute.contains("skipped"), "within the minute: " + sameMinute);
        assertTrue(history.problems().get(0).message().contains(": " + skipped + " skipped since " + since),
                history.problems().get(0).message());

        clock.advance(SkippedEvents.LOG_INTERVAL);
        String minuteLater = Logged.whileRunning(() -> recordTwoCallsOfEach(history, ids));
        assertEquals(1, minuteLater.split("could not record", -1).length - 1, minuteLater);
        assertTrue(minuteLater.contains("the history could not record " + skipped + " more events in " + url()
                + " since " + since + " (" + (skipped + 1) + " in all since " + since + "); they are skipped, the last"
                + " agent.llm.finished of execution exec-"), minuteLater);
        assertEquals(1, history.problems().size());
    }

    private static void recordTwoCallsOfEach(HistoryComponent history, List<String> ids) {
        for (String id : ids) {
            history.onEvent(Events.llmFinished(id, at(3), "agent", 98, Usage.of(1, 1), "0.1"));
            history.onEvent(Events.llmFinished(id, at(4), "agent", 99, Usage.of(1, 1), "0.1"));
        }
        assertTrue(history.awaitWritten(WRITER_CATCHES_UP));
    }

    /** Three executions and an audit entry in the default file, closed; returns the file. */
    private Path historyWithThreeExecutions() {
        HistoryComponent history = open();
        for (int i = 1; i <= 3; i++) {
            history.onEvent(Events.started("exec-" + i, at(i), "acme", "task " + "x".repeat(20_000), "direct"));
            history.onEvent(Events.succeeded("exec-" + i, at(i), at(i + 1)));
        }
        history.record(new AuditEntry(at(5), "alice", "admin", null, "server.install", "fs", AuditEntry.SUCCEEDED, null));
        assertEquals(3, history.count(HistoryQuery.latest(10)));
        deactivate(history);
        return folder.resolve("history").resolve("executions.mv.db");
    }

    /** Whether H2 finds no readable data or fails otherwise, the refusal names the file and leaves it as it was. */
    private IllegalStateException assertRefusedAndUntouched(Path file, byte[] content) throws Exception {
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::open);
        assertTrue(refused.getMessage().startsWith("the history database jdbc:h2:file:"), refused.getMessage());
        assertTrue(refused.getMessage().contains("its file " + file), refused.getMessage());
        assertTrue(refused.getMessage().contains("The file is left as it is and the history does not start"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("restore the file from a backup, or move it aside"), refused.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file), "the damaged file is kept as it was");
        assertThrows(IllegalStateException.class, this::open, "refused again on the next start");
        return refused;
    }
}
