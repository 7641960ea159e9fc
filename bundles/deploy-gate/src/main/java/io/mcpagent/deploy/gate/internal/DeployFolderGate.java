package io.mcpagent.deploy.gate.internal;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.ServiceReference;

/**
 * FileInstall's one installer for the jars of the deploy folder, handing each call on to the installers of
 * io.mcpagent.deploy (services marked {@value #DELEGATE_PROPERTY}), asked in ranking order as FileInstall would ask
 * them. While none that takes a jar is there (that bundle is restarted by an update or refresh of the API,
 * ConfigAdmin or slf4j, and registers its installers one after the other), a jar that changes is held and handed
 * over once one is back: FileInstall never offers such a jar to its own
 * bundle handling, which would keep it and uninstall its bundle when a corrupt copy is written over it later.
 * <p>
 * FileInstall remembers which installer took a jar and forgets it when that installer goes away; this one goes away
 * only with FileInstall's own restart (it imports nothing else), so FileInstall's memory of the jars stays whole.
 */
final class DeployFolderGate implements ArtifactInstaller {
    /** The service property that marks an {@link ArtifactInstaller} as one the gate hands the deploy folder's jars to. */
    static final String DELEGATE_PROPERTY = "mcpagent.deploy.gated";
    /**
     * The service property of the gate's {@code Supplier<Map<File, Instant>>} of the jars it holds, with the time each
     * was held, for io.mcpagent.deploy's DeploymentMonitor to report (java.util types: no package shared).
     */
    static final String HELD_PROPERTY = "mcpagent.deploy.held";
    /**
     * The framework property of how long, in seconds, jars are held before the gate warns that no installer came back
     * for them; read when the gate starts.
     */
    static final String HELD_WARNING_PROPERTY = "mcpagent.deploy.gate.heldWarningSeconds";
    /** The delay of that warning without the property, or with one that is wrong. */
    static final Duration DEFAULT_HELD_WARNING_DELAY = Duration.ofSeconds(30);
    /** The longest delay: an installer that is away longer than an hour is a problem to be told of. */
    static final long MAX_HELD_WARNING_SECONDS = 3600;

    private final Path deployFolder;
    /** Runs the hand-over of held jars, away from the thread registering a delegate (SCR activating it). */
    private final Executor handOver;
    private final Duration heldWarningDelay;
    /** Runs a task once {@link #heldWarningDelay} has passed. */
    private final Executor afterHeldWarningDelay;
    /**
     * Writes to java.util.logging, data/log/framework.log, which io.mcpagent.core's JavaLoggingBridge copies into the
     * runtime's log while it runs: an import of slf4j or the Log Service would wire the gate to their bundles, whose
     * refresh would then restart it.
     */
    private final System.Logger log;
    private final Map<ServiceReference<ArtifactInstaller>, ArtifactInstaller> delegates = new ConcurrentHashMap<>();
    /** The delegate that took each jar, asked again about it as FileInstall asks the installer that took a jar. */
    private final Map<File, ArtifactInstaller> takenBy = new ConcurrentHashMap<>();
    /**
     * The jars that changed or went while no delegate taking them was there, in that order, with the time each was
     * held; guarded by this.
     */
    private final Map<File, Instant> held = new LinkedHashMap<>();
    /** Counts the times the gate began to hold jars, so that a late warning is for the jars held now; guarded by this. */
    private long holdings;

    /** @param deployFolder the deploy folder as its real path */
    DeployFolderGate(Path deployFolder, Executor handOver, Duration heldWarningDelay, Executor afterHeldWarningDelay,
            System.Logger log) {
        this.deployFolder = deployFolder;
        this.handOver = handOver;
        this.heldWarningDelay = heldWarningDelay;
        this.afterHeldWarningDelay = afterHeldWarningDelay;
        this.log = log;
    }

    void delegateAdded(ServiceReference<ArtifactInstaller> reference, ArtifactInstaller delegate) {
        delegates.put(reference, delegate);
        handOver.execute(this::handOverHeld);
    }

    void delegateRemoved(ServiceReference<ArtifactInstaller> reference) {
        ArtifactInstaller gone = delegates.remove(reference);
        takenBy.values().removeIf(delegate -> delegate == gone);
    }

