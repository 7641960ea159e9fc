package io.mcpagent.provider.cohere.internal;

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
 * A v2 chat answer (the body of {@code POST /v2/chat}, or one assembled from a stream) as a {@link ChatResponse}:
 * content in order ({@code thinking} as {@link ReasoningPart}, {@code text} as {@link TextPart}, other types kept as
 * {@link OpaquePart}), then the citations, then the {@code tool_plan} as text, then the tool calls with their argument
 * text exactly as received. The answer names no model, so the requested one is reported.
 */
final class CohereAnswers {
    private final ObjectMapper json;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;

    CohereAnswers(ObjectMapper json, String providerId, Supplier<List<String>> secrets) {
        this.json = json;
        this.providerId = providerId;
        this.secrets = secrets;
    }

    ChatResponse parse(String body, CohereRequests.Mapped request) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(MalformedAnswers.notJson("the answer", e), body, null);
        }
        try {
            return parse(root, body, request, null);
        } catch (ProviderException e) {
            // the generation is billed though its answer cannot be used
            throw new ProviderException(e.error(), e, root == null ? Usage.NONE : usage(root.path("usage")));
        }
    }

    ChatResponse parse(JsonNode root, String raw, CohereRequests.Mapped request, String requestId) {
        if (root == null || !root.isObject() || !root.path("message").isObject()) {
            throw malformed("the answer is not a v2 chat response (no message object)", raw, requestId);
        }
        String id = text(root, "id");
        JsonNode message = root.get("message");
        List<Part> parts = new ArrayList<>();
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            parts.add(TextPart.of(answerText(content.asText(), request)));
        }
        for (JsonNode block : content) {
            switch (block.path("type").asText("")) {
                case "text" -> parts.add(TextPart.of(answerText(AnswerText.of(block, "text",
                        what -> malformed("a text block's " + what, raw, requestId)), request)));
                case "thinking" -> parts.add(new ReasoningPart(CohereRequests.PROVIDER, request.model(),
                        AnswerText.of(block, "thinking", what -> malformed("a thinking block's " + what, raw, requestId)),
                        null, null, null, false));
                default -> parts.add(new OpaquePart(CohereRequests.PROVIDER, AnswerJson.write(json, block)));
            }
        }
        for (JsonNode citation : message.path("citations")) {
            parts.add(citation(citation));
        }
        String plan = text(message, "tool_plan");
        if (plan != null && !plan.isEmpty()) {
            parts.add(TextPart.of(plan));
        }
        boolean calls = false;
        for (JsonNode call : message.path("tool_calls")) {
            String callId = text(call, "id");
            String name = text(call.path("function"), "name");
            if (callId == null || name == null || name.isEmpty()) {
                throw malformed("a tool call without id or function name", raw, requestId);
            }
            JsonNode arguments = call.path("function").path("arguments");
            String argumentsText = arguments.isTextual() ? arguments.asText()
                    : arguments.isMissingNode() || arguments.isNull() ? "{}" : AnswerJson.write(json, arguments);
            parts.add(new ToolCallPart(callId, callId, null, name, argumentsText, Map.of()));
            calls = true;
        }
        String rawStop = text(root, "finish_reason");
        return new ChatResponse(id, request.model(), Message.of(Role.ASSISTANT, parts), stopReason(rawStop, calls),
                rawStop, usage(root.path("usage")), null, requestId, raw);
    }

    /**
     * Cohere's finish reason normalised; {@code ERROR} and {@code TIMEOUT} (the generation failed or ran out of time
     * on Cohere's side) are ERROR. The calls in the answer decide whether there is a tool to run.
     */
    static StopReason stopReason(String raw, boolean calls) {
        StopReason reason = raw == null ? StopReason.OTHER : switch (raw) {
            case "COMPLETE" -> StopReason.END_TURN;
            case "STOP_SEQUENCE" -> StopReason.STOP_SEQUENCE;
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "TOOL_CALL" -> StopReason.TOOL_CALLS;
            case "ERROR", "TIMEOUT" -> StopReason.ERROR;
            default -> StopReason.OTHER;
        };
        if (reason == StopReason.TOOL_CALLS && !calls) {
            return StopReason.END_TURN;
        }
        return reason == StopReason.END_TURN && calls ? StopReason.TOOL_CALLS : reason;
    }

    /**
     * Cohere's usage normalised from {@code billed_units} (what is charged and what the platform prices; it leaves out
     * the prompt template Cohere adds), or from {@code tokens} when nothing is billed; {@code cached_tokens} are cache
     * reads. Every counter is kept in {@code raw} by dotted name ({@code tokens.input_tokens} is the context used).
     */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        Map<String, Long> raw = AnswerJson.counters(usage);
        long input = raw.getOrDefault("billed_units.input_tokens", raw.getOrDefault("tokens.input_tokens", 0L));
        long output = raw.getOrDefault("billed_units.output_tokens", raw.getOrDefault("tokens.output_tokens", 0L));
        return new Usage(input, raw.getOrDefault("cached_tokens", 0L), 0, output, 0, 0, raw);
    }


    private static CitationPart citation(JsonNode citation) {
        JsonNode source = citation.path("sources").path(0);
        JsonNode document = source.path("document");
        String title = text(document, "title");
        return new CitationPart(title != null ? title : text(source, "id"), text(document, "url"), text(citation, "text"));
    }

    private String answerText(String text, CohereRequests.Mapped request) {
        return request.answerWrapped() ? unwrapped(json, text) : text;
    }

    /** The answer to a wrapped (non-object) schema is the {@code value} inside the object Cohere produced. */
    static String unwrapped(ObjectMapper json, String text) {
        try {
            JsonNode value = json.readTree(text).path("value");
            return value.isMissingNode() ? text : json.writeValueAsString(value);
        } catch (JsonProcessingException notJson) {
            // the caller judges an answer that is not the JSON asked for; it gets the exact text
            return text;
        }
    }


    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private ProviderException malformed(String what, String raw, String requestId) {
        return new ProviderException(MalformedAnswers.error(providerId, what, requestId, raw, secrets.get()));
    }
}
