package io.mcpagent.api.llm;

/** Author of a message. System instructions normally go in {@link ChatRequest#instructions()}; {@code SYSTEM} is a mid-conversation system message, which few providers accept. */
public enum Role { USER, ASSISTANT, TOOL, SYSTEM }
