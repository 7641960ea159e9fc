package io.mcpagent.api.autonomous;

import java.util.List;
import java.util.Objects;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * What the platform would do with a task: its analysis, the strategy, the agents. {@code blockers} name what stops
 * it from running (for example no LLM provider configured, with the variables or settings to set); empty when it
 * can run.
 */
public record AutonomousPlan(Task task, TaskAnalysis analysis, StrategyRecommendation strategy, AgentPlan agents,
                             List<String> blockers) {
    public AutonomousPlan {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(agents, "agents");
        blockers = blockers == null ? List.of() : List.copyOf(blockers);
    }

    public boolean runnable() {
        return blockers.isEmpty();
    }
}
