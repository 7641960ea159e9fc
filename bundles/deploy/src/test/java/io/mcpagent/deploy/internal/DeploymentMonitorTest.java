package io.mcpagent.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.framework.Version;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.mcpagent.api.runtime.Problem;

class DeploymentMonitorTest {
    @TempDir
    Path dir;

    @Test
    void aValidBundleHasNoDefect() throws IOException {
        Path jar = jar("good.jar", Map.of("Bundle-SymbolicName", "com.example.good", "Bundle-Version", "2.1.0"));
        assertTrue(DeployedJars.defect(jar).isEmpty());
        assertEquals("com.example.good 2.1.0", DeployedJars.identity(jar));
    }

    @Test
    void aJarsVersionIsWrittenAsTheFrameworkWritesABundlesVersion() throws IOException {
        Path jar = jar("short.jar", Map.of("Bundle-SymbolicName", "com.example.short;singleton:=true",
                "Bundle-Version", "2.1"));
        assertEquals("com.example.short 2.1.0", DeployedJars.identity(jar));
        assertEquals("com.example.short 2.1.0", DeployedJars.identity(bundle("com.example.short", "2.1", "x")));
    }

    @Test
    void aBundleInstalledFromAnotherLocationIsFoundAndTheJarsOwnBundleIsNot() throws IOException {
        Path jar = jar("asm-copy.jar", Map.of("Bundle-SymbolicName", "org.objectweb.asm", "Bundle-Version", "9.11.1"));
        Bundle platform = bundle("org.objectweb.asm", "9.11.1", "file:system/asm-9.11.1.jar");
        Bundle fromTheJar = bundle("org.objectweb.asm", "9.11.1", jar.toUri().toString());
        Bundle otherVersion = bundle("org.objectweb.asm", "9.12.0", "file:system/asm-9.12.0.jar");

        assertEquals(platform, DeployedJars.installedElsewhere(jar, new Bundle[] {otherVersion, platform}).orElseThrow());
        assertTrue(DeployedJars.installedElsewhere(jar, new Bundle[] {fromTheJar, otherVersion}).isEmpty());
        assertTrue(DeployedJars.installedElsewhere(dir.resolve("gone.jar"), new Bundle[] {platform}).isEmpty());
        Path corrupt = Files.write(dir.resolve("bad.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        assertTrue(DeployedJars.installedElsewhere(corrupt, new Bundle[] {platform}).isEmpty());
    }

    @Test
    void aCorruptJarIsNamedCorrupt() throws IOException {
        Path jar = Files.write(dir.resolve("bad.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        String defect = DeployedJars.defect(jar).orElseThrow();
        assertTrue(defect.startsWith("corrupt jar"), defect);
    }

    @Test
    void aTextFileNamedJarInDeployIsNamedOnceAsTheSubjectNotAgainInTheMessage() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path text = Files.writeString(deploy.resolve("text.jar"), "not a jar");
        settled(text);

        List<Problem> problems = problemsOf(deploy);

        assertEquals(1, problems.size(), problems.toString());
        Problem problem = problems.get(0);
        assertEquals("deploy/text.jar", problem.subject());
        assertTrue(problem.message().startsWith("corrupt jar, it cannot be read ("), problem.message());
    }

    @Test
    void aJarNamedInUpperCaseIsReportedWithTheNameToRenameItTo() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = jar(deploy, "Plugin.JAR", Map.of("Bundle-SymbolicName", "com.example.plugin",
                "Bundle-Version", "1.0.0"));
        settled(jar);

        List<Problem> problems = problemsOf(deploy);

        assertEquals(1, problems.size(), problems.toString());
        assertEquals("deploy/Plugin.JAR", problems.get(0).subject());
        assertEquals("not installed: FileInstall takes only jars named *.jar, in lower case; rename Plugin.JAR to"
                + " Plugin.jar", problems.get(0).message());
    }

    /**
     * FileInstall passes over the jars in folders of deploy/ and a link to nothing without a word: both were ignored
     * silently (a walkthrough). A hidden folder (an upload under way, an editor's) is not looked in.
     */
    @Test
    void jarsInAFolderOfDeployAndALinkToNothingAreReported() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path sub = Files.createDirectories(deploy.resolve("extras"));
        settled(jar(sub, "b.jar", Map.of("Bundle-SymbolicName", "com.example.b", "Bundle-Version", "1.0.0")));
        settled(jar(sub, "a.jar", Map.of("Bundle-SymbolicName", "com.example.a", "Bundle-Version", "1.0.0")));
        Files.createDirectories(deploy.resolve(".hidden"));
        jar(deploy.resolve(".hidden"), "c.jar", Map.of("Bundle-SymbolicName", "com.example.c"));
        Files.createDirectories(deploy.resolve("empty"));
        Files.createSymbolicLink(deploy.resolve("dangling.jar"), dir.resolve("gone.jar"));

        List<Problem> problems = problemsOf(deploy);

        assertEquals(List.of("deploy/dangling.jar", "deploy/extras/"), problems.stream().map(Problem::subject)
                .sorted().toList(), problems.toString());
        Map<String, String> messages = new java.util.HashMap<>();
        problems.forEach(problem -> messages.put(problem.subject(), problem.message()));
        assertEquals("not installed: it is a link to " + dir.resolve("gone.jar") + ", which does not exist; point it at"
                + " the bundle jar or remove it", messages.get("deploy/dangling.jar"));
        assertEquals("not installed: FileInstall takes only the jars directly in deploy/, not those in its folders"
                + " (a.jar, b.jar); move them up into deploy/", messages.get("deploy/extras/"));
    }

    @Test
    void aJarNamedInUpperCaseThatFileInstallInstalledIsNotReported() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = jar(deploy, "Plugin.Jar", Map.of("Bundle-SymbolicName", "com.example.plugin",
                "Bundle-Version", "1.0.0"));
        settled(jar);
        // a felix.fileinstall.filter of the operator's that takes any case
        Bundle installed = bundle("com.example.plugin", "1.0.0", jar.toUri().toString());

        assertEquals(List.of(), problemsOf(deploy, installed));
    }

