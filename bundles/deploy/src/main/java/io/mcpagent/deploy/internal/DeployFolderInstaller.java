package io.mcpagent.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.UnresolvedRequirements;

/**
 * Installs, updates and uninstalls the bundles of the jars in deploy/ in FileInstall's place, so that a copy that
 * is corrupt or no bundle, written over a deployed jar (or a jar still being copied), never costs the running
 * bundle: FileInstall uninstalls a bundle whose jar its own bundle handling can no longer read, and asks no other
 * installer about a jar it took. Such a copy is left as it is, the bundle keeps running, and
 * {@link DeploymentMonitor} reports the jar; a valid copy written over it later updates the bundle.
 * <p>
 * FileInstall forgets which installer took a jar when the runtime restarts, and asks again when the jar changes next:
 * bundles it installed itself in an earlier run are then taken over here. FileInstall hands the jars of deploy/ to
 * io.mcpagent.deploy.gate, which passes them on here and holds those that change while this bundle is away (restarted
 * by a refresh of the API, ConfigAdmin or slf4j). Nothing is uninstalled when this installer goes away.
 */
@Component(service = ArtifactInstaller.class, property = {
        // asked right after DuplicateBundleGuard and before FileInstall's own bundle handling, which would take the jar
        Constants.SERVICE_RANKING + ":Integer=" + (Integer.MAX_VALUE - 2),
        DeployedJars.GATED_PROPERTY + ":Boolean=true"})
public final class DeployFolderInstaller implements ArtifactInstaller, BundleListener {
    private static final Logger LOG = LoggerFactory.getLogger(DeployFolderInstaller.class);
    /** The digest of each jar installed from: FileInstall keeps no checksum of what this installer installs. */
    static final String DIGESTS_FILE = "deployed-jars.properties";
    /** The folder of the data area that holds a copy of the jar each deployed bundle resolved from last. */
    static final String KEPT_JARS = "kept-jars";
    /** A refresh restarts the bundles wired to the changed one; this long is waited for it before going on. */
    private static final long REFRESH_WAIT_SECONDS = 60;
    /** How long a component of an updated bundle is given to activate before its copy is kept without knowing. */
    private static final Duration ACTIVATION_WAIT = Duration.ofSeconds(10);

    private final BundleContext context;
    private final RefusedJars refusedJars;
    /** Told while a change is applied, for DeploymentMonitor not to take the bundles it unresolves for a problem. */
    private final DeployChanges changes;
    /** The deploy folder; empty when the framework property is not set, and then FileInstall keeps its own way. */
    private final Optional<Path> deployFolder;
    /** Guarded by this. */
    private final Properties digests = new Properties();
    /** The jars refused since they last changed, so that a jar being copied is logged once, not at every scan. */
    private final Set<Path> refused = ConcurrentHashMap.newKeySet();

