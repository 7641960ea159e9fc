package io.mcpagent.api.workflow;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * An execution started ({@code execution.started}, status RUNNING, or QUEUED when it starts waiting for its turn,
 * with the task's tenant and text), went from waiting to work or back ({@code execution.status}, status QUEUED or
 * RUNNING, with tenant and task) or ended ({@code execution.finished}, with its terminal status, its result and,
 * unless it succeeded, the error). Enough for a listener to keep a record of every execution without asking the
 * engine.
 */
public record ExecutionStatusEvent(Instant timestamp, String type, String executionId, String pattern,
                                   ExecutionStatus status, String error, String tenant, String task,
                                   ExecutionResult result) implements ExecutionEvent {
    public static final String STARTED = "execution.started";
    /** Since version 1.3 of this package. */
    public static final String STATUS_CHANGED = "execution.status";
    public static final String FINISHED = "execution.finished";

    public ExecutionStatusEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(status, "status");
    }

    /** An event without tenant, task or result (version 1.1 of this package). */
    public ExecutionStatusEvent(Instant timestamp, String type, String executionId, String pattern,
                                ExecutionStatus status, String error) {
        this(timestamp, type, executionId, pattern, status, error, null, null, null);
    }
}
