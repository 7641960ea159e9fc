package io.mcpagent.api.llm;

import java.util.List;
import java.util.Map;

/**
 * A provider-neutral chat request. {@code model} may be null for the provider's default model.
 * {@code providerExtras} are top-level request fields (name to JSON text) merged verbatim into the provider's
 * body, for what the neutral model does not cover.
 */
public record ChatRequest(String model, List<Instruction> instructions, List<Message> messages, List<ToolSpec> tools,
                          ToolChoice toolChoice, Boolean parallelToolCalls, ResponseFormat responseFormat,
                          GenerationParams params, ReasoningParams reasoning, Map<String, String> providerExtras) {
    public ChatRequest {
        instructions = instructions == null ? List.of() : List.copyOf(instructions);
        messages = messages == null ? List.of() : List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        toolChoice = toolChoice == null ? new ToolChoice.Auto() : toolChoice;
        responseFormat = responseFormat == null ? new ResponseFormat.Text() : responseFormat;
        params = params == null ? GenerationParams.defaults() : params;
        providerExtras = providerExtras == null ? Map.of() : Map.copyOf(providerExtras);
    }

    /** A plain request: optional system instruction and messages, no tools. */
    public static ChatRequest of(String model, String system, List<Message> messages) {
        List<Instruction> instructions = system == null ? List.of() : List.of(Instruction.of(system));
        return new ChatRequest(model, instructions, messages, List.of(), null, null, null, null, null, Map.of());
    }
}
