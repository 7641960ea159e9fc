package io.mcpagent.api.history;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.llm.Usage;

/**
 * One recorded event of an execution, in order ({@code seq} from 1): its {@code type} (e.g.
 * {@code agent.tool.finished}, {@code pattern.step}, {@code autonomous.decided}), the agent, worker or pattern it
 * came from ({@code source}), what it was about ({@code subject}: provider/model, tool, step), duration, usage,
 * cost, whether it failed, and details with secrets redacted.
 */
public record ExecutionStep(long seq, Instant timestamp, String type, String source, String subject,
                            Duration duration, Usage usage, BigDecimal cost, boolean error, String detail) {
    public ExecutionStep {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        source = source == null ? "" : source;
        subject = subject == null ? "" : subject;
        duration = duration == null ? Duration.ZERO : duration;
        usage = usage == null ? Usage.NONE : usage;
        cost = cost == null ? BigDecimal.ZERO : cost;
        detail = detail == null ? "" : detail;
    }
}
