package io.mcpagent.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives platform events. Called synchronously on the publishing thread: return quickly and never throw
 * (an exception is logged and the listener keeps receiving events).
 */
@ConsumerType
@FunctionalInterface
public interface ExecutionListener {

    void onEvent(ExecutionEvent event);
}
