package io.mcpagent.api.autonomous;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/** {@code autonomous.fallback}: the strategy {@code from} failed for {@code reason}; {@code to} runs next. */
public record FallbackEvent(Instant timestamp, String executionId, String from, String to, String reason)
        implements ExecutionEvent {
    public static final String TYPE = "autonomous.fallback";

    public FallbackEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        reason = reason == null ? "" : reason;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
