package io.mcpagent.provider.cohere.internal;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.provider.support.AnswerText;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.support.SseProvider;
import io.mcpagent.provider.support.SseEvent;
import io.mcpagent.provider.support.StreamProgress;

/**
 * One streamed answer: turns Cohere's server-sent events into neutral {@link StreamEvent}s and accumulates the answer
 * they describe in the shape of a plain {@code /v2/chat} response, so both paths give the same {@link ChatResponse}.
 * Cohere numbers content blocks and tool calls separately and gives the tool plan no index; each gets the next
 * neutral block index when it first appears. A tool call's arguments are its {@code tool-call-delta} fragments joined.
 */
final class CohereStream implements SseProvider.StreamedAnswer {
    private final ObjectMapper json;
    private final CohereRequests.Mapped request;
    private final StreamHandler out;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;
    /** Told of the wrapped answer's pieces, which reach the caller only unwrapped at the end. */
    private final StreamProgress progress;
    private final CohereAnswers answers;
    private final Map<Integer, Content> contents = new TreeMap<>();
    private final Map<Integer, Call> calls = new TreeMap<>();
    private final StringBuilder plan = new StringBuilder();
    private final ArrayNode citations;
    private String id;
    private boolean started;
    private int nextBlock;
    private Integer planBlock;
    private boolean planClosed;
    private JsonNode end;
    /** The {@code message-end} event as received: the raw answer of a stream (an ERROR finish's error text is there). */
    private String endEvent;

    private static final class Content {
        final int block;
        final boolean thinking;
        final StringBuilder text = new StringBuilder();
        boolean closed;

        Content(int block, boolean thinking) {
            this.block = block;
            this.thinking = thinking;
        }
    }

    private static final class Call {
        final int block;
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();
        boolean closed;

        Call(int block, String id, String name) {
            this.block = block;
            this.id = id;
            this.name = name;
        }
    }

    CohereStream(ObjectMapper json, CohereRequests.Mapped request, StreamHandler out, String providerId,
                 Supplier<List<String>> secrets, StreamProgress progress, CohereAnswers answers) {
        this.progress = progress;
        this.answers = answers;
        this.json = json;
        this.request = request;
        this.out = out;
        this.providerId = providerId;
        this.secrets = secrets;
        this.citations = json.createArrayNode();
    }

    @Override
    public void onEvent(SseEvent event) {
        if (end != null) {
            return;
        }
        JsonNode data = event.jsonObject(json, "a stream event '" + event.event() + "'", this::malformed);
        // the data names its type; the SSE event name is the same when the server sends one
        String type = data.path("type").asText(event.event());
        switch (type) {
            case "message-start" -> messageStart(data);
            case "content-start" -> contentStart(data);
            case "content-delta" -> contentDelta(data);
            case "content-end" -> contentEnd(data);
            case "tool-plan-delta" -> planDelta(data);
            case "tool-call-start" -> callStart(data);
            case "tool-call-delta" -> callDelta(data);
            case "tool-call-end" -> callEnd(data);
            case "citation-start" -> citationStart(data);
            case "message-end" -> messageEnd(data);
            default -> {
                // citation-end, debug, and event types newer than this adapter
            }
        }
    }

    private void messageStart(JsonNode data) {
        started = true;
        id = data.path("id").asText(null);
        out.onEvent(new StreamEvent.MessageStart(id, request.model()));
    }

    private void contentStart(JsonNode data) {
        requireStarted(data);
        int index = index(data);
        JsonNode content = data.path("delta").path("message").path("content");
        Content block = new Content(nextBlock++, content.path("type").asText("text").equals("thinking"));
        contents.put(index, block);
        progress.blockKept();
        append(block, content, "content-start", data);
    }

    private void contentDelta(JsonNode data) {
        int index = index(data);
        Content block = contents.get(index);
        if (block == null || block.closed) {
            throw malformed("content-delta for content " + index
                    + (block == null ? " that never started" : " after its content-end"), data.toString());
        }
        append(block, data.path("delta").path("message").path("content"), "content-delta", data);
    }

    private void append(Content block, JsonNode content, String event, JsonNode data) {
        String piece = AnswerText.of(content, block.thinking ? "thinking" : "text",
                what -> malformed("a " + event + "'s delta.message.content." + what,
                        data.toString()));
        if (piece.isEmpty()) {
            return;
        }
        block.text.append(piece);
        if (block.thinking) {
            out.onEvent(new StreamEvent.ReasoningDelta(block.block, piece));
        } else if (!request.answerWrapped()) {
            out.onEvent(new StreamEvent.TextDelta(block.block, piece));
        } else {
            progress.kept(piece);
            progress.contentArrived();
        }
    }

    private void contentEnd(JsonNode data) {
        int index = index(data);
        Content block = contents.get(index);
        if (block == null) {
            throw malformed("content-end for content " + index + " that never started",
                    data.toString());
        }
        block.closed = true;
        if (request.answerWrapped() && !block.thinking) {
            // the caller asked for a non-object value: it gets the unwrapped value once the object is complete
            String answer = CohereAnswers.unwrapped(json, block.text.toString());
            out.onEvent(new StreamEvent.TextDelta(block.block, answer));
        }
        out.onEvent(new StreamEvent.BlockEnd(block.block));
    }

    private void planDelta(JsonNode data) {
        requireStarted(data);
        String piece = data.path("delta").path("message").path("tool_plan").asText("");
        if (planBlock == null) {
            planBlock = nextBlock++;
        }
        plan.append(piece);
        if (!piece.isEmpty()) {
            out.onEvent(new StreamEvent.TextDelta(planBlock, piece));
        }
    }

