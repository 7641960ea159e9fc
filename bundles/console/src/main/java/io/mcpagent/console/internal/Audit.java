package io.mcpagent.console.internal;

import java.time.Clock;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditRecorder;
import io.mcpagent.api.security.Principal;

/**
 * Writes the console's administrative actions to the audit log (bundle io.mcpagent.history), which its component's
 * reference binds here. Entries recorded while the log is away (the history restarting) are held until it is back.
 */
final class Audit {
    /** The actor of a request whose caller is not known. */
    static final String ANONYMOUS = "console:anonymous";
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    private final AuditRecorder log = new AuditRecorder((entry, why) -> LOG.warn("{} {} {} by {} is not in the audit"
            + " log (bundle io.mcpagent.history): {}", entry.action(), entry.target(), entry.outcome(), entry.actor(),
            why));
    private final Clock clock;

    Audit(Clock clock) {
        this.clock = clock;
    }

    void bind(AuditLog service, Map<String, ?> properties) {
        log.bind(service, properties);
    }

    /** Without the log, which DS would ask for again: see {@link AuditRecorder#unbind(Map)}. */
    void unbind(Map<String, ?> properties) {
        log.unbind(properties);
    }

    /** A failing audit log is logged, not thrown: the action already happened (or was refused). */
    void record(Principal caller, String action, String target, String outcome, String detail) {
        log.record(new AuditEntry(clock.instant(), caller == null ? ANONYMOUS : caller.actor(),
                caller == null ? null : caller.role().id(), caller == null ? null : caller.ownTenant(), action, target,
                outcome, detail));
    }
}
