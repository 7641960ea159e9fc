package io.mcpagent.shell.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Constants;

/**
 * The service an optional, dynamic, greedy reference of a shell component has bound now, for one that uses it while it
 * is there and does without it otherwise ({@link #current()}). {@link OptionalReference} adds what a command that needs
 * the service says when it is missing.
 */
class BoundService<S> {
    private static final long RECHECK_MILLIS = 100;

    private final AtomicReference<S> bound = new AtomicReference<>();
    /** The id of the bound service's registration, when it was bound with its properties. */
    private final AtomicReference<Object> boundId = new AtomicReference<>();

    void bind(S service) {
        bind(service, null);
    }

    /** @param properties the service's properties, whose {@code service.id} {@link #unbind(Map)} is given again */
    void bind(S service, Map<String, ?> properties) {
        synchronized (bound) {
            bound.set(service);
            boundId.set(properties == null ? null : properties.get(Constants.SERVICE_ID));
            bound.notifyAll();
        }
    }

    void unbind(S service) {
        synchronized (bound) {
            // A greedy replacement binds the new service before unbinding the old one: keep the new one.
            if (bound.compareAndSet(service, null)) {
                boundId.set(null);
            }
        }
    }

    /**
     * By the service's properties, not the service: DS hands an unbind method the service only after asking for it,
     * and asked for the history while its activation failed (its database down), it activated it once more and
     * logged that failure at ERROR with its stack.
     */
    void unbind(Map<String, ?> properties) {
        synchronized (bound) {
            Object serviceId = properties.get(Constants.SERVICE_ID);
            if (serviceId != null && serviceId.equals(boundId.get())) {
                bound.set(null);
                boundId.set(null);
            }
        }
    }

    boolean isBound() {
        return bound.get() != null;
    }

    /** The bound service, if any. */
    Optional<S> current() {
        return Optional.ofNullable(bound.get());
    }

    /** The bound service, waited for while {@code waiting} holds, at most {@code longest}; null if none came. */
    S await(BooleanSupplier waiting, Duration longest) {
        long deadline = System.nanoTime() + longest.toNanos();
        synchronized (bound) {
            while (bound.get() == null && waiting.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    // rechecked now and then: what is awaited may end without this service
                    bound.wait(RECHECK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return bound.get();
        }
    }
}
