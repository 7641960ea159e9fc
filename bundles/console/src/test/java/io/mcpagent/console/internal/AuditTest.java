package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

class AuditTest {
    /** The history restarts for a change of its configuration: its audit log is unbound, then bound again. */
    @Test
    void anActionDoneWhileTheHistoryRestartsIsRecordedWhenItIsBack() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Audit audit = new Audit(new MutableClock(now));
        AuditLog before = mock(AuditLog.class);
        audit.bind(before, Map.of("service.id", 1L));
        audit.unbind(Map.of("service.id", 1L));

        audit.record(new Principal("key:adm", Role.ADMIN, null), "plugin.stop", "pattern-swarm", AuditEntry.SUCCEEDED,
                null);
        AuditLog after = mock(AuditLog.class);
        audit.bind(after, Map.of("service.id", 2L));

        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(after).record(entry.capture());
        // an admin belongs to no tenant, as its key lists
        assertEquals(new AuditEntry(now, "key:adm", "admin", null, "plugin.stop", "pattern-swarm",
                AuditEntry.SUCCEEDED, null), entry.getValue());
    }
}
