package io.mcpagent.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
    private final List<ExecutionListener> listeners = new CopyOnWriteArrayList<>();

    public void add(ExecutionListener listener) {
        listeners.add(listener);
    }

    public void remove(ExecutionListener listener) {
        listeners.remove(listener);
    }

    public void publish(ExecutionEvent event) {
        for (ExecutionListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("execution listener {} failed on {}; it keeps receiving events", listener, event.type(), e);
            }
        }
    }
}
