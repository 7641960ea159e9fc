package io.mcpagent.pattern.orchestrator.internal;

import java.util.List;
import java.util.Objects;

/** A step that ran: {@code number} counts from 1; one outcome per planned task, in the plan's order. */
record StepOutcome(int number, PlannedStep step, List<TaskOutcome> tasks) {
    StepOutcome {
        Objects.requireNonNull(step, "step");
        tasks = List.copyOf(tasks);
    }
}
