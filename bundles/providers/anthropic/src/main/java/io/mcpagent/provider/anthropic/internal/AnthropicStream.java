package io.mcpagent.provider.anthropic.internal;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.provider.support.AnswerText;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.support.RateLimitHeaders;
import io.mcpagent.provider.support.SseProvider;
import io.mcpagent.provider.support.SseEvent;
import io.mcpagent.provider.support.StreamProgress;

/**
 * One streamed answer: turns Anthropic's server-sent events into neutral {@link StreamEvent}s (Anthropic's block
 * index is the neutral block index) and accumulates the {@code Message} the events describe, the way a non-streamed
 * call would have answered it, so both paths give the same {@link ChatResponse}. Tool arguments are the
 * concatenated {@code partial_json} of a block, parsed at {@code content_block_stop} (empty means {@code {}}).
 */
final class AnthropicStream implements SseProvider.StreamedAnswer {
    private final ObjectMapper json;
    private final AnthropicRequests.Mapped request;
    private final StreamHandler out;
    private final AnthropicErrors errors;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;
    private final String requestId;
    private final AnthropicAnswers answers;
    /** Told of the wrapped answer's fragments, which reach the caller only unwrapped at the end. */
    private final StreamProgress progress;
    private final Map<Integer, Block> blocks = new TreeMap<>();
    private ObjectNode message;
    private boolean stopped;

    private enum Kind { TEXT, TOOL, OUTPUT, THINKING, OTHER }

    private static final class Block {
        final Kind kind;
        final ObjectNode node;
        final StringBuilder partialJson = new StringBuilder();
        /** Text fields grown by deltas, written into the node once, when it is read: appending to the node would copy
         *  the whole text on every delta (quadratic in the answer's length). */
        final Map<String, StringBuilder> grown = new LinkedHashMap<>();
        boolean closed;

        Block(Kind kind, ObjectNode node) {
            this.kind = kind;
            this.node = node;
        }

        void grow(String field, String delta) {
            grown.computeIfAbsent(field, name -> new StringBuilder(node.path(name).asText(""))).append(delta);
        }

        ObjectNode finished() {
            grown.forEach((field, text) -> node.put(field, text.toString()));
            return node;
        }
    }

    AnthropicStream(ObjectMapper json, AnthropicRequests.Mapped request, StreamHandler out, AnthropicErrors errors,
                    String providerId, Supplier<List<String>> secrets, String requestId, StreamProgress progress,
                    AnthropicAnswers answers) {
        this.json = json;
        this.answers = answers;
        this.progress = progress;
        this.request = request;
        this.out = out;
        this.errors = errors;
        this.providerId = providerId;
        this.secrets = secrets;
        this.requestId = requestId;
    }

    @Override
    public void onEvent(SseEvent event) {
        if (stopped) {
            return;
        }
        JsonNode data = event.jsonObject(json, "a stream event '" + event.event() + "'", this::malformed);
        String type = "message".equals(event.event()) ? data.path("type").asText("") : event.event();
        switch (type) {
            case "message_start" -> messageStart(data);
            case "content_block_start" -> blockStart(data);
            case "content_block_delta" -> blockDelta(data);
            case "content_block_stop" -> blockStop(data);
            case "message_delta" -> messageDelta(data);
            case "message_stop" -> messageStop();
            case "error" -> {
                ProviderError error = errors.streamError(event.data(), requestId);
                out.onEvent(new StreamEvent.StreamError(error));
                throw new ProviderException(error);
            }
            default -> {
                // ping, and event types newer than this adapter
            }
        }
    }

    private void messageStart(JsonNode data) {
        JsonNode start = data.get("message");
        if (start == null || !start.isObject()) {
            throw malformed("message_start without a message", data.toString());
        }
        message = ((ObjectNode) start).deepCopy();
        if (!message.path("usage").isObject()) {
            message.putObject("usage");
        }
        out.onEvent(new StreamEvent.MessageStart(text(message, "id"), text(message, "model")));
        out.onEvent(new StreamEvent.UsageUpdate(AnthropicAnswers.usage(message.get("usage"))));
    }

