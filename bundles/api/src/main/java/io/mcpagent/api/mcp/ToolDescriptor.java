package io.mcpagent.api.mcp;

import java.util.Objects;

/**
 * A tool an MCP server offers; schemas are JSON text ({@code outputSchemaJson} may be null). {@code readOnlyHint} is
 * the tool's MCP annotation of that name: true when the server says the tool does not modify its environment, false
 * when it says it may, null when it says nothing (since 1.1). A hint of the server, not a guarantee.
 */
public record ToolDescriptor(String name, String title, String description, String inputSchemaJson,
                             String outputSchemaJson, Boolean readOnlyHint) {
    public ToolDescriptor {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        inputSchemaJson = inputSchemaJson == null ? "{\"type\":\"object\",\"properties\":{}}" : inputSchemaJson;
    }

    /** A tool whose server gives no {@code readOnlyHint}. */
    public ToolDescriptor(String name, String title, String description, String inputSchemaJson,
                          String outputSchemaJson) {
        this(name, title, description, inputSchemaJson, outputSchemaJson, null);
    }
}
