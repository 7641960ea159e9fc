package io.mcpagent.core.internal;

import java.io.File;
import java.nio.file.Files;
import java.util.Optional;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps FileInstall's hands off bundles that a watched folder did not install. Given a jar whose symbolic name and
 * version is already installed from elsewhere (a platform bundle of system/, another jar of deploy/), FileInstall
 * "updates that bundle instead" with the jar, and uninstalls it when the jar is deleted. This installer claims such
 * a jar before FileInstall's own bundle handling sees it and leaves it alone: it installs, updates and uninstalls
 * nothing. {@link DeploymentMonitor} reports the jar as not installed, naming the bundle in the way.
 */
@Component(service = ArtifactInstaller.class,
        // FileInstall asks its listeners in ranking order: be asked before any other that takes jars
        property = Constants.SERVICE_RANKING + ":Integer=" + Integer.MAX_VALUE)
public final class DuplicateBundleGuard implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateBundleGuard.class);

    private final BundleContext context;

    @Activate
    public DuplicateBundleGuard(BundleContext context) {
        this.context = context;
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && installedElsewhere(artifact).isPresent();
    }

    @Override
    public void install(File artifact) {
        leaveAlone(artifact);
    }

    @Override
    public void update(File artifact) {
        leaveAlone(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        // FileInstall also calls this when a jar left alone changed and is no longer a duplicate: it forgets the jar
        // then, and takes it up again only once it is removed and put back, or at the next start.
        LOG.info("{}: {}; it was left alone as a duplicate, so no bundle is uninstalled", artifact,
                Files.exists(artifact.toPath()) ? "no longer a duplicate but not installed either: remove it and put"
                        + " it back to install it" : "removed");
    }

    private void leaveAlone(File artifact) {
        installedElsewhere(artifact).ifPresent(bundle -> LOG.info("{}: left alone, not installed: bundle {} is"
                + " already installed from {} (bundle id {}), which stays as it is", artifact,
                DeployedJars.identity(bundle), bundle.getLocation(), bundle.getBundleId()));
    }

    private Optional<Bundle> installedElsewhere(File artifact) {
        return DeployedJars.installedElsewhere(artifact.toPath(), context.getBundles());
    }
}
