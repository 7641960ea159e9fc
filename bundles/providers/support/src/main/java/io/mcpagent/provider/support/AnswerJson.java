package io.mcpagent.provider.support;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Parts of a provider's answer that every family reads alike. */
public final class AnswerJson {
    private AnswerJson() {
    }

    /**
     * Every numeric counter of a usage object by its dotted path ({@code prompt_tokens_details.cached_tokens}), for
     * {@code Usage.raw}: an integer as it is, a number sent with a fraction (Cohere's {@code 37.0}) rounded. Empty for
     * anything but an object.
     */
    public static Map<String, Long> counters(JsonNode usage) {
        Map<String, Long> counters = new LinkedHashMap<>();
        if (usage != null && usage.isObject()) {
            collect("", usage, counters);
        }
        return counters;
    }

    private static void collect(String prefix, JsonNode node, Map<String, Long> counters) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isIntegralNumber()) {
                counters.put(name, value.asLong());
            } else if (value.isNumber()) {
                counters.put(name, Math.round(value.asDouble()));
            } else if (value.isObject()) {
                collect(name + ".", value, counters);
            }
        }
    }

    /** A part of a parsed answer as JSON text (a tool call's arguments, a block kept opaque). */
    public static String write(ObjectMapper json, JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree cannot be written", e);
        }
    }
}
