package io.mcpagent.mcp.internal.client;

/** One dispatched server-sent event; {@code id} is the stream's last event id at dispatch (may be null). */
record SseEvent(String id, String event, String data) {
}
