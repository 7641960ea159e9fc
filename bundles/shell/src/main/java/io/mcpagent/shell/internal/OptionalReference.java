package io.mcpagent.shell.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.BoundService;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.UnstartedComponents;

/**
 * The holder of an optional, dynamic, greedy service reference of a command component. Commands ask for the
 * service with {@link #require()}, which says what to start when it is missing, so the commands stay registered
 * (and explain themselves) while the bundle providing the service is stopped.
 * <p>
 * A command typed at the first prompt runs while the runtime is still starting: the framework is still moving up its
 * start levels, or the providing bundle is starting. {@link #require()} then waits for the service, at most
 * {@link #STARTING_WAIT}, instead of saying "start it" of a bundle that is about to be up.
 */
final class OptionalReference<S> extends BoundService<S> {
    /** How long {@link #require()} waits for the service while the runtime or the providing bundle is starting. */
    static final Duration STARTING_WAIT = Duration.ofSeconds(30);

    private final Supplier<String> missingMessage;
    private final BooleanSupplier starting;

    private OptionalReference(Supplier<String> missingMessage, BooleanSupplier starting) {
        this.missingMessage = missingMessage;
        this.starting = starting;
    }

    /**
     * A reference to a service of {@code bundle}. While that bundle is active, the service is missing because its
     * component did not start (it failed to activate, or lacks a reference or its configuration): starting the bundle
     * would not help, so {@link #require()} then says that {@code what} is not available and why, as REST's 503 says
     * it: the problems reported about its components (the history kept disabled until its database answers), else
     * which service its components wait for and which bundle provides it, and where to look, instead of
     * {@code notRunningMessage}.
     */
    static <S> OptionalReference<S> of(BundleContext context, String bundle, String what, String notRunningMessage) {
        return new OptionalReference<>(() -> missing(context, bundle, what, notRunningMessage),
                () -> starting(context, bundle));
    }

    /**
     * As {@link #of(BundleContext, String, String, String)}, for a bundle that a runtime may be built without (its
     * feature left out): while it is not installed at all, which no start can help, {@link #require()} says
     * {@code notInstalledMessage} instead of {@code notRunningMessage}.
     */
    static <S> OptionalReference<S> of(BundleContext context, String bundle, String what, String notRunningMessage,
                                       Supplier<String> notInstalledMessage) {
        return new OptionalReference<>(() -> BundleServices.installedOrUnknown(context, bundle)
                ? missing(context, bundle, what, notRunningMessage) : notInstalledMessage.get(),
                () -> starting(context, bundle));
    }

    private static String missing(BundleContext context, String bundle, String what, String notRunningMessage) {
        return active(context, bundle).map(active -> what + " is not available: "
                + UnstartedComponents.unavailable(context, active)).orElse(notRunningMessage);
    }

    /** Whether the framework is still moving up its start levels, or {@code bundle} is starting. */
    private static boolean starting(BundleContext context, String bundle) {
        try {
            Bundle framework = context.getBundle(0);
            return framework != null && framework.getState() == Bundle.STARTING || BundleServices.installed(context,
                    bundle).filter(b -> b.getState() == Bundle.STARTING).isPresent();
        } catch (IllegalStateException stopping) {
            return false;
        }
    }

    private static Optional<Bundle> active(BundleContext context, String symbolicName) {
        try {
            return BundleServices.installed(context, symbolicName).filter(b -> b.getState() == Bundle.ACTIVE);
        } catch (IllegalStateException stopping) {
            // the shell is stopping and its context no longer answers: nothing is known to be active
            return Optional.empty();
        }
    }

    /**
     * The bound service, waited for while the runtime is starting; an {@link IllegalStateException} saying which
     * bundle to start if there is none.
     */
    S require() {
        S service = get();
        if (service == null && starting.getAsBoolean()) {
            service = await(starting, STARTING_WAIT);
        }
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
