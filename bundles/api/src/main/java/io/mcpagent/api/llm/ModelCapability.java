package io.mcpagent.api.llm;

/** What a model can do; used by provider selection. */
public enum ModelCapability { TOOLS, VISION, STRUCTURED_OUTPUT, STREAMING, REASONING }
