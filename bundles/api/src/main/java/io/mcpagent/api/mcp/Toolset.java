package io.mcpagent.api.mcp;

import java.time.Duration;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.llm.ToolSpec;

/**
 * The tools of several MCP servers under names valid for every LLM provider ({@code ^[a-zA-Z0-9_-]{1,64}$}),
 * each prefixed by its server. Calls go to the server that offers the tool right now; a server that is gone or
 * failing yields an error result ({@code isError}) the model can read, never an exception.
 */
@ProviderType
public interface Toolset {

    List<ToolSpec> specs();

    /** The {@code server/tool} behind an exposed name, or null if the name is unknown. */
    String origin(String exposedName);

    ToolCallResult call(String exposedName, String argumentsJson, Duration timeout);
}
