package io.mcpagent.api.llm;

/** One piece of a message's content. Adapters map each to the provider's own block type. */
public sealed interface Part permits TextPart, MediaPart, ToolCallPart, ToolResultPart, ReasoningPart, RefusalPart,
        CitationPart, OpaquePart {
}
