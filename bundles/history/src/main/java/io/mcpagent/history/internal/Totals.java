package io.mcpagent.history.internal;

import java.math.BigDecimal;

import io.mcpagent.api.llm.Usage;

/** Usage and cost summed over model calls. */
record Totals(Usage usage, BigDecimal cost) {
    static final Totals NONE = new Totals(Usage.NONE, BigDecimal.ZERO);

    Totals plus(Totals other) {
        return new Totals(usage.plus(other.usage), cost.add(other.cost));
    }
}
