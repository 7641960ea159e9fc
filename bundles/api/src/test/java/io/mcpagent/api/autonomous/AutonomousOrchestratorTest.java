package io.mcpagent.api.autonomous;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.workflow.ExecutionStatus;

class AutonomousOrchestratorTest {
    private static StrategyRecommendation decided(String pattern) {
        return new StrategyRecommendation(pattern, 0.9, "fits", Set.of(), Complexity.SIMPLE, List.of(), 0.9);
    }

    @Test
    void patternTextNamesTheDecidedPatternAFallbackFellBackFrom() {
        assertEquals("parallel (fallback from orchestrator)", AutonomousOrchestrator.patternText("parallel",
                decided("orchestrator"), ExecutionStatus.RUNNING));
        assertEquals("parallel (fallback from orchestrator)", AutonomousOrchestrator.patternText("parallel",
                decided("orchestrator"), ExecutionStatus.SUCCEEDED), "the fallback that ended it");
        assertEquals("orchestrator", AutonomousOrchestrator.patternText("orchestrator", decided("orchestrator"),
                ExecutionStatus.RUNNING), "the decided one runs");
        assertEquals("direct", AutonomousOrchestrator.patternText("direct", null, ExecutionStatus.RUNNING),
                "no decision: a forced pattern before it was planned");
    }

    @Test
    void patternTextSaysWhyAnExecutionNotPlannedNamesNoPattern() {
        String notPlanned = AutonomousOrchestrator.NOT_PLANNED_PATTERN;
        assertEquals("not chosen yet: its task is being analysed",
                AutonomousOrchestrator.patternText(notPlanned, null, ExecutionStatus.RUNNING));
        assertEquals("none: it ended before its task was planned",
                AutonomousOrchestrator.patternText(notPlanned, null, ExecutionStatus.CANCELLED));
        assertEquals(notPlanned, AutonomousOrchestrator.patternText(notPlanned, decided(notPlanned),
                ExecutionStatus.RUNNING), "a pattern chosen under that id is named");
    }
}
