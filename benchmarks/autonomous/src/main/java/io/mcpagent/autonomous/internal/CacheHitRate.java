package io.mcpagent.autonomous.internal;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.task.Task;

/**
 * The analysis cache's hit rate on a repeated workload: 10,000 requests drawn Zipf-like from 500 distinct tasks,
 * for several cache capacities and skews, optionally with one request in five retyped with extra whitespace (the
 * key normalises it). Prints one line per run: hits, misses, the rate, and the best any cache could do (every
 * distinct task missed once), then the rate of another 10,000 requests on the warm cache.
 *
 * <p>Options ({@code --name=value}): requests (10000), distinct (500), capacities (1024,256,64).
 */
public final class CacheHitRate {
    private final int requests;
    private final int distinct;

    private CacheHitRate(int requests, int distinct) {
        if (requests < 1 || distinct < 1) {
            throw new IllegalArgumentException("requests and distinct must be at least 1, were " + requests + " and "
                    + distinct);
        }
        this.requests = requests;
        this.distinct = distinct;
    }

    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("requests", "10000");
        options.put("distinct", "500");
        options.put("capacities", "1024,256,64");
        for (String arg : args) {
            String[] pair = arg.replaceFirst("^--", "").split("=", 2);
            if (pair.length != 2 || !options.containsKey(pair[0])) {
                throw new IllegalArgumentException("unknown option '" + arg + "'; options: " + options.keySet());
            }
            options.put(pair[0], pair[1]);
        }
        CacheHitRate bench = new CacheHitRate(Integer.parseInt(options.get("requests")),
                Integer.parseInt(options.get("distinct")));
        System.out.printf("%-9s %-5s %-11s %6s %7s %8s %10s %10s%n", "capacity", "s", "whitespace", "hits", "misses",
                "hit rate", "best rate", "warm rate");
        for (String capacity : options.get("capacities").split(",")) {
            for (double exponent : new double[] {1.0, 0.8}) {
                for (boolean retyped : new boolean[] {false, true}) {
                    bench.run(Integer.parseInt(capacity.trim()), exponent, retyped);
                }
            }
        }
    }

    private void run(int capacity, double exponent, boolean retyped) {
        RankedAnalysisService service = BenchPlatform.analysisService(capacity);
        Workload workload = new Workload(distinct, exponent, 42);
        BitSet seen = new BitSet(distinct);
        requests(service, workload, retyped, seen);
        AnalysisCacheStats stats = service.cacheStats();
        double best = (double) (requests - seen.cardinality()) / requests;
        requests(service, workload, retyped, seen);
        AnalysisCacheStats after = service.cacheStats();
        double warm = (double) (after.hits() - stats.hits()) / requests;
        System.out.printf("%-9d %-5.1f %-11s %6d %7d %7.2f%% %9.2f%% %9.2f%%%n", capacity, exponent,
                retyped ? "1 in 5" : "no", stats.hits(), stats.misses(), 100 * stats.hitRate(), 100 * best, 100 * warm);
    }

    private void requests(RankedAnalysisService service, Workload workload, boolean retyped, BitSet seen) {
        for (int i = 0; i < requests; i++) {
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