    private void closePlan() {
        if (planBlock != null && !planClosed) {
            planClosed = true;
            out.onEvent(new StreamEvent.BlockEnd(planBlock));
        }
    }

    private void callStart(JsonNode data) {
        requireStarted(data);
        closePlan();
        int index = index(data);
        JsonNode call = data.path("delta").path("message").path("tool_calls");
        String callId = call.path("id").asText("");
        String name = call.path("function").path("name").asText("");
        if (callId.isEmpty() || name.isEmpty()) {
            throw malformed("tool-call-start without id or function name", data.toString());
        }
        Call started = new Call(nextBlock++, callId, name);
        calls.put(index, started);
        out.onEvent(new StreamEvent.ToolCallStart(started.block, callId, name));
        String initial = call.path("function").path("arguments").asText("");
        if (!initial.isEmpty()) {
            started.arguments.append(initial);
            out.onEvent(new StreamEvent.ToolCallArgsDelta(started.block, initial));
        }
    }

    private void callDelta(JsonNode data) {
        int index = index(data);
        Call call = calls.get(index);
        if (call == null || call.closed) {
            throw malformed("tool-call-delta for tool call " + index
                    + (call == null ? " that never started" : " after its tool-call-end"), data.toString());
        }
        String fragment = data.path("delta").path("message").path("tool_calls").path("function").path("arguments").asText("");
        if (!fragment.isEmpty()) {
            call.arguments.append(fragment);
            out.onEvent(new StreamEvent.ToolCallArgsDelta(call.block, fragment));
        }
    }

    private void callEnd(JsonNode data) {
        int index = index(data);
        Call call = calls.get(index);
        if (call == null) {
            throw malformed("tool-call-end for tool call " + index + " that never started",
                    data.toString());
        }
        call.closed = true;
        out.onEvent(new StreamEvent.ToolCallEnd(call.block));
    }

    private void citationStart(JsonNode data) {
        JsonNode cited = data.path("delta").path("message").path("citations");
        if (cited.isArray()) {
            cited.forEach(this::keepCitation);
        } else if (cited.isObject()) {
            keepCitation(cited);
        }
    }

    /** Kept for the answer, handed on to no one: it counts toward the content bound, a node each. */
    private void keepCitation(JsonNode citation) {
        citations.add(citation);
        progress.valueKept();
        progress.kept(citation.toString());
    }

    private void messageEnd(JsonNode data) {
        requireStarted(data);
        closePlan();
        end = data.path("delta");
        endEvent = data.toString();
        JsonNode usage = end.path("usage");
        if (usage.isObject()) {
            out.onEvent(new StreamEvent.UsageUpdate(CohereAnswers.usage(usage)));
        }
        String raw = end.path("finish_reason").asText(null);
        StopReason reason = CohereAnswers.stopReason(raw, !calls.isEmpty());
        out.onEvent(new StreamEvent.MessageEnd(reason, raw));
    }

    /**
     * The answer the stream described, as a plain {@code /v2/chat} response; a stream that ended (EOF) without
     * {@code message-end} was cut off. Cohere's answers carry no rate limits: {@code headers} are not read.
     */
    @Override
    public ChatResponse finish(HttpHeaders headers) {
        if (end == null) {
            throw cutOff(started ? "the stream ended before message-end (cut off)"
                    : "the stream ended before message-start");
        }
        ObjectNode root = json.createObjectNode();
        if (id != null) {
            root.put("id", id);
        }
        root.set("finish_reason", end.path("finish_reason").deepCopy());
        ObjectNode message = root.putObject("message").put("role", "assistant");
        ArrayNode content = message.putArray("content");
        for (Content block : contents.values()) {
            String field = block.thinking ? "thinking" : "text";
            content.addObject().put("type", field).put(field, block.text.toString());
        }
        if (!plan.isEmpty()) {
            message.put("tool_plan", plan.toString());
        }
        if (!calls.isEmpty()) {
            ArrayNode wire = message.putArray("tool_calls");
            for (Call call : calls.values()) {
                ObjectNode node = wire.addObject().put("id", call.id).put("type", "function");
                node.putObject("function").put("name", call.name).put("arguments", call.arguments.toString());
            }
        }
        if (!citations.isEmpty()) {
            message.set("citations", citations);
        }
        if (end.has("usage")) {
            root.set("usage", end.get("usage").deepCopy());
        }
        if (end.has("error")) {
            root.set("error", end.get("error").deepCopy());
        }
        // the end event's data, not the assembled answer written out again: a copy of its whole text no one reads
        return answers.parse(root, endEvent, request, id);
    }

    /** Reports {@code error} as the stream's last event and returns it as the exception to throw. */
    private ProviderException failed(ProviderError error, Throwable cause) {
        out.onEvent(new StreamEvent.StreamError(error));
        return new ProviderException(error, cause);
    }

    /** The message id, which names the failed call for Cohere's support when a stream breaks. */
    @Override
    public String requestId() {
        return id;
    }

    /** A stream event this client cannot use: the rule of a malformed answer, as for a plain answer. */
    private ProviderException malformed(String what, String raw) {
        return failed(MalformedAnswers.error(providerId, what, id, raw, secrets.get()), null);
    }

    private ProviderException cutOff(String what) {
        return failed(MalformedAnswers.streamCutOff(providerId, what, id), null);
    }

    private void requireStarted(JsonNode data) {
        if (!started) {
            throw malformed("stream event before message-start", data.toString());
        }
    }

    private int index(JsonNode data) {
        JsonNode index = data.get("index");
        if (index == null || !index.canConvertToInt() || index.asInt() < 0) {
            throw malformed("a stream event '" + data.path("type").asText() + "' without an index",
                    data.toString());
        }
        return index.asInt();
    }
}
