package io.mcpagent.http.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.mcpagent.http.internal.RequestLimits.StreamLimits;

/**
 * The event streams open by caller (actor), within the {@link StreamLimits} in force when each one opens: a changed
 * configuration applies to the next stream, and the streams open stay, also past a lowered limit, until they end.
 */
final class OpenEventStreams {
    /** A stream frees its place when its execution ends or its client leaves, which no one can foresee. */
    static final long RETRY_AFTER_SECONDS = 5;

    private final Supplier<StreamLimits> limits;
    /** Guarded by itself. */
    private final Map<String, Integer> openByCaller = new HashMap<>();

    OpenEventStreams(Supplier<StreamLimits> limits) {
        this.limits = limits;
    }

    /** Takes a place for one more stream of {@code caller}; a 429 naming the limit when none is left. */
    void admit(String caller) throws ApiError {
        StreamLimits current = limits.get();
        synchronized (openByCaller) {
            int ofCaller = openByCaller.getOrDefault(caller, 0);
            if (ofCaller >= current.perCaller()) {
                throw ApiError.tooManyRequests("the API key or token " + caller + " has " + ofCaller
                        + " event streams open, the most one caller may (" + current.perCaller()
                        + ", maxEventStreamsPerCaller in etc/" + HttpConfig.PID + ".cfg.json); close one (a stream"
                        + " also ends with its execution) and try again", RETRY_AFTER_SECONDS);
            }
            int all = openByCaller.values().stream().mapToInt(Integer::intValue).sum();
            if (all >= current.inAll()) {
                throw ApiError.tooManyRequests("the API has " + all + " event streams open, the most it serves at"
                        + " once (" + current.inAll() + ", maxEventStreams in etc/" + HttpConfig.PID + ".cfg.json);"
                        + " try again later, or GET the execution for its record", RETRY_AFTER_SECONDS);
            }
            openByCaller.put(caller, ofCaller + 1);
        }
    }

    /** Frees the place a stream of {@code caller} took. */
    void release(String caller) {
        synchronized (openByCaller) {
            openByCaller.computeIfPresent(caller, (actor, count) -> count == 1 ? null : count - 1);
        }
    }
}
