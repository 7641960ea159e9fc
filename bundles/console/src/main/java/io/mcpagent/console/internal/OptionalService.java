package io.mcpagent.console.internal;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;

import io.mcpagent.api.runtime.BoundService;
import io.mcpagent.api.runtime.BundleServices;

/**
 * An optional, dynamic, greedy reference of a console component: pages stay up while the bundle behind a service is
 * stopped and say which one to start, or, in a runtime built without that bundle's feature, that it is not installed.
 */
final class OptionalService<S> extends BoundService<S> {
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
        this(bundle, feature, () -> BundleServices.installedOrUnknown(context, bundle));
    }

    private OptionalService(String bundle, String feature, BooleanSupplier installed) {
        this.bundle = bundle;
        this.feature = feature;
        this.installed = installed;
    }

    /**
     * Why the service is missing, as a sentence about {@code what} (e.g. "The plugin whiteboard"): its bundle is not
     * installed, in the REST API's and the shell's words, since no start can help; else which bundle to start.
     */
    String missing(String what) {
        if (feature != null && !installed.getAsBoolean()) {
            return BundleServices.notInstalled(what, bundle, feature) + ".";
        }
        return what + " is not running; start bundle " + bundle + ".";
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
