package io.mcpagent.autonomous.internal.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.task.Complexity;

class RecentDecisionsTest {
    private static final StrategyRecommendation DECISION = new StrategyRecommendation("pattern.direct", 1.0, "fits",
            Set.of(), Complexity.SIMPLE, List.of());

    /** An engine keeping more ended executions than the 1000 decisions kept before (keepFinished 5000): all stay. */
    @Test
    void aDecisionIsKeptAsLongAsTheEngineHoldsItsExecutionHoweverManyItHolds() {
        RecentDecisions decisions = new RecentDecisions(executionId -> true);

        for (int i = 0; i < 5000; i++) {
            decisions.decided("e-" + i, DECISION);
        }

        assertEquals(Optional.of(DECISION), decisions.of("e-0"));
        assertEquals(Optional.of(DECISION), decisions.of("e-4999"));
    }

    /**
     * An engine that keeps fewer (keepFinished 0: it forgets each at its end): their decisions go too, at the second
     * sweep that finds the engine no longer holding them, and what is kept stays within twice what it holds.
     */
    @Test
    void theDecisionsOfExecutionsTheEngineNoLongerHoldsAreDroppedAndTheOthersKept() {
        Set<String> held = new HashSet<>(Set.of("e-long"));
        AtomicInteger looks = new AtomicInteger();
        RecentDecisions decisions = new RecentDecisions(executionId -> {
            looks.incrementAndGet();
            return held.contains(executionId);
        });
        decisions.decided("e-long", DECISION); // runs all along

        for (int i = 0; i < 10 * RecentDecisions.SWEEP_FLOOR; i++) {
            decisions.decided("e-" + i, DECISION); // each ended and forgotten by the engine at once
        }

        assertEquals(Optional.of(DECISION), decisions.of("e-long"));
        assertEquals(Optional.empty(), decisions.of("e-0"));
        assertTrue(looks.get() <= 3 * 10 * RecentDecisions.SWEEP_FLOOR, "about one look per decision: " + looks);
    }

    /** One not held at a single sweep, as an execution that ends is between the engine's running and ended ones. */
    @Test
    void aDecisionIsNotDroppedForOneSweepThatMissedItsExecution() {
        Set<String> missed = new HashSet<>(Set.of("e-ending"));
        RecentDecisions decisions = new RecentDecisions(executionId -> !missed.remove(executionId));
        decisions.decided("e-ending", DECISION);

        for (int i = 0; i < 4 * RecentDecisions.SWEEP_FLOOR; i++) {
            decisions.decided("e-" + i, DECISION);
        }

        assertEquals(Optional.of(DECISION), decisions.of("e-ending"), "held at every later sweep");
    }
}
