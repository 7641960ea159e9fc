package io.mcpagent.deploy.internal;

import static io.mcpagent.deploy.internal.DeploymentMonitorTest.bundle;
import static io.mcpagent.deploy.internal.DeploymentMonitorTest.jar;
import static io.mcpagent.deploy.internal.DeploymentMonitorTest.pollMillis;
import static io.mcpagent.deploy.internal.DeploymentMonitorTest.settled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.Problem;

class DeployFolderInstallerTest {
    private static final Map<String, String> ECHO_1 = Map.of("Bundle-SymbolicName", "com.example.echo",
            "Bundle-Version", "1.0.0");
    private static final Map<String, String> ECHO_2 = Map.of("Bundle-SymbolicName", "com.example.echo",
            "Bundle-Version", "2.0.0");

    @TempDir
    Path dir;
    private Path deploy;
    private final BundleContext context = mock(BundleContext.class);
    private final FrameworkWiring wiring = mock(FrameworkWiring.class);
    private final RefusedJars refusedJars = new RefusedJars();

    @BeforeEach
    void framework() throws IOException {
        deploy = Files.createDirectories(dir.resolve("deploy")).toRealPath();
        Path data = Files.createDirectories(dir.resolve("data"));
        when(context.getProperty(DeployFolder.PROPERTY)).thenReturn(deploy.toString());
        when(context.getDataFile(anyString())).thenAnswer(call -> data.resolve((String) call.getArgument(0)).toFile());
        when(context.getBundles()).thenReturn(new Bundle[0]);
        Bundle system = mock(Bundle.class);
        when(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION)).thenReturn(system);
        when(system.adapt(FrameworkWiring.class)).thenReturn(wiring);
        doAnswer(call -> {
            ((FrameworkListener) call.getArgument(1)).frameworkEvent(
                    new FrameworkEvent(FrameworkEvent.PACKAGES_REFRESHED, system, null));
            return null;
        }).when(wiring).refreshBundles(any(), any(FrameworkListener[].class));
    }

    @Test
    void aCorruptCopyOverADeployedJarLeavesItsBundleRunningAndAValidOneLaterUpdatesIt() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = deployed(jar);
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());
        corrupt(jar);

        // FileInstall uninstalls the bundle of a jar that the installer which took it can no longer handle
        assertTrue(installer.canHandle(jar.toFile()));
        installer.update(jar.toFile());
        verify(echo, never()).uninstall();
        verify(echo, never()).update(any());
        verify(echo, never()).stop(anyInt());
        verify(echo, never()).stop();

        jar(deploy, "echo.jar", ECHO_2);
        installer.update(jar.toFile());
        verify(echo).update(any(InputStream.class));
        verify(wiring).refreshBundles(eq(List.of(echo)), any(FrameworkListener[].class));
        verify(echo, never()).uninstall();
    }

    /**
     * A running bundle is stopped for its update and started once, after the refresh, on its new revision: updated
     * running, it restarted at once and again with the refresh, so that its plugins were removed and added twice and a
     * component being activated by the first start failed. A refused copy leaves the old revision running.
     */
    @Test
    void aRunningBundleIsStoppedForItsUpdateAndStartedOnceAfterTheRefresh() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = deployed(jar);
        when(echo.getState()).thenReturn(Bundle.ACTIVE);
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());

        jar(deploy, "echo.jar", ECHO_2);
        installer.update(jar.toFile());
        InOrder order = inOrder(echo, wiring);
        order.verify(echo).stop(Bundle.STOP_TRANSIENT);
        order.verify(echo).update(any(InputStream.class));
        order.verify(wiring).refreshBundles(eq(List.of(echo)), any(FrameworkListener[].class));
        order.verify(echo).start();
        verify(echo).start();

        doThrow(new BundleException("Duplicate import: io.mcpagent.api.workflow")).when(echo)
                .update(any(InputStream.class));
        jar(deploy, "echo.jar", Map.of("Bundle-SymbolicName", "com.example.echo", "Bundle-Version", "3.0.0"));
        installer.update(jar.toFile());
        verify(echo, times(2)).stop(Bundle.STOP_TRANSIENT);
        verify(echo, times(2)).start();
        verify(wiring).refreshBundles(any(), any(FrameworkListener[].class));
    }

    /**
     * DeploymentMonitor does not take a bundle the redeploy leaves unresolved for a problem while the change is under
     * way: from before the update until after the start that follows the refresh, and for the removal of a jar.
     */
    @Test
    void aChangeIsUnderWayFromTheUpdateOfItsBundleUntilItsStartAfterTheRefresh() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = deployed(jar);
        when(echo.getState()).thenReturn(Bundle.ACTIVE);
        DeployChanges changes = new DeployChanges();
        List<OptionalLong> seen = new ArrayList<>();
        doAnswer(call -> seen.add(changes.applied())).when(echo).update(any(InputStream.class));
        doAnswer(call -> seen.add(changes.applied())).when(echo).start();
        doAnswer(call -> seen.add(changes.applied())).when(echo).uninstall();
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, changes);
        assertEquals(OptionalLong.of(0), changes.applied());

        jar(deploy, "echo.jar", ECHO_2);
        installer.update(jar.toFile());
        assertEquals(OptionalLong.of(1), changes.applied());
        Files.delete(jar);
        installer.uninstall(jar.toFile());
        assertEquals(List.of(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()), seen);
        assertEquals(OptionalLong.of(2), changes.applied());
    }

    /**
     * A bundle stopped by hand stays stopped through the update of its jar, but is resolved again: left installed after
     * the refresh, DeploymentMonitor reported it as 'installed but not resolved: the bundles it needs exist but cannot
     * resolve themselves'.
     */
    @Test
    void aBundleStoppedByHandIsUpdatedAndResolvedButNotStarted() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = deployed(jar);
        when(echo.getState()).thenReturn(Bundle.RESOLVED);
        when(echo.adapt(BundleStartLevel.class)).thenReturn(mock(BundleStartLevel.class)); // not to run

        jar(deploy, "echo.jar", ECHO_2);
        new DeployFolderInstaller(context, refusedJars, new DeployChanges()).update(jar.toFile());
        InOrder order = inOrder(echo, wiring);
        order.verify(echo).update(any(InputStream.class));
        order.verify(wiring).refreshBundles(eq(List.of(echo)), any(FrameworkListener[].class));
        order.verify(wiring).resolveBundles(List.of(echo));
        verify(echo, never()).stop(anyInt());
        verify(echo, never()).start();
    }

    @Test
    void aValidLookingCopyTheFrameworkRefusesIsReportedWithItsReasonUntilItUpdatesTheBundle() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = deployed(jar);
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());
        DeploymentMonitor monitor = monitor();
        // the symbolic name and version of another installed bundle
        jar(deploy, "echo.jar", Map.of("Bundle-SymbolicName", "com.example.tool", "Bundle-Version", "1.0.0"));
        settled(jar);
        doThrow(new BundleException("Bundle symbolic name and version are not unique: com.example.tool:1.0.0"))
                .when(echo).update(any(InputStream.class));

        installer.update(jar.toFile());
        monitor.check();
        assertEquals(List.of("deploy/echo.jar: not applied, the bundle com.example.echo 1.0.0 installed from this jar"
                + " earlier keeps running: the framework refused bundle com.example.tool 1.0.0 of this jar: Bundle"
                + " symbolic name and version are not unique: com.example.tool:1.0.0. Replace it with a copy the"
                + " framework accepts or remove it from deploy/"), texts(monitor.problems()));

        // the same copy handed over again is accepted now that the bundle in its way is gone: the report ends
        doNothing().when(echo).update(any(InputStream.class));
        installer.update(jar.toFile());
        monitor.check();
        assertEquals(List.of(), monitor.problems());
    }

    @Test
    void aValidLookingJarTheFrameworkRefusesToInstallIsReportedWithItsReasonUntilItChanges() throws Exception {
        Path jar = jar(deploy, "twice.jar", Map.of("Bundle-SymbolicName", "com.example.twice",
                "Import-Package", "org.osgi.framework,org.osgi.framework"));
        settled(jar);
        when(context.installBundle(eq(DeployFolderInstaller.location(jar)), any(InputStream.class)))
                .thenThrow(new BundleException("Duplicate import: org.osgi.framework"));
        DeploymentMonitor monitor = monitor();

        new DeployFolderInstaller(context, refusedJars, new DeployChanges()).install(jar.toFile());
        monitor.check();
        assertEquals(List.of("deploy/twice.jar: the framework refused bundle com.example.twice 0.0.0 of this jar:"
                + " Duplicate import: org.osgi.framework. Replace it with a copy the framework accepts or remove it"
                + " from deploy/"), texts(monitor.problems()));

        // a message of Felix's own with its full stop: one, not two
        refusedJars.refused(jar, new BundleException("Exported package names cannot be zero length."));
        assertTrue(refusedJars.reason(jar).orElseThrow().contains("cannot be zero length. Replace it"),
                refusedJars.reason(jar).orElseThrow());

        // a new copy not applied yet is not the copy refused
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 1000));
        monitor.check();
        assertEquals(List.of("deploy/twice.jar: bundle com.example.twice 0.0.0 is not installed; see"
                + " data/log/mcp-agent.log for the reason"), texts(monitor.problems()));
    }

    @Test
    void aJarRefusedAsADuplicateIsHandedBackToFileInstallOnceABundleIsUninstalledAndThenInstalls() throws Exception {
        Path first = jar(deploy, "echo.jar", ECHO_1);
        Bundle fromFirst = deployed(first);
        Path copy = jar(deploy, "echo-copy.jar", ECHO_1);
        settled(copy);
        FileTime refusedCopy = Files.getLastModifiedTime(copy);
        // both copies were new in one scan: DuplicateBundleGuard saw no bundle of them yet, the framework did
        when(context.installBundle(eq(DeployFolderInstaller.location(copy)), any(InputStream.class)))
                .thenThrow(new BundleException("Bundle symbolic name and version are not unique: com.example.echo:1.0.0",
                        BundleException.DUPLICATE_BUNDLE_ERROR));
        Path twice = jar(deploy, "twice.jar", Map.of("Bundle-SymbolicName", "com.example.twice",
                "Import-Package", "org.osgi.framework,org.osgi.framework"));
        settled(twice);
        FileTime refusedTwice = Files.getLastModifiedTime(twice);
        when(context.installBundle(eq(DeployFolderInstaller.location(twice)), any(InputStream.class)))
                .thenThrow(new BundleException("Duplicate import: org.osgi.framework"));
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());
        installer.install(copy.toFile());
        installer.install(twice.toFile());
        assertTrue(refusedJars.reason(copy).isPresent());
        assertTrue(refusedJars.reason(twice).isPresent());

        installer.bundleChanged(new BundleEvent(BundleEvent.STARTED, fromFirst));
        assertEquals(refusedCopy, Files.getLastModifiedTime(copy), "a bundle started frees no jar");

        // FileInstall asks again about a jar only when its time stamp or size changes
        when(context.getBundles()).thenReturn(new Bundle[0]);
        installer.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, fromFirst));
        assertTrue(Files.getLastModifiedTime(copy).compareTo(refusedCopy) > 0, "the refused jar is marked changed");
        assertTrue(refusedJars.reason(copy).isPresent(), "reported as refused until FileInstall tries it again");
        assertEquals(refusedTwice, Files.getLastModifiedTime(twice), "no other bundle is in the way of this one");

        // what FileInstall does at its next scan: the jar installs now
        Bundle fromCopy = bundle("com.example.echo", "1.0.0", DeployFolderInstaller.location(copy));
        doReturn(fromCopy).when(context).installBundle(eq(DeployFolderInstaller.location(copy)),
                any(InputStream.class));
        installer.update(copy.toFile());
        verify(fromCopy).start();
        assertTrue(refusedJars.reason(copy).isEmpty());
    }

    @Test
    void aJarStillBeingCopiedIsInstalledOnlyOnceItIsComplete() throws Exception {
        Path jar = jar(dir, "source.jar", ECHO_1);
        byte[] whole = Files.readAllBytes(jar);
        Path copy = Files.write(deploy.resolve("echo.jar"), Arrays.copyOf(whole, whole.length / 2));
        Bundle echo = bundle("com.example.echo", "1.0.0", DeployFolderInstaller.location(copy));
        when(context.installBundle(eq(DeployFolderInstaller.location(copy)), any(InputStream.class))).thenReturn(echo);
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());

        assertTrue(installer.canHandle(copy.toFile()));
        installer.install(copy.toFile());
        verify(context, never()).installBundle(anyString(), any(InputStream.class));

        Files.write(copy, whole);
        installer.update(copy.toFile());
        verify(context).installBundle(eq("file:" + copy), any(InputStream.class));
        verify(echo).start();
    }

    @Test
    void deletingAJarUninstallsTheBundleInstalledFromItInAnEarlierRunToo() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = deployed(jar);
        Files.delete(jar);
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());

        assertTrue(installer.canHandle(jar.toFile()), "FileInstall asks about a deleted jar whose installer it forgot");
        installer.uninstall(jar.toFile());
        verify(echo).uninstall();
        verify(wiring).refreshBundles(eq(List.of(echo)), any(FrameworkListener[].class));
    }

    /**
     * A copy that installs but cannot resolve does not take away the bundle that works: the bundle is updated back from
     * the copy kept of the jar it resolved from and runs on, and the jar is reported with what its bundle misses until
     * it changes. Without the rollback the bundle was left unresolved and its plugins were gone until a working copy
     * came. The kept copy goes with the bundle.
     */
    @Test
    void aCopyThatCannotResolveIsRolledBackToTheJarItsBundleResolvedFromAndReported() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        byte[] working = Files.readAllBytes(jar);
        RunningBundle running = runningBundleOf(jar);
        Bundle echo = running.bundle();
        DeployFolderInstaller installer = running.installer();
        List<byte[]> updatedFrom = running.updatedFrom();
        BundleRevision revision = mock(BundleRevision.class);
        when(echo.adapt(BundleRevision.class)).thenReturn(revision);
        Requirement missing = mock(Requirement.class);
        when(missing.getNamespace()).thenReturn("osgi.wiring.package");
        when(missing.getDirectives()).thenReturn(Map.of("filter", "(osgi.wiring.package=com.example.missing)"));
        when(revision.getRequirements(null)).thenReturn(List.of(missing));
        when(wiring.resolveBundles(List.of(echo))).thenReturn(false, true);
        DeploymentMonitor monitor = monitor();

        jar(deploy, "echo.jar", Map.of("Bundle-SymbolicName", "com.example.echo", "Bundle-Version", "2.0.0",
                "Import-Package", "com.example.missing"));
        settled(jar);
        installer.update(jar.toFile());
        assertEquals(2, updatedFrom.size());
        assertArrayEquals(Files.readAllBytes(jar), updatedFrom.get(0));
        assertArrayEquals(working, updatedFrom.get(1), "updated back from the jar it resolved from");
        InOrder order = inOrder(echo, wiring);
        order.verify(echo).stop(Bundle.STOP_TRANSIENT);
        order.verify(echo).update(any(InputStream.class));
        order.verify(wiring).refreshBundles(eq(List.of(echo)), any(FrameworkListener[].class));
        order.verify(echo).update(any(InputStream.class));
        order.verify(wiring).refreshBundles(eq(List.of(echo)), any(FrameworkListener[].class));
        order.verify(echo).start();
        monitor.check();
        assertEquals(List.of("deploy/echo.jar: not applied, the bundle com.example.echo 1.0.0 installed from this jar"
                + " earlier keeps running: bundle com.example.echo 2.0.0 of this jar cannot resolve: missing"
                + " requirement package com.example.missing, so it was rolled back."
                + " Replace it with a copy that resolves or remove it from deploy/"),
                texts(monitor.problems()));

        // a copy that resolves is applied, and kept for the next rollback
        when(wiring.resolveBundles(List.of(echo))).thenReturn(true);
        jar(deploy, "echo.jar", ECHO_2);
        settled(jar);
        installer.update(jar.toFile());
        monitor.check();
        assertEquals(List.of(), monitor.problems());
        assertEquals(3, updatedFrom.size());
        Path kept = keptCopy(echo);
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(kept));

        Files.delete(jar);
        installer.uninstall(jar.toFile());
        assertFalse(Files.exists(kept));
    }

    /**
     * A jar written over in the moment after its bundle was installed from it (a bad copy a second after a good one)
     * kept no copy to roll back to: the jar was read again to keep one and held the bad copy by then, so the bad copy
     * was applied when its turn came and the plugin was gone. The jar is read once; what was installed is kept.
     */
    @Test
    void aCopyWrittenOverAJarAsItsBundleIsInstalledIsRolledBackToWhatWasInstalled() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        byte[] working = Files.readAllBytes(jar);
        // written over as the framework installs the first copy
        RunningBundle running = runningBundleOf(jar, () -> jar(deploy, "echo.jar", Map.of("Bundle-SymbolicName",
                "com.example.echo", "Bundle-Version", "2.0.0", "Import-Package", "com.example.missing")));
        Bundle echo = running.bundle();
        assertArrayEquals(working, running.installedFrom().get(0));
        Path kept = keptCopy(echo);
        assertArrayEquals(working, Files.readAllBytes(kept), "what was installed is kept");

        when(wiring.resolveBundles(List.of(echo))).thenReturn(false, true);
        settled(jar);
        running.installer().update(jar.toFile());
        assertEquals(2, running.updatedFrom().size());
        assertArrayEquals(working, running.updatedFrom().get(1), "rolled back to the copy installed");
        assertFalse(Files.exists(kept.resolveSibling("staged.jar")), "the copy read is not left behind");
    }

    /**
     * A copy that resolves but whose activator fails would take the running bundle away as surely: it is rolled back
     * to the jar the bundle ran from, which starts again, and the jar is reported with the activator's failure.
     */
    @Test
    void aCopyWhoseActivatorFailsIsRolledBackToTheJarItsBundleRanFromAndReported() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        byte[] working = Files.readAllBytes(jar);
        RunningBundle running = runningBundleOf(jar);
        Bundle echo = running.bundle();
        DeployFolderInstaller installer = running.installer();
        List<byte[]> updatedFrom = running.updatedFrom();
        when(wiring.resolveBundles(List.of(echo))).thenReturn(true);
        doThrow(new BundleException("Activator start error in bundle com.example.echo [7].",
                BundleException.ACTIVATOR_ERROR, new IllegalStateException("no license key"))).doNothing()
                .when(echo).start();
        DeploymentMonitor monitor = monitor();

        jar(deploy, "echo.jar", ECHO_2);
        settled(jar);
        installer.update(jar.toFile());

        assertEquals(2, updatedFrom.size());
        assertArrayEquals(working, updatedFrom.get(1), "updated back from the jar it ran from");
        InOrder order = inOrder(echo, wiring);
        order.verify(echo).stop(Bundle.STOP_TRANSIENT);
        order.verify(echo).update(any(InputStream.class));
        order.verify(echo).start();
        order.verify(echo).update(any(InputStream.class));
        order.verify(echo).start();
        monitor.check();
        assertEquals(List.of("deploy/echo.jar: not applied, the bundle com.example.echo 1.0.0 installed from this jar"
                + " earlier keeps running: bundle com.example.echo 2.0.0 of this jar did not start: Activator start"
                + " error in bundle com.example.echo [7]. (java.lang.IllegalStateException: no license key), so it was"
                + " rolled back. Replace it with a copy that starts or remove it from deploy/"),
                texts(monitor.problems()));
        Path kept = keptCopy(echo);
        assertArrayEquals(working, Files.readAllBytes(kept), "the copy it ran from is kept for the next rollback");
    }

    /**
     * A copy that starts but whose component throws in its activate method: DS activates a delayed component only when
     * its service is first obtained, after the start, so the plugin was gone and nothing rolled back. Its services are
     * obtained once DS has registered them (on a thread of its own, after the start), the failure DS recorded is
     * reported, and the bundle is rolled back.
     */
    @Test
    void aCopyWhoseComponentFailsToActivateIsRolledBackAndReportedWithDssFailure() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        byte[] working = Files.readAllBytes(jar);
        RunningBundle running = runningBundleOf(jar);
        Bundle echo = running.bundle();
        when(wiring.resolveBundles(List.of(echo))).thenReturn(true);
        ServiceReference<?> pattern = mock(ServiceReference.class);
        when(pattern.getProperty("component.name")).thenReturn("com.example.echo.EchoPattern");
        when(pattern.getProperty("component.id")).thenReturn(12L);
        when(pattern.getBundle()).thenReturn(echo);
        // the copy's service cannot be obtained; DS registers it on a thread of its own, so a moment after the start
        when(echo.getRegisteredServices()).thenReturn(null, null, new ServiceReference<?>[] {pattern});
        doReturn(null).when(context).getService(pattern);
        ServiceComponentRuntime runtime = mock(ServiceComponentRuntime.class);
        @SuppressWarnings("unchecked")
        ServiceReference<ServiceComponentRuntime> runtimeReference = mock(ServiceReference.class);
        when(context.getServiceReference(ServiceComponentRuntime.class)).thenReturn(runtimeReference);
        when(context.getService(runtimeReference)).thenReturn(runtime);
        when(echo.getHeaders()).thenReturn(new Hashtable<>(Map.of("Service-Component", "OSGI-INF/echo.xml")));
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.serviceInterfaces = new String[] {"io.mcpagent.api.workflow.WorkflowPattern"};
        when(runtime.isComponentEnabled(description)).thenReturn(true);
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.id = 12L;
        configuration.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
        // as Felix SCR records it: the activate method's exception wrapped in an InvocationTargetException
        configuration.failure = "java.lang.reflect.InvocationTargetException\n\tat java.base/jdk.internal.reflect"
                + ".DirectConstructorHandleAccessor.newInstance(Unknown Source)\n"
                + "Caused by: java.lang.IllegalStateException: no licence key\n"
                + "\tat com.example.echo.EchoPattern.activate(EchoPattern.java:12)\n";
        when(runtime.getComponentDescriptionDTOs(echo)).thenReturn(List.of(description));
        when(runtime.getComponentConfigurationDTOs(description)).thenReturn(List.of(configuration));
        DeploymentMonitor monitor = monitor();

        jar(deploy, "echo.jar", ECHO_2);
        settled(jar);
        running.installer().update(jar.toFile());

        assertEquals(2, running.updatedFrom().size());
        assertArrayEquals(working, running.updatedFrom().get(1), "updated back from the jar it ran from");
        verify(context).ungetService(runtimeReference); // taken once, to wait for DS and to tell the failure
        monitor.check();
        assertEquals(List.of("deploy/echo.jar: not applied, the bundle com.example.echo 1.0.0 installed from this jar"
                + " earlier keeps running: bundle com.example.echo 2.0.0 of this jar started, but its component"
                + " com.example.echo.EchoPattern failed to activate: java.lang.IllegalStateException: no licence key,"
                + " so it was rolled back. Replace it with a copy that starts and whose components activate or remove"
                + " it from deploy/"), texts(monitor.problems()));
    }

    /** A copy whose services can be obtained stays, and each service obtained to tell is released. */
    @Test
    void aCopyWhoseComponentsActivateStaysAndTheirServicesAreReleased() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        RunningBundle running = runningBundleOf(jar);
        Bundle echo = running.bundle();
        when(wiring.resolveBundles(List.of(echo))).thenReturn(true);
        ServiceReference<?> pattern = mock(ServiceReference.class);
        when(echo.getHeaders()).thenReturn(new Hashtable<>(Map.of("Service-Component", "OSGI-INF/echo.xml")));
        when(echo.getRegisteredServices()).thenReturn(new ServiceReference<?>[] {pattern});
        doReturn(new Object()).when(context).getService(pattern);

        jar(deploy, "echo.jar", ECHO_2);
        settled(jar);
        running.installer().update(jar.toFile());

        assertEquals(1, running.updatedFrom().size(), "not rolled back");
        verify(context, timeout(5_000)).ungetService(pattern);
        assertTrue(monitor().problems().isEmpty());
    }

    /** A deployed bundle that runs, the installer that installed it, and the content of each jar it is updated from. */
    private record RunningBundle(Bundle bundle, DeployFolderInstaller installer, List<byte[]> installedFrom,
                                 List<byte[]> updatedFrom) {
    }

    /** Something that happens while the framework installs a bundle. */
    @FunctionalInterface
    private interface WhileInstalling {
        void run() throws Exception;
    }

    private RunningBundle runningBundleOf(Path jar) throws Exception {
        return runningBundleOf(jar, () -> { });
    }

    /** The bundle of {@code jar}, installed and running; {@code whileInstalling} runs as the framework reads it. */
    private RunningBundle runningBundleOf(Path jar, WhileInstalling whileInstalling) throws Exception {
        Bundle bundle = bundle("com.example.echo", "1.0.0", DeployFolderInstaller.location(jar));
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        List<byte[]> installedFrom = new ArrayList<>();
        String location = DeployFolderInstaller.location(jar);
        when(context.installBundle(eq(location), any(InputStream.class))).thenAnswer(call -> {
            installedFrom.add(((InputStream) call.getArgument(1)).readAllBytes());
            whileInstalling.run();
            return bundle;
        });
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());
        installer.install(jar.toFile());
        when(context.getBundles()).thenReturn(new Bundle[] {bundle});
        List<byte[]> updatedFrom = new ArrayList<>();
        doAnswer(call -> updatedFrom.add(((InputStream) call.getArgument(0)).readAllBytes())).when(bundle)
                .update(any(InputStream.class));
        return new RunningBundle(bundle, installer, installedFrom, updatedFrom);
    }

    /** Where the installer keeps the copy of the jar {@code bundle} resolved from. */
    private Path keptCopy(Bundle bundle) {
        return dir.resolve("data").resolve(DeployFolderInstaller.KEPT_JARS).resolve(bundle.getBundleId() + ".jar");
    }

    /** A bundle installed before copies were kept gets one once its jar is seen unchanged (after a restart). */
    @Test
    void aJarUnchangedSinceItsBundleWasInstalledDoesNotUpdateItAfterARestart() throws Exception {
        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = bundle("com.example.echo", "1.0.0", DeployFolderInstaller.location(jar));
        when(context.installBundle(eq(DeployFolderInstaller.location(jar)), any(InputStream.class))).thenReturn(echo);
        new DeployFolderInstaller(context, refusedJars, new DeployChanges()).install(jar.toFile());
        when(context.getBundles()).thenReturn(new Bundle[] {echo});

        Path kept = keptCopy(echo);
        assertFalse(Files.exists(kept), "kept only for a bundle that resolved");

        // FileInstall keeps no checksum of a jar another installer installed: after a restart it reports it changed
        when(echo.getState()).thenReturn(Bundle.RESOLVED);
        new DeployFolderInstaller(context, refusedJars, new DeployChanges()).update(jar.toFile());
        verify(echo, never()).update(any());
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(kept));
    }

    @Test
    void startsADeployedBundleThatIsToRunOnceAnotherJarIsApplied() throws Exception {
        Bundle waiting = deployed(jar(deploy, "needs-more.jar", Map.of("Bundle-SymbolicName", "com.example.needs")));
        when(waiting.getState()).thenReturn(Bundle.INSTALLED);
        BundleStartLevel toRun = mock(BundleStartLevel.class);
        when(toRun.isPersistentlyStarted()).thenReturn(true);
        when(waiting.adapt(BundleStartLevel.class)).thenReturn(toRun);
        Bundle stoppedByHand = deployed(jar(deploy, "stopped.jar", Map.of("Bundle-SymbolicName", "com.example.off")));
        when(stoppedByHand.getState()).thenReturn(Bundle.RESOLVED);
        when(stoppedByHand.adapt(BundleStartLevel.class)).thenReturn(mock(BundleStartLevel.class));
        when(context.getBundles()).thenReturn(new Bundle[] {waiting, stoppedByHand});
        Path provider = jar(deploy, "provider.jar", ECHO_1);
        Bundle fromProvider = bundle("com.example.echo", "1.0.0", DeployFolderInstaller.location(provider));
        when(context.installBundle(eq(DeployFolderInstaller.location(provider)), any(InputStream.class)))
                .thenReturn(fromProvider);

        new DeployFolderInstaller(context, refusedJars, new DeployChanges()).install(provider.toFile());
        verify(waiting).start();
        verify(stoppedByHand, never()).start();
    }

    @Test
    void aDeployedFragmentIsNotStartedButItsHostIsRefreshedForItToAttach() throws Exception {
        Bundle host = deployed(jar(deploy, "host.jar", ECHO_1));
        Path jar = jar(deploy, "fragment.jar", Map.of("Bundle-SymbolicName", "com.example.echo.texts",
                "Fragment-Host", "com.example.echo"));
        Bundle fragment = bundle("com.example.echo.texts", "0.0.0", DeployFolderInstaller.location(jar));
        BundleRevision revision = mock(BundleRevision.class);
        when(fragment.adapt(BundleRevision.class)).thenReturn(revision);
        when(revision.getTypes()).thenReturn(BundleRevision.TYPE_FRAGMENT);
        Requirement toHost = mock(Requirement.class);
        when(revision.getRequirements(HostNamespace.HOST_NAMESPACE)).thenReturn(List.of(toHost));
        BundleCapability hostCapability = mock(BundleCapability.class);
        BundleRevision hostRevision = mock(BundleRevision.class);
        when(hostCapability.getRevision()).thenReturn(hostRevision);
        when(hostRevision.getBundle()).thenReturn(host);
        when(wiring.findProviders(toHost)).thenReturn(List.of(hostCapability));
        when(context.installBundle(eq(DeployFolderInstaller.location(jar)), any(InputStream.class)))
                .thenReturn(fragment);

        new DeployFolderInstaller(context, refusedJars, new DeployChanges()).install(jar.toFile());
        verify(fragment, never()).start();
        verify(wiring).refreshBundles(eq(Set.of(host)), any(FrameworkListener[].class));
    }

    @Test
    void leavesJarsOutsideTheDeployFolderToFileInstall() throws Exception {
        File elsewhere = jar(dir, "echo.jar", ECHO_1).toFile();
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());
        assertFalse(installer.canHandle(elsewhere));
        assertFalse(installer.canHandle(Files.writeString(deploy.resolve("a.cfg.json"), "{}").toFile()));

        BundleContext noDeployFolder = mock(BundleContext.class);
        assertFalse(new DeployFolderInstaller(noDeployFolder, refusedJars, new DeployChanges())
                .canHandle(deploy.resolve("echo.jar").toFile()));
    }

    /** A deployment monitor of the same framework and refusals that checks only when the test says so. */
    /**
     * A jar exporting a package of the platform's own API took it over: the framework wired the plugin updated after
     * it (and rolled back) to the jar's empty copy of {@code io.mcpagent.api.workflow} 1.99, its pattern went while
     * the report said the old bundle kept running, and it came back only once the jar was deleted. Such a jar is not
     * installed, nor is a copy written over a deployed jar applied; both are reported naming the package.
     */
    @Test
    void aJarExportingAPackageOfThePlatformIsNotInstalledNorAppliedOverADeployedOne() throws Exception {
        Bundle api = bundle("io.mcpagent.api", "1.4.0", dir.resolve("system/api.jar").toUri()
                .toString());
        BundleRevision revision = mock(BundleRevision.class);
        BundleCapability workflow = mock(BundleCapability.class);
        when(workflow.getAttributes())
                .thenReturn(Map.of(PackageNamespace.PACKAGE_NAMESPACE, "io.mcpagent.api.workflow"));
        when(revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)).thenReturn(List.of(workflow));
        when(api.adapt(BundleRevision.class)).thenReturn(revision);
        when(context.getBundles()).thenReturn(new Bundle[] {api});
        Path fake = jar(deploy, "fakeapi.jar", Map.of("Bundle-SymbolicName", "org.example.fakeapi",
                "Export-Package", "org.example.own;version=\"1.0\",io.mcpagent.api.workflow;version=\"1.99.0\""));
        settled(fake);
        DeployFolderInstaller installer = new DeployFolderInstaller(context, refusedJars, new DeployChanges());
        DeploymentMonitor monitor = monitor();

        installer.install(fake.toFile());
        monitor.check();

        verify(context, never()).installBundle(anyString(), any(InputStream.class));
        String why = "not installable: it exports the package io.mcpagent.api.workflow, which the platform's bundle"
                + " io.mcpagent.api 1.4.0 exports: bundles resolving after it would be wired to this jar's copy, and"
                + " the platform's plugins would stop. Import the package instead (build against the platform's"
                + " bundle, not a copy of it) or remove it from deploy/";
        assertEquals(List.of("deploy/fakeapi.jar: " + why), texts(monitor.problems()));

        Path jar = jar(deploy, "echo.jar", ECHO_1);
        Bundle echo = deployed(jar);
        Map<String, String> exporting = new HashMap<>(ECHO_2);
        exporting.put("Export-Package", "io.mcpagent.api.workflow");
        jar(deploy, "echo.jar", exporting);
        settled(jar);
        installer.update(jar.toFile());
        monitor.check();
        verify(echo, never()).update(any(InputStream.class));
        assertTrue(texts(monitor.problems()).contains("deploy/echo.jar: not applied, the bundle com.example.echo 1.0.0"
                + " installed from this jar earlier keeps running: " + why), texts(monitor.problems()).toString());

        // a deployed bundle exporting it is no platform bundle: another jar may export what that one does
        Files.delete(fake);
        when(echo.adapt(BundleRevision.class)).thenReturn(revision);
        when(context.getBundles()).thenReturn(new Bundle[] {echo});
        Path other = jar(deploy, "other.jar", Map.of("Bundle-SymbolicName", "org.example.other",
                "Export-Package", "io.mcpagent.api.workflow"));
        Bundle installed = bundle("org.example.other", "0.0.0", DeployFolderInstaller.location(other));
        when(context.installBundle(eq(DeployFolderInstaller.location(other)), any(InputStream.class)))
                .thenReturn(installed);
        installer.install(other.toFile());
        verify(context).installBundle(eq(DeployFolderInstaller.location(other)), any(InputStream.class));
    }

    @Test
    void thePackageNamesOfAHeaderAreTheClausesNamesOutsideQuotedValues() {
        assertEquals(List.of("a.b", "c.d", "e.f", "g.h"), DeployedJars.packageNames(
                "a.b;c.d;version=\"[1,2)\";uses:=\"x.y,z.w\", e.f ,g.h;mandatory:=\"a;b\""));
        assertEquals(List.of(), DeployedJars.packageNames(null));
        assertEquals(List.of(), DeployedJars.packageNames(";;;version=\"1\""));
    }

    private DeploymentMonitor monitor() {
        return new DeploymentMonitor(context, pollMillis(1000), refusedJars, new DeployChanges(),
                mock(ScheduledExecutorService.class));
    }

    private static List<String> texts(List<Problem> problems) {
        return problems.stream().map(problem -> problem.subject() + ": " + problem.message()).toList();
    }

    /** A bundle installed from that jar, and the installed bundles being just it and those before. */
    private Bundle deployed(Path jar) {
        Bundle bundle = bundle(DeployedJars.identity(jar).split(" ")[0], DeployedJars.identity(jar).split(" ")[1],
                DeployFolderInstaller.location(jar));
        Bundle[] before = context.getBundles();
        Bundle[] now = Arrays.copyOf(before, before.length + 1);
        now[before.length] = bundle;
        when(context.getBundles()).thenReturn(now);
        return bundle;
    }

    /** What an operator writes over a jar by mistake. */
    private static void corrupt(Path jar) throws IOException {
        Files.writeString(jar, "PK\u0003\u0004 this is not a zip archive");
    }
}
