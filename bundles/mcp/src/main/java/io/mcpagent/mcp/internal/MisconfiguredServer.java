package io.mcpagent.mcp.internal;

import java.time.Duration;
import java.util.List;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.PluginHealth;

/** A server whose configuration has mistakes: listed, DOWN, and every call says what to fix. */
final class MisconfiguredServer implements McpServer {
    private final String id;
    private final String transport;
    private final String problem;
    /** Where its configuration comes from: its file in etc/, or Configuration Admin (the Web Console). */
    private final String origin;

    MisconfiguredServer(String id, String transport, String problem, String origin) {
        this.id = id;
        this.transport = transport;
        this.problem = problem;
        this.origin = origin;
    }

    @Override
    public McpServerInfo info() {
        return new McpServerInfo(id, "", "", transport);
    }

    @Override
    public PluginHealth health() {
        return PluginHealth.down("misconfigured: " + problem + " (fix the configuration, " + origin + ")");
    }

    @Override
    public List<ToolDescriptor> listTools() {
        throw new McpException(id, "misconfigured: " + problem);
    }

    @Override
    public ToolCallResult callTool(String toolName, String argumentsJson, Duration timeout) {
        throw new McpException(id, "misconfigured: " + problem);
    }
}
