package io.mcpagent.api.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

import io.mcpagent.api.runtime.ConfigRanges;

/**
 * Where an agent's run stops: after {@code maxIterations} model calls, once it used more than {@code maxTokens} tokens
 * or {@code maxCostUsd} US dollars, or after {@code maxTime} of wall time. {@code 0} means no limit for tokens and for
 * cost alike ({@code null} too for cost, and a cost of 0 reads back as null); the time limit is always there. Each tool
 * call gets at most {@code toolTimeout}. Both times are positive and at most
 * {@link ConfigRanges#LONGEST_TIME_BUDGET} (100 years; 1.3).
 */
public record AgentLimits(int maxIterations, long maxTokens, BigDecimal maxCostUsd, Duration maxTime,
                          Duration toolTimeout) {
    public static final AgentLimits DEFAULTS =
            new AgentLimits(10, 0, null, Duration.ofMinutes(10), Duration.ofSeconds(60));

    public AgentLimits {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, was " + maxIterations);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must not be negative, was " + maxTokens);
        }
        if (maxCostUsd != null && maxCostUsd.signum() < 0) {
            throw new IllegalArgumentException("maxCostUsd must not be negative, was " + maxCostUsd);
        }
        if (maxCostUsd != null && maxCostUsd.signum() == 0) {
            maxCostUsd = null; // 0 = no limit, as for maxTokens
        }
        // a time further out than ConfigRanges allows made the run fail computing its deadline (1.3)
        ConfigRanges.timeBudget("maxTime", Objects.requireNonNull(maxTime, "maxTime"));
        ConfigRanges.timeBudget("toolTimeout", Objects.requireNonNull(toolTimeout, "toolTimeout"));
    }

    public AgentLimits withMaxIterations(int iterations) {
        return new AgentLimits(iterations, maxTokens, maxCostUsd, maxTime, toolTimeout);
    }

    public AgentLimits withBudget(long tokens, BigDecimal costUsd, Duration time) {
        return new AgentLimits(maxIterations, tokens, costUsd, time, toolTimeout);
    }
}
