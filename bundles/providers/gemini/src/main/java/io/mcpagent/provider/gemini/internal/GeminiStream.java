package io.mcpagent.provider.gemini.internal;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.provider.support.AnswerText;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.support.SseProvider;
import io.mcpagent.provider.support.SseEvent;
import io.mcpagent.provider.support.StreamProgress;

/**
 * One streamed answer ({@code streamGenerateContent?alt=sse}): every event is a whole {@code GenerateContentResponse}
 * chunk. Text and thought parts arrive in pieces and become deltas of one neutral block until another kind of part
 * comes; a {@code functionCall} part arrives whole and becomes a tool call start, its arguments and its end. The parts
 * are kept exactly as received (signatures included) and assembled into the response a plain call would have given.
 * There is no terminator event: a stream that ends before any chunk carried a {@code finishReason} (or a blocked
 * prompt's {@code blockReason}) was cut off.
 */
final class GeminiStream implements SseProvider.StreamedAnswer {
    private final ObjectMapper json;
    private final String model;
    private final StreamHandler out;
    private final StreamProgress progress;
    private final GeminiAnswers answers;
    private final GeminiErrors errors;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;
    private final ObjectNode candidate;
    private final ArrayNode parts;
    private final ObjectNode assembled;
    private boolean started;
    private boolean finished;
    private int calls;
    private int nextBlock;
    private long outputCounted;
    private Kind open = Kind.NONE;

    private enum Kind { NONE, TEXT, THOUGHT }

    /** @param progress counts the parts kept as received; {@code out} notes what the stream hands on */
    GeminiStream(ObjectMapper json, String model, StreamHandler out, GeminiErrors errors, String providerId,
                 Supplier<List<String>> secrets, StreamProgress progress, GeminiAnswers answers) {
        this.json = json;
        this.answers = answers;
        this.progress = progress;
        this.model = model;
        this.out = out;
        this.errors = errors;
        this.providerId = providerId;
        this.secrets = secrets;
        this.assembled = json.createObjectNode();
        this.candidate = assembled.putArray("candidates").addObject();
        this.parts = candidate.putObject("content").put("role", "model").putArray("parts");
    }

