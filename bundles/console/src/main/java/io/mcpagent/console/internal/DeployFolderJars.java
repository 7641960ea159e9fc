package io.mcpagent.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import org.osgi.framework.Version;

import io.mcpagent.api.runtime.DeployFolder;

/**
 * The jars of the hot deploy folder as the Plugins page lists and changes them: a bundle jar uploaded is checked (a
 * jar, with a Bundle-SymbolicName and a valid Bundle-Version, within the size limit, under a plain file name, not a
 * bundle installed from elsewhere) and then moved in whole, so FileInstall never sees half a file; undeploying deletes
 * a jar of the folder and nothing outside it.
 */
final class DeployFolderJars {
    /** The name an upload may take: no directories, no leading dot (a hidden file), no odd characters. */
    static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}\\.jar");
    private static final String PARTIAL_SUFFIX = ".partial";

    /** A bundle jar in the folder. */
    record DeployedJar(String fileName, long size, Instant modified, String symbolicName, String version) {
    }

    /** An upload written into the folder, and the version of its bundle that the jar it replaced held, if any. */
    record Deployment(DeployedJar jar, Optional<String> replacedVersion) {
    }

    /** Where the framework installed the bundle of this symbolic name and version from, if it is installed. */
    @FunctionalInterface
    interface InstalledBundles {
        Optional<String> locationOf(String symbolicName, Version version);
    }

    /** An upload or undeploy request that cannot be carried out; the message says why and what to do. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final InstalledBundles installed;

    /** The folder is taken by its real path, as FileInstall names the bundles it installs from there. */
    DeployFolderJars(Path dir, long maxBytes, InstalledBundles installed) {
        this.dir = DeployFolder.realPath(dir);
        this.maxBytes = maxBytes;
        this.installed = installed;
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * The jars in the folder by name, with their bundle identity (null when a jar has none or cannot be read): every
     * file FileInstall installs (its filter is {@code .*\.jar}), also those copied in under names an upload may not
     * take ({@code my plugin (1).jar}), so that each can be seen and undeployed.
     */
    List<DeployedJar> list() throws IOException {
        List<DeployedJar> jars = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return jars;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    Optional<Attributes> manifest = manifest(file);
                    jars.add(new DeployedJar(file.getFileName().toString(), Files.size(file),
                            Files.getLastModifiedTime(file).toInstant(),
                            manifest.map(DeployFolderJars::symbolicName).orElse(null),
                            manifest.map(a -> a.getValue("Bundle-Version")).orElse(null)));
                }
            }
        }
        jars.sort(Comparator.comparing(DeployedJar::fileName));
        return jars;
    }

    /**
     * Writes an uploaded bundle into the folder under {@code submittedName} (a browser may send a path: only its last
     * segment counts), replacing a jar of that name that holds the same bundle (another version of it) or no bundle at
     * all. A jar of that name holding another bundle is not replaced (its bundle would be updated into the upload's,
     * its plugins gone without a word), nor is a bundle already installed from elsewhere (the platform, another jar of
     * the folder): FileInstall would not install it beside that one but would replace that one.
     */
    Deployment deploy(String submittedName, InputStream content) throws Refused, IOException {
        String name = plainName(submittedName);
        Files.createDirectories(dir);
        // Not named *.jar while it is written: FileInstall only watches jars.
        Path partial = Files.createTempFile(dir, ".upload-", PARTIAL_SUFFIX);
        try {
            copyAtMost(content, partial);
            Attributes manifest = uploadedManifest(name, partial);
            String symbolicName = symbolicName(manifest);
            if (symbolicName == null) {
                throw new Refused("'" + name + "' has no Bundle-SymbolicName in its manifest: it is a plain jar, not"
                        + " an OSGi bundle (build it with bnd or the maven-bundle-plugin)");
            }
            Version version = version(name, manifest);
            Optional<String> location = installed.locationOf(symbolicName, version);
            if (location.isPresent() && !fileOf(location.get()).equals(Optional.of(name))) {
                throw new Refused(installedElsewhere(name, symbolicName + " " + version, location.get()));
            }
            Path target = dir.resolve(name);
            Optional<Attributes> replaced = Files.isRegularFile(target) ? manifest(target) : Optional.empty();
            String replacedName = replaced.map(DeployFolderJars::symbolicName).orElse(null);
            String replacedVersion = replaced.map(attributes -> attributes.getValue("Bundle-Version")).orElse("0.0.0");
            if (replacedName != null && !replacedName.equals(symbolicName)) {
                throw new Refused("deploy/" + name + " holds bundle " + replacedName + " " + replacedVersion
                        + ", not this upload's " + symbolicName + " " + version + ": upload it under another name,"
                        + " or undeploy " + name + " first to replace that bundle");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Deployment(new DeployedJar(name, Files.size(target),
                    Files.getLastModifiedTime(target).toInstant(), symbolicName, manifest.getValue("Bundle-Version")),
                    replacedName == null ? Optional.empty() : Optional.of(replacedVersion));
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private String installedElsewhere(String name, String bundle, String location) {
        Optional<String> deployed = fileOf(location);
        // a jar copied in under a name an upload may not take cannot be replaced by an upload
        String replace = deployed.isPresent() && FILE_NAME.matcher(deployed.get()).matches()
                ? " upload this one as " + deployed.get() + " to replace it," : "";
        String how = deployed.isPresent()
                ? " (deploy/" + deployed.get() + "): undeploy that jar first," + replace
                        + " or give this one another Bundle-Version"
                : ", outside deploy/, which cannot replace it: give this jar another Bundle-Version";
        return "'" + name + "' is bundle " + bundle + ", which is already installed from " + location + how;
    }

    /**
     * Deletes a jar of the folder, by any name {@link #list} shows, never a file outside it; FileInstall then
     * uninstalls its bundle.
     */
    void undeploy(String fileName) throws Refused, IOException {
        if (fileName == null || fileName.isEmpty()) {
            throw new Refused("no jar was named: give the name of a jar in deploy/");
        }
        Path target;
        try {
            target = dir.resolve(fileName).normalize();
        } catch (InvalidPathException e) {
            throw new Refused("'" + fileName + "' is not the name of a jar in deploy/");
        }
        // the name itself, not a path that leads elsewhere ("../x.jar", "sub/../x.jar")
        if (!fileName.endsWith(".jar") || !dir.equals(target.getParent())
                || !fileName.equals(target.getFileName().toString()) || Files.isDirectory(target)) {
            throw new Refused("'" + fileName + "' is not the name of a jar in deploy/");
        }
        try {
            Files.delete(target);
        } catch (NoSuchFileException e) {
            throw new Refused("there is no '" + fileName + "' in deploy/ (removed already?)");
        }
    }

    /** The file name in this folder a bundle was installed from, given its location ({@code file:/.../x.jar}). */
    Optional<String> fileOf(String bundleLocation) {
        return DeployFolder.fileOf(bundleLocation).filter(file -> dir.equals(file.getParent()))
                .map(file -> file.getFileName().toString());
    }

    /** The last segment of a submitted file name, if it is a plain jar name. */
    static String plainName(String submittedName) throws Refused {
        String name = submittedName == null ? "" : submittedName.strip();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (!FILE_NAME.matcher(name).matches()) {
            throw new Refused("the file name '" + submittedName + "' is not accepted: use letters, digits, '.', '_',"
                    + " '+' and '-', ending in .jar (at most 204 characters)");
        }
        return name;
    }

    private void copyAtMost(InputStream content, Path target) throws IOException, Refused {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            int read;
            while ((read = content.read(buffer)) >= 0) {
                written += read;
                if (written > maxBytes) {
                    throw new Refused("the upload is larger than the limit of " + maxBytes + " bytes"
                            + " (configuration maxUploadMegabytes)");
                }
                out.write(buffer, 0, read);
            }
        }
    }

    /**
     * The manifest of an uploaded file: one that cannot be read as a jar (cut off, empty, no zip at all) is refused
     * saying so, as the deploy monitor says of such a file in deploy/; it was "not a jar with a manifest", as a jar
     * without one is.
     */
    private static Attributes uploadedManifest(String name, Path uploaded) throws Refused {
        try (JarFile file = new JarFile(uploaded.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                throw new Refused("'" + name + "' is a jar without a manifest; deploy/ takes OSGi bundle jars");
            }
            return manifest.getMainAttributes();
        } catch (IOException | SecurityException e) {
            throw new Refused("'" + name + "' cannot be read as a jar (" + e.getMessage() + "): it is cut off or not a"
                    + " jar; upload the complete bundle jar");
        }
    }

    private static Optional<Attributes> manifest(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest == null ? Optional.empty() : Optional.of(manifest.getMainAttributes());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Version version(String name, Attributes manifest) throws Refused {
        String value = manifest.getValue("Bundle-Version");
        try {
            return value == null ? Version.emptyVersion : Version.parseVersion(value.strip());
        } catch (IllegalArgumentException e) {
            throw new Refused("'" + name + "' has Bundle-Version '" + value + "', which is not an OSGi version"
                    + " (major.minor.micro.qualifier, e.g. 1.2.0)");
        }
    }

    private static String symbolicName(Attributes manifest) {
        String value = manifest.getValue("Bundle-SymbolicName");
        if (value == null) {
            return null;
        }
        String name = value.split(";", 2)[0].strip();
        return name.isEmpty() ? null : name;
    }
}
