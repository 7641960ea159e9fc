package io.mcpagent.core.internal;

import static io.mcpagent.core.internal.DeploymentMonitorTest.bundle;
import static io.mcpagent.core.internal.DeploymentMonitorTest.jar;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

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
        verifyNoInteractions(unused);
        when(context.getBundles()).thenReturn(new Bundle[] {platform});
        assertFalse(guard.canHandle(Files.write(dir.resolve("bad.jar"), new byte[] {'P', 'K', 3, 4}).toFile()),
                "a corrupt jar is FileInstall's to fail on, and the deployment monitor's to report");
    }
}
