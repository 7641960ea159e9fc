package io.mcpagent.provider.openai.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.mcpagent.provider.testkit.FakeHttpServer;
import io.mcpagent.provider.testkit.WireFake;

/**
 * OpenAI's Chat Completions server (and its Azure and compatible variants) on 127.0.0.1: answers are queued; each
 * request is recorded with its path, query, headers and body. Streams are written as OpenAI writes them: chunked
 * {@code text/event-stream}, one {@code data:} event per chunk, flushed one by one, the usage chunk with empty
 * choices before {@code data: [DONE]} when the request asked for it.
 */
final class FakeOpenAi extends FakeHttpServer<FakeOpenAi.Recorded> implements WireFake {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A recorded request. Header names are lower case. */
    record Recorded(String method, String path, String query, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + body, e);
            }
        }

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        boolean streaming() {
            return json().path("stream").asBoolean(false);
        }

        boolean wantsUsage() {
            return json().path("stream_options").path("include_usage").asBoolean(false);
        }
    }

    /** OpenRouter and llama.cpp send the usage chunk whether asked or not. */
    volatile boolean usageAlways;

    FakeOpenAi() {
        this("/v1");
    }

    FakeOpenAi(String basePath) {
        super(basePath);
    }

    @Override
    protected Recorded record(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, new String(body, StandardCharsets.UTF_8));
    }

    @Override
    protected Answer<Recorded> nothingQueued() {
        return json(500, "{\"error\":{\"message\":\"the fake has no answer queued\",\"type\":\"server_error\"}}");
    }

    // ---- the WireFake contract: OpenAI-shaped answers, streamed when the request streams ----

    @Override
    public void enqueueText(String text, int inputTokens, int outputTokens) {
        enqueue((exchange, request) -> {
            if (request.streaming()) {
                List<String> events = new ArrayList<>();
                events.add(chunk(delta().put("role", "assistant").put("content", ""), null));
                for (String piece : pieces(text, 5)) {
                    events.add(chunk(delta().put("content", piece), null));
                }
                events.add(chunk(delta(), "stop"));
                if (request.wantsUsage() || usageAlways) {
                    events.add(usageChunk(inputTokens, outputTokens));
                }
                sse(events, Duration.ZERO, true).respond(exchange, request);
            } else {
                json(200, completion(message(text), "stop", inputTokens, outputTokens)).respond(exchange, request);
            }
        });
    }

    @Override
    public void enqueueMalformedAnswer(int inputTokens, int outputTokens) {
        ObjectNode message = message("");
        message.putObject("content");
        enqueue(json(200, completion(message, "stop", inputTokens, outputTokens)));
    }

    @Override
    public void enqueueMalformedAnswerHolding(String echoed) {
        ObjectNode message = message("");
        message.putObject("content").put("echo", echoed);
        ObjectNode completion = completion(message, "stop", 12, 4);
        Answer<Recorded> stream = sse(List.of(JSON.getNodeFactory().textNode(echoed).toString()), Duration.ZERO, true);
        enqueue((exchange, request) -> (request.streaming() ? stream : json(200, completion))
                .respond(exchange, request));
    }

    /** The text's chunks, then, before the finish reason, a chunk whose delta.content is an object. */
    @Override
    public void enqueueMalformedEventAfterText(String text, String echoed) {
        List<String> events = new ArrayList<>();
        events.add(chunk(delta().put("role", "assistant").put("content", ""), null));
        for (String piece : pieces(text, 5)) {
            events.add(chunk(delta().put("content", piece), null));
        }
        ObjectNode bad = delta();
        bad.putObject("content").put("echo", echoed);
        events.add(chunk(bad, null));
        enqueue(sse(events, Duration.ZERO, true));
    }

    /**
     * As vLLM streams with {@code continuous_usage_stats}: the usage in every chunk; cut off before the finish reason.
     * (OpenAI itself reports usage only after the finish reason, when nothing can break the answer any more.)
     */
    @Override
    public boolean enqueueStreamCutAfterUsage(int inputTokens, int outputTokens) {
        List<String> events = new ArrayList<>();
        for (int i = 1; i <= outputTokens; i++) {
            ObjectNode chunk = (ObjectNode) parse(chunk(delta().put("content", "word" + i + " "), null));
            chunk.set("usage", usage(inputTokens, i));
            events.add(chunk.toString());
        }
        enqueue(sse(events, Duration.ZERO, false));
        return true;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void enqueueToolCalls(List<ToolCall> calls) {
        enqueue((exchange, request) -> {
            if (request.streaming()) {
                List<String> events = new ArrayList<>();
                events.add(chunk(delta().put("role", "assistant").putNull("content"), null));
                for (int i = 0; i < calls.size(); i++) {
                    ToolCall call = calls.get(i);
                    ObjectNode first = delta();
                    ObjectNode fragment = first.putArray("tool_calls").addObject().put("index", i).put("id", call.id())
                            .put("type", "function");
                    fragment.putObject("function").put("name", call.name()).put("arguments", "");
                    events.add(chunk(first, null));
                    for (String piece : pieces(call.argumentsJson(), 4)) {
                        ObjectNode next = delta();
                        next.putArray("tool_calls").addObject().put("index", i).putObject("function").put("arguments", piece);
                        events.add(chunk(next, null));
                    }
                }
                events.add(chunk(delta(), "tool_calls"));
                if (request.wantsUsage() || usageAlways) {
                    events.add(usageChunk(20, 10));
                }
                sse(events, Duration.ZERO, true).respond(exchange, request);
            } else {
                ObjectNode message = JSON.createObjectNode().put("role", "assistant").putNull("content");
                ArrayNode toolCalls = message.putArray("tool_calls");
                for (ToolCall call : calls) {
                    toolCalls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                            .put("name", call.name()).put("arguments", call.argumentsJson());
                }
                json(200, completion(message, "tool_calls", 20, 10)).respond(exchange, request);
            }
        });
    }

    @Override
    public void enqueueRateLimited(Duration retryAfter) {
        enqueue(json(429, "{\"error\":{\"message\":\"Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. "
                        + "Please try again in " + retryAfter.toMillis() + "ms.\",\"type\":\"requests\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}",
                "retry-after-ms", String.valueOf(retryAfter.toMillis()), "x-ratelimit-limit-requests", "3",
                "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", retryAfter.toMillis() + "ms",
                "x-request-id", "req_ratelimited"));
    }

    @Override
    public void enqueueAuthError() {
        // OpenAI echoes (a masked form of) the key; this fake echoes it whole, to prove the adapter masks it.
        enqueue((exchange, request) -> {
            String auth = request.header("authorization");
            String key = auth != null ? auth.replaceFirst("^Bearer ", "") : String.valueOf(request.header("api-key"));
            json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key + ". You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,"
                    + "\"code\":\"invalid_api_key\"}}").respond(exchange, request);
        });
    }

    @Override
    public void enqueueServerError() {
        enqueue(json(500, "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
    }

    @Override
    public void enqueueDelayed(Duration delay, String text) {
        enqueue((exchange, request) -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            json(200, completion(message(text), "stop", 1, 1)).respond(exchange, request);
        });
    }

    @Override
    public void enqueuePlainAnswer(String text) {
        enqueue(json(200, completion(message(text), "stop", 1, 1)));
    }

    /** One chunk bringing the text, then 20 s of silence before the stream closes without its end. */
    @Override
    public void enqueueTextThenSilence(String text) {
        enqueue(sse(List.of(chunk(delta().put("role", "assistant").put("content", text), null)),
                Duration.ofSeconds(20), false));
    }

    // ---- building blocks ----

    static Answer<Recorded> json(int status, String body, String... headers) {
        return (exchange, request) -> {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (!exchange.getResponseHeaders().containsKey("apim-request-id")) {
                exchange.getResponseHeaders().putIfAbsent("x-request-id", List.of("req_fake_1"));
            }
            sendBody(exchange, status, body);
        };
    }

    static Answer<Recorded> json(int status, ObjectNode body, String... headers) {
        return json(status, body.toString(), headers);
    }

    /** An SSE answer: each event as {@code data: <event>\n\n}, flushed, {@code pause} between events. */
    static Answer<Recorded> sse(List<String> events, Duration pause, boolean done, String... headers) {
        return (exchange, request) -> {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().putIfAbsent("x-request-id", List.of("req_stream_1"));
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String event : events) {
                out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                sleep(pause);
            }
            if (done) {
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.close();
        };
    }

    /** Raw bytes with a declared length larger than what is sent, then the connection is dropped. */
    static Answer<Recorded> cutOff(String contentType, String partial) {
        return (exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            byte[] bytes = partial.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length + 10_000);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes);
            out.flush();
            sleep(Duration.ofMillis(100));
            throw new IOException("dropping the connection on purpose");
        };
    }

    /** The connection is closed before any answer: the client sees it reset. */
    static Answer<Recorded> reset() {
        return (exchange, request) -> {
            throw new IOException("closing without an answer on purpose");
        };
    }

    /** Headers and some events, then silence for {@code stall}. */
    static Answer<Recorded> stalled(List<String> events, Duration stall) {
        return (exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String event : events) {
                out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            sleep(stall);
        };
    }

    static ObjectNode delta() {
        return JSON.createObjectNode();
    }

    static String chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-stream1").put("object", "chat.completion.chunk")
                .put("created", 1760000000).put("model", "gpt-5.4-mini-2026-03-17").put("system_fingerprint", "fp_1");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        chunk.putNull("usage");
        return chunk.toString();
    }

    static String usageChunk(int input, int output) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-stream1").put("object", "chat.completion.chunk")
                .put("created", 1760000000).put("model", "gpt-5.4-mini-2026-03-17");
        chunk.putArray("choices");
        chunk.set("usage", usage(input, output));
        return chunk.toString();
    }

    static ObjectNode usage(int input, int output) {
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", input).put("completion_tokens", output)
                .put("total_tokens", input + output);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return usage;
    }

    static ObjectNode message(String text) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", text).putNull("refusal");
        message.putArray("annotations");
        return message;
    }

    static ObjectNode completion(ObjectNode message, String finishReason, int input, int output) {
        ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-abc123").put("object", "chat.completion")
                .put("created", 1760000000).put("model", "gpt-5.4-mini-2026-03-17");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        body.set("usage", usage(input, output));
        body.put("service_tier", "default").put("system_fingerprint", "fp_1");
        return body;
    }

    private static void sleep(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
