package io.mcpagent.core.internal.agent;

import java.time.Clock;

import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.llm.LlmRouter;

/** Lets tests of other packages build the agent runtime without OSGi. */
public final class DefaultAgentRuntimeAccess {
    private DefaultAgentRuntimeAccess() {
    }

    public static AgentRuntime runtime(LlmRouter router) {
        return new DefaultAgentRuntime(router, Clock.systemUTC());
    }
}
