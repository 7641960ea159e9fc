package io.mcpagent.core.internal.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.mcp.Toolset;

/** MCP tools played by Java functions of the arguments. */
final class FakeToolset implements Toolset {
    private final Map<String, Function<String, ToolCallResult>> tools = new LinkedHashMap<>();
    final List<Duration> timeouts = new ArrayList<>();

    FakeToolset tool(String name, Function<String, ToolCallResult> body) {
        tools.put(name, body);
        return this;
    }

    static ToolCallResult text(String text) {
        return new ToolCallResult(List.of(TextPart.of(text)), null, false);
    }

    @Override
    public List<ToolSpec> specs() {
        return tools.keySet().stream().map(name -> new ToolSpec(name, "does " + name, null, false)).toList();
    }

    @Override
    public String origin(String exposedName) {
        return tools.containsKey(exposedName) ? "fs/" + exposedName.substring(exposedName.indexOf('_') + 1) : null;
    }

    @Override
    public synchronized ToolCallResult call(String exposedName, String argumentsJson, Duration timeout) {
        timeouts.add(timeout);
        return tools.get(exposedName).apply(argumentsJson);
    }
}
