package io.mcpagent.core.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;

/**
 * The {@link ExecutionListener}s bound to one component. Publishing calls each in turn on the caller's thread; a
 * listener that throws is logged and keeps receiving events, and never disturbs the publisher or the others.
 */
public final class ExecutionListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionListeners.class);
    private final List<Bound> listeners = new CopyOnWriteArrayList<>();

    /** A listener with the id of the service DS bound it from. */
    private record Bound(Object serviceId, ExecutionListener listener) {
    }

    /** @param properties the service's properties, whose {@code service.id} {@link #remove} is given again */
    public void add(ExecutionListener listener, Map<String, ?> properties) {
        listeners.add(new Bound(properties.get(Constants.SERVICE_ID), listener));
    }

    /**
     * By the service's properties, not the listener: DS hands an unbind method the service only after asking for it,
     * and asked for one whose activation had failed (the history, its database down) it activated it again, and
     * logged that failure at ERROR with its stack, once for each component that had bound it.
     */
    public void remove(Map<String, ?> properties) {
        Object serviceId = properties.get(Constants.SERVICE_ID);
        listeners.removeIf(bound -> bound.serviceId().equals(serviceId));
    }

    public void publish(ExecutionEvent event) {
        for (Bound bound : listeners) {
            ExecutionListener listener = bound.listener();
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("execution listener {} failed on {}; it keeps receiving events", listener, event.type(), e);
            }
        }
    }
}
