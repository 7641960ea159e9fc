package io.mcpagent.autonomous.internal.orchestration;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.mcpagent.api.autonomous.StrategyRecommendation;

/**
 * The decisions of the executions one orchestrator planned, by execution id, for as long as the workflow engine holds
 * those executions (running, or among the ended ones it keeps for lookup, as many as its {@code keepFinished} says):
 * what readers of an execution the history has no record of need to tell a fallback, since the engine knows only the
 * pattern that runs, and they read it only while the engine holds it. So the decisions follow the engine's retention,
 * whatever it is configured to, instead of a count of their own that could fall short of it.
 * <p>
 * Those of executions the engine no longer holds are dropped by a sweep each time the decisions have doubled since the
 * last one (at least {@link #SWEEP_FLOOR}): a decision costs one look at the engine on average, and at most about twice
 * as many are kept as the engine holds executions.
 */
final class RecentDecisions {
    /** Below this many decisions there is no sweep: a few stale ones cost less than asking the engine for each. */
    static final int SWEEP_FLOOR = 64;

    /** Whether the engine holds the execution of this id. */
    private final Predicate<String> held;
    /** Guarded by {@code this}, as the fields below. */
    private final Map<String, StrategyRecommendation> decisions = new HashMap<>();
    private Set<String> notHeldAtLastSweep = Set.of();
    private int sweepAt = SWEEP_FLOOR;

    RecentDecisions(Predicate<String> held) {
        this.held = held;
    }

    synchronized void decided(String executionId, StrategyRecommendation decision) {
        decisions.put(executionId, decision);
        if (decisions.size() >= sweepAt) {
            sweep();
        }
    }

    synchronized Optional<StrategyRecommendation> of(String executionId) {
        return Optional.ofNullable(decisions.get(executionId));
    }

    /**
     * Drops the decisions of the executions the engine held at neither this sweep nor the last one: an execution that
     * ends is briefly in neither its running nor its ended ones (core's engine removes it from the one before it adds
     * it to the other), so one look could drop the decision of an execution it goes on holding.
     */
    private void sweep() {
        Set<String> notHeld = new HashSet<>();
        decisions.keySet().removeIf(executionId -> {
            if (held.test(executionId)) {
                return false;
            }
            if (notHeldAtLastSweep.contains(executionId)) {
                return true;
            }
            notHeld.add(executionId);
            return false;
        });
        notHeldAtLastSweep = notHeld;
        sweepAt = Math.max(SWEEP_FLOOR, 2 * decisions.size());
    }
}
