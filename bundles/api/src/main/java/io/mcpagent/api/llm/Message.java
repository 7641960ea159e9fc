package io.mcpagent.api.llm;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** One turn of a conversation. {@code providerMeta} holds opaque per-turn values (JSON text) for replay. */
public record Message(Role role, List<Part> parts, String name, Map<String, String> providerMeta) {
    public Message {
        Objects.requireNonNull(role, "role");
        parts = parts == null ? List.of() : List.copyOf(parts);
        providerMeta = providerMeta == null ? Map.of() : Map.copyOf(providerMeta);
    }

    public static Message user(String text) {
        return new Message(Role.USER, List.of(TextPart.of(text)), null, Map.of());
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, List.of(TextPart.of(text)), null, Map.of());
    }

    public static Message of(Role role, List<Part> parts) {
        return new Message(role, parts, null, Map.of());
    }

    /** The concatenated text parts. */
    public String text() {
        return parts.stream().filter(TextPart.class::isInstance).map(p -> ((TextPart) p).text())
                .collect(Collectors.joining());
    }

    /** The tool calls in this message, in the order the model gave them. */
    public List<ToolCallPart> toolCalls() {
        return parts.stream().filter(ToolCallPart.class::isInstance).map(ToolCallPart.class::cast).toList();
    }
}
