package io.mcpagent.api.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.mcpagent.api.llm.Usage;

/**
 * The outcome of a workflow execution: the output on success, a message naming what failed otherwise.
 * {@code warnings} are short sentences saying how a result is less than it looks: a SUCCEEDED execution whose
 * evaluator accepted no draft, whose chosen pattern failed and a fallback produced the output, whose agents lacked
 * servers for capabilities the task needs or called tools they do not have (since 1.5).
 */
public record ExecutionResult(String executionId, String patternId, ExecutionStatus status, String output,
                              String error, Usage usage, Instant started, Instant finished, List<String> warnings) {
    public ExecutionResult {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(status, "status");
        usage = usage == null ? Usage.NONE : usage;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A result without warnings: the canonical constructor of version 1.4 and before. */
    public ExecutionResult(String executionId, String patternId, ExecutionStatus status, String output, String error,
                           Usage usage, Instant started, Instant finished) {
        this(executionId, patternId, status, output, error, usage, started, finished, List.of());
    }
}
