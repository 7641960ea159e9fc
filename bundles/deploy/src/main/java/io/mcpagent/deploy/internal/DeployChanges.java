package io.mcpagent.deploy.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;

/**
 * Whether {@link DeployFolderInstaller} is applying a change of deploy/ (from the update or uninstall of a bundle to
 * the end of the refresh and the start after it), and how many it has applied: {@link DeploymentMonitor} counts a
 * bundle found unresolved only across two checks with none under way at either and none applied between them. A
 * redeployed bundle and those wired to it are unresolved until the refresh ends, which may span several checks. Also
 * why the installer could not start a deployed bundle (its activator failed), which the monitor reports.
 */
@Component(service = DeployChanges.class)
public final class DeployChanges {
    /** Guarded by this. */
    private int underWay;
    /** Guarded by this. */
    private long applied;
    /** Why a deployed bundle did not start, by bundle id, for {@link DeploymentMonitor} to report while it does not. */
    private final Map<Long, StartFailure> startFailures = new ConcurrentHashMap<>();

    /** A start of bundle {@code identity} (its symbolic name and version then) that failed with {@code message}. */
    record StartFailure(String identity, String message, Instant since) {
    }

    synchronized void begin() {
        underWay++;
    }

    synchronized void end() {
        underWay--;
        applied++;
    }

    /** {@link DeployFolderInstaller} could not start {@code bundle}, for why {@code message} says. */
    void startFailed(Bundle bundle, String message) {
        String identity = DeployedJars.identity(bundle);
        startFailures.compute(bundle.getBundleId(), (id, earlier) -> new StartFailure(identity,
                message == null ? "no reason given" : message, earlier != null && earlier.identity().equals(identity)
                        ? earlier.since() : Instant.now()));
    }

    /**
     * {@code bundle} started: a start of it that failed before is forgotten, unless it is no longer active (the event
     * comes late, and the failure may be a later start's).
     */
    void started(Bundle bundle) {
        if (bundle.getState() == Bundle.ACTIVE) {
            startFailures.remove(bundle.getBundleId());
        }
    }

    /** The start failures of the bundles still installed; those of the others are forgotten. */
    Map<Long, StartFailure> startFailures(Bundle[] installed) {
        Set<Long> ids = new HashSet<>();
        for (Bundle bundle : installed) {
            ids.add(bundle.getBundleId());
        }
        startFailures.keySet().retainAll(ids);
        return Map.copyOf(startFailures);
    }

    /** How many changes were applied; empty while one is under way. */
    synchronized OptionalLong applied() {
        return underWay > 0 ? OptionalLong.empty() : OptionalLong.of(applied);
    }
}
