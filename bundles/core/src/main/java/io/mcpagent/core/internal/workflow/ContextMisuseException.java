package io.mcpagent.core.internal.workflow;

/**
 * A pattern called its {@code WorkflowContext} against the contract (a null event): the execution fails with this
 * message after the pattern's id ({@code pattern 'x' called ...}), not with the JVM's text of what went wrong later.
 */
final class ContextMisuseException extends RuntimeException {
    ContextMisuseException(String message) {
        super(message, null, false, false);
    }
}
