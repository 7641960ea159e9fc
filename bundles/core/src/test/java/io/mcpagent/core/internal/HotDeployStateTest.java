package io.mcpagent.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

import org.slf4j.Logger;

import io.mcpagent.api.runtime.Problem;

class HotDeployStateTest {
    private static final String API_IMPORT = "(&(osgi.wiring.package=io.mcpagent.api.runtime)(version>=2.14.0)"
            + "(!(version>=3.0.0)))";

    private final BundleContext context = mock(BundleContext.class);
    private final BundleContext framework = mock(BundleContext.class);
    private final Bundle systemBundle = mock(Bundle.class);
    private final Bundle core = mock(Bundle.class);
    private final Bundle deploy = mock(Bundle.class);
    private final FrameworkWiring wiring = mock(FrameworkWiring.class);
    private final FrameworkStartLevel frameworkStartLevel = mock(FrameworkStartLevel.class);
    private final BundleStartLevel deployStartLevel = mock(BundleStartLevel.class);
    private final MutableClock clock = new MutableClock();
    private final Logger log = mock(Logger.class);

    HotDeployStateTest() {
        when(context.getProperty("mcpagent.deploy")).thenReturn("/opt/mcp-agent/deploy");
        when(context.getBundle(Constants.SYSTEM_BUNDLE_ID)).thenReturn(systemBundle);
        when(systemBundle.getBundleContext()).thenReturn(framework);
        when(framework.getBundle()).thenReturn(systemBundle);
        when(systemBundle.adapt(FrameworkWiring.class)).thenReturn(wiring);
        when(systemBundle.adapt(FrameworkStartLevel.class)).thenReturn(frameworkStartLevel);
        when(frameworkStartLevel.getStartLevel()).thenReturn(10);
        when(core.getSymbolicName()).thenReturn("io.mcpagent.core");
        when(core.getState()).thenReturn(Bundle.ACTIVE);
        when(deploy.getSymbolicName()).thenReturn("io.mcpagent.deploy");
        when(deploy.adapt(BundleStartLevel.class)).thenReturn(deployStartLevel);
        when(deployStartLevel.getStartLevel()).thenReturn(5);
        when(framework.getBundles()).thenReturn(new Bundle[] {systemBundle, core, deploy});
        when(systemBundle.getState()).thenReturn(Bundle.ACTIVE);
        when(deploy.getState()).thenReturn(Bundle.ACTIVE);
    }

    @Test
    void stoppingTheDeployBundleIsLoggedOnceAtWarnAndItsStartAgainAtInfo() {
        HotDeployState state = new HotDeployState(context, clock, log);
        when(deploy.getState()).thenReturn(Bundle.RESOLVED);
        when(deployStartLevel.isPersistentlyStarted()).thenReturn(false);

        deployBundle(BundleEvent.STOPPING);
        deployBundle(BundleEvent.STOPPED);
        clock.advance(60_000);
        deployBundle(BundleEvent.STOPPED);
        framework(FrameworkEvent.ERROR);

        verify(log).warn("{}", "hot deploy is off: bundle io.mcpagent.deploy is RESOLVED (stopped); jars copied to"
                + " deploy/ wait until it runs");
        verifyNoMoreInteractions(log);

        when(deploy.getState()).thenReturn(Bundle.ACTIVE);
        deployBundle(BundleEvent.STARTED);
        deployBundle(BundleEvent.STARTED);

        verify(log).info("hot deploy is on again: bundle {} is ACTIVE (off since {}); jars copied to deploy/ are"
                + " applied", "io.mcpagent.deploy", Instant.parse("2026-01-01T00:00:00Z"));
        verifyNoMoreInteractions(log);
        state.deactivate();
    }

