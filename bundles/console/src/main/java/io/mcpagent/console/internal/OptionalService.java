package io.mcpagent.console.internal;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Constants;

/**
 * An optional, dynamic, greedy reference of a console component: pages stay up while the bundle behind a service is
 * stopped and say which one to start. A service of the history is bound with its properties and unbound by them
 * ({@link #unbind(Map)}).
 */
final class OptionalService<S> {
    private final AtomicReference<Bound<S>> current = new AtomicReference<>();
    private final String whenMissing;

    /** @param whenMissing what the page shows when the service is not there: which bundle provides it */
    OptionalService(String whenMissing) {
        this.whenMissing = whenMissing;
    }

    /** A service, with the id of the service DS bound it from (null when bound without its properties). */
    private record Bound<S>(S service, Object serviceId) {
    }

    void bind(S service) {
        current.set(new Bound<>(service, null));
    }

    /** @param properties the service's properties, whose {@code service.id} {@link #unbind(Map)} is given again */
    void bind(S service, Map<String, ?> properties) {
        current.set(new Bound<>(service, properties.get(Constants.SERVICE_ID)));
    }

    void unbind(S service) {
        // A greedy replacement is bound before the old service is unbound: keep the replacement.
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

    Optional<S> get() {
        return Optional.ofNullable(current.get()).map(Bound::service);
    }

    String whenMissing() {
        return whenMissing;
    }

    /**
     * The service; when it is missing, the page says so first ({@code what} is its name in the sentence, e.g. "The
     * plugin whiteboard") and gets empty.
     */
    Optional<S> orSayMissing(PrintWriter out, String what) {
        Optional<S> service = get();
        if (service.isEmpty()) {
            out.println("<p class=\"mcpa-error\">" + what + " is not running; start " + whenMissing + ".</p>");
        }
        return service;
    }
}
