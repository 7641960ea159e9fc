package io.mcpagent.core.internal.agent;

import java.time.Clock;

import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.security.SecretMasker;

/** Lets tests of other packages build the agent runtime without OSGi. */
public final class DefaultAgentRuntimeAccess {
    private DefaultAgentRuntimeAccess() {
    }

    /** The runtime over {@code router}, masking step details by pattern alone. */
    public static AgentRuntime runtime(LlmRouter router) {
        return new DefaultAgentRuntime(router, SecretMasker.orPatterns(null), Clock.systemUTC());
    }
}
