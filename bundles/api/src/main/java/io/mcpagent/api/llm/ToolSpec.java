package io.mcpagent.api.llm;

import java.util.Objects;

/**
 * A tool offered to the model. {@code inputSchemaJson} is a JSON Schema object as text; {@code strict} asks
 * providers that support it to enforce the schema exactly. Keep names within {@code ^[a-zA-Z0-9_-]{1,64}$}.
 */
public record ToolSpec(String name, String description, String inputSchemaJson, boolean strict) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        inputSchemaJson = inputSchemaJson == null || inputSchemaJson.isBlank()
                ? "{\"type\":\"object\",\"properties\":{}}" : inputSchemaJson;
    }
}
