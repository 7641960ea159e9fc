package io.mcpagent.deploy.gate.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Registers the {@link DeployFolderGate} when the framework property {@value #DEPLOY_PROPERTY} names a deploy folder.
 * An activator rather than a DS component: SCR is a platform bundle as well, and its update or refresh would take
 * the gate away, the very gap the gate closes.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class GateActivator implements BundleActivator {
    /** The framework property naming the deploy folder (set by bin/mcp-agent), as the API's DeployFolder reads it. */
    static final String DEPLOY_PROPERTY = "mcpagent.deploy";

    private ExecutorService handOver;
    private ServiceTracker<ArtifactInstaller, ArtifactInstaller> delegates;
    private ServiceRegistration<ArtifactInstaller> registration;

    @Override
    public void start(BundleContext context) throws Exception {
        String deploy = context.getProperty(DEPLOY_PROPERTY);
        if (deploy == null || deploy.isBlank()) {
            return; // no deploy folder: FileInstall keeps its own way, as io.mcpagent.deploy does then
        }
        handOver = Executors.newSingleThreadExecutor(task -> new Thread(task, "mcpagent-deploy-gate"));
        DeployFolderGate gate = new DeployFolderGate(DeployFolderGate.realPath(Path.of(deploy)),
                handOver);
        delegates = new ServiceTracker<>(context, FrameworkUtil.createFilter("(&(" + Constants.OBJECTCLASS + "="
                + ArtifactInstaller.class.getName() + ")(" + DeployFolderGate.DELEGATE_PROPERTY + "=true))"),
                new ServiceTrackerCustomizer<>() {
                    @Override
                    public ArtifactInstaller addingService(ServiceReference<ArtifactInstaller> reference) {
                        ArtifactInstaller delegate = context.getService(reference);
                        if (delegate != null) {
                            gate.delegateAdded(reference, delegate);
                        }
                        return delegate;
                    }

                    @Override
                    public void modifiedService(ServiceReference<ArtifactInstaller> reference,
                            ArtifactInstaller delegate) {
                        // a new ranking reorders the delegates
                        gate.delegateRemoved(reference);
                        gate.delegateAdded(reference, delegate);
                    }

                    @Override
                    public void removedService(ServiceReference<ArtifactInstaller> reference,
                            ArtifactInstaller delegate) {
                        gate.delegateRemoved(reference);
                        context.ungetService(reference);
                    }
                });
        delegates.open();
        Dictionary<String, Object> properties = new Hashtable<>();
        // asked before every other installer, io.mcpagent.deploy's included (they rank below Integer.MAX_VALUE)
        properties.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        registration = context.registerService(ArtifactInstaller.class, gate, properties);
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            registration.unregister();
            delegates.close();
            handOver.shutdownNow();
        }
    }
}
