package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

class RestAuditTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** The history restarts for a change of its configuration: its audit log is unbound, then bound again. */
    @Test
    void anActionDoneWhileTheHistoryRestartsIsRecordedWhenItIsBack() {
        RestAudit audit = new RestAudit(new MovableClock(NOW));
        AuditLog before = mock(AuditLog.class);
        audit.bind(before, Map.of("service.id", 1L));
        audit.unbind(Map.of("service.id", 1L));

        audit.record(new Principal("key:k1 (ops)", Role.ADMIN, null), "server.install", "fs", AuditEntry.SUCCEEDED,
                null);
        AuditLog after = mock(AuditLog.class);
        audit.bind(after, Map.of("service.id", 2L));

        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(after).record(entry.capture());
        // an admin belongs to no tenant, as its key lists
        assertEquals(new AuditEntry(NOW, "key:k1 (ops)", "admin", null, "server.install", "fs", AuditEntry.SUCCEEDED,
                null), entry.getValue());
        verifyNoInteractions(before);
    }
}
