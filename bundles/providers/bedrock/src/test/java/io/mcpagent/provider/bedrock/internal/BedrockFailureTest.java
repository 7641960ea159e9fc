package io.mcpagent.provider.bedrock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.testkit.RawHttpServer;
import io.mcpagent.provider.testkit.ContentBound;

/** Error bodies and types, retries, broken connections and streams, exception frames, cancellation. */
@Timeout(30)
class BedrockFailureTest {
    private final FakeBedrock fake = new FakeBedrock();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("amazon.nova-lite-v1:0", null, List.of(Message.user("hello")));
    }

    private BedrockProvider provider(int maxRetries) {
        return Configs.provider(fake.baseUri(), Configs.SECRET, Map.of("maxRetries", maxRetries));
    }

    private static List<byte[]> helloFrames() {
        return FakeBedrock.events(FakeBedrock.answer("end_turn", 3, 2, FakeBedrock.textBlock("Hello world")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400|ValidationException|Malformed input request: #: extraneous key [foo] is not permitted|INVALID_REQUEST|false",
            "400|ValidationException|Input is too long for requested model.|CONTEXT_LENGTH|false",
            "403|AccessDeniedException|You don't have access to the model with the specified model ID.|PERMISSION|false",
            "403|UnrecognizedClientException|The security token included in the request is invalid.|AUTH|false",
            "403|InvalidSignatureException|The request signature we calculated does not match the signature you provided.|AUTH|false",
            "403|ExpiredTokenException|The security token included in the request is expired|AUTH|false",
            "404|ResourceNotFoundException|Model not found.|NOT_FOUND|false",
            "408|ModelTimeoutException|Model has timed out in processing the request.|TIMEOUT|true",
            "424|ModelErrorException|The model returned an error.|SERVER|true",
            "429|ThrottlingException|Too many requests, please wait before trying again.|RATE_LIMITED|true",
            "429|ModelNotReadyException|Model is not ready to serve inference requests.|RATE_LIMITED|true",
            "400|ServiceQuotaExceededException|Your request exceeds the service quota for your account.|QUOTA_EXHAUSTED|false",
            "500|InternalServerException|The server encountered an internal error.|SERVER|true",
            "503|ServiceUnavailableException|Bedrock is unable to process your request.|OVERLOADED|true",
            "418|TeapotException|a type this adapter does not know|INVALID_REQUEST|false"})
    void errorTypesMapToCategories(int status, String type, String message, Category category, boolean retryable) {
        fake.enqueue(fake.error(status, type, message));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        ProviderError error = failure.error();
        assertEquals(category, error.category());
        assertEquals(retryable, error.retryable());
        assertEquals(status, error.httpStatus());
        assertEquals(type, error.providerType(), "from x-amzn-ErrorType, without its namespace suffix");
        assertEquals(FakeBedrock.REQUEST_ID, error.requestId(), "the x-amzn-RequestId header");
        assertTrue(error.message().contains(message), error.message());
        assertTrue(error.message().contains("bedrock-test"), "names the provider: " + error.message());
        assertNull(error.retryAfter(), "Bedrock sends no retry hint");
        assertEquals(1, fake.requests());
    }

    @Test
    void theTypeComesFromTheBodyWhenTheHeaderIsMissing() {
        fake.enqueue(fake.json(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"Message\":\"bad field\"}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertEquals("ValidationException", failure.error().providerType());
        assertTrue(failure.getMessage().contains("bad field"), failure.getMessage());
    }

    @Test
    void throttlingAndAModelNotReadyAreRetriedWithBackoff() {
        fake.enqueue(fake.error(429, "ThrottlingException", "Too many requests"));
        fake.enqueue(fake.error(429, "ModelNotReadyException", "Model is not ready"));
        fake.enqueueText("fine now", 1, 1);
        long start = System.nanoTime();
        assertEquals("fine now", provider(2).chat(hello()).message().text());
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, fake.requests());
        assertTrue(waitedMs >= 250 + 500, "backoff of at least 250 ms then 500 ms (half of 500 and 1000 ms): " + waitedMs);
    }

    @Test
    void aRetryAfterIsHonouredShouldAProxyAddOne() {
        fake.enqueue(fake.error(429, "ThrottlingException", "slow down", "retry-after", "1"));
        fake.enqueueText("after the wait", 1, 1);
        long start = System.nanoTime();
        assertEquals("after the wait", provider(1).chat(hello()).message().text());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(950).toNanos());
    }

    @Test
    void whenRetriesAreSpentTheLastErrorIsReported() {
        fake.enqueue(fake.error(503, "ServiceUnavailableException", "busy"));
        fake.enqueue(fake.error(503, "ServiceUnavailableException", "still busy"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(1).chat(hello()));
        assertEquals(Category.OVERLOADED, failure.error().category());
        assertTrue(failure.getMessage().contains("still busy"), failure.getMessage());
        assertEquals(2, fake.requests());
    }

    @Test
    void malformedAnswersAreClearServerErrors() {
        fake.enqueue(fake.json(200, "{\"output\":{\"message\":{\"role\":\"assistant\"}},\"stopReason\":\"end_turn\"}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, failure.error().category());
        assertEquals(FakeBedrock.REQUEST_ID, failure.error().requestId());
        assertTrue(failure.getMessage().contains("no output.message.content array"), failure.getMessage());

        fake.enqueue(fake.json(200, "{\"output\":{\"message\":{\"content\":[{\"toolUse\":{\"input\":{}}}]}}}"));
        failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertTrue(failure.getMessage().contains("toolUse block without toolUseId"), failure.getMessage());
    }

    @Test
    void noCredentialEverAppearsInAnError() {
        fake.enqueue(fake.error(403, "UnrecognizedClientException", "invalid token FwoGZXIvYXdzSESSION echoed"));
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(),
                Map.of("AWS_ACCESS_KEY_ID", Configs.ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", Configs.SECRET,
                        "AWS_SESSION_TOKEN", "FwoGZXIvYXdzSESSION"), Map.of()).chat(hello()));
        assertFalse(failure.getMessage().contains("FwoGZXIvYXdzSESSION"), failure.getMessage());
        assertFalse(failure.error().rawBody().contains("FwoGZXIvYXdzSESSION"), failure.error().rawBody());

        fake.enqueue(fake.error(403, "AccessDeniedException", "key ABSKbearerkey123 has no access"));
        failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(),
                Map.of("AWS_BEARER_TOKEN_BEDROCK", "ABSKbearerkey123"), Map.of("auth", "bearer")).chat(hello()));
        assertFalse(failure.getMessage().contains("ABSKbearerkey123"), failure.getMessage());
        assertFalse(failure.error().rawBody().contains("ABSKbearerkey123"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "throttlingException|Too many tokens, please wait.|RATE_LIMITED|true",
            "modelStreamErrorException|The model stream failed.|SERVER|true",
            "validationException|Input is too long for requested model.|CONTEXT_LENGTH|false",
            "internalServerException|Internal error.|SERVER|true",
            "serviceUnavailableException|Service unavailable.|OVERLOADED|true"})
    void anExceptionFrameInsideTheStream(String type, String message, Category category, boolean retryable) {
        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 2));
        frames.add(FakeBedrock.exception(type, message));
        fake.enqueue(fake.frames(frames));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(2).stream(hello(), seen::add));
        assertEquals(category, failure.error().category());
        assertEquals(retryable, failure.error().retryable());
        assertEquals(Character.toUpperCase(type.charAt(0)) + type.substring(1), failure.error().providerType());
        assertEquals(FakeBedrock.REQUEST_ID, failure.error().requestId());
        assertTrue(failure.getMessage().contains(message), failure.getMessage());
        assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hello")), seen.toString());
        assertEquals(failure.error(), assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1)).error());
        assertEquals(1, seen.stream().filter(StreamEvent.StreamError.class::isInstance).count());
        assertEquals(1, fake.requests(), "a stream that started is never retried behind the caller's back");
    }

    @Test
    void anErrorFrameInsideTheStream() {
        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 2));
        frames.add(FakeBedrock.frame(Map.of(":message-type", "error", ":error-code", "InternalFailure",
                ":error-message", "An internal error occurred"), new byte[0]));
        fake.enqueue(fake.frames(frames));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertEquals(Category.SERVER, failure.error().category());
        assertEquals("InternalFailure", failure.error().providerCode());
        assertTrue(failure.getMessage().contains("An internal error occurred"), failure.getMessage());
    }

    @Test
    void aStreamCutOffInsideAFrameIsANetworkError() {
        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 3));
        byte[] next = helloFrames().get(3);
        frames.add(Arrays.copyOf(next, next.length - 7));
        fake.enqueue(fake.frames(frames));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(2).stream(hello(), seen::add));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.getMessage().contains("cut off inside a message"), failure.getMessage());
        assertEquals(FakeBedrock.REQUEST_ID, failure.error().requestId());
        assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hello")), seen.toString());
        assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        assertTrue(seen.stream().noneMatch(StreamEvent.MessageEnd.class::isInstance));
        assertEquals(1, fake.requests());
    }

    @Test
    void aStreamThatEndsBeforeMessageStopIsANetworkError() {
        fake.enqueue(fake.frames(helloFrames().subList(0, 4)));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.getMessage().contains("before messageStop"), failure.getMessage());
        assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
    }

    @Test
    void aFrameWithABadChecksumEndsTheStream() {
        List<byte[]> frames = new ArrayList<>(helloFrames());
        byte[] corrupt = frames.get(2).clone();
        corrupt[corrupt.length - 10] ^= 0x20;
        frames.set(2, corrupt);
        fake.enqueue(fake.frames(frames));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertTrue(failure.getMessage().contains("checksum"), failure.getMessage());
        assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hello")), seen.toString());
        assertFalse(seen.contains(new StreamEvent.TextDelta(0, " worl")), "the corrupt delta never surfaced: " + seen);
    }

    @Test
    void aConnectionResetInsideAFrame() {
        List<byte[]> chunks = new ArrayList<>(helloFrames().subList(0, 3));
        chunks.add(Arrays.copyOf(helloFrames().get(3), 9));
        try (RawHttpServer server = RawHttpServer.cuttingAChunkedAnswer(chunks,
                "Content-Type", BedrockProvider.EVENT_STREAM, "x-amzn-RequestId", "req-cut")) {
            List<StreamEvent> seen = new CopyOnWriteArrayList<>();
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> Configs.provider(server.uri()).stream(hello(), seen::add));
            assertEquals(Category.NETWORK, failure.error().category());
            assertEquals("req-cut", failure.error().requestId());
            assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hello")), seen.toString());
            assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        }
    }

    @Test
    void aMalformedStreamEventIsKeptAsAMalformedAnswerIs() {
        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 1));
        frames.add(FakeBedrock.frame(Map.of(":event-type", "contentBlockDelta", ":message-type", "event"),
                ("{\"x\":\"" + "a".repeat(10_000)).getBytes(StandardCharsets.UTF_8)));
        fake.enqueue(fake.frames(frames));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { })).error();
        assertEquals(Category.SERVER, error.category());
        assertEquals(200, error.httpStatus());
        assertTrue(error.retryable());
        assertEquals(MalformedAnswers.MAX_RAW_CHARS, error.rawBody().length(), "cut as a plain answer's body is");
    }

    @Test
    void malformedStreamEventsAreClearServerErrors() {
        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 1));
        frames.add(FakeBedrock.frame(Map.of(":event-type", "contentBlockDelta", ":message-type", "event"),
                "{\"contentBlockIndex\":0,\"delta\":{\"te".getBytes(StandardCharsets.UTF_8)));
        fake.enqueue(fake.frames(frames));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertEquals(Category.SERVER, failure.error().category());
        assertEquals("provider 'bedrock-test': a stream event 'contentBlockDelta' is not JSON (Unexpected end-of-input"
                + " in field name)", failure.error().message(),
                "the parser's reason, as every family words an event that is not JSON");

        fake.enqueue(fake.frames(List.of(FakeBedrock.delta(0, FakeBedrock.JSON.createObjectNode().put("text", "x")))));
        failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertTrue(failure.getMessage().contains("before messageStart"), failure.getMessage());
    }

    @Test
    void textThatIsNoStringIsAClearServerErrorNotAnEmptyAnswer() {
        ObjectNode answer = FakeBedrock.answer("end_turn", 1, 1, FakeBedrock.textBlock("x"));
        ((ObjectNode) answer.path("output").path("message").path("content").get(0)).putObject("text").put("a", 1);
        fake.enqueue(fake.json(200, answer.toString()));
        ProviderException plain = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, plain.error().category());
        assertTrue(plain.getMessage().contains("a content block's text is a JSON object, not a string"),
                plain.getMessage());

        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 2));
        ObjectNode delta = FakeBedrock.JSON.createObjectNode();
        delta.putArray("text").add("lo");
        frames.add(FakeBedrock.delta(0, delta));
        fake.enqueue(fake.frames(frames));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException streamed = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertEquals(Category.SERVER, streamed.error().category());
        assertTrue(streamed.getMessage().contains("a contentBlockDelta's text is a JSON array, not a string"),
                streamed.getMessage());
        assertEquals(new StreamEvent.StreamError(streamed.error()), seen.get(seen.size() - 1));
    }

    @Test
    void moreTextThanTheClientKeepsIsAnAnswerTooLarge() {
        // 17 Mi characters of text in events of 64 Ki: each event, and the stream in all, within their bounds in bytes
        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 2));
        frames.addAll(Collections.nCopies(ContentBound.PIECES,
                FakeBedrock.delta(0, FakeBedrock.JSON.createObjectNode().put("text", ContentBound.piece('x')))));
        fake.enqueue(fake.frames(frames));
        ContentBound.assertAnswerTooLarge(() -> provider(0).stream(hello(), e -> { }));
    }

    @Test
    void signaturesKeptPastTheContentBoundAreAnAnswerTooLarge() {
        // kept for the reasoning block, handed on to no one
        ObjectNode signature = FakeBedrock.JSON.createObjectNode();
        signature.putObject("reasoningContent").put("signature", ContentBound.piece('s'));
        List<byte[]> frames = new ArrayList<>(helloFrames().subList(0, 1));
        frames.addAll(Collections.nCopies(ContentBound.PIECES, FakeBedrock.delta(0, signature)));
        fake.enqueue(fake.frames(frames));
        ContentBound.assertAnswerTooLarge(() -> provider(0).stream(hello(), e -> { }));
    }

    @Test
    void aStreamOfEmptyDeltasEndsAfterTheRequestTimeout() {
        // deltas of no text are real events, yet bring nothing: before, they kept the stream open until the caller gave up
        var first = fake.frames(helloFrames().subList(0, 2));
        byte[] empty = FakeBedrock.event("contentBlockDelta", FakeBedrock.JSON.createObjectNode().put("contentBlockIndex", 0)
                .set("delta", FakeBedrock.JSON.createObjectNode().put("text", "")));
        AtomicBoolean serverDone = new AtomicBoolean(); // set once it sent every empty event
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 0; i < 400; i++) { // one every 50 ms for 20 s, unless the client goes
                exchange.getResponseBody().write(empty);
                exchange.getResponseBody().flush();
                Thread.sleep(50);
            }
            serverDone.set(true);
        });
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), Configs.SECRET,
                Map.of("requestTimeoutMs", 400L)).stream(hello(), seen::add));
        assertEquals(Category.TIMEOUT, failure.error().category(), failure.toString());
        assertTrue(failure.error().retryable());
        assertTrue(failure.error().message().endsWith("the stream sent no content for 400 ms, only keep-alive comments"
                + " or events without content"), failure.error().message());
        assertTrue(seen.stream().anyMatch(StreamEvent.TextDelta.class::isInstance), "the content came first: " + seen);
        assertFalse(serverDone.get(), "ended while the server still sent events without content");
    }

    @Test
    void aStreamedAnswerSurvivesFramesSplitAcrossReads() {
        fake.enqueue(fake.frames(helloFrames(), Duration.ofMillis(5)));
        ChatResponse response = provider(0).stream(hello(), e -> { });
        assertEquals("Hello world", response.message().text());
        assertEquals(5, response.usage().totalTokens());
    }
}
