package io.mcpagent.api.event;

import java.time.Instant;

/** Something that happened in the platform. Implementations are immutable records. */
public interface ExecutionEvent {

    Instant timestamp();

    /** A stable dotted name, e.g. {@code plugin.added}, usable in filters and event streams. */
    String type();

    /** The execution the event belongs to; null for platform events (plugins coming and going). */
    default String executionId() {
        return null;
    }
}
