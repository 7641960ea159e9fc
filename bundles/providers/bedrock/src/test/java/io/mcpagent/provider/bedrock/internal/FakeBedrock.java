package io.mcpagent.provider.bedrock.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import io.mcpagent.provider.testkit.FakeHttpServer;
import io.mcpagent.provider.testkit.WireFake;

/**
 * The Bedrock Runtime Converse API faked on 127.0.0.1: records every request and answers from a queue. A Converse
 * answer is served as one JSON body to {@code /model/{id}/converse}, and to {@code /model/{id}/converse-stream} as
 * AWS event-stream frames with correct CRCs ({@link #frame}): {@code messageStart}, text and reasoning as deltas
 * without a {@code contentBlockStart} (as Bedrock sends them), tool uses with a {@code contentBlockStart} and their
 * input in fragments, {@code contentBlockStop}, {@code messageStop}, {@code metadata}; every payload carries Bedrock's
 * random-length {@code p} padding field, and each frame is written in two flushed pieces so that frames straddle reads.
 * When told the credentials it expects, it checks each request's SigV4 signature the way AWS does (from the Host,
 * path, headers and body it received) and answers a mismatch with 403 {@code InvalidSignatureException}.
 */
final class FakeBedrock extends FakeHttpServer<FakeBedrock.Captured> implements WireFake {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String REQUEST_ID = "2f6b1b0c-5f4e-4c1a-9d0e-7f0c7f4a1b2c";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** A request as received: the raw (still percent-encoded) path. */
    record Captured(String method, String rawPath, Headers headers, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + body(), e);
            }
        }

        String header(String name) {
            return headers.getFirst(name);
        }

        boolean streaming() {
            return rawPath.endsWith("/converse-stream");
        }
    }

    private volatile AwsCredentials expectedSigner;
    private volatile String expectedRegion;

    FakeBedrock() {
        super("");
    }

    /** From now on every request must carry a valid SigV4 signature by {@code credentials} for {@code region}. */
    FakeBedrock expectSignedBy(AwsCredentials credentials, String region) {
        this.expectedSigner = credentials;
        this.expectedRegion = region;
        return this;
    }

    @Override
    protected Captured record(HttpExchange exchange, byte[] body) {
        return new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders(), body);
    }

    @Override
    protected Answer<Captured> nothingQueued() {
        return error(500, "InternalServerException", "the fake has no answer queued");
    }

    /** A request whose signature does not verify is refused as AWS refuses it, and takes no queued answer. */
    @Override
    protected Answer<Captured> answerTo(Captured request) {
        String signatureProblem = signatureProblem(request);
        return signatureProblem != null ? error(403, "InvalidSignatureException", signatureProblem)
                : super.answerTo(request);
    }

    /** What AWS would say about the request's signature, or null when it is valid (or none is expected). */
    private String signatureProblem(Captured request) {
        AwsCredentials expected = expectedSigner;
        if (expected == null) {
            return null;
        }
        String authorization = request.header("Authorization");
        String date = request.header("X-Amz-Date");
        if (authorization == null || date == null) {
            return "Missing Authentication Token";
        }
        Map<String, String> signed = new LinkedHashMap<>();
        signed.put("content-type", request.header("Content-Type"));
        Instant when = LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC);
        SigV4Signer.Signature recomputed = new SigV4Signer(expectedRegion, "bedrock").sign(expected, request.method(),
                request.header("Host"), request.rawPath(), null, signed, request.bytes(), when);
        return recomputed.authorization().equals(authorization) ? null
                : "The request signature we calculated does not match the signature you provided.";
    }

    // ---- WireFake -------------------------------------------------------------------------------------------

    @Override
    public void enqueueText(String text, int inputTokens, int outputTokens) {
        enqueue(converse(answer("end_turn", inputTokens, outputTokens, textBlock(text))));
    }

    @Override
    public void enqueueMalformedAnswer(int inputTokens, int outputTokens) {
        ObjectNode block = textBlock("");
        block.putObject("text");
        enqueue(converse(answer("end_turn", inputTokens, outputTokens, block)));
    }

    @Override
    public void enqueueMalformedAnswerHolding(String echoed) {
        ObjectNode block = textBlock("");
        block.putObject("text").put("echo", echoed);
        ObjectNode answer = answer("end_turn", 12, 4, block);
        byte[] notAnObject = JSON.getNodeFactory().textNode(echoed).toString().getBytes(StandardCharsets.UTF_8);
        Answer<Captured> stream = frames(List.of(frame(Map.of(":event-type", "messageStart", ":content-type",
                "application/json", ":message-type", "event"), notAnObject)));
        enqueue((exchange, request) -> (request.streaming() ? stream : json(200, answer.toString()))
                .respond(exchange, request));
    }

    /** The text's frames up to its block's end, then a contentBlockDelta whose text is an object. */
    @Override
    public void enqueueMalformedEventAfterText(String text, String echoed) {
        List<byte[]> frames = events(answer("end_turn", 12, 4, textBlock(text)));
        // without contentBlockStop, messageStop and metadata
        List<byte[]> cut = new ArrayList<>(frames.subList(0, frames.size() - 3));
        ObjectNode bad = JSON.createObjectNode();
        bad.putObject("text").put("echo", echoed);
        cut.add(delta(0, bad));
        enqueue(frames(cut));
    }

    @Override
    public void enqueueToolCalls(List<ToolCall> calls) {
        List<ObjectNode> blocks = new ArrayList<>();
        for (ToolCall call : calls) {
            blocks.add(toolUse(call.id().matches("[a-zA-Z0-9_-]+") ? call.id() : "tooluse_" + blocks.size(),
                    call.name(), call.argumentsJson()));
        }
        enqueue(converse(answer("tool_use", 20, 30, blocks.toArray(ObjectNode[]::new))));
    }

    /** Bedrock sends no retry hint with its throttling: the client backs off by itself. */
    @Override
    public void enqueueRateLimited(Duration retryAfter) {
        enqueue(error(429, "ThrottlingException", "Too many requests, please wait before trying again."));
    }

    @Override
    public void enqueueAuthError() {
        enqueue(error(403, "UnrecognizedClientException", "The security token included in the request is invalid."));
    }

    @Override
    public void enqueueServerError() {
        enqueue(error(500, "InternalServerException", "The server encountered an internal error."));
    }

    @Override
    public void enqueueDelayed(Duration delay, String text) {
        Answer<Captured> answer = converse(answer("end_turn", 1, 1, textBlock(text)));
        enqueue((exchange, request) -> {
            Thread.sleep(delay.toMillis());
            answer.respond(exchange, request);
        });
    }

    @Override
    public void enqueuePlainAnswer(String text) {
        enqueue(json(200, answer("end_turn", 1, 1, textBlock(text)).toString()));
    }

    /** The message's start and the text's first two deltas, then silence. */
    @Override
    public void enqueueTextThenSilence(String text) {
        enqueue(silentAfter(frames(events(answer("end_turn", 3, 2, textBlock(text))).subList(0, 3)),
                Duration.ofSeconds(20)));
    }

    // ---- building answers -----------------------------------------------------------------------------------

    static ObjectNode answer(String stopReason, int inputTokens, int outputTokens, ObjectNode... content) {
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode message = answer.putObject("output").putObject("message").put("role", "assistant");
        ArrayNode blocks = message.putArray("content");
        for (ObjectNode block : content) {
            blocks.add(block);
        }
        answer.put("stopReason", stopReason);
        answer.putObject("usage").put("inputTokens", inputTokens).put("outputTokens", outputTokens)
                .put("totalTokens", inputTokens + outputTokens);
        answer.putObject("metrics").put("latencyMs", 812);
        return answer;
    }

    static ObjectNode textBlock(String text) {
        return JSON.createObjectNode().put("text", text);
    }

    static ObjectNode toolUse(String id, String name, String inputJson) {
        ObjectNode block = JSON.createObjectNode();
        ObjectNode use = block.putObject("toolUse").put("toolUseId", id).put("name", name);
        try {
            use.set("input", JSON.readTree(inputJson));
        } catch (IOException e) {
            throw new IllegalArgumentException(inputJson, e);
        }
        return block;
    }

    static ObjectNode reasoning(String text, String signature) {
        ObjectNode block = JSON.createObjectNode();
        block.putObject("reasoningContent").putObject("reasoningText").put("text", text).put("signature", signature);
        return block;
    }

    /** The answer as a plain body to {@code /converse}, or as the event stream to {@code /converse-stream}. */
    Answer<Captured> converse(ObjectNode answer) {
        return (exchange, request) -> {
            if (request.streaming()) {
                frames(events(answer)).respond(exchange, request);
            } else {
                json(200, answer.toString()).respond(exchange, request);
            }
        };
    }

    /** A JSON body with {@code x-amzn-RequestId} and {@code extra} name/value header pairs. */
    Answer<Captured> json(int status, String body, String... extra) {
        return (exchange, request) -> {
            setHeaders(exchange, "Content-Type", "application/json", "x-amzn-RequestId", REQUEST_ID);
            setHeaders(exchange, extra);
            sendBody(exchange, status, body);
        };
    }

    /** Bedrock's rest-json error: {@code x-amzn-ErrorType} header and {@code {"message": ...}} body. */
    Answer<Captured> error(int status, String type, String message, String... extra) {
        String[] headers = new String[extra.length + 2];
        headers[0] = "x-amzn-ErrorType";
        headers[1] = type + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
        System.arraycopy(extra, 0, headers, 2, extra.length);
        return json(status, JSON.createObjectNode().put("message", message).toString(), headers);
    }

    /** Event-stream frames written one after the other, each in two flushed pieces; then the stream ends. */
    Answer<Captured> frames(List<byte[]> frames) {
        return frames(frames, Duration.ZERO);
    }

    Answer<Captured> frames(List<byte[]> frames, Duration pause) {
        return (exchange, request) -> {
            setHeaders(exchange, "Content-Type", BedrockProvider.EVENT_STREAM, "x-amzn-RequestId", REQUEST_ID);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (byte[] frame : frames) {
                int half = frame.length / 2;
                out.write(frame, 0, half);
                out.flush();
                out.write(frame, half, frame.length - half);
                out.flush();
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        };
    }

    /** The ConverseStream frames Bedrock sends for {@code answer}. */
    static List<byte[]> events(ObjectNode answer) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(event("messageStart", JSON.createObjectNode().put("role", "assistant")));
        int index = 0;
        for (JsonNode block : answer.path("output").path("message").path("content")) {
            if (block.has("toolUse")) {
                JsonNode use = block.get("toolUse");
                ObjectNode start = JSON.createObjectNode().put("contentBlockIndex", index);
                start.putObject("start").putObject("toolUse").put("toolUseId", use.get("toolUseId").asText())
                        .put("name", use.get("name").asText());
                frames.add(event("contentBlockStart", start));
                for (String piece : pieces(use.get("input").toString(), 7)) {
                    ObjectNode delta = JSON.createObjectNode();
                    delta.putObject("toolUse").put("input", piece);
                    frames.add(delta(index, delta));
                }
            } else if (block.has("reasoningContent")) {
                JsonNode reasoning = block.get("reasoningContent");
                if (reasoning.has("redactedContent")) {
                    ObjectNode delta = JSON.createObjectNode();
                    delta.putObject("reasoningContent").put("redactedContent", reasoning.get("redactedContent").asText());
                    frames.add(delta(index, delta));
                } else {
                    for (String piece : pieces(reasoning.path("reasoningText").path("text").asText(), 9)) {
                        ObjectNode delta = JSON.createObjectNode();
                        delta.putObject("reasoningContent").put("text", piece);
                        frames.add(delta(index, delta));
                    }
                    ObjectNode signature = JSON.createObjectNode();
                    signature.putObject("reasoningContent")
                            .put("signature", reasoning.path("reasoningText").path("signature").asText());
                    frames.add(delta(index, signature));
                }
            } else if (block.has("text")) {
                for (String piece : pieces(block.get("text").asText(), 5)) {
                    frames.add(delta(index, JSON.createObjectNode().put("text", piece)));
                }
            }
            frames.add(event("contentBlockStop", JSON.createObjectNode().put("contentBlockIndex", index)));
            index++;
        }
        frames.add(event("messageStop", JSON.createObjectNode().put("stopReason", answer.get("stopReason").asText())));
        ObjectNode metadata = JSON.createObjectNode();
        metadata.set("usage", answer.get("usage"));
        metadata.set("metrics", answer.get("metrics"));
        frames.add(event("metadata", metadata));
        return frames;
    }

    static byte[] delta(int index, ObjectNode delta) {
        ObjectNode payload = JSON.createObjectNode().put("contentBlockIndex", index);
        payload.set("delta", delta);
        return event("contentBlockDelta", payload);
    }

    /** An {@code event} frame with Bedrock's padding field {@code p}. */
    static byte[] event(String type, ObjectNode payload) {
        ObjectNode padded = payload.deepCopy();
        padded.put("p", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".substring(0, 5 + type.length()));
        return frame(Map.of(":event-type", type, ":content-type", "application/json", ":message-type", "event"),
                padded.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** An {@code exception} frame, as Bedrock sends a failure inside a started stream. */
    static byte[] exception(String type, String message) {
        return frame(Map.of(":exception-type", type, ":content-type", "application/json", ":message-type", "exception"),
                JSON.createObjectNode().put("message", message).toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One AWS event-stream message: total length, headers length, CRC32 of those 8 bytes, string headers (type 7),
     * the payload and the CRC32 of everything before it.
     */
    static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream encodedHeaders = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
            encodedHeaders.write(nameBytes.length);
            encodedHeaders.writeBytes(nameBytes);
            encodedHeaders.write(7);
            encodedHeaders.write(valueBytes.length >> 8);
            encodedHeaders.write(valueBytes.length & 0xff);
            encodedHeaders.writeBytes(valueBytes);
        });
        byte[] headerBytes = encodedHeaders.toByteArray();
        int total = 12 + headerBytes.length + payload.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.putInt(total).putInt(headerBytes.length);
        frame.putInt((int) crc(frame.array(), 8));
        frame.put(headerBytes).put(payload);
        frame.putInt((int) crc(frame.array(), total - 4));
        return frame.array();
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
