package io.mcpagent.deploy.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Whether the services of a bundle just started can be obtained. DS activates a delayed component only when its
 * service is first obtained, after the bundle's start succeeded: a copy whose component throws in its activate method
 * starts, and its plugin is gone the moment the plugin manager asks for it. Its services are obtained here for that,
 * each within a bounded wait, and released.
 */
final class ComponentActivation {
    /** The service property DS gives the services of a component: its name. */
    private static final String COMPONENT_NAME = "component.name";
    private static final String COMPONENT_ID = "component.id";

    private ComponentActivation() {
    }

    /**
     * Why a service of {@code bundle} cannot be obtained ({@code its component example.echo failed to activate:
     * java.lang.IllegalStateException: no licence}), or empty when each can, or is still being activated after
     * {@code wait} (a slow activation is the plugin manager's to report, not a reason to roll back).
     */
    static Optional<String> failure(BundleContext context, Bundle bundle, Duration wait) {
        ServiceReference<?>[] registered = bundle.getRegisteredServices();
        if (registered == null) {
            return Optional.empty();
        }
        for (ServiceReference<?> reference : registered) {
            CompletableFuture<Object> obtained = CompletableFuture.supplyAsync(() -> context.getService(reference),
                    command -> Thread.ofVirtual().name("obtain " + reference).start(command));
            obtained.whenComplete((service, failure) -> {
                if (service != null) {
                    context.ungetService(reference);
                }
            });
            Object service;
            try {
                service = obtained.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            if (service == null && (bundle.getState() & Bundle.ACTIVE) != 0) {
                return Optional.of(why(context, reference));
            }
        }
        return Optional.empty();
    }

    /**
     * The exception DS recorded as the component's failure, its root cause's line (DS wraps the activate method's
     * exception in an InvocationTargetException); or where to look when DS does not say.
     */
    private static String why(BundleContext context, ServiceReference<?> reference) {
        Object name = reference.getProperty(COMPONENT_NAME);
        Object id = reference.getProperty(COMPONENT_ID);
        if (name == null) {
            return "its service " + reference + " cannot be obtained (see data/log/mcp-agent.log)";
        }
        String failed = "its component " + name + " failed to activate";
        ServiceReference<ServiceComponentRuntime> runtimeReference = context.getServiceReference(
                ServiceComponentRuntime.class);
        ServiceComponentRuntime runtime = runtimeReference == null ? null : context.getService(runtimeReference);
        if (runtime == null) {
            return failed + " (see data/log/mcp-agent.log)";
        }
        try {
            for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(reference.getBundle())) {
                for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                    if (id != null && id.equals(configuration.id) && configuration.failure != null) {
                        return failed + ": " + rootCause(configuration.failure);
                    }
                }
            }
            return failed + " (see data/log/mcp-agent.log)";
        } finally {
            context.ungetService(runtimeReference);
        }
    }

    /** The last "Caused by:" line of a stack trace as text, or its first line when it has none. */
    static String rootCause(String stackTrace) {
        String cause = "Caused by: ";
        return stackTrace.lines().map(String::strip).filter(line -> line.startsWith(cause))
                .reduce((first, last) -> last).map(line -> line.substring(cause.length()))
                .orElseGet(() -> stackTrace.lines().findFirst().orElse("").strip());
    }
}
