package io.mcpagent.api.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * A worker started ({@code worker.started}, status RUNNING) or finished ({@code worker.finished}, with its status,
 * duration and error) within an execution. {@code kind} is {@code agent}, {@code pattern} or {@code function}.
 */
public record WorkerEvent(Instant timestamp, String type, String executionId, String worker, String kind,
                          ExecutionStatus status, Duration duration, String error) implements ExecutionEvent {
    public static final String STARTED = "worker.started";
    public static final String FINISHED = "worker.finished";

    public WorkerEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        duration = duration == null ? Duration.ZERO : duration;
    }
}
