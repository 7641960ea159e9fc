package io.mcpagent.api.plugin;

/**
 * Names of the service properties every plugin service carries. Components set them with the component
 * property types {@link ProviderPlugin}, {@link PatternPlugin}, {@link AnalyzerPlugin} and {@link McpServerPlugin}.
 */
public final class PluginProperties {
    /** Unique, stable id of the plugin, e.g. {@code openai-main} or {@code pattern.router}. Required. */
    public static final String ID = "mcpagent.plugin.id";
    /** One of {@link PluginKind#id()}; must agree with the service interface the plugin registers. */
    public static final String KIND = "mcpagent.plugin.kind";
    /** Version of the plugin's implementation; defaults to the bundle version when absent. */
    public static final String VERSION = "mcpagent.plugin.version";
    /** Human-readable name shown in listings. */
    public static final String NAME = "mcpagent.plugin.name";
    /** One-line description shown in listings. */
    public static final String DESCRIPTION = "mcpagent.plugin.description";
    /**
     * On an MCP server plugin: what it can do, comma-separated names of the catalog's capability vocabulary (e.g.
     * {@code file_read,file_write}), so that the autonomous layer binds agents to it. A server installed from the
     * catalog has its entry's capabilities without it.
     */
    public static final String MCP_CAPABILITIES = "mcpagent.mcp.capabilities";
    /**
     * On an LLM provider plugin: {@code true} for a provider that replays scripts (tests, demos). The router and
     * the autonomous layer use it only when it is named (pinned by provider id), never by their own choice.
     */
    public static final String SCRIPTED_PROVIDER = "mcpagent.provider.scripted";
    /** Prefix of every plugin property; all properties with it are shown in plugin details. */
    public static final String PREFIX = "mcpagent.";

    private PluginProperties() {
    }
}
