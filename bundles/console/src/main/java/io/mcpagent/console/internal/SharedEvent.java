package io.mcpagent.console.internal;

import java.util.function.Function;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * One execution event as {@link LiveExecutionEvents} hands it to every progress stream following its execution: the
 * first stream to send it turns it into its message, and the others send that message, so that a hundred streams of
 * one execution do the work (the message and masking the secrets in it) once rather than a hundred times. Made on a
 * stream's thread, never on the publishing one.
 */
final class SharedEvent {
    private final ExecutionEvent event;
    /** Guarded by this; null until the first stream asks. */
    private String message;

    SharedEvent(ExecutionEvent event) {
        this.event = event;
    }

    ExecutionEvent event() {
        return event;
    }

    /**
     * The event's message as {@code describe} makes it, made once for all the streams; every stream describes alike,
     * so the first one's message is everyone's.
     */
    synchronized String message(Function<ExecutionEvent, String> describe) {
        if (message == null) {
            message = describe.apply(event);
        }
        return message;
    }
}
