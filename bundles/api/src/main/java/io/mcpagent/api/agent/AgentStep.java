package io.mcpagent.api.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.llm.Usage;

/**
 * One step of an agent's run. A {@code LLM} step names {@code provider/model} as its subject; a {@code TOOL} step the
 * tool's exposed name, with {@code detail} its {@code server/tool} origin and arguments. {@code error} tells a failed
 * step (an error result of a tool counts); {@code detail} of a failed step says why.
 */
public record AgentStep(Kind kind, int iteration, String subject, Instant started, Duration duration, Usage usage,
                        BigDecimal cost, boolean error, String detail) {

    public enum Kind { LLM, TOOL }

    public AgentStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        duration = duration == null ? Duration.ZERO : duration;
        detail = detail == null ? "" : detail;
    }
}
