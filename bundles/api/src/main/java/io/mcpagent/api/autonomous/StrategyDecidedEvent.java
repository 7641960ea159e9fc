package io.mcpagent.api.autonomous;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/** {@code autonomous.decided}: the strategy chosen, with its alternatives and reasons ({@code forced} when the caller named the pattern). */
public record StrategyDecidedEvent(Instant timestamp, String executionId, StrategyRecommendation strategy,
                                   boolean forced) implements ExecutionEvent {
    public static final String TYPE = "autonomous.decided";

    public StrategyDecidedEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
