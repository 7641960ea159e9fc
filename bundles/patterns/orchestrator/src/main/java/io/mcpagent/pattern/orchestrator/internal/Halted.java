package io.mcpagent.pattern.orchestrator.internal;

import io.mcpagent.api.workflow.ExecutionStatus;

/** Ends an execution early, FAILED or CANCELLED, with a message naming the step and worker concerned. */
final class Halted extends Exception {
    private static final long serialVersionUID = 1L;
    private final ExecutionStatus status;

    private Halted(ExecutionStatus status, String message) {
        super(message);
        this.status = status;
    }

    static Halted failed(String message) {
        return new Halted(ExecutionStatus.FAILED, message);
    }

    static Halted cancelled(String message) {
        return new Halted(ExecutionStatus.CANCELLED, message);
    }

    ExecutionStatus status() {
        return status;
    }
}
