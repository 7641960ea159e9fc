package io.mcpagent.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps FileInstall's hands off bundles that a watched folder did not install. Given a jar whose symbolic name and
 * version is already installed from elsewhere (a platform bundle of system/, another jar of deploy/), FileInstall
 * "updates that bundle instead" with the jar, and uninstalls it when the jar is deleted. This installer claims such
 * a jar before FileInstall's own bundle handling sees it and leaves it alone: it installs, updates and uninstalls
 * nothing. {@link DeploymentMonitor} reports the jar as not installed, naming the bundle in the way.
 * <p>
 * Once that bundle is gone (uninstalled, or updated to another version), the jar is handed back to FileInstall,
 * which installs it: FileInstall asks again about a jar only when its time stamp or size changes, so the jar's time
 * stamp is moved on, once for FileInstall to take the jar from this installer and once more for it to install it.
 */
@Component(service = ArtifactInstaller.class, property = {
        // FileInstall, and the deploy gate for the jars of deploy/, ask installers in ranking order: be asked before
        // any other that takes jars but the gate (Integer.MAX_VALUE)
        Constants.SERVICE_RANKING + ":Integer=" + (Integer.MAX_VALUE - 1),
        DeployedJars.GATED_PROPERTY + ":Boolean=true"})
public final class DuplicateBundleGuard implements ArtifactInstaller, BundleListener {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateBundleGuard.class);

    private final BundleContext context;
    /** The jars left alone, with the symbolic name and version they share with a bundle installed elsewhere. */
    private final Map<File, String> waiting = new HashMap<>();
    /**
     * The jar handed back per symbolic name and version, until a bundle of it is installed: FileInstall would update
     * that jar's bundle with another waiting copy if it were handed back as well.
     */
    private final Map<String, File> handedBack = new HashMap<>();

    @Activate
    public DuplicateBundleGuard(BundleContext context) {
        this.context = context;
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
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
    public synchronized void uninstall(File artifact) {
        waiting.remove(artifact);
        if (!artifact.exists()) {
            LOG.info("{}: removed; it was left alone as a duplicate, so no bundle is uninstalled", artifact);
            return;
        }
        // FileInstall calls this when a jar left alone changed (or was handed back) and is no longer a duplicate:
        // it forgets the jar then, and installs it only once it sees it change again
        LOG.info("{}: no longer a duplicate of an installed bundle; handed to FileInstall, which installs it at its"
                + " next scan", artifact);
        markChanged(artifact);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.UNINSTALLED || event.getType() == BundleEvent.UPDATED) {
            handBackFreedJars();
        }
    }

    private synchronized void leaveAlone(File artifact) {
        Optional<Bundle> twin = installedElsewhere(artifact);
        if (twin.isEmpty()) {
            // the bundle went between FileInstall's question and this call
            uninstall(artifact);
            return;
        }
        Bundle bundle = twin.get();
        waiting.put(artifact, DeployedJars.identity(bundle));
        LOG.info("{}: left alone, not installed: bundle {} is already installed from {} (bundle id {}), which stays"
                + " as it is; this jar is installed once that bundle is gone", artifact, DeployedJars.identity(bundle),
                bundle.getLocation(), bundle.getBundleId());
    }

    /** Hands back to FileInstall one waiting jar per symbolic name and version that no installed bundle has now. */
    private synchronized void handBackFreedJars() {
        Set<String> installed = Arrays.stream(context.getBundles()).map(DeployedJars::identity)
                .collect(Collectors.toSet());
        handedBack.entrySet().removeIf(entry -> installed.contains(entry.getKey()) || !entry.getValue().exists());
        // by name, so that the same jar of several copies is chosen whatever order they were left alone in
        for (Map.Entry<File, String> jar : new TreeMap<>(waiting).entrySet()) {
            String identity = jar.getValue();
            if (!installed.contains(identity) && !handedBack.containsKey(identity)) {
                waiting.remove(jar.getKey());
                handedBack.put(identity, jar.getKey());
                LOG.info("{}: bundle {}, which this jar duplicated, is no longer installed; handing the jar to"
                        + " FileInstall to install", jar.getKey(), identity);
                markChanged(jar.getKey());
            }
        }
    }

    private static void markChanged(File artifact) {
        try {
            DeployedJars.markChanged(artifact.toPath());
        } catch (IOException e) {
            LOG.warn("{}: cannot change its time stamp for FileInstall to install it ({}); remove it and put it back"
                    + " to install it", artifact, e.toString());
        }
    }

    private Optional<Bundle> installedElsewhere(File artifact) {
        return DeployedJars.installedElsewhere(artifact.toPath(), context.getBundles());
    }
}