    @Test
    void aDeployedJarOverwrittenWithABrokenCopyIsReportedAndItsBundleSaidToKeepRunning() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = Files.writeString(deploy.resolve("plugin.jar"), "a copy cut short");
        settled(jar);
        Bundle installed = bundle("com.example.plugin", "1.0.0", jar.toUri().toString());

        List<Problem> problems = problemsOf(deploy, installed);

        assertEquals(1, problems.size(), problems.toString());
        assertEquals("deploy/plugin.jar", problems.get(0).subject());
        assertTrue(problems.get(0).message().startsWith("not applied, the bundle com.example.plugin 1.0.0 installed"
                + " from this jar earlier keeps running: corrupt jar, it cannot be read ("), problems.get(0).message());
    }

    @Test
    void aDeployedJarWithoutADefectIsNotReported() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = jar(deploy, "plugin.jar", Map.of("Bundle-SymbolicName", "com.example.plugin",
                "Bundle-Version", "2.0.0"));
        settled(jar);
        // an update FileInstall has not applied yet: the installed bundle is still the earlier version
        Bundle installed = bundle("com.example.plugin", "1.0.0", jar.toUri().toString());

        assertEquals(List.of(), problemsOf(deploy, installed));
    }

    @Test
    void aBundleJarNoFileInstallConfigurationWatchesIsSaidToBeUnwatched() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = jar(deploy, "plugin.jar", Map.of("Bundle-SymbolicName", "com.example.plugin",
                "Bundle-Version", "1.0.0"));
        settled(jar);
        Configuration etcWatcher = watcher(dir.resolve("etc"), ".*\\.cfg\\.json");

        List<Problem> problems = problemsOf(deploy, configurationAdmin(etcWatcher));

        assertEquals(1, problems.size(), problems.toString());
        assertEquals("bundle com.example.plugin 1.0.0 is not installed; nothing installs jars from "
                + deploy.toRealPath() + ": no configuration of FileInstall (org.apache.felix.fileinstall) names it as"
                + " felix.fileinstall.dir. Put back etc/org.apache.felix.fileinstall~deploy.cfg.json of the"
                + " distribution, or correct its felix.fileinstall.dir", problems.get(0).message());
    }

    @Test
    void aBundleJarTheDeployFoldersFilterLeavesOutIsSaidToBeFilteredOut() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = jar(deploy, "plugin.jar", Map.of("Bundle-SymbolicName", "com.example.plugin"));
        settled(jar);

        List<Problem> filtered = problemsOf(deploy, configurationAdmin(watcher(deploy, ".*\\.bundle")));
        List<Problem> watched = problemsOf(deploy, configurationAdmin(watcher(deploy, ".*\\.jar")));

        assertTrue(filtered.get(0).message().endsWith("is not installed; FileInstall leaves it alone: its name does not"
                + " match felix.fileinstall.filter '.*\\.bundle' of configuration org.apache.felix.fileinstall~deploy;"
                + " rename the jar or correct the filter in etc/"), filtered.get(0).message());
        assertTrue(watched.get(0).message().endsWith("is not installed; see data/log/mcp-agent.log for the"
                + " reason"), watched.get(0).message());
    }

    private static Configuration watcher(Path folder, String filter) {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getPid()).thenReturn("org.apache.felix.fileinstall~" + folder.getFileName());
        when(configuration.getProperties()).thenReturn(new Hashtable<>(Map.of("felix.fileinstall.dir",
                folder.toString(), "felix.fileinstall.filter", filter)));
        return configuration;
    }

    private static ConfigurationAdmin configurationAdmin(Configuration... watchers) throws Exception {
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        when(admin.listConfigurations("(service.factoryPid=org.apache.felix.fileinstall)")).thenReturn(watchers);
        return admin;
    }

    @Test
    void aJarInstalledFromADeployFolderReachedThroughALinkIsNotReported() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real-deploy"));
        Path linked = Files.createSymbolicLink(dir.resolve("deploy"), real);
        Path jar = jar(real, "good.jar", Map.of("Bundle-SymbolicName", "com.example.good", "Bundle-Version", "1.0.0"));
        settled(jar);
        // FileInstall names the jar by the watched folder's canonical path
        Bundle installed = bundle("com.example.good", "1.0.0", jar.toRealPath().toUri().toString());

        assertEquals(List.of(), problemsOf(linked, installed));
    }

    @Test
    void aLinkedJarIsTheJarOfItsOwnLocationNotOfTheFileItLinksTo() throws IOException {
        Path system = Files.createDirectories(dir.resolve("system"));
        Path platformJar = jar(system, "asm.jar", Map.of("Bundle-SymbolicName", "org.objectweb.asm",
                "Bundle-Version", "9.11.1"));
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path link = Files.createSymbolicLink(deploy.resolve("asm.jar"), platformJar);
        Bundle platform = bundle("org.objectweb.asm", "9.11.1", platformJar.toUri().toString());
        Bundle fromTheLink = bundle("org.objectweb.asm", "9.11.1", link.toUri().toString());

        assertEquals(platform, DeployedJars.installedElsewhere(link, new Bundle[] {platform}).orElseThrow());
        assertTrue(DeployedJars.installedElsewhere(link, new Bundle[] {fromTheLink}).isEmpty());
    }

    /**
     * A deployed bundle that runs and does nothing (a plugin built without its @Component: no Service-Component
     * header, no activator, nothing exported) is reported; it started and nothing said a word. One with a component,
     * or a library that exports packages, is not.
     */
    @Test
    void aDeployedBundleThatRunsAndDoesNothingIsReported() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Bundle idle = deployedActive(deploy, "idle.jar", "com.example.nocomp", new Hashtable<>(Map.of()));
        Bundle plugin = deployedActive(deploy, "plugin.jar", "com.example.plugin",
                new Hashtable<>(Map.of("Service-Component", "OSGI-INF/com.example.Plugin.xml")));
        Bundle library = deployedActive(deploy, "library.jar", "com.example.library",
                new Hashtable<>(Map.of("Export-Package", "com.example.library;version=\"1.0.0\"")));

        List<Problem> problems = problemsOf(deploy, idle, plugin, library);

        assertEquals(List.of("com.example.nocomp 1.0.0: bundle com.example.nocomp 1.0.0 ("
                + DeployFolderInstaller.location(deploy.resolve("idle.jar")) + ") runs and does nothing: it has no"
                + " Declarative Services component (no Service-Component header), no Bundle-Activator and exports"
                + " nothing. A plugin needs a @Component class with its plugin annotation (@PatternPlugin, ...), which"
                + " bnd turns into that header (see examples/pattern-echo/README.md); rebuild it so, or remove it"),
                problems.stream().map(problem -> problem.subject() + ": " + problem.message()).toList());
    }

    private static Bundle deployedActive(Path deploy, String jar, String symbolicName,
            Hashtable<String, String> headers) throws IOException {
        Path file = jar(deploy, jar, Map.of("Bundle-SymbolicName", symbolicName, "Bundle-Version", "1.0.0"));
        settled(file);
        Bundle bundle = bundle(symbolicName, "1.0.0", DeployFolderInstaller.location(file));
        when(bundle.getState()).thenReturn(Bundle.ACTIVE);
        when(bundle.getHeaders("")).thenReturn(headers);
        return bundle;
    }

    /** The problems one check of the deploy folder finds, with these bundles installed. */
    private static List<Problem> problemsOf(Path deploy, Bundle... installed) {
        return problemsOf(deploy, null, installed);
    }

    /** The same, with this ConfigurationAdmin (or none) to tell which folders FileInstall watches. */
    private static List<Problem> problemsOf(Path deploy, ConfigurationAdmin admin, Bundle... installed) {
        return problemsOf(context(deploy, installed), admin);
    }

    private static BundleContext context(Path deploy, Bundle... installed) {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty("mcpagent.deploy")).thenReturn(deploy.toString());
        when(context.getBundles()).thenReturn(installed);
        Bundle system = mock(Bundle.class);
        when(system.adapt(FrameworkWiring.class)).thenReturn(mock(FrameworkWiring.class));
        when(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION)).thenReturn(system);
        return context;
    }

    private static List<Problem> problemsOf(BundleContext context, ConfigurationAdmin admin) {
        return problemsOf(context, admin, 1);
    }

    private static List<Problem> problemsOf(BundleContext context, ConfigurationAdmin admin, int checks) {
        DeploymentMonitor.Config config = mock(DeploymentMonitor.Config.class);
        when(config.pollMillis()).thenReturn(Long.MAX_VALUE);
        // the test checks by itself, and only it: no scheduled first check on another thread
        DeploymentMonitor monitor = new DeploymentMonitor(context, config, new RefusedJars(),
                new DeployChanges(), mock(ScheduledExecutorService.class));
        if (admin != null) {
            monitor.bindConfigurationAdmin(admin);
        }
        try {
            for (int i = 0; i < checks; i++) {
                monitor.check();
            }
            return monitor.problems();
        } finally {
            monitor.deactivate();
        }
    }

    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void theJarsTheGateHoldsPastAMomentAreReportedAsNotApplied() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path changed = jar(deploy, "changed.jar", Map.of("Bundle-SymbolicName", "com.example.changed",
                "Bundle-Version", "2.0.0"));
        settled(changed);
        Path justHeld = jar(deploy, "just-held.jar", Map.of("Bundle-SymbolicName", "com.example.new",
                "Bundle-Version", "1.0.0"));
        settled(justHeld);
        Bundle installed = bundle("com.example.changed", "1.0.0", changed.toUri().toString());
        Instant longAgo = Instant.now().minusSeconds(60);
        Map<File, Instant> held = Map.of(changed.toFile(), longAgo, deploy.resolve("deleted.jar").toFile(), longAgo,
                justHeld.toFile(), Instant.now());
        BundleContext context = context(deploy, installed);
        ServiceReference<Supplier> gate = mock(ServiceReference.class);
        when(context.getServiceReferences(Supplier.class, "(mcpagent.deploy.held=true)")).thenReturn(List.of(gate));
        when(context.getService(gate)).thenReturn((Supplier) () -> held);

        assertEquals(List.of(), problemsOf(context, null, 1),
                "the first check after a restart of the bundle: its installers may register a moment later");
        Map<String, String> problems = problemsOf(context, null, 2).stream()
                .collect(Collectors.toMap(Problem::subject, Problem::message));

        String why = "io.mcpagent.deploy.gate holds it for this bundle's installers, none of which takes it (is"
                + " DeployFolderInstaller active? see data/log/mcp-agent.log); it is applied once one does";
        assertEquals(Map.of("deploy/changed.jar", "not applied since " + longAgo + ": " + why,
                "deploy/deleted.jar", "deleted at " + longAgo + ", its bundle not uninstalled: " + why), problems,
                "held a moment only, just-held.jar is not reported, as held or as not installed");
    }

    /**
     * Seen on the distribution after 'start' of io.mcpagent.deploy with a jar held: the monitor's check, taking the
     * bundles before asking the gate, waited for the gate's hand-over and found the jar neither held nor installed.
     */
    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void aJarTheGateHandsOverDuringACheckIsNotReportedAsNotInstalled() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = jar(deploy, "handed-over.jar", Map.of("Bundle-SymbolicName", "com.example.new",
                "Bundle-Version", "1.0.0"));
        settled(jar);
        Bundle installed = bundle("com.example.new", "1.0.0", jar.toUri().toString());
        AtomicBoolean handedOver = new AtomicBoolean();
        BundleContext context = context(deploy);
        when(context.getBundles()).thenAnswer(call -> handedOver.get() ? new Bundle[] {installed} : new Bundle[0]);
        ServiceReference<Supplier> gate = mock(ServiceReference.class);
        when(context.getServiceReferences(Supplier.class, "(mcpagent.deploy.held=true)")).thenReturn(List.of(gate));
        // the gate's held() returns once the hand-over it is in the middle of has installed the jar
        when(context.getService(gate)).thenReturn((Supplier) () -> {
            handedOver.set(true);
            return Map.of();
        });

        assertEquals(List.of(), problemsOf(context, null));
    }

    @Test
    void aPlainJarIsNotABundle() throws IOException {
        Path jar = jar("plain.jar", Map.of("Implementation-Title", "plain"));
        assertTrue(DeployedJars.defect(jar).orElseThrow().contains("no Bundle-SymbolicName"));
    }

    @Test
    void aJarWithoutAManifestIsSaidToHaveNone() throws IOException {
        Path jar = dir.resolve("nomanifest.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            out.closeEntry();
        }
        String defect = DeployedJars.defect(jar).orElseThrow();
        assertTrue(defect.startsWith("not an OSGi bundle: it has no manifest (META-INF/MANIFEST.MF)"), defect);
    }

    @Test
    void aJarWithAnInvalidVersionIsToldSoWithTheVersion() throws IOException {
        Path jar = jar("badversion.jar", Map.of("Bundle-SymbolicName", "com.example.bad", "Bundle-Version", "one.two"));
        String defect = DeployedJars.defect(jar).orElseThrow();
        assertTrue(defect.startsWith("not installable: its Bundle-Version \"one.two\" is not an OSGi version ("),
                defect);
        assertTrue(defect.contains("one.two") && defect.contains("1.2.0"), defect);
    }

    @Test
    void aProblemThatWentWithItsJarOrBundleIsNotCalledResolved() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        jar(deploy, "present.jar", Map.of("Bundle-SymbolicName", "com.example.present"));
        Problem removedJar = new Problem("deploy", "deploy/badversion.jar", "m", Instant.now());
        Problem presentJar = new Problem("deploy", "deploy/present.jar", "m", Instant.now());
        Problem bundleProblem = new Problem("deploy", "com.example.x 1.0.0", "m", Instant.now());
        Bundle resolved = bundle("com.example.x", "1.0.0", "file:x.jar");

        Map<Long, String> reported = Map.of(resolved.getBundleId(), bundleProblem.subject());
        assertEquals("no longer a problem: the jar was removed from deploy/",
                DeploymentMonitor.noLongerReported(removedJar, deploy, new Bundle[0], reported));
        assertEquals("no longer a problem: the jar is installed or being replaced",
                DeploymentMonitor.noLongerReported(presentJar, deploy, new Bundle[0], reported));
        assertEquals("no longer a problem: the bundle was uninstalled",
                DeploymentMonitor.noLongerReported(bundleProblem, deploy, new Bundle[0], reported));
        assertEquals("no longer a problem: the bundle is resolved",
                DeploymentMonitor.noLongerReported(bundleProblem, deploy, new Bundle[] {resolved}, reported));
    }

    /**
     * A reported unresolved bundle whose missing requirements change is one WARN that says so; it read as a new
     * problem, and at INFO as resolved. One updated to another version (its bundle id kept) is said to be so, with
     * the new version's state; it read as uninstalled.
     */
    @Test
    void aReportedBundleWhoseProblemChangesOrThatIsUpdatedIsLoggedAsWhatHappened() throws Exception {
        Bundle plugin = bundle("com.example.plugin", "1.0.0", "file:deploy/plugin.jar");
        when(plugin.getBundleId()).thenReturn(7L);
        AtomicReference<String> version = new AtomicReference<>("1.0.0");
        when(plugin.getVersion()).thenAnswer(call -> Version.parseVersion(version.get()));
        AtomicInteger state = new AtomicInteger(Bundle.INSTALLED);
        when(plugin.getState()).thenAnswer(call -> state.get());
        BundleRevision revision = mock(BundleRevision.class);
        Requirement missing = requirement(Map.of("filter", "(osgi.wiring.package=com.example.missing)"));
        when(missing.getNamespace()).thenReturn("osgi.wiring.package");
        AtomicReference<List<Requirement>> requirements = new AtomicReference<>(List.of(missing));
        when(revision.getRequirements(null)).thenAnswer(call -> requirements.get());
        when(plugin.adapt(BundleRevision.class)).thenReturn(revision);
        DeploymentMonitor monitor = new DeploymentMonitor(context(Files.createDirectories(dir.resolve("deploy")),
                plugin), pollMillis(100), new RefusedJars(), new DeployChanges(), mock(ScheduledExecutorService.class));
        List<String> logged = new ArrayList<>();
        try (AutoCloseable logging = logInto(logged)) {
            monitor.check();
            monitor.check();
            String cannotResolve = "bundle com.example.plugin 1.0.0 (file:deploy/plugin.jar) cannot resolve: missing"
                    + " requirement package com.example.missing. Deploy a bundle"
                    + " that provides it, or remove this one";
            assertEquals(List.of("WARN com.example.plugin 1.0.0: " + cannotResolve), logged);

            requirements.set(List.of()); // the missing package deployed, in a bundle that cannot resolve itself
            monitor.check();
            assertEquals(List.of("WARN com.example.plugin 1.0.0: bundle com.example.plugin 1.0.0"
                    + " (file:deploy/plugin.jar) is installed but not resolved: the bundles it needs exist but cannot"
                    + " resolve themselves; see the other problems (it was reported before as: " + cannotResolve + ")"),
                    logged.subList(1, logged.size()), "one WARN; not resolved");

            version.set("2.0.0"); // updated to a version that resolves
            state.set(Bundle.ACTIVE);
            monitor.check();
            assertEquals(List.of("INFO com.example.plugin 1.0.0: no longer a problem: the bundle was updated to"
                    + " com.example.plugin 2.0.0, which is resolved"), logged.subList(2, logged.size()));
        } finally {
            monitor.deactivate();
        }
    }

    /**
     * A bad copy written over a bad one: while the new copy settles the old problem stands, then one WARN names the new
     * problem quoting the old. The problem read "no longer a problem: the jar is installed or being replaced" at INFO
     * first, and came back two seconds later.
     */
    @Test
    void aBadCopyWrittenOverABadOneIsOneWarnQuotingTheOld() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path jar = Files.writeString(deploy.resolve("plugin.jar"), "not a jar");
        settled(jar);
        DeploymentMonitor monitor = new DeploymentMonitor(context(deploy), pollMillis(100), new RefusedJars(),
                new DeployChanges(), mock(ScheduledExecutorService.class));
        List<String> logged = new ArrayList<>();
        try (AutoCloseable logging = logInto(logged)) {
            monitor.check();
            List<Problem> corrupt = monitor.problems();
            jar("deploy/plugin.jar", Map.of("Bundle-Version", "1.0.0")); // no Bundle-SymbolicName, just written
            monitor.check();
            assertEquals(corrupt, monitor.problems(), "the problem of the copy before stands while the new settles");
            settled(jar);
            monitor.check();
        } finally {
            monitor.deactivate();
        }
        assertEquals(2, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("WARN deploy/plugin.jar: corrupt jar"), logged.get(0));
        assertTrue(logged.get(1).startsWith("WARN deploy/plugin.jar: ")
                && logged.get(1).contains("(it was reported before as: corrupt jar"), logged.get(1));
    }

    /** Logs the monitor's INFO and above into {@code logged} until closed. */
    private static AutoCloseable logInto(List<String> logged) {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DeploymentMonitor.class);
        ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.AppenderBase<>() {
                    @Override
                    protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
                        logged.add(event.getLevel() + " " + event.getFormattedMessage());
                    }
                };
        appender.start();
        logger.addAppender(appender);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        return () -> {
            logger.detachAppender(appender);
            logger.setLevel(level);
        };
    }

    @Test
    void aPackageImportedInAVersionNotExportedNamesTheVersionsThatAre() throws IOException {
        Requirement requirement = requirement(Map.of("filter",
                "(&(osgi.wiring.package=io.mcpagent.api.workflow)(version>=2.0.0)(!(version>=3.0.0)))"));
        when(requirement.getNamespace()).thenReturn("osgi.wiring.package");
        Bundle plugin = bundle("com.example.plugin", "1.0.0", "file:deploy/plugin.jar");
        when(plugin.getState()).thenReturn(Bundle.INSTALLED);
        BundleRevision pluginRevision = mock(BundleRevision.class);
        when(pluginRevision.getRequirements(null)).thenReturn(List.of(requirement));
        when(plugin.adapt(BundleRevision.class)).thenReturn(pluginRevision);
        Bundle api = bundle("io.mcpagent.api", "0.1.0", "file:system/api.jar");
        when(api.getState()).thenReturn(Bundle.ACTIVE);
        BundleRevision apiRevision = mock(BundleRevision.class);
        Capability workflow = mock(Capability.class);
        when(workflow.getAttributes()).thenReturn(Map.of("osgi.wiring.package", "io.mcpagent.api.workflow",
                "version", new Version(1, 6, 0)));
        Capability task = mock(Capability.class);
        when(task.getAttributes()).thenReturn(Map.of("osgi.wiring.package", "io.mcpagent.api.task",
                "version", new Version(1, 4, 0)));
        when(apiRevision.getCapabilities("osgi.wiring.package")).thenReturn(List.of(task, workflow));
        when(api.adapt(BundleRevision.class)).thenReturn(apiRevision);

        List<Problem> problems = problemsOf(context(Files.createDirectories(dir.resolve("deploy")), plugin, api), null,
                2);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("missing requirement package io.mcpagent.api.workflow"
                + " [2.0.0,3.0.0) (exported only as "
                + "io.mcpagent.api.workflow 1.6.0 by io.mcpagent.api 0.1.0). Rebuild it against the version installed"
                + " (its import range must include it), or remove it"), problems.get(0).message());
        assertEquals("", DeploymentMonitor.otherVersions(requirement, new Bundle[] {plugin}),
                "a package nobody exports is just missing");
    }

    /**
     * Seen on the distribution: a check between the update of a redeployed jar's bundle and its start again after the
     * refresh reported the bundle at WARN as 'installed but not resolved', and at INFO as resolved a second later.
     */
    @Test
    void aBundleUnresolvedAtOneCheckOnlyIsNoProblemAndOneStillUnresolvedAtTheNextIsSinceTheFirst() throws IOException {
        AtomicInteger redeployedState = new AtomicInteger(Bundle.INSTALLED);
        Bundle redeployed = deployed("com.example.plugin", "2.0.0", 7L, redeployedState::get);
        Bundle unresolvable = deployed("com.example.broken", "1.0.0", 8L, () -> Bundle.INSTALLED);
        DeploymentMonitor monitor = new DeploymentMonitor(context(Files.createDirectories(dir.resolve("deploy")),
                redeployed, unresolvable), pollMillis(1000), new RefusedJars(), new DeployChanges(),
                mock(ScheduledExecutorService.class));
        try {
            Instant beforeFirstCheck = Instant.now();
            monitor.check();
            Instant afterFirstCheck = Instant.now();
            assertEquals(List.of(), monitor.problems(), "found unresolved once, either may be being redeployed");

            redeployedState.set(Bundle.ACTIVE); // started again after its refresh
            monitor.check();

            List<Problem> problems = monitor.problems();
            assertEquals(List.of("com.example.broken 1.0.0"), problems.stream().map(Problem::subject).toList());
            assertTrue(problems.get(0).message().contains("is installed but not resolved"), problems.get(0).message());
            Instant since = problems.get(0).since();
            assertTrue(!since.isBefore(beforeFirstCheck) && !since.isAfter(afterFirstCheck),
                    "unresolved since the first check: " + since);
        } finally {
            monitor.deactivate();
        }
    }

    /**
     * A deployed bundle that resolved but whose start failed (a missing activator) is reported with why, as long as it
     * is resolved and not started in that version: before, /status read unhealthy with no problem named, and
     * plugin:problems said nothing. Started (by whoever), or uninstalled, it is no longer reported.
     */
    @Test
    void aDeployedBundleThatResolvedButDidNotStartIsReportedWithWhy() throws IOException {
        AtomicInteger state = new AtomicInteger(Bundle.RESOLVED);
        Bundle failing = deployed("com.example.act", "1.0.0", 9L, state::get);
        DeployChanges changes = new DeployChanges();
        DeploymentMonitor monitor = new DeploymentMonitor(context(Files.createDirectories(dir.resolve("deploy")),
                failing), pollMillis(1000), new RefusedJars(), changes, mock(ScheduledExecutorService.class));
        try {
            changes.startFailed(failing, "Not found: com.example.NoSuchActivator");
            monitor.check();
            List<Problem> problems = monitor.problems();
            assertEquals(List.of("com.example.act 1.0.0"), problems.stream().map(Problem::subject).toList());
            assertEquals("bundle com.example.act 1.0.0 (file:deploy/act.jar) is resolved but did not start: Not found:"
                    + " com.example.NoSuchActivator. Deploy a build that starts, or remove it",
                    problems.get(0).message());

            state.set(Bundle.ACTIVE);
            changes.started(failing);
            state.set(Bundle.RESOLVED); // stopped by an operator afterwards: not a failed start
            monitor.check();
            assertEquals(List.of(), monitor.problems());
        } finally {
            monitor.deactivate();
        }
    }

    /**
     * A refresh that outlasts a poll period (pollMillis 100, a bundle wired to the redeployed one slow to stop) found
     * the redeployed bundle installed but not resolved at two checks in a row: reported at WARN, and a moment later at
     * INFO as resolved. A bundle found so while its jar or another is applied is no problem; one that stays so is
     * reported from the second check with none under way, and goes on being reported, without a gap, while other jars
     * are applied: once for that version.
     */
    @Test
    void aBundleUnresolvedWhileAJarIsAppliedIsNoProblemAndOneReportedStaysReportedOnceThrough() throws IOException {
        AtomicInteger redeployedState = new AtomicInteger(Bundle.ACTIVE);
        Bundle redeployed = deployed("com.example.plugin", "2.0.0", 7L, redeployedState::get);
        Bundle unresolvable = deployed("com.example.broken", "1.0.0", 8L, () -> Bundle.INSTALLED);
        DeployChanges changes = new DeployChanges();
        DeploymentMonitor monitor = new DeploymentMonitor(context(Files.createDirectories(dir.resolve("deploy")),
                redeployed, unresolvable), pollMillis(100), new RefusedJars(), changes,
                mock(ScheduledExecutorService.class));
        try {
            monitor.check();
            monitor.check();
            assertEquals(List.of("com.example.broken 1.0.0"), subjects(monitor.problems()));
            Problem broken = monitor.problems().get(0);

            changes.begin(); // plugin.jar redeployed: its bundle updated, then refreshed for longer than a poll period
            redeployedState.set(Bundle.INSTALLED);
            monitor.check();
            monitor.check();
            monitor.check();
            assertEquals(List.of(broken), monitor.problems(), "the redeployed bundle is not unresolved, the broken one"
                    + " is still reported as before");
            redeployedState.set(Bundle.ACTIVE); // started again after the refresh
            changes.end();
            monitor.check();
            monitor.check();
            assertEquals(List.of(broken), monitor.problems());

            changes.begin(); // a redeploy that leaves it unresolved (a requirement the new jar adds)
            redeployedState.set(Bundle.INSTALLED);
            monitor.check();
            changes.end();
            monitor.check();
            assertEquals(List.of(broken), monitor.problems(), "not yet: the change was applied since the check before");
            monitor.check();
            assertEquals(List.of("com.example.broken 1.0.0", "com.example.plugin 2.0.0"),
                    subjects(monitor.problems()).stream().sorted().toList());
        } finally {
            monitor.deactivate();
        }
    }

    private static List<String> subjects(List<Problem> problems) {
        return problems.stream().map(Problem::subject).toList();
    }

    @Test
    void aPollPeriodBelowTheMinimumIsRefusedAndThePeriodInForceStays() {
        ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
        ScheduledFuture<?> firstPolling = mock(ScheduledFuture.class);
        doReturn(firstPolling, mock(ScheduledFuture.class)).when(scheduler)
                .scheduleWithFixedDelay(any(), anyLong(), anyLong(), any());

        DeploymentMonitor monitor = new DeploymentMonitor(mock(BundleContext.class), pollMillis(50), new RefusedJars(),
                new DeployChanges(), scheduler);

        verify(scheduler).scheduleWithFixedDelay(any(), eq(0L), eq(1000L), eq(TimeUnit.MILLISECONDS));
        assertEquals(List.of("configuration io.mcpagent.core.deployment (etc/io.mcpagent.core.deployment.cfg.json) is "
                + "refused: pollMillis must be at least 100, was 50; the defaults are in force until it is repaired"),
                monitor.problems().stream().map(Problem::message).toList());
        assertEquals("config", monitor.problems().get(0).source());

        monitor.modified(pollMillis(500));
        assertTrue(monitor.problems().isEmpty(), "a valid configuration clears the refusal");
        verify(firstPolling).cancel(false);
        verify(scheduler).scheduleWithFixedDelay(any(), eq(0L), eq(500L), eq(TimeUnit.MILLISECONDS));

        monitor.modified(pollMillis(-5));
        assertTrue(monitor.problems().get(0).message().contains("pollMillis must be at least 100, was -5; the "
                + "previous settings stay in force"), monitor.problems().get(0).message());
        verify(scheduler, times(2)).scheduleWithFixedDelay(any(), anyLong(), anyLong(), any());
    }

    static DeploymentMonitor.Config pollMillis(long millis) {
        DeploymentMonitor.Config config = mock(DeploymentMonitor.Config.class);
        when(config.pollMillis()).thenReturn(millis);
        return config;
    }

    /**
     * A bundle installed from {@code deploy/<last part of its name>.jar} with that id, in the state {@code state} says
     * at each check, whose revision names no missing requirement.
     */
    private static Bundle deployed(String symbolicName, String version, long id, IntSupplier state) {
        Bundle bundle = bundle(symbolicName, version,
                "file:deploy/" + symbolicName.substring(symbolicName.lastIndexOf('.') + 1) + ".jar");
        when(bundle.getBundleId()).thenReturn(id);
        when(bundle.getState()).thenAnswer(call -> state.getAsInt());
        when(bundle.adapt(BundleRevision.class)).thenReturn(mock(BundleRevision.class));
        return bundle;
    }

    static Bundle bundle(String symbolicName, String version, String location) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getVersion()).thenReturn(Version.parseVersion(version));
        when(bundle.getLocation()).thenReturn(location);
        return bundle;
    }

    private static Requirement requirement(Map<String, String> directives) {
        Requirement requirement = mock(Requirement.class);
        when(requirement.getDirectives()).thenReturn(directives);
        return requirement;
    }

    static Path jar(Path dir, String name, Map<String, String> headers) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach(manifest.getMainAttributes()::putValue);
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
        return file;
    }

    /** Makes a file older than the time a copy in deploy/ is given to settle, so the monitor judges it now. */
    static void settled(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
    }

    private Path jar(String name, Map<String, String> headers) throws IOException {
        return jar(dir, name, headers);
    }
}
