package io.mcpagent.provider.openai.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.provider.support.StreamProgress;

/**
 * The {@code chat.completion.chunk}s of one streamed answer as neutral {@link StreamEvent}s. Neutral block indices
 * follow the order in which blocks begin: a run of reasoning, a run of text, and one block per tool call, keyed by
 * the chunk's {@code index} (parallel calls interleave by it; a server that omits it is keyed by {@code id}). A
 * tool call starts once its name is known; argument fragments are passed on as they come. Usage is forwarded from
 * whichever chunk carries it (the extra final chunk of {@code include_usage}, every chunk of llama.cpp). Refusal
 * text has no stream event; it is kept for the assembled response. Not thread-safe: one per answer.
 */
final class ChunkDecoder {
    private enum Open { NONE, TEXT, REASONING }

    private static final class ToolCall {
        final int block;
        String id;
        String name;
        boolean started;
        boolean ended;
        final StringBuilder pending = new StringBuilder();

        ToolCall(int block) {
            this.block = block;
        }
    }

    private final StreamHandler out;
    private final ResponseDecoder decoder;
    private final OpenAiErrors errors;
    private final String requestId;
    private final Map<Integer, ToolCall> toolCalls = new LinkedHashMap<>();
    private final Map<String, Integer> keysById = new HashMap<>();
    private final StringBuilder refusal = new StringBuilder();
    /** Told of refusal text, which reaches the caller only with the assembled answer. */
    private final StreamProgress progress;
    private boolean started;
    private boolean done;
    private String id;
    private String model;
    private String finish;
    private JsonNode vllmStopReason;
    private int nextBlock;
    private Open open = Open.NONE;
    private int openBlock = -1;
    private int lastKey = -1;
    private int syntheticKeys = 1_000_000;

    ChunkDecoder(StreamHandler out, ResponseDecoder decoder, OpenAiErrors errors, String requestId,
                 StreamProgress progress) {
        this.out = out;
        this.progress = progress;
        this.decoder = decoder;
        this.errors = errors;
        this.requestId = requestId;
    }

