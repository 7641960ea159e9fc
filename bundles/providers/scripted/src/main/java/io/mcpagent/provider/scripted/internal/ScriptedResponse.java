package io.mcpagent.provider.scripted.internal;

import java.util.List;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.Usage;

/**
 * One scripted turn: text and/or tool calls, or an error to throw; {@code usage} what either billed. {@code rawJson}
 * is the script entry as written, handed out as the response's raw body.
 */
record ScriptedResponse(String text, List<ToolCall> toolCalls, ProviderError error, Usage usage, long delayMillis,
                        String rawJson) {

    /** {@code argumentsJson} is sent exactly as scripted; {@code id} null lets the provider make one up. */
    record ToolCall(String id, String name, String argumentsJson) {
    }

    ScriptedResponse {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.NONE : usage;
    }
}
