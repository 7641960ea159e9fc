package io.mcpagent.api.runtime;

import java.time.Instant;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service told, once, what happened to configurations while no such listener was registered (1.16):
 * ConfigAdmin tells its listeners of a change as it is made, and {@link ConfigurationRefusals} tells the refusal
 * listeners registered at the time, so a listener that registers later never hears of them. At a start of the
 * runtime the audit log registers after the core's components took their configurations and after the files in
 * {@code etc/} were applied: a file edited while the runtime was stopped, or a configuration refused by a component
 * that starts before the audit log, was missing from it. The config bundle, which starts before those components,
 * holds them, in the order they came, and tells them to the next listener that registers.
 * <p>
 * What happens while it is registered it hears as it happens, so an implementation is also a
 * {@code SynchronousConfigurationListener} and a {@link ConfigurationRefusalListener}. Called in order, on the thread
 * that registered the listener: return quickly.
 */
@ConsumerType
public interface EarlyConfigurationListener {

    /**
     * A configuration created or changed.
     *
     * @param at         when ConfigAdmin took it
     * @param pid        its PID
     * @param factoryPid its factory PID, null for a configuration of a single PID
     */
    void updated(Instant at, String pid, String factoryPid);

    /** A configuration deleted; the parameters as for {@link #updated}. */
    void deleted(Instant at, String pid, String factoryPid);

    /**
     * A configuration refused, as {@link ConfigurationRefusalListener#refused} is told.
     *
     * @param at when it was refused
     */
    void refused(Instant at, String pid, String message);
}
