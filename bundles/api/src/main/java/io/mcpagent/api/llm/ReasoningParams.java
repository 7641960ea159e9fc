package io.mcpagent.api.llm;

/** Reasoning controls: an effort level ({@code low|medium|high}) or a token budget; {@code null} means default. */
public record ReasoningParams(String effort, Integer budgetTokens) {
}