    @Test
    void anUninstalledDeployBundleAndAFailedStartAreLogged() {
        HotDeployState state = new HotDeployState(context, clock, log);
        when(deploy.getState()).thenReturn(Bundle.INSTALLED);
        when(deploy.adapt(BundleRevision.class)).thenReturn(mock(BundleRevision.class));
        when(deployStartLevel.isPersistentlyStarted()).thenReturn(true);

        deployBundle(BundleEvent.STOPPED); // on a refresh's way: it is still to run
        deployBundle(BundleEvent.UNRESOLVED);
        framework(FrameworkEvent.PACKAGES_REFRESHED); // delivered late: an update may restart it meanwhile
        verifyNoInteractions(log);
        framework(FrameworkEvent.ERROR); // its start after the refresh failed

        verify(log).warn("{}", "hot deploy is off: bundle io.mcpagent.deploy is INSTALLED (not resolved: the bundles it"
                + " needs are installed but do not resolve themselves; the framework log names the requirement);"
                + " jars copied to deploy/ wait until it runs");
        verifyNoMoreInteractions(log);
        state.deactivate();

        HotDeployState another = new HotDeployState(context, clock, log);
        // an uninstallation: stopped first, no longer to run
        when(deploy.getState()).thenReturn(Bundle.RESOLVED);
        when(deployStartLevel.isPersistentlyStarted()).thenReturn(false);
        deployBundle(BundleEvent.STOPPED);
        when(framework.getBundles()).thenReturn(new Bundle[] {systemBundle, core});
        deployBundle(BundleEvent.UNINSTALLED);
        deployBundle(BundleEvent.UNINSTALLED);
        verify(log).warn("{}", "hot deploy is off: bundle io.mcpagent.deploy is RESOLVED (stopped); jars copied to"
                + " deploy/ wait until it runs");
        verify(log).warn("{}", "hot deploy is off: bundle io.mcpagent.deploy is not installed; jars copied to deploy/"
                + " wait until it runs");
        verifyNoMoreInteractions(log);
        another.deactivate();
    }

    @Test
    void theFrameworksStartAndStopAndARefreshOrUpdateThatStartsItAgainLogNothing() {
        HotDeployState state = new HotDeployState(context, clock, log);
        when(deployStartLevel.isPersistentlyStarted()).thenReturn(true);

        // an update: stopped on the way, its refresh told while it is not started again yet, then started
        when(deploy.getState()).thenReturn(Bundle.RESOLVED);
        deployBundle(BundleEvent.STOPPED);
        when(deploy.getState()).thenReturn(Bundle.INSTALLED);
        when(deploy.adapt(BundleRevision.class)).thenReturn(mock(BundleRevision.class));
        deployBundle(BundleEvent.UNRESOLVED);
        framework(FrameworkEvent.PACKAGES_REFRESHED);
        when(deploy.getState()).thenReturn(Bundle.ACTIVE);
        deployBundle(BundleEvent.STARTED);

        // an error while its start level is not reached (the framework's start)
        when(deploy.getState()).thenReturn(Bundle.RESOLVED);
        when(frameworkStartLevel.getStartLevel()).thenReturn(4);
        framework(FrameworkEvent.ERROR);

        // while the framework stops
        when(frameworkStartLevel.getStartLevel()).thenReturn(10);
        when(systemBundle.getState()).thenReturn(Bundle.STOPPING);
        deployBundle(BundleEvent.STOPPED);
        deployBundle(BundleEvent.UNINSTALLED);
        framework(FrameworkEvent.ERROR);

        verifyNoInteractions(log);
        state.deactivate();
    }

    /** Tells the bundle listener the state registered last an event of io.mcpagent.deploy. */
    private void deployBundle(int type) {
        ArgumentCaptor<BundleListener> listeners = ArgumentCaptor.forClass(BundleListener.class);
        verify(context, atLeastOnce()).addBundleListener(listeners.capture());
        listeners.getValue().bundleChanged(new BundleEvent(type, deploy));
    }

    /** Tells the framework listener the state registered last a framework event of io.mcpagent.deploy. */
    private void framework(int type) {
        ArgumentCaptor<FrameworkListener> listeners = ArgumentCaptor.forClass(FrameworkListener.class);
        verify(context, atLeastOnce()).addFrameworkListener(listeners.capture());
        listeners.getValue().frameworkEvent(new FrameworkEvent(type, deploy, null));
    }

