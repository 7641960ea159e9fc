package io.mcpagent.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.runtime.UnresolvedRequirements;

/**
 * Whether hot deploy runs: io.mcpagent.deploy installs the jars of deploy/ and reports what is wrong with them, so
 * while it is stopped or cannot resolve (after a platform update) it cannot say so itself, and jars copied to deploy/
 * wait with only a line in the framework log. Reported here, in a bundle that stays, when the framework property
 * {@value DeployFolder#PROPERTY} names a deploy folder.
 */
@Component(service = ProblemReporter.class)
public final class HotDeployState implements ProblemReporter {
    static final String SOURCE = "deploy";
    static final String DEPLOY_BUNDLE = "io.mcpagent.deploy";

    private final BundleContext context;
    private final Clock clock;
    private final boolean deployFolderSet;
    /** Since when hot deploy is off, so that {@code since} stays while it is; null while it runs. */
    private final AtomicReference<Instant> offSince = new AtomicReference<>();

    @Activate
    public HotDeployState(BundleContext context) {
        this(context, Clock.systemUTC());
    }

    HotDeployState(BundleContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
        String deploy = context.getProperty(DeployFolder.PROPERTY);
        this.deployFolderSet = deploy != null && !deploy.isBlank();
    }

    @Override
    public List<Problem> problems() {
        if (!deployFolderSet) {
            return List.of();
        }
        BundleContext framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
        List<Bundle> installed = Arrays.stream(framework.getBundles())
                .filter(bundle -> DEPLOY_BUNDLE.equals(bundle.getSymbolicName())).toList();
        if (installed.stream().anyMatch(bundle -> bundle.getState() == Bundle.ACTIVE)) {
            offSince.set(null);
            return List.of();
        }
        String state = installed.isEmpty() ? "is not installed" : "is " + stateOf(framework, installed.get(0));
        Instant since = offSince.updateAndGet(off -> off == null ? clock.instant() : off);
        return List.of(new Problem(SOURCE, DEPLOY_BUNDLE, "hot deploy is off: bundle " + DEPLOY_BUNDLE + " " + state
                + "; jars copied to deploy/ wait until it runs", since));
    }

    /** The bundle's state and why it is not ACTIVE, as far as the framework tells. */
    private static String stateOf(BundleContext framework, Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.INSTALLED -> "INSTALLED (" + whyUnresolved(framework, bundle) + ")";
            case Bundle.RESOLVED -> "RESOLVED (" + whyNotStarted(framework, bundle) + ")";
            case Bundle.STARTING -> "STARTING (its activation has not ended)";
            case Bundle.STOPPING -> "STOPPING";
            default -> "UNINSTALLED";
        };
    }

    private static String whyUnresolved(BundleContext framework, Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return "uninstalled meanwhile";
        }
        FrameworkWiring wiring = framework.getBundle().adapt(FrameworkWiring.class);
        List<String> missing = UnresolvedRequirements.of(wiring, revision).stream()
                .map(UnresolvedRequirements::describe).toList();
        return missing.isEmpty()
                ? "not resolved: the bundles it needs are installed but do not resolve themselves; the framework log"
                        + " names the requirement"
                : "unresolved requirement" + (missing.size() > 1 ? "s " : " ") + String.join("; ", missing);
    }

    private static String whyNotStarted(BundleContext framework, Bundle bundle) {
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        if (startLevel == null || !startLevel.isPersistentlyStarted()) {
            return "stopped";
        }
        FrameworkStartLevel frameworkLevel = framework.getBundle().adapt(FrameworkStartLevel.class);
        if (frameworkLevel != null && frameworkLevel.getStartLevel() < startLevel.getStartLevel()) {
            return "its start level " + startLevel.getStartLevel() + " is not reached yet";
        }
        return "its start failed; the framework log says why";
    }
}
