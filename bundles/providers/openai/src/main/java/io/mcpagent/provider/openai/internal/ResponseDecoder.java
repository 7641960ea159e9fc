package io.mcpagent.provider.openai.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.RateLimitInfo;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.provider.support.AnswerJson;
import io.mcpagent.provider.support.MalformedAnswers;

/**
 * A {@code chat.completion} body as a {@link ChatResponse}: reasoning ({@code reasoning_content} or
 * {@code reasoning}, as vLLM, llama.cpp, Ollama and OpenRouter send it), text, citations from
 * {@code annotations}, refusal, tool calls with their exact argument text, usage normalised and raw, and the stop
 * reason normalised beside the raw {@code finish_reason}. A body that is not JSON, has no choices or carries an
 * {@code error} fails with a clear {@link ProviderException}.
 */
final class ResponseDecoder {
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    static final String API = "the Chat Completions API (…/v1)";

    private final String providerId;
    private final String family;
    private final ObjectMapper mapper;
    private final OpenAiErrors errors;

    ResponseDecoder(String providerId, String family, ObjectMapper mapper, OpenAiErrors errors) {
        this.providerId = providerId;
        this.family = family;
        this.mapper = mapper;
        this.errors = errors;
    }

    ChatResponse decode(String body, RateLimitInfo rateLimits, String requestId) {
        JsonNode root = parse(body, requestId);
        try {
            return decode(root, body, rateLimits, requestId);
        } catch (ProviderException e) {
            // the generation is billed though its answer cannot be used
            throw new ProviderException(e.error(), e, usage(root.get("usage")));
        }
    }

