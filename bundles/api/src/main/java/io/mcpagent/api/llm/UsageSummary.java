package io.mcpagent.api.llm;

import java.math.BigDecimal;

/** Calls, tokens and cost (USD, from the configured prices; zero when a model has none) summed over some scope. */
public record UsageSummary(long calls, long failedCalls, Usage usage, BigDecimal cost) {
    public static final UsageSummary NONE = new UsageSummary(0, 0, Usage.NONE, BigDecimal.ZERO);

    public UsageSummary {
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
    }

    public UsageSummary plus(UsageSummary other) {
        return new UsageSummary(calls + other.calls, failedCalls + other.failedCalls, usage.plus(other.usage),
                cost.add(other.cost));
    }
}
