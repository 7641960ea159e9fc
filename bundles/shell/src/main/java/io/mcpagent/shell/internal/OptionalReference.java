package io.mcpagent.shell.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The holder of an optional, dynamic, greedy service reference of a command component. Commands ask for the
 * service with {@link #require()}, which says what to start when it is missing, so the commands stay registered
 * (and explain themselves) while the bundle providing the service is stopped.
 */
final class OptionalReference<S> {
    private final AtomicReference<S> bound = new AtomicReference<>();
    private final String missingMessage;

    OptionalReference(String missingMessage) {
        this.missingMessage = missingMessage;
    }

    void bind(S service) {
        bound.set(service);
    }

    void unbind(S service) {
        // A greedy replacement binds the new service before unbinding the old one: keep the new one.
        bound.compareAndSet(service, null);
    }

    boolean isBound() {
        return bound.get() != null;
    }

    /** The bound service, if any. */
    Optional<S> current() {
        return Optional.ofNullable(bound.get());
    }

    /** The bound service; an {@link IllegalStateException} saying which bundle to start if there is none. */
    S require() {
        S service = bound.get();
        if (service == null) {
            throw new IllegalStateException(missingMessage);
        }
        return service;
    }
}
