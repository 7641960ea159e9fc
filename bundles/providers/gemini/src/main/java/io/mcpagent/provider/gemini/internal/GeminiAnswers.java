package io.mcpagent.provider.gemini.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.provider.support.AnswerText;
import io.mcpagent.provider.support.MalformedAnswers;

/**
 * A {@code GenerateContentResponse} (the answer of {@code generateContent}, or one assembled from a stream) as a
 * {@link ChatResponse}, from its first candidate: adjacent text parts joined, thought summaries as
 * {@link ReasoningPart}s with their signature, function calls as {@link ToolCallPart}s (an id synthesised when Gemini
 * gives none), other parts (code execution, inline data) as {@link OpaquePart}s. The candidate's {@code content}
 * travels unchanged in the message's {@link GeminiRequests#CONTENT_META} for replay.
 */
final class GeminiAnswers {
    private final ObjectMapper json;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;

    GeminiAnswers(ObjectMapper json, String providerId, Supplier<List<String>> secrets) {
        this.json = json;
        this.providerId = providerId;
        this.secrets = secrets;
    }

    ChatResponse parse(String body, String requestedModel) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(MalformedAnswers.notJson("the answer", e), body);
        }
        try {
            return parse(root, body, requestedModel);
        } catch (ProviderException e) {
            // the generation is billed though its answer cannot be used
            throw new ProviderException(e.error(), e, root == null ? Usage.NONE : usage(root.get("usageMetadata")));
        }
    }

    ChatResponse parse(JsonNode root, String raw, String requestedModel) {
        if (root == null || !root.isObject()) {
            throw malformed("the answer is not a GenerateContentResponse (not a JSON object)", raw);
        }
        String id = text(root, "responseId");
        String model = text(root, "modelVersion") != null ? text(root, "modelVersion") : requestedModel;
        Usage usage = usage(root.get("usageMetadata"));
        JsonNode candidates = root.path("candidates");
        if (!candidates.isArray() || candidates.isEmpty()) {
            String blocked = text(root.path("promptFeedback"), "blockReason");
            if (blocked == null) {
                throw malformed("the answer has no candidates and no promptFeedback.blockReason", raw);
            }
            // the prompt itself was refused: no candidate at all, so the refusal is the whole answer
            String why = text(root.path("promptFeedback"), "blockReasonMessage");
            RefusalPart refusal = new RefusalPart("Gemini blocked the prompt (blockReason " + blocked + ")"
                    + (why == null ? "" : ": " + why));
            return new ChatResponse(id, model, Message.of(Role.ASSISTANT, List.of(refusal)), StopReason.CONTENT_FILTERED,
                    blockedStopReason(blocked), usage, null, null, raw);
        }
        JsonNode candidate = candidates.get(0);
        JsonNode content = candidate.path("content");
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StringBuilder thought = new StringBuilder();
        int calls = 0;
        for (JsonNode part : content.path("parts")) {
            JsonNode call = part.get("functionCall");
            boolean isThought = part.path("thought").asBoolean(false);
            if (isThought || call != null || !part.has("text")) {
                flush(text, parts);
            }
            if (!isThought) {
                flushThought(thought, null, model, parts);
            }
            if (call != null) {
                parts.add(toolCall(part, call, id, calls++, raw));
            } else if (isThought) {
                // streamed thoughts come in pieces; the piece with the signature closes the thought
                thought.append(AnswerText.of(part, "text", what -> malformed("a thought part's " + what, raw)));
                String signature = text(part, "thoughtSignature");
                if (signature != null) {
                    flushThought(thought, signature, model, parts);
                }
            } else if (part.has("text")) {
                text.append(AnswerText.of(part, "text", what -> malformed("a part's " + what, raw)));
            } else {
                parts.add(new OpaquePart(GeminiRequests.PROVIDER, part.toString()));
            }
        }
        flush(text, parts);
        flushThought(thought, null, model, parts);
        String finishReason = text(candidate, "finishReason");
        Map<String, String> meta = content.path("parts").isArray()
                ? Map.of(GeminiRequests.CONTENT_META, content.toString()) : Map.of();
        return new ChatResponse(id, model, new Message(Role.ASSISTANT, parts, null, meta),
                stopReason(finishReason, calls > 0), finishReason, usage, null, null, raw);
    }

    private ToolCallPart toolCall(JsonNode part, JsonNode call, String responseId, int ordinal, String raw) {
        String name = text(call, "name");
        if (name == null || name.isEmpty()) {
            throw malformed("a functionCall part without a name", raw);
        }
        String providerCallId = text(call, "id");
        JsonNode args = call.get("args");
        String arguments = args == null || args.isNull() ? "{}" : args.toString();
        JsonNode signature = part.get("thoughtSignature");
        Map<String, String> meta = signature == null ? Map.of() : Map.of(GeminiRequests.SIGNATURE_META, signature.toString());
        return new ToolCallPart(providerCallId != null ? providerCallId : callId(responseId, ordinal), providerCallId,
                null, name, arguments, meta);
    }

    /**
     * The neutral id of a function call Gemini gave no id: stable (the same for the plain and the streamed answer)
     * and, with the response id Gemini sends, unique within a conversation.
     */
    static String callId(String responseId, int ordinal) {
        return "call_" + (responseId == null ? "" : responseId + "_") + ordinal;
    }

    /** The raw stop reason of a blocked prompt: the block reason, marked so it is not mistaken for a finishReason. */
    static String blockedStopReason(String blockReason) {
        return "blockReason:" + blockReason;
    }

    /** {@code STOP} also ends a turn that calls functions: the calls decide TOOL_CALLS. */
    static StopReason stopReason(String finishReason, boolean calledFunctions) {
        if (finishReason == null) {
            return StopReason.OTHER;
        }
        if (finishReason.startsWith("IMAGE_")) {
            return StopReason.CONTENT_FILTERED;
        }
        return switch (finishReason) {
            case "STOP" -> calledFunctions ? StopReason.TOOL_CALLS : StopReason.END_TURN;
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" -> StopReason.CONTENT_FILTERED;
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS" -> StopReason.ERROR;
            default -> StopReason.OTHER;
        };
    }

    /**
     * Gemini's usage normalised: {@code promptTokenCount} already includes cached tokens; {@code thoughtsTokenCount}
     * is not part of {@code candidatesTokenCount}, so output is their sum; tool-use prompt tokens stay separate. Every
     * counter is kept in {@code raw}, per-modality details as {@code promptTokensDetails.TEXT} and so on.
     */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        Map<String, Long> raw = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = usage.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isIntegralNumber()) {
                raw.put(field.getKey(), field.getValue().asLong());
            } else if (field.getValue().isArray()) {
                for (JsonNode detail : field.getValue()) {
                    if (detail.has("modality") && detail.path("tokenCount").isIntegralNumber()) {
                        raw.merge(field.getKey() + "." + detail.get("modality").asText(), detail.get("tokenCount").asLong(), Long::sum);
                    }
                }
            }
        }
        long thoughts = raw.getOrDefault("thoughtsTokenCount", 0L);
        return new Usage(raw.getOrDefault("promptTokenCount", 0L), raw.getOrDefault("cachedContentTokenCount", 0L), 0,
                raw.getOrDefault("candidatesTokenCount", 0L) + thoughts, thoughts,
                raw.getOrDefault("toolUsePromptTokenCount", 0L), raw);
    }

    private static void flush(StringBuilder text, List<Part> parts) {
        if (!text.isEmpty()) {
            parts.add(TextPart.of(text.toString()));
            text.setLength(0);
        }
    }

    private static void flushThought(StringBuilder thought, String signature, String model, List<Part> parts) {
        if (!thought.isEmpty() || signature != null) {
            parts.add(new ReasoningPart(GeminiRequests.PROVIDER, model, thought.toString(), null, null, signature, false));
            thought.setLength(0);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    ProviderException malformed(String what, String raw) {
        return new ProviderException(MalformedAnswers.error(providerId, what, null, raw, secrets.get()));
    }
}
