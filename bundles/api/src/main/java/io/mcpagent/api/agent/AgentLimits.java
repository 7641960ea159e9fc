package io.mcpagent.api.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * Where an agent's run stops: after {@code maxIterations} model calls, once it used more than {@code maxTokens} tokens
 * or {@code maxCostUsd} US dollars, or after {@code maxTime} of wall time. {@code 0} means no limit for tokens and for
 * cost alike ({@code null} too for cost, and a cost of 0 reads back as null); the time limit is always there. Each tool
 * call gets at most {@code toolTimeout}.
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
        Objects.requireNonNull(maxTime, "maxTime");
        Objects.requireNonNull(toolTimeout, "toolTimeout");
        if (maxTime.isNegative() || maxTime.isZero() || toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new IllegalArgumentException("maxTime and toolTimeout must be positive, were " + maxTime
                    + " and " + toolTimeout);
        }
    }

    public AgentLimits withMaxIterations(int iterations) {
        return new AgentLimits(iterations, maxTokens, maxCostUsd, maxTime, toolTimeout);
    }

    public AgentLimits withBudget(long tokens, BigDecimal costUsd, Duration time) {
        return new AgentLimits(maxIterations, tokens, costUsd, time, toolTimeout);
    }
}
