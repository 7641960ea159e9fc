package io.mcpagent.autonomous.internal.orchestration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.mcpagent.api.autonomous.StrategyRecommendation;

/**
 * The decisions of the executions one orchestrator planned most recently, by execution id: what readers of an
 * execution the history has no record of need to tell a fallback, since the engine knows only the pattern that runs.
 * Bounded, the oldest forgotten first.
 */
final class RecentDecisions {
    /** As many as the workflow engine keeps ended executions by default (core's keepFinished). */
    static final int KEPT = 1000;

    private final int kept;
    /** In the order they were decided. Guarded by {@code this}. */
    private final Map<String, StrategyRecommendation> decisions = new LinkedHashMap<>();

    RecentDecisions(int kept) {
        this.kept = kept;
    }

    synchronized void decided(String executionId, StrategyRecommendation decision) {
        decisions.put(executionId, decision);
        if (decisions.size() > kept) {
            decisions.remove(decisions.keySet().iterator().next());
        }
    }

    synchronized Optional<StrategyRecommendation> of(String executionId) {
        return Optional.ofNullable(decisions.get(executionId));
    }
}
