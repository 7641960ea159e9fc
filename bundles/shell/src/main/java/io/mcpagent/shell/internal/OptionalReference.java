package io.mcpagent.shell.internal;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.UnstartedComponents;

/**
 * The holder of an optional, dynamic, greedy service reference of a command component. Commands ask for the
 * service with {@link #require()}, which says what to start when it is missing, so the commands stay registered
 * (and explain themselves) while the bundle providing the service is stopped.
 */
final class OptionalReference<S> {
    private final AtomicReference<S> bound = new AtomicReference<>();
    private final Supplier<String> missingMessage;

    OptionalReference(String missingMessage) {
        this.missingMessage = () -> missingMessage;
    }

    private OptionalReference(Supplier<String> missingMessage) {
        this.missingMessage = missingMessage;
    }

    /**
     * A reference to a service of {@code bundle}. While that bundle is active, the service is missing because its
     * component did not start (it failed to activate, or lacks a reference or its configuration): starting the bundle
     * would not help, so {@link #require()} then says that {@code what} is not available, which service its
     * components wait for and which bundle provides it, and where to look, instead of {@code notRunningMessage}.
     */
    static <S> OptionalReference<S> of(BundleContext context, String bundle, String what, String notRunningMessage) {
        return new OptionalReference<>(() -> active(context, bundle).map(active -> what + " is not available: "
                + UnstartedComponents.didNotStart(context, active)).orElse(notRunningMessage));
    }

    private static Optional<Bundle> active(BundleContext context, String symbolicName) {
        try {
            return BundleServices.installed(context, symbolicName).filter(b -> b.getState() == Bundle.ACTIVE);
        } catch (IllegalStateException stopping) {
            // the shell is stopping and its context no longer answers: nothing is known to be active
            return Optional.empty();
        }
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
            throw new IllegalStateException(missingMessage());
        }
        return service;
    }

    /** What {@link #require()} says when no service is bound, for a command that lists what is missing. */
    String missingMessage() {
        return missingMessage.get();
    }
}
