package io.mcpagent.api.mcp;

import java.util.Collection;

import org.osgi.annotation.versioning.ProviderType;

/** Builds {@link Toolset}s over the MCP server plugins installed now. */
@ProviderType
public interface McpToolbox {

    /** The tools of the named servers (plugin ids) passing {@code filter}; unknown servers are reported by {@link McpException}. */
    Toolset toolset(Collection<String> serverIds, ToolFilter filter);
}
