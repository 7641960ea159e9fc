/**
 * Plugins and the whiteboard that tracks them: kinds, identity, health, service properties and the {@link io.mcpagent.api.plugin.PluginManager};
 * {@link io.mcpagent.api.plugin.PluginProperties#MCP_REPLICA_KEY}, which MCP servers are replicas of one another (1.6);
 * {@link io.mcpagent.api.plugin.PluginManager#activating}, a plugin still activating rather than broken (1.7).
 */
@Version("1.7.0")
@Export
package io.mcpagent.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
