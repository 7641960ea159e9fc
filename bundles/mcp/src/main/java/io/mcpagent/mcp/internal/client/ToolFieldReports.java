package io.mcpagent.mcp.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Which tool fields of a wrong JSON type are logged: each (tool, field) once, up to {@link #MAX_REMEMBERED} of them.
 * A server that renames its tools on every listing would otherwise grow the set without limit; past the cap the
 * further ones are not remembered, and one of them is logged at most once per {@link #UNREMEMBERED_INTERVAL}, saying
 * how many went unlogged before it. Thread-safe: the connections of a server share one.
 */
public final class ToolFieldReports {
    static final int MAX_REMEMBERED = 1000;
    /** Longer tool names are remembered by their start, so that the cap bounds the memory too. */
    static final int MAX_REMEMBERED_NAME = 128;
    static final Duration UNREMEMBERED_INTERVAL = Duration.ofMinutes(1);

    private final Set<List<String>> remembered = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoClock;
    /** When the next field past the cap may be logged; 0 before the first. */
    private final AtomicLong nextUnrememberedNanos = new AtomicLong();
    private final AtomicLong unlogged = new AtomicLong();

    public ToolFieldReports() {
        this(System::nanoTime);
    }

    ToolFieldReports(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Whether the wrong {@code field} of {@code tool} is logged now: empty when not, else the number of fields past the
     * cap left unlogged since the last one logged (0 while under the cap).
     */
    public OptionalLong report(String tool, String field) {
        List<String> key = List.of(tool.length() <= MAX_REMEMBERED_NAME ? tool : tool.substring(0, MAX_REMEMBERED_NAME),
                field);
        if (remembered.contains(key)) {
            return OptionalLong.empty();
        }
        synchronized (remembered) { // the check and the add, so that concurrent listings do not pass the cap
            if (remembered.size() < MAX_REMEMBERED) {
                return remembered.add(key) ? OptionalLong.of(0) : OptionalLong.empty();
            }
        }
        long now = nanoClock.getAsLong();
        long next = nextUnrememberedNanos.get();
        if ((next == 0 || now - next >= 0)
                && nextUnrememberedNanos.compareAndSet(next, now + UNREMEMBERED_INTERVAL.toNanos())) {
            return OptionalLong.of(unlogged.getAndSet(0));
        }
        unlogged.incrementAndGet();
        return OptionalLong.empty();
    }
}
