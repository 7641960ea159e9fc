package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
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

class UnstartedComponentsTest {
    private static final String ENGINE = "io.mcpagent.api.workflow.WorkflowEngine";
    private static final String SEE_LOG = "; see data/log/mcp-agent.log and the problems in /api/v1/status (or"
            + " plugin:problems)";

    private final BundleContext context = mock(BundleContext.class);
    private final Bundle autonomous = bundle("io.mcpagent.autonomous", Bundle.ACTIVE);
    private final ServiceComponentRuntime runtime = mock(ServiceComponentRuntime.class);

    @Test
    void aComponentWaitingForAServiceNamesTheServiceAndTheBundlesThatDeclareIt() {
        Bundle core = bundle("io.mcpagent.core", Bundle.RESOLVED);
        declares(core, ENGINE, "io.mcpagent.api.runtime.ProblemReporter");
        Bundle otherEngine = bundle("example.engine", Bundle.ACTIVE);
        declares(otherEngine, ENGINE);
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous, core, otherEngine});
        orchestratorLacksEngine();

        assertEquals("bundle io.mcpagent.autonomous is active but its component did not start: component"
                + " DefaultAutonomousOrchestrator lacks " + ENGINE + " (reference 'engine'), provided by bundle"
                + " io.mcpagent.core (RESOLVED, not started) or bundle example.engine (ACTIVE)" + SEE_LOG,
                UnstartedComponents.didNotStart(runtime, context, autonomous));
    }

    /**
     * A component waiting for a service of its own bundle waits for another of its components, which names the cause:
     * it is left out while another reference is named (with core stopped, four of seven clauses were so).
     */
    @Test
    void aComponentWaitingForAServiceOfItsOwnBundleIsNamedOnlyWhenNothingElseIs() {
        Bundle core = bundle("io.mcpagent.core", Bundle.RESOLVED);
        declares(core, ENGINE);
        String factory = "io.mcpagent.api.autonomous.DynamicAgentFactory";
        declares(autonomous, factory);
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous, core});
        ComponentDescriptionDTO orchestrator = waiting("orchestration.DefaultAutonomousOrchestrator", "engine",
                ENGINE);
        ComponentDescriptionDTO planner = waiting("DecisionPlanner", "agents", factory);
        when(runtime.getComponentDescriptionDTOs(autonomous)).thenReturn(List.of(planner, orchestrator));

        assertEquals(Optional.of("component DefaultAutonomousOrchestrator lacks " + ENGINE + " (reference 'engine'),"
                + " provided by bundle io.mcpagent.core (RESOLVED, not started)"),
                UnstartedComponents.why(runtime, context, autonomous));
        when(runtime.getComponentDescriptionDTOs(autonomous)).thenReturn(List.of(planner));
        assertEquals(Optional.of("component DecisionPlanner lacks " + factory + " (reference 'agents'), provided by"
                + " bundle io.mcpagent.autonomous (ACTIVE)"), UnstartedComponents.why(runtime, context, autonomous),
                "alone, it is named");
    }

    /** A component of the autonomous bundle whose configuration waits for {@code service} by {@code reference}. */
    private ComponentDescriptionDTO waiting(String component, String reference, String service) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = "io.mcpagent.autonomous.internal." + component;
        ReferenceDTO declared = new ReferenceDTO();
        declared.name = reference;
        declared.interfaceName = service;
        description.references = new ReferenceDTO[] {declared};
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        UnsatisfiedReferenceDTO unsatisfied = new UnsatisfiedReferenceDTO();
        unsatisfied.name = reference;
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {unsatisfied};
        when(runtime.getComponentConfigurationDTOs(description)).thenReturn(List.of(configuration));
        return description;
    }

    @Test
    void aServiceNoInstalledBundleDeclaresIsSaidSo() {
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous});
        orchestratorLacksEngine();

        assertEquals("bundle io.mcpagent.autonomous is active but its component did not start: component"
                + " DefaultAutonomousOrchestrator lacks " + ENGINE + " (reference 'engine'), which no installed"
                + " bundle provides" + SEE_LOG, UnstartedComponents.didNotStart(runtime, context, autonomous));
    }

    @Test
    void withoutTheComponentRuntimeOrAWaitingComponentOnlyTheLogIsPointedAt() {
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous});
        String plain = "bundle io.mcpagent.autonomous is active but its component did not start" + SEE_LOG;

        assertEquals(plain, UnstartedComponents.didNotStart(null, context, autonomous));
        assertEquals(plain, UnstartedComponents.didNotStart(context, autonomous), "no runtime registered");
        when(runtime.getComponentDescriptionDTOs(autonomous)).thenReturn(List.of());
        assertEquals(plain, UnstartedComponents.didNotStart(runtime, context, autonomous), "nothing waits");
    }

    @Test
    void theRegisteredComponentRuntimeIsAskedAndGivenBack() {
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous});
        orchestratorLacksEngine();
        @SuppressWarnings("unchecked")
        ServiceReference<ServiceComponentRuntime> reference = mock(ServiceReference.class);
        when(context.getServiceReference(ServiceComponentRuntime.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(runtime);

        assertEquals("bundle io.mcpagent.autonomous is active but its component did not start: component"
                + " DefaultAutonomousOrchestrator lacks " + ENGINE + " (reference 'engine'), which no installed"
                + " bundle provides" + SEE_LOG, UnstartedComponents.didNotStart(context, autonomous));
        verify(context).ungetService(reference);
    }

    /**
     * What DS cannot tell (a component kept disabled, which it shows as nothing at all) its reporter does: that problem,
     * masked as /api/v1/status shows it, is the answer; the problems of other subjects and a failing reporter are not.
     */
    @Test
    void theProblemsReportedAboutTheBundlesComponentsAreTheAnswerMasked() {
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous});
        orchestratorLacksEngine();
        String orchestrator = "io.mcpagent.autonomous.internal.orchestration.DefaultAutonomousOrchestrator";
        ProblemReporter reporter = () -> List.of(new Problem("component", orchestrator, "failed to activate: key"
                + " sk-ant-0123456789abcdefghij refused", Instant.EPOCH), new Problem("deploy", "deploy/x.jar",
                "corrupt", Instant.EPOCH));
        ProblemReporter failing = () -> {
            throw new IllegalStateException("reporter down");
        };

        assertEquals("failed to activate: key [redacted] refused", UnstartedComponents.unavailable(runtime, context,
                autonomous, List.of(failing, reporter), null), "masked by pattern without a masker");
        assertEquals("failed to activate: key sk-ant-0123456789abcdefghij refused".toUpperCase(),
                UnstartedComponents.unavailable(runtime, context, autonomous, List.of(reporter), String::toUpperCase));
        assertEquals(UnstartedComponents.didNotStart(runtime, context, autonomous), UnstartedComponents.unavailable(
                runtime, context, autonomous, List.of(() -> List.of(new Problem("deploy", "deploy/x.jar", "corrupt",
                        Instant.EPOCH))), null), "no problem of its components");
        assertEquals(UnstartedComponents.didNotStart(null, context, autonomous), UnstartedComponents.unavailable(null,
                context, autonomous, List.of(reporter), null), "its components unknown without the runtime");
    }

    private void orchestratorLacksEngine() {
        ComponentDescriptionDTO orchestrator = new ComponentDescriptionDTO();
        orchestrator.name = "io.mcpagent.autonomous.internal.orchestration.DefaultAutonomousOrchestrator";
        ReferenceDTO engineReference = new ReferenceDTO();
        engineReference.name = "engine";
        engineReference.interfaceName = ENGINE;
        orchestrator.references = new ReferenceDTO[] {engineReference};
        ComponentConfigurationDTO waiting = new ComponentConfigurationDTO();
        waiting.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        UnsatisfiedReferenceDTO missingEngine = new UnsatisfiedReferenceDTO();
        missingEngine.name = "engine";
        waiting.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missingEngine};
        ComponentConfigurationDTO satisfied = new ComponentConfigurationDTO();
        satisfied.state = ComponentConfigurationDTO.ACTIVE;
        when(runtime.getComponentDescriptionDTOs(autonomous)).thenReturn(List.of(orchestrator));
        when(runtime.getComponentConfigurationDTOs(orchestrator)).thenReturn(List.of(waiting, satisfied));
    }

    private static void declares(Bundle bundle, String... services) {
        BundleRevision revision = mock(BundleRevision.class);
        BundleCapability capability = mock(BundleCapability.class);
        when(capability.getAttributes()).thenReturn(Map.of("objectClass", List.of(services)));
        when(revision.getDeclaredCapabilities("osgi.service")).thenReturn(List.of(capability));
        when(bundle.adapt(BundleRevision.class)).thenReturn(revision);
    }

    private static Bundle bundle(String symbolicName, int state) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getState()).thenReturn(state);
        return bundle;
    }
}
