package io.mcpagent.analyzer.heuristic.internal;

import static io.mcpagent.analyzer.heuristic.internal.Analyzers.analyze;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/** The same text always gives the same analysis, on any thread and any instance; confidence follows the evidence. */
class DeterminismAndConfidenceTest {
    private static final List<String> TASKS = List.of(
            "Research the top three CRM vendors, write a comparison report and email it to the sales team",
            "Route this support ticket to the right team",
            "Get the weather forecast for Paris, Berlin and Rome",
            "Write a cover letter and keep improving it until it is excellent",
            "What is 17% of 240?",
            "Blorp the quux");

    @Test
    void repeatedAnalysesAreEqual() {
        HeuristicTaskAnalyzer other = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        for (String task : TASKS) {
            TaskAnalysis first = analyze(task);
            assertEquals(first, analyze(task));
            assertEquals(first, other.analyze(Task.of(task)), "another instance agrees");
        }
    }

    @Test
    void concurrentAnalysesAgreeWithSequentialOnes() throws Exception {
        HeuristicTaskAnalyzer analyzer = Analyzers.create(HeuristicTaskAnalyzer.DEFAULT_MAX_SCANNED_CHARS);
        List<TaskAnalysis> expected = TASKS.stream().map(task -> analyzer.analyze(Task.of(task))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 2_000; round++) {
                        int i = round % TASKS.size();
                        if (!expected.get(i).equals(analyzer.analyze(Task.of(TASKS.get(i))))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertTrue(run.get(), "an analysis on another thread differed");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void confidenceIsHigherWithClearCuesThanWithNone() {
        double clear = analyze("Route this support ticket to the right team").confidence();
        double none = analyze("Blorp the quux").confidence();
        assertTrue(clear > none, clear + " vs " + none);
        assertTrue(clear >= 0.7, "clear: " + clear);
        assertTrue(none <= 0.5, "none: " + none);
    }

    @Test
    void conflictingCuesLowerTheConfidence() {
        double clear = analyze("Write a cover letter and keep improving it until it is excellent").confidence();
        double conflicting = analyze("Write a cover letter, route it to the right team and keep improving it "
                + "until it is excellent").confidence();
        assertTrue(conflicting < clear, conflicting + " vs " + clear);
    }

    @Test
    void confidenceStaysWithinItsBounds() {
        for (String task : TASKS) {
            double confidence = analyze(task).confidence();
            assertTrue(confidence >= 0.05 && confidence <= 0.95, task + ": " + confidence);
        }
    }
}
