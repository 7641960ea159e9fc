package io.mcpagent.api.llm;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the events of a streamed answer, on the calling thread, in order. */
@ConsumerType
@FunctionalInterface
public interface StreamHandler {
    void onEvent(StreamEvent event);
}
