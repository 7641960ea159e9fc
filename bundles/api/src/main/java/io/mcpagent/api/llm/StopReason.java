package io.mcpagent.api.llm;

/** Why the model stopped, normalised; the provider's raw value travels beside it in {@link ChatResponse#rawStopReason()}. */
public enum StopReason {
    END_TURN, MAX_TOKENS, STOP_SEQUENCE, TOOL_CALLS, CONTENT_FILTERED, REFUSAL, CONTEXT_WINDOW_EXCEEDED, PAUSED,
    ERROR, OTHER
}
