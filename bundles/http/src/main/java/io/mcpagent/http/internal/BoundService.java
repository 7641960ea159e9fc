package io.mcpagent.http.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Constants;

/**
 * An optional, dynamic DS reference: the service bound last, or null. An unbind clears it only when it is still the
 * service unbound, atomically, so an unbind of an old service that races the bind of its replacement (DS binds the
 * new one before it unbinds the old under the greedy policy) never drops the replacement. A service of the history
 * is bound with its properties and unbound by them ({@link #unbind(Map)}).
 */
final class BoundService<T> {
    private final AtomicReference<Bound<T>> current = new AtomicReference<>();

    /** A service, with the id of the service DS bound it from (null when bound without its properties). */
    private record Bound<T>(T service, Object serviceId) {
    }

    void bind(T service) {
        current.set(new Bound<>(service, null));
    }

    /** @param properties the service's properties, whose {@code service.id} {@link #unbind(Map)} is given again */
    void bind(T service, Map<String, ?> properties) {
        current.set(new Bound<>(service, properties.get(Constants.SERVICE_ID)));
    }

    void unbind(T service) {
        current.updateAndGet(bound -> bound != null && bound.service() == service ? null : bound);
    }

    /**
     * By the service's properties, not the service: DS hands an unbind method the service only after asking for it,
     * and asked for the history while its activation failed (its database down), it activated it once more and
     * logged that failure at ERROR with its stack.
     */
    void unbind(Map<String, ?> properties) {
        Object serviceId = properties.get(Constants.SERVICE_ID);
        current.updateAndGet(bound -> bound != null && Objects.equals(bound.serviceId(), serviceId) ? null : bound);
    }

    /** The service bound now, or null. */
    T get() {
        Bound<T> bound = current.get();
        return bound == null ? null : bound.service();
    }
}
