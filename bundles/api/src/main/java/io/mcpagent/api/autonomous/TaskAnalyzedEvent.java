package io.mcpagent.api.autonomous;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/** {@code autonomous.analyzed}: the analysis an autonomous execution started from. */
public record TaskAnalyzedEvent(Instant timestamp, String executionId, Task task, TaskAnalysis analysis)
        implements ExecutionEvent {
    public static final String TYPE = "autonomous.analyzed";

    public TaskAnalyzedEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(analysis, "analysis");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
