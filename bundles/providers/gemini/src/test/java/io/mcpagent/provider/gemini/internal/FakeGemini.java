package io.mcpagent.provider.gemini.internal;

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
 * The Gemini API faked on 127.0.0.1: records every request and answers from a queue. An answer is served the way
 * the real API serves it: one {@code GenerateContentResponse} body for {@code :generateContent}, or for
 * {@code :streamGenerateContent?alt=sse} server-sent events ({@code data:} lines ended by CRLF CRLF, no event names,
 * no terminator), each a whole response chunk: text in small pieces, a function call whole, {@code usageMetadata}
 * on every chunk and {@code finishReason} on the last, each chunk written and flushed on its own. Errors are
 * {@code google.rpc.Status} bodies, with {@code RetryInfo} instead of rate-limit headers.
 */
final class FakeGemini extends FakeHttpServer<FakeGemini.Captured> implements WireFake {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RESPONSE_ID = "p9NUaMWaBa2Jz7IP5qGX8AQ";
    static final String MODEL_VERSION = "gemini-2.5-flash";

    /** A request as received. */
    record Captured(String method, String path, String query, Headers headers, String body) {
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
            return path.endsWith(":streamGenerateContent");
        }
    }

    FakeGemini() {
        super("");
    }

    @Override
    protected Captured record(HttpExchange exchange, byte[] body) {
        return new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), new String(body, StandardCharsets.UTF_8));
    }

    @Override
    protected Answer<Captured> nothingQueued() {
        return error(500, "INTERNAL", "the fake has no answer queued");
    }

    // ---- WireFake -------------------------------------------------------------------------------------------

    @Override
    public void enqueueText(String text, int inputTokens, int outputTokens) {
        enqueue(answer(response("STOP", usage(inputTokens, outputTokens, 0), textPart(text))));
    }

    @Override
    public void enqueueMalformedAnswer(int inputTokens, int outputTokens) {
        ObjectNode part = textPart("");
        part.putObject("text");
        enqueue(answer(response("STOP", usage(inputTokens, outputTokens, 0), part)));
    }

    @Override
    public void enqueueMalformedAnswerHolding(String echoed) {
        ObjectNode part = textPart("");
        part.putObject("text").put("echo", echoed);
        ObjectNode response = response("STOP", usage(12, 4, 0), part);
        Answer<Captured> stream = events(List.of(JSON.getNodeFactory().textNode(echoed).toString()));
        enqueue((exchange, request) -> (request.streaming() ? stream : json(200, response.toString()))
                .respond(exchange, request));
    }

    /** The text's chunks without the finishReason, then a chunk whose part's text is an object. */
    @Override
    public void enqueueMalformedEventAfterText(String text, String echoed) {
        List<String> chunks = new ArrayList<>(chunks(response("STOP", usage(12, 4, 0), textPart(text))));
        try {
            ObjectNode last = (ObjectNode) JSON.readTree(chunks.remove(chunks.size() - 1));
            ((ObjectNode) last.path("candidates").path(0)).remove("finishReason");
            chunks.add(last.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ObjectNode part = textPart("");
        part.putObject("text").put("echo", echoed);
        List<String> bad = chunks(response("STOP", usage(12, 4, 0), part));
        chunks.add(bad.get(bad.size() - 1));
        enqueue(events(chunks));
    }

    /** The answer's chunks, each with its usage so far, without the last one, which brings the finishReason. */
    @Override
    public boolean enqueueStreamCutAfterUsage(int inputTokens, int outputTokens) {
        List<String> chunks = new ArrayList<>(chunks(response("STOP", usage(inputTokens, outputTokens, 0),
                textPart("Hello there, streaming world"))));
        chunks.remove(chunks.size() - 1);
        try {
            ObjectNode last = (ObjectNode) JSON.readTree(chunks.remove(chunks.size() - 1));
            last.set("usageMetadata", usage(inputTokens, outputTokens, 0));
            chunks.add(last.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        enqueue(events(chunks));
        return true;
    }

    @Override
    public void enqueueToolCalls(List<ToolCall> calls) {
        List<ObjectNode> parts = new ArrayList<>();
        for (ToolCall call : calls) {
            ObjectNode part = functionCall(null, call.name(), call.argumentsJson());
            if (parts.isEmpty()) {
                // Gemini 3 signs the first function call of a step
                part.put("thoughtSignature", "CiQBcsjafF1f0Ag3RzZ3cUm9fM1Q==");
            }
            parts.add(part);
        }
        enqueue(answer(response("STOP", usage(20, 30, 0), parts.toArray(ObjectNode[]::new))));
    }

    @Override
    public void enqueueRateLimited(Duration retryAfter) {
        enqueue(rateLimited("GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                String.format(java.util.Locale.ROOT, "%.3fs", retryAfter.toMillis() / 1000.0)));
    }

    @Override
    public void enqueueAuthError() {
        // what Google answers a wrong key: 400 INVALID_ARGUMENT, told apart by the ErrorInfo reason
        ObjectNode body = status(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        ((ArrayNode) body.path("error").path("details")).addObject()
                .put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", "API_KEY_INVALID")
                .put("domain", "googleapis.com").putObject("metadata").put("service", "generativelanguage.googleapis.com");
        enqueue(json(400, body.toString()));
    }

    @Override
    public void enqueueServerError() {
        enqueue(error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"));
    }

    @Override
    public void enqueueDelayed(Duration delay, String text) {
        Answer<Captured> answer = answer(response("STOP", usage(1, 1, 0), textPart(text)));
        enqueue((exchange, request) -> {
            Thread.sleep(delay.toMillis());
            answer.respond(exchange, request);
        });
    }

    @Override
    public void enqueuePlainAnswer(String text) {
        enqueue(json(200, response("STOP", usage(1, 1, 0), textPart(text)).toString()));
    }

    /** The first two chunks of the text, then silence. */
    @Override
    public void enqueueTextThenSilence(String text) {
        enqueue(silentAfter(events(chunks(response("STOP", usage(1, 2, 0), textPart(text))).subList(0, 2)),
                Duration.ofSeconds(20)));
    }

    // ---- building answers -----------------------------------------------------------------------------------

    static ObjectNode response(String finishReason, ObjectNode usage, ObjectNode... parts) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ArrayNode content = candidate.putObject("content").putArray("parts");
        for (ObjectNode part : parts) {
            content.add(part);
        }
        ((ObjectNode) candidate.get("content")).put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        response.set("usageMetadata", usage);
        response.put("modelVersion", MODEL_VERSION).put("responseId", RESPONSE_ID);
        return response;
    }

    static ObjectNode usage(int prompt, int candidates, int thoughts) {
        ObjectNode usage = JSON.createObjectNode().put("promptTokenCount", prompt).put("candidatesTokenCount", candidates)
                .put("totalTokenCount", prompt + candidates + thoughts);
        if (thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", prompt);
        return usage;
    }

    static ObjectNode textPart(String text) {
        return JSON.createObjectNode().put("text", text);
    }

    static ObjectNode thought(String text, String signature) {
        ObjectNode part = JSON.createObjectNode().put("text", text).put("thought", true);
        if (signature != null) {
            part.put("thoughtSignature", signature);
        }
        return part;
    }

    static ObjectNode functionCall(String id, String name, String argsJson) {
        ObjectNode part = JSON.createObjectNode();
        ObjectNode call = part.putObject("functionCall");
        if (id != null) {
            call.put("id", id);
        }
        call.put("name", name);
        try {
            call.set("args", JSON.readTree(argsJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(argsJson, e);
        }
        return part;
    }

    /** The response as a plain body, or as the event stream when the request asked for one. */
    Answer<Captured> answer(ObjectNode response) {
        return (exchange, request) -> {
            if (request.streaming()) {
                events(chunks(response)).respond(exchange, request);
            } else {
                json(200, response.toString()).respond(exchange, request);
            }
        };
    }

    /** A JSON body with {@code extra} name/value header pairs. */
    Answer<Captured> json(int status, String body, String... extra) {
        return (exchange, request) -> {
            Headers headers = exchange.getResponseHeaders();
            headers.set("content-type", "application/json; charset=UTF-8");
            headers.set("vary", "Origin, X-Origin, Referer");
            setHeaders(exchange, extra);
            sendBody(exchange, status, body);
        };
    }

    /** A {@code google.rpc.Status} error body with no details. */
    Answer<Captured> error(int status, String canonical, String message, String... extra) {
        return json(status, status(status, canonical, message).toString(), extra);
    }

    static ObjectNode status(int code, String canonical, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).put("status", canonical).putArray("details");
        return body;
    }

    /** Gemini's 429: a QuotaFailure naming the quota, a Help link, and RetryInfo's delay. */
    Answer<Captured> rateLimited(String quotaId, String retryDelay, String... extra) {
        ObjectNode body = status(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.");
        ArrayNode details = (ArrayNode) body.path("error").path("details");
        ObjectNode violation = details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                .putArray("violations").addObject();
        violation.put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
                .put("quotaId", quotaId).put("quotaValue", "10");
        violation.putObject("quotaDimensions").put("location", "global").put("model", "gemini-2.5-flash");
        details.addObject().put("@type", "type.googleapis.com/google.rpc.Help").putArray("links").addObject()
                .put("description", "Learn more about Gemini API quotas").put("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
        if (retryDelay != null) {
            details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", retryDelay);
        }
        return json(429, body.toString(), extra);
    }

    /** Server-sent events, one {@code data:} line each, written and flushed on their own. */
    Answer<Captured> events(List<String> chunks) {
        return (exchange, request) -> {
            Headers headers = exchange.getResponseHeaders();
            headers.set("content-type", "text/event-stream");
            headers.set("x-content-type-options", "nosniff");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String chunk : chunks) {
                out.write(("data: " + chunk + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        };
    }

    /**
     * The chunks the real API streams for {@code response}: text parts in pieces of five characters (thought parts
     * of nine), other parts whole, each in its own chunk with the usage so far; the last carries the finishReason.
     */
    static List<String> chunks(ObjectNode response) {
        JsonNode candidate = response.path("candidates").path(0);
        List<ObjectNode> parts = new ArrayList<>();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("text") && part.path("text").asText().length() > 0) {
                int size = part.path("thought").asBoolean() ? 9 : 5;
                List<String> pieces = pieces(part.get("text").asText(), size);
                for (int i = 0; i < pieces.size(); i++) {
                    ObjectNode piece = ((ObjectNode) part).deepCopy().put("text", pieces.get(i));
                    if (i < pieces.size() - 1) {
                        // a signature travels with the last piece of its part
                        piece.remove("thoughtSignature");
                    }
                    parts.add(piece);
                }
            } else {
                parts.add(((ObjectNode) part).deepCopy());
            }
        }
        List<String> chunks = new ArrayList<>();
        JsonNode usage = response.path("usageMetadata");
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            ObjectNode chunk = JSON.createObjectNode();
            ObjectNode piece = chunk.putArray("candidates").addObject();
            piece.putObject("content").put("role", "model").putArray("parts").add(parts.get(i));
            if (last && candidate.has("finishReason")) {
                piece.set("finishReason", candidate.get("finishReason"));
            }
            piece.put("index", 0);
            ObjectNode soFar = usage.deepCopy();
            if (!last) {
                soFar.put("candidatesTokenCount", i + 1).remove("thoughtsTokenCount");
                soFar.put("totalTokenCount", usage.path("promptTokenCount").asInt() + i + 1);
            }
            chunk.set("usageMetadata", soFar);
            chunk.set("modelVersion", response.get("modelVersion"));
            chunk.set("responseId", response.get("responseId"));
            chunks.add(chunk.toString());
        }
        return chunks;
    }
}
