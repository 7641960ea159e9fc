package io.mcpagent.itests;

import java.util.Arrays;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The bundles installed in a test's framework, found by symbolic name. */
final class InstalledBundles {
    private InstalledBundles() {
    }

    static Optional<Bundle> find(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(bundle -> symbolicName.equals(bundle.getSymbolicName()))
                .findFirst();
    }

    /** The bundle; the test fails when none of that name is installed. */
    static Bundle named(BundleContext context, String symbolicName) {
        return find(context, symbolicName).orElseThrow(() -> new AssertionError("no bundle " + symbolicName));
    }
}
