/**
 * Plugins and the whiteboard that tracks them: kinds, identity, health, service properties and the {@link io.mcpagent.api.plugin.PluginManager}.
 */
@Version("1.5.0")
@Export
package io.mcpagent.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
