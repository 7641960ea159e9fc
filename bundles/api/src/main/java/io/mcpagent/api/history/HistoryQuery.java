package io.mcpagent.api.history;

import java.time.Instant;

import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * Which executions to list, newest first: by status, tenant and start time ({@code from} inclusive, {@code to}
 * exclusive), each criterion optional (null); a page of at most {@code limit} (1-1000) after skipping {@code offset}.
 */
public record HistoryQuery(ExecutionStatus status, String tenant, Instant from, Instant to, int offset, int limit) {
    public static final int MAX_LIMIT = 1000;

    public HistoryQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ", was " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, were " + from + " and " + to);
        }
        tenant = tenant == null || tenant.isBlank() ? null : tenant.strip();
    }

    /** The newest {@code limit} executions. */
    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(null, null, null, null, 0, limit);
    }
}
