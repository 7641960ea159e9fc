package io.mcpagent.benchmarks.autonomous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.smoke.BenchmarkSmoke;

/** The module's plain-main harness run once on benchmarks.jar with small settings; see {@link BenchmarkSmoke#runMain}. */
class HarnessesSmokeIT {
    private static final String CACHE_HIT_RATE = "io.mcpagent.autonomous.internal.CacheHitRate";
    private static final int REQUESTS = 200;

    /**
     * One capacity above the 50 distinct tasks and one below (evictions), each skew, with and without retyping. The
     * figures vary with the workload, so what is checked is that each row adds up: every request is one lookup, and
     * the rate printed is hits over lookups, no better than the best any cache reaches.
     */
    @Test
    void cacheHitRateRowsAddUp() throws Exception {
        String printed = BenchmarkSmoke.runMain(CACHE_HIT_RATE,
                "--requests=" + REQUESTS, "--distinct=50", "--capacities=64,16");

        List<String> rows = printed.lines().skip(1).toList();
        assertEquals(2 * 2 * 2, rows.size(), printed);
        for (String row : rows) {
            // capacity, s, whitespace ("no" or "1 in 5"), hits, misses, hit rate, best rate, warm rate
            String[] cells = row.trim().split("\\s+");
            int n = cells.length;
            long hits = Long.parseLong(cells[n - 5]);
            long misses = Long.parseLong(cells[n - 4]);
            double rate = percent(cells[n - 3]);
            double best = percent(cells[n - 2]);
            double warm = percent(cells[n - 1]);
            assertEquals(REQUESTS, hits + misses, row);
            assertEquals(100.0 * hits / REQUESTS, rate, 0.005 + 1e-9, row);
            assertTrue(rate >= 0 && rate <= best && best <= 100, row);
            assertTrue(warm >= 0 && warm <= 100, row);
        }
    }

    private static double percent(String cell) {
        assertTrue(cell.endsWith("%"), cell);
        return Double.parseDouble(cell.substring(0, cell.length() - 1));
    }

    /** A harness added to the module gets a smoke run here too. */
    @Test
    void everyHarnessOfTheModuleIsRunHere() throws Exception {
        assertEquals(List.of(CACHE_HIT_RATE), BenchmarkSmoke.harnesses());
    }
}
