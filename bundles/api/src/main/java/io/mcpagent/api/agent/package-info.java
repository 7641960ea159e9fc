/**
 * Agents: an {@link io.mcpagent.api.agent.AgentSpec} says what an agent is (instruction, MCP servers, tools, model
 * preference, limits); the platform's {@link io.mcpagent.api.agent.AgentRuntime} runs it in a tool loop. 1.1: the
 * origin {@link io.mcpagent.api.agent.AgentEvent#UNKNOWN_TOOL} of a call to a tool the agent does not have. 1.2:
 * {@link io.mcpagent.api.agent.AgentEvent#CUT_SHORT}, the detail of an answer the model did not end itself. 1.3:
 * {@link io.mcpagent.api.agent.AgentLimits} refuses a time budget or tool timeout beyond 100 years.
 */
@Version("1.3.0")
@Export
package io.mcpagent.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
