package io.mcpagent.deploy.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private static final String SERVICE_COMPONENT = "Service-Component";
    private static final long POLL_MILLIS = 20;
    /** The states of a component configuration that has a service registered, if it provides one. */
    private static final int REGISTERED = ComponentConfigurationDTO.SATISFIED | ComponentConfigurationDTO.ACTIVE
            | ComponentConfigurationDTO.FAILED_ACTIVATION;
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
        Dictionary<String, String> headers = bundle.getHeaders();
        if (headers == null || headers.get(SERVICE_COMPONENT) == null) {
            return Optional.empty(); // no DS component: nothing activates later
        }
        ServiceReference<ServiceComponentRuntime> runtimeReference = context.getServiceReference(
                ServiceComponentRuntime.class);
        ServiceComponentRuntime runtime = runtimeReference == null ? null : context.getService(runtimeReference);
        try {
            return failure(context, runtime, bundle, System.nanoTime() + wait.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (runtime != null) {
                context.ungetService(runtimeReference);
            }
        }
    }

    /** {@link #failure(BundleContext, Bundle, Duration)} with DS's runtime, null without one, until the deadline. */
    private static Optional<String> failure(BundleContext context, ServiceComponentRuntime runtime, Bundle bundle,
            long deadline) throws InterruptedException {
        for (ServiceReference<?> reference : registeredOnceSettled(runtime, bundle, deadline)) {
            CompletableFuture<Object> obtained = CompletableFuture.supplyAsync(() -> context.getService(reference),
                    command -> Thread.ofVirtual().name("obtain " + reference).start(command));
            obtained.whenComplete((service, failure) -> {
                if (service != null) {
                    context.ungetService(reference);
                }
            });
            Object service;
            try {
                service = obtained.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                continue;
            }
            if (service == null && (bundle.getState() & Bundle.ACTIVE) != 0) {
                return Optional.of(why(runtime, reference));
            }
        }
        return Optional.empty();
    }

    /**
     * The services the bundle's components registered, once DS has created them all (it does so on a thread of its own
     * after the bundle started, so right after the start there may be none yet): every enabled component that provides
     * a service has a configuration for each that can register one, and each of those its service; or what is
     * registered at the deadline. Without DS's runtime, what is registered now.
     */
    private static List<ServiceReference<?>> registeredOnceSettled(ServiceComponentRuntime runtime, Bundle bundle,
            long deadline) throws InterruptedException {
        while (true) {
            List<ServiceReference<?>> registered = registered(bundle);
            if (runtime == null || settled(runtime, bundle, registered) || System.nanoTime() - deadline >= 0) {
                return registered;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static List<ServiceReference<?>> registered(Bundle bundle) {
        ServiceReference<?>[] services = bundle.getRegisteredServices();
        return services == null ? List.of() : List.of(services);
    }

    /** Whether each configuration of the bundle's service components that registers a service has done so. */
    private static boolean settled(ServiceComponentRuntime runtime, Bundle bundle,
            List<ServiceReference<?>> registered) {
        Collection<ComponentDescriptionDTO> descriptions = runtime.getComponentDescriptionDTOs(bundle);
        if (descriptions.isEmpty()) {
            return false; // DS has not read the bundle's components yet
        }
        Set<Object> withService = new HashSet<>();
        registered.forEach(reference -> withService.add(reference.getProperty(COMPONENT_ID)));
        for (ComponentDescriptionDTO description : descriptions) {
            if (description.serviceInterfaces == null || description.serviceInterfaces.length == 0
                    || !runtime.isComponentEnabled(description)) {
                continue;
            }
            Collection<ComponentConfigurationDTO> configurations = runtime.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty() && !"require".equals(description.configurationPolicy)) {
                return false; // not created yet: one that requires a configuration has none until it is given one
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                if ((configuration.state & REGISTERED) != 0 && !withService.contains(configuration.id)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The exception DS recorded as the component's failure, its root cause's line (DS wraps the activate method's
     * exception in an InvocationTargetException); or where to look when DS does not say.
     */
    private static String why(ServiceComponentRuntime runtime, ServiceReference<?> reference) {
        Object name = reference.getProperty(COMPONENT_NAME);
        Object id = reference.getProperty(COMPONENT_ID);
        if (name == null) {
            return "its service " + reference + " cannot be obtained (see data/log/mcp-agent.log)";
        }
        String failed = "its component " + name + " failed to activate";
        Bundle provider = reference.getBundle();
        if (runtime != null && id != null && provider != null) {
            for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(provider)) {
                for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                    if (id.equals(configuration.id) && configuration.failure != null) {
                        return failed + ": " + rootCause(configuration.failure);
                    }
                }
            }
        }
        return failed + " (see data/log/mcp-agent.log)";
    }

    /** The last "Caused by:" line of a stack trace as text, or its first line when it has none. */
    static String rootCause(String stackTrace) {
        String cause = "Caused by: ";
        return stackTrace.lines().map(String::strip).filter(line -> line.startsWith(cause))
                .reduce((first, last) -> last).map(line -> line.substring(cause.length()))
                .orElseGet(() -> stackTrace.lines().findFirst().orElse("").strip());
    }
}
