package io.mcpagent.http.internal;

import java.util.function.Function;

import io.mcpagent.api.event.ExecutionEvent;

/**
 * One execution event as {@link ExecutionEventHub} hands it to every event stream following its execution: the first
 * stream to send it encodes it, and the others send that encoding, so that a hundred streams of one execution do the
 * work (JSON and masking the secrets, most of a stream's cost) once rather than a hundred times. Encoded on a stream's
 * thread, never on the publishing one.
 */
final class SharedEvent {
    private final ExecutionEvent event;
    /** Guarded by this; null until the first stream asks. */
    private String data;

    SharedEvent(ExecutionEvent event) {
        this.event = event;
    }

    ExecutionEvent event() {
        return event;
    }

    /**
     * The event's {@code data:} as {@code encode} makes it, made once for all the streams; every stream of the hub
     * encodes alike, so the first one's encoding is everyone's.
     */
    synchronized String data(Function<ExecutionEvent, String> encode) {
        if (data == null) {
            data = encode.apply(event);
        }
        return data;
    }
}
