package io.mcpagent.pattern.orchestrator.internal;

import java.util.List;
import java.util.Objects;

/** One step of a plan: its tasks run in parallel, and all of them end before the next step starts. */
record PlannedStep(String description, List<PlannedTask> tasks) {
    PlannedStep {
        Objects.requireNonNull(description, "description");
        tasks = List.copyOf(tasks);
    }
}
