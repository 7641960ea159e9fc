package io.mcpagent.pattern.router.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class RouterSuitabilityTest {
    private static final double EPSILON = 1e-9;
    private final RouterPattern pattern = Configs.pattern();

    @Test
    void dispatchLikeTasksScoreHigh() {
        assertEquals(0.9, score(TaskType.COMMUNICATION, Complexity.MODERATE, 2, 1, null), EPSILON);
        assertEquals(0.85, score(TaskType.GENERAL, Complexity.MODERATE, 1, 0, null), EPSILON);
    }

    @Test
    void simpleTasksScoreBelowDispatchLikeOnes() {
        assertEquals(0.65, score(TaskType.COMMUNICATION, Complexity.SIMPLE, 1, 0, null), EPSILON);
        assertEquals(0.5, score(TaskType.CODING, Complexity.SIMPLE, 1, 0, null), EPSILON);
    }

    @Test
    void longComplexAndMultiDomainWorkScoresLow() {
        assertEquals(0.3, score(TaskType.ANALYSIS, Complexity.COMPLEX, 5, 0, null), EPSILON);
        assertEquals(RouterSuitability.FLOOR, score(TaskType.MULTI_DOMAIN, Complexity.EXPERT, 8, 5, null), EPSILON);
        assertTrue(score(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 2, 0, null)
                < score(TaskType.RESEARCH, Complexity.MODERATE, 2, 0, null));
    }

    @Test
    void moreStepsAndMoreCapabilitiesLowerTheScore() {
        assertEquals(0.75, score(TaskType.RESEARCH, Complexity.MODERATE, 2, 0, null), EPSILON);
        assertEquals(0.7, score(TaskType.RESEARCH, Complexity.MODERATE, 3, 0, null), EPSILON);
        assertEquals(0.6, score(TaskType.RESEARCH, Complexity.MODERATE, 5, 0, null), EPSILON);
        assertEquals(0.45, score(TaskType.RESEARCH, Complexity.MODERATE, 20, 0, null), EPSILON);
        assertEquals(0.75, score(TaskType.RESEARCH, Complexity.MODERATE, 2, 2, null), EPSILON);
        assertEquals(0.65, score(TaskType.RESEARCH, Complexity.MODERATE, 2, 4, null), EPSILON);
        assertEquals(0.6, score(TaskType.RESEARCH, Complexity.MODERATE, 2, 9, null), EPSILON);
    }

    @Test
    void beingRecommendedAddsUpToAThirdScaledByConfidenceWithinOne() {
        assertEquals(0.75 + 0.3 * 0.5, pattern.suitability(analysis(TaskType.RESEARCH, Complexity.MODERATE, 2, 0,
                "router", 0.5)), EPSILON);
        assertEquals(0.75, pattern.suitability(analysis(TaskType.RESEARCH, Complexity.MODERATE, 2, 0,
                "orchestrator", 1.0)), EPSILON);
        assertEquals(1.0, score(TaskType.COMMUNICATION, Complexity.MODERATE, 2, 0, "router"), EPSILON);
    }

    private double score(TaskType type, Complexity complexity, int steps, int capabilities, String recommended) {
        return pattern.suitability(analysis(type, complexity, steps, capabilities, recommended, 0.9));
    }

    private static TaskAnalysis analysis(TaskType type, Complexity complexity, int steps, int capabilities,
                                         String recommended, double confidence) {
        Set<String> needed = new java.util.HashSet<>();
        for (int i = 0; i < capabilities; i++) {
            needed.add("capability-" + i);
        }
        return new TaskAnalysis(type, complexity, steps, needed, confidence, recommended, "", "test");
    }
}
