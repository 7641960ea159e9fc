package io.mcpagent.provider.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.runtime.ParserMessages;

/** JSON that a request carries from earlier turns, read as a provider's wire format needs it. */
public final class RequestJson {
    private RequestJson() {
    }

    /**
     * The JSON {@code text} ({@code what} names it in the refusal); an empty or invalid text is refused before
     * anything is sent ({@link InvalidRequests#invalid}), with the parser's reason and without the text.
     */
    public static JsonNode parse(ObjectMapper json, String providerId, String text, String what) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw InvalidRequests.invalid(providerId,
                    what + " is not valid JSON: " + ParserMessages.withoutSource(e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw InvalidRequests.invalid(providerId, what + " is empty");
        }
        return node;
    }

    /**
     * A tool call's arguments for a wire format that takes them as an object only: the object itself, or, for
     * arguments another provider produced as a non-object or invalid JSON, {@code {"raw_arguments": "<text>"}}, so
     * that the model still sees what was called.
     */
    public static JsonNode argumentsObject(ObjectMapper json, String argumentsJson) {
        try {
            JsonNode parsed = json.readTree(argumentsJson);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException notJson) {
            // kept as text below
        }
        return json.createObjectNode().put("raw_arguments", argumentsJson);
    }
}
