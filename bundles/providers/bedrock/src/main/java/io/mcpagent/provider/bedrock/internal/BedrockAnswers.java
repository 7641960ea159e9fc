package io.mcpagent.provider.bedrock.internal;

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
 * A Converse answer ({@code {output:{message}, stopReason, usage, metrics}}, or one assembled from a ConverseStream)
 * as a {@link ChatResponse}: text, cited text with its {@link CitationPart}s, reasoning with its signature or redacted
 * content, tool uses, and every other block kept as an {@link OpaquePart} for replay. Converse names no message id
 * and no model in the answer: the model is the one the request went to, the id the {@code x-amzn-RequestId}.
 */
final class BedrockAnswers {
    private final ObjectMapper json;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;

    BedrockAnswers(ObjectMapper json, String providerId, Supplier<List<String>> secrets) {
        this.json = json;
        this.providerId = providerId;
        this.secrets = secrets;
    }

    ChatResponse parse(String body, String model, String requestId) {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(MalformedAnswers.notJson("the answer", e), body, requestId);
        }
        try {
            return parse(answer, body, model, requestId, false);
        } catch (ProviderException e) {
            // the generation is billed though its answer cannot be used
            throw new ProviderException(e.error(), e,
                    answer == null ? Usage.NONE : usage(answer.path("usage"), answer.path("metrics")));
        }
    }

    /** @param streamed whether ConverseStream reported the answer's usage ({@link #streamedUsage}) */
    ChatResponse parse(JsonNode answer, String raw, String model, String requestId, boolean streamed) {
        JsonNode content = answer == null ? null : answer.path("output").path("message").get("content");
        if (content == null || !content.isArray()) {
            throw malformed("the answer is not a Converse answer (no output.message.content array)", raw, requestId);
        }
        List<Part> parts = new ArrayList<>();
        boolean toolCall = false;
        for (JsonNode block : content) {
            if (block.has("text")) {
                parts.add(TextPart.of(AnswerText.of(block, "text",
                        what -> malformed("a content block's " + what, raw, requestId))));
            } else if (block.has("toolUse")) {
                JsonNode use = block.get("toolUse");
                String id = text(use, "toolUseId");
                String name = text(use, "name");
                if (id == null || name == null) {
                    throw malformed("a toolUse block without toolUseId or name", raw, requestId);
                }
                JsonNode input = use.path("input");
                String arguments = input.isTextual() ? input.asText()
                        : input.isMissingNode() ? "{}" : AnswerJson.write(json, input);
                parts.add(new ToolCallPart(id, id, null, name, arguments, Map.of()));
                toolCall = true;
            } else if (block.has("reasoningContent")) {
                JsonNode reasoning = block.get("reasoningContent");
                if (reasoning.has("redactedContent")) {
                    parts.add(new ReasoningPart(BedrockRequests.PROVIDER, model, null, null, null,
                            text(reasoning, "redactedContent"), true));
                } else {
                    JsonNode reasoningText = reasoning.path("reasoningText");
                    parts.add(new ReasoningPart(BedrockRequests.PROVIDER, model, AnswerText.of(reasoningText, "text",
                            what -> malformed("a reasoningContent.reasoningText's " + what, raw, requestId)),
                            null, text(reasoningText, "signature"), null, false));
                }
            } else if (block.has("citationsContent")) {
                JsonNode cited = block.get("citationsContent");
                StringBuilder text = new StringBuilder();
                cited.path("content").forEach(piece -> text.append(AnswerText.of(piece, "text",
                        what -> malformed("a citationsContent.content piece's " + what, raw, requestId))));
                parts.add(TextPart.of(text.toString()));
                for (JsonNode citation : cited.path("citations")) {
                    StringBuilder source = new StringBuilder();
                    citation.path("sourceContent").forEach(piece -> source.append(piece.path("text").asText("")));
                    parts.add(new CitationPart(text(citation, "title"), null, source.isEmpty() ? null : source.toString()));
                }
            } else {
                parts.add(new OpaquePart(BedrockRequests.PROVIDER, AnswerJson.write(json, block)));
            }
        }
        String rawStop = text(answer, "stopReason");
        StopReason stop = stopReason(rawStop);
        if (stop == StopReason.TOOL_CALLS && !toolCall) {
            stop = StopReason.END_TURN;
        }
        Usage usage = streamed ? streamedUsage(model, answer.path("usage"), answer.path("metrics"))
                : usage(answer.path("usage"), answer.path("metrics"));
        return new ChatResponse(requestId, model, Message.of(Role.ASSISTANT, parts), stop, rawStop, usage, null,
                requestId, raw);
    }

    static StopReason stopReason(String raw) {
        if (raw == null) {
            return StopReason.OTHER;
        }
        return switch (raw) {
            case "end_turn" -> StopReason.END_TURN;
            case "tool_use" -> StopReason.TOOL_CALLS;
            case "max_tokens" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> StopReason.CONTENT_FILTERED;
            case "model_context_window_exceeded" -> StopReason.CONTEXT_WINDOW_EXCEEDED;
            case "malformed_model_output", "malformed_tool_use" -> StopReason.ERROR;
            default -> StopReason.OTHER;
        };
    }

    /**
     * Converse usage normalised: with prompt caching {@code inputTokens} counts only the tokens neither read from nor
     * written to the cache (AWS Bedrock user guide, "Prompt caching": total input = inputTokens + cacheReadInputTokens
     * + cacheWriteInputTokens), so the neutral input is their sum. Of the writes, those {@code cacheDetails} gives the
     * ttl {@code 1h} went to a one-hour cache, which costs more. Every numeric counter is kept in {@code raw}, each
     * {@code cacheDetails} entry as {@code cacheDetails.<ttl>.inputTokens}, and {@code metrics.latencyMs} beside them.
     */
    static Usage usage(JsonNode usage, JsonNode metrics) {
        return usage(usage, metrics, false);
    }

    /**
     * The usage of a ConverseStream's {@code metadata} event for {@code model}: as {@link #usage}, but for the OpenAI
     * family ({@code openai.*}, also behind an inference-profile prefix or ARN), whose streams report
     * {@code inputTokens} including the cache reads and writes as OpenAI's own APIs do (measured on
     * {@code openai.gpt-5.6}: the stream said inputTokens 4995 with cacheWriteInputTokens 4993 where the plain call
     * said 2), so the neutral input is {@code inputTokens} itself; one smaller than the cache counts cannot include
     * them and is summed as documented.
     */
    static Usage streamedUsage(String model, JsonNode usage, JsonNode metrics) {
        return usage(usage, metrics, model != null && openAiFamily(model));
    }

    private static Usage usage(JsonNode usage, JsonNode metrics, boolean inputMayIncludeCache) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        Map<String, Long> raw = AnswerJson.counters(usage);
        long cacheWrite1h = cacheDetails(usage.get("cacheDetails"), raw);
        if (metrics != null && metrics.path("latencyMs").isIntegralNumber()) {
            raw.put("metrics.latencyMs", metrics.get("latencyMs").asLong());
        }
        long input = raw.getOrDefault("inputTokens", 0L);
        long cacheRead = raw.getOrDefault("cacheReadInputTokens", 0L);
        long cacheWrite = raw.getOrDefault("cacheWriteInputTokens", 0L);
        long cached = cacheRead + cacheWrite;
        long allInput = inputMayIncludeCache && cached > 0 && input >= cached ? input : input + cached;
        return new Usage(allInput, cacheRead, cacheWrite, cacheWrite1h, raw.getOrDefault("outputTokens", 0L), 0, 0,
                raw);
    }

    /** Keeps each {@code cacheDetails} entry's tokens in {@code raw} by its ttl; the tokens written with ttl 1h. */
    private static long cacheDetails(JsonNode details, Map<String, Long> raw) {
        long oneHour = 0;
        if (details == null || !details.isArray()) {
            return oneHour;
        }
        for (JsonNode detail : details) {
            String ttl = text(detail, "ttl");
            JsonNode tokens = detail.get("inputTokens");
            if (ttl == null || tokens == null || !tokens.isIntegralNumber()) {
                continue;
            }
            raw.merge("cacheDetails." + ttl + ".inputTokens", tokens.asLong(), Long::sum);
            if (ttl.equals("1h")) {
                oneHour += tokens.asLong();
            }
        }
        return oneHour;
    }

    /** Whether a model id, inference-profile id ({@code us.openai.…}) or ARN names an OpenAI model. */
    static boolean openAiFamily(String model) {
        String id = model.substring(model.lastIndexOf('/') + 1);
        int dot = id.indexOf('.');
        return id.startsWith("openai.") || dot > 0 && id.startsWith("openai.", dot + 1);
    }



    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private ProviderException malformed(String what, String raw, String requestId) {
        return new ProviderException(MalformedAnswers.error(providerId, what, requestId, raw, secrets.get()));
    }
}
