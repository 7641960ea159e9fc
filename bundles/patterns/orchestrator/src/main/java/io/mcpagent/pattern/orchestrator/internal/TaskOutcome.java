package io.mcpagent.pattern.orchestrator.internal;

import java.util.Objects;

import io.mcpagent.api.workflow.WorkerResult;

/** What became of one planned task: {@code number} counts from 1 within its step. */
record TaskOutcome(int number, PlannedTask task, WorkerResult result) {
    TaskOutcome {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(result, "result");
    }

    boolean succeeded() {
        return result.succeeded();
    }
}
