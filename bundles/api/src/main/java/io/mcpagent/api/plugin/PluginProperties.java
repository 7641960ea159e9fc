package io.mcpagent.api.plugin;

/**
 * Names of the service properties every plugin service carries. Components set them with the component
 * property types {@link ProviderPlugin}, {@link PatternPlugin}, {@link AnalyzerPlugin} and {@link McpServerPlugin}.
 */
public final class PluginProperties {
    /**
     * Stable id of the plugin, e.g. {@code openai-main} or {@code pattern.router}. Required. Unique across all plugin
     * kinds, not per kind: of several services with one id (of any kinds) only one is used, a platform bundle's before
     * one installed from the deploy folder, then one an operator's configuration makes (a provider or MCP server
     * configured in {@code etc/} or Configuration Admin) before one of its kind a bundle registers by itself (but
     * after one of another kind: a server configured as {@code direct} does not put the pattern out), then the higher
     * {@code service.ranking}, then the lower {@code service.id}; the others are reported as problems and stand in
     * when it goes away.
     */
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
     * catalog has its entry's capabilities without it; the platform's configured servers publish those of the catalog
     * entry they are (by name or by the package they run) when their configuration declares none.
     */
    public static final String MCP_CAPABILITIES = "mcpagent.mcp.capabilities";
    /**
     * On an MCP server plugin with {@link #MCP_CAPABILITIES}: where they come from, for people to read:
     * {@code declared} (its configuration lists them), {@code catalog entry <id> by name} (the server is named after
     * the entry) or {@code catalog entry <id> by package <package>} (it runs the entry's package).
     *
     * @since 1.4
     */
    public static final String MCP_CAPABILITIES_SOURCE = "mcpagent.mcp.capabilities.source";
    /**
     * On an MCP server plugin the platform configures: the PID of its configuration,
     * {@code io.mcpagent.mcp.server~<name>}, read from {@code etc/<pid>.cfg.json}; absent on servers other bundles
     * register.
     *
     * @since 1.4
     */
    public static final String MCP_CONFIGURATION = "mcpagent.mcp.configuration";
    /**
     * On an MCP server plugin the platform configures: an opaque key of the settings that decide what the server is
     * and can reach (its transport, command, arguments, environment, working directory, URL, headers, roots, tool
     * filters, OAuth client), equal for two servers exactly when these are equal. Servers with one key are replicas,
     * interchangeable apart from their name: the autonomous layer spreads plans across them instead of binding all.
     * Servers without it (registered by other bundles, or misconfigured) are replicas of none. Being a keyed hash
     * (keyed per framework launch), it compares only within one runtime and reveals nothing of the settings.
     *
     * @since 1.6
     */
    public static final String MCP_REPLICA_KEY = "mcpagent.mcp.replica";
    /**
     * On an MCP server plugin the platform configures: {@code true} while its configuration waits for the id, which
     * another configuration of the same id holds, and its server is not started. The whiteboard uses a plugin with
     * it only when no other plugin has its id, so that it always serves the server that runs, also after core
     * restarts and no longer knows which configuration came first. Cleared when the configuration takes the id over.
     *
     * @since 1.9
     */
    public static final String MCP_STANDBY = "mcpagent.mcp.standby";
    /**
     * On an MCP server plugin the platform configures: the id of the catalog entry it is, named after it or running its
     * package (the same match that gives a server without declared capabilities the entry's), whatever its own id; so
     * a server configured by hand counts its entry installed ({@link io.mcpagent.api.mcp.McpCatalog#installedEntries}).
     *
     * @since 1.9
     */
    public static final String MCP_CATALOG_ENTRY = "mcpagent.mcp.catalog.entry";
    /**
     * On an MCP server plugin the platform configures: when it connects, {@value #MCP_CONNECT_EAGER} (at start, and
     * again when lost) or {@value #MCP_CONNECT_LAZY} (on first use). A lazy server stays of UNKNOWN health until then:
     * it has started, it is not connecting, so whoever waits for servers to come up does not wait for it.
     *
     * @since 1.3
     */
    public static final String MCP_CONNECT = "mcpagent.mcp.connect";
    /**
     * The value of {@link #MCP_CONNECT} of a server that connects at start.
     *
     * @since 1.3
     */
    public static final String MCP_CONNECT_EAGER = "eager";
    /**
     * The value of {@link #MCP_CONNECT} of a server that connects on first use.
     *
     * @since 1.3
     */
    public static final String MCP_CONNECT_LAZY = "lazy";
    /**
     * On an LLM provider plugin: {@code true} for a provider that replays scripts (tests, demos). The router and
     * the autonomous layer use it only when it is named (pinned by provider id), never by their own choice.
     */
    public static final String SCRIPTED_PROVIDER = "mcpagent.provider.scripted";
    /**
     * On an LLM provider plugin the platform configures: the PID of its configuration,
     * {@code io.mcpagent.provider.<family>~<name>}, read from {@code etc/<pid>.cfg.json}, whose {@code models} say
     * which models it serves and what each can do; absent on providers other bundles register.
     *
     * @since 1.5
     */
    public static final String PROVIDER_CONFIGURATION = "mcpagent.provider.configuration";
    /** Prefix of every plugin property; all properties with it are shown in plugin details. */
    public static final String PREFIX = "mcpagent.";

    private PluginProperties() {
    }
}