    private ChatResponse decode(JsonNode root, String body, RateLimitInfo rateLimits, String requestId) {
        if (root.hasNonNull("error") && !root.path("choices").isArray()) {
            throw new ProviderException(errors.inBand(root, requestId));
        }
        JsonNode choice = root.path("choices").path(0);
        if (!choice.isObject()) {
            throw malformed("the answer has no choices", body, requestId);
        }
        String model = text(root.get("model"));
        JsonNode message = choice.path("message");
        List<Part> parts = new ArrayList<>();
        String reasoning = reasoning(message);
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new ReasoningPart(family, model, reasoning, null, null, null, false));
        }
        JsonNode contentNode = message.get("content");
        if (!isContent(contentNode)) {
            throw malformed("the answer's message.content is " + kind(contentNode) + ", neither text nor a list of parts",
                    body, requestId);
        }
        String content = content(contentNode);
        if (content != null && !content.isEmpty()) {
            parts.add(TextPart.of(content));
            parts.addAll(citations(message.get("annotations"), content));
        }
        String refusal = text(message.get("refusal"));
        if (refusal != null && !refusal.isEmpty()) {
            parts.add(new RefusalPart(refusal));
        }
        int index = 0;
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            String id = text(call.get("id"));
            JsonNode arguments = function.get("arguments");
            String argumentsText = arguments == null || arguments.isNull() ? "{}"
                    : arguments.isTextual() ? arguments.asText() : arguments.toString();
            boolean hasId = id != null && !id.isBlank();
            parts.add(new ToolCallPart(hasId ? id : "call_" + index, hasId ? id : null, null,
                    java.util.Objects.requireNonNullElse(text(function.get("name")), ""), argumentsText, Map.of()));
            index++;
        }
        String finish = text(choice.get("finish_reason"));
        StopReason stop = stopReason(finish, index > 0, refusal != null && !refusal.isEmpty(), choice.get("stop_reason"));
        return new ChatResponse(text(root.get("id")), model, Message.of(Role.ASSISTANT, parts), stop, finish,
                usage(root.get("usage")), rateLimits, requestId, body);
    }

    JsonNode parse(String body, String requestId) {
        return parse(body, requestId, true);
    }

    /** {@code body} as a JSON object; a malformed one fails as {@link #malformed(String, String, String, boolean)}. */
    JsonNode parse(String body, String requestId, boolean askBaseUrl) {
        try {
            JsonNode root = body == null || body.isBlank() ? null : mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw malformed("the answer is not a JSON object", body, requestId, askBaseUrl);
            }
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw malformed(MalformedAnswers.notJson("the answer", e), body, requestId, askBaseUrl);
        }
    }

    ProviderException malformed(String what, String body, String requestId) {
        return malformed(what, body, requestId, true);
    }

    /**
     * The retryable malformed answer; {@code askBaseUrl} adds the question whether baseUrl names the API, which only
     * an answer of which nothing was usable raises: after a stream's content, the server was the API.
     */
    ProviderException malformed(String what, String body, String requestId, boolean askBaseUrl) {
        return new ProviderException(MalformedAnswers.error(providerId,
                askBaseUrl ? what + "; is baseUrl " + API + "?" : what, requestId, body, errors.secrets()));
    }

    /** Reasoning text as OpenAI-compatible servers return it; OpenAI itself returns none in Chat Completions. */
    static String reasoning(JsonNode messageOrDelta) {
        String text = text(messageOrDelta.get("reasoning_content"));
        return text != null ? text : text(messageOrDelta.get("reasoning"));
    }

    /** Whether {@code content} has a shape content may have: none, text, or a list of parts. */
    static boolean isContent(JsonNode content) {
        return content == null || content.isNull() || content.isTextual() || content.isArray();
    }

    /** The JSON type of {@code node} in words, for a message naming what is wrong. */
    static String kind(JsonNode node) {
        return "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** Content as a string, or the text parts of a content array (some compatible servers send one). */
    static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    text.append(part.asText());
                } else if (part.hasNonNull("text")) {
                    text.append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        return content.asText();
    }

    private static List<Part> citations(JsonNode annotations, String content) {
        List<Part> citations = new ArrayList<>();
        if (annotations == null || !annotations.isArray()) {
            return citations;
        }
        for (JsonNode annotation : annotations) {
            JsonNode url = annotation.path("url_citation");
            if (!url.isObject()) {
                continue;
            }
            int start = url.path("start_index").asInt(-1);
            int end = url.path("end_index").asInt(-1);
            String cited = start >= 0 && end > start && end <= content.length() ? content.substring(start, end) : null;
            citations.add(new CitationPart(text(url.get("title")), text(url.get("url")), cited));
        }
        return citations;
    }

    /**
     * {@code finish_reason} normalised. {@code stop} is both a natural end and a stop sequence at OpenAI; vLLM says
     * which in {@code stop_reason} (the matched string). Tool calls and refusals are derived from the content,
     * because Ollama and others report {@code stop} with tool calls (§9.3 item 5).
     */
    static StopReason stopReason(String finish, boolean toolCalls, boolean refusal, JsonNode vllmStopReason) {
        if (refusal) {
            return StopReason.REFUSAL;
        }
        if (finish == null) {
            return toolCalls ? StopReason.TOOL_CALLS : StopReason.OTHER;
        }
        return switch (finish) {
            case "stop", "eos", "end_turn" -> toolCalls ? StopReason.TOOL_CALLS
                    : vllmStopReason != null && vllmStopReason.isTextual() ? StopReason.STOP_SEQUENCE : StopReason.END_TURN;
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_CALLS;
            case "content_filter" -> StopReason.CONTENT_FILTERED;
            case "error" -> StopReason.ERROR;
            default -> toolCalls ? StopReason.TOOL_CALLS : StopReason.OTHER;
        };
    }

    /**
     * Usage normalised (§9.2): input = prompt_tokens (cached included), output = completion_tokens (reasoning
     * included); every integer counter kept raw under its dotted path, e.g. {@code prompt_tokens_details.cached_tokens}.
     */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        Map<String, Long> raw = AnswerJson.counters(usage);
        return new Usage(usage.path("prompt_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cache_write_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0), 0, raw);
    }


    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.isValueNode() ? node.asText() : node.toString();
    }
}
