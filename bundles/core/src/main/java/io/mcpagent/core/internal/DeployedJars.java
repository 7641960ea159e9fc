package io.mcpagent.core.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Checks a jar found in deploy/ that no installed bundle came from, and says what is wrong with it. */
final class DeployedJars {
    private DeployedJars() {
    }

    /** What makes this jar uninstallable as a bundle, or empty if it looks like a valid bundle. */
    static Optional<String> defect(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                return Optional.of("not an OSGi bundle: its manifest has no Bundle-SymbolicName. Build it as a bundle"
                        + " (e.g. with bnd-maven-plugin) or remove it from deploy/");
            }
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("corrupt jar, it cannot be read (" + e.getMessage() + "). Replace it with a complete copy"
                    + " or remove it from deploy/");
        }
    }

    /** The symbolic name and version of a readable bundle jar, e.g. {@code com.example.plugin 1.2.0}. */
    static String identity(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var attributes = file.getManifest().getMainAttributes();
            String bsn = attributes.getValue("Bundle-SymbolicName").split(";")[0].trim();
            String version = attributes.getValue("Bundle-Version");
            return bsn + " " + (version == null ? "0.0.0" : version.trim());
        } catch (IOException | RuntimeException e) {
            return jar.getFileName().toString();
        }
    }

    /** The file a bundle location refers to, if it is a file location; FileInstall uses the file's URI. */
    static Optional<Path> fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Paths.get(URI.create(location)).toAbsolutePath().normalize());
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a hierarchical URI, e.g. "file:deploy/x.jar": read it as a path relative to the working directory
            return Optional.of(Paths.get(location.substring("file:".length())).toAbsolutePath().normalize());
        }
    }
}
