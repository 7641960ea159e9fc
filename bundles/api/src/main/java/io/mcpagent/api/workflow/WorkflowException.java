package io.mcpagent.api.workflow;

/** A pattern could not complete an execution; the message names the step and the plugin that failed. */
public class WorkflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkflowException(String message) {
        super(message);
    }

    public WorkflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
