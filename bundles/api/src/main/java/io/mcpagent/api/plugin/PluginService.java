package io.mcpagent.api.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/** Base of every plugin SPI: a plugin may report its own health (a provider without its API key, say). */
@ConsumerType
public interface PluginService {

    /** Current health; must be cheap and must not block on the network. Healthy unless overridden. */
    default PluginHealth health() {
        return PluginHealth.up();
    }
}
