package io.mcpagent.http.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An optional, dynamic DS reference: the service bound last, or null. An unbind clears it only when it is still the
 * service unbound, atomically, so an unbind of an old service that races the bind of its replacement (DS binds the
 * new one before it unbinds the old under the greedy policy) never drops the replacement.
 */
final class BoundService<T> {
    private final AtomicReference<T> current = new AtomicReference<>();

    void bind(T service) {
        current.set(service);
    }

    void unbind(T service) {
        current.compareAndSet(service, null);
    }

    /** The service bound now, or null. */
    T get() {
        return current.get();
    }
}
