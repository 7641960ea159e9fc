package io.mcpagent.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.runtime.UnresolvedRequirements;

/**
 * Reports what FileInstall and the framework only log: jars in deploy/ that could not be installed (corrupt,
 * not a bundle, refused by the framework), deployed jars overwritten with such a copy while their bundle runs on
 * ({@link DeployFolderInstaller} leaves it running) and installed bundles that cannot resolve, with every missing
 * requirement named.
 */
@Component(service = ProblemReporter.class, configurationPid = DeploymentMonitor.PID)
@Designate(ocd = DeploymentMonitor.Config.class)
public final class DeploymentMonitor implements ProblemReporter {
    static final String PID = "io.mcpagent.core.deployment";
    static final String SOURCE = "deploy";
    /** Checking more often would keep a core busy listing the folder and the bundles. */
    static final long MIN_POLL_MILLIS = 100;
    /** A jar younger than this may still be being copied, or not yet seen by FileInstall. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    /** The manifest header naming a bundle's Declarative Services components. */
    private static final String SERVICE_COMPONENT = "Service-Component";
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentMonitor.class);
    /** How the subject of a problem jar starts: the folder as operators know it, then the jar's name. */
    private static final String JAR_SUBJECT_PREFIX = "deploy/";
    /** The ending of the names FileInstall installs from deploy/ (features/core.json filters them, case matters). */
    private static final String JAR_SUFFIX = ".jar";
    /** FileInstall's factory configurations, one per watched folder, and what they say. */
    static final String FILEINSTALL_FACTORY_PID = "org.apache.felix.fileinstall";
    static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
    static final String FILEINSTALL_FILTER = "felix.fileinstall.filter";
    /**
     * The service property of io.mcpagent.deploy.gate's {@code Supplier<Map<File, Instant>>} of the jars it holds
     * for this bundle's installers, with the time each was held.
     */
    static final String GATE_HELD_PROPERTY = "mcpagent.deploy.held";
    /** The package a package requirement's filter names. */
    private static final Pattern PACKAGE_IN_FILTER = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");

    @ObjectClassDefinition(name = "MCP-Agent deployment monitor",
            description = "Reports corrupt or unresolvable bundles in the deploy folder and the framework.")
    public @interface Config {
        @AttributeDefinition(description = "How often to check, in milliseconds (at least " + MIN_POLL_MILLIS + ").",
                min = "" + MIN_POLL_MILLIS)
        long pollMillis() default 1000;
    }

    private final BundleContext context;
    private final RefusedJars refusedJars;
    private final DeployChanges changes;
    private final Path deployDir;
    private final ScheduledExecutorService scheduler;
    /** The poll period in milliseconds. */
    private final GuardedConfiguration<Config, Long> pollMillis = new GuardedConfiguration<>(PID, Config.class,
            DeploymentMonitor::pollMillisOf, LOG::error, LOG::info);
    /** The scheduled checks; replaced when the poll period changes. Guarded by this. */
    private ScheduledFuture<?> polling;
    /** Asked why a bundle jar of deploy/ is not installed; null while there is none. */
    private final AtomicReference<ConfigurationAdmin> configurationAdmin = new AtomicReference<>();
    /** Current problems by subject+message, with the time each was first seen. Replaced as a whole. */
    private volatile Map<String, Problem> current = Map.of();
    /** The jars the gate held at the last check. */
    private volatile Set<Path> heldAtLastCheck = Set.of();
    /** The bundles installed but not resolved at the last check, by bundle id, with the time each was first so. */
    private volatile Map<Long, Instant> unresolvedAtLastCheck = Map.of();
    /** The unresolved bundles reported at the last check, by bundle id, with the version reported. */
    private volatile Map<Long, String> reportedAtLastCheck = Map.of();
    /** What {@link DeployChanges#applied()} said at the last check. */
    private volatile OptionalLong appliedAtLastCheck = OptionalLong.empty();

    @Activate
    public DeploymentMonitor(BundleContext context, Config config, @Reference RefusedJars refusedJars,
            @Reference DeployChanges changes) {
        this(context, config, refusedJars, changes, Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mcpagent-deployment-monitor");
            thread.setDaemon(true);
            return thread;
        }));
    }

    DeploymentMonitor(BundleContext context, Config config, RefusedJars refusedJars, DeployChanges changes,
            ScheduledExecutorService scheduler) {
        this.context = context;
        this.refusedJars = refusedJars;
        this.changes = changes;
        this.deployDir = DeployFolder.of(context).orElse(null);
        if (deployDir == null) {
            LOG.info("framework property mcpagent.deploy is not set: only unresolved bundles are reported");
        }
        this.scheduler = scheduler;
        pollMillis.update(config);
        poll();
    }

    /** A changed poll period applies at once; a refused configuration keeps the period in force. */
    @Modified
    void modified(Config config) {
        long before = pollMillis.settings();
        if (pollMillis.update(config) && pollMillis.settings() != before) {
            poll();
        }
    }

    private static Long pollMillisOf(Config config) {
        ConfigRanges.atLeast("pollMillis", config.pollMillis(), MIN_POLL_MILLIS);
        return config.pollMillis();
    }

    /** (Re)starts the checks at the poll period in force, the first one at once. */
    private synchronized void poll() {
        if (polling != null) {
            polling.cancel(false);
        }
        polling = scheduler.scheduleWithFixedDelay(this::check, 0, pollMillis.settings(), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindConfigurationAdmin(ConfigurationAdmin admin) {
        configurationAdmin.set(admin);
    }

    void unbindConfigurationAdmin(ConfigurationAdmin admin) {
        configurationAdmin.compareAndSet(admin, null); // a later bind of another one stays
    }

    /**
     * Why FileInstall does not take up this jar when its own configurations say so: none of them watches the deploy
     * folder (its file in etc/ deleted, or naming another folder), or the one that does filters the jar's name out.
     * FileInstall logs neither. Empty when that cannot be told (no ConfigurationAdmin) or the jar is watched.
     */
    Optional<String> unwatched(Path jar) {
        ConfigurationAdmin admin = configurationAdmin.get();
        if (admin == null) {
            return Optional.empty();
        }
        Configuration[] watchers;
        try {
            watchers = admin.listConfigurations("(service.factoryPid=" + FILEINSTALL_FACTORY_PID + ")");
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return Optional.empty(); // ConfigurationAdmin going away: the plain report stands
        }
        for (Configuration watcher : watchers == null ? new Configuration[0] : watchers) {
            Dictionary<String, Object> properties = watcher.getProperties();
            Object dir = properties == null ? null : properties.get(FILEINSTALL_DIR);
            // FileInstall takes a relative folder from the working directory, the runtime's home
            if (dir == null || !DeployFolder.realPath(Paths.get(dir.toString())).equals(deployDir)) {
                continue;
            }
            Object filter = properties.get(FILEINSTALL_FILTER);
            try {
                if (filter != null && !jar.getFileName().toString().matches(filter.toString())) {
                    return Optional.of("FileInstall leaves it alone: its name does not match " + FILEINSTALL_FILTER
                            + " '" + filter + "' of configuration " + watcher.getPid() + "; rename the jar or"
                            + " correct the filter in etc/");
                }
            } catch (PatternSyntaxException e) {
                return Optional.of("FileInstall cannot read " + FILEINSTALL_FILTER + " '" + filter
                        + "' of configuration " + watcher.getPid() + ": " + e.getDescription() + "; correct it in etc/");
            }
            return Optional.empty();
        }
        return Optional.of("nothing installs jars from " + deployDir + ": no configuration of FileInstall ("
                + FILEINSTALL_FACTORY_PID + ") names it as " + FILEINSTALL_DIR + ". Put back"
                + " etc/org.apache.felix.fileinstall~deploy.cfg.json of the distribution, or correct its "
                + FILEINSTALL_DIR);
    }

    /** The deployment problems found by the latest check, and a refused configuration while it is not repaired. */
    @Override
    public List<Problem> problems() {
        List<Problem> all = new ArrayList<>(pollMillis.problems());
        all.addAll(current.values());
        return List.copyOf(all);
    }

    void check() {
        try {
            List<Problem> found = new ArrayList<>();
            // the held jars before the bundles: the gate answers once a hand-over under way is done, so a jar it no
            // longer holds then is installed in the bundles taken after, not reported as not installed
            Map<Path, Instant> held = heldByTheGate();
            // before the bundles: a change that begins after them is under way at the next check, or applied by then
            OptionalLong applied = changes.applied();
            Bundle[] bundles = context.getBundles();
            Map<Long, String> reportedBefore = reportedAtLastCheck;
            found.addAll(unresolvedBundles(bundles, applied));
            found.addAll(notStartedBundles(bundles));
            found.addAll(idleBundles(bundles));
            found.addAll(heldJars(held));
            heldAtLastCheck = Set.copyOf(held.keySet());
            found.addAll(uninstalledJars(bundles, held.keySet()));
            Map<String, Problem> next = new LinkedHashMap<>();
            Map<String, Problem> previous = current;
            Map<String, Problem> previousBySubject = new HashMap<>();
            previous.values().forEach(problem -> previousBySubject.put(problem.subject(), problem));
            Set<String> subjects = new HashSet<>();
            for (Problem problem : found) {
                String key = problem.subject() + "\n" + problem.message();
                Problem earlier = previous.get(key);
                next.put(key, earlier != null ? earlier : problem);
                subjects.add(problem.subject());
                Problem replaced = previousBySubject.get(problem.subject());
                if (earlier == null && replaced != null) {
                    LOG.warn("{}: {} (it was reported before as: {})", problem.subject(), problem.message(),
                            replaced.message());
                } else if (earlier == null) {
                    LOG.warn("{}: {}", problem.subject(), problem.message());
                }
            }
            // a problem whose subject is still reported changed: its WARN said so
            previous.keySet().stream().filter(k -> !next.containsKey(k)).map(previous::get)
                    .filter(gone -> !subjects.contains(gone.subject()))
                    .forEach(gone -> LOG.info("{}: {}", gone.subject(),
                            noLongerReported(gone, deployDir, bundles, reportedBefore)));
            current = Map.copyOf(next);
        } catch (RuntimeException e) {
            LOG.warn("deployment check failed; trying again at the next poll", e);
        }
    }

    /**
     * Why a problem found earlier is gone: a problem jar or bundle that was removed is not a bundle that now resolves,
     * nor is a bundle updated to another version (its id kept, its subject not), so the log must not read as if it
     * were.
     *
     * @param reportedBundles the unresolved bundles reported at the check that found the problem, by bundle id
     */
    static String noLongerReported(Problem problem, Path deployDir, Bundle[] bundles,
            Map<Long, String> reportedBundles) {
        String subject = problem.subject();
        if (deployDir != null && subject.startsWith(JAR_SUBJECT_PREFIX) && subject.endsWith("/")) {
            return "no longer a problem: the folder holds no jar now";
        }
        if (deployDir != null && subject.startsWith(JAR_SUBJECT_PREFIX)) {
            return Files.exists(deployDir.resolve(subject.substring(JAR_SUBJECT_PREFIX.length())))
                    ? "no longer a problem: the jar is installed or being replaced"
                    : "no longer a problem: the jar was removed from deploy/";
        }
        // an unresolved bundle is reported for as long as it is installed and unresolved in that version
        for (Bundle bundle : bundles) {
            if (!subject.equals(reportedBundles.get(bundle.getBundleId()))) {
                continue;
            }
            String now = DeployedJars.identity(bundle);
            if (now.equals(subject)) {
                return "no longer a problem: the bundle is resolved";
            }
            return "no longer a problem: the bundle was updated to " + now + (bundle.getState() == Bundle.INSTALLED
                    ? ", which is not resolved either"
                    : ", which is resolved");
        }
        return "no longer a problem: the bundle was uninstalled";
    }

    /**
     * The bundles installed but not resolved at this check and the one before, with no change of deploy/ under way at
     * either or applied between them: a bundle is so whenever it is redeployed (between the update of its jar and its
     * start again after the refresh) or refreshed with a bundle it is wired to, and reported as such it read as a
     * problem that was gone a moment later. Two checks alone did not tell it apart when the refresh outlasted a poll
     * period (pollMillis 100, a bundle wired to it slow to stop). So a real one is reported a poll period or two late,
     * with the time it was first found, and then for as long as that version of it stays unresolved, changes of other
     * jars meanwhile or not: once per deployed version.
     *
     * @param applied what {@link DeployChanges#applied()} said before the bundles were listed
     */
    private List<Problem> unresolvedBundles(Bundle[] bundles, OptionalLong applied) {
        List<Problem> problems = new ArrayList<>();
        Map<Long, Instant> before = unresolvedAtLastCheck;
        Map<Long, String> reportedBefore = reportedAtLastCheck;
        boolean settled = applied.isPresent() && applied.equals(appliedAtLastCheck);
        appliedAtLastCheck = applied;
        Map<Long, String> reported = new HashMap<>();
        Map<Long, Instant> unresolved = new HashMap<>();
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        for (Bundle bundle : bundles) {
            if (bundle.getState() != Bundle.INSTALLED) {
                continue;
            }
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision == null) {
                continue; // uninstalled meanwhile
            }
            Instant since = before.get(bundle.getBundleId());
            unresolved.put(bundle.getBundleId(), since != null ? since : Instant.now());
            String subject = bundle.getSymbolicName() + " " + bundle.getVersion();
            if (since == null || !settled && !subject.equals(reportedBefore.get(bundle.getBundleId()))) {
                continue;
            }
            reported.put(bundle.getBundleId(), subject);
            List<Requirement> unmet = UnresolvedRequirements.of(wiring, revision);
            // built against another version of a package installed here (our API's next major): no bundle to deploy
            String advice = unmet.stream().anyMatch(requirement -> !otherVersions(requirement, bundles).isEmpty())
                    ? ". Rebuild it against the version installed (its import range must include it), or remove it"
                    : ". Deploy a bundle that provides it, or remove this one";
            String message = missingRequirements(unmet, bundles)
                    .map(missing -> "bundle " + subject + " (" + bundle.getLocation() + ") cannot resolve: " + missing
                            + advice)
                    .orElse("bundle " + subject + " (" + bundle.getLocation() + ") is installed but not resolved: the"
                            + " bundles it needs exist but cannot resolve themselves; see the other problems");
            problems.add(new Problem(SOURCE, subject, message, since));
        }
        unresolvedAtLastCheck = Map.copyOf(unresolved);
        reportedAtLastCheck = Map.copyOf(reported);
        return problems;
    }

    /**
     * The requirements {@code unmet} ({@link UnresolvedRequirements#of}) as a reason,
     * {@code missing requirement package com.example.x [1.0.0,2.0.0)} with the versions installed of a package asked
     * for in another range; empty when there are none.
     */
    static Optional<String> missingRequirements(List<Requirement> unmet, Bundle[] bundles) {
        List<String> missing = unmet.stream()
                .map(requirement -> UnresolvedRequirements.describe(requirement) + otherVersions(requirement, bundles))
                .toList();
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("missing requirement" + (missing.size() > 1 ? "s " : " ") + String.join("; ", missing));
    }

    /**
     * The deployed bundles that resolved but did not start (an activator that fails or is missing), in the version
     * whose start failed: reported as unresolved ones are, since otherwise /status read unhealthy for a bundle left
     * RESOLVED without saying why, and plugin:problems said nothing. One that is started, or replaced by another
     * version, is no longer reported; an unresolved one is reported as such.
     */
    private List<Problem> notStartedBundles(Bundle[] bundles) {
        Map<Long, DeployChanges.StartFailure> failures = changes.startFailures(bundles);
        List<Problem> problems = new ArrayList<>();
        for (Bundle bundle : bundles) {
            DeployChanges.StartFailure failure = failures.get(bundle.getBundleId());
            String subject = DeployedJars.identity(bundle);
            if (failure != null && bundle.getState() == Bundle.RESOLVED && failure.identity().equals(subject)) {
                problems.add(new Problem(SOURCE, subject, "bundle " + subject + " (" + bundle.getLocation()
                        + ") is resolved but did not start: " + failure.message() + ". Deploy a build that starts,"
                        + " or remove it", failure.since()));
            }
        }
        return problems;
    }

    /**
     * The deployed bundles that run and do nothing: no Declarative Services component, no activator, nothing exported
     * or provided for others. A plugin built without its {@code @Component} is such a bundle: it started, registered
     * nothing, and neither the log nor /status said a word, while its pattern "was not installed".
     */
    private List<Problem> idleBundles(Bundle[] bundles) {
        List<Problem> problems = new ArrayList<>();
        for (Bundle bundle : bundles) {
            if (bundle.getState() != Bundle.ACTIVE || deployDir == null
                    || !DeployFolder.deployedFrom(deployDir, bundle)) {
                continue;
            }
            Dictionary<String, String> headers = bundle.getHeaders("");
            if (headers == null || Stream.of(Constants.FRAGMENT_HOST, Constants.BUNDLE_ACTIVATOR,
                    Constants.EXPORT_PACKAGE, Constants.PROVIDE_CAPABILITY, SERVICE_COMPONENT)
                    .anyMatch(header -> headers.get(header) != null)) {
                continue;
            }
            String subject = DeployedJars.identity(bundle);
            problems.add(new Problem(SOURCE, subject, "bundle " + subject + " (" + bundle.getLocation() + ") runs"
                    + " and does nothing: it has no Declarative Services component (no Service-Component header), no"
                    + " Bundle-Activator and exports nothing. A plugin needs a @Component class with its plugin"
                    + " annotation (@PatternPlugin, ...), which bnd turns into that header (see"
                    + " examples/pattern-echo/README.md); rebuild it so, or remove it", Instant.now()));
        }
        return problems;
    }

    /**
     * The versions in which installed bundles export a package the requirement asks for in a range none of them
     * fits, e.g. {@code  (exported only as io.mcpagent.api.workflow 1.6.0 by io.mcpagent.api 0.1.0)}: a plugin built
     * against another major version of our API otherwise reads as if the API were missing.
     */
    static String otherVersions(Requirement requirement, Bundle[] bundles) {
        if (!PackageNamespace.PACKAGE_NAMESPACE.equals(requirement.getNamespace())) {
            return "";
        }
        String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        Matcher name = filter == null ? null : PACKAGE_IN_FILTER.matcher(filter);
        if (name == null || !name.find()) {
            return "";
        }
        List<String> exports = new ArrayList<>();
        for (Bundle bundle : bundles) {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (Capability capability : revision.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                Map<String, Object> attributes = capability.getAttributes();
                if (name.group(1).equals(attributes.get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    exports.add(name.group(1) + " " + attributes.get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE)
                            + " by " + DeployedJars.identity(bundle));
                }
            }
        }
        return exports.isEmpty() ? "" : " (exported only as " + String.join(", ", exports) + ")";
    }

    /**
     * The jars the gate holds since before {@link #SETTLE} and held at the last check too: no installer of this bundle
     * took them (DeployFolderInstaller not active while this component is), so neither their changes nor their removal
     * are applied. The first check after this bundle's restart reports none: the gate hands its jars over as the
     * installers register, maybe after this component.
     */
    private List<Problem> heldJars(Map<Path, Instant> held) {
        Instant settled = Instant.now().minus(SETTLE);
        Set<Path> heldBefore = heldAtLastCheck;
        String why = "io.mcpagent.deploy.gate holds it for this bundle's installers, none of which takes it"
                + " (is DeployFolderInstaller active? see data/log/mcp-agent.log); it is applied once one does";
        return held.entrySet().stream()
                .filter(jar -> jar.getValue().isBefore(settled) && heldBefore.contains(jar.getKey())).map(jar -> new Problem(SOURCE,
                JAR_SUBJECT_PREFIX + jar.getKey().getFileName(), (Files.exists(jar.getKey())
                        ? "not applied since " + jar.getValue() + ": "
                        : "deleted at " + jar.getValue() + ", its bundle not uninstalled: ") + why, Instant.now()))
                .toList();
    }

    /** The jars io.mcpagent.deploy.gate holds, by real location, with the time each was held; none without it. */
    @SuppressWarnings("rawtypes")
    private Map<Path, Instant> heldByTheGate() {
        Map<Path, Instant> held = new HashMap<>();
        try {
            for (ServiceReference<Supplier> reference : context.getServiceReferences(Supplier.class,
                    "(" + GATE_HELD_PROPERTY + "=true)")) {
                Supplier<?> gate = context.getService(reference);
                if (gate == null) {
                    continue;
                }
                try {
                    if (gate.get() instanceof Map<?, ?> jars) {
                        jars.forEach((jar, since) -> {
                            if (jar instanceof File file && since instanceof Instant instant) {
                                held.put(DeployFolder.realLocation(file.toPath()), instant);
                            }
                        });
                    }
                } finally {
                    context.ungetService(reference);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return held;
    }

    /** The jars of deploy/ not installed, but those the gate holds ({@link #heldJars}). */
    private List<Problem> uninstalledJars(Bundle[] bundles, Set<Path> held) {
        if (deployDir == null || !Files.isDirectory(deployDir)) {
            return List.of();
        }
        Map<Path, Bundle> installedFrom = new HashMap<>();
        Map<String, Bundle> byIdentity = new HashMap<>();
        for (Bundle bundle : bundles) {
            DeployFolder.fileOf(bundle.getLocation()).ifPresent(file -> installedFrom.put(file, bundle));
            byIdentity.put(DeployedJars.identity(bundle), bundle);
        }
        List<Problem> problems = new ArrayList<>();
        Instant settled = Instant.now().minus(SETTLE);
        // X.JAR too: FileInstall's filter (.*\.jar) leaves it alone without a word
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(deployDir,
                entry -> entry.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(JAR_SUFFIX))) {
            for (Path jar : jars) {
                Path file = DeployFolder.realLocation(jar);
                if (Files.isSymbolicLink(jar) && !Files.exists(jar)) {
                    // FileInstall passes over it without a word
                    problems.add(new Problem(SOURCE, JAR_SUBJECT_PREFIX + jar.getFileName(), "not installed: it is a"
                            + " link to " + Files.readSymbolicLink(jar) + ", which does not exist; point it at the"
                            + " bundle jar or remove it", Instant.now()));
                    continue;
                }
                // the file is the problem's subject, which the log, plugin:problems and /status show beside the message
                String name = JAR_SUBJECT_PREFIX + file.getFileName();
                if (held.contains(file) || !Files.isRegularFile(file)) {
                    continue;
                }
                if (Files.getLastModifiedTime(file).toInstant().isAfter(settled)) {
                    // a copy being written: its problem, if it had one, stands until the new copy is judged, so that
                    // a bad copy written over a bad one is one WARN quoting the old, not "no longer a problem" first
                    current.values().stream().filter(problem -> problem.subject().equals(name)).forEach(problems::add);
                    continue;
                }
                Optional<String> defect = DeployedJars.defect(file).or(() -> refusedJars.reason(file));
                Bundle installed = installedFrom.get(file);
                if (installed != null) {
                    // DeployFolderInstaller left the bundle running and logged the copy once, maybe while it was
                    // still being copied
                    defect.ifPresent(reason -> problems.add(new Problem(SOURCE, name, "not applied, the bundle "
                            + DeployedJars.identity(installed) + " installed from this jar earlier keeps running: "
                            + reason, Instant.now())));
                    continue;
                }
                String jarName = jar.getFileName().toString();
                if (!jarName.endsWith(JAR_SUFFIX)) {
                    problems.add(new Problem(SOURCE, name, "not installed: FileInstall takes only jars named *"
                            + JAR_SUFFIX + ", in lower case; rename " + jarName + " to "
                            + jarName.substring(0, jarName.length() - JAR_SUFFIX.length()) + JAR_SUFFIX,
                            Instant.now()));
                    continue;
                }
                String message;
                if (defect.isPresent()) {
                    message = defect.get();
                } else {
                    String identity = DeployedJars.identity(file);
                    Bundle twin = byIdentity.get(identity);
                    message = "bundle " + identity + " is not installed"
                            + (twin != null ? " because the same symbolic name and version is already installed from "
                                    + twin.getLocation() + ", which is left as it is; remove this jar or change its"
                                    + " Bundle-Version"
                                    : "; " + unwatched(file).orElse("see data/log/mcp-agent.log for the"
                                            + " reason"));
                }
                problems.add(new Problem(SOURCE, name, message, Instant.now()));
            }
            problems.addAll(jarsInFolders());
        } catch (IOException e) {
            problems.add(new Problem(SOURCE, deployDir.toString(), "cannot read the deploy folder: " + e.getMessage(),
                    Instant.now()));
        }
        return problems;
    }

    /**
     * The folders of deploy/ that hold jars, which FileInstall passes over without a word: it takes only the jars
     * directly in deploy/. Hidden folders (.upload-, an editor's) are not looked in.
     */
    private List<Problem> jarsInFolders() throws IOException {
        List<Problem> problems = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(deployDir,
                entry -> Files.isDirectory(entry) && !entry.getFileName().toString().startsWith("."))) {
            for (Path folder : folders) {
                List<String> jars = new ArrayList<>();
                try (DirectoryStream<Path> inside = Files.newDirectoryStream(folder, entry -> entry.getFileName()
                        .toString().toLowerCase(Locale.ROOT).endsWith(JAR_SUFFIX))) {
                    inside.forEach(jar -> jars.add(jar.getFileName().toString()));
                }
                if (!jars.isEmpty()) {
                    jars.sort(null);
                    problems.add(new Problem(SOURCE, JAR_SUBJECT_PREFIX + folder.getFileName() + "/", "not installed:"
                            + " FileInstall takes only the jars directly in deploy/, not those in its folders ("
                            + String.join(", ", jars) + "); move them up into deploy/", Instant.now()));
                }
            }
        }
        return problems;
    }
}
