package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

class DeployFolderTest {
    @TempDir
    Path dir;

    @Test
    void aBundleOfADeployFolderReachedThroughALinkIsDeployedFromIt() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real-deploy"));
        Path linked = Files.createSymbolicLink(dir.resolve("deploy"), real);
        Path folder = DeployFolder.of(contextNaming(linked.toString())).orElseThrow();

        assertEquals(real.toRealPath(), folder);
        assertTrue(DeployFolder.deployedFrom(folder, bundleAt(real.toRealPath().resolve("good.jar").toUri()
                .toString())));
        assertTrue(DeployFolder.deployedFrom(folder, bundleAt(linked.resolve("good.jar").toUri().toString())));
        assertFalse(DeployFolder.deployedFrom(folder, bundleAt(dir.resolve("system/platform.jar").toUri()
                .toString())));
        assertFalse(DeployFolder.deployedFrom(folder, bundleAt("mvn:com.example/x/1.0")));
    }

    @Test
    void noFolderWhenTheFrameworkPropertyNamesNone() {
        assertTrue(DeployFolder.of(contextNaming(null)).isEmpty());
        assertTrue(DeployFolder.of(contextNaming(" ")).isEmpty());
    }

    @Test
    void fileLocationsMapToNormalisedPaths() {
        Path file = dir.resolve("x.jar").toAbsolutePath().normalize();
        assertEquals(file, DeployFolder.fileOf(file.toUri().toString()).orElseThrow());
        assertEquals(file, DeployFolder.fileOf("file:" + file).orElseThrow());
        assertEquals(Path.of("deploy/x.jar").toAbsolutePath(), DeployFolder.fileOf("file:deploy/x.jar").orElseThrow());
        assertFalse(DeployFolder.fileOf("mvn:com.example/x/1.0").isPresent());
        assertFalse(DeployFolder.fileOf(null).isPresent());
    }

    @Test
    void aLinkedJarKeepsItsOwnNameInItsFoldersRealPath() throws IOException {
        Path system = Files.createDirectories(dir.resolve("system"));
        Path platformJar = Files.createFile(system.resolve("asm.jar"));
        Path realDeploy = Files.createDirectories(dir.resolve("real-deploy"));
        Path deploy = Files.createSymbolicLink(dir.resolve("deploy"), realDeploy);
        Path link = Files.createSymbolicLink(deploy.resolve("plugin.jar"), platformJar);

        assertEquals(realDeploy.toRealPath().resolve("plugin.jar"), DeployFolder.realLocation(link));
        assertEquals(platformJar.toRealPath(), DeployFolder.realPath(link));
        assertEquals(dir.toRealPath().resolve("gone"), DeployFolder.realPath(dir.toRealPath().resolve("x/../gone")));
    }

    private static BundleContext contextNaming(String deployFolder) {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(DeployFolder.PROPERTY)).thenReturn(deployFolder);
        return context;
    }

    private static Bundle bundleAt(String location) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getLocation()).thenReturn(location);
        return bundle;
    }
}
