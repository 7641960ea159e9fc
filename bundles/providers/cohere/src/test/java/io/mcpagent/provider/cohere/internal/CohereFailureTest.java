package io.mcpagent.provider.cohere.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.testkit.RawHttpServer;
import io.mcpagent.provider.testkit.ContentBound;

/** Error bodies, retries, broken connections and streams, cancellation. */
@Timeout(30)
class CohereFailureTest {
    private final FakeCohere fake = new FakeCohere();

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ChatRequest hello() {
        return ChatRequest.of("command-a-03-2025", null, List.of(Message.user("hello")));
    }

    private CohereProvider provider(int maxRetries) {
        return Configs.provider(fake.baseUri(), "co-secret-key-123", Map.of("maxRetries", maxRetries));
    }

    private static List<String[]> helloEvents() {
        return FakeCohere.events(FakeCohere.response("COMPLETE", 1, 2, FakeCohere.textBlock("Hello world")));
    }

    /** The first events of an answer, then {@link ContentBound#PIECES} content deltas of 64 Ki characters. */
    private static List<String[]> pastTheContentBound() {
        List<String[]> events = new ArrayList<>(helloEvents().subList(0, 3));
        ObjectNode delta = FakeCohere.event("content-delta").put("index", 0);
        delta.putObject("delta").putObject("message").putObject("content").put("text", ContentBound.piece('x'));
        events.addAll(Collections.nCopies(ContentBound.PIECES, FakeCohere.frame(delta)));
        return events;
    }

    @Test
    void moreTextThanTheClientKeepsIsAnAnswerTooLarge() {
        // 17 Mi characters of text in events of 64 Ki: each event, and the stream in all, within their bounds in bytes
        fake.enqueue(fake.events(pastTheContentBound()));
        ContentBound.assertAnswerTooLarge(() -> provider(0).stream(hello(), e -> { }));
    }

    @Test
    void citationsKeptPastTheContentBoundAreAnAnswerTooLarge() {
        // 21,845 empty citations an event, kept for the answer: before, they did not count at all, and 272 such events
        // (17 MiB) held about 520 MB until the stream ended
        List<String[]> events = new ArrayList<>(helloEvents().subList(0, 1));
        String citations = "{\"type\":\"citation-start\",\"index\":0,\"delta\":{\"message\":{\"citations\":["
                + "{},".repeat(ContentBound.PIECE_CHARS / 3) + "{}]}}}";
        events.addAll(Collections.nCopies(ContentBound.PIECES, new String[] {"citation-start", citations}));
        fake.enqueue(fake.events(events));
        long held = ContentBound.heldAtTheBound(handler -> provider(0).stream(hello(), handler));
        assertTrue(held < 2 * ContentBound.MAX_CONTENT_CHARS, "bytes held at the bound: " + held);
    }

    @Test
    void aWrappedAnswerLongerThanTheClientKeepsIsAnAnswerTooLarge() {
        // kept back until its wrapper object is complete: it counts all the same
        ChatRequest wrapped = new ChatRequest("command-a-03-2025", List.of(), List.of(Message.user("list")), List.of(),
                null, null, new ResponseFormat.JsonSchema("names", "{\"type\":\"array\"}", false), null, null,
                Map.of());
        fake.enqueue(fake.events(pastTheContentBound()));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ContentBound.assertAnswerTooLarge(() -> provider(0).stream(wrapped, seen::add));
        assertTrue(seen.stream().noneMatch(StreamEvent.TextDelta.class::isInstance), "nothing handed on: " + seen.size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400|invalid request: message must be at least 1 token long or tool results must be specified.|INVALID_REQUEST|false",
            "400|too many tokens: total number of tokens in the prompt cannot exceed 256000|CONTEXT_LENGTH|false",
            "401|invalid api token|AUTH|false",
            "403|You do not have access to this model|PERMISSION|false",
            "404|model 'command-z' not found, make sure the correct model ID was used|NOT_FOUND|false",
            "422|invalid request: thinking.token_budget must be positive|INVALID_REQUEST|false",
            "429|You are using a Trial key, which is limited to 20 API calls / minute.|RATE_LIMITED|true",
            "429|You are using a Trial key, which is limited to 1000 API calls / month.|QUOTA_EXHAUSTED|false",
            "498|blocked output: please adjust your prompt and try again|CONTENT_FILTERED|false",
            "499|request cancelled by the user|CANCELLED|false",
            "500|internal server error, this has been reported to our developers|SERVER|true",
            "501|the requested feature is not implemented for this model|INVALID_REQUEST|false",
            "503|service unavailable: too many users|OVERLOADED|true",
            "504|gateway timeout|TIMEOUT|true"})
    void errorBodiesMapToCategories(int status, String message, Category category, boolean retryable) {
        fake.enqueue(fake.error(status, message));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        ProviderError error = failure.error();
        assertEquals(category, error.category());
        assertEquals(retryable, error.retryable());
        assertEquals(status, error.httpStatus());
        assertEquals("err-" + status + "-7d3a", error.requestId(), "the body's id names the request");
        assertTrue(error.message().contains(message), error.message());
        assertTrue(error.message().contains("cohere-test"), "names the provider: " + error.message());
        assertEquals("{\"id\":\"err-" + status + "-7d3a\",\"message\":\"" + message + "\"}", error.rawBody());
        assertEquals(1, fake.requests());
    }

