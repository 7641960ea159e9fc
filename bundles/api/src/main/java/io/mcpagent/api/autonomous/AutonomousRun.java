package io.mcpagent.api.autonomous;

import java.util.Objects;
import java.util.Optional;

import io.mcpagent.api.workflow.Execution;

/**
 * An autonomous execution as started: the plan it follows and the running execution (none when the plan is blocked
 * or a dry run). {@code blockedExecutionId} (since 1.12): the execution recorded FAILED for a blocked plan, which a
 * caller can name so that its record can be opened; null otherwise.
 */
public record AutonomousRun(AutonomousPlan plan, Execution execution, String blockedExecutionId) {
    public AutonomousRun {
        Objects.requireNonNull(plan, "plan");
    }

    /** A run that recorded no execution for a blocked plan. */
    public AutonomousRun(AutonomousPlan plan, Execution execution) {
        this(plan, execution, null);
    }

    public Optional<Execution> started() {
        return Optional.ofNullable(execution);
    }

    /** The execution recorded FAILED for a blocked plan; empty when the plan runs, for a dry run, or none was recorded. */
    public Optional<String> blockedExecution() {
        return Optional.ofNullable(blockedExecutionId);
    }
}
