package io.mcpagent.api.workflow;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * A decision or step of a pattern, for progress streams and the execution history ({@code pattern.step}): a router's
 * choice with its confidence and reasoning, an orchestrator's plan, a handoff, an evaluation. {@code step} is a short
 * name ({@code route}, {@code plan}, {@code handoff}, {@code evaluation}, ...); {@code detail} is for humans, or JSON.
 */
public record PatternEvent(Instant timestamp, String executionId, String pattern, String step, String detail)
        implements ExecutionEvent {
    public static final String TYPE = "pattern.step";

    public PatternEvent {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(step, "step");
        timestamp = timestamp == null ? Instant.now() : timestamp;
        detail = detail == null ? "" : detail;
    }

    @Override
    public String type() {
        return TYPE;
    }
}
