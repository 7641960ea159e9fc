package io.mcpagent.deploy.internal;

import static io.mcpagent.deploy.internal.DeploymentMonitorTest.bundle;
import static io.mcpagent.deploy.internal.DeploymentMonitorTest.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;

class DuplicateBundleGuardTest {
    private static final Map<String, String> ASM = Map.of("Bundle-SymbolicName", "org.objectweb.asm",
            "Bundle-Version", "9.11.1");

    @TempDir
    Path dir;

    private final Bundle platform = bundle("org.objectweb.asm", "9.11.1", "file:system/asm-9.11.1.jar");
    private final BundleContext context = mock(BundleContext.class);
    private final DuplicateBundleGuard guard = new DuplicateBundleGuard(context);

    @Test
    void claimsAJarOfABundleInstalledFromElsewhereAndTouchesNoBundle() throws Exception {
        when(context.getBundles()).thenReturn(new Bundle[] {platform});
        File copy = jar(dir, "asm-9.11.1.jar", ASM).toFile();

        assertTrue(guard.canHandle(copy));
        guard.install(copy);
        guard.update(copy);
        Files.delete(copy.toPath());
        guard.uninstall(copy);

        verify(platform, never()).uninstall();
        verify(platform, never()).update(any());
        verify(platform, never()).stop(anyInt());
    }

