package io.mcpagent.core.internal.llm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Durations of the last successful calls per provider, for the SPEED preference. */
final class LatencyTracker {
    /** Median latency over {@code calls} recent calls. */
    record Stat(Duration median, int calls) {
    }

    private final int window;
    private final Map<String, Deque<Duration>> recent = new ConcurrentHashMap<>();

    LatencyTracker(int window) {
        this.window = window;
    }

    void record(String providerId, Duration duration) {
        Deque<Duration> samples = recent.computeIfAbsent(providerId, id -> new ArrayDeque<>());
        synchronized (samples) {
            samples.addLast(duration);
            while (samples.size() > window) {
                samples.removeFirst();
            }
        }
    }

    Optional<Stat> stat(String providerId) {
        Deque<Duration> samples = recent.get(providerId);
        if (samples == null) {
            return Optional.empty();
        }
        Duration[] sorted;
        synchronized (samples) {
            sorted = samples.toArray(Duration[]::new);
        }
        if (sorted.length == 0) {
            return Optional.empty();
        }
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        Duration median = sorted.length % 2 == 1 ? sorted[mid] : sorted[mid - 1].plus(sorted[mid]).dividedBy(2);
        return Optional.of(new Stat(median, sorted.length));
    }
}
