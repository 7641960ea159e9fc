package io.mcpagent.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import io.mcpagent.api.task.TaskAnalyzer;

/** Jars that operators get wrong: made on the fly so each test states exactly what is broken. */
final class TestJars {
    static final String MISSING_PACKAGE = "com.example.nowhere.to.be.found";
    static final String MISSING_ACTIVATOR = "com.example.NoSuchActivator";
    /** The plugin id of the analyzer in {@link #slowAnalyzerBundle}. */
    static final String SLOW_ANALYZER = "test.slow";
    /** The plugin id of the analyzer in {@link #stuckAnalyzerBundle}. */
    static final String STUCK_ANALYZER = "test.stuck";

    private TestJars() {
    }

    /** A well-formed bundle that imports a package nobody exports, so it installs but cannot resolve. */
    static Path unresolvableBundle(Path file) throws IOException {
        Manifest manifest = bundleManifest("test.unresolvable");
        manifest.getMainAttributes().putValue("Import-Package", MISSING_PACKAGE + ";version=\"[1.0,2)\"");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
        return file;
    }

    /** A bundle that resolves but does not start: its {@code Bundle-Activator} names a class it does not have. */
    static Path missingActivatorBundle(Path file) throws IOException {
        Manifest manifest = bundleManifest("test.missing.activator");
        manifest.getMainAttributes().putValue("Bundle-Activator", MISSING_ACTIVATOR);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
        return file;
    }

