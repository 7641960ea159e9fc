package io.mcpagent.api.autonomous;

import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.llm.ModelRequirements;

/**
 * How agents are created: at most {@code maxAgents}; whether catalog servers may be installed for a missing
 * capability ({@code allowInstall}, off by default) or only planned ({@code dryRun}); the model requirements and
 * limits each agent gets (null = the factory's defaults).
 */
public record AgentPlanOptions(int maxAgents, boolean allowInstall, boolean dryRun, ModelRequirements model,
                               AgentLimits limits) {
    public static final AgentPlanOptions DEFAULTS = new AgentPlanOptions(5, false, false, null, null);

    public AgentPlanOptions {
        if (maxAgents < 1) {
            throw new IllegalArgumentException("maxAgents must be at least 1, was " + maxAgents);
        }
    }
}
