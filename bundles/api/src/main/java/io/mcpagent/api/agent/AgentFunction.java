package io.mcpagent.api.agent;

import java.util.Objects;

import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.mcp.ToolCallResult;

/**
 * A tool implemented in Java rather than by an MCP server, offered to the model beside the agent's MCP tools: a
 * pattern's handoff ({@code transfer_to_<agent>}), a plain function a router may pick, a test double. Called on a
 * virtual thread, possibly concurrently with other calls; a thrown exception becomes an error result the model reads.
 */
@FunctionalInterface
public interface AgentFunction {

    ToolCallResult call(String argumentsJson);

    /** A function tool: its spec and its body. */
    record Tool(ToolSpec spec, AgentFunction function) {
        public Tool {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(function, "function");
        }
    }
}
