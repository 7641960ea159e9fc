package io.mcpagent.api.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.mcpagent.api.security.SecretMasker;

/**
 * Why the components of an active bundle do not run, as DS tells it: each component waiting for a mandatory service
 * ({@code UNSATISFIED_REFERENCE}), the service it lacks, and which installed bundle declares that service (its
 * {@code osgi.service} capability, which bnd writes from the DS annotations) in which state, so the answer names the
 * bundle to start rather than the bundle that waits; or, first, the problems reported about its components, which
 * say why where DS cannot (a component kept disabled until its database answers). REST answers and shell commands say
 * it alike, through {@link #unavailable}.
 */
public final class UnstartedComponents {
    private static final String SERVICE_NAMESPACE = "osgi.service";
    private static final String OBJECT_CLASS = "objectClass";
    /** The service property DS gives the services of a component configuration: its id. */
    private static final String COMPONENT_ID = "component.id";

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
     * Why a service of {@code bundle}, active, is missing (1.16): the problems {@code reporters} report about its
     * components (a problem's subject is the component's name: the history kept disabled until its database answers,
     * a component that failed to activate), each masked by {@code masker} (by pattern alone when null) as
     * {@code /api/v1/status} shows it, joined by "; "; when there is none, or no {@code runtime} to tell its
     * components, {@link #didNotStart(ServiceComponentRuntime, BundleContext, Bundle)}. A reporter that fails is passed
     * over: this is an explanation, not the answer's point.
     */
    public static String unavailable(ServiceComponentRuntime runtime, BundleContext context, Bundle bundle,
            Iterable<? extends ProblemReporter> reporters, SecretMasker masker) {
        List<String> problems = runtime == null ? List.of() : problems(runtime, bundle, reporters);
        if (problems.isEmpty()) {
            return didNotStart(runtime, context, bundle);
        }
        SecretMasker masking = SecretMasker.orPatterns(masker);
        return String.join("; ", problems.stream().map(masking::mask).toList());
    }

    /**
     * {@link #unavailable(ServiceComponentRuntime, BundleContext, Bundle, Iterable, SecretMasker)} with the
     * {@code ServiceComponentRuntime}, the {@code ProblemReporter}s and the {@code SecretMasker} registered in the
     * framework of {@code context}, taken for this one answer, for a caller that holds no reference to them (1.16).
     * Only reporters DS has activated already (or not DS's) are asked: asking for one whose activation failed (the
     * history's own, its database down) would activate it again, and DS log that failure once more with its stack.
     */
    public static String unavailable(BundleContext context, Bundle bundle) {
        List<ServiceReference<?>> taken = new ArrayList<>();
        try {
            ServiceComponentRuntime runtime = take(context, context.getServiceReference(ServiceComponentRuntime.class),
                    taken);
            List<ProblemReporter> reporters = runtime == null ? List.of() : activeReporters(context, runtime, taken);
            SecretMasker masker = take(context, context.getServiceReference(SecretMasker.class), taken);
            return unavailable(runtime, context, bundle, reporters, masker);
        } finally {
            taken.forEach(context::ungetService);
        }
    }

    /**
     * The problem reporters registered in the framework of {@code context} that DS has activated already (or not
     * DS's), each taken (added to {@code taken}, for the caller to unget). Asking for one whose activation failed (the
     * history's own, its database down) would activate it again, and DS log that failure once more with its stack.
     */
    static List<ProblemReporter> activeReporters(BundleContext context, ServiceComponentRuntime runtime,
            List<ServiceReference<?>> taken) {
        List<ProblemReporter> reporters = new ArrayList<>();
        try {
            for (ServiceReference<ProblemReporter> reporter : context.getServiceReferences(ProblemReporter.class,
                    null)) {
                if (activated(runtime, reporter)) {
                    Optional.ofNullable(take(context, reporter, taken)).ifPresent(reporters::add);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter is given
        }
        return reporters;
    }

    static <S> S take(BundleContext context, ServiceReference<S> reference, List<ServiceReference<?>> taken) {
        S service = reference == null ? null : context.getService(reference);
        if (service != null) {
            taken.add(reference);
        }
        return service;
    }

    /** Whether the service is not a DS component's, or its component configuration is active. */
    private static boolean activated(ServiceComponentRuntime runtime, ServiceReference<?> reference) {
        Object id = reference.getProperty(COMPONENT_ID);
        Bundle provider = reference.getBundle();
        if (id == null) {
            return true;
        }
        if (provider == null) {
            return false; // unregistered meanwhile
        }
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(provider)) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (id.equals(configuration.id)) {
                    return configuration.state == ComponentConfigurationDTO.ACTIVE;
                }
            }
        }
        return false;
    }

    /** The messages of the problems whose subject is one of {@code bundle}'s components. */
    private static List<String> problems(ServiceComponentRuntime runtime, Bundle bundle,
            Iterable<? extends ProblemReporter> reporters) {
        Set<String> components = new HashSet<>();
        runtime.getComponentDescriptionDTOs(bundle).forEach(description -> components.add(description.name));
        List<String> messages = new ArrayList<>();
        for (ProblemReporter reporter : reporters) {
            try {
                reporter.problems().stream().filter(problem -> components.contains(problem.subject()))
                        .forEach(problem -> messages.add(problem.message()));
            } catch (RuntimeException failed) {
                // passed over: plugin:problems shows its failure
            }
        }
        return messages;
    }

    /**
     * The missing references of {@code bundle}'s components ({@code component DefaultAutonomousOrchestrator lacks
     * io.mcpagent.api.workflow.WorkflowEngine (reference 'engine'), provided by bundle io.mcpagent.core (RESOLVED, not
     * started)}), joined by "; "; empty when none of its components waits for a service. A component that waits for a
     * service of the bundle itself waits for another of its components, which says what it lacks: such a reference
     * is named only when no other is (with core stopped, four of the autonomous bundle's seven clauses were so, and
     * hid the one cause).
     */
    public static Optional<String> why(ServiceComponentRuntime runtime, BundleContext context, Bundle bundle) {
        List<String> missing = new ArrayList<>();
        List<String> ofItsOwn = new ArrayList<>();
        BundleRevision own = bundle.adapt(BundleRevision.class);
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    continue;
                }
                for (UnsatisfiedReferenceDTO unsatisfied : configuration.unsatisfiedReferences) {
                    String service = serviceOf(description, unsatisfied.name);
                    (own != null && declares(own, service) ? ofItsOwn : missing).add("component "
                            + simpleName(description.name) + " lacks " + service + " (reference '" + unsatisfied.name
                            + "'), " + providers(context, service));
                }
            }
        }
        List<String> told = missing.isEmpty() ? ofItsOwn : missing;
        return told.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", told));
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
