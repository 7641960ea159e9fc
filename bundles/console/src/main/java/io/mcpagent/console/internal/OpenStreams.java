package io.mcpagent.console.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The open live progress streams, by console user (actor), within a limit per user and one in all
 * ({@code maxLiveStreamsPerUser}, {@code maxLiveStreams} of the console's configuration, read as each stream opens:
 * a change applies to the next one, and open streams stay also past a lowered limit). Each open stream
 * holds a connection and a thread (an event's message is made once for all the streams of its execution:
 * {@link SharedEvent}), so without a limit one user could slow every execution and request down (the REST API's event streams are bounded the same
 * way, in bundles/http).
 */
final class OpenStreams {
    /** A stream frees its place when its execution ends or its page closes, which no one can foresee. */
    static final long RETRY_AFTER_SECONDS = 5;

    private final Supplier<ConsoleSettings> settings;
    /** Guarded by itself. */
    private final Map<String, Integer> openByActor = new HashMap<>();

    OpenStreams(Supplier<ConsoleSettings> settings) {
        this.settings = settings;
    }

    /** Takes a place for one more stream of {@code actor}; the refusal naming the limit reached when none is left. */
    Optional<String> open(String actor) {
        ConsoleSettings limits = settings.get();
        synchronized (openByActor) {
            int ofActor = openByActor.getOrDefault(actor, 0);
            if (ofActor >= limits.maxLiveStreamsPerUser()) {
                return Optional.of("The console user " + actor + " has " + ofActor + " live progress streams open,"
                        + " the most one user may (" + limits.maxLiveStreamsPerUser() + ", maxLiveStreamsPerUser in etc/"
                        + ConsoleConfig.PID + ".cfg.json); close one (a stream also ends with its execution) and try"
                        + " again.");
            }
            int all = openByActor.values().stream().mapToInt(Integer::intValue).sum();
            if (all >= limits.maxLiveStreams()) {
                return Optional.of("The console has " + all + " live progress streams open, the most it serves at"
                        + " once (" + limits.maxLiveStreams() + ", maxLiveStreams in etc/" + ConsoleConfig.PID
                        + ".cfg.json); try again later (the execution's page shows its record meanwhile).");
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
