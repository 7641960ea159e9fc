package io.mcpagent.api.mcp;

import java.util.Objects;

/** A tool an MCP server offers; schemas are JSON text ({@code outputSchemaJson} may be null). */
public record ToolDescriptor(String name, String title, String description, String inputSchemaJson,
                             String outputSchemaJson) {
    public ToolDescriptor {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        inputSchemaJson = inputSchemaJson == null ? "{\"type\":\"object\",\"properties\":{}}" : inputSchemaJson;
    }
}
