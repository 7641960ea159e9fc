package io.mcpagent.history.internal;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.history.ExecutionHistory;

/**
 * Starts the history anew when its configuration changes while its component failed to activate (it started on a
 * database it could not open). DS registers a delayed component's services before it creates the component; every
 * component that asked for them then got none and is not told again, and a changed configuration only updates the
 * properties of that registration. So the history, the audit log and everything bound to them (the runtime's own
 * audit among them) stayed without it until a restart, though the configuration was repaired. Disabling and enabling
 * the component registers its services anew, with the configuration now in force, and every consumer binds them.
 */
@Component(service = {}, immediate = true)
public final class HistoryRecovery implements ServiceListener {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecovery.class);
    private static final String COMPONENT = HistoryComponent.class.getName();

    private final BundleContext context;
    private final ServiceComponentRuntime runtime;
    /** The events come on the thread of DS applying the configuration: the restart is left to this one. */
    private final ExecutorService restarts = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("mcp-agent history recovery").daemon().factory());

    @Activate
    public HistoryRecovery(BundleContext context, @Reference ServiceComponentRuntime runtime)
            throws InvalidSyntaxException {
        this.context = context;
        this.runtime = runtime;
        context.addServiceListener(this, "(&(objectClass=" + ExecutionHistory.class.getName() + ")(component.name="
                + COMPONENT + "))");
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(this);
        restarts.shutdownNow();
    }

    /** DS updates the properties of the history's registration once it holds the changed configuration. */
    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() != ServiceEvent.MODIFIED) {
            return;
        }
        try {
            restarts.execute(this::restartIfFailed);
        } catch (RejectedExecutionException stopping) {
            // deactivated meanwhile: the bundle stops, and its next start creates the history anew
        }
    }

    private void restartIfFailed() {
        ComponentDescriptionDTO description = runtime.getComponentDescriptionDTO(context.getBundle(), COMPONENT);
        if (description == null || runtime.getComponentConfigurationDTOs(description).stream()
                .noneMatch(configuration -> configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION)) {
            return;
        }
        LOG.info("the configuration of the execution history changed while it had failed to start: starting it anew");
        try {
            runtime.disableComponent(description).getValue();
            runtime.enableComponent(description).getValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            LOG.error("cannot start the execution history anew; restart the bundle io.mcpagent.history", e.getCause());
        }
    }
}
