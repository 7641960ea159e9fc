package io.mcpagent.mcp.internal;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** SEP-1034: the content of an accepted form holds every field's schema default the answer left out. */
final class ElicitationDefaults {
    private ElicitationDefaults() {
    }

    static ObjectNode apply(JsonNode requestedSchema, ObjectNode content) {
        for (Map.Entry<String, JsonNode> property : requestedSchema.path("properties").properties()) {
            JsonNode fallback = property.getValue().get("default");
            if (fallback != null && !content.has(property.getKey())) {
                content.set(property.getKey(), fallback);
            }
        }
        return content;
    }
}
