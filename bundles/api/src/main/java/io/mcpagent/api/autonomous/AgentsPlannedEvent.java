package io.mcpagent.api.autonomous;

import java.time.Instant;
import java.util.Objects;

import io.mcpagent.api.event.ExecutionEvent;

/** {@code autonomous.agents}: the agents created for the execution and the servers bound or installed for them. */
public record AgentsPlannedEvent(Instant timestamp, String executionId, AgentPlan plan) implements ExecutionEvent {
    public static final String TYPE = "autonomous.agents";

    public AgentsPlannedEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(plan, "plan");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
