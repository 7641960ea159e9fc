package io.mcpagent.api.audit;

import java.time.Instant;

/**
 * Which entries to read, newest first. Null criteria do not filter.
 *
 * @param actor  only this actor's entries; an actor recorded with its name, {@code key:<id> (<name>)}, is also found
 *               by what comes before the name ({@code key:<id>}), as its name may have changed or been masked
 * @param action only this action, or the family of actions it names ({@code server} or {@code server.} finds
 *               {@code server.install} and {@code server.uninstall}, not {@code serverless}), in any case (1.2)
 * @param from   entries at or after this instant
 * @param to     entries before this instant; after {@code from} when both are given
 * @param offset entries to skip, >= 0
 * @param limit  entries at most, 1 to 1000
 */
public record AuditQuery(String actor, String action, Instant from, Instant to, int offset, int limit) {
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ", was " + limit);
        }
        if (from != null && to != null && !to.isAfter(from)) {
            throw new IllegalArgumentException("to (" + to + ") must be after from (" + from + ")");
        }
    }

    /** The newest {@code limit} entries. */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, 0, limit);
    }
}
