package io.mcpagent.pattern.orchestrator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class OrchestratorSuitabilityTest {
    private final OrchestratorPattern pattern = new OrchestratorPattern(Fixtures.DEFAULTS);

    private double score(TaskType type, Complexity complexity, int steps, Set<String> capabilities, String recommended,
                         double confidence) {
        return pattern.suitability(new TaskAnalysis(type, complexity, steps, capabilities, confidence, recommended, "",
                "test"));
    }

    @Test
    void aSimpleOneStepTaskIsNotForTheOrchestrator() {
        assertEquals(0.0, score(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of(), null, 0.9), 1e-9);
    }

    @Test
    void complexMultiStepWorkAcrossDomainsAndServersIsItsHome() {
        assertEquals(1.0, score(TaskType.MULTI_DOMAIN, Complexity.COMPLEX, 5, Set.of("filesystem", "web-search"),
                null, 0.9), 1e-9);
        assertEquals(0.85, score(TaskType.RESEARCH, Complexity.COMPLEX, 5, Set.of("web-search"), null, 0.9), 1e-9);
        assertEquals(0.95, score(TaskType.ANALYSIS, Complexity.EXPERT, 4, Set.of(), null, 0.9), 1e-9);
    }

    @Test
    void eachFactorCountsAsDocumented() {
        assertEquals(0.40, score(TaskType.RESEARCH, Complexity.MODERATE, 2, Set.of(), null, 0.5), 1e-9);
        assertEquals(0.50, score(TaskType.RESEARCH, Complexity.MODERATE, 3, Set.of(), null, 0.5), 1e-9);
        assertEquals(0.55, score(TaskType.RESEARCH, Complexity.MODERATE, 4, Set.of(), null, 0.5), 1e-9);
        assertEquals(0.25, score(TaskType.RESEARCH, Complexity.MODERATE, 0, Set.of(), null, 0.5), 1e-9);
        assertEquals(0.50, score(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 2, Set.of(), null, 0.5), 1e-9);
        assertEquals(0.45, score(TaskType.RESEARCH, Complexity.MODERATE, 2, Set.of("a", "b"), null, 0.5), 1e-9);
        assertEquals(0.70, score(TaskType.RESEARCH, Complexity.COMPLEX, 2, Set.of("a"), null, 0.5), 1e-9);
        assertEquals(0.80, score(TaskType.RESEARCH, Complexity.EXPERT, 2, Set.of(), null, 0.5), 1e-9);
    }

    @Test
    void beingRecommendedRaisesTheScoreByTheAnalysisConfidence() {
        double plain = score(TaskType.CODING, Complexity.MODERATE, 2, Set.of(), "router", 0.8);
        assertEquals(0.40, plain, 1e-9, "another pattern's recommendation changes nothing");
        assertEquals(0.40 + 0.60 * 0.5 * 0.8, score(TaskType.CODING, Complexity.MODERATE, 2, Set.of(), "orchestrator", 0.8), 1e-9);
        assertEquals(0.40, score(TaskType.CODING, Complexity.MODERATE, 2, Set.of(), "orchestrator", 0.0), 1e-9);
    }

    @Test
    void risesWithComplexity() {
        double previous = -1;
        for (Complexity complexity : Complexity.values()) {
            double score = score(TaskType.ANALYSIS, complexity, 3, Set.of(), null, 0.7);
            assertTrue(score > previous, complexity + ": " + score);
            previous = score;
        }
    }
}