    /**
     * One SSE {@code data} payload; true at {@code [DONE]}.
     *
     * @throws ProviderException for an in-band error or a chunk that is not JSON
     */
    boolean accept(String data) {
        if (data == null || data.isBlank()) {
            return false;
        }
        if (data.strip().equals("[DONE]")) {
            done = true;
            return true;
        }
        JsonNode chunk = decoder.parse(data, requestId, !started);
        if (chunk.hasNonNull("error")) {
            throw new ProviderException(errors.inBand(chunk, requestId));
        }
        String chunkId = ResponseDecoder.text(chunk.get("id"));
        if (id == null && chunkId != null && !chunkId.isBlank()) {
            id = chunkId;
        }
        String chunkModel = ResponseDecoder.text(chunk.get("model"));
        if (model == null && chunkModel != null && !chunkModel.isBlank()) {
            model = chunkModel;
        }
        for (JsonNode choice : chunk.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue; // n > 1 is never requested
            }
            if (finish != null) {
                continue; // the answer ended with its finish reason: later text, calls or reasons are not part of it
            }
            JsonNode delta = choice.path("delta");
            String reasoning = ResponseDecoder.reasoning(delta);
            if (reasoning != null && !reasoning.isEmpty()) {
                emit(Open.REASONING, reasoning);
            }
            JsonNode contentNode = delta.get("content");
            if (!ResponseDecoder.isContent(contentNode)) {
                throw decoder.malformed("a chunk's delta.content is " + ResponseDecoder.kind(contentNode)
                        + ", neither text nor a list of parts", data, requestId, !started);
            }
            String content = ResponseDecoder.content(contentNode);
            if (content != null && !content.isEmpty()) {
                emit(Open.TEXT, content);
            }
            String refused = ResponseDecoder.text(delta.get("refusal"));
            if (refused != null && !refused.isEmpty()) {
                refusal.append(refused);
                progress.kept(refused);
                progress.contentArrived();
            }
            for (JsonNode call : delta.path("tool_calls")) {
                toolCall(call);
            }
            String reason = ResponseDecoder.text(choice.get("finish_reason"));
            if (reason != null) {
                finish = reason;
                vllmStopReason = choice.get("stop_reason");
                endBlocks(); // nothing follows a finish reason but usage
            }
        }
        Usage usage = ResponseDecoder.usage(chunk.get("usage"));
        if (usage != null) {
            start();
            out.onEvent(new StreamEvent.UsageUpdate(usage));
        }
        return false;
    }

    /** Whether the answer is complete: {@code [DONE]} came, or at least a finish reason (some servers omit [DONE]). */
    boolean complete() {
        return done || finish != null;
    }

    /** Whether events reached the handler (then a failure ends the stream with a StreamError). */
    boolean started() {
        return started;
    }

    String refusal() {
        return refusal.toString();
    }

    /** Ends the open blocks and the message. */
    void finish() {
        start();
        endBlocks();
        out.onEvent(new StreamEvent.MessageEnd(ResponseDecoder.stopReason(finish, !toolCalls.isEmpty(), !refusal.isEmpty(),
                vllmStopReason), finish));
    }

    private void start() {
        if (!started) {
            started = true;
            out.onEvent(new StreamEvent.MessageStart(id, model));
        }
    }

    private void emit(Open kind, String text) {
        start();
        if (open != kind) {
            closeOpen();
            open = kind;
            openBlock = nextBlock++;
        }
        out.onEvent(kind == Open.TEXT ? new StreamEvent.TextDelta(openBlock, text) : new StreamEvent.ReasoningDelta(openBlock, text));
    }

    private void endBlocks() {
        start();
        closeOpen();
        for (ToolCall call : toolCalls.values()) {
            if (!call.ended) {
                if (!call.started) {
                    begin(call, "");
                }
                call.ended = true;
                out.onEvent(new StreamEvent.ToolCallEnd(call.block));
            }
        }
    }

    private void closeOpen() {
        if (open != Open.NONE) {
            out.onEvent(new StreamEvent.BlockEnd(openBlock));
            open = Open.NONE;
            openBlock = -1;
        }
    }

    private void toolCall(JsonNode fragment) {
        start();
        String callId = ResponseDecoder.text(fragment.get("id"));
        boolean hasId = callId != null && !callId.isBlank();
        int key;
        if (fragment.hasNonNull("index")) {
            key = fragment.get("index").asInt();
        } else if (hasId) {
            key = keysById.computeIfAbsent(callId, k -> syntheticKeys++);
        } else {
            key = lastKey;
        }
        lastKey = key;
        ToolCall call = toolCalls.get(key);
        if (call == null) {
            closeOpen();
            call = new ToolCall(nextBlock++);
            toolCalls.put(key, call);
        }
        if (hasId && call.id == null) {
            call.id = callId;
        }
        JsonNode function = fragment.path("function");
        String name = ResponseDecoder.text(function.get("name"));
        JsonNode arguments = function.get("arguments");
        String fragmentText = arguments == null || arguments.isNull() ? ""
                : arguments.isTextual() ? arguments.asText() : arguments.toString();
        if (!call.started && name != null && !name.isEmpty()) {
            begin(call, name);
        }
        if (fragmentText.isEmpty()) {
            return;
        }
        if (call.started) {
            out.onEvent(new StreamEvent.ToolCallArgsDelta(call.block, fragmentText));
        } else {
            call.pending.append(fragmentText);
        }
    }

    private void begin(ToolCall call, String name) {
        call.started = true;
        call.name = name;
        out.onEvent(new StreamEvent.ToolCallStart(call.block, call.id != null ? call.id : "call_" + call.block, name));
        if (!call.pending.isEmpty()) {
            out.onEvent(new StreamEvent.ToolCallArgsDelta(call.block, call.pending.toString()));
            call.pending.setLength(0);
        }
    }

    /** Whether {@code callId} is an id the server gave (not one synthesised for a call without id). */
    boolean fromProvider(String callId) {
        return callId != null && toolCalls.values().stream().anyMatch(c -> callId.equals(c.id));
    }
}
