package io.mcpagent.api.mcp;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The catalog of installable MCP servers: the built-in entries, entries operators configure
 * ({@code etc/io.mcpagent.mcp.catalog.entry~<id>.cfg.json}) and entries bundles contribute through
 * {@link CatalogContribution}. Installing configures a server ({@code etc/io.mcpagent.mcp.server~<id>.cfg.json}),
 * which then appears as an {@link McpServer} plugin with the entry's id.
 */
@ProviderType
public interface McpCatalog {

    /** All entries, ordered by id. */
    List<CatalogEntry> entries();

    Optional<CatalogEntry> entry(String id);

    /**
     * Entries ranked for a task in plain words, best first, at most {@code max}; only entries with a positive score.
     * Each says whether it is installed, as {@link #installedEntries()} has it.
     */
    List<ServerRecommendation> recommend(String task, int max);

    /**
     * The ids of the entries this runtime has an MCP server of: one with the entry's id (installed from the catalog,
     * or configured under that name), or one configured by hand that runs the entry's package
     * ({@link io.mcpagent.api.plugin.PluginProperties#MCP_CATALOG_ENTRY}), as a {@code filesystem} entry is installed
     * when a server {@code fs} runs {@code @modelcontextprotocol/server-filesystem}.
     *
     * @since 1.7
     */
    Set<String> installedEntries();

    /**
     * Installs an entry (npm package under {@code data/}), writes its server configuration, waits for it to
     * connect and lists its tools. Throws {@link McpException} saying exactly what failed; a failed install leaves
     * nothing behind.
     */
    InstallReport install(String id);

    /** Removes the server configuration and the installed files; throws {@link McpException} if not installed. */
    void uninstall(String id);
}
