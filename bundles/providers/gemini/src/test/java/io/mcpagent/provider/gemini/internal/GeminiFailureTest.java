package io.mcpagent.provider.gemini.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

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
import io.mcpagent.provider.support.RetryHeaders;
import io.mcpagent.provider.testkit.RawHttpServer;
import io.mcpagent.provider.testkit.ContentBound;

/** google.rpc.Status errors, retry hints and quotas, broken connections and streams, cancellation. */
@Timeout(30)
class GeminiFailureTest {
    private final FakeGemini fake = new FakeGemini();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("gemini-2.5-flash", null, List.of(Message.user("hello")));
    }

    private GeminiProvider provider(int maxRetries) {
        return Configs.provider(fake.baseUri(), "AIzaSy-secret-key", Map.of("maxRetries", maxRetries));
    }

    private static List<String> chunks(String text) {
        return FakeGemini.chunks(FakeGemini.response("STOP", FakeGemini.usage(1, 2, 0), FakeGemini.textPart(text)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400|INVALID_ARGUMENT|* GenerateContentRequest.contents: contents is not specified|INVALID_REQUEST|false",
            "400|INVALID_ARGUMENT|The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).|CONTEXT_LENGTH|false",
            "400|FAILED_PRECONDITION|User location is not supported for the API use.|INVALID_REQUEST|false",
            "401|UNAUTHENTICATED|Request had invalid authentication credentials.|AUTH|false",
            "403|PERMISSION_DENIED|Method doesn't allow unregistered callers. Please use API Key.|PERMISSION|false",
            "404|NOT_FOUND|models/gemini-9 is not found for API version v1beta|NOT_FOUND|false",
            "429|RESOURCE_EXHAUSTED|Resource has been exhausted (e.g. check quota).|RATE_LIMITED|true",
            "500|INTERNAL|An internal error has occurred.|SERVER|true",
            "503|UNAVAILABLE|The model is overloaded. Please try again later.|OVERLOADED|true",
            "504|DEADLINE_EXCEEDED|Deadline expired before operation could complete.|TIMEOUT|true",
            "418|SOME_NEW_STATUS|a status this adapter does not know|INVALID_REQUEST|false"})
    void statusBodiesMapToCategories(int status, String canonical, String message, Category category, boolean retryable) {
        fake.enqueue(fake.error(status, canonical, message));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(0).chat(hello())).error();
        assertEquals(category, error.category());
        assertEquals(retryable, error.retryable());
        assertEquals(status, error.httpStatus());
        assertEquals(canonical, error.providerType());
        assertTrue(error.message().contains(message), error.message());
        assertTrue(error.message().contains("gemini-test"), "names the provider: " + error.message());
        assertTrue(error.rawBody().contains("\"status\":\"" + canonical + "\""), error.rawBody());
        assertEquals(1, fake.requests());
    }

    @Test
    void anInvalidKeyIsAnAuthenticationErrorThoughGoogleSaysInvalidArgument() {
        fake.enqueueAuthError();
        ProviderError error = assertThrows(ProviderException.class, () -> provider(2).chat(hello())).error();
        assertEquals(Category.AUTH, error.category());
        assertEquals("INVALID_ARGUMENT", error.providerType());
        assertEquals("API_KEY_INVALID", error.providerCode());
        assertTrue(error.message().contains("check the API key"), error.message());
        assertEquals(1, fake.requests(), "not retried");
    }

    @Test
    void retryInfoRetryDelayIsTheRetryHint() {
        fake.enqueue(fake.rateLimited("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "1.2s"));
        fake.enqueueText("after the wait", 1, 1);
        long start = System.nanoTime();
        ChatResponse response = provider(2).chat(hello());
        long waited = System.nanoTime() - start;
        assertEquals("after the wait", response.message().text());
        assertTrue(waited >= Duration.ofMillis(1150).toNanos(), "waited " + waited / 1_000_000 + " ms for retryDelay 1.2s");
        assertEquals(2, fake.requests());
    }

    @Test
    void anExhaustedPerMinuteQuotaReportsItsDelayAndQuota() {
        fake.enqueue(fake.rateLimited("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "37s"));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(0).chat(hello())).error();
        assertEquals(Category.RATE_LIMITED, error.category());
        assertTrue(error.retryable());
        assertEquals(Duration.ofSeconds(37), error.retryAfter());
        assertEquals("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", error.providerCode());
    }

    @Test
    void aRetryAfterHeaderWinsOverRetryInfo() {
        fake.enqueue(fake.rateLimited("GenerateRequestsPerMinutePerProjectPerModel", "30s", "retry-after", "2"));
        assertEquals(Duration.ofSeconds(2), assertThrows(ProviderException.class, () -> provider(0).chat(hello())).error().retryAfter());
    }

    @Test
    @Timeout(10)
    void aRetryDelayOfAHugeExponentIsADayAndDoesNotHoldTheThread() {
        fake.enqueue(fake.rateLimited("GenerateRequestsPerMinutePerProjectPerModel", "1e99999999s"));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(2).chat(hello())).error();
        assertEquals(Category.RATE_LIMITED, error.category());
        assertEquals(RetryHeaders.LONGEST_HINT, error.retryAfter());
        assertEquals(1, fake.requests(), "a wait beyond the policy's is not retried here");
    }

    @Test
    void anExhaustedDailyQuotaIsNotRetried() {
        fake.enqueue(fake.rateLimited("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "20s"));
        fake.enqueueText("must not be reached", 1, 1);
        ProviderError error = assertThrows(ProviderException.class, () -> provider(2).chat(hello())).error();
        assertEquals(Category.QUOTA_EXHAUSTED, error.category());
        assertFalse(error.retryable(), "waiting seconds cannot bring back a daily quota");
        assertEquals("GenerateRequestsPerDayPerProjectPerModel-FreeTier", error.providerCode());
        assertTrue(error.message().contains("daily quota"), error.message());
        assertEquals(1, fake.requests());
    }

    @Test
    void aQuotaOfZeroIsNotRetried() {
        String body = "{\"error\":{\"code\":429,\"message\":\"Quota exceeded for metric: generate_content_free_tier_input_token_count, limit: 0\","
                + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\","
                + "\"violations\":[{\"quotaId\":\"GenerateContentInputTokensPerModelPerMinute-FreeTier\",\"quotaValue\":\"0\"}]},"
                + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"5s\"}]}}";
        fake.enqueue(fake.json(429, body));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(2).chat(hello())).error();
        assertEquals(Category.QUOTA_EXHAUSTED, error.category());
        assertFalse(error.retryable());
        assertTrue(error.message().contains("is 0 for this model"), error.message());
        assertEquals(1, fake.requests());
    }

    @Test
    void anErrorWrappedInAnArrayIsRead() {
        fake.enqueue(fake.json(503, "[{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}]"));
        fake.enqueueText("fine now", 1, 1);
        assertEquals("fine now", provider(1).chat(hello()).message().text());
        assertEquals(2, fake.requests(), "overloaded is retried");
    }

    @Test
    void aMissingThoughtSignatureSaysWhatToKeep() {
        fake.enqueue(fake.error(400, "INVALID_ARGUMENT", "Function call is missing a thought_signature in functionCall parts."));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("providerMeta"), failure.getMessage());
    }

    /**
     * Google's error object in an HTTP 200 answer (a gateway's) was taken for an answer without candidates, its status
     * lost (walkthrough).
     */
    @Test
    void anErrorObjectInA200AnswerIsThatError() {
        fake.enqueue(fake.json(200, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\","
                + "\"status\":\"UNAVAILABLE\"}}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(503, failure.error().httpStatus());
        assertTrue(failure.error().retryable());
        assertTrue(failure.getMessage().contains("the answer (HTTP 200) is an error: The model is overloaded."),
                failure.getMessage());
    }

    @Test
    void malformedAnswersAreClearServerErrors() {
        fake.enqueue(fake.json(200, "{\"usageMetadata\":{\"promptTokenCount\":1}}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("no candidates"), failure.getMessage());
        fake.enqueue(fake.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"args\":{}}}]}}]}"));
        failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertTrue(failure.getMessage().contains("functionCall part without a name"), failure.getMessage());
    }

    @Test
    void theKeyNeverAppearsInAnError() {
        fake.enqueue(fake.error(400, "INVALID_ARGUMENT", "API key AIzaSy-secret-key is not valid"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertFalse(failure.getMessage().contains("AIzaSy-secret-key"), failure.getMessage());
        assertFalse(failure.error().rawBody().contains("AIzaSy-secret-key"), failure.error().rawBody());
    }

    @Test
    void anErrorInsideTheStream() {
        List<String> chunks = List.of(chunks("Hello world").get(0),
                "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}");
        fake.enqueue(fake.events(chunks));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(2).stream(hello(), seen::add));
        assertEquals(Category.OVERLOADED, failure.error().category());
        assertTrue(failure.error().retryable());
        assertEquals("UNAVAILABLE", failure.error().providerType());
        assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hello")), seen.toString());
        assertEquals(failure.error(), assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1)).error());
        assertEquals(1, seen.stream().filter(StreamEvent.StreamError.class::isInstance).count());
        assertEquals(1, fake.requests(), "a stream that started is never retried behind the caller's back");
    }

    @Test
    void chunksAfterTheFinishReasonDoNotChangeTheAnswer() {
        List<String> chunks = new ArrayList<>(chunks("Hello world"));
        chunks.add("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"MORE\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"MAX_TOKENS\"}]}");
        fake.enqueue(fake.events(chunks));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ChatResponse answer = provider(0).stream(hello(), seen::add);
        assertEquals("Hello world", answer.message().text());
        assertEquals("STOP", answer.rawStopReason());
        assertTrue(seen.stream().noneMatch(e -> e instanceof StreamEvent.TextDelta delta && delta.text().contains("MORE")),
                seen.toString());
    }

    @Test
    void aStreamThatEndsBeforeAFinishReasonWasCutOff() {
        List<String> chunks = chunks("Hello world");
        fake.enqueue(fake.events(chunks.subList(0, chunks.size() - 1)));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.error().retryable());
        assertTrue(failure.getMessage().contains("cut off"), failure.getMessage());
        assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        assertTrue(seen.stream().noneMatch(StreamEvent.MessageEnd.class::isInstance));
        fake.enqueue(fake.events(List.of()));
        failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertTrue(failure.getMessage().contains("before its first chunk"), failure.getMessage());
    }

    @Test
    void aConnectionCutInsideTheStreamIsANetworkError() throws Exception {
        List<byte[]> events = chunks("Hello world").subList(0, 2).stream()
                .map(chunk -> ("data: " + chunk + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)).toList();
        try (RawHttpServer server = RawHttpServer.cuttingAChunkedAnswer(events, "content-type", "text/event-stream")) {
            List<StreamEvent> seen = new CopyOnWriteArrayList<>();
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> Configs.provider(server.uri(), "k").stream(hello(), seen::add));
            assertEquals(Category.NETWORK, failure.error().category());
            assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hello")), seen.toString());
            assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        }
    }

    @Test
    void aMalformedStreamChunkIsKeptAsAMalformedAnswerIs() {
        fake.enqueue(fake.events(List.of("{\"x\":\"" + "a".repeat(10_000))));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { })).error();
        assertEquals(Category.SERVER, error.category());
        assertEquals(200, error.httpStatus());
        assertTrue(error.retryable());
        assertEquals(MalformedAnswers.MAX_RAW_CHARS, error.rawBody().length(), "cut as a plain answer's body is");
    }

    @Test
    void malformedStreamChunksAreClearServerErrors() {
        fake.enqueue(fake.events(List.of("{\"candidates\":[")));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("not JSON"), failure.getMessage());
        fake.enqueue(fake.events(List.of("[1,2]")));
        failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertTrue(failure.getMessage().contains("not a JSON object"), failure.getMessage());
    }

    @Test
    void textThatIsNoStringIsAClearServerErrorNotAnEmptyAnswer() {
        fake.enqueue(fake.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":{\"a\":[1,2]}}]},"
                + "\"finishReason\":\"STOP\"}]}"));
        ProviderException plain = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, plain.error().category());
        assertTrue(plain.getMessage().contains("a part's text is a JSON object, not a string"), plain.getMessage());
        fake.enqueue(fake.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"thought\":true,\"text\":7}]}}]}"));
        assertTrue(assertThrows(ProviderException.class, () -> provider(0).chat(hello())).getMessage()
                .contains("a thought part's text is a JSON number, not a string"));

        List<String> chunks = new ArrayList<>(chunks("Hello world").subList(0, 1));
        chunks.add("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":[\"lo\"]}]}}]}");
        fake.enqueue(fake.events(chunks));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException streamed = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertEquals(Category.SERVER, streamed.error().category());
        assertTrue(streamed.getMessage().contains("a streamed part's text is a JSON array, not a string"),
                streamed.getMessage());
        assertEquals(new StreamEvent.StreamError(streamed.error()), seen.get(seen.size() - 1));
    }

    @Test
    void partsKeptAsReceivedPastTheContentBoundAreAnAnswerTooLarge() {
        // 17 MiB of thought signatures in parts without text: kept as received though handed on to no one
        var first = fake.events(chunks("Hello world").subList(0, 1));
        byte[] signature = ("data: {\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"thoughtSignature\": \""
                + ContentBound.piece('s') + "\"}]}}]}\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 0; i < ContentBound.PIECES; i++) {
                exchange.getResponseBody().write(signature);
            }
        });
        ContentBound.assertAnswerTooLarge(() -> Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { }));
    }

    @Test
    void manyPartsHoldingNothingPassTheContentBoundBeforeTheyFillTheHeap() {
        // 21,845 empty parts an event, each a parsed node of about 90 bytes: before, 272 such events counted only their
        // 17 Mi characters of JSON and held about 520 MB at the bound; each part now counts 128 characters more
        var first = fake.events(chunks("Hello world").subList(0, 1));
        byte[] empty = ("data: {\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": ["
                + "{},".repeat(ContentBound.PIECE_CHARS / 3) + "{}]}}]}\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 0; i < ContentBound.PIECES; i++) {
                exchange.getResponseBody().write(empty);
            }
        });
        long held = ContentBound.heldAtTheBound(handler -> Configs.provider(fake.baseUri(), "k").stream(hello(), handler));
        assertTrue(held < 2 * ContentBound.MAX_CONTENT_CHARS, "bytes held at the bound: " + held);
    }

    @Test
    void aStreamOfChunksWithoutCandidatesEndsAfterTheRequestTimeout() {
        // chunks without candidates are real events, yet bring nothing: before, they kept the stream open until the
        // caller gave up
        var first = fake.events(chunks("Hello world").subList(0, 1));
        byte[] empty = "data: {\"candidates\": []}\r\n\r\n".getBytes(StandardCharsets.UTF_8);
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
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), "k",
                Map.of("requestTimeoutMs", 400L)).stream(hello(), seen::add));
        assertEquals(Category.TIMEOUT, failure.error().category(), failure.toString());
        assertTrue(failure.error().retryable());
        assertTrue(failure.error().message().endsWith("the stream sent no content for 400 ms, only keep-alive comments"
                + " or events without content"), failure.error().message());
        assertTrue(seen.stream().anyMatch(StreamEvent.TextDelta.class::isInstance), "the content came first: " + seen);
        assertFalse(serverDone.get(), "ended while the server still sent events without content");
    }

    /** A usage-only chunk, as Gemini sends while the model thinks without streaming its thoughts. */
    private static byte[] usageOnly(int thoughts) {
        return ("data: {\"usageMetadata\": " + FakeGemini.usage(5, 1, thoughts) + "}\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void usageWhoseOutputGrowsKeepsAStreamAliveBeyondTheRequestTimeout() {
        // thinking for a long time: only usageMetadata comes, thoughtsTokenCount growing, for longer than the limit
        var first = fake.events(chunks("Hello world").subList(0, 1));
        List<String> rest = chunks("Hello world").subList(1, 3);
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 1; i <= 30; i++) { // one every 50 ms for 1.5 s
                exchange.getResponseBody().write(usageOnly(100 * i));
                exchange.getResponseBody().flush();
                Thread.sleep(50);
            }
            for (String chunk : rest) {
                exchange.getResponseBody().write(("data: " + chunk + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        ChatResponse answer = Configs.provider(fake.baseUri(), "k", Map.of("requestTimeoutMs", 400L))
                .stream(hello(), e -> { });
        assertEquals("Hello world", answer.message().text());
    }

    @Test
    void usageRepeatingItsCountsIsNoSignOfLife() {
        var first = fake.events(chunks("Hello world").subList(0, 1));
        AtomicBoolean serverDone = new AtomicBoolean(); // set once it sent every usage chunk
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 0; i < 400; i++) { // one every 50 ms for 20 s, unless the client goes
                exchange.getResponseBody().write(usageOnly(100));
                exchange.getResponseBody().flush();
                Thread.sleep(50);
            }
            serverDone.set(true);
        });
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(), "k",
                Map.of("requestTimeoutMs", 400L)).stream(hello(), e -> { }));
        assertEquals(Category.TIMEOUT, failure.error().category(), failure.toString());
        assertFalse(serverDone.get(), "ended while the server still repeated its usage");
    }

    @Test
    void protobufDurations() {
        assertEquals(Duration.ofMillis(12_770), GeminiErrors.duration("12.770s"));
        assertEquals(Duration.ofSeconds(37), GeminiErrors.duration("37s"));
        assertEquals(Duration.ofMillis(300), GeminiErrors.duration("0.3s"));
        assertNull(GeminiErrors.duration("37"));
        assertNull(GeminiErrors.duration("-1s"));
        assertNull(GeminiErrors.duration("soon"));
        assertEquals(RetryHeaders.LONGEST_HINT, GeminiErrors.duration("1e30s"), "not the low 64 bits of 1e33 ms");
        assertEquals(Duration.ZERO, GeminiErrors.duration("1e-99999999s"));
    }
}
