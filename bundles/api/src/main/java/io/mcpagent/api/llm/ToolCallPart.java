package io.mcpagent.api.llm;

import java.util.Map;
import java.util.Objects;

/**
 * A tool call the model asked for. {@code callId} is the neutral id (never null; adapters synthesise one when
 * the provider gives none), {@code providerCallId} and {@code providerItemId} are the provider's own ids.
 * {@code argumentsJson} is the exact argument text the model produced, which may be invalid JSON; it is
 * sent back unchanged to the same provider. {@code providerMeta} holds opaque values to replay verbatim
 * (e.g. Gemini's thoughtSignature), as JSON text.
 */
public record ToolCallPart(String callId, String providerCallId, String providerItemId, String name,
                           String argumentsJson, Map<String, String> providerMeta) implements Part {
    public ToolCallPart {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(name, "name");
        argumentsJson = argumentsJson == null ? "{}" : argumentsJson;
        providerMeta = providerMeta == null ? Map.of() : Map.copyOf(providerMeta);
    }

    public static ToolCallPart of(String callId, String name, String argumentsJson) {
        return new ToolCallPart(callId, null, null, name, argumentsJson, Map.of());
    }
}
