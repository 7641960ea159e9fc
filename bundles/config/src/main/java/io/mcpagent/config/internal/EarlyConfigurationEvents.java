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
 * Tells the {@link EarlyConfigurationListener}s every configuration change and refusal, once each and in order: those
 * made while none is registered held, told to the next one that registers, and those that come after it as they
 * happen. At a start of the runtime the audit log (the history, start level 6) registers after the core's components
 * took their configurations (start level 5: a refusal of theirs was told to nobody) and after FileInstall applied the
 * files in {@code etc/} (a file edited while the runtime was stopped had no {@code config.updated}). This bundle
 * starts before both (start level 4) and this component is immediate, so it hears them. A listener hears them from
 * here only, never from ConfigAdmin or the refusals as well: which of the two told it of a change made while it
 * registered depended on which learnt of it first, so such a change was told twice, out of order, or not at all. A
 * change of a configuration's location is not told: no file makes one.
 */
@Component(immediate = true, service = {SynchronousConfigurationListener.class, ConfigurationRefusalListener.class})
public final class EarlyConfigurationEvents implements SynchronousConfigurationListener, ConfigurationRefusalListener {
    /** The most events held while nobody listens (the audit log may never come: a runtime without the history). */
    static final int MOST_HELD = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(EarlyConfigurationEvents.class);

    private final Clock clock;
    /**
     * Guards the listeners and the held events, so that each event is either held or told to the listeners, and told
     * to a listener that registers after all those held. Listeners only queue what they are told, so nothing is called
     * under it that could wait for another lock.
     */
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

    /** Told what is held, in the lock, so that nothing that happens meanwhile comes before it or is missed. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeListener")
    void addListener(EarlyConfigurationListener listener) {
        synchronized (lock) {
            listeners.add(listener);
            if (dropped > 0) {
                LOG.warn("{} configuration changes and refusals made before {} was registered were not kept (at most"
                        + " {} are), so it misses them", dropped, listener, MOST_HELD);
            }
            held.forEach(event -> tell(listener, event));
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
            case ConfigurationEvent.CM_UPDATED -> tellOrHold(listener -> listener.updated(at, pid, factoryPid));
            case ConfigurationEvent.CM_DELETED -> tellOrHold(listener -> listener.deleted(at, pid, factoryPid));
            default -> { } // a location change: no file makes one, and listeners hear those from ConfigAdmin
        }
    }

    @Override
    public void refused(String pid, String message) {
        Instant at = clock.instant();
        tellOrHold(listener -> listener.refused(at, pid, message));
    }

    private void tellOrHold(Consumer<EarlyConfigurationListener> event) {
        synchronized (lock) {
            if (!listeners.isEmpty()) {
                listeners.forEach(listener -> tell(listener, event));
            } else if (held.size() < MOST_HELD) {
                held.add(event);
            } else {
                dropped++;
            }
        }
    }

    private static void tell(EarlyConfigurationListener listener, Consumer<EarlyConfigurationListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            LOG.error("a configuration change or refusal could not be told to {}: {}", listener, e.toString());
        }
    }
}
