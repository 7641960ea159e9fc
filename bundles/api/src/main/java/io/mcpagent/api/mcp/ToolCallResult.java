package io.mcpagent.api.mcp;

import java.util.List;

import io.mcpagent.api.llm.Part;

/**
 * The result of an MCP tool call: content as chat {@link Part}s (so it can go back to a model unchanged),
 * structured content as JSON text (null if none), and whether the tool reported an error.
 */
public record ToolCallResult(List<Part> content, String structuredContentJson, boolean isError) {
    public ToolCallResult {
        content = content == null ? List.of() : List.copyOf(content);
    }
}
