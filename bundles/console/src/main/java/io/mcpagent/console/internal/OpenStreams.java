package io.mcpagent.console.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The open live progress streams, by console user (actor), within a limit per user and one in all. Each open stream
 * holds a connection and a thread and turns every event of its execution into a message once more, so without a
 * limit one user could slow every execution and request down (the REST API's event streams are bounded the same
 * way, in bundles/http).
 */
final class OpenStreams {
    static final int MAX_PER_USER = 10;
    static final int MAX = 100;
    /** A stream frees its place when its execution ends or its page closes, which no one can foresee. */
    static final long RETRY_AFTER_SECONDS = 5;

    /** Guarded by itself. */
    private final Map<String, Integer> openByActor = new HashMap<>();

    /** Takes a place for one more stream of {@code actor}; the refusal naming the limit reached when none is left. */
    Optional<String> open(String actor) {
        synchronized (openByActor) {
            int ofActor = openByActor.getOrDefault(actor, 0);
            if (ofActor >= MAX_PER_USER) {
                return Optional.of("The console user " + actor + " has " + ofActor + " live progress streams open,"
                        + " the most one user may (" + MAX_PER_USER + "); close one (a stream also ends with its"
                        + " execution) and try again.");
            }
            int all = openByActor.values().stream().mapToInt(Integer::intValue).sum();
            if (all >= MAX) {
                return Optional.of("The console has " + all + " live progress streams open, the most it serves at"
                        + " once (" + MAX + "); try again later (the execution's page shows its record meanwhile).");
            }
            openByActor.put(actor, ofActor + 1);
            return Optional.empty();
        }
    }

    /** Frees the place a stream of {@code actor} took. */
    void close(String actor) {
        synchronized (openByActor) {
            openByActor.computeIfPresent(actor, (key, count) -> count == 1 ? null : count - 1);
        }
    }
}
