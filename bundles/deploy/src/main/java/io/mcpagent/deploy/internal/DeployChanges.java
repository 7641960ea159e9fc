package io.mcpagent.deploy.internal;

import java.util.OptionalLong;

import org.osgi.service.component.annotations.Component;

/**
 * Whether {@link DeployFolderInstaller} is applying a change of deploy/ (from the update or uninstall of a bundle to
 * the end of the refresh and the start after it), and how many it has applied: {@link DeploymentMonitor} counts a
 * bundle found unresolved only across two checks with none under way at either and none applied between them. A
 * redeployed bundle and those wired to it are unresolved until the refresh ends, which may span several checks.
 */
@Component(service = DeployChanges.class)
public final class DeployChanges {
    /** Guarded by this. */
    private int underWay;
    /** Guarded by this. */
    private long applied;

    synchronized void begin() {
        underWay++;
    }

    synchronized void end() {
        underWay--;
        applied++;
    }

    /** How many changes were applied; empty while one is under way. */
    synchronized OptionalLong applied() {
        return underWay > 0 ? OptionalLong.empty() : OptionalLong.of(applied);
    }
}
