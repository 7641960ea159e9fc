package io.mcpagent.console.internal;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

import io.mcpagent.api.runtime.BundleServices;

/**
 * An optional, dynamic, greedy reference of a console component: pages stay up while the bundle behind a service is
 * stopped and say which one to start, or, in a runtime built without that bundle's feature, that it is not installed.
 * A service of the history is bound with its properties and unbound by them ({@link #unbind(Map)}).
 */
final class OptionalService<S> {
    private final AtomicReference<Bound<S>> current = new AtomicReference<>();
    private final String bundle;
    /** The feature a runtime may be built without, whose bundle then is not installed; null for core's. */
    private final String feature;
    private final BooleanSupplier installed;

    /** A service of core's {@code bundle}, which every runtime holds. */
    OptionalService(String bundle) {
        this(bundle, null, () -> true);
    }

    /** A service of {@code bundle}, which a runtime built without {@code feature} lacks. */
    OptionalService(BundleContext context, String bundle, String feature) {
        this(bundle, feature, () -> installed(context, bundle));
    }

    private OptionalService(String bundle, String feature, BooleanSupplier installed) {
        this.bundle = bundle;
        this.feature = feature;
        this.installed = installed;
    }

    /** Whether {@code bundle} is installed; so taken while the console stops and its context no longer answers. */
    private static boolean installed(BundleContext context, String bundle) {
        try {
            return BundleServices.installed(context, bundle).isPresent();
        } catch (IllegalStateException stopping) {
            return true;
        }
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

    /**
     * Why the service is missing, as a sentence about {@code what} (e.g. "The plugin whiteboard"): its bundle is not
     * installed, in the REST API's and the shell's words, since no start can help; else which bundle to start.
     */
    String missing(String what) {
        if (feature != null && !installed.getAsBoolean()) {
            return what + " is not installed (bundle " + bundle + "): this runtime was built without the feature "
                    + feature + " (features/" + feature + ".json).";
        }
        return what + " is not running; start bundle " + bundle + ".";
    }

    /** The service; when it is missing, the page says why first ({@link #missing(String)}) and gets empty. */
    Optional<S> orSayMissing(PrintWriter out, String what) {
        Optional<S> service = get();
        if (service.isEmpty()) {
            out.println("<p class=\"mcpa-error\">" + Html.text(missing(what)) + "</p>");
        }
        return service;
    }
}