    @Test
    void retryableErrorsAreRetriedUntilAnAnswerComes() {
        fake.enqueue(fake.error(503, "service unavailable"));
        fake.enqueue(fake.error(504, "gateway timeout"));
        fake.enqueueText("fine now", 1, 1);
        assertEquals("fine now", provider(2).chat(hello()).message().text());
        assertEquals(3, fake.requests());
    }

    @Test
    void aRateLimitWaitsForRetryAfterAndThenSucceeds() {
        fake.enqueue(fake.error(429, "rate limited", "retry-after", "1"));
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
        fake.enqueue(fake.error(429, "rate limited", "retry-after", "7"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Duration.ofSeconds(7), failure.error().retryAfter());
    }

    @Test
    void aMonthlyLimitIsNotRetried() {
        fake.enqueue(fake.error(429, "You are using a Trial key, which is limited to 1000 API calls / month."));
        fake.enqueueText("must not be reached", 1, 1);
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(2).chat(hello()));
        assertEquals(Category.QUOTA_EXHAUSTED, failure.error().category());
        assertTrue(failure.getMessage().contains("monthly limit"), failure.getMessage());
        assertEquals(1, fake.requests());
    }

    @Test
    void jsonThatIsNoChatResponseIsAClearServerError() {
        fake.enqueue(fake.json(200, "{\"id\":\"c14c\",\"text\":\"a v1 answer\"}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("no message object"), failure.getMessage());
        fake.enqueue(fake.json(200, "{\"message\":{\"tool_calls\":[{\"type\":\"function\",\"function\":{\"arguments\":\"{}\"}}]}}"));
        failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertTrue(failure.getMessage().contains("tool call without id"), failure.getMessage());
    }

    @Test
    void theKeyNeverAppearsInAnError() {
        fake.enqueue(fake.error(401, "invalid api token co-secret-key-123"));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.AUTH, failure.error().category());
        assertFalse(failure.getMessage().contains("co-secret-key-123"), failure.getMessage());
        assertFalse(failure.error().rawBody().contains("co-secret-key-123"), failure.error().rawBody());
    }

    @Test
    void aConnectionCutInsideTheStreamIsANetworkError() throws Exception {
        List<byte[]> chunks = helloEvents().subList(0, 4).stream()
                .map(event -> ("event: " + event[0] + "\ndata: " + event[1] + "\n\n").getBytes(StandardCharsets.UTF_8)).toList();
        try (RawHttpServer server = RawHttpServer.cuttingAChunkedAnswer(chunks, "content-type", "text/event-stream")) {
            List<StreamEvent> seen = new CopyOnWriteArrayList<>();
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> Configs.provider(server.uri(), "k").stream(hello(), seen::add));
            assertEquals(Category.NETWORK, failure.error().category());
            assertEquals("c14c80c3-18eb-4519-9460-6c92edd8cfb4", failure.error().requestId(), "the message id names the call");
            assertTrue(seen.contains(new StreamEvent.TextDelta(0, "Hell")), seen.toString());
            assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
            assertEquals(1, seen.stream().filter(StreamEvent.StreamError.class::isInstance).count());
        }
    }

