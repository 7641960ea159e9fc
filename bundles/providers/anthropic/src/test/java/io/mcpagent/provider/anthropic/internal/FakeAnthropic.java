package io.mcpagent.provider.anthropic.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import io.mcpagent.provider.testkit.FakeHttpServer;
import io.mcpagent.provider.testkit.WireFake;

/**
 * The Anthropic Messages API faked on 127.0.0.1: records every request and answers from a queue. A message answer is
 * served the way the real API serves it: as one JSON body for a plain request, or for {@code "stream": true} as the
 * server-sent events {@code message_start}, {@code content_block_start/delta/stop} (text in small pieces, tool input
 * as {@code partial_json} fragments, thinking and its signature), {@code ping}, {@code message_delta} with the
 * cumulative usage and {@code message_stop}, each event written and flushed on its own.
 */
final class FakeAnthropic extends FakeHttpServer<FakeAnthropic.Captured> implements WireFake {
    static final ObjectMapper JSON = new ObjectMapper();

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

    private final Map<String, String> successHeaders;

    FakeAnthropic() {
        this(Map.of("request-id", "req_fake_1",
                "anthropic-ratelimit-requests-limit", "50",
                "anthropic-ratelimit-requests-remaining", "49",
                "anthropic-ratelimit-requests-reset", "2026-11-24T10:00:00Z",
                "anthropic-ratelimit-tokens-limit", "80000",
                "anthropic-ratelimit-tokens-remaining", "79000",
                "anthropic-ratelimit-tokens-reset", "2026-11-24T10:00:05Z",
                "anthropic-ratelimit-input-tokens-remaining", "39000",
                "anthropic-ratelimit-output-tokens-remaining", "16000"));
    }

    FakeAnthropic(Map<String, String> successHeaders) {
        super("");
        this.successHeaders = successHeaders;
    }

