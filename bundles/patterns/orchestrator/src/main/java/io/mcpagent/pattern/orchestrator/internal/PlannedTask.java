package io.mcpagent.pattern.orchestrator.internal;

import java.util.Objects;

/** One task of a plan: the name of the worker that carries it out (empty: no worker fits) and what to do. */
record PlannedTask(String worker, String instruction) {
    PlannedTask {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(instruction, "instruction");
    }
}
