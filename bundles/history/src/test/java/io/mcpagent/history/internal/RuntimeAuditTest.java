package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.ConfigurationEvent;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.api.event.PluginAdded;
import io.mcpagent.api.event.PluginRemoved;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;

class RuntimeAuditTest {
    /**
     * Records what it is given; the first entry fails, as a database that is away would, when told to; holds the
     * writer inside a record until released (or interrupted), as a database that hangs would, when told to.
     */
    private static final class RecordingLog implements AuditLog {
        final List<AuditEntry> entries = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);
        boolean failNext;

        @Override
        public void record(AuditEntry entry) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("database away");
            }
            entries.add(entry);
        }

        /** Newest first, by actor and family of actions, as the history answers. */
        @Override
        public List<AuditEntry> query(AuditQuery query) {
            return entries.reversed().stream()
                    .filter(entry -> query.actor() == null || query.actor().equals(entry.actor()))
                    .filter(entry -> query.action() == null || entry.action().startsWith(query.action() + "."))
                    .skip(query.offset()).limit(query.limit()).toList();
        }

        @Override
        public long count(AuditQuery query) {
            return entries.size();
        }
    }

    private final MutableClock clock = new MutableClock(at(100));

    private static PluginInfo echoPattern() {
        return new PluginInfo("echo", PluginKind.PATTERN, "1.0.0", "Echo", "", "com.example.echo", "1.2.0", 42, 7,
                null);
    }

    /** The runtime's audit with {@code log} bound, as DS binds it when the history runs. */
    private RuntimeAudit bound(AuditLog log, Duration stopWait) {
        RuntimeAudit audit = new RuntimeAudit(clock, stopWait);
        audit.bindLog(log, Map.of("service.id", 1L));
        return audit;
    }

    /**
     * The history, which is the audit log, can fail to activate (a database it cannot open): the runtime's audit runs
     * all the same, holds what it hears, and writes it once the log is bound.
     */
    @Test
    void whatHappensWhileTheLogIsAwayIsRecordedWhenItIsBound() throws InterruptedException {
        RuntimeAudit audit = new RuntimeAudit(clock, RuntimeAudit.STOP_WAIT);
        audit.onEvent(new PluginAdded(echoPattern(), at(1)));
        audit.updated(at(100), "io.mcpagent.history", null);
        RecordingLog log = new RecordingLog();
        audit.deactivate(); // writes what is queued: held, as no log is bound
        audit.bindLog(log, Map.of("service.id", 1L));

        assertEquals(List.of("plugin.added", "config.updated"), log.entries.stream().map(AuditEntry::action).toList());
        assertEquals(at(1), log.entries.get(0).timestamp());
    }

    @Test
    void pluginsThatComeAndGoAreRecordedAsTheRuntimesActions() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = bound(log, RuntimeAudit.STOP_WAIT);
        audit.onEvent(new PluginAdded(echoPattern(), at(1)));
        audit.onEvent(Events.started("exec-1", at(2), "acme", "task", "direct")); // not an administrative action
        audit.onEvent(new PluginRemoved(echoPattern(), at(3)));
        audit.deactivate(); // writes what is queued

        assertEquals(List.of(
                new AuditEntry(at(1), AuditEntry.RUNTIME, null, null, "plugin.added", "echo", AuditEntry.SUCCEEDED,
                        "pattern from bundle com.example.echo 1.2.0"),
                new AuditEntry(at(3), AuditEntry.RUNTIME, null, null, "plugin.removed", "echo", AuditEntry.SUCCEEDED,
                        "pattern from bundle com.example.echo 1.2.0")), log.entries);
    }

    /** The kind as everything else names it (plugin:list, REST): mcp-server, not the enum's mcp_server. */
    @Test
    void aPluginsKindIsNamedByItsId() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = bound(log, RuntimeAudit.STOP_WAIT);
        audit.onEvent(new PluginAdded(new PluginInfo("files", PluginKind.MCP_SERVER, "1.0.0", "Files", "",
                "io.mcpagent.mcp", "0.1.0", 43, 8, null), at(1)));
        audit.deactivate();

        assertEquals("mcp-server from bundle io.mcpagent.mcp 0.1.0", log.entries.getFirst().detail());
    }

    @Test
    void configurationChangesAreRecordedWithTheirPid() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = bound(log, RuntimeAudit.STOP_WAIT);
        audit.updated(at(100), "io.mcpagent.provider.openai~main", "io.mcpagent.provider.openai");
        audit.deleted(at(100), "io.mcpagent.http", null);
        audit.deactivate();

        assertEquals(List.of(
                new AuditEntry(at(100), AuditEntry.RUNTIME, null, null, "config.updated",
                        "io.mcpagent.provider.openai~main", AuditEntry.SUCCEEDED, "factory io.mcpagent.provider.openai"),
                new AuditEntry(at(100), AuditEntry.RUNTIME, null, null, "config.deleted", "io.mcpagent.http",
                        AuditEntry.SUCCEEDED, null)), log.entries);
    }

    @Test
    void aConfigurationItsComponentRefusedIsRecordedAsRefusedWithTheReasonAfterItsUpdate() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = bound(log, RuntimeAudit.STOP_WAIT);
        String refusal = "configuration io.mcpagent.autonomous.decision (etc/io.mcpagent.autonomous.decision.cfg.json)"
                + " is refused: excludedPatterns[1] must be a pattern's plugin id or name, was blank; the previous"
                + " settings stay in force until it is repaired";
        audit.updated(at(100), "io.mcpagent.autonomous.decision", null);
        audit.refused(at(100), "io.mcpagent.autonomous.decision", refusal);
        audit.deactivate();

        assertEquals(List.of(
                new AuditEntry(at(100), AuditEntry.RUNTIME, null, null, "config.updated",
                        "io.mcpagent.autonomous.decision", AuditEntry.SUCCEEDED, null),
                new AuditEntry(at(100), AuditEntry.RUNTIME, null, null, "config.refused",
                        "io.mcpagent.autonomous.decision", AuditEntry.FAILED, refusal)), log.entries);
    }

    /**
     * A configuration is refused again at every start of the runtime, unchanged: the audit log, which outlives the
     * start, holds that refusal already. A refusal for another reason, or after the configuration changed, is news.
     */
    @Test
    void aRefusalRecordedAlreadyIsNotRecordedAgainUntilItsConfigurationOrReasonChanges() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        String pid = "io.mcpagent.autonomous.orchestrator";
        String refusal = "etc/io.mcpagent.autonomous.orchestrator.cfg.json was not applied, and no earlier version of"
                + " it is in force: property 'maxConcurrent': 0 is out of range (allowed: at least 1)";
        String otherRefusal = refusal.replace("0 is", "-1 is");
        String otherPid = "io.mcpagent.autonomous.decision";
        RuntimeAudit firstStart = bound(log, RuntimeAudit.STOP_WAIT);
        firstStart.refused(at(100), pid, refusal);
        firstStart.refused(at(100), otherPid, "configuration io.mcpagent.autonomous.decision is refused");
        firstStart.deactivate();

        RuntimeAudit secondStart = bound(log, RuntimeAudit.STOP_WAIT);
        secondStart.refused(at(100), pid, refusal); // unchanged, behind another PID's refusal
        secondStart.refused(at(100), pid, otherRefusal); // another reason
        secondStart.refused(at(100), pid, refusal); // recorded since the last change, as another component's may be
        secondStart.updated(at(100), pid, null);
        secondStart.refused(at(100), pid, refusal); // after an update
        secondStart.deactivate();

        assertEquals(List.of("config.refused " + refusal, "config.refused configuration io.mcpagent.autonomous.decision"
                + " is refused", "config.refused " + otherRefusal, "config.updated null",
                "config.refused " + refusal), log.entries.stream().map(entry -> entry.action() + " " + entry.detail())
                .toList());
    }

    /**
     * What happened at a start before the audit registered (a file edited while the runtime was stopped, applied; a
     * core component's refusal) is told by the config bundle later: recorded with the time it happened, the refusal
     * once as any other.
     */
    @Test
    void configurationChangesAndRefusalsMadeBeforeItRegisteredAreRecordedWithTheirTimes() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        String pid = "io.mcpagent.llm.router";
        String refusal = "configuration io.mcpagent.llm.router (etc/io.mcpagent.llm.router.cfg.json) is refused:"
                + " fallbackChain[1] must be a provider id, was blank; the defaults are in force until it is repaired";
        RuntimeAudit firstStart = bound(log, RuntimeAudit.STOP_WAIT);
        firstStart.updated(at(1), "io.mcpagent.mcp.catalog.entry~ghost", "io.mcpagent.mcp.catalog.entry");
        firstStart.updated(at(2), pid, null);
        firstStart.refused(at(3), pid, refusal);
        firstStart.deleted(at(4), "io.mcpagent.http", null);
        firstStart.deactivate();
        RuntimeAudit secondStart = bound(log, RuntimeAudit.STOP_WAIT);
        secondStart.refused(at(5), pid, refusal); // refused again as the router starts, unchanged
        secondStart.deactivate();

        assertEquals(List.of(
                new AuditEntry(at(1), AuditEntry.RUNTIME, null, null, "config.updated",
                        "io.mcpagent.mcp.catalog.entry~ghost", AuditEntry.SUCCEEDED,
                        "factory io.mcpagent.mcp.catalog.entry"),
                new AuditEntry(at(2), AuditEntry.RUNTIME, null, null, "config.updated", pid, AuditEntry.SUCCEEDED, null),
                new AuditEntry(at(3), AuditEntry.RUNTIME, null, null, "config.refused", pid, AuditEntry.FAILED, refusal),
                new AuditEntry(at(4), AuditEntry.RUNTIME, null, null, "config.deleted", "io.mcpagent.http",
                        AuditEntry.SUCCEEDED, null)), log.entries);
    }

    /**
     * The config bundle tells it every change and refusal, once each and in order. Heard from ConfigAdmin as well, a
     * change made while it registered was recorded twice (held by the config bundle, which did not yet count it as
     * registered, and heard from ConfigAdmin, which did), after a later one, or not at all: it takes only a change of
     * location from ConfigAdmin, which the config bundle does not tell.
     */
    @Test
    void fromConfigAdminOnlyAChangeOfLocationIsRecorded() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = bound(log, RuntimeAudit.STOP_WAIT);
        audit.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "io.mcpagent.http", null));
        audit.configurationEvent(event(ConfigurationEvent.CM_DELETED, "io.mcpagent.http", null));
        audit.configurationEvent(event(ConfigurationEvent.CM_LOCATION_CHANGED, "io.mcpagent.history", null));
        audit.deactivate();

        assertEquals(List.of(new AuditEntry(at(100), AuditEntry.RUNTIME, null, null, "config.location-changed",
                "io.mcpagent.history", AuditEntry.SUCCEEDED, null)), log.entries);
    }

    @Test
    void aLogThatCannotBeWrittenLosesThatEntryOnlyAndNeverThrowsAtThePublisher() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        log.failNext = true;
        RuntimeAudit audit = bound(log, RuntimeAudit.STOP_WAIT);
        audit.onEvent(new PluginAdded(echoPattern(), at(1)));
        audit.onEvent(new PluginRemoved(echoPattern(), at(2)));
        audit.deactivate();
        assertEquals(List.of("plugin.removed"), log.entries.stream().map(AuditEntry::action).toList());
        audit.onEvent(new PluginAdded(echoPattern(), at(3))); // after deactivation: logged, not thrown
        assertEquals(1, log.entries.size());
    }

    @Test
    void aStopThatWaitsForTheAuditWriterSaysForWhatAndHowLongAndWhatItDrops() throws Exception {
        RecordingLog hanging = new RecordingLog();
        hanging.release = new CountDownLatch(1); // never released: the audit writer stays in the first record
        RuntimeAudit audit = bound(hanging, Duration.ofSeconds(1));
        audit.onEvent(new PluginAdded(echoPattern(), at(1)));
        audit.onEvent(new PluginRemoved(echoPattern(), at(2)));
        assertTrue(hanging.entered.await(10, TimeUnit.SECONDS));

        String logged = Logged.whileRunning(audit::deactivate);

        assertTrue(logged.contains("INFO io.mcpagent.history.internal.RuntimeAudit - waiting up to 500 ms more for"
                + " the audit writer to record 2 entries"), logged);
        assertTrue(logged.contains("WARN io.mcpagent.history.internal.RuntimeAudit - audit entries still unwritten"
                + " after 1000 ms are dropped: 1"), logged);
        assertEquals(List.of(), hanging.entries);
    }

    @Test
    void aStopWithNothingToWaitForSaysNothing() throws Exception {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = bound(log, RuntimeAudit.STOP_WAIT);
        audit.onEvent(new PluginAdded(echoPattern(), at(1)));

        String logged = Logged.whileRunning(audit::deactivate);

        assertEquals("", logged);
        assertEquals(1, log.entries.size());
    }

    private static ConfigurationEvent event(int type, String pid, String factoryPid) {
        ConfigurationEvent event = mock(ConfigurationEvent.class);
        when(event.getType()).thenReturn(type);
        when(event.getPid()).thenReturn(pid);
        when(event.getFactoryPid()).thenReturn(factoryPid);
        return event;
    }
}
