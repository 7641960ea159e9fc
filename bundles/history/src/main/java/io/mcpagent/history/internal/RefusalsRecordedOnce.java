package io.mcpagent.history.internal;

import java.util.List;
import java.util.Objects;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;

/**
 * The audit log as {@link RuntimeAudit} records into it: a configuration refusal is not recorded again while the log
 * holds the same refusal (PID and reason) and no change of that PID after it. An unchanged configuration is refused
 * again at every start of the runtime (its component refuses it as it activates, its file is checked as it is read),
 * which told the operator nothing new, once per start, in {@code /api/v1/audit?action=config}. A refusal for another
 * reason, or after the configuration was updated or deleted, is recorded. Several components reading one PID (those
 * of {@code io.mcpagent.http}) each refuse it with a reason of their own, so every refusal since the PID's last change
 * counts, not only the newest. The log is searched, newest first, among the runtime's newest {@value #SEARCHED}
 * configuration entries; a refusal older than those is recorded again.
 */
final class RefusalsRecordedOnce implements AuditLog {
    static final String REFUSED = "config.refused";
    /** The most configuration entries searched for an earlier record of a refusal. */
    static final int SEARCHED = 1_000;
    private static final int PAGE = 100;

    private final AuditLog log;

    RefusalsRecordedOnce(AuditLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void record(AuditEntry entry) {
        if (!(REFUSED.equals(entry.action()) && recordedAlready(entry))) {
            log.record(entry);
        }
    }

    @Override
    public List<AuditEntry> query(AuditQuery query) {
        return log.query(query);
    }

    @Override
    public long count(AuditQuery query) {
        return log.count(query);
    }

    /** Whether the runtime's entries of the refusal's PID since its last change hold this refusal. */
    private boolean recordedAlready(AuditEntry refusal) {
        try {
            for (int offset = 0; offset < SEARCHED; offset += PAGE) {
                List<AuditEntry> page = log.query(new AuditQuery(AuditEntry.RUNTIME, "config", null, null, offset,
                        PAGE));
                for (AuditEntry entry : page) {
                    if (!Objects.equals(refusal.target(), entry.target())) {
                        continue;
                    }
                    if (!REFUSED.equals(entry.action())) {
                        return false; // the configuration changed since: its refusal is news
                    }
                    if (Objects.equals(refusal.detail(), entry.detail())) {
                        return true;
                    }
                }
                if (page.size() < PAGE) {
                    return false;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false; // a log that cannot be read is tried with the entry, whose loss is then reported
        }
    }
}
