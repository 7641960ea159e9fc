package io.mcpagent.api.llm;

import java.util.Objects;

/**
 * A complete answer. {@code rawJson} is the provider's response body as received, for audit and debugging; it is
 * {@code null} for a streamed answer, which has no such body (Cohere's carries its message-end event as received).
 */
public record ChatResponse(String id, String model, Message message, StopReason stopReason, String rawStopReason,
                           Usage usage, RateLimitInfo rateLimits, String requestId, String rawJson) {
    public ChatResponse {
        Objects.requireNonNull(message, "message");
        stopReason = stopReason == null ? StopReason.OTHER : stopReason;
        usage = usage == null ? Usage.NONE : usage;
    }
}
