package io.mcpagent.mcp.internal.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The HTTP headers of protocol 2026-07-28: values that are not plain visible ASCII, or that have leading or
 * trailing whitespace, travel as {@code =?base64?...?=}; tool input properties annotated {@code x-mcp-header}
 * are mirrored into {@code Mcp-Param-<Name>}, and a tool whose annotations are invalid must not be used.
 */
final class ModernHeaders {
    static final String ANNOTATION = "x-mcp-header";

    private ModernHeaders() {
    }

    static String encode(String value) {
        boolean plain = value.equals(value.strip());
        for (int i = 0; plain && i < value.length(); i++) {
            char c = value.charAt(i);
            plain = c >= 0x20 && c <= 0x7E;
        }
        return plain ? value
                : "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /**
     * The {@code property -> header name} mapping of a tool's input schema.
     *
     * @throws IllegalArgumentException naming the first invalid annotation
     */
    static Map<String, String> parameterHeaders(JsonNode inputSchema) {
        Map<String, String> mapping = new LinkedHashMap<>();
        JsonNode properties = inputSchema == null ? null : inputSchema.get("properties");
        if (properties == null || !properties.isObject()) {
            return mapping;
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (Entry<String, JsonNode> property : properties.properties()) {
            JsonNode header = property.getValue().get(ANNOTATION);
            if (header == null) {
                continue;
            }
            String name = header.isTextual() ? header.asText() : "";
            if (name.isEmpty() || !name.chars().allMatch(ModernHeaders::isTokenChar)) {
                throw new IllegalArgumentException("property '" + property.getKey() + "': x-mcp-header '" + name
                        + "' is not a valid header name");
            }
            String type = property.getValue().path("type").asText("");
            if (!type.equals("string") && !type.equals("integer") && !type.equals("boolean")) {
                throw new IllegalArgumentException("property '" + property.getKey() + "': x-mcp-header on type '"
                        + type + "' (only string, integer and boolean may be mirrored)");
            }
            String previous = seen.put(name.toLowerCase(Locale.ROOT), property.getKey());
            if (previous != null) {
                throw new IllegalArgumentException("x-mcp-header '" + name + "' used by both '" + previous + "' and '"
                        + property.getKey() + "'");
            }
            mapping.put(property.getKey(), name);
        }
        return mapping;
    }

    /** The {@code Mcp-Param-*} headers for a call; null or absent arguments are omitted. */
    static Map<String, String> parameterValues(Map<String, String> mapping, JsonNode arguments) {
        Map<String, String> headers = new LinkedHashMap<>();
        mapping.forEach((property, header) -> {
            JsonNode value = arguments == null ? null : arguments.get(property);
            if (value == null || value.isNull()) {
                return;
            }
            String text = value.isTextual() ? value.asText() : value.isBoolean() ? String.valueOf(value.asBoolean())
                    : value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.toString();
            headers.put("Mcp-Param-" + header, encode(text));
        });
        return headers;
    }

    /** RFC 9110 token characters. */
    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
