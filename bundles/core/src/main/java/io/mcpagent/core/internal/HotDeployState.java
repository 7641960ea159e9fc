package io.mcpagent.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.runtime.UnresolvedRequirements;

/**
 * Whether hot deploy runs: io.mcpagent.deploy installs the jars of deploy/ and reports what is wrong with them, so
 * while it is stopped or cannot resolve (after a platform update) it cannot say so itself, and jars copied to deploy/
 * wait with only a line in the framework log. Reported here, in a bundle that stays, when the framework property
 * {@value DeployFolder#PROPERTY} names a deploy folder. That bundle going away while the runtime runs (stopped,
 * unresolved, uninstalled) is logged once at WARN, and its coming back at INFO: a problem alone is seen only by one
 * who asks for the problems.
 */
// immediate: it listens to io.mcpagent.deploy from the start, not once asked for the problems
@Component(service = ProblemReporter.class, immediate = true)
public final class HotDeployState implements ProblemReporter {
    static final String SOURCE = "deploy";
    static final String DEPLOY_BUNDLE = "io.mcpagent.deploy";

    private final BundleContext context;
    private final Clock clock;
    private final boolean deployFolderSet;
    /** Since when hot deploy is off, so that {@code since} stays while it is; null while it runs. */
    private final AtomicReference<Instant> offSince = new AtomicReference<>();
    private final Logger log;
    /** The problem last logged at WARN, so that its return is logged once; null while it runs. */
    private final AtomicReference<Problem> loggedOff = new AtomicReference<>();
    /** Synchronous: the bundle's state is read as the event leaves it, not later, maybe after another change. */
    private final SynchronousBundleListener deployBundleChanges = this::deployBundleChanged;
    private final FrameworkListener failedStarts = this::frameworkChanged;

    @Activate
    public HotDeployState(BundleContext context) {
        this(context, Clock.systemUTC(), LoggerFactory.getLogger(HotDeployState.class));
    }

    HotDeployState(BundleContext context, Clock clock, Logger log) {
        this.context = context;
        this.clock = clock;
        this.log = log;
        String deploy = context.getProperty(DeployFolder.PROPERTY);
        this.deployFolderSet = deploy != null && !deploy.isBlank();
        if (deployFolderSet) {
            context.addBundleListener(deployBundleChanges);
            context.addFrameworkListener(failedStarts);
        }
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(deployBundleChanges);
        context.removeFrameworkListener(failedStarts);
    }

    /**
     * A stop of io.mcpagent.deploy that leaves it stopped (not one that a refresh, an update or the framework's stop
     * makes on the way), its uninstallation and a failed start (the framework's error event; also one after a refresh
     * that it does not resolve again) turn hot deploy off. Its start turns it on again. Neither the bundle's state at
     * a refresh's end nor events on a refresh's way tell: they are delivered later, maybe while an update restarts it.
     */
    private void deployBundleChanged(BundleEvent event) {
        if (!DEPLOY_BUNDLE.equals(event.getBundle().getSymbolicName())) {
            return;
        }
        switch (event.getType()) {
            case BundleEvent.STOPPED -> {
                BundleStartLevel startLevel = event.getBundle().adapt(BundleStartLevel.class);
                if (startLevel == null || !startLevel.isPersistentlyStarted()) {
                    logIfOff();
                }
            }
            case BundleEvent.UNINSTALLED -> logIfOff();
            case BundleEvent.STARTED -> {
                Problem off = loggedOff.getAndSet(null);
                if (off != null) {
                    log.info("hot deploy is on again: bundle {} is ACTIVE (off since {}); jars copied to deploy/ are"
                            + " applied", DEPLOY_BUNDLE, off.since().truncatedTo(ChronoUnit.MILLIS));
                }
            }
            default -> {
                // on a refresh's or an update's way, or started again: a failed start is the framework's error
            }
        }
    }

    private void frameworkChanged(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null
                && DEPLOY_BUNDLE.equals(event.getBundle().getSymbolicName())) {
            logIfOff();
        }
    }

    /**
     * Logs that hot deploy is off, once, and again only if its state changes (an uninstallation stops the bundle
     * first), unless it is only not started yet or the framework stops.
     */
    private void logIfOff() {
        Bundle framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        if (framework.getState() == Bundle.STOPPING) {
            return;
        }
        List<Problem> off = problems();
        BundleContext frameworkContext = framework.getBundleContext();
        boolean notStartedYet = Arrays.stream(frameworkContext.getBundles())
                .filter(bundle -> DEPLOY_BUNDLE.equals(bundle.getSymbolicName()))
                .anyMatch(bundle -> awaitsItsStartLevel(frameworkContext, bundle));
        if (off.isEmpty() || notStartedYet) {
            return;
        }
        Problem before = loggedOff.getAndSet(off.get(0));
        if (before == null || !before.message().equals(off.get(0).message())) {
            log.warn("{}", off.get(0).message());
        }
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
        if (awaitsItsStartLevel(framework, bundle)) {
            return "its start level " + startLevel.getStartLevel() + " is not reached yet";
        }
        return "its start failed; the framework log says why";
    }

    /** Whether the bundle is to start once the framework reaches its start level, not reached yet. */
    private static boolean awaitsItsStartLevel(BundleContext framework, Bundle bundle) {
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        FrameworkStartLevel frameworkLevel = framework.getBundle().adapt(FrameworkStartLevel.class);
        return startLevel != null && startLevel.isPersistentlyStarted() && frameworkLevel != null
                && frameworkLevel.getStartLevel() < startLevel.getStartLevel();
    }
}
