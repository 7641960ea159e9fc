package io.mcpagent.console.internal;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.security.Principal;

/** Writes the console's administrative actions to the audit log, when one runs (bundle io.mcpagent.history). */
final class Audit {
    /** The actor of a request whose caller is not known. */
    static final String ANONYMOUS = "console:anonymous";
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    private final OptionalService<AuditLog> log;
    private final Clock clock;

    Audit(OptionalService<AuditLog> log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** A failing audit log is logged, not thrown: the action already happened (or was refused). */
    void record(Principal caller, String action, String target, String outcome, String detail) {
        log.get().ifPresentOrElse(audit -> {
            try {
                audit.record(new AuditEntry(clock.instant(), caller == null ? ANONYMOUS : caller.actor(),
                        caller == null ? null : caller.role().id(), caller == null ? null : caller.tenant(), action,
                        target, outcome, detail));
            } catch (RuntimeException e) {
                LOG.warn("cannot write {} of {} to the audit log: {}", action, target, e.getMessage());
            }
        }, () -> LOG.warn("no audit log is running ({}): {} {} {} by {} not recorded", log.whenMissing(), action,
                target, outcome, caller == null ? "anonymous" : caller.actor()));
    }
}
