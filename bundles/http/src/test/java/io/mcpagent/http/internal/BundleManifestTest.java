package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/**
 * The manifest bnd writes (process-classes, before the tests) is the same in every build of a commit: it has no
 * Private-Package header, whose list of the packages -conditionalpackage copies in came in another order each build.
 */
class BundleManifestTest {
    @Test
    void theManifestListsNoPrivatePackagesWhoseOrderChangesFromBuildToBuild() throws IOException {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        assertNotNull(manifest.getMainAttributes().getValue("Bundle-SymbolicName"), "bnd wrote the manifest");
        assertNull(manifest.getMainAttributes().getValue("Private-Package"));
    }
}
