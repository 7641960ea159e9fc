package io.mcpagent.shell.internal;

import org.osgi.framework.BundleContext;

import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginManager;

/** What the command components share about the plugin whiteboard. */
final class Plugins {
    static final String NOT_RUNNING = "plugin whiteboard not running (bundle io.mcpagent.core); start that bundle"
            + " (see 'lb -s') and check its components with 'scr:list'";

    private Plugins() {
    }

    /** The whiteboard reference of a command component in the framework of {@code context}. */
    static OptionalReference<PluginManager> whiteboard(BundleContext context) {
        return OptionalReference.of(context, "io.mcpagent.core", "the plugin whiteboard", NOT_RUNNING);
    }

    /**
     * The plugin's health; a plugin that left meanwhile or whose health check threw is reported, not hidden.
     * {@code listCommand} is the command that shows what is there now.
     */
    static PluginHealth health(PluginManager manager, String id, String listCommand) {
        try {
            return manager.health(id).orElseGet(() -> PluginHealth.unknown(
                    "plugin '" + id + "' left while its health was asked; see " + listCommand));
        } catch (RuntimeException e) {
            return PluginHealth.unknown("health check failed: " + e);
        }
    }
}
