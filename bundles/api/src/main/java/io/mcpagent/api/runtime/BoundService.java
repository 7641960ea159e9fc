package io.mcpagent.api.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Constants;

/**
 * The service an optional, dynamic, greedy Declarative Services reference has bound now, for a component that uses
 * it while it is there and does without it otherwise: the component's bind and unbind methods hand it on.
 * <p>
 * An unbind clears it only when it is still the service unbound: under the greedy policy DS binds a replacement
 * before it unbinds the service replaced, and that unbind must not drop the replacement. A service whose component
 * may fail to activate (the execution history, while its database is down) is bound with its properties and unbound
 * by them ({@link #unbind(Map)}). Thread-safe.
 *
 * @param <S> the service type
 * @since 1.19
 */
public class BoundService<S> {
    /** How often {@link #await} looks again at what it waits while: that may end without this service. */
    private static final long RECHECK_MILLIS = 100;

    private final Object lock = new Object();
    private S service;
    /** The {@code service.id} of the bound service, when it was bound with its properties. */
    private Object serviceId;

    /** Binds {@code bound}, replacing the service bound until now. */
    public final void bind(S bound) {
        bind(bound, null);
    }

    /**
     * Binds {@code bound} with its service properties, whose {@code service.id} {@link #unbind(Map)} is given again.
     *
     * @param properties the service's properties; null binds it as {@link #bind(Object)} does
     */
    public final void bind(S bound, Map<String, ?> properties) {
        synchronized (lock) {
            service = bound;
            serviceId = properties == null ? null : properties.get(Constants.SERVICE_ID);
            lock.notifyAll();
        }
    }

    /** Unbinds {@code unbound} if it is the service bound now; a replacement bound since stays. */
    public final void unbind(S unbound) {
        synchronized (lock) {
            if (service == unbound) {
                service = null;
                serviceId = null;
            }
        }
    }

    /**
     * Unbinds the service of these properties if it is the one bound now. By the properties, not the service: DS
     * hands an unbind method the service only after asking for it, and asked for a service whose activation fails,
     * it activates the component once more and logs that failure at ERROR with its stack.
     */
    public final void unbind(Map<String, ?> properties) {
        Object unboundId = properties.get(Constants.SERVICE_ID);
        synchronized (lock) {
            if (unboundId != null && Objects.equals(serviceId, unboundId)) {
                service = null;
                serviceId = null;
            }
        }
    }

    /** The service bound now, or null. */
    public final S get() {
        synchronized (lock) {
            return service;
        }
    }

    /** The service bound now, if any. */
    public final Optional<S> current() {
        return Optional.ofNullable(get());
    }

    /** Whether a service is bound now. */
    public final boolean isBound() {
        return get() != null;
    }

    /**
     * The service bound now, or the first bound while {@code waiting} holds, waited for at most {@code longest}; null
     * if none came. For a caller that runs while the runtime is still starting the service's bundle.
     */
    public final S await(BooleanSupplier waiting, Duration longest) {
        long deadline = System.nanoTime() + longest.toNanos();
        synchronized (lock) {
            while (service == null && waiting.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    lock.wait(RECHECK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return service;
        }
    }
}
