package io.mcpagent.api.llm;

public enum MediaKind { IMAGE, DOCUMENT, AUDIO, VIDEO }
