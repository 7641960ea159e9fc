package io.mcpagent.deploy.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

import io.mcpagent.api.runtime.DeployFolder;

/** Checks a jar found in deploy/: what is wrong with it, which bundle it is, and whether that is installed already. */
final class DeployedJars {
    /**
     * Marks the installers that io.mcpagent.deploy.gate hands the jars of deploy/ to: FileInstall gives them to the
     * gate, which holds them while this bundle restarts, rather than to its own bundle handling.
     */
    static final String GATED_PROPERTY = "mcpagent.deploy.gated";

    private DeployedJars() {
    }

    /** What makes this jar uninstallable as a bundle, or empty if it looks like a valid bundle. */
    static Optional<String> defect(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return Optional.of("not an OSGi bundle: it has no manifest (META-INF/MANIFEST.MF). Build it as a bundle"
                        + " (e.g. with bnd-maven-plugin) or remove it from deploy/");
            }
            String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                return Optional.of("not an OSGi bundle: its manifest has no Bundle-SymbolicName. Build it as a bundle"
                        + " (e.g. with bnd-maven-plugin) or remove it from deploy/");
            }
            String version = manifest.getMainAttributes().getValue("Bundle-Version");
            try {
                if (version != null) {
                    Version.parseVersion(version.trim());
                }
            } catch (IllegalArgumentException e) {
                // FileInstall refuses it for this reason too, but says so only in the log
                return Optional.of("not installable: its Bundle-Version \"" + version + "\" is not an OSGi version ("
                        + e.getMessage() + "). Give it a version such as 1.2.0 (major.minor.micro.qualifier) or remove"
                        + " it from deploy/");
            }
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("corrupt jar, it cannot be read (" + e.getMessage() + "). Replace it with a complete copy"
                    + " or remove it from deploy/");
        }
    }

    /** The namespace of the platform's own packages, which only the platform's bundles may export. */
    private static final String PLATFORM_PACKAGES = "io.mcpagent.";

    /**
     * Why this readable bundle jar must not be installed from deploy/: it exports a package of the platform's own
     * namespace that a platform bundle (one not installed from {@code deployFolder}) exports, such as the API's
     * {@code io.mcpagent.api.workflow}. The framework would wire bundles that resolve later (a plugin updated or rolled
     * back, a platform bundle refreshed) to the jar's copy, a higher version winning: their plugins would stop
     * matching the platform's services and go, and the platform would depend on the jar. Empty when it exports none.
     */
    static Optional<String> takesOverPlatformPackage(Path jar, Bundle[] bundles, Path deployFolder) {
        List<String> exported;
        try (JarFile file = new JarFile(jar.toFile())) {
            exported = packageNames(file.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // defect() names what is wrong with a jar that cannot be read
        }
        for (String name : exported) {
            if (!name.startsWith(PLATFORM_PACKAGES)) {
                continue;
            }
            for (Bundle bundle : bundles) {
                if (!DeployFolder.deployedFrom(deployFolder, bundle) && exports(bundle, name)) {
                    return Optional.of("not installable: it exports the package " + name + ", which the platform's"
                            + " bundle " + identity(bundle) + " exports: bundles resolving after it would be wired to"
                            + " this jar's copy, and the platform's plugins would stop. Import the package instead"
                            + " (build against the platform's bundle, not a copy of it) or remove it from deploy/");
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the bundle's current revision declares the package as an export. */
    private static boolean exports(Bundle bundle, String name) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return false; // uninstalled meanwhile
        }
        for (BundleCapability capability : revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (name.equals(capability.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The package names of a manifest header such as Export-Package: each clause's names before its attributes and
     * directives ({@code a.b;c.d;version=1, e.f}); separators inside quoted values do not count. Empty for null.
     */
    static List<String> packageNames(String header) {
        List<String> names = new ArrayList<>();
        if (header == null) {
            return names;
        }
        for (String clause : unquotedParts(header, ',')) {
            for (String part : unquotedParts(clause, ';')) {
                String name = part.trim();
                if (name.contains("=")) {
                    break; // the attributes and directives follow the names
                }
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** {@code text} split at each {@code separator} outside double quotes (a quoted value may hold one). */
    private static List<String> unquotedParts(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++; // an escaped character, a quote maybe
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /**
     * The symbolic name and version of a readable bundle jar, e.g. {@code com.example.plugin 1.2.0}, the version
     * written as the framework writes it (1.2 is 1.2.0) so that it compares with {@link #identity(Bundle)}.
     */
    static String identity(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var attributes = file.getManifest().getMainAttributes();
            String bsn = attributes.getValue("Bundle-SymbolicName").split(";")[0].trim();
            String version = attributes.getValue("Bundle-Version");
            return bsn + " " + (version == null ? Version.emptyVersion : Version.parseVersion(version.trim()));
        } catch (IOException | RuntimeException e) {
            return jar.getFileName().toString();
        }
    }

    /** The symbolic name and version of an installed bundle, as {@link #identity(Path)} gives them for a jar. */
    static String identity(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }

    /**
     * The installed bundle with this bundle jar's symbolic name and version, if it was installed from somewhere else
     * than this jar (the platform's system/ folder, another jar of deploy/).
     */
    static Optional<Bundle> installedElsewhere(Path jar, Bundle[] bundles) {
        Path file = DeployFolder.realLocation(jar);
        if (!Files.isRegularFile(file) || defect(file).isPresent()) {
            return Optional.empty();
        }
        String identity = identity(file);
        for (Bundle bundle : bundles) {
            if (identity.equals(identity(bundle))
                    && !DeployFolder.fileOf(bundle.getLocation()).equals(Optional.of(file))) {
                return Optional.of(bundle);
            }
        }
        return Optional.empty();
    }

    /**
     * Moves the jar's time stamp on so that FileInstall, which asks again about a jar only when its time stamp or
     * size changes, sees it changed: to now, or a second past its time stamp if that is not earlier, since a file
     * system may keep time stamps in whole seconds.
     */
    static void markChanged(Path jar) throws IOException {
        Instant stamp = Files.getLastModifiedTime(jar).toInstant().plusSeconds(1);
        Instant now = Instant.now();
        Files.setLastModifiedTime(jar, FileTime.from(now.isAfter(stamp) ? now : stamp));
    }
}