    @Test
    void handsAJarLeftAloneToFileInstallOnceTheBundleItDuplicatedIsUninstalled() throws Exception {
        Path first = jar(dir, "asm.jar", ASM);
        Bundle fromFirst = bundle("org.objectweb.asm", "9.11.1", first.toUri().toString());
        Bundle unrelated = bundle("com.example.other", "1.0.0", "file:system/other.jar");
        when(context.getBundles()).thenReturn(new Bundle[] {fromFirst, unrelated});
        File copy = longUnchanged(jar(dir, "asm-copy.jar", ASM)).toFile();
        FileTime leftAlone = Files.getLastModifiedTime(copy.toPath());

        assertTrue(guard.canHandle(copy));
        guard.install(copy);
        when(context.getBundles()).thenReturn(new Bundle[] {fromFirst});
        guard.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, unrelated));
        assertEquals(leftAlone, Files.getLastModifiedTime(copy.toPath()), "still a duplicate: left as it is");

        Files.delete(first);
        when(context.getBundles()).thenReturn(new Bundle[0]);
        guard.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, fromFirst));
        FileTime handedBack = Files.getLastModifiedTime(copy.toPath());
        assertTrue(handedBack.compareTo(leftAlone) > 0, "FileInstall must see the jar changed to ask about it again");

        // FileInstall asks again, takes the jar from the guard, and installs it only when it sees it change again
        assertFalse(guard.canHandle(copy));
        guard.uninstall(copy);
        assertTrue(Files.getLastModifiedTime(copy.toPath()).compareTo(handedBack) > 0,
                "FileInstall must see the jar changed once more to install it");
        verify(fromFirst, never()).uninstall();
    }

    @Test
    void handsBackOneOfSeveralCopiesAtATimeSoThatNoneReplacesTheBundleOfAnother() throws Exception {
        Bundle platform = bundle("org.objectweb.asm", "9.11.1", "file:system/asm-9.11.1.jar");
        when(context.getBundles()).thenReturn(new Bundle[] {platform});
        Path a = longUnchanged(jar(dir, "a.jar", ASM));
        Path b = longUnchanged(jar(dir, "b.jar", ASM));
        guard.install(b.toFile());
        guard.install(a.toFile());
        FileTime bLeftAlone = Files.getLastModifiedTime(b);

        when(context.getBundles()).thenReturn(new Bundle[0]);
        guard.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, platform));
        guard.uninstall(a.toFile());
        guard.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, bundle("com.example.other", "1.0.0", "x")));
        assertEquals(bLeftAlone, Files.getLastModifiedTime(b), "b.jar waits while a.jar is being installed");

        Bundle fromA = bundle("org.objectweb.asm", "9.11.1", a.toUri().toString());
        when(context.getBundles()).thenReturn(new Bundle[] {fromA});
        guard.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, bundle("com.example.other", "1.0.0", "x")));
        assertEquals(bLeftAlone, Files.getLastModifiedTime(b), "b.jar is a duplicate of a.jar's bundle");

        Files.delete(a);
        when(context.getBundles()).thenReturn(new Bundle[0]);
        guard.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, fromA));
        assertTrue(Files.getLastModifiedTime(b).compareTo(bLeftAlone) > 0, "b.jar is handed back once a.jar's goes");
    }

    @Test
    void handsAJarLeftAloneToFileInstallOnceTheBundleItDuplicatedIsUpdatedToAnotherVersion() throws Exception {
        Bundle deployed = bundle("org.objectweb.asm", "9.11.1", "file:deploy/asm.jar");
        when(context.getBundles()).thenReturn(new Bundle[] {deployed});
        Path copy = longUnchanged(jar(dir, "asm-copy.jar", ASM));
        FileTime leftAlone = Files.getLastModifiedTime(copy);
        guard.install(copy.toFile());

        Bundle updated = bundle("org.objectweb.asm", "9.12.0", "file:deploy/asm.jar");
        when(context.getBundles()).thenReturn(new Bundle[] {updated});
        guard.bundleChanged(new BundleEvent(BundleEvent.UPDATED, updated));

        assertTrue(Files.getLastModifiedTime(copy).compareTo(leftAlone) > 0);
    }

    @Test
    void listensToBundleEventsOnlyWhileActive() {
        verify(context).addBundleListener(guard);
        guard.deactivate();
        verify(context).removeBundleListener(guard);
    }

    /** The jar with a time stamp an hour old, as a jar that sat in deploy/ for a while. */
    private static Path longUnchanged(Path jar) throws IOException {
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        return jar;
    }

    @Test
    void leavesFileInstallTheJarsItInstalledItselfAndNewBundles() throws IOException {
        File deployed = jar(dir, "asm-9.11.1.jar", ASM).toFile();
        Bundle fromTheJar = bundle("org.objectweb.asm", "9.11.1", deployed.toURI().toString());
        when(context.getBundles()).thenReturn(new Bundle[] {fromTheJar});
        File other = jar(dir, "other.jar", Map.of("Bundle-SymbolicName", "com.example.other")).toFile();

        assertFalse(guard.canHandle(deployed), "FileInstall updates and uninstalls the bundles of its own jars");
        assertFalse(guard.canHandle(other), "a bundle not installed yet is FileInstall's to install");
    }

    @Test
    void leavesFileInstallTheJarsItInstalledFromADeployFolderReachedThroughALink() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real-deploy"));
        Path linked = Files.createSymbolicLink(dir.resolve("deploy"), real);
        Path deployed = jar(real, "asm-9.11.1.jar", ASM);
        Bundle fromTheJar = bundle("org.objectweb.asm", "9.11.1", deployed.toRealPath().toUri().toString());
        when(context.getBundles()).thenReturn(new Bundle[] {fromTheJar});

        assertFalse(guard.canHandle(linked.resolve("asm-9.11.1.jar").toFile()),
                "the jar's own bundle is not another one because the folder is named through a link");
    }

    @Test
    void leavesAloneWhatIsNoBundleJar() throws IOException {
        BundleContext unused = mock(BundleContext.class);
        DuplicateBundleGuard quiet = new DuplicateBundleGuard(unused);
        File config = Files.writeString(dir.resolve("x.cfg.json"), "{}").toFile();

        assertFalse(quiet.canHandle(config));
        verify(unused, never()).getBundles();
        when(context.getBundles()).thenReturn(new Bundle[] {platform});
        assertFalse(guard.canHandle(Files.write(dir.resolve("bad.jar"), new byte[] {'P', 'K', 3, 4}).toFile()),
                "a corrupt jar is FileInstall's to fail on, and the deployment monitor's to report");
    }
}
