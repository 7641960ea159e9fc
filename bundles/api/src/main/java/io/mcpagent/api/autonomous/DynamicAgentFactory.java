package io.mcpagent.api.autonomous;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * Creates the agents a task needs for the chosen strategy, each specialised by role and bound to the MCP servers
 * its capabilities need (installed ones first; catalog entries installed only when the options allow it).
 * Connections to servers already running are reused.
 */
@ProviderType
public interface DynamicAgentFactory {

    AgentPlan plan(Task task, TaskAnalysis analysis, StrategyRecommendation strategy, AgentPlanOptions options);
}
