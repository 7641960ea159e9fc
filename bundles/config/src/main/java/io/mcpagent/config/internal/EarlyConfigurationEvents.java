package io.mcpagent.config.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.EarlyConfigurationListener;

/**
 * Holds the configuration changes and refusals made while no {@link EarlyConfigurationListener} is registered and
 * tells them, in order, to the next one that registers. At a start of the runtime the audit log (the history, start
 * level 6) registers after the core's components took their configurations (start level 5: a refusal of theirs was
 * told to nobody) and after FileInstall applied the files in {@code etc/} (a file edited while the runtime was stopped
 * had no {@code config.updated}). This bundle starts before both (start level 4) and this component is immediate, so
 * it hears them. A change of a configuration's location is not held: no file makes one.
 */
@Component(immediate = true, service = {SynchronousConfigurationListener.class, ConfigurationRefusalListener.class})
public final class EarlyConfigurationEvents implements SynchronousConfigurationListener, ConfigurationRefusalListener {
    /** The most events held while nobody listens (the audit log may never come: a runtime without the history). */
    static final int MOST_HELD = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(EarlyConfigurationEvents.class);

    private final Clock clock;
    /** Guards the listeners and the held events, so that each event is either held or heard by a listener. */
    private final Object lock = new Object();
    private final List<EarlyConfigurationListener> listeners = new ArrayList<>();
    private final List<Consumer<EarlyConfigurationListener>> held = new ArrayList<>();
    private int dropped;

    @Activate
    public EarlyConfigurationEvents() {
        this(Clock.systemUTC());
    }

    EarlyConfigurationEvents(Clock clock) {
        this.clock = clock;
    }

    /** Told what is held, in the lock, so that nothing that happens meanwhile comes before it. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(EarlyConfigurationListener listener) {
        synchronized (lock) {
            listeners.add(listener);
            if (dropped > 0) {
                LOG.warn("{} configuration changes and refusals made before {} was registered were not kept (at most"
                        + " {} are), so it misses them", dropped, listener, MOST_HELD);
            }
            for (Consumer<EarlyConfigurationListener> event : held) {
                try {
                    event.accept(listener);
                } catch (RuntimeException e) {
                    LOG.error("a configuration change or refusal could not be told to {}: {}", listener, e.toString());
                }
            }
            held.clear();
            dropped = 0;
        }
    }

    void removeListener(EarlyConfigurationListener listener) {
        synchronized (lock) {
            listeners.remove(listener);
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        Instant at = clock.instant();
        String pid = event.getPid();
        String factoryPid = event.getFactoryPid();
        switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> hold(listener -> listener.updated(at, pid, factoryPid));
            case ConfigurationEvent.CM_DELETED -> hold(listener -> listener.deleted(at, pid, factoryPid));
            default -> { } // a location change: no file makes one
        }
    }

    @Override
    public void refused(String pid, String message) {
        Instant at = clock.instant();
        hold(listener -> listener.refused(at, pid, message));
    }

    private void hold(Consumer<EarlyConfigurationListener> event) {
        synchronized (lock) {
            if (!listeners.isEmpty()) {
                return; // each hears it as it happens
            }
            if (held.size() < MOST_HELD) {
                held.add(event);
            } else {
                dropped++;
            }
        }
    }
}
