package io.mcpagent.mcp.internal.client;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

/** An inbound side that ignores the messages and keeps why the connection closed and why a sending failed first. */
final class ClosingInbound implements Transport.Inbound {
    /** Why the connection closed, once it did. */
    final CompletableFuture<Exception> closed = new CompletableFuture<>();
    /** Why the first request whose sending failed failed, once one did. */
    final CompletableFuture<Exception> sendFailed = new CompletableFuture<>();

    @Override
    public void onMessage(JsonNode message) {
    }

    @Override
    public void onSendFailed(JsonNode requestId, Exception failure) {
        sendFailed.complete(failure);
    }

    @Override
    public void onClosed(Exception cause) {
        closed.complete(cause);
    }
}
