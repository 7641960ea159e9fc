package io.mcpagent.provider.support;

import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.ProviderException;

/**
 * The text fields of a provider's answer. {@code asText("")} would turn an object or array the provider sent where
 * text belongs into an empty answer, as if the model had said nothing; it is a malformed answer instead.
 */
public final class AnswerText {
    private AnswerText() {
    }

    /**
     * The string in {@code node}'s {@code field}, {@code ""} when the field is absent or null; for any other JSON
     * type, throws what {@code malformed} makes of e.g. {@code "text is a JSON object, not a string"}.
     */
    public static String of(JsonNode node, String field, Function<String, ProviderException> malformed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw malformed.apply(field + " is a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not a string");
        }
        return value.textValue();
    }
}