    @Override
    protected Captured record(HttpExchange exchange, byte[] body) {
        return new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                new String(body, StandardCharsets.UTF_8));
    }

    @Override
    protected Answer<Captured> nothingQueued() {
        return error(500, "api_error", "the fake has no answer queued");
    }

    // ---- WireFake -------------------------------------------------------------------------------------------

    @Override
    public void enqueueText(String text, int inputTokens, int outputTokens) {
        enqueue(message(message("end_turn", inputTokens, outputTokens, textBlock(text))));
    }

    @Override
    public void enqueueMalformedAnswer(int inputTokens, int outputTokens) {
        ObjectNode block = textBlock("");
        block.putObject("text");
        enqueue(message(message("end_turn", inputTokens, outputTokens, block)));
    }

    @Override
    public void enqueueMalformedAnswerHolding(String echoed) {
        ObjectNode block = textBlock("");
        block.putObject("text").put("echo", echoed);
        ObjectNode message = message("end_turn", 12, 4, block);
        String notAnObject = JSON.getNodeFactory().textNode(echoed).toString();
        Answer<Captured> stream = events(List.<String[]>of(new String[] {"message_start", notAnObject}));
        enqueue((exchange, request) -> (request.streaming() ? stream : json(200, message.toString()))
                .respond(exchange, request));
    }

    /** The text's stream up to its block's end, then a text_delta whose text is an object. */
    @Override
    public void enqueueMalformedEventAfterText(String text, String echoed) {
        List<String[]> events = new ArrayList<>(events(message("end_turn", 12, 4, textBlock(text))));
        int blockEnd = 0;
        while (!events.get(blockEnd)[0].equals("content_block_stop")) {
            blockEnd++;
        }
        List<String[]> cut = new ArrayList<>(events.subList(0, blockEnd));
        ObjectNode bad = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        bad.putObject("delta").put("type", "text_delta").putObject("text").put("echo", echoed);
        cut.add(new String[] {"content_block_delta", bad.toString()});
        enqueue(events(cut));
    }

    /** The answer's stream up to its message_delta, which reports the usage, without the message_stop. */
    @Override
    public boolean enqueueStreamCutAfterUsage(int inputTokens, int outputTokens) {
        List<String[]> events = events(message("end_turn", inputTokens, outputTokens, textBlock("Hello there")));
        enqueue(events(events.subList(0, events.size() - 1)));
        return true;
    }

    @Override
    public void enqueueToolCalls(List<ToolCall> calls) {
        List<ObjectNode> blocks = new ArrayList<>();
        for (ToolCall call : calls) {
            blocks.add(toolUse(call.id().matches("[a-zA-Z0-9_-]+") ? call.id() : "toolu_" + blocks.size(),
                    call.name(), call.argumentsJson()));
        }
        enqueue(message(message("tool_use", 20, 30, blocks.toArray(ObjectNode[]::new))));
    }

    @Override
    public void enqueueRateLimited(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        enqueue(error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
                "retry-after", String.valueOf(seconds), "retry-after-ms", String.valueOf(retryAfter.toMillis())));
    }

    @Override
    public void enqueueAuthError() {
        enqueue(error(401, "authentication_error", "invalid x-api-key"));
    }

    @Override
    public void enqueueServerError() {
        enqueue(error(500, "api_error", "Internal server error"));
    }

    @Override
    public void enqueueDelayed(Duration delay, String text) {
        Answer<Captured> answer = message(message("end_turn", 1, 1, textBlock(text)));
        enqueue((exchange, request) -> {
            Thread.sleep(delay.toMillis());
            answer.respond(exchange, request);
        });
    }

    @Override
    public void enqueuePlainAnswer(String text) {
        enqueue(json(200, message("end_turn", 1, 1, textBlock(text)).toString()));
    }

    /** The message's start, its text block's start and first delta, then silence. */
    @Override
    public void enqueueTextThenSilence(String text) {
        enqueue(silentAfter(events(events(message("end_turn", 1, 2, textBlock(text))).subList(0, 4)),
                Duration.ofSeconds(20)));
    }

    // ---- building answers -----------------------------------------------------------------------------------

    static ObjectNode message(String stopReason, int inputTokens, int outputTokens, ObjectNode... content) {
        ObjectNode message = JSON.createObjectNode().put("id", "msg_01XFDUDYJgAACzvnptvVoYEL").put("type", "message")
                .put("role", "assistant").put("model", "claude-sonnet-4-5-20250929");
        ArrayNode blocks = message.putArray("content");
        for (ObjectNode block : content) {
            blocks.add(block);
        }
        message.put("stop_reason", stopReason).putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", inputTokens).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", outputTokens);
        return message;
    }

    static ObjectNode textBlock(String text) {
        return JSON.createObjectNode().put("type", "text").put("text", text);
    }

    static ObjectNode toolUse(String id, String name, String inputJson) {
        ObjectNode block = JSON.createObjectNode().put("type", "tool_use").put("id", id).put("name", name);
        try {
            block.set("input", JSON.readTree(inputJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(inputJson, e);
        }
        return block;
    }

    static ObjectNode thinking(String text, String signature) {
        return JSON.createObjectNode().put("type", "thinking").put("thinking", text).put("signature", signature);
    }

    /** The message as a plain body, or as the event stream when the request asked for one. */
    Answer<Captured> message(ObjectNode message) {
        return (exchange, request) -> {
            if (request.streaming()) {
                events(events(message)).respond(exchange, request);
            } else {
                json(200, message.toString()).respond(exchange, request);
            }
        };
    }

    /** A JSON body with the success headers (request id, rate limits) and {@code extra} name/value pairs. */
    Answer<Captured> json(int status, String body, String... extra) {
        return (exchange, request) -> {
            Headers headers = exchange.getResponseHeaders();
            headers.set("content-type", "application/json");
            if (status < 300) {
                successHeaders.forEach(headers::set);
            } else {
                headers.set("request-id", "req_fake_error");
            }
            setHeaders(exchange, extra);
            sendBody(exchange, status, body);
        };
    }

    /** Anthropic's error body {@code {"type":"error","error":{type,message},"request_id"}}. */
    Answer<Captured> error(int status, String type, String message, String... extra) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", "req_body_" + status);
        return json(status, body.toString(), extra);
    }

    /** Server-sent events {@code [event, data]}, each written and flushed on its own. */
    Answer<Captured> events(List<String[]> events) {
        return events(events, Duration.ZERO);
    }

    Answer<Captured> events(List<String[]> events, Duration pause) {
        return (exchange, request) -> {
            Headers headers = exchange.getResponseHeaders();
            headers.set("content-type", "text/event-stream; charset=utf-8");
            headers.set("cache-control", "no-cache");
            successHeaders.forEach(headers::set);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String[] event : events) {
                out.write(("event: " + event[0] + "\ndata: " + event[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        };
    }

    /** The event stream the real API sends for {@code message}. */
    static List<String[]> events(ObjectNode message) {
        List<String[]> events = new ArrayList<>();
        ObjectNode start = message.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        ObjectNode usage = (ObjectNode) start.get("usage");
        usage.put("output_tokens", 1);
        events.add(event("message_start", JSON.createObjectNode().put("type", "message_start").set("message", start)));
        int index = 0;
        for (JsonNode block : message.get("content")) {
            String type = block.get("type").asText();
            ObjectNode initial = ((ObjectNode) block).deepCopy();
            switch (type) {
                case "text" -> initial.put("text", "");
                case "tool_use" -> initial.putObject("input");
                case "thinking" -> initial.put("thinking", "").put("signature", "");
                default -> {
                }
            }
            initial.remove("citations");
            events.add(event("content_block_start", JSON.createObjectNode().put("type", "content_block_start")
                    .put("index", index).set("content_block", initial)));
            if (index == 0) {
                events.add(new String[] {"ping", "{\"type\": \"ping\"}"});
            }
            switch (type) {
                case "text" -> {
                    for (String piece : pieces(block.get("text").asText(), 5)) {
                        events.add(delta(index, JSON.createObjectNode().put("type", "text_delta").put("text", piece)));
                    }
                }
                case "tool_use" -> {
                    events.add(delta(index, JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", "")));
                    for (String piece : pieces(block.get("input").toString(), 7)) {
                        events.add(delta(index, JSON.createObjectNode().put("type", "input_json_delta").put("partial_json", piece)));
                    }
                }
                case "thinking" -> {
                    for (String piece : pieces(block.get("thinking").asText(), 9)) {
                        events.add(delta(index, JSON.createObjectNode().put("type", "thinking_delta").put("thinking", piece)));
                    }
                    events.add(delta(index, JSON.createObjectNode().put("type", "signature_delta")
                            .put("signature", block.get("signature").asText())));
                }
                default -> {
                }
            }
            events.add(event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", index)));
            index++;
        }
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", message.get("stop_reason").asText())
                .set("stop_sequence", message.get("stop_sequence"));
        messageDelta.set("usage", message.get("usage").deepCopy());
        events.add(event("message_delta", messageDelta));
        events.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        return events;
    }

    private static String[] delta(int index, ObjectNode delta) {
        return event("content_block_delta", JSON.createObjectNode().put("type", "content_block_delta").put("index", index)
                .set("delta", delta));
    }

    private static String[] event(String name, JsonNode data) {
        return new String[] {name, data.toString()};
    }
}
