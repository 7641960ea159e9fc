package io.mcpagent.api.llm;

/** Prompt-caching hint for a block; providers without explicit caching ignore it. */
public enum CacheHint { NONE, EPHEMERAL }
