package io.mcpagent.api.workflow;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * An execution started ({@code execution.started}, status RUNNING) or ended ({@code execution.finished}, with its
 * terminal status and, unless it succeeded, the error).
 */
public record ExecutionStatusEvent(Instant timestamp, String type, String executionId, String pattern,
                                   ExecutionStatus status, String error) implements ExecutionEvent {
    public static final String STARTED = "execution.started";
    public static final String FINISHED = "execution.finished";

    public ExecutionStatusEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(status, "status");
    }
}
