package io.mcpagent.mcp.system.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServer;
import io.mcpagent.api.mcp.McpServerInfo;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.plugin.McpServerPlugin;
import io.mcpagent.api.plugin.PluginProperties;

/**
 * An MCP server inside the JVM, plugin id {@value #ID}: tools any agent can use without a process or a network,
 * answering from the JVM itself. Arguments a tool cannot use are answered as an error result
 * ({@code isError}) that says what is wrong, so a model can correct itself; only an unknown tool name is an
 * {@link McpException}, as it is for remote servers.
 */
// its current_time tool is the vocabulary's "time": agents that need the time are bound to it, with no process to run
@Component(service = McpServer.class, property = {PluginProperties.MCP_CAPABILITIES + "=time",
        PluginProperties.MCP_CAPABILITIES_SOURCE + "=declared"})
@McpServerPlugin(id = SystemMcpServer.ID, name = "System",
        description = "In-process tools: the current time in any time zone, JVM runtime information, random UUIDs.")
public final class SystemMcpServer implements McpServer {
    static final String ID = "system";
    static final String IN_PROCESS = "in-process";

    private final McpServerInfo info;
    /** By tool name, in the order they are listed. */
    private final Map<String, SystemTool> tools = new LinkedHashMap<>();

    @Activate
    public SystemMcpServer(BundleContext context) {
        this(context.getBundle().getVersion().toString(), Clock.systemUTC());
    }

    SystemMcpServer(String version, Clock clock) {
        this.info = new McpServerInfo("io.mcpagent.mcp.system", version, IN_PROCESS, IN_PROCESS);
        for (SystemTool tool : List.of(new CurrentTimeTool(clock), new RuntimeInfoTool(), new UuidTool())) {
            tools.put(tool.descriptor().name(), tool);
        }
    }

    @Override
    public McpServerInfo info() {
        return info;
    }

    @Override
    public List<ToolDescriptor> listTools() {
        return tools.values().stream().map(SystemTool::descriptor).toList();
    }

    /** Its tools are known without listing: they are this bundle's. */
    @Override
    public Optional<List<ToolDescriptor>> listedTools() {
        return Optional.of(listTools());
    }

    @Override
    public ToolCallResult callTool(String toolName, String argumentsJson, Duration timeout) {
        SystemTool tool = tools.get(toolName);
        if (tool == null) {
            throw new McpException(ID, "no tool '" + toolName + "'; the tools are "
                    + String.join(", ", tools.keySet()));
        }
        try {
            return tool.call(ToolArguments.parse(argumentsJson, tool.descriptor()));
        } catch (ToolArgumentException e) {
            return SystemTool.error("invalid arguments for " + toolName + ": " + e.getMessage());
        }
    }
}
