package io.mcpagent.api.autonomous;

/** The analysis cache: lookups that found an analysis, lookups that did not, entries held and the capacity. */
public record AnalysisCacheStats(long hits, long misses, int size, int capacity) {

    /** Hits over lookups, 0 before the first lookup. */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 0.0 : (double) hits / lookups;
    }
}
