package io.mcpagent.api.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The deploy folder and the files bundle locations name, read as FileInstall names the jars there: the folder by its
 * real path, whatever link the framework property goes through, and a jar by its real folder and its own name. Here
 * so that the bundle installing the folder's jars (io.mcpagent.deploy) and core's whiteboard, which tells their
 * plugins from the platform's, read them alike without either importing the other.
 */
public final class DeployFolder {
    /** The framework property naming the deploy folder (set by bin/mcp-agent). */
    public static final String PROPERTY = "mcpagent.deploy";

    private DeployFolder() {
    }

    /** The deploy folder as its {@link #realPath real path}, or empty when the framework property names none. */
    public static Optional<Path> of(BundleContext context) {
        String deploy = context.getProperty(PROPERTY);
        return deploy == null || deploy.isBlank() ? Optional.empty() : Optional.of(realPath(Paths.get(deploy)));
    }

    /** Whether the bundle was installed from a jar inside this deploy folder (rather than being a platform bundle). */
    public static boolean deployedFrom(Path deployFolder, Bundle bundle) {
        return fileOf(bundle.getLocation()).filter(file -> file.startsWith(deployFolder)).isPresent();
    }

    /** The path with every symbolic link resolved; the normalized absolute path when it does not exist (any more). */
    public static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /**
     * A file's {@link #realPath real} folder and its own name. The name is kept as it is because FileInstall names a
     * jar by it: a jar of deploy/ that links to a file elsewhere (even to a platform bundle's jar) is still a jar of
     * deploy/, not that file.
     */
    public static Path realLocation(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        return folder == null ? absolute : realPath(folder).resolve(absolute.getFileName());
    }

    /**
     * The file a bundle location refers to, as its {@link #realLocation real location}, if it is a file location;
     * FileInstall uses the file's URI.
     */
    public static Optional<Path> fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(realLocation(Paths.get(URI.create(location))));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // not a hierarchical URI, e.g. "file:deploy/x.jar": read it as a path relative to the working directory
            return Optional.of(realLocation(Paths.get(location.substring("file:".length()))));
        }
    }
}
