package io.mcpagent.benchmarks.autonomous;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.smoke.BenchmarkSmoke;

/** Each benchmark in this module's benchmarks.jar runs once (setup, one call, tear-down); see {@link BenchmarkSmoke}. */
class BenchmarksSmokeIT {

    @Test
    void eachBenchmarkRunsOnce() throws Exception {
        BenchmarkSmoke.run();
    }
}
