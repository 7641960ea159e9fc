package io.mcpagent.mcp.system.internal;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;

/** One tool of the system server. Tools answer at once from the JVM, so they need no timeout. */
interface SystemTool {
    /**
     * The annotations of every tool here: each only reads the JVM (read-only, so neither destructive nor with a
     * further effect when called again) and reaches nothing outside it (a closed world). Given all, as the spec's
     * defaults for hints not given are the opposite: destructive and open world.
     */
    ToolAnnotations READS_THE_JVM = new ToolAnnotations(null, true, false, true, false);

    ToolDescriptor descriptor();

    /** Runs the tool; arguments it cannot use are a {@link ToolArgumentException}, answered as an error result. */
    ToolCallResult call(ToolArguments arguments) throws ToolArgumentException;

    /** A result with text for people and models, and the same facts as structured content. */
    static ToolCallResult success(String text, JsonNode structuredContent) {
        return new ToolCallResult(List.of(TextPart.of(text)), structuredContent.toString(), false);
    }

    static ToolCallResult error(String text) {
        return new ToolCallResult(List.of(TextPart.of(text)), null, true);
    }
}
