package io.mcpagent.api.autonomous;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * {@code autonomous.analyzed}: the analysis an autonomous execution started from, and (since 1.6) the tokens and cost
 * (USD) of the model calls made for it under the execution's id: none for an analysis from the cache or by an
 * analyzer that calls no model. Since 1.10 it says how long the analysis took ({@link Duration#ZERO} when unknown): it
 * is made before the execution starts, so its time is not within the execution's start and end.
 */
public record TaskAnalyzedEvent(Instant timestamp, String executionId, Task task, TaskAnalysis analysis, Usage usage,
                                BigDecimal cost, Duration duration) implements ExecutionEvent {
    public static final String TYPE = "autonomous.analyzed";

    public TaskAnalyzedEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(analysis, "analysis");
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        duration = duration == null || duration.isNegative() ? Duration.ZERO : duration;
    }

    /** An analysis whose duration is not known (the constructor of 1.6 to 1.9). */
    public TaskAnalyzedEvent(Instant timestamp, String executionId, Task task, TaskAnalysis analysis, Usage usage,
                             BigDecimal cost) {
        this(timestamp, executionId, task, analysis, usage, cost, Duration.ZERO);
    }

    /** An analysis that cost the execution nothing. */
    public TaskAnalyzedEvent(Instant timestamp, String executionId, Task task, TaskAnalysis analysis) {
        this(timestamp, executionId, task, analysis, Usage.NONE, BigDecimal.ZERO, Duration.ZERO);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