    /** A jar of the deploy folder, deleted too: FileInstall asks about a deleted jar when it forgot who took it. */
    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && deployFolder.equals(realFolder(artifact.toPath()));
    }

    @Override
    public synchronized void install(File artifact) throws Exception {
        changed(artifact);
    }

    @Override
    public synchronized void update(File artifact) throws Exception {
        changed(artifact);
    }

    @Override
    public synchronized void uninstall(File artifact) throws Exception {
        Optional<ArtifactInstaller> taker = Optional.ofNullable(takenBy.remove(artifact)).or(() -> firstTaking(artifact));
        if (taker.isPresent()) {
            taker.get().uninstall(artifact);
        } else {
            hold(artifact);
        }
    }

    /**
     * Hands the held jars that a delegate now takes to it; the others stay held, as they were (io.mcpagent.deploy
     * registers DuplicateBundleGuard, which takes few jars, before DeployFolderInstaller).
     */
    private synchronized void handOverHeld() {
        List<File> taken = held.keySet().stream().filter(artifact -> firstTaking(artifact).isPresent()).toList();
        if (taken.isEmpty()) {
            return;
        }
        log.log(Level.INFO, "an installer of " + deployFolder + " is back: handing it the jars held for it: " + taken);
        for (File artifact : taken) {
            held.remove(artifact);
            try {
                if (artifact.exists()) {
                    changed(artifact);
                } else {
                    uninstall(artifact);
                }
            } catch (Exception e) {
                // as FileInstall does with an installer's failure: the jar is taken up when it changes next
                log.log(Level.WARNING, artifact + ": its installer failed on it: " + e);
            }
        }
    }

    /** The jars held now, with the time each was held. */
    synchronized Map<File, Instant> held() {
        return Map.copyOf(held);
    }

    /**
     * Hands a new or changed jar to the first delegate taking it; when another delegate took it before and no longer
     * does, that one is told first that it lost the jar, as FileInstall tells an installer that cannot handle a jar
     * any more.
     */
    private void changed(File artifact) throws Exception {
        ArtifactInstaller before = takenBy.remove(artifact);
        Optional<ArtifactInstaller> now = firstTaking(artifact);
        if (before != null && now.filter(before::equals).isEmpty()) {
            before.uninstall(artifact);
        }
        if (now.isPresent()) {
            ArtifactInstaller delegate = now.get();
            takenBy.put(artifact, delegate);
            if (delegate == before) {
                delegate.update(artifact);
            } else {
                delegate.install(artifact);
            }
        } else {
            hold(artifact);
        }
    }

    /** Highest ranking first, as FileInstall asks its listeners. */
    private Optional<ArtifactInstaller> firstTaking(File artifact) {
        return delegates.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
                .map(Map.Entry::getValue).filter(delegate -> delegate.canHandle(artifact)).findFirst();
    }

    private void hold(File artifact) {
        if (held.isEmpty()) {
            long holding = ++holdings;
            afterHeldWarningDelay.execute(() -> warnIfStillHeld(holding));
        }
        if (held.putIfAbsent(artifact, Instant.now()) == null) {
            log.log(Level.INFO, artifact + ": changed while the installers of the deploy folder are away; held for them");
        }
    }

    /**
     * The installers are back within a second of a restart of io.mcpagent.deploy; jars held longer wait for an
     * installer that may not come (that bundle stopped, or its component failing), and neither FileInstall nor
     * plugin:problems says so, whose reporter is in that bundle too.
     */
    private synchronized void warnIfStillHeld(long holding) {
        if (holding == holdings && !held.isEmpty()) {
            log.log(Level.WARNING, "jars of " + deployFolder + " held for " + heldWarningDelay.toSeconds()
                    + " s: no installer of io.mcpagent.deploy took them since (is that bundle active, its components "
                    + "DuplicateBundleGuard and DeployFolderInstaller satisfied?); they are applied once one is back: "
                    + held.keySet());
        }
    }

    /**
     * The delay of the warning about held jars that the framework property {@value #HELD_WARNING_PROPERTY} gives
     * ({@code value}, null without it): a whole number of seconds from 1 to {@value #MAX_HELD_WARNING_SECONDS}. A wrong
     * one is logged at ERROR and the default taken: the gate must run whatever the value, or FileInstall's own bundle
     * handling would take the jars that change while io.mcpagent.deploy restarts.
     */
    static Duration heldWarningDelay(String value, System.Logger log) {
        if (value == null) {
            return DEFAULT_HELD_WARNING_DELAY;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 1 && seconds <= MAX_HELD_WARNING_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // said below, as a value out of range is
        }
        log.log(Level.ERROR, "framework property " + HELD_WARNING_PROPERTY + " must be a whole number of seconds from 1"
                + " to " + MAX_HELD_WARNING_SECONDS + ", was '" + value + "'; the gate warns of jars held for "
                + DEFAULT_HELD_WARNING_DELAY.toSeconds() + " s, the default, instead: correct it where it is set"
                + " (etc/framework.properties) and restart");
        return DEFAULT_HELD_WARNING_DELAY;
    }

    /**
     * The file's folder with its links resolved, as FileInstall names the jars it watches; not the API's
     * DeployFolder, whose import would restart this bundle with the API.
     */
    private static Path realFolder(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.getParent() == null ? absolute : realPath(absolute.getParent());
    }

    /** The path with its links resolved; the normalized absolute path when it does not exist (any more). */
    static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
