package io.mcpagent.api.workflow;

/**
 * Where an execution stands. {@code INTERRUPTED} marks executions that were in flight when the runtime (or its workflow
 * engine) stopped or the process died.
 */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
