package io.mcpagent.api.runtime;

import java.util.Arrays;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Whether a service of one of the platform's bundles can be used, and why not: for readiness, and for whoever must
 * tell "this feature is not part of the runtime" (its bundle is not installed) from "it is installed but not working"
 * (its component failed to activate, or its bundle is stopped).
 */
public final class BundleServices {
    private static final String[] STATE_NAMES = {"UNINSTALLED", "INSTALLED", "RESOLVED", "STARTING", "STOPPING",
            "ACTIVE"};

    private BundleServices() {
    }

    /** The installed (not uninstalled) bundle of that symbolic name, if any. */
    public static Optional<Bundle> installed(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .filter(b -> b.getState() != Bundle.UNINSTALLED).findFirst();
    }

    /**
     * Why {@code service}, provided by {@code bundle}, cannot be used, ending with the bundle's state
     * ({@code "no ExecutionHistory service; bundle io.mcpagent.history is RESOLVED"}); empty when it can be used. A
     * registered service is taken and given back at once: a component service whose activation fails stays
     * registered, yet nobody can obtain it.
     */
    public static Optional<String> unusable(BundleContext context, Class<?> service, String bundle) {
        ServiceReference<?> reference = context.getServiceReference(service);
        String why;
        if (reference == null) {
            why = "no " + service.getSimpleName() + " service";
        } else if (context.getService(reference) == null) {
            why = "the " + service.getSimpleName() + " service cannot be obtained (its component fails to activate:"
                    + " see the log and scr:info)";
        } else {
            context.ungetService(reference);
            return Optional.empty();
        }
        return Optional.of(why + "; bundle " + bundle + installed(context, bundle)
                .map(b -> " is " + stateName(b.getState())).orElse(" is not installed"));
    }

    /**
     * Whether the bundle of that symbolic name is installed, for one that tells a bundle not installed from one not
     * running: taken as installed while the asking bundle stops and its context no longer answers, when nothing is
     * known, so that it is never said to be missing from the runtime then.
     *
     * @since 1.19
     */
    public static boolean installedOrUnknown(BundleContext context, String symbolicName) {
        try {
            return installed(context, symbolicName).isPresent();
        } catch (IllegalStateException stopping) {
            return true;
        }
    }

    /**
     * The framework property the distribution's build sets to the features it assembled, comma-separated
     * ({@code core, shell, http-admin, ...}); absent in a runtime not assembled by it.
     *
     * @since 1.20
     */
    public static final String FEATURES_PROPERTY = "mcpagent.features";

    /**
     * The system property by which the distribution's launcher names the features it left out of the start as they
     * need one whose jar is missing from {@code system/}: per line the feature, a tab, the feature it needs whose jar
     * is missing, a tab, that jar.
     */
    private static final String LEFT_OUT_FEATURES_PROPERTY = "mcpagent.launcher.leftOutFeatures";

    /**
     * What is said of {@code what}, the service of {@code bundle}, which is not installed: as
     * {@link #notInstalled(String, String, String)} in a runtime built without {@code feature}; in one built with it
     * ({@value #FEATURES_PROPERTY} lists it), that its jar went missing from {@code system/} or the bundle was
     * uninstalled, which a restart with the jar restores, or, when the start left the feature out as it needs
     * another whose jar is missing, that, naming the other and its jar (1.21). The properties are not read while the
     * caller's bundle stops.
     *
     * @since 1.20
     */
    public static String notInstalled(BundleContext context, String what, String bundle, String feature) {
        String features = property(context, FEATURES_PROPERTY);
        boolean builtWith = features != null && Arrays.stream(features.split(",")).map(String::strip)
                .anyMatch(feature::equals);
        if (!builtWith) {
            return notInstalled(what, bundle, feature);
        }
        String leftOut = property(context, LEFT_OUT_FEATURES_PROPERTY);
        Optional<String[]> needed = leftOut == null ? Optional.empty() : leftOut.lines().map(line -> line.split("\t"))
                .filter(line -> line.length == 3 && line[0].equals(feature)).findFirst();
        String why = needed.map(line -> "the start left it out, as it needs the feature " + line[1] + ", whose jar "
                        + line[2] + " is missing (the start said so); restore that jar")
                .orElse("its jar is missing from system/ (the start said so) or the bundle was uninstalled; restore"
                        + " the jar");
        return what + " is not installed (bundle " + bundle + "), though this runtime was built with the feature "
                + feature + ": " + why + " from the distribution and restart";
    }

    /** The property of the framework, or the system, of that name; null when not set or the caller's bundle stops. */
    private static String property(BundleContext context, String name) {
        try {
            return context.getProperty(name);
        } catch (IllegalStateException stopping) {
            return null;
        }
    }

    /**
     * What is said of {@code what}, the service of {@code bundle}, in a runtime built without {@code feature}, whose
     * bundle therefore is not installed, which no start can help: {@code "the execution history is not installed
     * (bundle io.mcpagent.history): this runtime was built without the feature history (features/history.json)"}.
     *
     * @since 1.19
     */
    public static String notInstalled(String what, String bundle, String feature) {
        return what + " is not installed (bundle " + bundle + "): this runtime was built without the feature " + feature
                + " (features/" + feature + ".json)";
    }

    /** The name of a {@link Bundle#getState() bundle state}, as the console shows it. */
    public static String stateName(int state) {
        int index = Integer.numberOfTrailingZeros(state);
        return index < STATE_NAMES.length ? STATE_NAMES[index] : Integer.toString(state);
    }
}
