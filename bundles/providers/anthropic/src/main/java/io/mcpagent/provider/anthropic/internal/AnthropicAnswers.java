package io.mcpagent.provider.anthropic.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.RateLimitInfo;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.provider.support.AnswerJson;
import io.mcpagent.provider.support.AnswerText;
import io.mcpagent.provider.support.MalformedAnswers;

/**
 * An Anthropic {@code Message} (the answer of {@code POST /v1/messages}, or one assembled from a stream) as a
 * {@link ChatResponse}: text (with its citations), thinking and redacted thinking with their opaque artefacts,
 * tool calls, and every other block (server tools, search results) kept as an {@link OpaquePart} for replay.
 */
final class AnthropicAnswers {
    private final ObjectMapper json;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;

    AnthropicAnswers(ObjectMapper json, String providerId, Supplier<List<String>> secrets) {
        this.json = json;
        this.providerId = providerId;
        this.secrets = secrets;
    }

    ChatResponse parse(String body, AnthropicRequests.Mapped request, RateLimitInfo rateLimits, String requestId) {
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(MalformedAnswers.notJson("the answer", e), body, requestId);
        }
        try {
            return parse(message, body, request, rateLimits, requestId);
        } catch (ProviderException e) {
            // the generation is billed though its answer cannot be used
            throw new ProviderException(e.error(), e, message == null ? Usage.NONE : usage(message.path("usage")));
        }
    }

    ChatResponse parse(JsonNode message, String raw, AnthropicRequests.Mapped request, RateLimitInfo rateLimits,
                       String requestId) {
        if (message == null || !message.isObject() || !message.path("content").isArray()) {
            throw malformed("the answer is not a Messages API message (no content array)", raw, requestId);
        }
        String model = text(message, "model");
        List<Part> parts = new ArrayList<>();
        boolean realToolCall = false;
        for (JsonNode block : message.get("content")) {
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> {
                    parts.add(TextPart.of(AnswerText.of(block, "text",
                            what -> malformed("a text block's " + what, raw, requestId))));
                    for (JsonNode citation : block.path("citations")) {
                        parts.add(new CitationPart(firstText(citation, "document_title", "title"),
                                text(citation, "url"), text(citation, "cited_text")));
                    }
                }
                case "thinking" -> parts.add(new ReasoningPart(AnthropicRequests.PROVIDER, model,
                        AnswerText.of(block, "thinking", what -> malformed("a thinking block's " + what, raw, requestId)),
                        null, text(block, "signature"), null, false));
                case "redacted_thinking" -> parts.add(new ReasoningPart(AnthropicRequests.PROVIDER, model, null, null,
                        null, text(block, "data"), true));
                case "tool_use" -> {
                    String name = block.path("name").asText("");
                    JsonNode input = block.path("input");
                    if (request != null && name.equals(request.outputTool())) {
                        JsonNode answer = request.outputWrapped() ? input.path("value") : input;
                        parts.add(TextPart.of(answer.isTextual() && !request.outputWrapped() ? answer.asText()
                                : AnswerJson.write(json, answer)));
                    } else {
                        String id = text(block, "id");
                        if (id == null || name.isEmpty()) {
                            throw malformed("a tool_use block without id or name", raw, requestId);
                        }
                        String arguments = input.isTextual() ? input.asText()
                                : input.isMissingNode() ? "{}" : AnswerJson.write(json, input);
                        parts.add(new ToolCallPart(id, id, null, name, arguments, Map.of()));
                        realToolCall = true;
                    }
                }
                default -> parts.add(new OpaquePart(AnthropicRequests.PROVIDER, AnswerJson.write(json, block)));
            }
        }
        String rawStop = text(message, "stop_reason");
        StopReason stop = stopReason(rawStop);
        if (stop == StopReason.TOOL_CALLS && !realToolCall) {
            stop = StopReason.END_TURN;
        }
        return new ChatResponse(text(message, "id"), model, Message.of(Role.ASSISTANT, parts), stop, rawStop,
                usage(message.path("usage")), rateLimits, requestId, raw);
    }

    static StopReason stopReason(String raw) {
        if (raw == null) {
            return StopReason.OTHER;
        }
        return switch (raw) {
            case "end_turn" -> StopReason.END_TURN;
            case "max_tokens" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_CALLS;
            case "pause_turn" -> StopReason.PAUSED;
            case "refusal" -> StopReason.REFUSAL;
            case "model_context_window_exceeded" -> StopReason.CONTEXT_WINDOW_EXCEEDED;
            default -> StopReason.OTHER;
        };
    }

    /**
     * Anthropic's usage normalised: {@code input_tokens} excludes cache reads and writes, so the neutral input is
     * their sum; of the writes, {@code cache_creation.ephemeral_1h_input_tokens} went to a one-hour cache, which costs
     * more. Every numeric counter is kept in {@code raw}, nested ones by dotted name.
     */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        Map<String, Long> raw = AnswerJson.counters(usage);
        long input = raw.getOrDefault("input_tokens", 0L);
        long cacheWrite = raw.getOrDefault("cache_creation_input_tokens", 0L);
        long cacheRead = raw.getOrDefault("cache_read_input_tokens", 0L);
        long output = raw.getOrDefault("output_tokens", 0L);
        long thinking = raw.getOrDefault("output_tokens_details.thinking_tokens", 0L);
        long cacheWrite1h = raw.getOrDefault("cache_creation.ephemeral_1h_input_tokens", 0L);
        return new Usage(input + cacheWrite + cacheRead, cacheRead, cacheWrite, cacheWrite1h, output, thinking, 0, raw);
    }



    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String firstText(JsonNode node, String first, String second) {
        String value = text(node, first);
        return value != null ? value : text(node, second);
    }

    private ProviderException malformed(String what, String raw, String requestId) {
        return new ProviderException(MalformedAnswers.error(providerId, what, requestId, raw, secrets.get()));
    }
}
