package io.mcpagent.provider.cohere.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import io.mcpagent.provider.testkit.FakeHttpServer;
import io.mcpagent.provider.testkit.WireFake;

/**
 * The Cohere v2 Chat API faked on 127.0.0.1: records every request and answers from a queue. An answer is served the
 * way the real API serves it: one JSON body for a plain request, or for {@code "stream": true} the server-sent events
 * {@code message-start}, {@code content-start/delta/end} (text and thinking in small pieces), {@code tool-plan-delta},
 * {@code tool-call-start/delta/end} (arguments in fragments), {@code citation-start/end} and {@code message-end} with
 * the finish reason and usage, each event written and flushed on its own (a chunked body).
 */
final class FakeCohere extends FakeHttpServer<FakeCohere.Captured> implements WireFake {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Cohere adds a prompt template of its own: the model sees more input tokens than are billed. */
    static final int TEMPLATE_TOKENS = 180;

    /** A request as received. */
    record Captured(String method, String path, Headers headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.getFirst(name);
        }

        boolean streaming() {
            return json().path("stream").asBoolean(false);
        }
    }

    FakeCohere() {
        super("");
    }

    @Override
    protected Captured record(HttpExchange exchange, byte[] body) {
        return new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                new String(body, StandardCharsets.UTF_8));
    }

    @Override
    protected Answer<Captured> nothingQueued() {
        return error(500, "the fake has no answer queued");
    }

    // ---- WireFake -------------------------------------------------------------------------------------------

    @Override
    public void enqueueText(String text, int inputTokens, int outputTokens) {
        enqueue(answer(response("COMPLETE", inputTokens, outputTokens, textBlock(text))));
    }

    @Override
    public void enqueueMalformedAnswer(int inputTokens, int outputTokens) {
        ObjectNode block = textBlock("");
        block.putObject("text");
        enqueue(answer(response("COMPLETE", inputTokens, outputTokens, block)));
    }

    @Override
    public void enqueueMalformedAnswerHolding(String echoed) {
        ObjectNode block = textBlock("");
        block.putObject("text").put("echo", echoed);
        ObjectNode response = response("COMPLETE", 12, 4, block);
        String notAnObject = JSON.getNodeFactory().textNode(echoed).toString();
        Answer<Captured> stream = events(List.<String[]>of(new String[] {"message-start", notAnObject}));
        enqueue((exchange, request) -> (request.streaming() ? stream : json(200, response.toString()))
                .respond(exchange, request));
    }

    /** The text's events up to its block's end, then a content-delta whose text is an object. */
    @Override
    public void enqueueMalformedEventAfterText(String text, String echoed) {
        List<String[]> events = events(response("COMPLETE", 12, 4, textBlock(text)));
        int blockEnd = 0;
        while (!events.get(blockEnd)[0].equals("content-end")) {
            blockEnd++;
        }
        List<String[]> cut = new ArrayList<>(events.subList(0, blockEnd));
        ObjectNode bad = event("content-delta").put("index", 0);
        bad.putObject("delta").putObject("message").putObject("content").putObject("text").put("echo", echoed);
        cut.add(frame(bad));
        enqueue(events(cut));
    }

    @Override
    public void enqueueToolCalls(List<ToolCall> calls) {
        ObjectNode response = response("TOOL_CALL", 20, 30);
        ObjectNode message = (ObjectNode) response.get("message");
        message.put("tool_plan", "I will call " + calls.get(0).name() + ".");
        ArrayNode wire = message.putArray("tool_calls");
        for (ToolCall call : calls) {
            wire.add(toolCall(call.id(), call.name(), call.argumentsJson()));
        }
        enqueue(answer(response));
    }

    /** Cohere documents no retry hint; the standard retry-after header (whole seconds) is what a gateway sends. */
    @Override
    public void enqueueRateLimited(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        enqueue(error(429, "You are using a Trial key, which is limited to 20 API calls / minute.",
                "retry-after", String.valueOf(seconds)));
    }

    @Override
    public void enqueueAuthError() {
        enqueue(error(401, "invalid api token"));
    }

    @Override
    public void enqueueServerError() {
        enqueue(error(500, "internal server error, this has been reported to our developers"));
    }

    @Override
    public void enqueueDelayed(Duration delay, String text) {
        Answer<Captured> answer = answer(response("COMPLETE", 1, 1, textBlock(text)));
        enqueue((exchange, request) -> {
            Thread.sleep(delay.toMillis());
            answer.respond(exchange, request);
        });
    }

    @Override
    public void enqueuePlainAnswer(String text) {
        enqueue(json(200, response("COMPLETE", 1, 1, textBlock(text)).toString()));
    }

    /** The message's start, its content's start and first delta, then silence. */
    @Override
    public void enqueueTextThenSilence(String text) {
        enqueue(silentAfter(events(events(response("COMPLETE", 1, 2, textBlock(text))).subList(0, 4)),
                Duration.ofSeconds(20)));
    }

    // ---- building answers -----------------------------------------------------------------------------------

    /** A v2 chat response: content blocks, finish reason, billed units and the tokens the model saw. */
    static ObjectNode response(String finishReason, int inputTokens, int outputTokens, ObjectNode... content) {
        ObjectNode response = JSON.createObjectNode().put("id", "c14c80c3-18eb-4519-9460-6c92edd8cfb4");
        ObjectNode message = response.putObject("message").put("role", "assistant");
        ArrayNode blocks = message.putArray("content");
        for (ObjectNode block : content) {
            blocks.add(block);
        }
        response.put("finish_reason", finishReason);
        ObjectNode usage = response.putObject("usage");
        usage.putObject("billed_units").put("input_tokens", inputTokens).put("output_tokens", outputTokens);
        usage.putObject("tokens").put("input_tokens", inputTokens + TEMPLATE_TOKENS).put("output_tokens", outputTokens + 2);
        return response;
    }

    static ObjectNode textBlock(String text) {
        return JSON.createObjectNode().put("type", "text").put("text", text);
    }

    static ObjectNode thinkingBlock(String thinking) {
        return JSON.createObjectNode().put("type", "thinking").put("thinking", thinking);
    }

    static ObjectNode toolCall(String id, String name, String arguments) {
        ObjectNode call = JSON.createObjectNode().put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return call;
    }

    /** The response as a plain body, or as the event stream when the request asked for one. */
    Answer<Captured> answer(ObjectNode response) {
        return (exchange, request) -> {
            if (request.streaming()) {
                events(events(response)).respond(exchange, request);
            } else {
                json(200, response.toString()).respond(exchange, request);
            }
        };
    }

    /** A JSON body with {@code extra} name/value header pairs. */
    Answer<Captured> json(int status, String body, String... extra) {
        return (exchange, request) -> {
            Headers headers = exchange.getResponseHeaders();
            exchange.getResponseHeaders().set("content-type", "application/json");
            setHeaders(exchange, extra);
            sendBody(exchange, status, body);
        };
    }

    /** Cohere's error body {@code {"id":…,"message":…}}. */
    Answer<Captured> error(int status, String message, String... extra) {
        ObjectNode body = JSON.createObjectNode().put("id", "err-" + status + "-7d3a").put("message", message);
        return json(status, body.toString(), extra);
    }

    /** Server-sent events {@code [event, data]}, each written and flushed on its own. */
    Answer<Captured> events(List<String[]> events) {
        return events(events, true);
    }

    /** With {@code named} false only {@code data:} lines are sent (the type is in the data either way). */
    Answer<Captured> events(List<String[]> events, boolean named) {
        return (exchange, request) -> {
            Headers headers = exchange.getResponseHeaders();
            headers.set("content-type", "text/event-stream");
            headers.set("cache-control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String[] event : events) {
                String frame = (named ? "event: " + event[0] + "\n" : "") + "data: " + event[1] + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /** The event stream the real API sends for {@code response}. */
    static List<String[]> events(ObjectNode response) {
        List<String[]> events = new ArrayList<>();
        JsonNode message = response.get("message");
        ObjectNode startMessage = JSON.createObjectNode().put("role", "assistant");
        startMessage.putArray("content");
        startMessage.put("tool_plan", "");
        startMessage.putArray("tool_calls");
        startMessage.putArray("citations");
        ObjectNode start = event("message-start").put("id", response.path("id").asText());
        start.putObject("delta").set("message", startMessage);
        events.add(frame(start));
        int index = 0;
        JsonNode content = message.path("content");
        for (JsonNode block : content) {
            String type = block.get("type").asText();
            ObjectNode opening = event("content-start").put("index", index);
            opening.putObject("delta").putObject("message").putObject("content").put("type", type).put(type, "");
            events.add(frame(opening));
            for (String piece : pieces(block.get(type).asText(), 4)) {
                ObjectNode delta = event("content-delta").put("index", index);
                delta.putObject("delta").putObject("message").putObject("content").put(type, piece);
                events.add(frame(delta));
            }
            if (index == content.size() - 1) {
                int citation = 0;
                for (JsonNode cited : message.path("citations")) {
                    ObjectNode citationStart = event("citation-start").put("index", citation);
                    citationStart.putObject("delta").putObject("message").set("citations", cited);
                    events.add(frame(citationStart));
                    events.add(frame(event("citation-end").put("index", citation++)));
                }
            }
            events.add(frame(event("content-end").put("index", index)));
            index++;
        }
        for (String piece : pieces(message.path("tool_plan").asText(""), 6)) {
            ObjectNode plan = event("tool-plan-delta");
            plan.putObject("delta").putObject("message").put("tool_plan", piece);
            events.add(frame(plan));
        }
        int call = 0;
        for (JsonNode toolCall : message.path("tool_calls")) {
            ObjectNode callStart = event("tool-call-start").put("index", call);
            ObjectNode opened = toolCall.deepCopy();
            ((ObjectNode) opened.get("function")).put("arguments", "");
            callStart.putObject("delta").putObject("message").set("tool_calls", opened);
            events.add(frame(callStart));
            for (String fragment : pieces(toolCall.path("function").path("arguments").asText(), 5)) {
                ObjectNode callDelta = event("tool-call-delta").put("index", call);
                callDelta.putObject("delta").putObject("message").putObject("tool_calls").putObject("function")
                        .put("arguments", fragment);
                events.add(frame(callDelta));
            }
            events.add(frame(event("tool-call-end").put("index", call++)));
        }
        ObjectNode end = event("message-end");
        ObjectNode endDelta = end.putObject("delta").put("finish_reason", response.path("finish_reason").asText());
        endDelta.set("usage", response.get("usage"));
        events.add(frame(end));
        return events;
    }

    static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    static String[] frame(ObjectNode data) {
        return new String[] {data.get("type").asText(), data.toString()};
    }
}
