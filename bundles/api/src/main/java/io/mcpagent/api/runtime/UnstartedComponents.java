package io.mcpagent.api.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Why the components of an active bundle do not run, as DS tells it: each component waiting for a mandatory service
 * ({@code UNSATISFIED_REFERENCE}), the service it lacks, and which installed bundle declares that service (its
 * {@code osgi.service} capability, which bnd writes from the DS annotations) in which state, so the answer names the
 * bundle to start rather than the bundle that waits. REST answers and shell commands say it alike.
 */
public final class UnstartedComponents {
    private static final String SERVICE_NAMESPACE = "osgi.service";
    private static final String OBJECT_CLASS = "objectClass";

    private UnstartedComponents() {
    }

    /**
     * What to tell about {@code bundle}, active while a service of it is missing: {@code bundle io.mcpagent.autonomous
     * is active but its component did not start: component ... lacks ...; see data/log/mcp-agent.log and the problems
     * in /api/v1/status (or plugin:problems)}. The part naming the missing services is left out when no
     * {@code runtime} is given or none of its components waits for a service (it failed to activate, or lacks its
     * configuration).
     */
    public static String didNotStart(ServiceComponentRuntime runtime, BundleContext context, Bundle bundle) {
        String why = runtime == null ? "" : why(runtime, context, bundle).map(missing -> ": " + missing).orElse("");
        return "bundle " + bundle.getSymbolicName() + " is active but its component did not start" + why + "; see"
                + " data/log/mcp-agent.log and the problems in /api/v1/status (or plugin:problems)";
    }

    /**
     * {@link #didNotStart(ServiceComponentRuntime, BundleContext, Bundle)} with the {@code ServiceComponentRuntime}
     * registered in the framework of {@code context}, taken for this one answer, for a caller that holds no reference
     * to it.
     */
    public static String didNotStart(BundleContext context, Bundle bundle) {
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(
                ServiceComponentRuntime.class);
        ServiceComponentRuntime runtime = reference == null ? null : context.getService(reference);
        try {
            return didNotStart(runtime, context, bundle);
        } finally {
            if (runtime != null) {
                context.ungetService(reference);
            }
        }
    }

    /**
     * The missing references of {@code bundle}'s components ({@code component DefaultAutonomousOrchestrator lacks
     * io.mcpagent.api.workflow.WorkflowEngine (reference 'engine'), provided by bundle io.mcpagent.core (RESOLVED, not
     * started)}), joined by "; "; empty when none of its components waits for a service.
     */
    public static Optional<String> why(ServiceComponentRuntime runtime, BundleContext context, Bundle bundle) {
        List<String> missing = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    continue;
                }
                for (UnsatisfiedReferenceDTO unsatisfied : configuration.unsatisfiedReferences) {
                    String service = serviceOf(description, unsatisfied.name);
                    missing.add("component " + simpleName(description.name) + " lacks " + service + " (reference '"
                            + unsatisfied.name + "'), " + providers(context, service));
                }
            }
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
    }

    private static String serviceOf(ComponentDescriptionDTO description, String reference) {
        return Arrays.stream(description.references).filter(r -> r.name.equals(reference))
                .map((ReferenceDTO r) -> r.interfaceName).findFirst().orElse("a service");
    }

    /** Which installed bundles declare {@code service}, with their states; or that none does. */
    private static String providers(BundleContext context, String service) {
        List<String> providers = new ArrayList<>();
        for (Bundle candidate : context.getBundles()) {
            BundleRevision revision = candidate.adapt(BundleRevision.class);
            if (revision != null && declares(revision, service)) {
                providers.add("bundle " + candidate.getSymbolicName() + " (" + BundleServices.stateName(
                        candidate.getState()) + (candidate.getState() == Bundle.ACTIVE ? ")" : ", not started)"));
            }
        }
        return providers.isEmpty() ? "which no installed bundle provides" : "provided by " + String.join(" or ",
                providers);
    }

    private static boolean declares(BundleRevision revision, String service) {
        for (BundleCapability capability : revision.getDeclaredCapabilities(SERVICE_NAMESPACE)) {
            if (capability.getAttributes().get(OBJECT_CLASS) instanceof List<?> classes && classes.contains(service)) {
                return true;
            }
        }
        return false;
    }

    private static String simpleName(String componentName) {
        return componentName.substring(componentName.lastIndexOf('.') + 1);
    }
}
