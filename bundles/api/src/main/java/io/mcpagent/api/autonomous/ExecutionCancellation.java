package io.mcpagent.api.autonomous;

import java.util.Objects;

import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * What asking to cancel an execution came to ({@link AutonomousOrchestrator#cancel}).
 *
 * @param executionId the execution asked for
 * @param outcome     whether it was cancelled, was not running, or is unknown to the caller
 * @param status      its status after the request: the running execution's, or the one the history recorded for an
 *                    execution this runtime no longer holds; null when {@link Outcome#UNKNOWN}
 */
public record ExecutionCancellation(String executionId, Outcome outcome, ExecutionStatus status) {

    public enum Outcome {
        /** It was running and has been asked to stop; it ends CANCELLED. */
        CANCELLED,
        /** It exists but is not running: finished, here or before a restart. */
        NOT_RUNNING,
        /** Neither this runtime nor the history knows it, or it is another tenant's and the caller is no admin. */
        UNKNOWN
    }

    public ExecutionCancellation {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static ExecutionCancellation unknown(String executionId) {
        return new ExecutionCancellation(executionId, Outcome.UNKNOWN, null);
    }
}
