package io.mcpagent.benchmarks.analyzers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.smoke.BenchmarkSmoke;

/** Each benchmark in this module's benchmarks.jar runs once (setup, one call, tear-down); see {@link BenchmarkSmoke}. */
class BenchmarksSmokeIT {

    @Test
    void eachBenchmarkRunsOnce() throws Exception {
        BenchmarkSmoke.run();
    }

    /** None yet: one added to the module needs a smoke run (a HarnessesSmokeIT, see benchmarks/agents). */
    @Test
    void noPlainMainHarness() throws Exception {
        assertEquals(List.of(), BenchmarkSmoke.harnesses());
    }
}
