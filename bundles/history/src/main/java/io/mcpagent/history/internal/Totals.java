package io.mcpagent.history.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.mcpagent.api.llm.Usage;

/**
 * Usage and cost summed over model calls. The cost saturates at what the NUMERIC(20, 10) cost columns hold: a cost
 * beyond them made the database refuse the write, and the writer skip the event with its step and totals. A call's
 * cost is never negative ({@link #ofCall}), so a sum that reached the bound stays there: the true sum is beyond it.
 */
record Totals(Usage usage, BigDecimal cost) {
    static final int COST_SCALE = 10;
    static final BigDecimal MOST_COST = new BigDecimal("9999999999.9999999999");
    static final Totals NONE = new Totals(Usage.NONE, BigDecimal.ZERO);

    Totals {
        cost = storable(cost);
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
        return cost.abs().compareTo(MOST_COST) == 0;
    }

    /** The cost within +-{@link #MOST_COST}, rounded to the columns' scale as the database would. */
    private static BigDecimal storable(BigDecimal cost) {
        // compared before rounding: setScale on a cost like 1E+999999999 would write out a billion digits
        if (cost.abs().compareTo(MOST_COST) > 0) {
            return cost.signum() > 0 ? MOST_COST : MOST_COST.negate();
        }
        BigDecimal rounded = cost.setScale(COST_SCALE, RoundingMode.HALF_UP);
        return rounded.abs().compareTo(MOST_COST) > 0 ? storable(rounded) : rounded;
    }
}
