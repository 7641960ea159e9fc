package io.mcpagent.provider.openai.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The servers that speak the Chat Completions API, with their documented deviations from OpenAI's own
 * (reference §1, §3, §8). A dialect only sets defaults and switches; the wire format is the same adapter.
 */
enum Dialect {
    OPENAI("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", Auth.BEARER, "system", "max_completion_tokens",
            true, ToolChoiceSupport.FULL, ParallelCalls.AS_ASKED, Reasoning.EFFORT, true, BuiltInModels.OPENAI),
    /** Deployment URLs with {@code api-key}; {@code azureV1} switches to {@code /openai/v1}. Models are deployment names. */
    AZURE("azure", null, "AZURE_OPENAI_API_KEY", Auth.API_KEY, "system", "max_completion_tokens",
            true, ToolChoiceSupport.FULL, ParallelCalls.AS_ASKED, Reasoning.EFFORT, true, BuiltInModels.AZURE),
    /** {@code /v1} of Ollama: no key, no tool_choice, max_tokens only, no remote image URLs (§8.2). */
    OLLAMA("ollama", "http://localhost:11434/v1", "", Auth.BEARER, "system", "max_tokens",
            true, ToolChoiceSupport.NONE, ParallelCalls.NEVER, Reasoning.EFFORT, false, BuiltInModels.OLLAMA),
    /** vLLM's OpenAI server (§8.3): key only with --api-key; tool calling only with --enable-auto-tool-choice. */
    VLLM("vllm", "http://localhost:8000/v1", "", Auth.BEARER, "system", "max_tokens",
            true, ToolChoiceSupport.FULL, ParallelCalls.AS_ASKED, Reasoning.EFFORT, true, List.of()),
    /** llama-server (§8.4): tool_choice only as a string, parallel tool calls off unless asked for. */
    LLAMACPP("llamacpp", "http://localhost:8080/v1", "", Auth.BEARER, "system", "max_tokens",
            true, ToolChoiceSupport.STRINGS, ParallelCalls.ON_UNLESS_REFUSED, Reasoning.NONE, true, List.of()),
    /** LM Studio: documented parameters only (no stream_options, no parallel_tool_calls), tool_choice as a string. */
    LMSTUDIO("lmstudio", "http://localhost:1234/v1", "", Auth.BEARER, "system", "max_tokens",
            false, ToolChoiceSupport.STRINGS, ParallelCalls.NEVER, Reasoning.NONE, true, List.of()),
    /** OpenRouter: usage always in the last chunk (stream_options is deprecated there), reasoning as an object. */
    OPENROUTER("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", Auth.BEARER, "system", "max_tokens",
            false, ToolChoiceSupport.FULL, ParallelCalls.AS_ASKED, Reasoning.OPENROUTER, true, BuiltInModels.OPENROUTER),
    /** Any other OpenAI-compatible server: the base URL is required, only what the request asks for is sent. */
    COMPATIBLE("compatible", null, "", Auth.BEARER, "system", "max_tokens",
            false, ToolChoiceSupport.FULL, ParallelCalls.AS_ASKED, Reasoning.EFFORT, true, List.of());

    enum Auth { BEARER, API_KEY, NONE }

    /** FULL: strings and named object; STRINGS: auto/none/required, a named choice becomes required over that one tool; NONE: never sent. */
    enum ToolChoiceSupport { FULL, STRINGS, NONE }

    /** AS_ASKED: sent when the request says; NEVER: not sent; ON_UNLESS_REFUSED: true unless the request says false. */
    enum ParallelCalls { AS_ASKED, NEVER, ON_UNLESS_REFUSED }

    enum Reasoning { EFFORT, OPENROUTER, NONE }

    final String id;
    final String defaultBaseUrl;
    final String defaultKeyEnv;
    final Auth auth;
    final String systemRole;
    final String maxTokensField;
    final boolean streamUsage;
    final ToolChoiceSupport toolChoice;
    final ParallelCalls parallelCalls;
    final Reasoning reasoning;
    final boolean remoteImageUrls;
    private final List<String> builtInModels;

    Dialect(String id, String defaultBaseUrl, String defaultKeyEnv, Auth auth, String systemRole, String maxTokensField,
            boolean streamUsage, ToolChoiceSupport toolChoice, ParallelCalls parallelCalls, Reasoning reasoning,
            boolean remoteImageUrls, List<String> builtInModels) {
        this.id = id;
        this.defaultBaseUrl = defaultBaseUrl;
        this.defaultKeyEnv = defaultKeyEnv;
        this.auth = auth;
        this.systemRole = systemRole;
        this.maxTokensField = maxTokensField;
        this.streamUsage = streamUsage;
        this.toolChoice = toolChoice;
        this.parallelCalls = parallelCalls;
        this.reasoning = reasoning;
        this.remoteImageUrls = remoteImageUrls;
        this.builtInModels = builtInModels;
    }

    /** What the family is called: a provider's display name is this and its id unless configured ("Ollama local"). */
    String displayName() {
        return switch (this) {
            case OPENAI -> "OpenAI";
            case AZURE -> "Azure OpenAI";
            case OLLAMA -> "Ollama";
            case VLLM -> "vLLM";
            case LLAMACPP -> "llama.cpp";
            case LMSTUDIO -> "LM Studio";
            case OPENROUTER -> "OpenRouter";
            case COMPATIBLE -> "OpenAI-compatible";
        };
    }

    /** The model specs used when the configuration lists none. */
    List<String> builtInModels() {
        return builtInModels;
    }

    static Optional<Dialect> parse(String text) {
        String wanted = text == null || text.isBlank() ? "openai" : text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.id.equals(wanted)).findFirst();
    }

    static String ids() {
        return String.join(", ", Arrays.stream(values()).map(d -> d.id).toList());
    }
}
