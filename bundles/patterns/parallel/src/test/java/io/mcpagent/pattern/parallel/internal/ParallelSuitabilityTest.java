package io.mcpagent.pattern.parallel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class ParallelSuitabilityTest {
    private static final double EPSILON = 1e-9;
    private final ParallelPattern pattern = Configs.pattern();

    @Test
    void simpleTasksScoreLow() {
        assertEquals(0.2, score(TaskType.GENERAL, Complexity.SIMPLE, 1, 0, null, 0.9), EPSILON);
        assertEquals(0.1, score(TaskType.CODING, Complexity.SIMPLE, 1, 1, null, 0.9), EPSILON);
    }

    @Test
    void researchAcrossSeveralSourcesScoresHigh() {
        assertEquals(0.85, score(TaskType.RESEARCH, Complexity.MODERATE, 3, 3, null, 0.8), EPSILON);
        assertEquals(0.95, score(TaskType.MULTI_DOMAIN, Complexity.COMPLEX, 4, 8, null, 0.8), EPSILON);
        assertTrue(score(TaskType.RESEARCH, Complexity.MODERATE, 3, 3, null, 0.8)
                > score(TaskType.RESEARCH, Complexity.SIMPLE, 3, 3, null, 0.8));
    }

    @Test
    void theTaskTypeShiftsTheScore() {
        double analysis = score(TaskType.ANALYSIS, Complexity.MODERATE, 1, 0, null, 0.8);
        double writing = score(TaskType.CONTENT_CREATION, Complexity.MODERATE, 1, 0, null, 0.8);
        double automation = score(TaskType.AUTOMATION, Complexity.MODERATE, 1, 0, null, 0.8);
        assertEquals(0.65, analysis, EPSILON);
        assertEquals(0.55, writing, EPSILON);
        assertEquals(0.45, automation, EPSILON);
    }

    @Test
    void longChainsOfStepsLowerTheScore() {
        assertEquals(0.6, score(TaskType.GENERAL, Complexity.MODERATE, 5, 0, null, 0.8), EPSILON);
        assertEquals(0.45, score(TaskType.GENERAL, Complexity.MODERATE, 6, 0, null, 0.8), EPSILON);
    }

    @Test
    void aRecommendationRaisesTheScoreByItsConfidence() {
        double plain = score(TaskType.CODING, Complexity.EXPERT, 8, 0, "orchestrator", 0.5);
        assertEquals(0.3, plain, EPSILON);
        assertEquals(0.45, score(TaskType.CODING, Complexity.EXPERT, 8, 0, "parallel", 0.5), EPSILON);
        assertEquals(plain, score(TaskType.CODING, Complexity.EXPERT, 8, 0, "PARALLEL", 0.0), EPSILON);
        assertEquals(1.0, score(TaskType.RESEARCH, Complexity.COMPLEX, 3, 4, "parallel", 1.0), EPSILON);
    }

    private double score(TaskType type, Complexity complexity, int steps, int capabilities, String recommended,
                         double confidence) {
        Set<String> needed = new HashSet<>();
        for (int i = 0; i < capabilities; i++) {
            needed.add("capability-" + i);
        }
        return pattern.suitability(new TaskAnalysis(type, complexity, steps, needed, confidence, recommended, "", "test"));
    }
}
