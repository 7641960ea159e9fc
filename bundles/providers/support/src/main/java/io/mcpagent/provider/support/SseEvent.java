package io.mcpagent.provider.support;

/** One dispatched server-sent event; {@code id} is the stream's last event id at dispatch (may be null). */
public record SseEvent(String id, String event, String data) {
}