    @Activate
    public DeployFolderInstaller(BundleContext context, @Reference RefusedJars refusedJars,
            @Reference DeployChanges changes) {
        this.context = context;
        this.refusedJars = refusedJars;
        this.changes = changes;
        this.deployFolder = DeployFolder.of(context);
        File stored = context.getDataFile(DIGESTS_FILE);
        if (stored != null && stored.isFile()) {
            try (InputStream in = Files.newInputStream(stored.toPath())) {
                digests.load(in);
            } catch (IOException e) {
                LOG.warn("{}: cannot read it ({}); a deployed jar seen first after this start updates its bundle even"
                        + " when unchanged", stored, e.toString());
            }
        }
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    /**
     * A bundle started (by whoever) is no longer one whose start failed. A bundle uninstalled or updated may have been
     * in the way of a jar the framework refused for its symbolic name
     * and version (a copy written over a deployed jar, which FileInstall leaves to this installer, or one of two copies
     * of a bundle new in the same scan, before DuplicateBundleGuard sees a bundle of either installed):
     * such a jar is handed back to FileInstall for another try by moving its time stamp on, since FileInstall asks
     * again about a jar only when it changes. Its refusal holds for the moved copy until that try gives its own
     * outcome. A jar refused for what it is itself (a header Felix rejects) waits for a new copy.
     */
    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED) {
            changes.started(event.getBundle()); // by whoever: a start that failed before is no longer the case
            return;
        }
        if (event.getType() != BundleEvent.UNINSTALLED && event.getType() != BundleEvent.UPDATED) {
            return;
        }
        for (Path jar : refusedJars.duplicates()) {
            try {
                DeployedJars.markChanged(jar);
                refusedJars.retrying(jar);
                LOG.info("{}: bundle {} was {}; handing this jar, which the framework refused as a duplicate, to"
                        + " FileInstall for another try", jar, DeployedJars.identity(event.getBundle()),
                        event.getType() == BundleEvent.UNINSTALLED ? "uninstalled" : "updated");
            } catch (IOException e) {
                LOG.warn("{}: cannot change its time stamp for FileInstall to try it again ({}); remove it and put it"
                        + " back to try it again", jar, e.toString());
            }
        }
    }

    @Override
    public boolean canHandle(File artifact) {
        // a deleted jar too: FileInstall asks about it when it forgot who installed it
        Path jar = DeployFolder.realLocation(artifact.toPath());
        return artifact.getName().endsWith(".jar") && deployFolder.filter(jar.getParent()::equals).isPresent();
    }

    @Override
    public void install(File artifact) {
        applying(() -> installOrUpdate(artifact));
    }

    @Override
    public void update(File artifact) {
        applying(() -> installOrUpdate(artifact));
    }

    @Override
    public void uninstall(File artifact) {
        applying(() -> uninstallFrom(artifact));
    }

    private void applying(Runnable change) {
        changes.begin();
        try {
            change.run();
        } finally {
            changes.end();
        }
    }

    private synchronized void uninstallFrom(File artifact) {
        Path jar = DeployFolder.realLocation(artifact.toPath());
        refused.remove(jar);
        refusedJars.cleared(jar);
        forget(jar);
        Optional<Bundle> installed = installedFrom(jar);
        if (installed.isEmpty()) {
            LOG.info("{}: removed; no bundle was installed from it", jar);
            return;
        }
        Bundle bundle = installed.get();
        try {
            LOG.info("{}: removed; uninstalling bundle {} (bundle id {})", jar, DeployedJars.identity(bundle),
                    bundle.getBundleId());
            bundle.uninstall();
            dropCopy(bundle);
            refresh(List.of(bundle));
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("{}: removed, but its bundle {} could not be uninstalled: {}", jar, DeployedJars.identity(bundle),
                    e.toString());
        }
        startDeployedBundles();
    }

    private synchronized void installOrUpdate(File artifact) {
        Path jar = DeployFolder.realLocation(artifact.toPath());
        Path staged;
        try {
            staged = stage(jar);
        } catch (IOException e) {
            LOG.warn("{}: cannot be read ({}); it is taken up when it changes next", jar, e.toString());
            return;
        }
        try {
            installOrUpdate(jar, staged);
        } finally {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException e) {
                LOG.debug("{}: its staged copy {} could not be deleted", jar, staged, e);
            }
        }
    }

    /**
     * The jar read once into a file of this bundle's own (a temporary one without persistent storage): the copy that
     * is checked, installed or updated from and kept for a rollback. Read again at each step, a jar written over in
     * the moment after its bundle was installed from it (a bad copy a second after a good one) kept no copy to roll
     * back to, and the bad one took the plugin away.
     */
    private Path stage(Path jar) throws IOException {
        File data = context.getDataFile(KEPT_JARS + "/staged.jar");
        Path staged = data == null ? Files.createTempFile("mcpagent-deploy-", ".jar") : data.toPath();
        Files.createDirectories(staged.getParent());
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        return staged;
    }

    /** What a log line of a copy not applied adds of the bundle installed from the jar before, if any. */
    private static String keepsRunning(Optional<Bundle> installed) {
        return installed.map(bundle -> "; bundle " + DeployedJars.identity(bundle) + " installed from it keeps running")
                .orElse("");
    }

    /** Installs or updates the bundle of {@code jar} from {@code staged}, the copy of it {@link #stage} made. */
    private void installOrUpdate(Path jar, Path staged) {
        Optional<Bundle> installed = installedFrom(jar);
        Optional<String> defect = DeployedJars.defect(staged);
        if (defect.isPresent()) {
            // DeploymentMonitor reports it once it stopped changing; until then it may be a copy in progress
            if (refused.add(jar)) {
                LOG.info("{}: not applied ({}){}", jar, defect.get(), keepsRunning(installed));
            }
            return;
        }
        refused.remove(jar);
        Optional<String> takesOver = deployFolder.flatMap(folder ->
                DeployedJars.takesOverPlatformPackage(staged, context.getBundles(), folder));
        if (takesOver.isPresent()) {
            refusedJars.notInstallable(jar, takesOver.get());
            LOG.warn("{}: {}{}", jar, takesOver.get(), keepsRunning(installed));
            return;
        }
        String digest;
        try {
            digest = digest(staged);
        } catch (IOException e) {
            LOG.warn("{}: cannot be read ({}); it is taken up when it changes next", jar, e.toString());
            return;
        }
        try {
            boolean applied = true;
            if (installed.isEmpty()) {
                Bundle bundle = installFrom(jar, staged);
                remember(jar, digest);
                if (isFragment(bundle)) {
                    // a fragment attaches to a host that is resolved already only when that host is refreshed
                    refresh(hostsOf(bundle));
                } else {
                    start(bundle);
                }
                keepCopy(bundle, staged, jar, digest);
            } else if (digest.equals(recorded(jar))) {
                LOG.debug("{}: unchanged since bundle {} was installed from it", jar,
                        DeployedJars.identity(installed.get()));
                // installed in an earlier run, maybe before copies were kept
                if (keptCopy(installed.get()).filter(Files::isRegularFile).isEmpty()) {
                    keepCopy(installed.get(), staged, jar, digest);
                }
            } else {
                applied = update(installed.get(), jar, staged, digest); // rolled back: refused until the jar changes
            }
            if (applied) {
                refusedJars.cleared(jar);
            }
        } catch (BundleException | IOException | IllegalStateException e) {
            if (e instanceof BundleException refusal) {
                // the jar looked valid, but the framework refused it: DeploymentMonitor reports its reason
                refusedJars.refused(jar, refusal);
            }
            LOG.warn("{}: not applied: {}{}", jar, e.getMessage(), keepsRunning(installed));
        }
        startDeployedBundles();
    }

    /**
     * Updates the bundle from the jar, refreshes it and starts it again if it was running; false when the new revision
     * does not resolve, or does not start where the old one ran, and the bundle was rolled back to the copy of the jar
     * it resolved from before.
     */
    private boolean update(Bundle bundle, Path jar, Path staged, String digest) throws BundleException, IOException {
        String before = DeployedJars.identity(bundle);
        // a copy that cannot resolve must not take away a bundle that works: without this its plugins were gone
        Optional<Path> rollback = isResolved(bundle) ? keptCopy(bundle).filter(Files::isRegularFile)
                : Optional.empty();
        // Updated running, the bundle would restart on its new revision at once and again with the refresh:
        // its plugins removed and added twice, and a component being activated by the first start failed.
        boolean running = stopForUpdate(bundle, jar);
        boolean startedAgain = false;
        try {
            try (InputStream in = Files.newInputStream(staged)) {
                bundle.update(in);
            }
            LOG.info("{}: bundle {} updated to {}", jar, before, DeployedJars.identity(bundle));
            refresh(withHosts(bundle));
            // resolved now, stopped by hand too: left installed, DeploymentMonitor reported it as unresolved
            if (!frameworkWiring().resolveBundles(List.of(bundle)) && rollback.isPresent()) {
                rollBack(bundle, jar, rollback.get(), "cannot resolve: " + unresolvedBecause(bundle), "resolves");
                return false;
            }
            if (running && rollback.isPresent()) {
                // an activator that fails takes the bundle away as surely as a missing import does
                Optional<String> startFailure = startFailure(bundle);
                startedAgain = startFailure.isEmpty();
                if (startFailure.isPresent()) {
                    rollBack(bundle, jar, rollback.get(), "did not start: " + startFailure.get(), "starts");
                    return false;
                }
                // and so does a component that fails to activate: its plugin is gone once the plugin manager asks
                Optional<String> activationFailure = ComponentActivation.failure(context, bundle, ACTIVATION_WAIT);
                if (activationFailure.isPresent()) {
                    rollBack(bundle, jar, rollback.get(), "started, but " + activationFailure.get(),
                            "starts and whose components activate");
                    return false;
                }
            }
            remember(jar, digest);
            keepCopy(bundle, staged, jar, digest);
            return true;
        } finally {
            if (running && !startedAgain) {
                startAgain(bundle); // on its new revision, or on its old one if the update was refused or rolled back
            }
        }
    }

    /** What the bundle's revision misses, as the deploy monitor names it. */
    private String unresolvedBecause(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return (revision == null ? Optional.<String>empty()
                : DeploymentMonitor.missingRequirements(UnresolvedRequirements.of(frameworkWiring(), revision),
                        context.getBundles()))
                .orElse("the bundles it needs cannot resolve themselves, see data/log/mcp-agent.log");
    }

    /** Starts the bundle; why it did not start (its activator's exception named), or empty when it did. */
    private static Optional<String> startFailure(Bundle bundle) {
        try {
            bundle.start();
            return Optional.empty();
        } catch (BundleException | IllegalStateException e) {
            return Optional.of(e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        }
    }

    /**
     * Updates a bundle whose new revision {@code why} ("cannot resolve: ...", "did not start: ...") back from
     * {@code copy}, the jar it resolved from before, and records that for {@link DeploymentMonitor} to report the jar
     * until it changes, with what a copy must do instead ({@code remedy}: "resolves", "starts").
     */
    private void rollBack(Bundle bundle, Path jar, Path copy, String why, String remedy) {
        String rejected = DeployedJars.identity(bundle);
        try (InputStream in = Files.newInputStream(copy)) {
            bundle.update(in);
            refresh(withHosts(bundle));
            frameworkWiring().resolveBundles(List.of(bundle));
            refusedJars.rolledBack(jar, why, remedy);
            LOG.warn("{}: bundle {} of this jar {}; rolled back to {}, which it was updated from", jar, rejected, why,
                    DeployedJars.identity(bundle));
        } catch (BundleException | IOException | IllegalStateException e) {
            LOG.warn("{}: bundle {} of this jar {}, and it could not be rolled back to {}: {}", jar, rejected, why,
                    copy, e.toString());
        }
    }

    private static boolean isResolved(Bundle bundle) {
        return (bundle.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0;
    }

    /** Where the copy of the jar {@code bundle} last resolved from is kept; empty without persistent storage. */
    private Optional<Path> keptCopy(Bundle bundle) {
        return Optional.ofNullable(context.getDataFile(KEPT_JARS + "/" + bundle.getBundleId() + ".jar"))
                .map(File::toPath);
    }

    /**
     * Keeps a copy of {@code source}, for an update of the bundle that does not resolve to be rolled back to it, if the
     * bundle resolved from it and it is still the copy of that {@code digest} (not one being written over it):
     * {@code jar} itself, or its staged copy ({@link #stage}).
     */
    private void keepCopy(Bundle bundle, Path source, Path jar, String digest) {
        Optional<Path> copy = keptCopy(bundle);
        if (copy.isEmpty() || !isResolved(bundle)) {
            return;
        }
        Path partial = copy.get().resolveSibling(copy.get().getFileName() + ".part");
        try {
            Files.createDirectories(partial.getParent());
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            if (digest.equals(digest(partial))) {
                Files.move(partial, copy.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.delete(partial); // changed meanwhile: kept once its new copy is applied
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot keep a copy of it in {} ({}); an update of bundle {} that does not resolve cannot be"
                    + " rolled back", jar, copy.get().getParent(), e.toString(), DeployedJars.identity(bundle));
        }
    }

    private void dropCopy(Bundle bundle) {
        keptCopy(bundle).ifPresent(copy -> {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                LOG.debug("{}: cannot delete it ({})", copy, e.toString());
            }
        });
    }

    private Bundle installFrom(Path jar, Path staged) throws BundleException, IOException {
        try (InputStream in = Files.newInputStream(staged)) {
            Bundle bundle = context.installBundle(location(jar), in);
            LOG.info("{}: installed bundle {} (bundle id {})", jar, DeployedJars.identity(bundle),
                    bundle.getBundleId());
            return bundle;
        }
    }

    /**
     * The location FileInstall gives the bundles it installs, {@code file:/path/x.jar} (a {@link File}'s URI, not a
     * {@link Path}'s {@code file:///path/x.jar}), so that a bundle reads the same whichever of the two installed it.
     */
    static String location(Path jar) {
        return jar.toFile().toURI().toString();
    }

    private void start(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | IllegalStateException e) {
            // DeploymentMonitor names what an unresolved bundle misses (it is started once that comes), and why a
            // resolved one did not start
            LOG.warn("bundle {} installed but not started: {}", DeployedJars.identity(bundle), e.getMessage());
            changes.startFailed(bundle, e.getMessage());
        }
    }

    /**
     * Stops a running bundle for its update, transiently (it stays to run, for {@link #startDeployedBundles} too);
     * whether it was running. A bundle whose activator fails to stop is stopped all the same.
     */
    private static boolean stopForUpdate(Bundle bundle, Path jar) {
        if ((bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return false;
        }
        try {
            bundle.stop(Bundle.STOP_TRANSIENT);
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("{}: bundle {} did not stop cleanly for its update: {}", jar, DeployedJars.identity(bundle),
                    e.getMessage());
        }
        return true;
    }

    private void startAgain(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | IllegalStateException e) {
            // DeploymentMonitor names what an unresolved bundle misses (it is started once that comes), and why a
            // resolved one did not start
            LOG.warn("bundle {} not started again after its update: {}", DeployedJars.identity(bundle),
                    e.getMessage());
            changes.startFailed(bundle, e.getMessage());
        }
    }

    /**
     * Starts the deployed bundles that are to run but do not, as FileInstall does after each change: one whose
     * requirements were missing when it was installed may resolve now. A bundle stopped by hand is not to run.
     */
    private void startDeployedBundles() {
        for (Bundle bundle : context.getBundles()) {
            int state = bundle.getState();
            if ((state == Bundle.INSTALLED || state == Bundle.RESOLVED) && !isFragment(bundle)
                    && deployFolder.filter(folder -> DeployFolder.deployedFrom(folder, bundle)).isPresent()
                    && isPersistentlyStarted(bundle)) {
                try {
                    bundle.start();
                    LOG.info("bundle {} started: what it needed is there now", DeployedJars.identity(bundle));
                    DeployFolder.fileOf(bundle.getLocation()).ifPresent(jar -> Optional.ofNullable(recorded(jar))
                            .ifPresent(digest -> keepCopy(bundle, jar, jar, digest)));
                } catch (BundleException | IllegalStateException e) {
                    LOG.debug("bundle {} still cannot start: {}", DeployedJars.identity(bundle), e.getMessage());
                    changes.startFailed(bundle, e.getMessage());
                }
            }
        }
    }

    private static boolean isPersistentlyStarted(Bundle bundle) {
        BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
        return startLevel != null && startLevel.isPersistentlyStarted();
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /** The installed bundles that can host this fragment, resolved ones included. */
    private Set<Bundle> hostsOf(Bundle fragment) {
        Set<Bundle> hosts = new LinkedHashSet<>();
        BundleRevision revision = fragment.adapt(BundleRevision.class);
        if (revision != null) {
            for (Requirement host : revision.getRequirements(HostNamespace.HOST_NAMESPACE)) {
                UnresolvedRequirements.providers(frameworkWiring(), host).forEach(capability -> hosts.add(
                        capability.getRevision().getBundle()));
            }
        }
        return hosts;
    }

    /**
     * The bundle and, for a fragment, its hosts: refreshed alone, an updated fragment that no longer resolves, or one
     * rolled back, is not attached again, since its hosts stay resolved without it.
     */
    private List<Bundle> withHosts(Bundle bundle) {
        if (!isFragment(bundle)) {
            return List.of(bundle);
        }
        List<Bundle> bundles = new ArrayList<>(List.of(bundle));
        bundles.addAll(hostsOf(bundle));
        return bundles;
    }

    private FrameworkWiring frameworkWiring() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    /** Refreshes the bundles and those wired to them, as FileInstall does, and waits for that to end. */
    private void refresh(Collection<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        frameworkWiring().refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                refreshed.countDown();
            }
        });
        try {
            if (!refreshed.await(REFRESH_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("the refresh of {} did not end within {} s; going on",
                        bundles.stream().map(DeployedJars::identity).toList(), REFRESH_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Bundle> installedFrom(Path jar) {
        for (Bundle bundle : context.getBundles()) {
            if (DeployFolder.fileOf(bundle.getLocation()).equals(Optional.of(jar))) {
                return Optional.of(bundle);
            }
        }
        return Optional.empty();
    }

    private String recorded(Path jar) {
        return digests.getProperty(jar.toString());
    }

    private void remember(Path jar, String digest) {
        digests.setProperty(jar.toString(), digest);
        store();
    }

    private void forget(Path jar) {
        if (digests.remove(jar.toString()) != null) {
            store();
        }
    }

    private void store() {
        File stored = context.getDataFile(DIGESTS_FILE);
        if (stored == null) {
            return; // no persistent storage: the digests last for this run
        }
        try (OutputStream out = Files.newOutputStream(stored.toPath())) {
            digests.store(out, "SHA-256 of each jar of deploy/ as last installed from it");
        } catch (IOException e) {
            LOG.warn("{}: cannot write it ({}); after a restart a deployed jar updates its bundle even when unchanged",
                    stored, e.toString());
        }
    }

    static String digest(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha256.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
