package io.mcpagent.history.internal;

import static io.mcpagent.history.internal.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
    /** Records what it is given; the first entry fails, as a database that is away would. */
    private static final class RecordingLog implements AuditLog {
        final List<AuditEntry> entries = new CopyOnWriteArrayList<>();
        boolean failNext;

        @Override
        public void record(AuditEntry entry) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("database away");
            }
            entries.add(entry);
        }

        @Override
        public List<AuditEntry> query(AuditQuery query) {
            return entries;
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

    @Test
    void pluginsThatComeAndGoAreRecordedAsTheRuntimesActions() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = new RuntimeAudit(log, clock);
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

    @Test
    void configurationChangesAreRecordedWithTheirPid() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        RuntimeAudit audit = new RuntimeAudit(log, clock);
        audit.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "io.mcpagent.provider.openai~main",
                "io.mcpagent.provider.openai"));
        audit.configurationEvent(event(ConfigurationEvent.CM_DELETED, "io.mcpagent.http", null));
        audit.deactivate();

        assertEquals(List.of(
                new AuditEntry(at(100), AuditEntry.RUNTIME, null, null, "config.updated",
                        "io.mcpagent.provider.openai~main", AuditEntry.SUCCEEDED, "factory io.mcpagent.provider.openai"),
                new AuditEntry(at(100), AuditEntry.RUNTIME, null, null, "config.deleted", "io.mcpagent.http",
                        AuditEntry.SUCCEEDED, null)), log.entries);
    }

    @Test
    void aLogThatCannotBeWrittenLosesThatEntryOnlyAndNeverThrowsAtThePublisher() throws InterruptedException {
        RecordingLog log = new RecordingLog();
        log.failNext = true;
        RuntimeAudit audit = new RuntimeAudit(log, clock);
        audit.onEvent(new PluginAdded(echoPattern(), at(1)));
        audit.onEvent(new PluginRemoved(echoPattern(), at(2)));
        audit.deactivate();
        assertEquals(List.of("plugin.removed"), log.entries.stream().map(AuditEntry::action).toList());
        audit.onEvent(new PluginAdded(echoPattern(), at(3))); // after deactivation: logged, not thrown
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
