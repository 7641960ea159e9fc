package io.mcpagent.api.runtime;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service told when a component refuses a configuration that ConfigAdmin took
 * ({@link GuardedConfiguration}): ConfigAdmin's event says only that the configuration was stored, and the component
 * hears of it later, so whoever records configuration changes (the audit log) learns the refusal here (1.14).
 * Called on the thread that delivered the configuration to the component: return quickly.
 */
@ConsumerType
public interface ConfigurationRefusalListener {

    /**
     * @param pid     the refused configuration's PID
     * @param message the refusal as logged: the PID, its file, every property refused and why, and which settings
     *                stay in force
     */
    void refused(String pid, String message);
}