    @Test
    void aStreamThatEndsBeforeMessageEndIsANetworkError() {
        fake.enqueue(fake.events(helloEvents().subList(0, 5)));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(2).stream(hello(), seen::add));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.getMessage().contains("before message-end"), failure.getMessage());
        assertInstanceOf(StreamEvent.StreamError.class, seen.get(seen.size() - 1));
        assertTrue(seen.stream().noneMatch(StreamEvent.MessageEnd.class::isInstance));
        assertEquals(1, fake.requests(), "a stream that started is never retried behind the caller's back");
    }

    @Test
    void aMalformedStreamEventIsKeptAsAMalformedAnswerIs() {
        fake.enqueue(fake.events(List.<String[]>of(new String[] {"message-start", "{\"x\":\"" + "a".repeat(10_000)})));
        ProviderError error = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { })).error();
        assertEquals(Category.SERVER, error.category());
        assertEquals(200, error.httpStatus());
        assertTrue(error.retryable());
        assertEquals(MalformedAnswers.MAX_RAW_CHARS, error.rawBody().length(), "cut as a plain answer's body is");
    }

    @Test
    void malformedStreamDataIsAClearServerError() {
        fake.enqueue(fake.events(List.<String[]>of(new String[] {"message-start", "{\"type\":\"message-start\",\"id\":"})));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertEquals(Category.SERVER, failure.error().category());
        assertTrue(failure.getMessage().contains("not JSON"), failure.getMessage());
        fake.enqueue(fake.events(List.<String[]>of(new String[] {"content-delta",
                "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"x\"}}}}"})));
        failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertTrue(failure.getMessage().contains("never started"), failure.getMessage());
        fake.enqueue(fake.events(List.<String[]>of(
                new String[] {"message-start", "{\"type\":\"message-start\",\"id\":\"m\"}"},
                new String[] {"tool-call-start", "{\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"type\":\"function\"}}}}"})));
        failure = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), e -> { }));
        assertTrue(failure.getMessage().contains("without id or function name"), failure.getMessage());
    }

    @Test
    void textThatIsNoStringIsAClearServerErrorNotAnEmptyAnswer() {
        fake.enqueue(fake.json(200, "{\"id\":\"c14c\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"text\",\"text\":{\"a\":[1,2]}}]},\"finish_reason\":\"COMPLETE\"}"));
        ProviderException plain = assertThrows(ProviderException.class, () -> provider(0).chat(hello()));
        assertEquals(Category.SERVER, plain.error().category());
        assertTrue(plain.getMessage().contains("a text block's text is a JSON object, not a string"),
                plain.getMessage());

        List<String[]> events = new ArrayList<>(helloEvents().subList(0, 2));
        ObjectNode delta = FakeCohere.event("content-delta").put("index", 0);
        delta.putObject("delta").putObject("message").putObject("content").putArray("text").add("Hel");
        events.add(FakeCohere.frame(delta));
        fake.enqueue(fake.events(events));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException streamed = assertThrows(ProviderException.class, () -> provider(0).stream(hello(), seen::add));
        assertEquals(Category.SERVER, streamed.error().category());
        assertTrue(streamed.getMessage().contains("a content-delta's delta.message.content.text is a JSON array, not a"
                + " string"), streamed.getMessage());
        assertEquals(new StreamEvent.StreamError(streamed.error()), seen.get(seen.size() - 1));
    }

    @Test
    void aStreamOfDebugEventsWithoutContentEndsAfterTheRequestTimeout() {
        // debug events are real events, yet bring nothing: before, they kept the stream open until the caller gave up
        var first = fake.events(helloEvents().subList(0, 3));
        byte[] empty = "event: debug\ndata: {\"type\":\"debug\"}\n\n".getBytes(StandardCharsets.UTF_8);
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
        // a non-object answer travels wrapped in {"value": ...} and reaches the caller unwrapped at its end: its
        // pieces must keep the stream alive though no event is handed on before then
        List<String[]> events = FakeCohere.events(FakeCohere.response("COMPLETE", 3, 4,
                FakeCohere.textBlock("{\"value\": [\"a\", \"b\", \"c\"]}")));
        fake.enqueue((exchange, request) -> {
            exchange.getResponseHeaders().set("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            for (String[] event : events) { // a piece of four characters every 200 ms, 2 s and more in all
                exchange.getResponseBody().write(("event: " + event[0] + "\ndata: " + event[1] + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                Thread.sleep(200);
            }
        });
        ChatRequest names = new ChatRequest(null, List.of(), List.of(Message.user("list")), List.of(), null, null,
                new ResponseFormat.JsonSchema("names", "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", false),
                null, null, Map.of());

        ChatResponse answer = Configs.provider(fake.baseUri(), "k", Map.of("requestTimeoutMs", 800L))
                .stream(names, e -> { });

        assertEquals("[\"a\",\"b\",\"c\"]", answer.message().text());
    }
}