    private void blockStart(JsonNode data) {
        requireStarted(data);
        int index = index(data);
        JsonNode content = data.get("content_block");
        if (content == null || !content.isObject()) {
            throw malformed("content_block_start without a content_block", data.toString());
        }
        ObjectNode node = ((ObjectNode) content).deepCopy();
        String type = node.path("type").asText("");
        Kind kind = switch (type) {
            case "text" -> Kind.TEXT;
            case "tool_use" -> node.path("name").asText("").equals(request.outputTool()) ? Kind.OUTPUT : Kind.TOOL;
            case "thinking" -> Kind.THINKING;
            default -> Kind.OTHER;
        };
        blocks.put(index, new Block(kind, node));
        progress.blockKept();
        switch (kind) {
            case TEXT -> {
                String text = AnswerText.of(node, "text", what -> malformedBlock("content_block_start", what, data));
                if (!text.isEmpty()) {
                    out.onEvent(new StreamEvent.TextDelta(index, text));
                }
            }
            case TOOL -> out.onEvent(new StreamEvent.ToolCallStart(index, node.path("id").asText(null),
                    node.path("name").asText("")));
            case THINKING -> {
                String thinking = AnswerText.of(node, "thinking",
                        what -> malformedBlock("content_block_start", what, data));
                if (!thinking.isEmpty()) {
                    out.onEvent(new StreamEvent.ReasoningDelta(index, thinking));
                }
            }
            default -> {
            }
        }
    }

    private void blockDelta(JsonNode data) {
        int index = index(data);
        Block block = blocks.get(index);
        if (block == null || block.closed) {
            throw malformed("content_block_delta for block " + index
                    + (block == null ? " that never started" : " after its content_block_stop"), data.toString());
        }
        JsonNode delta = data.path("delta");
        switch (delta.path("type").asText("")) {
            case "text_delta" -> {
                String text = AnswerText.of(delta, "text", what -> malformedBlock("text_delta", what, data));
                block.grow("text", text);
                out.onEvent(new StreamEvent.TextDelta(index, text));
            }
            case "input_json_delta" -> {
                String fragment = delta.path("partial_json").asText("");
                block.partialJson.append(fragment);
                if (block.kind == Kind.TOOL) {
                    out.onEvent(new StreamEvent.ToolCallArgsDelta(index, fragment));
                } else if (block.kind == Kind.OUTPUT && !request.outputWrapped() && !fragment.isEmpty()) {
                    out.onEvent(new StreamEvent.TextDelta(index, fragment));
                } else if (!fragment.isEmpty()) {
                    progress.kept(fragment);
                    progress.contentArrived();
                }
            }
            case "thinking_delta" -> {
                String thinking = AnswerText.of(delta, "thinking",
                        what -> malformedBlock("thinking_delta", what, data));
                block.grow("thinking", thinking);
                out.onEvent(new StreamEvent.ReasoningDelta(index, thinking));
            }
            case "signature_delta" -> {
                String signature = delta.path("signature").asText("");
                block.grow("signature", signature);
                progress.kept(signature);
            }
            case "citations_delta" -> {
                JsonNode citation = delta.get("citation");
                if (citation != null) {
                    JsonNode citations = block.node.get("citations");
                    ArrayNode list = citations instanceof ArrayNode array ? array : block.node.putArray("citations");
                    list.add(citation);
                    progress.valueKept(); // kept for the answer, handed on to no one
                    progress.kept(citation.toString());
                }
            }
            default -> {
                // delta types newer than this adapter
            }
        }
    }

