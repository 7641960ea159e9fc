package io.mcpagent.api.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * One model call the LLM router made (every attempt, fallbacks included, for agents and for direct calls alike),
 * published to {@code ExecutionListener}s as {@code llm.call}; {@code executionId} is null outside executions. {@code attempt} counts
 * the providers tried for one router call (1 = the first choice, 2 = the first fallback, ...); {@code error} is
 * null on success, else the failure as {@code CATEGORY: message}.
 */
public record LlmCallEvent(Instant timestamp, String executionId, String providerId, String model, int attempt,
                           boolean streamed, boolean success, Usage usage, BigDecimal cost, Duration duration,
                           String error) implements ExecutionEvent {
    public static final String TYPE = "llm.call";

    public LlmCallEvent {
        Objects.requireNonNull(providerId, "providerId");
        timestamp = timestamp == null ? Instant.now() : timestamp;
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        duration = duration == null ? Duration.ZERO : duration;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
