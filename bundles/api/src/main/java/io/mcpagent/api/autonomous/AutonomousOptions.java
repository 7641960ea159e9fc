package io.mcpagent.api.autonomous;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

import io.mcpagent.api.runtime.ConfigRanges;

/**
 * How a task is run autonomously. {@code pattern} and {@code provider} (and {@code model}) force a choice instead of
 * deciding; {@code dryRun} stops after analysis, decision and agent plan (no model calls, nothing installed);
 * {@code allowInstall} lets the agent factory install catalog servers (whoever passes it checks that its caller may
 * install servers and audits the installs the plan reports, as for {@code McpCatalog.install}); the budget holds for the whole execution and
 * runs out when the spending goes over it: {@code maxTokens} and {@code maxCostUsd} (US dollars) with 0 = no limit
 * for both ({@code null} too for the cost, and a cost of 0 reads back as null), {@code maxTime} always positive and at
 * most {@link ConfigRanges#LONGEST_TIME_BUDGET} (100 years; 1.9).
 */
public record AutonomousOptions(String pattern, String provider, String model, boolean dryRun, boolean allowInstall,
                                int maxAgents, long maxTokens, BigDecimal maxCostUsd, Duration maxTime) {
    public static final AutonomousOptions DEFAULTS =
            new AutonomousOptions(null, null, null, false, false, 5, 0, null, Duration.ofMinutes(10));

    public AutonomousOptions {
        pattern = blankToNull(pattern);
        provider = blankToNull(provider);
        model = blankToNull(model);
        if (maxAgents < 1) {
            throw new IllegalArgumentException("maxAgents must be at least 1, was " + maxAgents);
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
        // a time further out than ConfigRanges allows made the execution fail computing its deadline (1.9)
        ConfigRanges.timeBudget("maxTime", Objects.requireNonNull(maxTime, "maxTime"));
    }

    public AutonomousOptions withPattern(String forced) {
        return new AutonomousOptions(forced, provider, model, dryRun, allowInstall, maxAgents, maxTokens, maxCostUsd,
                maxTime);
    }

    public AutonomousOptions withProvider(String forced, String forcedModel) {
        return new AutonomousOptions(pattern, forced, forcedModel, dryRun, allowInstall, maxAgents, maxTokens,
                maxCostUsd, maxTime);
    }

    public AutonomousOptions withDryRun(boolean dry) {
        return new AutonomousOptions(pattern, provider, model, dry, allowInstall, maxAgents, maxTokens, maxCostUsd,
                maxTime);
    }

    public AutonomousOptions withBudget(long tokens, BigDecimal costUsd, Duration time) {
        return new AutonomousOptions(pattern, provider, model, dryRun, allowInstall, maxAgents, tokens, costUsd, time);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
