package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Moves JSON-RPC messages between the client and one server. Implementations are thread-safe. */
public interface Transport extends AutoCloseable {

    /** Where a transport delivers what the server sends. */
    interface Inbound {
        void onMessage(JsonNode message);

        /** A request's exchange failed at the transport level (the HTTP POST behind it, say). */
        void onSendFailed(JsonNode requestId, Exception failure);

        /** The connection is gone for good; every pending request fails. */
        void onClosed(Exception cause);
    }

    /** Extra per-message facts for the HTTP transports (modern-era headers). */
    record Outgoing(Map<String, String> headers, Duration timeout) {
        static final Outgoing NONE = new Outgoing(Map.of(), null);
    }

    /** Returned by {@link #send}; {@link #cancel} aborts the exchange (on HTTP, closes the response stream). */
    interface Exchange {
        Exchange DONE = () -> { };

        void cancel();
    }

    void start(Inbound inbound) throws IOException;

    /**
     * Sends one message. Throws {@link SessionExpiredException} when the server no longer knows the session,
     * {@link HttpStatusException} for an unexpected HTTP status, {@link IOException} when it cannot be sent.
     */
    Exchange send(ObjectNode message, Outgoing outgoing) throws IOException;

    /** The protocol revision in use, for transports that send it as a header. */
    default void protocolVersion(String version) {
    }

    /**
     * The era decides HTTP details: legacy sessions and the GET stream, or modern POST-only headers.
     * {@code serverMayAsk}: the client declared a capability the server may use during a call (sampling, elicitation,
     * roots), so a call may have to wait for the stream that request could come on.
     */
    default void sessionEstablished(boolean serverMayAsk) {
    }

    /** Forgets the session (after it expired) so the next initialize starts a new one. */
    default void resetSession() {
    }

    /**
     * False once the transport knows its connection ended, which may be before {@link Inbound#onClosed} reports it (a
     * stdio server killed, whose stdout is still being read to its end).
     */
    default boolean isOpen() {
        return true;
    }

    String kind();

    /** What the server wrote that was not a message (stdio), to explain a silent handshake; null when nothing. */
    default String strayOutput() {
        return null;
    }

    @Override
    void close();
}
