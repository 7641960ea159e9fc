package io.mcpagent.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where administrative actions are recorded and read back.
 * <p>
 * Entries come back masked when read, by the platform's {@link io.mcpagent.api.security.SecretMasker} as it is then
 * (by the patterns of {@link io.mcpagent.api.security.Secrets} alone while there is none): their actor, target and
 * detail, so a secret recorded raw (before it was configured, or while the masker was absent) is not shown. A query's
 * actor is matched against what is stored.
 */
@ProviderType
public interface AuditLog {
    /**
     * Records an entry durably before returning, so an action that was done is never missing from the log.
     *
     * @throws IllegalStateException when the log cannot be written; the message says why
     */
    void record(AuditEntry entry);

    /** Entries matching the query, newest first. */
    List<AuditEntry> query(AuditQuery query);

    /** How many entries match the query's criteria (its offset and limit aside). */
    long count(AuditQuery query);
}
