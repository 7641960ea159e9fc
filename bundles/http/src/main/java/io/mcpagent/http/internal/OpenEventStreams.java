package io.mcpagent.http.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.mcpagent.http.internal.RequestLimits.StreamLimits;

/**
 * The event streams open by caller (actor), within the {@link StreamLimits} in force when each one opens: a changed
 * configuration applies to the next stream, and the streams open stay, also past a lowered limit, until they end.
 * <p>
 * A stream whose client left is noticed only when a write to it fails, and the first write after the client left
 * still succeeds: between keep-alives its place stayed taken for seconds, and a client that reconnected at once (as
 * EventSource does) was refused by its own streams of before. So a stream that finds no place first asks the streams
 * in its way to write at once, twice, {@link #PROBE_GAP} apart, and waits up to {@link #PROBE_WAIT} for one to end.
 */
final class OpenEventStreams {
    /** A stream frees its place when its execution ends or its client leaves, which no one can foresee. */
    static final long RETRY_AFTER_SECONDS = 5;
    /** Between the two writes that tell a client gone: the first makes its side answer with a reset. */
    static final Duration PROBE_GAP = Duration.ofMillis(100);
    /** How long a stream that found no place waits for the probed ones to end, from its first probe. */
    static final Duration PROBE_WAIT = Duration.ofMillis(600);

    private final Supplier<StreamLimits> limits;
    /** Guarded by itself. */
    private final Map<String, List<Place>> openByCaller = new HashMap<>();

    OpenEventStreams(Supplier<StreamLimits> limits) {
        this.limits = limits;
    }

    /** The place of one open stream; closing it frees the place. */
    final class Place implements AutoCloseable {
        private final String caller;
        private final Runnable probe;

        private Place(String caller, Runnable probe) {
            this.caller = caller;
            this.probe = probe;
        }

        @Override
        public void close() {
            synchronized (openByCaller) {
                List<Place> places = openByCaller.get(caller);
                if (places != null && places.remove(this) && places.isEmpty()) {
                    openByCaller.remove(caller);
                }
                openByCaller.notifyAll();
            }
        }
    }

    /**
     * Takes a place for one more stream of {@code caller}, whose {@code probe} makes it write at once (a comment, so
     * that a client gone is noticed); a 429 naming the limit when none is left, even after the streams in the way were
     * probed.
     */
    Place admit(String caller, Runnable probe) throws ApiError, InterruptedException {
        StreamLimits current = limits.get();
        List<Place> inTheWay;
        synchronized (openByCaller) {
            inTheWay = inTheWay(caller, current);
            if (inTheWay.isEmpty()) {
                return taken(caller, probe);
            }
        }
        long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
        inTheWay.forEach(place -> place.probe.run());
        Thread.sleep(PROBE_GAP.toMillis());
        inTheWay.forEach(place -> place.probe.run());
        synchronized (openByCaller) {
            while (!inTheWay(caller, current).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw refusal(caller, current);
                }
                openByCaller.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return taken(caller, probe);
        }
    }

    private Place taken(String caller, Runnable probe) {
        Place place = new Place(caller, probe);
        openByCaller.computeIfAbsent(caller, actor -> new ArrayList<>()).add(place);
        return place;
    }

    /** The places of the streams that leave none for a new one of {@code caller}; empty when there is one. */
    private List<Place> inTheWay(String caller, StreamLimits current) {
        List<Place> ofCaller = openByCaller.getOrDefault(caller, List.of());
        if (ofCaller.size() >= current.perCaller()) {
            return List.copyOf(ofCaller);
        }
        List<Place> all = openByCaller.values().stream().flatMap(List::stream).toList();
        return all.size() >= current.inAll() ? all : List.of();
    }

    private ApiError refusal(String caller, StreamLimits current) {
        int ofCaller = openByCaller.getOrDefault(caller, List.of()).size();
        if (ofCaller >= current.perCaller()) {
            return ApiError.tooManyRequests("the API key or token " + caller + " has " + ofCaller
                    + " event streams open, the most one caller may (" + current.perCaller()
                    + ", maxEventStreamsPerCaller in etc/" + HttpConfig.PID + ".cfg.json); close one (a stream"
                    + " also ends with its execution) and try again", RETRY_AFTER_SECONDS);
        }
        int all = openByCaller.values().stream().mapToInt(List::size).sum();
        return ApiError.tooManyRequests("the API has " + all + " event streams open, the most it serves at"
                + " once (" + current.inAll() + ", maxEventStreams in etc/" + HttpConfig.PID + ".cfg.json);"
                + " try again later, or GET the execution for its record", RETRY_AFTER_SECONDS);
    }
}
