package io.mcpagent.api.workflow;

/**
 * Where an execution stands. {@code QUEUED} marks an execution that waits for its turn (the autonomous
 * orchestrator's admission limits are reached) and has not begun its work; {@code RUNNING} one at work.
 * {@code INTERRUPTED} marks executions that were in flight (queued or running) when the runtime (or its workflow
 * engine) stopped or the process died.
 */
public enum ExecutionStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED;

    /** True once the execution has ended: neither queued nor running. */
    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
