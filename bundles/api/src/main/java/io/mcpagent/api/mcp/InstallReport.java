package io.mcpagent.api.mcp;

import java.util.List;

/** What {@link McpCatalog#install} did: the server it configured, the configuration file, and the tools it found. */
public record InstallReport(String id, String configFile, String installDirectory, List<String> tools) {
    public InstallReport {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
