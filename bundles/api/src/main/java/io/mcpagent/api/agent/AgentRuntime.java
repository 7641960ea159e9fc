package io.mcpagent.api.agent;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.workflow.WorkflowContext;

/**
 * Creates agents for an execution. Their model calls go through the platform's {@code LlmRouter} (usage counted
 * under the execution's id), their tools through the MCP servers installed at each call; every step is published as
 * an {@link AgentEvent} on the context, and the context's cancellation stops them.
 */
@ProviderType
public interface AgentRuntime {

    Agent create(AgentSpec spec, WorkflowContext context);
}
