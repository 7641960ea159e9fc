package io.mcpagent.api.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.mcpagent.api.llm.Usage;

/**
 * What one run of an agent produced. {@code text} is the final answer (or the last text the model wrote when the run
 * stopped early); {@code structuredJson} is the answer as JSON text when the spec asked for structured output and
 * the model's answer parsed, else null. {@code error} says why a run that did not answer stopped.
 */
public record AgentResult(String agent, AgentOutcome outcome, String text, String structuredJson, int iterations,
                          Usage usage, BigDecimal cost, Duration duration, List<AgentStep> steps, String error) {
    public AgentResult {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(outcome, "outcome");
        text = text == null ? "" : text;
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        duration = duration == null ? Duration.ZERO : duration;
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public boolean answered() {
        return outcome == AgentOutcome.ANSWERED;
    }
}
