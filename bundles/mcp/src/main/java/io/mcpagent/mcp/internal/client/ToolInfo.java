package io.mcpagent.mcp.internal.client;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.mcp.ToolAnnotations;

/**
 * A tool as the server lists it, with the modern-era header mapping derived from its input schema and its MCP
 * annotations (each null when the server gives none, or gives one of the wrong JSON type).
 */
public record ToolInfo(String name, String title, String description, JsonNode inputSchema, JsonNode outputSchema,
                       Map<String, String> parameterHeaders, ToolAnnotations annotations) {
    public ToolInfo {
        parameterHeaders = Map.copyOf(parameterHeaders);
        annotations = annotations == null ? ToolAnnotations.NONE : annotations;
    }
}