    @Test
    void aStoppedDeployBundleIsAProblemUntilItIsActiveAgain() {
        HotDeployState state = new HotDeployState(context, clock, log);
        when(deploy.getState()).thenReturn(Bundle.RESOLVED);
        when(deployStartLevel.isPersistentlyStarted()).thenReturn(false);

        List<Problem> problems = state.problems();

        assertEquals(List.of(new Problem("deploy", "io.mcpagent.deploy", "hot deploy is off: bundle io.mcpagent.deploy"
                + " is RESOLVED (stopped); jars copied to deploy/ wait until it runs",
                Instant.parse("2026-01-01T00:00:00Z"))), problems);
        clock.advance(60_000);
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), state.problems().get(0).since(), "since stays");

        when(deploy.getState()).thenReturn(Bundle.ACTIVE);
        assertEquals(List.of(), state.problems());
    }

    @Test
    void anUnresolvedDeployBundleNamesTheRequirementNothingProvides() {
        HotDeployState state = new HotDeployState(context, clock, log);
        when(deploy.getState()).thenReturn(Bundle.INSTALLED);
        BundleRevision revision = mock(BundleRevision.class);
        when(deploy.adapt(BundleRevision.class)).thenReturn(revision);
        BundleRequirement apiImport = requirement(Map.of("filter", API_IMPORT));
        BundleRequirement optionalImport = requirement(Map.of("filter", "(osgi.wiring.package=org.slf4j)",
                "resolution", "optional"));
        BundleRequirement configAdminImport = requirement(Map.of("filter", "(osgi.wiring.package=org.osgi.service.cm)"));
        when(revision.getRequirements(null)).thenReturn(List.of(apiImport, optionalImport, configAdminImport));
        when(wiring.findProviders(apiImport)).thenReturn(List.of());
        when(wiring.findProviders(optionalImport)).thenReturn(List.of());
        when(wiring.findProviders(configAdminImport)).thenReturn(List.of(mock(BundleCapability.class)));

        assertEquals("hot deploy is off: bundle io.mcpagent.deploy is INSTALLED (unresolved requirement"
                + " package io.mcpagent.api.runtime [2.14.0,3.0.0)); jars copied to deploy/ wait until it runs",
                state.problems().get(0).message());
    }

    @Test
    void aDeployBundleThatShouldRunButIsNotStartedSaysWhetherItsStartLevelIsReached() {
        HotDeployState state = new HotDeployState(context, clock, log);
        when(deploy.getState()).thenReturn(Bundle.RESOLVED);
        when(deployStartLevel.isPersistentlyStarted()).thenReturn(true);

        assertEquals("hot deploy is off: bundle io.mcpagent.deploy is RESOLVED (its start failed; the framework log"
                + " says why); jars copied to deploy/ wait until it runs", state.problems().get(0).message());

        when(frameworkStartLevel.getStartLevel()).thenReturn(4);
        assertEquals("hot deploy is off: bundle io.mcpagent.deploy is RESOLVED (its start level 5 is not reached yet);"
                + " jars copied to deploy/ wait until it runs", state.problems().get(0).message());
    }

    @Test
    void aMissingDeployBundleIsAProblem() {
        when(framework.getBundles()).thenReturn(new Bundle[] {systemBundle, core});

        assertEquals("hot deploy is off: bundle io.mcpagent.deploy is not installed; jars copied to deploy/ wait until"
                + " it runs", new HotDeployState(context, clock, log).problems().get(0).message());
    }

    @Test
    void withoutADeployFolderNothingIsReported() {
        when(context.getProperty("mcpagent.deploy")).thenReturn(null);
        when(framework.getBundles()).thenReturn(new Bundle[] {systemBundle, core});

        assertEquals(List.of(), new HotDeployState(context, clock, log).problems());
    }

    private static BundleRequirement requirement(Map<String, String> directives) {
        BundleRequirement requirement = mock(BundleRequirement.class);
        when(requirement.getNamespace()).thenReturn("osgi.wiring.package");
        when(requirement.getDirectives()).thenReturn(directives);
        return requirement;
    }
}
