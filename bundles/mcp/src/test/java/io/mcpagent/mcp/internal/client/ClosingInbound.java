package io.mcpagent.mcp.internal.client;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

/** An inbound side that ignores the messages and keeps why the connection closed. */
final class ClosingInbound implements Transport.Inbound {
    /** Why the connection closed, once it did. */
    final CompletableFuture<Exception> closed = new CompletableFuture<>();

    @Override
    public void onMessage(JsonNode message) {
    }

    @Override
    public void onSendFailed(JsonNode requestId, Exception failure) {
    }

    @Override
    public void onClosed(Exception cause) {
        closed.complete(cause);
    }
}
