package io.mcpagent.pattern.direct.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;

class DirectSuitabilityTest {
    private static final double EPSILON = 1e-9;
    private final DirectPattern pattern = Configs.pattern();

    @Test
    void aSimpleOneStepTaskScoresHigh() {
        assertEquals(0.95, score(TaskType.GENERAL, Complexity.SIMPLE, 1, 0, null, 0.9), EPSILON);
        assertEquals(0.9, score(TaskType.CODING, Complexity.SIMPLE, 2, 2, null, 0.9), EPSILON);
    }

    @Test
    void scoresFallAsComplexityRises() {
        double simple = score(TaskType.RESEARCH, Complexity.SIMPLE, 2, 1, null, 0.8);
        double moderate = score(TaskType.RESEARCH, Complexity.MODERATE, 2, 1, null, 0.8);
        double complex = score(TaskType.RESEARCH, Complexity.COMPLEX, 2, 1, null, 0.8);
        double expert = score(TaskType.RESEARCH, Complexity.EXPERT, 2, 1, null, 0.8);
        assertEquals(0.6, moderate, EPSILON);
        assertTrue(simple > moderate && moderate > complex && complex > expert,
                simple + " " + moderate + " " + complex + " " + expert);
    }

    @Test
    void stepsBeyondTwoCostAFifthAtMost() {
        assertEquals(0.55, score(TaskType.GENERAL, Complexity.MODERATE, 3, 0, null, 0.8), EPSILON);
        assertEquals(0.4, score(TaskType.GENERAL, Complexity.MODERATE, 6, 0, null, 0.8), EPSILON);
        assertEquals(0.4, score(TaskType.GENERAL, Complexity.MODERATE, 40, 0, null, 0.8), EPSILON);
    }

    @Test
    void manyCapabilitiesAndSeveralDomainsLowerTheScore() {
        assertEquals(0.5, score(TaskType.GENERAL, Complexity.MODERATE, 2, 4, null, 0.8), EPSILON);
        assertEquals(0.45, score(TaskType.GENERAL, Complexity.MODERATE, 2, 9, null, 0.8), EPSILON);
        assertEquals(0.45, score(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 2, 0, null, 0.8), EPSILON);
    }

    @Test
    void neverBelowTheFloor() {
        assertEquals(DirectSuitability.FLOOR, score(TaskType.MULTI_DOMAIN, Complexity.EXPERT, 30, 10, null, 1.0), EPSILON);
    }

    @Test
    void aRecommendationRaisesTheScoreByItsConfidence() {
        double plain = score(TaskType.ANALYSIS, Complexity.COMPLEX, 4, 1, "router", 0.5);
        assertEquals(0.2, plain, EPSILON);
        assertEquals(0.35, score(TaskType.ANALYSIS, Complexity.COMPLEX, 4, 1, "direct", 0.5), EPSILON);
        assertEquals(0.5, score(TaskType.ANALYSIS, Complexity.COMPLEX, 4, 1, "Direct", 1.0), EPSILON);
        assertEquals(plain, score(TaskType.ANALYSIS, Complexity.COMPLEX, 4, 1, "direct", 0.0), EPSILON);
        assertEquals(1.0, score(TaskType.GENERAL, Complexity.SIMPLE, 1, 0, "direct", 1.0), EPSILON);
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
