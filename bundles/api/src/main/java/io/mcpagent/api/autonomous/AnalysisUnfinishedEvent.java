package io.mcpagent.api.autonomous;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.Usage;

/**
 * {@code autonomous.analysis.unfinished} (since 1.18): an autonomous execution ended before its analysis was recorded
 * (no {@link TaskAnalyzedEvent}): the analysis failed (an LLM analyzer billed, then no analyzer answered), or the
 * execution was cancelled, stopped or out of time while its task was analysed. It carries the tokens and cost (USD) of
 * the model calls made for the analysis under the execution's id until then, so that the execution's record counts
 * them as it counts those of an analysis that answered; published only when they billed something.
 */
public record AnalysisUnfinishedEvent(Instant timestamp, String executionId, Usage usage, BigDecimal cost,
                                      String reason) implements ExecutionEvent {
    public static final String TYPE = "autonomous.analysis.unfinished";

    public AnalysisUnfinishedEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(executionId, "executionId");
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        reason = reason == null ? "" : reason;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
