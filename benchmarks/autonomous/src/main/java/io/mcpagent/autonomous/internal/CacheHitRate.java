package io.mcpagent.autonomous.internal;

import java.util.BitSet;

import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.task.Task;

/**
 * The analysis cache's hit rate on a repeated workload: 10,000 requests drawn Zipf-like from 500 distinct tasks,
 * for several cache capacities and skews, optionally with one request in five retyped with extra whitespace (the
 * key normalises it). Prints one line per run: hits, misses, the rate, and the best any cache could do (every
 * distinct task missed once), then the rate of another 10,000 requests on the warm cache.
 */
public final class CacheHitRate {
    private static final int REQUESTS = 10_000;
    private static final int DISTINCT = 500;

    private CacheHitRate() {
    }

    public static void main(String[] args) {
        System.out.printf("%-9s %-5s %-11s %6s %7s %8s %10s %10s%n", "capacity", "s", "whitespace", "hits", "misses",
                "hit rate", "best rate", "warm rate");
        for (int capacity : new int[] {1024, 256, 64}) {
            for (double exponent : new double[] {1.0, 0.8}) {
                for (boolean retyped : new boolean[] {false, true}) {
                    run(capacity, exponent, retyped);
                }
            }
        }
    }

    private static void run(int capacity, double exponent, boolean retyped) {
        RankedAnalysisService service = BenchPlatform.analysisService(capacity);
        Workload workload = new Workload(DISTINCT, exponent, 42);
        BitSet seen = new BitSet(DISTINCT);
        requests(service, workload, retyped, seen);
        AnalysisCacheStats stats = service.cacheStats();
        double best = (double) (REQUESTS - seen.cardinality()) / REQUESTS;
        requests(service, workload, retyped, seen);
        AnalysisCacheStats after = service.cacheStats();
        double warm = (double) (after.hits() - stats.hits()) / REQUESTS;
        System.out.printf("%-9d %-5.1f %-11s %6d %7d %7.2f%% %9.2f%% %9.2f%%%n", capacity, exponent,
                retyped ? "1 in 5" : "no", stats.hits(), stats.misses(), 100 * stats.hitRate(), 100 * best, 100 * warm);
    }

    private static void requests(RankedAnalysisService service, Workload workload, boolean retyped, BitSet seen) {
        for (int i = 0; i < REQUESTS; i++) {
            int rank = workload.nextRank();
            seen.set(rank);
            Task task = workload.task(rank);
            if (retyped && workload.random().nextInt(5) == 0) {
                task = Task.of("  " + task.text().replace(" ", "  ") + "\n");
            }
            service.analyze(task);
        }
    }
}
