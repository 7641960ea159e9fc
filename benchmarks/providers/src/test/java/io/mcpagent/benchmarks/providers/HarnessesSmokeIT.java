package io.mcpagent.benchmarks.providers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.smoke.BenchmarkSmoke;

/** The module's plain-main harnesses run once on benchmarks.jar with small settings; see {@link BenchmarkSmoke#runMain}. */
class HarnessesSmokeIT {

    /** Two rounds (so the quartiles have two values), one call per variant and round, no warm-up. */
    @Test
    void pairedRun() throws Exception {
        String printed = BenchmarkSmoke.runMain("io.mcpagent.benchmarks.providers.PairedRun", "2", "1", "0");
        assertTrue(printed.contains("openAiAdapter/openAiBare"), printed);
    }

    @Test
    void chatCallBenchmarkPrintsWhatTheAdaptersSend() throws Exception {
        String printed = BenchmarkSmoke.runMain("io.mcpagent.benchmarks.providers.ChatCallBenchmark");
        assertTrue(printed.contains("POST /v1/chat/completions") && printed.contains("POST /v1/messages"), printed);
    }
}
