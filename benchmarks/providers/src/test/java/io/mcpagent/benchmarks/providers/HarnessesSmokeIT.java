package io.mcpagent.benchmarks.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.benchmarks.smoke.BenchmarkSmoke;

/** The module's plain-main harnesses run once on benchmarks.jar with small settings; see {@link BenchmarkSmoke#runMain}. */
class HarnessesSmokeIT {
    private static final String PAIRED_RUN = "io.mcpagent.benchmarks.providers.PairedRun";
    private static final String CHAT_CALL = "io.mcpagent.benchmarks.providers.ChatCallBenchmark";

    /** Two rounds (so the quartiles have two values), one call per variant and round, no warm-up; each ratio once. */
    @Test
    void pairedRun() throws Exception {
        String printed = BenchmarkSmoke.runMain(PAIRED_RUN, "2", "1", "0");
        List<String> ratios = printed.lines().dropWhile(line -> !line.startsWith("ratio per round"))
                .skip(2).takeWhile(line -> !line.startsWith("CPU time")).map(line -> line.split("\\s+")[0]).toList();
        assertTrue(ratios.contains("openAiAdapter/openAiBare"), printed);
        assertEquals(Set.copyOf(ratios).size(), ratios.size(), "a ratio printed twice: " + ratios);
    }

    /** No rounds or empty batches leave nothing to report: refused before the server starts (they failed or printed NaN). */
    @Test
    void pairedRunRefusesSettingsTooSmallToReport() {
        for (String[] args : new String[][] {{"0", "1", "0"}, {"1", "0", "0"}}) {
            AssertionError failed = assertThrows(AssertionError.class, () -> BenchmarkSmoke.runMain(PAIRED_RUN, args));
            assertTrue(failed.getCause() instanceof IllegalArgumentException, () -> String.valueOf(failed.getCause()));
        }
    }

    @Test
    void chatCallBenchmarkPrintsWhatTheAdaptersSend() throws Exception {
        String printed = BenchmarkSmoke.runMain(CHAT_CALL);
        assertTrue(printed.contains("POST /v1/chat/completions") && printed.contains("POST /v1/messages"), printed);
    }

    /** A harness added to the module gets a smoke run here too. */
    @Test
    void everyHarnessOfTheModuleIsRunHere() throws Exception {
        assertEquals(List.of(CHAT_CALL, PAIRED_RUN), BenchmarkSmoke.harnesses());
    }
}
