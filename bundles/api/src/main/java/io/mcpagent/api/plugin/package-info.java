/**
 * Plugins and the whiteboard that tracks them: kinds, identity, health, service properties and the {@link io.mcpagent.api.plugin.PluginManager};
 * {@link io.mcpagent.api.plugin.PluginProperties#MCP_REPLICA_KEY}, which MCP servers are replicas of one another (1.6).
 */
@Version("1.6.0")
@Export
package io.mcpagent.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
