/**
 * Plugins and the whiteboard that tracks them: kinds, identity, health, service properties and the {@link io.mcpagent.api.plugin.PluginManager};
 * {@link io.mcpagent.api.plugin.PluginProperties#MCP_REPLICA_KEY}, which MCP servers are replicas of one another (1.6);
 * {@link io.mcpagent.api.plugin.PluginManager#activating}, a plugin still activating rather than broken (1.7);
 * {@link io.mcpagent.api.plugin.PluginManager#service(String, Class, java.time.Duration)}, a caller's shorter wait for
 * an activation (1.8); {@link io.mcpagent.api.plugin.PluginProperties#MCP_STANDBY}, an MCP server configuration
 * waiting for its id, {@link io.mcpagent.api.plugin.PluginProperties#MCP_CATALOG_ENTRY}, the catalog entry a configured
 * server is, and a configuration's plugin before one of its kind a bundle registers by itself, after one of another
 * kind (1.9).
 */
@Version("1.9.0")
@Export
package io.mcpagent.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
