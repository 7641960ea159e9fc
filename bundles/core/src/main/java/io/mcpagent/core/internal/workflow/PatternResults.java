package io.mcpagent.core.internal.workflow;

import io.mcpagent.api.workflow.ExecutionStatus;

/**
 * How a result a pattern returned is taken, for an execution and for a nested pattern worker alike. A third party's
 * pattern may return a status that has not ended or a failure without an error; what it returned is named then, so
 * that no failure reads without a reason (it read "pattern ended still FAILED").
 */
final class PatternResults {
    private PatternResults() {
    }

    /** The status a returned result stands for: a pattern returns once its work has ended, so QUEUED or RUNNING is FAILED. */
    static ExecutionStatus ended(ExecutionStatus returned) {
        return returned.isTerminal() ? returned : ExecutionStatus.FAILED;
    }

    /** The error of a returned result: the pattern's own, else what the pattern returned instead of one. */
    static String error(String patternId, ExecutionStatus returned, String error) {
        if (error != null || returned == ExecutionStatus.SUCCEEDED) {
            return error;
        }
        return returned.isTerminal() ? "pattern '" + patternId + "' ended " + returned + " without saying why"
                : "pattern '" + patternId + "' returned a result still " + returned + "; a pattern returns once its"
                        + " work has ended (SUCCEEDED, FAILED or CANCELLED)";
    }
}
