package io.mcpagent.api.runtime;

import java.time.Instant;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service told, once each and in order, what happens to configurations: ConfigAdmin's updates and deletions
 * and the refusals told to the {@link ConfigurationRefusalListener}s. First those made while no such listener was
 * registered (1.16): ConfigAdmin tells its listeners of a change as it is made, and {@link ConfigurationRefusals} tells
 * the refusal listeners registered at the time, so a listener that registers later never hears of them. At a start of
 * the runtime the audit log registers after the core's components took their configurations and after the files in
 * {@code etc/} were applied: a file edited while the runtime was stopped, or a configuration refused by a component
 * that starts before the audit log, was missing from it. The config bundle, which starts before those components,
 * hears them all, holds them while no listener is registered, and tells them to the next one that registers.
 * <p>
 * Then each as it happens (1.17), from the same place, so an implementation is not itself a
 * {@code SynchronousConfigurationListener} or a {@link ConfigurationRefusalListener} for these: hearing them from both,
 * a change made while it registered was told twice, after a later one, or, heard by neither, not at all. Called in
 * order, under the config bundle's lock, on the thread that made the change or the refusal, or that registered the
 * listener: queue what you are told and return.
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
