package io.mcpagent.api.agent;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.mcp.ToolFilter;

/**
 * What an agent is. {@code name} is {@code ^[a-zA-Z0-9_-]{1,64}$} (it appears in tool names such as handoffs);
 * {@code instruction} is its system instruction; {@code servers} are MCP server plugin ids whose tools, passing
 * {@code toolFilter}, it may call, beside its {@code functions}; {@code model} says which model to route to;
 * {@code responseFormat} asks for structured output (a JSON schema) as the final answer.
 */
public record AgentSpec(String name, String instruction, List<String> servers, ToolFilter toolFilter,
                        List<AgentFunction.Tool> functions, ModelRequirements model, ResponseFormat responseFormat,
                        AgentLimits limits) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    public AgentSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("agent name '" + name + "' must match ^[a-zA-Z0-9_-]{1,64}$");
        }
        instruction = instruction == null ? "" : instruction;
        servers = servers == null ? List.of() : List.copyOf(servers);
        toolFilter = toolFilter == null ? ToolFilter.ALL : toolFilter;
        functions = functions == null ? List.of() : List.copyOf(functions);
        model = model == null ? ModelRequirements.ANY : model;
        responseFormat = responseFormat == null ? new ResponseFormat.Text() : responseFormat;
        limits = limits == null ? AgentLimits.DEFAULTS : limits;
    }

    /** An agent with an instruction and MCP servers, any model, default limits. */
    public static AgentSpec of(String name, String instruction, String... servers) {
        return new AgentSpec(name, instruction, List.of(servers), null, null, null, null, null);
    }

    public AgentSpec withModel(ModelRequirements requirements) {
        return new AgentSpec(name, instruction, servers, toolFilter, functions, requirements, responseFormat, limits);
    }

    public AgentSpec withFunctions(List<AgentFunction.Tool> tools) {
        return new AgentSpec(name, instruction, servers, toolFilter, tools, model, responseFormat, limits);
    }

    public AgentSpec withResponseFormat(ResponseFormat format) {
        return new AgentSpec(name, instruction, servers, toolFilter, functions, model, format, limits);
    }

    public AgentSpec withLimits(AgentLimits agentLimits) {
        return new AgentSpec(name, instruction, servers, toolFilter, functions, model, responseFormat, agentLimits);
    }
}
