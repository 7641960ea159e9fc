package io.mcpagent.api.mcp;

import java.util.Objects;

/**
 * A tool an MCP server offers; schemas are JSON text ({@code outputSchemaJson} may be null). {@code title} is the
 * tool's top-level title (null when it has none); {@code annotations} are its MCP annotations, each null when the
 * server does not give it (since 1.2; {@link ToolAnnotations#NONE} when it gives none). Hints of the server, not
 * guarantees.
 */
public record ToolDescriptor(String name, String title, String description, String inputSchemaJson,
                             String outputSchemaJson, ToolAnnotations annotations) {
    public ToolDescriptor {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        inputSchemaJson = inputSchemaJson == null ? "{\"type\":\"object\",\"properties\":{}}" : inputSchemaJson;
        annotations = annotations == null ? ToolAnnotations.NONE : annotations;
    }

    /** A tool whose server gives no annotation but, perhaps, {@code readOnlyHint} (since 1.1). */
    public ToolDescriptor(String name, String title, String description, String inputSchemaJson,
                          String outputSchemaJson, Boolean readOnlyHint) {
        this(name, title, description, inputSchemaJson, outputSchemaJson,
                new ToolAnnotations(null, readOnlyHint, null, null, null));
    }

    /** A tool whose server gives no annotations. */
    public ToolDescriptor(String name, String title, String description, String inputSchemaJson,
                          String outputSchemaJson) {
        this(name, title, description, inputSchemaJson, outputSchemaJson, ToolAnnotations.NONE);
    }

    /**
     * The title to show for the tool (since 1.3): its top-level {@code title}, else its annotations' {@code title},
     * the spec's order of precedence; null when it has neither. The shell and the console show this one rule.
     */
    public String shownTitle() {
        return title != null ? title : annotations.title();
    }

    /**
     * The tool's {@code readOnlyHint} annotation: true when the server says the tool does not modify its
     * environment, false when it says it may, null when it says nothing (since 1.1).
     */
    public Boolean readOnlyHint() {
        return annotations.readOnlyHint();
    }
}
