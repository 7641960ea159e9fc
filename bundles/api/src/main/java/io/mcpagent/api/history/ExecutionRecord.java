package io.mcpagent.api.history;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * One execution as the history keeps it. {@code analysis}, {@code decision} and {@code agents} are set for
 * autonomous executions (null / empty otherwise); {@code finished}, {@code output}, {@code error} and the result's
 * {@code warnings} (since 1.1) once it ended.
 */
public record ExecutionRecord(String executionId, String tenant, String task, String pattern, ExecutionStatus status,
                              Instant started, Instant finished, String output, String error, Usage usage,
                              BigDecimal cost, TaskAnalysis analysis, StrategyRecommendation decision,
                              List<String> agents, List<String> warnings) {
    public ExecutionRecord {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(started, "started");
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        agents = agents == null ? List.of() : List.copyOf(agents);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A record without warnings: the canonical constructor of version 1.0. */
    public ExecutionRecord(String executionId, String tenant, String task, String pattern, ExecutionStatus status,
                           Instant started, Instant finished, String output, String error, Usage usage,
                           BigDecimal cost, TaskAnalysis analysis, StrategyRecommendation decision,
                           List<String> agents) {
        this(executionId, tenant, task, pattern, status, started, finished, output, error, usage, cost, analysis,
                decision, agents, List.of());
    }
}
