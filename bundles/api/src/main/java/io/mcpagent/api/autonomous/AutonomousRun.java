package io.mcpagent.api.autonomous;

import java.util.Objects;
import java.util.Optional;

import io.mcpagent.api.workflow.Execution;

/** An autonomous execution as started: the plan it follows and the running execution (none when the plan is blocked or a dry run). */
public record AutonomousRun(AutonomousPlan plan, Execution execution) {
    public AutonomousRun {
        Objects.requireNonNull(plan, "plan");
    }

    public Optional<Execution> started() {
        return Optional.ofNullable(execution);
    }
}
