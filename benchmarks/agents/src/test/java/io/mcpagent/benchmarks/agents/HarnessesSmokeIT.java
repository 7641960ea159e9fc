package io.mcpagent.benchmarks.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.smoke.BenchmarkSmoke;

/** The module's plain-main harnesses run once on benchmarks.jar with small settings; see {@link BenchmarkSmoke#runMain}. */
class HarnessesSmokeIT {
    private static final String PAIRED_TURNS = "io.mcpagent.benchmarks.agents.PairedTurns";
    private static final String CONCURRENT = "io.mcpagent.benchmarks.agents.ConcurrentAgents";

    /** No warm-up and ten measured rounds (the report splits them in tenths), on a virtual thread as the platform runs. */
    @Test
    void pairedTurns() throws Exception {
        String printed = BenchmarkSmoke.runMain(PAIRED_TURNS, "0", "10", "virtual");
        assertTrue(printed.contains("ratio of mean overheads ours/LangChain4j"), printed);
    }

    /** Every scenario once with two executions, the held-heap measurement and its class histogram included. */
    @Test
    void concurrentAgentsBurst() throws Exception {
        BenchmarkSmoke.runMain(CONCURRENT, "--agents=2", "--latencyMs=1", "--warmups=0", "--rounds=1",
                "--scenarios=floor1,answer,floor2,tool,polling1,polling2,handoff1,handoff2", "--histogram=3");
    }

    /** The sustained mode reports failed executions instead of throwing: none may fail. */
    @Test
    void concurrentAgentsSustained() throws Exception {
        String printed = BenchmarkSmoke.runMain(CONCURRENT, "--agents=2", "--latencyMs=1", "--mode=sustained",
                "--warmupSeconds=0", "--seconds=1", "--scenarios=tool");
        List<String> reports = printed.lines().filter(line -> line.startsWith("sustained ")).toList();
        assertEquals(1, reports.size(), printed);
        assertTrue(reports.get(0).endsWith("; 0 failed"), printed);
    }

    /** Settings that leave nothing to report are refused before anything runs (they printed NaN and Infinity). */
    @Test
    void settingsTooSmallToReportAreRefused() {
        assertRefused("measured rounds at least 10", PAIRED_TURNS, "0", "9");
        assertRefused("agents must be at least 1", CONCURRENT, "--agents=0");
        assertRefused("latencyMs must be at least 1", CONCURRENT, "--latencyMs=0");
        assertRefused("seconds must be at least 1", CONCURRENT, "--mode=sustained", "--seconds=0");
    }

    private static void assertRefused(String why, String harness, String... args) {
        AssertionError failed = assertThrows(AssertionError.class, () -> BenchmarkSmoke.runMain(harness, args));
        assertTrue(failed.getCause() instanceof IllegalArgumentException
                && failed.getCause().getMessage().contains(why), () -> String.valueOf(failed.getCause()));
    }

    /** A harness added to the module gets a smoke run here too. */
    @Test
    void everyHarnessOfTheModuleIsRunHere() throws Exception {
        assertEquals(List.of(CONCURRENT, PAIRED_TURNS), BenchmarkSmoke.harnesses());
    }
}
