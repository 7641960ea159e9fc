package io.mcpagent.api.autonomous;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * What the platform would do with a task: its analysis, the strategy, the agents. {@code blockers} name what stops
 * it from running (for example no LLM provider configured, with the variables or settings to set); empty when it
 * can run. A plan that can run may still not do all the task needs, or its provider may fail it:
 * {@link #warnings()} says so. {@code providerWarnings} (since 1.12) say how the LLM providers the plan would use
 * may fail it though nothing blocks it (the chosen one DEGRADED, one passed over for its open circuit).
 * {@code retryAfter} (since 1.22): when what blocks the plan passes by itself (the circuits of the providers that fit
 * are open after their failures, and half-open then), how long until a try may run; null when a blocker needs
 * something done (a provider configured, a key set) or nothing blocks.
 */
public record AutonomousPlan(Task task, TaskAnalysis analysis, StrategyRecommendation strategy, AgentPlan agents,
                             List<String> blockers, List<String> providerWarnings, Duration retryAfter) {
    public AutonomousPlan {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(agents, "agents");
        blockers = blockers == null ? List.of() : List.copyOf(blockers);
        providerWarnings = providerWarnings == null ? List.of() : List.copyOf(providerWarnings);
        retryAfter = blockers.isEmpty() ? null : retryAfter;
    }

    /** A plan whose blockers, if any, need something done: the canonical constructor of version 1.21 and before. */
    public AutonomousPlan(Task task, TaskAnalysis analysis, StrategyRecommendation strategy, AgentPlan agents,
                          List<String> blockers, List<String> providerWarnings) {
        this(task, analysis, strategy, agents, blockers, providerWarnings, null);
    }

    /** A plan without provider warnings: the canonical constructor of version 1.11 and before. */
    public AutonomousPlan(Task task, TaskAnalysis analysis, StrategyRecommendation strategy, AgentPlan agents,
                          List<String> blockers) {
        this(task, analysis, strategy, agents, blockers, List.of());
    }

    /**
     * Whether an execution of this plan can start: nothing stops it ({@link #blockers()} is empty). Not whether it can
     * do all the task needs: agents lacking a server for a required capability still run, without its tools, which
     * {@link #warnings()} says.
     */
    public boolean runnable() {
        return blockers.isEmpty();
    }

    /**
     * This plan with {@code blocker} added: a plan as one caller sees it, such as a dry run that would install catalog
     * servers, asked by a caller who may not install them, whose real run would be refused.
     *
     * @since 1.21
     */
    public AutonomousPlan withBlocker(String blocker) {
        List<String> more = new ArrayList<>(blockers);
        more.add(Objects.requireNonNull(blocker, "blocker"));
        return new AutonomousPlan(task, analysis, strategy, agents, more, providerWarnings, null);
    }

    /**
     * How the plan falls short of what the task needs though it can run: the required capabilities no usable MCP
     * server provides ({@link AgentPlan#unmetCapabilities()}), whose tools the agents would run without (since 1.8);
     * then the agent plan's {@link AgentPlan#warnings()} (since 1.20), then the {@link #providerWarnings()} (since
     * 1.12). Empty when it falls short in nothing.
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (!agents.unmetCapabilities().isEmpty()) {
            warnings.add("the agents would run without tools for " + String.join(", ",
                    new TreeSet<>(agents.unmetCapabilities())) + ", which the task needs: no usable MCP server"
                    + " provides them (each agent's reason says why and what to configure)");
        }
        warnings.addAll(agents.warnings());
        warnings.addAll(providerWarnings);
        return List.copyOf(warnings);
    }
}
