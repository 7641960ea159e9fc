package io.mcpagent.api.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.mcpagent.api.llm.Usage;

/**
 * What one worker run produced: {@code output} on success (and, for an agent stopped by a limit, the last text it
 * wrote), {@code error} saying why it did not succeed; usage and cost of the model calls it made; a nested pattern's
 * {@link ExecutionResult#warnings() warnings} (since 1.5).
 */
public record WorkerResult(String worker, ExecutionStatus status, String output, String error, Usage usage,
                           BigDecimal cost, Duration duration, List<String> warnings) {
    public WorkerResult {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(status, "status");
        output = output == null ? "" : output;
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        duration = duration == null ? Duration.ZERO : duration;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A result without warnings: the canonical constructor of version 1.4 and before. */
    public WorkerResult(String worker, ExecutionStatus status, String output, String error, Usage usage,
                        BigDecimal cost, Duration duration) {
        this(worker, status, output, error, usage, cost, duration, List.of());
    }

    public boolean succeeded() {
        return status == ExecutionStatus.SUCCEEDED;
    }
}
