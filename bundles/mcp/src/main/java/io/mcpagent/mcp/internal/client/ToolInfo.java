package io.mcpagent.mcp.internal.client;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool as the server lists it, with the modern-era header mapping derived from its input schema and its
 * {@code readOnlyHint} annotation (null when the server gives none, or gives one that is no boolean).
 */
public record ToolInfo(String name, String title, String description, JsonNode inputSchema, JsonNode outputSchema,
                       Map<String, String> parameterHeaders, Boolean readOnlyHint) {
    public ToolInfo {
        parameterHeaders = Map.copyOf(parameterHeaders);
    }
}
