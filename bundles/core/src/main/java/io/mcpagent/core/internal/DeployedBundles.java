package io.mcpagent.core.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.function.Predicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Tells the bundles installed from the deploy folder from the platform's own. It reads locations and the folder as
 * the deploy bundle (io.mcpagent.deploy, which installs them) does; a copy of that reading rather than an API of
 * that bundle, so that core does not restart when the deploy bundle is refreshed.
 */
final class DeployedBundles {
    /** The framework property naming the deploy folder (set by bin/mcp-agent). */
    static final String DEPLOY_FOLDER_PROPERTY = "mcpagent.deploy";

    private DeployedBundles() {
    }

    /** Whether a bundle was installed from a jar of the deploy folder; none is when the property names no folder. */
    static Predicate<Bundle> of(BundleContext context) {
        String deploy = context.getProperty(DEPLOY_FOLDER_PROPERTY);
        if (deploy == null || deploy.isBlank()) {
            return bundle -> false;
        }
        // FileInstall names the jars by the folder's canonical path, whatever link the property goes through
        Path folder = realPath(Paths.get(deploy));
        return bundle -> fileOf(bundle.getLocation()).filter(file -> file.startsWith(folder)).isPresent();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** The file a file location refers to, its folder's real path and its own name (a jar that is a link counts). */
    private static Optional<Path> fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        Path file;
        try {
            file = Paths.get(URI.create(location));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // not a hierarchical URI, e.g. "file:deploy/x.jar": a path relative to the working directory
            file = Paths.get(location.substring("file:".length()));
        }
        Path absolute = file.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        return Optional.of(folder == null ? absolute : realPath(folder).resolve(absolute.getFileName()));
    }
}
