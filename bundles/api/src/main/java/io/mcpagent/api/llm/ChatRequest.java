package io.mcpagent.api.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A provider-neutral chat request. {@code model} may be null for the provider's default model.
 * {@code providerExtras} are top-level request fields (name to JSON text) merged verbatim into the provider's
 * body, for what the neutral model does not cover.
 * <p>
 * {@code maxRetryWait} is the longest wait before a retry the caller accepts (since 1.13); null leaves it to the
 * provider's retry policy. A provider that would wait longer before retrying a failure in place (a {@code Retry-After}
 * of 30 s, a long backoff) fails the call at once with that retryable error instead, its {@code retryAfter} kept, so
 * that the caller can go elsewhere. The {@link LlmRouter} sets it while another provider is left for the call, and
 * leaves the last one its own policy.
 */
public record ChatRequest(String model, List<Instruction> instructions, List<Message> messages, List<ToolSpec> tools,
                          ToolChoice toolChoice, Boolean parallelToolCalls, ResponseFormat responseFormat,
                          GenerationParams params, ReasoningParams reasoning, Map<String, String> providerExtras,
                          Duration maxRetryWait) {
    public ChatRequest {
        if (maxRetryWait != null && maxRetryWait.isNegative()) {
            throw new IllegalArgumentException("maxRetryWait must not be negative, was " + maxRetryWait);
        }
        instructions = instructions == null ? List.of() : List.copyOf(instructions);
        messages = messages == null ? List.of() : List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        toolChoice = toolChoice == null ? new ToolChoice.Auto() : toolChoice;
        responseFormat = responseFormat == null ? new ResponseFormat.Text() : responseFormat;
        params = params == null ? GenerationParams.defaults() : params;
        providerExtras = providerExtras == null ? Map.of() : Map.copyOf(providerExtras);
    }

    /** A request that leaves the wait before a retry to the provider's retry policy. */
    public ChatRequest(String model, List<Instruction> instructions, List<Message> messages, List<ToolSpec> tools,
                       ToolChoice toolChoice, Boolean parallelToolCalls, ResponseFormat responseFormat,
                       GenerationParams params, ReasoningParams reasoning, Map<String, String> providerExtras) {
        this(model, instructions, messages, tools, toolChoice, parallelToolCalls, responseFormat, params, reasoning,
                providerExtras, null);
    }

    /** This request with {@code maxRetryWait} as the longest wait before a retry the caller accepts (since 1.13). */
    public ChatRequest withMaxRetryWait(Duration maxRetryWait) {
        return new ChatRequest(model, instructions, messages, tools, toolChoice, parallelToolCalls, responseFormat,
                params, reasoning, providerExtras, maxRetryWait);
    }

    /** A plain request: optional system instruction and messages, no tools. */
    public static ChatRequest of(String model, String system, List<Message> messages) {
        List<Instruction> instructions = system == null ? List.of() : List.of(Instruction.of(system));
        return new ChatRequest(model, instructions, messages, List.of(), null, null, null, null, null, Map.of());
    }
}
