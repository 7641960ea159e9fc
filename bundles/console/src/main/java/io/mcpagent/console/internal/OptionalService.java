package io.mcpagent.console.internal;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An optional, dynamic, greedy reference of a console component: pages stay up while the bundle behind a service is
 * stopped and say which one to start.
 */
final class OptionalService<S> {
    private final AtomicReference<S> current = new AtomicReference<>();
    private final String whenMissing;

    /** @param whenMissing what the page shows when the service is not there: which bundle provides it */
    OptionalService(String whenMissing) {
        this.whenMissing = whenMissing;
    }

    void bind(S service) {
        current.set(service);
    }

    void unbind(S service) {
        // A greedy replacement is bound before the old service is unbound: keep the replacement.
        current.compareAndSet(service, null);
    }

    Optional<S> get() {
        return Optional.ofNullable(current.get());
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
