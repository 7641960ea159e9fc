package io.mcpagent.http.internal;

import java.time.Clock;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditRecorder;
import io.mcpagent.api.security.Principal;

/**
 * Writes the API's administrative actions (and the key store's, {@link StoredApiKeys}, and the failed
 * authentications of {@link AuthenticationThrottle}) to the audit log when one is running (bundle
 * io.mcpagent.history). Entries recorded while it restarts are held until it is back ({@link AuditRecorder}). A log
 * that cannot be written is logged, never answered to the caller: the action itself is done.
 */
final class RestAudit {
    static final String ANONYMOUS = "api:anonymous";
    private static final Logger LOG = LoggerFactory.getLogger(RestAudit.class);

    private final Clock clock;
    private final AuditRecorder log = new AuditRecorder((entry, why) ->
            LOG.warn("cannot write {} of {} to the audit log: {}", entry.action(), entry.target(), why));

    RestAudit(Clock clock) {
        this.clock = clock;
    }

    void bind(AuditLog audit, Map<String, ?> properties) {
        log.bind(audit, properties);
    }

    /** Without the log, which DS would ask for again: see {@link AuditRecorder#unbind(Map)}. */
    void unbind(Map<String, ?> properties) {
        log.unbind(properties);
    }

    /** The audit log bound now, or null. */
    AuditLog log() {
        return log.current().orElse(null);
    }

    void record(Principal caller, String action, String target, String outcome, String detail) {
        write(caller.actor(), caller.role().id(), caller.ownTenant(), action, target, outcome, detail);
    }

    /** An action of a caller without a principal, named by {@code actor}, without role or tenant. */
    void recordUnidentified(String actor, String action, String target, String outcome, String detail) {
        write(actor, null, null, action, target, outcome, detail);
    }

    private void write(String actor, String role, String tenant, String action, String target, String outcome,
                       String detail) {
        log.record(new AuditEntry(clock.instant(), actor, role, tenant, action, target, outcome, detail));
    }
}