    @Override
    public void onEvent(SseEvent event) {
        JsonNode chunk = event.jsonObject(json, "a stream chunk", this::malformed);
        if (chunk.path("error").isObject()) {
            ProviderError error = errors.inBand(chunk);
            out.onEvent(new StreamEvent.StreamError(error));
            throw new ProviderException(error);
        }
        for (String field : new String[] {"responseId", "modelVersion"}) {
            if (!assembled.has(field) && chunk.hasNonNull(field)) {
                assembled.set(field, chunk.get(field));
            }
        }
        if (!started) {
            started = true;
            out.onEvent(new StreamEvent.MessageStart(text(assembled, "responseId"),
                    assembled.has("modelVersion") ? text(assembled, "modelVersion") : model));
        }
        boolean endedBefore = finished;
        if (chunk.path("promptFeedback").isObject()) {
            assembled.set("promptFeedback", chunk.get("promptFeedback"));
            finished |= chunk.path("promptFeedback").hasNonNull("blockReason");
        }
        JsonNode first = chunk.path("candidates").path(0);
        if (first.isObject() && !endedBefore) { // after a finishReason only usage may come: the answer has ended
            JsonNode chunkParts = first.path("content").path("parts");
            if (!chunkParts.isEmpty()) {
                progress.kept(event.data()); // the parts are kept as received, signatures and all
            }
            for (JsonNode part : chunkParts) {
                progress.valueKept(); // a node each, however little it holds: an event can carry many thousands
                parts.add(part);
                emit(part, event.data());
            }
            // finishReason, safetyRatings, finishMessage…: the latest value of each, as a plain answer has them once
            first.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("content")) {
                    candidate.set(field.getKey(), field.getValue());
                }
            });
            finished |= first.hasNonNull("finishReason");
        }
        if (chunk.path("usageMetadata").isObject()) {
            assembled.set("usageMetadata", chunk.get("usageMetadata"));
            Usage usage = GeminiAnswers.usage(chunk.get("usageMetadata"));
            out.onEvent(new StreamEvent.UsageUpdate(usage));
            if (usage.outputTokens() > outputCounted) {
                // the model generated tokens it does not stream (thoughts, while thinking long): the server is working,
                // where a chunk repeating the counts is no progress
                outputCounted = usage.outputTokens();
                progress.contentArrived();
            }
        }
    }

    private void emit(JsonNode part, String raw) {
        JsonNode call = part.get("functionCall");
        if (call != null) {
            close();
            String name = call.path("name").asText("");
            if (name.isEmpty()) {
                throw malformed("a functionCall part without a name", raw);
            }
            String id = call.hasNonNull("id") ? call.get("id").asText()
                    : GeminiAnswers.callId(text(assembled, "responseId"), calls);
            calls++;
            int block = nextBlock++;
            JsonNode args = call.get("args");
            out.onEvent(new StreamEvent.ToolCallStart(block, id, name));
            out.onEvent(new StreamEvent.ToolCallArgsDelta(block, args == null || args.isNull() ? "{}" : args.toString()));
            out.onEvent(new StreamEvent.ToolCallEnd(block));
            return;
        }
        String text = AnswerText.of(part, "text", what -> malformed("a streamed part's " + what, raw));
        boolean thought = part.path("thought").asBoolean(false);
        if (!part.has("text")) {
            close();
        } else if (!text.isEmpty()) {
            Kind kind = thought ? Kind.THOUGHT : Kind.TEXT;
            if (open != kind) {
                close();
                open = kind;
                nextBlock++;
            }
            int block = nextBlock - 1;
            out.onEvent(kind == Kind.TEXT ? new StreamEvent.TextDelta(block, text) : new StreamEvent.ReasoningDelta(block, text));
        }
        if (thought && part.has("thoughtSignature")) {
            // the signed piece ends a thought, as in the assembled answer
            close();
        }
    }

    private void close() {
        if (open != Kind.NONE) {
            out.onEvent(new StreamEvent.BlockEnd(nextBlock - 1));
            open = Kind.NONE;
        }
    }

    /**
     * The stream ended (EOF): the answer its chunks describe, after the closing events; a {@link ProviderException}
     * (reported as the last event) when it was cut off. Gemini's answers carry no rate limits: {@code headers} are
     * not read.
     */
    @Override
    public ChatResponse finish(HttpHeaders headers) {
        if (!finished) {
            throw cutOff(started ? "the stream ended before a finishReason (cut off)"
                    : "the stream ended before its first chunk");
        }
        close();
        if (parts.isEmpty() && !candidate.has("finishReason")) {
            // a blocked prompt: no candidate at all, as in the plain answer
            assembled.remove("candidates");
        }
        // no rawJson: a stream has no body as received, and writing the assembled answer out again cost a copy of its
        // whole text that no one reads
        ChatResponse response = answers.parse(assembled, null, model);
        out.onEvent(new StreamEvent.MessageEnd(response.stopReason(), response.rawStopReason()));
        return response;
    }

    /** Reports {@code error} as the stream's last event and returns it as the exception to throw. */
    private ProviderException failed(ProviderError error, Throwable cause) {
        out.onEvent(new StreamEvent.StreamError(error));
        return new ProviderException(error, cause);
    }

    /** A stream chunk this client cannot use: the rule of a malformed answer, as for a plain answer. */
    private ProviderException malformed(String what, String raw) {
        return failed(MalformedAnswers.error(providerId, what, null, raw, secrets.get()), null);
    }

    private ProviderException cutOff(String what) {
        return failed(MalformedAnswers.streamCutOff(providerId, what, null), null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
