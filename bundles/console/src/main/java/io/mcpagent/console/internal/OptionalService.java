package io.mcpagent.console.internal;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.BoundService;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.UnstartedComponents;

/**
 * An optional, dynamic, greedy reference of a console component: pages stay up while the bundle behind a service is
 * stopped and say which one to start, or, in a runtime built without that bundle's feature, that it is not installed,
 * or, while that bundle is active, why its component did not start, as the REST API's 503 and the shell say it.
 */
final class OptionalService<S> extends BoundService<S> {
    private final String bundle;
    /** Why the service is missing when its bundle is not installed, of what; null for core's, always installed. */
    private final UnaryOperator<String> notInstalled;
    private final BooleanSupplier installed;
    /** Why the service is missing while its bundle is active (its component waits for a service, or failed). */
    private final Supplier<Optional<String>> whileActive;

    /** A service of core's {@code bundle}, which every runtime holds. */
    OptionalService(String bundle) {
        this(bundle, null, () -> true, Optional::empty);
    }

    /** A service of {@code bundle}, which a runtime built without {@code feature} lacks. */
    OptionalService(BundleContext context, String bundle, String feature) {
        this(bundle, what -> BundleServices.notInstalled(context, what, bundle, feature),
                () -> BundleServices.installedOrUnknown(context, bundle), () -> whileActive(context, bundle));
    }

    private OptionalService(String bundle, UnaryOperator<String> notInstalled, BooleanSupplier installed,
            Supplier<Optional<String>> whileActive) {
        this.bundle = bundle;
        this.notInstalled = notInstalled;
        this.installed = installed;
        this.whileActive = whileActive;
    }

    /**
     * Why a service of {@code bundle} is missing while the bundle is active: starting it would not help (with core
     * stopped, the autonomous layer's page said "start bundle io.mcpagent.autonomous", which was active).
     */
    private static Optional<String> whileActive(BundleContext context, String bundle) {
        try {
            return BundleServices.installed(context, bundle).filter(b -> b.getState() == Bundle.ACTIVE)
                    .map(active -> UnstartedComponents.unavailable(context, active));
        } catch (IllegalStateException stopping) {
            return Optional.empty(); // the console is stopping: its context no longer answers
        }
    }

    /**
     * Why the service is missing, as a sentence about {@code what} (e.g. "The plugin whiteboard"): its bundle is not
     * installed, in the REST API's and the shell's words, since no start can help; else which bundle to start.
     */
    String missing(String what) {
        if (notInstalled != null && !installed.getAsBoolean()) {
            return notInstalled.apply(what) + ".";
        }
        return whileActive.get().map(why -> what + " is not available: " + why + ".")
                .orElse(what + " is not running; start bundle " + bundle + ".");
    }

    /** The service; when it is missing, the page says why first ({@link #missing(String)}) and gets empty. */
    Optional<S> orSayMissing(PrintWriter out, String what) {
        Optional<S> service = current();
        if (service.isEmpty()) {
            out.println("<p class=\"mcpa-error\">" + Html.text(missing(what)) + "</p>");
        }
        return service;
    }
}
