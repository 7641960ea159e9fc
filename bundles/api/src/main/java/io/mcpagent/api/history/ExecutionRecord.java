package io.mcpagent.api.history;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * {@code warnings} (since 1.1) once it ended. Its cost, and a step's, is as {@link #recordedCost} makes it (since 1.2).
 */
public record ExecutionRecord(String executionId, String tenant, String task, String pattern, ExecutionStatus status,
                              Instant started, Instant finished, String output, String error, Usage usage,
                              BigDecimal cost, TaskAnalysis analysis, StrategyRecommendation decision,
                              List<String> agents, List<String> warnings) {
    /** The decimal places of every cost the history records, an execution's and a step's (since 1.2). */
    public static final int COST_DECIMAL_PLACES = 10;
    /** The largest cost the history records either way (since 1.2); a cost beyond it is recorded as it. */
    public static final BigDecimal MOST_COST_USD = new BigDecimal("9999999999.9999999999");

    public ExecutionRecord {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(started, "started");
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        agents = agents == null ? List.of() : List.copyOf(agents);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * {@code cost} as the history records it (since 1.2): within +-{@link #MOST_COST_USD}, rounded half up to
     * {@link #COST_DECIMAL_PLACES}. What shows a cost before the history has it (the event stream) shows it so, to
     * show the figure the record will.
     */
    public static BigDecimal recordedCost(BigDecimal cost) {
        // compared before rounding: setScale on a cost like 1E+999999999 would write out a billion digits
        if (cost.abs().compareTo(MOST_COST_USD) > 0) {
            return cost.signum() > 0 ? MOST_COST_USD : MOST_COST_USD.negate();
        }
        BigDecimal rounded = cost.setScale(COST_DECIMAL_PLACES, RoundingMode.HALF_UP);
        return rounded.abs().compareTo(MOST_COST_USD) > 0 ? recordedCost(rounded) : rounded;
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
