package io.mcpagent.history.internal;

import java.math.BigDecimal;

import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.Usage;

/**
 * Usage and cost summed over model calls. The cost is as the API says the history records one
 * ({@link ExecutionRecord#recordedCost}): it saturates at what the NUMERIC(20, 10) cost columns hold, as a cost
 * beyond them made the database refuse the write, and the writer skip the event with its step and totals. A call's
 * cost is never negative ({@link #ofCall}), so a sum that reached the bound stays there: the true sum is beyond it.
 */
record Totals(Usage usage, BigDecimal cost) {
    static final Totals NONE = new Totals(Usage.NONE, BigDecimal.ZERO);

    Totals {
        cost = ExecutionRecord.recordedCost(cost);
    }

    /**
     * A model call's totals as the history counts them: a negative cost (no model call pays its caller; a provider
     * reporting one is wrong) counts as zero, and each token count as the platform counts it ({@link Usage#counted}),
     * so that a negative one lowers no sum either. Else a sum at the bound, whose true value is beyond it, would move
     * off it by that amount, and read as a wrong figure.
     */
    static Totals ofCall(Usage usage, BigDecimal cost) {
        return new Totals(usage.counted(), cost.max(BigDecimal.ZERO));
    }

    Totals plus(Totals other) {
        return new Totals(usage.plus(other.usage), cost.add(other.cost));
    }

    Totals plusCost(BigDecimal other) {
        return new Totals(usage, cost.add(other));
    }

    /** Whether the cost is at a bound of the column, where a cost beyond it is stored. */
    boolean costAtBound() {
        return cost.abs().compareTo(ExecutionRecord.MOST_COST_USD) == 0;
    }
}
