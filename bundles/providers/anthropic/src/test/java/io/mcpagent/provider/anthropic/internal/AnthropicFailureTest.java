package io.mcpagent.provider.anthropic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.testkit.RawHttpServer;
import io.mcpagent.provider.testkit.ContentBound;

/** Error bodies, retries, broken connections and streams, cancellation. */
@Timeout(30)
class AnthropicFailureTest {
    private final FakeAnthropic fake = new FakeAnthropic();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("claude-sonnet-4-5", null, List.of(Message.user("hello")));
    }

    private AnthropicProvider provider(int maxRetries) {
        return Configs.provider(fake.baseUri(), "sk-ant-secret-key", Map.of("maxRetries", maxRetries));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400|invalid_request_error|max_tokens: Field required|INVALID_REQUEST|false",
            "400|invalid_request_error|prompt is too long: 210000 tokens > 200000 maximum|CONTEXT_LENGTH|false",
            "401|authentication_error|invalid x-api-key|AUTH|false",
            "402|billing_error|Your credit balance is too low|QUOTA_EXHAUSTED|false",
            "403|permission_error|Your API key does not have permission to use the specified resource.|PERMISSION|false",
            "404|not_found_error|model: claude-nope|NOT_FOUND|false",
            "413|request_too_large|Request exceeds the maximum allowed number of bytes.|CONTEXT_LENGTH|false",
            "429|rate_limit_error|Number of request tokens has exceeded your per-minute rate limit|RATE_LIMITED|true",
            "500|api_error|Internal server error|SERVER|true",
            "504|timeout_error|Request timed out|TIMEOUT|true",
            "529|overloaded_error|Overloaded|OVERLOADED|true",
            "418|teapot_error|a type this adapter does not know|INVALID_REQUEST|false"})
    void errorBodiesMapToCategories(int status, String type, String message, Category category, boolean retryable) {
        fake.enqueue(fake.error(status, type, message));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        ProviderError error = failure.error();
        assertEquals(category, error.category());
        assertEquals(retryable, error.retryable());
        assertEquals(status, error.httpStatus());
        assertEquals(type, error.providerType());
        assertEquals("req_fake_error", error.requestId(), "the request-id header");
        assertTrue(error.message().contains(message), error.message());
        assertTrue(error.message().contains("claude-test"), "names the provider: " + error.message());
        assertTrue(error.rawBody().contains("\"type\":\"error\""), error.rawBody());
        assertEquals(1, fake.requests());
    }

    @Test
    void anOverloadedApiIsRetried() {
        fake.enqueue(fake.error(529, "overloaded_error", "Overloaded"));
        fake.enqueueText("fine now", 1, 1);
        assertEquals("fine now", provider(2).chat(hello()).message().text());
        assertEquals(2, fake.requests());
    }

    @Test
    void aRateLimitWaitsForRetryAfterSecondsAndThenSucceeds() {
        fake.enqueue(fake.error(429, "rate_limit_error", "rate limited", "retry-after", "1",
                "anthropic-ratelimit-requests-remaining", "0"));
        fake.enqueueText("after the wait", 1, 1);
        long start = System.nanoTime();
        ChatResponse response = provider(2).chat(hello());
        long waited = System.nanoTime() - start;
        assertEquals("after the wait", response.message().text());
        assertTrue(waited >= Duration.ofMillis(950).toNanos(), "waited " + waited / 1_000_000 + " ms for retry-after: 1");
        assertEquals(2, fake.requests());
    }

    @Test
    void theRetryAfterOfAnExhaustedRateLimitIsReported() {
        fake.enqueue(fake.error(429, "rate_limit_error", "rate limited", "retry-after", "7"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Duration.ofSeconds(7), failure.error().retryAfter());
    }

    @Test
    void xShouldRetryFalseIsObeyed() {
        fake.enqueue(fake.error(500, "api_error", "do not retry", "x-should-retry", "false"));
        fake.enqueueText("must not be reached", 1, 1);
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(2).chat(hello()));
        assertEquals(Category.SERVER, failure.error().category());
        assertFalse(failure.error().retryable());
        assertEquals(1, fake.requests());
    }

    @Test
    void theBodysRequestIdWhenTheHeaderIsMissing() {
        fake.enqueue((exchange, request) -> {
            byte[] body = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
        });
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals("req_011CSHoEeqs5C35K2UUqR7Fy", failure.error().requestId());
    }

    /**
     * Anthropic's error object in an HTTP 200 answer (a gateway's, an overloaded API's) was taken for a malformed
     * message ("no content array"), its overloaded_error lost (walkthrough).
     */
    @Test
    void anErrorObjectInA200AnswerIsThatError() {
        fake.enqueue(fake.json(200, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
                + "\"Overloaded\"}}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.OVERLOADED, failure.error().category());
        assertTrue(failure.getMessage().contains("provider 'claude-test': the answer (HTTP 200) is an error:"
                + " Overloaded"), failure.getMessage());
        assertEquals("overloaded_error", failure.error().providerType());
    }

    @Test
    void jsonThatIsNoMessageIsAClearServerError() {
        fake.enqueue(fake.json(200, "{\"id\":\"msg_1\",\"content\":\"nope\"}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("no content array"), failure.getMessage());
        assertEquals("req_fake_1", failure.error().requestId());
        fake.enqueue(fake.json(200, "{\"content\":[{\"type\":\"tool_use\",\"input\":{}}]}"));
        failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertTrue(failure.getMessage().contains("tool_use block without id"), failure.getMessage());
    }

    @Test
    void aMalformedAnswerCarriesTheUsageItReportsAsBilled() {
        fake.enqueue(fake.json(200, "{\"id\":\"msg_1\",\"content\":[{\"type\":\"tool_use\",\"input\":{}}],"
                + "\"usage\":{\"input_tokens\":100,\"output_tokens\":40,\"cache_read_input_tokens\":20,"
                + "\"cache_creation_input_tokens\":5}}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertTrue(failure.getMessage().contains("tool_use block without id"), failure.getMessage());
        assertEquals(125, failure.billed().inputTokens(), "the generation is billed though its answer is unusable");
        assertEquals(40, failure.billed().outputTokens());
        assertEquals(20, failure.billed().cachedReadTokens());
    }

    @Test
    void theKeyNeverAppearsInAnError() {
        fake.enqueue(fake.error(401, "authentication_error", "invalid x-api-key sk-ant-secret-key"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.AUTH, failure.error().category());
        assertFalse(failure.getMessage().contains("sk-ant-secret-key"), failure.getMessage());
        assertFalse(failure.error().rawBody().contains("sk-ant-secret-key"), failure.error().rawBody());
    }

    @Test
    void anErrorEventInsideTheStream() {
        List<String[]> events = List.of(
                new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"},
                new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"},
                new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}"},
                new String[] {"error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"});
        fake.enqueue(fake.events(events));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(2).stream(hello(), seen::add));
        assertEquals(Category.OVERLOADED, failure.error().category());
        assertTrue(failure.error().retryable());
        assertEquals("overloaded_error", failure.error().providerType());
        assertEquals("req_fake_1", failure.error().requestId());
        assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hel")));
        assertEquals(failure.error(), assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1)).error());
        assertEquals(1, seen.stream().filter(StreamEvent.StreamError.class::isInstance).count());
        assertEquals(1, fake.requests(), "a stream that started is never retried behind the caller's back");
    }

    @Test
    void aStreamThatEndsBeforeMessageStopIsANetworkError() {
        List<String[]> events = FakeAnthropic.events(FakeAnthropic.message("end_turn", 1, 2, FakeAnthropic.textBlock("Hello world")));
        fake.enqueue(fake.events(events.subList(0, 5)));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.getMessage().contains("before message_stop"), failure.getMessage());
        assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        assertTrue(seen.stream().noneMatch(StreamEvent.MessageEnd.class::isInstance));
    }

    @Test
    void aConnectionCutInsideTheStreamIsANetworkError() throws Exception {
        List<byte[]> chunks = FakeAnthropic.events(FakeAnthropic.message("end_turn", 1, 2, FakeAnthropic.textBlock("Hello world")))
                .subList(0, 4).stream()
                .map(event -> ("event: " + event[0] + "\ndata: " + event[1] + "\n\n").getBytes(StandardCharsets.UTF_8)).toList();
        try (RawHttpServer server = RawHttpServer.cuttingAChunkedAnswer(chunks, "content-type", "text/event-stream",
                "request-id", "req_cut")) {
            List<StreamEvent> seen = new CopyOnWriteArrayList<>();
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> Configs.provider(server.uri(), "k").stream(hello(), seen::add));
            assertEquals(Category.NETWORK, failure.error().category());
            assertEquals("req_cut", failure.error().requestId());
            assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hello")), seen.toString());
            assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        }
    }

    @Test
    void aMalformedStreamEventIsKeptAsAMalformedAnswerIs() {
        fake.enqueue(fake.events(List.<String[]>of(new String[] {"message_start", "{\"x\":\"" + "a".repeat(10_000)})));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { })).error();
        assertEquals(Category.SERVER, error.category());
        assertEquals(200, error.httpStatus());
        assertTrue(error.retryable());
        assertEquals(MalformedAnswers.MAX_RAW_CHARS, error.rawBody().length(), "cut as a plain answer's body is");
    }

    @Test
    void malformedStreamDataIsAClearServerError() {
        fake.enqueue(fake.events(List.<String[]>of(new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{"})));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("not JSON"), failure.getMessage());
        fake.enqueue(fake.events(List.<String[]>of(new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}"})));
        failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("never started"), failure.getMessage());
    }

    @Test
    void textThatIsNoStringIsAClearServerErrorNotAnEmptyAnswer() {
        fake.enqueue(fake.json(200, "{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":{\"a\":[1,2]}}],"
                + "\"stop_reason\":\"end_turn\"}"));
        ProviderException plain = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, plain.error().category());
        assertTrue(plain.getMessage().contains("a text block's text is a JSON object, not a string"),
                plain.getMessage());
        fake.enqueue(fake.json(200, "{\"id\":\"msg_1\",\"content\":[{\"type\":\"thinking\",\"thinking\":5}]}"));
        assertTrue(assertThrows(ProviderException.class, () -> provider(0).chat(hello())).getMessage()
                .contains("a thinking block's thinking is a JSON number, not a string"));

        List<String[]> events = new ArrayList<>(FakeAnthropic.events(
                FakeAnthropic.message("end_turn", 1, 2, FakeAnthropic.textBlock("Hello world"))).subList(0, 2));
        events.add(new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":[\"Hel\"]}}"});
        fake.enqueue(fake.events(events));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException streamed = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertEquals(Category.SERVER, streamed.error().category());
        assertTrue(streamed.getMessage().contains("a text_delta's text is a JSON array, not a string"),
                streamed.getMessage());
        assertEquals(new StreamEvent.StreamError(streamed.error()), seen.get(seen.size() - 1));
    }

    @Test
    void blocksWithoutContentPastTheContentBoundAreAnAnswerTooLarge() {
        // each block kept counts 1 Ki characters: before, three streams of empty blocks (64 MiB each) held ~800 MB
        var first = fake.events(FakeAnthropic.events(FakeAnthropic.message("end_turn", 1, 2,
                FakeAnthropic.textBlock("Hello"))).subList(0, 4));
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 1; i <= 16 * 1024 + 1; i++) {
                exchange.getResponseBody().write(("event: content_block_start\ndata: {\"type\": \"content_block_start\","
                        + " \"index\": " + i + ", \"content_block\": {\"type\": \"text\", \"text\": \"\"}}\n\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        });
        ContentBound.assertAnswerTooLarge(() -> Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { }));
    }

    @Test
    void citationsKeptPastTheContentBoundAreAnAnswerTooLarge() {
        // 17 Mi characters of cited text, kept for the block, handed on to no one: before, they did not count
        var first = fake.events(FakeAnthropic.events(FakeAnthropic.message("end_turn", 1, 2,
                FakeAnthropic.textBlock("Hello"))).subList(0, 4));
        byte[] citation = ("event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0,"
                + " \"delta\": {\"type\": \"citations_delta\", \"citation\": {\"type\": \"char_location\","
                + " \"cited_text\": \"" + ContentBound.piece('c') + "\"}}}\n\n").getBytes(StandardCharsets.UTF_8);
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 0; i < ContentBound.PIECES; i++) {
                exchange.getResponseBody().write(citation);
            }
        });
        ContentBound.assertAnswerTooLarge(() -> Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { }));
    }

    @Test
    void aStreamAtTheContentBoundHoldsItsTextOnce() {
        // 17 Mi characters of text, a byte each in a Java string: one copy is about 17 to 34 MB with a StringBuilder's
        // spare room; before, a StreamAssembler nobody read kept a second one (44 MB held)
        var first = fake.events(FakeAnthropic.events(FakeAnthropic.message("end_turn", 1, 2,
                FakeAnthropic.textBlock("Hello"))).subList(0, 4));
        byte[] text = ("event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\":"
                + " {\"type\": \"text_delta\", \"text\": \"" + ContentBound.piece('x') + "\"}}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 0; i < ContentBound.PIECES; i++) {
                exchange.getResponseBody().write(text);
            }
        });
        long held = ContentBound.heldAtTheBound(handler -> Configs.provider(fake.baseUri(), "k").stream(hello(), handler));
        assertTrue(held < 2 * ContentBound.MAX_CONTENT_CHARS, "bytes held at the bound: " + held);
    }

    @Test
    void signaturesKeptPastTheContentBoundAreAnAnswerTooLarge() {
        // 17 MiB of signature deltas: kept for the block, handed on to no one
        var first = fake.events(FakeAnthropic.events(FakeAnthropic.message("end_turn", 1, 2,
                FakeAnthropic.textBlock("Hello"))).subList(0, 4));
        byte[] signature = ("event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\":"
                + " {\"type\": \"signature_delta\", \"signature\": \"" + ContentBound.piece('s') + "\"}}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        fake.enqueue((exchange, request) -> {
            first.respond(exchange, request);
            for (int i = 0; i < ContentBound.PIECES; i++) {
                exchange.getResponseBody().write(signature);
            }
        });
        ContentBound.assertAnswerTooLarge(() -> Configs.provider(fake.baseUri(), "k").stream(hello(), e -> { }));
    }

    @Test
    void aStreamOfPingsWithoutContentEndsAfterTheRequestTimeout() {
        // pings are real events, yet bring nothing: before, they kept the stream open until the caller gave up
        var first = fake.events(FakeAnthropic.events(FakeAnthropic.message("end_turn", 1, 2,
                FakeAnthropic.textBlock("Hello"))).subList(0, 4));
        byte[] empty = "event: ping\ndata: {\"type\": \"ping\"}\n\n".getBytes(StandardCharsets.UTF_8);
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

    @Test
    void aWrappedStructuredAnswerKeptBackUntilItsEndStillCountsAsContent() {
        // a non-object answer travels wrapped in a forced tool's input and reaches the caller unwrapped at the end:
        // its fragments must keep the stream alive though no event is handed on before then
        List<String[]> events = new ArrayList<>();
        events.add(new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}"});
        events.add(new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"names\",\"input\":{}}}"});
        for (String fragment : List.of("{\\\"value\\\": [", "\\\"a\\\", ", "\\\"b\\\", ", "\\\"c\\\", ",
                "\\\"d\\\", ", "\\\"e\\\", ", "\\\"f\\\"", "]}")) {
            events.add(new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + fragment + "\"}}"});
        }
        events.add(new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"});
        events.add(new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"tool_use\"},\"usage\":{\"output_tokens\":9}}"});
        events.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        fake.enqueue(fake.events(events, Duration.ofMillis(300))); // 3.3 s in all, 0.6 s before the first fragment
        ChatRequest names = new ChatRequest(null, List.of(), List.of(Message.user("list")), List.of(), null, null,
                new ResponseFormat.JsonSchema("names", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", false),
                null, null, Map.of());

        ChatResponse answer = Configs.provider(fake.baseUri(), "k", Map.of("structuredOutput", "tool",
                "requestTimeoutMs", 1000L)).stream(names, e -> { });

        assertEquals("[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]", answer.message().text());
    }
}
