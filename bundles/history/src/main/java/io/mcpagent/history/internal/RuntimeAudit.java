package io.mcpagent.history.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditRecorder;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.event.ExecutionListener;
import io.mcpagent.api.event.PluginAdded;
import io.mcpagent.api.event.PluginRemoved;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.runtime.EarlyConfigurationListener;

/**
 * What the runtime does on its own goes into the audit log with the actor {@link AuditEntry#RUNTIME}: plugins that
 * come and go (a bundle dropped into or deleted from {@code deploy/}, started or stopped) and configurations created,
 * changed or deleted (a file in {@code etc/}, or any other ConfigAdmin client), and configurations refused
 * ({@code config.refused}, failed, with the reason): by their component after ConfigAdmin took them, or as a file in
 * {@code etc/} before ConfigAdmin saw it. The config bundle tells it of those ({@link EarlyConfigurationListener}),
 * once each and in order: those made at a start before this component registered (a file edited while the runtime
 * was stopped, a refusal by a core component) with their times, then each as it happens. It hears them from there
 * only: heard from ConfigAdmin and the refusals too, one made while this component registered was recorded twice, out
 * of order, or not at all. Actions made through the API or the shell are recorded there, with their actor. Entries
 * are written on one thread of this component's own, so event publishers are never held up by the database.
 * <p>
 * It is told of a change synchronously, while ConfigAdmin updates the configuration, rather than later and
 * asynchronously as Declarative Services does: the entry is queued before anything the change leads to happens, a
 * restart of this component among them, whose stop waits for the queue. A change of a configuration's location, which
 * the config bundle does not tell, it hears from ConfigAdmin.
 * <p>
 * The audit log is optional, as it is to every other recorder ({@link AuditRecorder}): it is this bundle's history,
 * which fails to activate on a database it cannot open. A mandatory reference failed this component with it, on every
 * bind of its listener services ('Unable to get service for reference log'), and for good: nothing asked for it
 * again once the history was repaired. Entries recorded while the log is away are held and written when it is back.
 */
@Component(service = {ExecutionListener.class, SynchronousConfigurationListener.class,
        EarlyConfigurationListener.class})
public final class RuntimeAudit implements ExecutionListener, SynchronousConfigurationListener,
        EarlyConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeAudit.class);
    /** How long a stop waits for the entries still queued. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final AuditRecorder log = new AuditRecorder((entry, why) ->
            LOG.warn("cannot record {} of {} in the audit log: {}", entry.action(), entry.target(), why));
    private final Clock clock;
    private final Duration stopWait;
    /** One thread; a pool rather than Executors' wrapper so that a stop can say how many entries it waits for. */
    private final ThreadPoolExecutor writer;

    @Activate
    public RuntimeAudit() {
        this(Clock.systemUTC(), STOP_WAIT);
    }

    RuntimeAudit(Clock clock, Duration stopWait) {
        this.clock = clock;
        this.stopWait = stopWait;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "mcp-agent audit writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Refusals are recorded once ({@link RefusalsRecordedOnce}), also those held while no log was bound. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindLog")
    void bindLog(AuditLog auditLog, Map<String, Object> properties) {
        log.bind(new RefusalsRecordedOnce(auditLog), properties);
    }

    /** Without the log, which DS would ask for again: see {@link AuditRecorder#unbind(Map)}. */
    void unbindLog(Map<String, Object> properties) {
        log.unbind(properties);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        writer.shutdown();
        long unfinished = writer.getQueue().size() + writer.getActiveCount();
        if (!StopWait.await(LOG, "the audit writer to record " + unfinished + " entries", stopWait,
                millis -> writer.awaitTermination(millis, TimeUnit.MILLISECONDS))) {
            LOG.warn("audit entries still unwritten after {} ms are dropped: {}", stopWait.toMillis(),
                    writer.shutdownNow().size());
        }
    }

    @Override
    public void onEvent(ExecutionEvent event) {
        switch (event) {
            case PluginAdded added -> write(added.timestamp(), "plugin.added", added.plugin());
            case PluginRemoved removed -> write(removed.timestamp(), "plugin.removed", removed.plugin());
            default -> { } // execution events belong to the history, not to the audit log
        }
    }

    /** A change of a configuration's location only: the config bundle tells the others ({@link #updated}). */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() == ConfigurationEvent.CM_LOCATION_CHANGED) {
            writeChange(clock.instant(), "config.location-changed", event.getPid(), event.getFactoryPid());
        }
    }

    @Override
    public void updated(Instant at, String pid, String factoryPid) {
        writeChange(at, "config.updated", pid, factoryPid);
    }

    @Override
    public void deleted(Instant at, String pid, String factoryPid) {
        writeChange(at, "config.deleted", pid, factoryPid);
    }

    /**
     * The component's verdict comes after ConfigAdmin's event, whose {@code config.updated} only says the
     * configuration was stored; this entry, queued after it, says it is not in force and why. A file refused before
     * ConfigAdmin has this entry alone. The same refusal, recorded already and unchanged since, is not recorded again
     * ({@link RefusalsRecordedOnce}): each start of the runtime refuses it anew.
     */
    @Override
    public void refused(Instant at, String pid, String message) {
        write(new AuditEntry(at, AuditEntry.RUNTIME, null, null, RefusalsRecordedOnce.REFUSED, pid, AuditEntry.FAILED,
                message));
    }

    private void writeChange(Instant at, String action, String pid, String factoryPid) {
        String detail = factoryPid == null ? null : "factory " + factoryPid;
        write(new AuditEntry(at, AuditEntry.RUNTIME, null, null, action, pid, AuditEntry.SUCCEEDED, detail));
    }

    private void write(Instant timestamp, String action, PluginInfo plugin) {
        write(new AuditEntry(timestamp, AuditEntry.RUNTIME, null, null, action, plugin.id(), AuditEntry.SUCCEEDED,
                plugin.kind().id() + " from bundle " + plugin.bundleSymbolicName()
                        + " " + plugin.bundleVersion()));
    }

    private void write(AuditEntry entry) {
        try {
            writer.execute(() -> log.record(entry));
        } catch (RejectedExecutionException stopping) {
            LOG.warn("the audit log is stopping: {} of {} is not recorded", entry.action(), entry.target());
        }
    }
}
