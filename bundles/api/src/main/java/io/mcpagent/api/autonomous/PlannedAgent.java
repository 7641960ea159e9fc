package io.mcpagent.api.autonomous;

import java.util.Objects;
import java.util.Set;

import io.mcpagent.api.agent.AgentSpec;

/** An agent the factory created for a task: its spec (servers bound), its role, the capabilities it covers and why. */
public record PlannedAgent(AgentSpec spec, AgentRole role, Set<String> capabilities, String reason) {
    public PlannedAgent {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(role, "role");
        capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        reason = reason == null ? "" : reason;
    }
}