    private void blockStop(JsonNode data) {
        int index = index(data);
        Block block = blocks.get(index);
        if (block == null) {
            throw malformed("content_block_stop for block " + index + " that never started",
                    data.toString());
        }
        block.closed = true;
        if (block.kind == Kind.TOOL || block.kind == Kind.OUTPUT || block.partialJson.length() > 0) {
            block.node.set("input", arguments(block));
        }
        switch (block.kind) {
            case TOOL -> out.onEvent(new StreamEvent.ToolCallEnd(index));
            case OUTPUT -> {
                if (request.outputWrapped()) {
                    JsonNode value = block.node.path("input").path("value");
                    out.onEvent(new StreamEvent.TextDelta(index, value.toString()));
                }
                out.onEvent(new StreamEvent.BlockEnd(index));
            }
            default -> out.onEvent(new StreamEvent.BlockEnd(index));
        }
    }

    private JsonNode arguments(Block block) {
        String text = block.partialJson.toString();
        if (text.isBlank()) {
            JsonNode initial = block.node.get("input");
            return initial != null && initial.isObject() ? initial : json.createObjectNode();
        }
        try {
            JsonNode parsed = json.readTree(text);
            return parsed == null ? json.createObjectNode() : parsed;
        } catch (JsonProcessingException invalid) {
            // the exact text the model produced; the answer keeps it as the call's arguments
            return TextNode.valueOf(text);
        }
    }

    private void messageDelta(JsonNode data) {
        requireStarted(data);
        JsonNode delta = data.get("delta");
        if (delta instanceof ObjectNode fields) {
            message.setAll(fields.deepCopy());
        }
        JsonNode usage = data.get("usage");
        if (usage instanceof ObjectNode counters) {
            ObjectNode total = (ObjectNode) message.get("usage");
            counters.fields().forEachRemaining(field -> {
                if (!field.getValue().isNull()) {
                    total.set(field.getKey(), field.getValue().deepCopy());
                }
            });
            out.onEvent(new StreamEvent.UsageUpdate(AnthropicAnswers.usage(total)));
        }
    }

    private void messageStop() {
        if (message == null) {
            throw malformed("message_stop before message_start", null);
        }
        stopped = true;
        String raw = text(message, "stop_reason");
        StopReason reason = AnthropicAnswers.stopReason(raw);
        if (reason == StopReason.TOOL_CALLS && blocks.values().stream().noneMatch(b -> b.kind == Kind.TOOL)) {
            reason = StopReason.END_TURN;
        }
        out.onEvent(new StreamEvent.MessageEnd(reason, raw));
    }

    /**
     * The answer the stream described, with the rate limits of its {@code headers}; a stream that ended (EOF) without
     * {@code message_stop} was cut off. Without {@code rawJson}: a stream has no body as received, and writing the
     * assembled answer out again cost a copy of its whole text that no one reads.
     */
    @Override
    public ChatResponse finish(HttpHeaders headers) {
        if (!stopped) {
            throw cutOff(message == null ? "the stream ended before message_start"
                    : "the stream ended before message_stop (cut off)");
        }
        ArrayNode content = message.putArray("content");
        blocks.values().forEach(block -> content.add(block.finished()));
        return answers.parse(message, null, request, RateLimitHeaders.parse(headers, Instant.now()), requestId);
    }

    /** Reports {@code error} as the stream's last event and returns it as the exception to throw. */
    private ProviderException failed(ProviderError error, Throwable cause) {
        out.onEvent(new StreamEvent.StreamError(error));
        return new ProviderException(error, cause);
    }

    private ProviderException malformedBlock(String event, String what, JsonNode data) {
        return malformed("a " + event + "'s " + what, data.toString());
    }

    /** A stream event this client cannot use: the rule of a malformed answer, as for a plain answer. */
    private ProviderException malformed(String what, String raw) {
        return failed(MalformedAnswers.error(providerId, what, requestId, raw, secrets.get()), null);
    }

    private ProviderException cutOff(String what) {
        return failed(MalformedAnswers.streamCutOff(providerId, what, requestId), null);
    }

    private void requireStarted(JsonNode data) {
        if (message == null) {
            throw malformed("stream event before message_start", data.toString());
        }
    }

    private int index(JsonNode data) {
        JsonNode index = data.get("index");
        if (index == null || !index.canConvertToInt() || index.asInt() < 0) {
            throw malformed("stream event without a block index", data.toString());
        }
        return index.asInt();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