    /**
     * A bundle with one Declarative Services component, {@code test.failing}, whose activation throws
     * {@link FailingComponent#FAILURE}.
     */
    static Path failingComponentBundle(Path file) throws IOException {
        Manifest manifest = bundleManifest("test.failing.component");
        manifest.getMainAttributes().putValue("Service-Component", "OSGI-INF/test.failing.xml");
        String implementation = FailingComponent.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest);
                InputStream classFile = FailingComponent.class.getClassLoader().getResourceAsStream(implementation)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/test.failing.xml"));
            jar.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"test.failing\""
                    + " immediate=\"true\"><implementation class=\"" + FailingComponent.class.getName() + "\"/>"
                    + "</scr:component>").getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new JarEntry(implementation));
            classFile.transferTo(jar);
            jar.closeEntry();
        }
        return file;
    }

    /**
     * A bundle with one Declarative Services component registering {@link SlowAnalyzer} as the task analyzer
     * {@value #SLOW_ANALYZER}, ranked above the platform's analyzers, so that every analysis asks it first and waits.
     */
    static Path slowAnalyzerBundle(Path file) throws IOException {
        return analyzerBundle(file, SLOW_ANALYZER, " deactivate=\"release\"");
    }

    /**
     * A bundle with one Declarative Services component registering {@link SlowAnalyzer} as the task analyzer
     * {@value #STUCK_ANALYZER}, ranked above the platform's analyzers, without its deactivate method: every analysis
     * asks it first and waits, and its bundle's stop does not end the wait (a third party's that ignores it).
     */
    static Path stuckAnalyzerBundle(Path file) throws IOException {
        return analyzerBundle(file, STUCK_ANALYZER, "");
    }

    /**
     * A bundle {@code <pluginId>.analyzer} whose one component registers {@link SlowAnalyzer} as the task analyzer
     * {@code pluginId}, ranked 1000, with {@code deactivate} (an attribute of the component element, may be empty).
     */
    private static Path analyzerBundle(Path file, String pluginId, String deactivate) throws IOException {
        String name = pluginId + ".analyzer";
        Manifest manifest = bundleManifest(name);
        manifest.getMainAttributes().putValue("Service-Component", "OSGI-INF/" + name + ".xml");
        manifest.getMainAttributes().putValue("Import-Package",
                "io.mcpagent.api.plugin;version=\"[1.6,2)\",io.mcpagent.api.task;version=\"[1.6,2)\"");
        String implementation = SlowAnalyzer.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest);
                InputStream classFile = SlowAnalyzer.class.getClassLoader().getResourceAsStream(implementation)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/" + name + ".xml"));
            jar.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\""
                    + " immediate=\"true\"" + deactivate + "><implementation class=\""
                    + SlowAnalyzer.class.getName() + "\"/><service><provide interface=\""
                    + TaskAnalyzer.class.getName() + "\"/></service>"
                    + "<property name=\"mcpagent.plugin.id\" value=\"" + pluginId + "\"/>"
                    + "<property name=\"mcpagent.plugin.kind\" value=\"analyzer\"/>"
                    + "<property name=\"mcpagent.plugin.name\" value=\"Slow analyzer (test)\"/>"
                    + "<property name=\"service.ranking\" type=\"Integer\" value=\"1000\"/>"
                    + "</scr:component>").getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new JarEntry(implementation));
            classFile.transferTo(jar);
            jar.closeEntry();
        }
        return file;
    }

    /**
     * A bundle of that symbolic name, version 1.0.0, with nothing in it but a capability it provides (else the deploy
     * monitor reports it as one that runs and does nothing): it installs, resolves and starts.
     */
    static Path emptyBundle(Path file, String symbolicName) throws IOException {
        Manifest manifest = bundleManifest(symbolicName);
        manifest.getMainAttributes().putValue("Provide-Capability", "test.marker;test.marker=\"" + symbolicName + "\"");
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
        return file;
    }

    /** A fragment of that symbolic name, version 1.0.0, with nothing in it, for the bundle {@code host}. */
    static Path fragment(Path file, String symbolicName, String host) throws IOException {
        Manifest manifest = bundleManifest(symbolicName);
        manifest.getMainAttributes().putValue("Fragment-Host", host);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
        return file;
    }

    /** Bytes that claim to be a jar and are not. */
    static Path corruptJar(Path file) throws IOException {
        Files.write(file, "PK\u0003\u0004 this is not a zip archive".getBytes(StandardCharsets.ISO_8859_1));
        return file;
    }

    /** A copy of the bundle jar with another Bundle-Version, as a new release of it. */
    static Path withVersion(Path bundle, Path file, String version) throws IOException {
        return release(bundle, file, version, main -> { });
    }

    /** A new release of the bundle jar that imports {@link #MISSING_PACKAGE} too, so it installs but cannot resolve. */
    static Path unresolvableRelease(Path bundle, Path file, String version) throws IOException {
        String missingImport = MISSING_PACKAGE + ";version=\"[1.0,2)\"";
        return release(bundle, file, version, main -> {
            String imports = main.getValue("Import-Package");
            main.putValue("Import-Package", imports == null ? missingImport : imports + "," + missingImport);
        });
    }

    /**
     * A new release of the bundle jar whose {@code Bundle-Activator} names {@link #MISSING_ACTIVATOR}, a class it does
     * not have: it resolves, and its start fails.
     */
    static Path unstartableRelease(Path bundle, Path file, String version) throws IOException {
        return release(bundle, file, version, main -> main.putValue("Bundle-Activator", MISSING_ACTIVATOR));
    }

    /**
     * A new release of the bundle jar whose components are all {@link FailingComponent}: it resolves and starts, and
     * each component fails to activate when its service is first obtained.
     */
    static Path failingComponentRelease(Path bundle, Path file, String version) throws IOException {
        String implementation = FailingComponent.class.getName().replace('.', '/') + ".class";
        try (InputStream classFile = FailingComponent.class.getClassLoader().getResourceAsStream(implementation)) {
            byte[] failing = classFile.readAllBytes();
            return release(bundle, file, version, main -> { }, (name, content) -> name.startsWith("OSGI-INF/")
                    ? new String(content, StandardCharsets.UTF_8).replaceAll("<implementation class=\"[^\"]*\"",
                            "<implementation class=\"" + FailingComponent.class.getName() + "\"")
                            .getBytes(StandardCharsets.UTF_8) : content,
                    Map.of(implementation, failing));
        }
    }

    /** A copy of the bundle jar with another Bundle-Version and its main attributes changed by {@code change}. */
    private static Path release(Path bundle, Path file, String version, Consumer<Attributes> change)
            throws IOException {
        return release(bundle, file, version, change, (name, content) -> content, Map.of());
    }

    /**
     * A copy of the bundle jar with another Bundle-Version, its main attributes changed by {@code change}, each entry's
     * content by {@code entries} (given its name), and the {@code added} entries.
     */
    private static Path release(Path bundle, Path file, String version, Consumer<Attributes> change,
            BiFunction<String, byte[], byte[]> entries, Map<String, byte[]> added) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(bundle))) {
            Manifest manifest = new Manifest(in.getManifest());
            Attributes main = manifest.getMainAttributes();
            main.putValue("Bundle-Version", version);
            change.accept(main);
            try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    jar.putNextEntry(new JarEntry(entry.getName()));
                    jar.write(entries.apply(entry.getName(), in.readAllBytes()));
                    jar.closeEntry();
                }
                for (Map.Entry<String, byte[]> entry : added.entrySet()) {
                    jar.putNextEntry(new JarEntry(entry.getKey()));
                    jar.write(entry.getValue());
                    jar.closeEntry();
                }
            }
        }
        return file;
    }

    /** The manifest of a bundle of that symbolic name, version 1.0.0. */
    private static Manifest bundleManifest(String symbolicName) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        return manifest;
    }
}
