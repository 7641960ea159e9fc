package io.mcpagent.autonomous.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * A bounded LRU cache of analyses, safe for many threads. Keys are spread over up to {@value #MAX_SEGMENTS}
 * segments, each an access-ordered map with its own lock, so concurrent lookups rarely wait for each other; each
 * segment evicts its least recently used entry. A capacity below twice {@value #MIN_ENTRIES_PER_SEGMENT} has one
 * segment and is exact LRU; a larger one is LRU per segment. The total never exceeds
 * the capacity.
 * <p>
 * {@link #invalidate()} empties the cache and starts a new generation; an analysis computed before it (from analyzers
 * that may since have gone) is refused by {@link #put}, so an invalidation is never undone by a lookup in flight.
 */
final class AnalysisCache {
    static final int MAX_SEGMENTS = 16;
    static final int MIN_ENTRIES_PER_SEGMENT = 64;

    private final int capacity;
    private final Segment[] segments;
    private final AtomicLong generation = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    AnalysisCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must not be negative, was " + capacity);
        }
        this.capacity = capacity;
        int count = capacity == 0 ? 0
                : Math.max(1, Math.min(MAX_SEGMENTS, Integer.highestOneBit(capacity / MIN_ENTRIES_PER_SEGMENT)));
        segments = new Segment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = new Segment(capacity / count + (i < capacity % count ? 1 : 0));
        }
    }

    boolean enabled() {
        return capacity > 0;
    }

    /** The current generation; read it before computing a value to {@link #put}. */
    long generation() {
        return generation.get();
    }

    /** The cached analysis, or null; counts a hit or a miss. Only call when {@link #enabled()}. */
    TaskAnalysis get(AnalysisCacheKey key) {
        TaskAnalysis analysis = segmentOf(key).get(key);
        (analysis != null ? hits : misses).increment();
        return analysis;
    }

    /**
     * Caches an analysis computed in generation {@code computedIn}, unless the cache was invalidated since (the
     * check and the insert hold the segment's lock, and {@link #invalidate} clears every segment under its lock
     * after moving to the next generation, so a stale value never survives).
     */
    void put(AnalysisCacheKey key, TaskAnalysis analysis, long computedIn) {
        if (enabled()) {
            segmentOf(key).put(key, analysis, computedIn, generation);
        }
    }

    /** Drops every entry; values computed before this call are no longer accepted. Counters are kept. */
    void invalidate() {
        generation.incrementAndGet();
        for (Segment segment : segments) {
            segment.clear();
        }
    }

    AnalysisCacheStats stats() {
        int size = 0;
        for (Segment segment : segments) {
            size += segment.size();
        }
        return new AnalysisCacheStats(hits.sum(), misses.sum(), size, capacity);
    }

    private Segment segmentOf(AnalysisCacheKey key) {
        int hash = key.hashCode();
        hash ^= hash >>> 16;
        return segments[hash & (segments.length - 1)];
    }

    /** One lock's share of the cache: an access-ordered map that drops its eldest entry beyond its capacity. */
    private static final class Segment {
        private final LinkedHashMap<AnalysisCacheKey, TaskAnalysis> entries;

        Segment(int capacity) {
            entries = new LinkedHashMap<>(Math.max(4, capacity * 4 / 3 + 1), 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<AnalysisCacheKey, TaskAnalysis> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized TaskAnalysis get(AnalysisCacheKey key) {
            return entries.get(key);
        }

        synchronized void put(AnalysisCacheKey key, TaskAnalysis analysis, long computedIn, AtomicLong generation) {
            if (generation.get() == computedIn) {
                entries.put(key, analysis);
            }
        }

        synchronized void clear() {
            entries.clear();
        }

        synchronized int size() {
            return entries.size();
        }
    }
}
