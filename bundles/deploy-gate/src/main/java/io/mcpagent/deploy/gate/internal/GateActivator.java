package io.mcpagent.deploy.gate.internal;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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

    /** Hands held jars over and warns of those held long, on one thread of the gate's own. */
    private ScheduledExecutorService handOver;
    private ServiceTracker<ArtifactInstaller, ArtifactInstaller> delegates;
    private ServiceRegistration<ArtifactInstaller> registration;
    @SuppressWarnings("rawtypes")
    private ServiceRegistration<Supplier> heldJars;

    @Override
    public void start(BundleContext context) throws Exception {
        String deploy = context.getProperty(DEPLOY_PROPERTY);
        if (deploy == null || deploy.isBlank()) {
            return; // no deploy folder: FileInstall keeps its own way, as io.mcpagent.deploy does then
        }
        System.Logger log = System.getLogger(DeployFolderGate.class.getName());
        Duration heldWarningDelay = DeployFolderGate.heldWarningDelay(
                context.getProperty(DeployFolderGate.HELD_WARNING_PROPERTY), log);
        handOver = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "mcpagent-deploy-gate"));
        DeployFolderGate gate = new DeployFolderGate(DeployFolderGate.realPath(Path.of(deploy)), handOver,
                heldWarningDelay,
                task -> handOver.schedule(task, heldWarningDelay.toMillis(), TimeUnit.MILLISECONDS), log);
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
        // a service of its own rather than a property of the installer, whose changes FileInstall would act on
        Supplier<Map<File, Instant>> held = gate::held;
        heldJars = context.registerService(Supplier.class, held,
                new Hashtable<>(Map.of(DeployFolderGate.HELD_PROPERTY, Boolean.TRUE)));
    }

    @Override
    public void stop(BundleContext context) {
        if (registration != null) {
            heldJars.unregister();
            registration.unregister();
            delegates.close();
            handOver.shutdownNow();
        }
    }
}
