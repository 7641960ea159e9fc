package io.mcpagent.benchmarks.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.smoke.BenchmarkSmoke;

/** The module's plain-main harnesses run once on benchmarks.jar with small settings; see {@link BenchmarkSmoke#runMain}. */
class HarnessesSmokeIT {
    private static final String PAIRED_TURNS = "io.mcpagent.benchmarks.agents.PairedTurns";
    private static final String CONCURRENT = "io.mcpagent.benchmarks.agents.ConcurrentAgents";

    /** One warm-up round and ten measured (the report splits them in tenths), on a virtual thread as the platform runs. */
    @Test
    void pairedTurns() throws Exception {
        String printed = BenchmarkSmoke.runMain(PAIRED_TURNS, "1", "10", "virtual");
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

    /** A harness added to the module gets a smoke run here too. */
    @Test
    void everyHarnessOfTheModuleIsRunHere() throws Exception {
        assertEquals(List.of(CONCURRENT, PAIRED_TURNS), BenchmarkSmoke.harnesses());
    }
}
