package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;

class UnresolvedRequirementsTest {

    @Test
    void theMandatoryRequirementsNothingProvidesAreUnresolved() {
        BundleRequirement missingImport = requirement(Map.of("filter", "(osgi.wiring.package=com.example.missing)"));
        BundleRequirement optionalImport = requirement(Map.of("filter", "(osgi.wiring.package=org.slf4j)",
                "resolution", "optional"));
        BundleRequirement providedImport = requirement(Map.of("filter", "(osgi.wiring.package=org.osgi.service.cm)"));
        BundleRequirement missingExtender = requirement(Map.of("filter", "(osgi.extender=osgi.component)"));
        BundleRevision revision = mock(BundleRevision.class);
        when(revision.getRequirements(null)).thenReturn(List.of(missingImport, optionalImport, providedImport,
                missingExtender));
        FrameworkWiring wiring = mock(FrameworkWiring.class);
        when(wiring.findProviders(missingImport)).thenReturn(List.of());
        when(wiring.findProviders(optionalImport)).thenReturn(List.of());
        when(wiring.findProviders(providedImport)).thenReturn(List.of(mock(BundleCapability.class)));
        when(wiring.findProviders(missingExtender)).thenReturn(List.of());

        assertEquals(List.of(missingImport, missingExtender), UnresolvedRequirements.of(wiring, revision));
    }

    /**
     * Felix's findProviders finds no host that is resolved already: a fragment deployed beside its running host was
     * reported as missing it. The host capabilities the installed bundles declare count.
     */
    @Test
    void aFragmentsHostIsProvidedByAnInstalledBundleThatDeclaresIt() {
        BundleRequirement host = requirement(Map.of("filter", "(osgi.wiring.host=com.example.host)"));
        when(host.getNamespace()).thenReturn("osgi.wiring.host");
        BundleCapability declared = mock(BundleCapability.class);
        BundleCapability otherHost = mock(BundleCapability.class);
        when(host.matches(declared)).thenReturn(true);
        Bundle hostBundle = mock(Bundle.class);
        BundleRevision hostRevision = mock(BundleRevision.class);
        when(hostBundle.adapt(BundleRevision.class)).thenReturn(hostRevision);
        when(hostRevision.getDeclaredCapabilities("osgi.wiring.host")).thenReturn(List.of(otherHost, declared));
        Bundle framework = mock(Bundle.class);
        BundleContext context = mock(BundleContext.class);
        when(framework.getBundleContext()).thenReturn(context);
        when(context.getBundles()).thenReturn(new Bundle[] {framework, hostBundle});
        FrameworkWiring wiring = mock(FrameworkWiring.class);
        when(wiring.getBundle()).thenReturn(framework);
        when(wiring.findProviders(host)).thenReturn(List.of());
        BundleRevision fragment = mock(BundleRevision.class);
        when(fragment.getRequirements(null)).thenReturn(List.of(host));

        assertEquals(List.of(declared), UnresolvedRequirements.providers(wiring, host));
        assertEquals(List.of(), UnresolvedRequirements.of(wiring, fragment));

        when(host.matches(declared)).thenReturn(false);
        assertEquals(List.of(host), UnresolvedRequirements.of(wiring, fragment), "no bundle declares that host");
    }

    @Test
    void onlyMandatoryResolveTimeRequirementsCount() {
        assertTrue(UnresolvedRequirements.mandatoryAtResolve(requirement(Map.of("filter", "(osgi.wiring.package=a)"))));
        assertFalse(UnresolvedRequirements.mandatoryAtResolve(requirement(Map.of("resolution", "optional"))));
        assertFalse(UnresolvedRequirements.mandatoryAtResolve(requirement(Map.of("resolution", "dynamic"))));
        assertFalse(UnresolvedRequirements.mandatoryAtResolve(requirement(Map.of("effective", "active"))));
    }

    @Test
    void aRequirementOfTheShapeBuildToolsWriteIsDescribedAsAReaderNamesIt() {
        assertEquals("package com.example.missing", described("osgi.wiring.package",
                "(osgi.wiring.package=com.example.missing)"));
        assertEquals("package com.example.missing [1.0.0,2.0.0)", described("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.missing)(version>=1.0.0)(!(version>=2.0.0)))"));
        assertEquals("package com.example.missing (1.0.0,2.0.0]", described("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.missing)(!(version<=1.0.0))(version<=2.0.0))"));
        assertEquals("package com.example.missing 1.2.0 or later", described("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.missing)(version>=1.2.0))"));
        assertEquals("package com.example.missing below 2.0.0", described("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.missing)(!(version>=2.0.0)))"));
        assertEquals("host bundle com.example.host [1.0.0,2.0.0)", described("osgi.wiring.host",
                "(&(osgi.wiring.host=com.example.host)(bundle-version>=1.0.0)(!(bundle-version>=2.0.0)))"));
        assertEquals("bundle com.example.lib", described("osgi.wiring.bundle", "(osgi.wiring.bundle=com.example.lib)"));
        assertEquals("extender osgi.component [1.5.0,2.0.0)", described("osgi.extender",
                "(&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0)))"));
        assertEquals("execution environment JavaSE 99", described("osgi.ee", "(&(osgi.ee=JavaSE)(version=99))"));
        assertEquals("service com.example.Api", described("osgi.service", "(objectClass=com.example.Api)"));
        assertEquals("osgi.contract JavaServlet [4.0.0,5.0.0)", described("osgi.contract",
                "(&(osgi.contract=JavaServlet)(version>=4.0.0)(!(version>=5.0.0)))"));
    }

    @Test
    void aRequirementOfAnotherShapeIsDescribedByNamespaceAndFilter() {
        for (String filter : List.of("(|(osgi.wiring.package=a)(osgi.wiring.package=b))",
                "(&(osgi.wiring.package=a)(bundle-symbolic-name=com.example.exporter))",
                "(osgi.wiring.package=com.example.*)", "(&(osgi.wiring.package=a)(osgi.wiring.package=b))",
                "(&(osgi.wiring.package=a)(version=1.0.0)(version>=1.0.0))", "(&(version>=1.0.0))",
                "(&(osgi.wiring.package=a)(|(version>=1.0.0)))", "osgi.wiring.package=a", "(&)(x=y)")) {
            assertEquals("osgi.wiring.package " + filter, described("osgi.wiring.package", filter), filter);
        }
        assertEquals("osgi.wiring.package (any)", UnresolvedRequirements.describe(requirement(Map.of())));
    }

    private static String described(String namespace, String filter) {
        BundleRequirement requirement = requirement(Map.of("filter", filter));
        when(requirement.getNamespace()).thenReturn(namespace);
        return UnresolvedRequirements.describe(requirement);
    }

    private static BundleRequirement requirement(Map<String, String> directives) {
        BundleRequirement requirement = mock(BundleRequirement.class);
        when(requirement.getNamespace()).thenReturn("osgi.wiring.package");
        when(requirement.getDirectives()).thenReturn(directives);
        return requirement;
    }
}
