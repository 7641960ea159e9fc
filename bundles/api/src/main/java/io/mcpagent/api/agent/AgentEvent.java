package io.mcpagent.api.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.Usage;

/**
 * Progress of an agent, published to {@code ExecutionListener}s. Types: {@code agent.llm.started},
 * {@code agent.llm.finished}, {@code agent.tool.started}, {@code agent.tool.finished} (subject as in
 * {@link AgentStep}) and {@code agent.finished} (subject = the {@link AgentOutcome}). Durations, usage and cost are
 * set on the finished events. The detail of {@code agent.tool.started} is the tool's origin: {@code server/tool},
 * {@code function}, or {@value #UNKNOWN_TOOL} when the model called a tool the agent does not have (the call fails).
 * The detail of {@code agent.finished} is the error of a run that did not answer, and for an answer the model did not
 * end itself starts with {@value #CUT_SHORT}.
 */
public record AgentEvent(Instant timestamp, String type, String executionId, String agent, int iteration,
                         String subject, Duration duration, Usage usage, BigDecimal cost, boolean error,
                         String detail) implements ExecutionEvent {
    public static final String LLM_STARTED = "agent.llm.started";
    public static final String LLM_FINISHED = "agent.llm.finished";
    public static final String TOOL_STARTED = "agent.tool.started";
    public static final String TOOL_FINISHED = "agent.tool.finished";
    public static final String FINISHED = "agent.finished";
    /**
     * The detail of an {@code agent.tool.started} event whose tool the agent does not have.
     *
     * @since 1.1
     */
    public static final String UNKNOWN_TOOL = "unknown";
    /**
     * The start of the detail of an {@code agent.finished} event of an {@code ANSWERED} run whose final answer the
     * model did not end itself, followed by the {@link io.mcpagent.api.llm.StopReason} that cut it short:
     * {@code cut short by MAX_TOKENS} (the model's output token limit) or {@code cut short by CONTENT_FILTERED} (a
     * content filter). The detail of any other {@code ANSWERED} run is empty.
     *
     * @since 1.2
     */
    public static final String CUT_SHORT = "cut short by ";

    public AgentEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        duration = duration == null ? Duration.ZERO : duration;
        detail = detail == null ? "" : detail;
    }
}
