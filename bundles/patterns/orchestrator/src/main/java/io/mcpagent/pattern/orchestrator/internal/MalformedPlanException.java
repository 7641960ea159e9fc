package io.mcpagent.pattern.orchestrator.internal;

/** The planner's answer is not a plan; the message says what is wrong with it. */
final class MalformedPlanException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedPlanException(String problem) {
        super(problem);
    }
}
