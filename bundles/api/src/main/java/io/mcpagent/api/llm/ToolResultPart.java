package io.mcpagent.api.llm;

import java.util.List;
import java.util.Objects;

/**
 * The result of a tool call, returned to the model. {@code toolName} is kept because Gemini and Ollama key
 * results by name. {@code isError} marks a failed call whose content explains the failure to the model.
 */
public record ToolResultPart(String callId, String toolName, List<Part> content, boolean isError) implements Part {
    public ToolResultPart {
        Objects.requireNonNull(callId, "callId");
        content = content == null ? List.of() : List.copyOf(content);
    }
}
