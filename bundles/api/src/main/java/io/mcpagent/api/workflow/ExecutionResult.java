package io.mcpagent.api.workflow;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.llm.Usage;

/** The outcome of a workflow execution: the output on success, a message naming what failed otherwise. */
public record ExecutionResult(String executionId, String patternId, ExecutionStatus status, String output,
                              String error, Usage usage, Instant started, Instant finished) {
    public ExecutionResult {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(status, "status");
        usage = usage == null ? Usage.NONE : usage;
    }
}
