package io.mcpagent.autonomous.internal.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.task.Complexity;

class RecentDecisionsTest {
    @Test
    void theOldestDecisionIsForgottenPastTheBound() {
        RecentDecisions decisions = new RecentDecisions(2);
        StrategyRecommendation first = decision("pattern.direct");
        StrategyRecommendation second = decision("pattern.parallel");
        StrategyRecommendation third = decision("pattern.swarm");

        decisions.decided("e-1", first);
        decisions.decided("e-2", second);
        decisions.decided("e-3", third);

        assertEquals(Optional.empty(), decisions.of("e-1"));
        assertEquals(Optional.of(second), decisions.of("e-2"));
        assertEquals(Optional.of(third), decisions.of("e-3"));
    }

    private static StrategyRecommendation decision(String pattern) {
        return new StrategyRecommendation(pattern, 1.0, "fits", Set.of(), Complexity.SIMPLE, List.of());
    }
}
