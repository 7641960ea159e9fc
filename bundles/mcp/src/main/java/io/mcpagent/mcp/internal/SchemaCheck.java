package io.mcpagent.mcp.internal;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A structural check of a value against the core of a JSON Schema: {@code type}, {@code required},
 * {@code properties}, {@code items}, {@code enum}. Keywords it does not know pass; references are never followed
 * (a server's schema must not make us fetch anything). Enough to catch a server whose structured output is not
 * what it declares, which is what the tool loop needs.
 */
final class SchemaCheck {
    private static final int MAX_DEPTH = 32;

    private SchemaCheck() {
    }

    /** The first mismatch as "at $.path: reason", or null when the value fits. */
    static String firstMismatch(JsonNode schema, JsonNode value) {
        return check(schema, value, "$", 0);
    }

    private static String check(JsonNode schema, JsonNode value, String path, int depth) {
        if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
            return null;
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            return "at " + path + ": expected " + type + ", found " + describe(value);
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.equals(value);
            }
            if (!found) {
                return "at " + path + ": " + value + " is not one of " + allowed;
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    return "at " + path + ": required property '" + required.asText() + "' missing";
                }
            }
            Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                JsonNode child = value.get(property.getKey());
                if (child != null) {
                    String mismatch = check(property.getValue(), child, path + "." + property.getKey(), depth + 1);
                    if (mismatch != null) {
                        return mismatch;
                    }
                }
            }
        }
        if (value.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < value.size(); i++) {
                String mismatch = check(schema.get("items"), value.get(i), path + "[" + i + "]", depth + 1);
                if (mismatch != null) {
                    return mismatch;
                }
            }
        }
        return null;
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (typeMatches(option, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String describe(JsonNode value) {
        return value.isObject() ? "object" : value.isArray() ? "array" : value.isTextual() ? "string"
                : value.isNumber() ? "number" : value.isBoolean() ? "boolean" : value.isNull() ? "null" : "value";
    }
}
