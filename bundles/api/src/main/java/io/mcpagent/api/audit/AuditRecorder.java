package io.mcpagent.api.audit;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

import io.mcpagent.api.runtime.BoundService;

/**
 * The {@link AuditLog} as a component that records into it sees it through an optional, dynamic reference (bind and
 * unbind go to {@link #bind} and {@link #unbind}; since 1.3 with the service's properties, so that unbinding needs no
 * log). The log is away while its provider restarts, its bundle updated or
 * refreshed say: an entry recorded meanwhile is held, and written, with the time it was recorded at, when a log is
 * bound again, so that an action done then is not missing from the log. At most {@value #HELD} entries are held; the
 * first one beyond, while no log is bound, is reported lost, and the ones after it are dropped unsaid.
 * <p>
 * {@link #record} never throws: an entry the log refuses is reported lost too, with the log's reason, since the action
 * it tells of has happened (or was refused) all the same.
 */
public final class AuditRecorder {
    /** How many entries wait for a log at most. */
    public static final int HELD = 1_000;

    private final BoundService<AuditLog> bound = new BoundService<>();
    /** Guarded by itself, as are the two fields after it. */
    private final ArrayDeque<AuditEntry> held = new ArrayDeque<>();
    private boolean overflowSaid;
    private final BiConsumer<AuditEntry, String> lost;

    /** @param lost told of an entry that is not recorded, and why: for a log line, never thrown */
    public AuditRecorder(BiConsumer<AuditEntry, String> lost) {
        this.lost = Objects.requireNonNull(lost, "lost");
    }

    /** Records {@code entry} in the log bound now, or holds it until one is. */
    public void record(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        AuditLog log = bound.get();
        if (log == null) {
            synchronized (held) {
                log = bound.get();
                if (log == null) {
                    hold(entry);
                    return;
                }
            }
        }
        write(log, entry);
    }

    /** Takes {@code log} and writes the entries held meanwhile to it. */
    public void bind(AuditLog log) {
        bind(log, null);
    }

    /**
     * {@link #bind(AuditLog)}, with the properties of the log's service, whose {@code service.id}
     * {@link #unbind(Map)} is given again (1.3).
     */
    public void bind(AuditLog log, Map<String, ?> properties) {
        Objects.requireNonNull(log, "log");
        List<AuditEntry> waiting;
        synchronized (held) {
            bound.bind(log, properties);
            waiting = List.copyOf(held);
            held.clear();
            overflowSaid = false;
        }
        waiting.forEach(entry -> write(log, entry));
    }

    public void unbind(AuditLog log) {
        bound.unbind(log); // a replacement a greedy reference bound before this unbind stays
    }

    /**
     * Lets go of the log of the service with these properties, unless a replacement is bound already (1.3). Without
     * the log: DS hands an unbind method the service only after asking for it, and asked for a log whose activation
     * had failed (the history, its database down), it activated it again and logged that failure at ERROR with its
     * stack.
     */
    public void unbind(Map<String, ?> properties) {
        bound.unbind(properties);
    }

    /** The log bound now, to read from it. */
    public Optional<AuditLog> current() {
        return bound.current();
    }

    private void hold(AuditEntry entry) {
        if (held.size() < HELD) {
            held.add(entry);
        } else if (!overflowSaid) {
            overflowSaid = true;
            lost.accept(entry, HELD + " entries already wait for an audit log to be running; further ones are dropped"
                    + " until one is");
        }
    }

    private void write(AuditLog log, AuditEntry entry) {
        try {
            log.record(entry);
        } catch (RuntimeException e) {
            lost.accept(entry, String.valueOf(e.getMessage()));
        }
    }
}
