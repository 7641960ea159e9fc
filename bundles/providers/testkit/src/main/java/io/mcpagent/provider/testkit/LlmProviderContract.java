package io.mcpagent.provider.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * The behaviour every {@link LlmProvider} owes the platform, whatever its vendor. A provider's test extends this
 * class, supplies its {@link WireFake} and a way to build the provider against it, and inherits the tests.
 */
@Timeout(60)
public abstract class LlmProviderContract {
    private WireFake fake;

    /** A started fake of the vendor's server. */
    protected abstract WireFake createFake();

    /**
     * The provider under test pointed at {@code baseUri}; {@code apiKey} null means no key configured;
     * {@code maxRetries} retries of retryable failures.
     */
    protected abstract LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries);

    /**
     * The provider under test as {@link #createProvider(URI, String, int)} builds it, with {@code requestTimeout} as
     * its request timeout (since 1.11). A test class that does not override it has the tests asking for it skipped.
     */
    protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries, Duration requestTimeout) {
        Assumptions.abort(getClass().getName() + " does not implement createProvider with a request timeout (test kit"
                + " 1.11): the tests of timeouts are skipped");
        return null;
    }

    /** A model id the provider accepts. */
    protected abstract String model();

    /** False for providers that need no key (local servers): the missing-key test is skipped then. */
    protected boolean requiresApiKey() {
        return true;
    }

    @BeforeEach
    void startFake() {
        fake = createFake();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    private LlmProvider provider() {
        return createProvider(fake.baseUri(), "test-key", 2);
    }

    private ChatRequest hello() {
        return ChatRequest.of(model(), "Be brief.", List.of(Message.user("Say hello")));
    }

    private ChatRequest withTools() {
        ToolSpec weather = new ToolSpec("get_weather", "Weather for a city",
                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}", false);
        return new ChatRequest(model(), List.of(), List.of(Message.user("Weather in Paris and Rome?")), List.of(weather),
                null, null, null, null, null, Map.of());
    }

    private static String text(ChatResponse response) {
        StringBuilder text = new StringBuilder();
        response.message().parts().stream().filter(TextPart.class::isInstance).forEach(p -> text.append(((TextPart) p).text()));
        return text.toString();
    }

    @Test
    public void answersWithTextUsageAndAStopReason() {
        fake.enqueueText("Hello there!", 12, 4);
        ChatResponse response = provider().chat(hello());
        assertEquals("Hello there!", text(response));
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertNotNull(response.rawStopReason(), "the raw stop reason travels beside the normalised one");
        assertEquals(12, response.usage().inputTokens());
        assertEquals(4, response.usage().outputTokens());
    }

    @Test
    public void returnsSeveralToolCallsInOneTurn() {
        fake.enqueueToolCalls(List.of(new WireFake.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new WireFake.ToolCall("call_2", "get_weather", "{\"city\":\"Rome\"}")));
        ChatResponse response = provider().chat(withTools());
        List<ToolCallPart> calls = response.message().parts().stream().filter(ToolCallPart.class::isInstance)
                .map(ToolCallPart.class::cast).toList();
        assertEquals(2, calls.size(), response.toString());
        assertEquals("get_weather", calls.get(0).name());
        assertTrue(calls.get(0).argumentsJson().replace(" ", "").contains("\"city\":\"Paris\""), calls.get(0).argumentsJson());
        assertTrue(calls.get(1).argumentsJson().replace(" ", "").contains("\"city\":\"Rome\""), calls.get(1).argumentsJson());
        assertEquals(StopReason.TOOL_CALLS, response.stopReason());
    }

    @Test
    public void streamsIncrementallyAndAssemblesTheSameAnswer() {
        fake.enqueueText("Hello there, streaming world!", 7, 6);
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        ChatResponse response = provider().stream(hello(), events::add);
        assertEquals("Hello there, streaming world!", text(response));
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .forEach(e -> deltas.append(((StreamEvent.TextDelta) e).text()));
        assertEquals("Hello there, streaming world!", deltas.toString(), "the deltas add up to the answer");
        assertTrue(events.stream().anyMatch(StreamEvent.MessageEnd.class::isInstance), "a MessageEnd: " + events);
        assertEquals(6, response.usage().outputTokens());
    }

    @Test
    public void streamsToolCallArguments() {
        fake.enqueueToolCalls(List.of(new WireFake.ToolCall("call_9", "get_weather", "{\"city\":\"Oslo\"}")));
        List<StreamEvent> events = new ArrayList<>();
        ChatResponse response = provider().stream(withTools(), events::add);
        ToolCallPart call = response.message().parts().stream().filter(ToolCallPart.class::isInstance)
                .map(ToolCallPart.class::cast).findFirst().orElseThrow(() -> new AssertionError(response.toString()));
        assertEquals("get_weather", call.name());
        assertTrue(call.argumentsJson().replace(" ", "").contains("\"city\":\"Oslo\""), call.argumentsJson());
        assertTrue(events.stream().anyMatch(StreamEvent.ToolCallStart.class::isInstance), events.toString());
    }

    /**
     * A stream that breaks off after it reported usage hands that usage on before it fails: the router bills a failed
     * stream the usage it reported last, as the vendor bills it (since 1.6).
     */
    @Test
    public void aStreamBrokenOffAfterItsUsageHandsTheUsageOnBeforeItFails() {
        assumeTrue(fake.enqueueStreamCutAfterUsage(12, 4), () -> fake.getClass().getName()
                + " queues no stream broken off after its usage (WireFake.enqueueStreamCutAfterUsage answered false:"
                + " the vendor's stream reports usage only in its final event, or the fake does not implement it)");
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        assertThrows(ProviderException.class,
                () -> createProvider(fake.baseUri(), "test-key", 0).stream(hello(), events::add));
        Usage last = events.stream().filter(StreamEvent.UsageUpdate.class::isInstance)
                .map(event -> ((StreamEvent.UsageUpdate) event).usage()).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no usage reached the handler: " + events));
        assertEquals(12, last.inputTokens(), last.toString());
        assertEquals(4, last.outputTokens(), last.toString());
    }

    @Test
    public void retriesARateLimitAfterTheAnnouncedWait() {
        fake.enqueueRateLimited(Duration.ofMillis(300));
        fake.enqueueText("after the wait", 1, 1);
        long start = System.nanoTime();
        ChatResponse response = provider().chat(hello());
        assertEquals("after the wait", text(response));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos(), "retry-after was honoured");
        assertEquals(2, fake.requests());
    }

    /**
     * Whether the vendor's rate-limit answer says how long to wait ({@code Retry-After}, a retry delay in the body);
     * false for one that does not (Bedrock's {@code ThrottlingException}), whose rate limits are retried after the
     * retry policy's short backoff (since 1.4).
     */
    protected boolean rateLimitSaysHowLongToWait() {
        return true;
    }

    @Test
    public void aRateLimitWaitLongerThanTheRequestAcceptsFailsAtOnceForTheCallerToGoElsewhere() {
        fake.enqueueRateLimited(Duration.ofSeconds(5));
        fake.enqueueText("after a short backoff", 1, 1);
        ChatRequest request = hello().withMaxRetryWait(Duration.ofSeconds(1));
        if (!rateLimitSaysHowLongToWait()) {
            assertEquals("after a short backoff", text(provider().chat(request)), "a backoff within 1 s is taken");
            assertEquals(2, fake.requests());
            return;
        }
        ProviderException failure = assertThrows(ProviderException.class, () -> provider().chat(request));
        assertEquals(ProviderError.Category.RATE_LIMITED, failure.error().category());
        assertTrue(failure.error().retryable());
        assertEquals(Duration.ofSeconds(5), failure.error().retryAfter());
        assertEquals(1, fake.requests(), "the 5 s were not waited out: the caller has somewhere else to go");
    }

    @Test
    public void aStreamedCallWaitsNoLongerThanTheRequestAcceptsEither() {
        fake.enqueueRateLimited(Duration.ofSeconds(5));
        fake.enqueueText("after a short backoff", 1, 1);
        ChatRequest request = hello().withMaxRetryWait(Duration.ofSeconds(1));
        if (!rateLimitSaysHowLongToWait()) {
            assertEquals("after a short backoff", text(provider().stream(request, event -> { })));
            assertEquals(2, fake.requests());
            return;
        }
        ProviderException failure = assertThrows(ProviderException.class, () -> provider().stream(request, event -> { }));
        assertEquals(ProviderError.Category.RATE_LIMITED, failure.error().category());
        assertEquals(1, fake.requests());
    }

    @Test
    public void retriesAServerError() {
        fake.enqueueServerError();
        fake.enqueueText("recovered", 1, 1);
        assertEquals("recovered", text(provider().chat(hello())));
    }

    /**
     * A success answer the provider cannot use is the vendor's fault and retryable, as {@code MalformedAnswers} of the
     * support bundle words it: the same request gets a fresh generation. It is not retried in place, since each try is
     * billed, and the failure carries what the answer billed (since 1.6).
     */
    @Test
    public void aMalformedAnswerIsARetryableServerErrorCarryingWhatItBilled() {
        fake.enqueueMalformedAnswer(12, 4);
        fake.enqueueText("must not be reached", 1, 1);
        ProviderException failure = assertThrows(ProviderException.class, () -> provider().chat(hello()));
        assertEquals(ProviderError.Category.SERVER, failure.error().category(), failure.getMessage());
        assertEquals(200, failure.error().httpStatus());
        assertTrue(failure.error().retryable(), failure.getMessage());
        assertEquals(12, failure.billed().inputTokens(), failure.billed().toString());
        assertEquals(4, failure.billed().outputTokens(), failure.billed().toString());
        assertEquals(1, fake.requests(), "not retried in place");
    }

    /**
     * A malformed answer's body, plain or streamed, is kept in the error with the key masked, as an error answer's is:
     * a gateway may echo the request, key and all, and errors reach logs and user interfaces (since 1.8).
     */
    @Test
    public void aMalformedAnswerKeepsItsBodyWithoutTheKey() {
        assumeTrue(requiresApiKey(), "a provider that needs no key may be built without the key given: no key to mask");
        for (boolean streamed : new boolean[] {false, true}) {
            fake.enqueueMalformedAnswerHolding("echoed by a gateway: test-key");
            ProviderException failure = assertThrows(ProviderException.class, () -> call(provider(), hello(), streamed));
            String raw = failure.error().rawBody();
            String said = (streamed ? "streamed: " : "plain: ") + raw;
            assertEquals(ProviderError.Category.SERVER, failure.error().category(), failure.getMessage());
            assertNotNull(raw, said);
            assertTrue(raw.contains("echoed by a gateway: ****"), said);
            assertFalse(raw.contains("test-key"), said);
            assertFalse(failure.getMessage().contains("test-key"), failure.getMessage());
        }
    }

    /**
     * A stream event the provider cannot use after content has streamed fails the call as a malformed first event
     * does: SERVER, status 200, retryable, not retried in place, the event kept with the key masked; the content that
     * streamed reached the handler first, and a {@code StreamError} with the failure's error is its last event, so a
     * caller showing the text as it came hears why it stopped (since 1.9).
     */
    @Test
    public void aMalformedEventAfterStreamedContentIsARetryableServerErrorWithoutTheKey() {
        fake.enqueueMalformedEventAfterText("Hello there", "echoed by a gateway: test-key");
        fake.enqueueText("must not be reached", 1, 1);
        List<StreamEvent> events = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider().stream(hello(), events::add));
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(StreamEvent.TextDelta.class::isInstance)
                .forEach(e -> deltas.append(((StreamEvent.TextDelta) e).text()));
        assertEquals("Hello there", deltas.toString(), "the content before the bad event reached the handler: " + events);
        assertEquals(ProviderError.Category.SERVER, failure.error().category(), failure.getMessage());
        assertEquals(200, failure.error().httpStatus(), failure.getMessage());
        assertTrue(failure.error().retryable(), failure.getMessage());
        assertEquals(1, fake.requests(), "not retried in place");
        assertFalse(events.isEmpty());
        StreamEvent last = events.get(events.size() - 1);
        assertTrue(last instanceof StreamEvent.StreamError error && error.error().equals(failure.error()),
                "the handler's last event is the failure: " + last);
        if (requiresApiKey()) {
            String raw = failure.error().rawBody();
            assertNotNull(raw, failure.getMessage());
            assertTrue(raw.contains("echoed by a gateway: ****"), raw);
            assertFalse(raw.contains("test-key"), raw);
            assertFalse(failure.getMessage().contains("test-key"), failure.getMessage());
        }
    }

    @Test
    public void doesNotRetryAnAuthenticationError() {
        fake.enqueueAuthError();
        fake.enqueueText("must not be reached", 1, 1);
        ProviderException failure = assertThrows(ProviderException.class, () -> provider().chat(hello()));
        assertEquals(ProviderError.Category.AUTH, failure.error().category());
        assertFalse(failure.error().retryable());
        assertEquals(1, fake.requests());
        assertFalse(failure.getMessage().contains("test-key"), "the key never appears in errors");
    }

    @Test
    public void aRefusedKeyLeavesItDegradedUntilACallSucceeds() {
        LlmProvider provider = provider();
        fake.enqueueAuthError();
        assertThrows(ProviderException.class, () -> provider.chat(hello()));
        PluginHealth refused = provider.health();
        assertEquals(PluginHealth.Status.DEGRADED, refused.status(), refused.message());
        assertFalse(refused.message().contains("test-key"), "the key never appears in the health");
        fake.enqueueText("Hello", 1, 1);
        provider.chat(hello());
        assertEquals(PluginHealth.Status.UP, provider.health().status());
    }

    /**
     * A provider pointed at an address where no server listens (a local server not started, a wrong port) cannot
     * know it before a call; after one, its health says so until a call succeeds (since 1.5).
     */
    @Test
    public void aServerNotReachedLeavesItDegradedNamingTheFailure() throws IOException {
        URI nobodyListens;
        try (ServerSocket closedAtOnce = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobodyListens = URI.create("http://127.0.0.1:" + closedAtOnce.getLocalPort());
        }
        for (boolean streamed : new boolean[] {false, true}) {
            LlmProvider provider = createProvider(nobodyListens, "test-key", 0);
            assertEquals(PluginHealth.Status.UP, provider.health().status(), "no call yet: nothing known");
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> call(provider, hello(), streamed));
            assertEquals(ProviderError.Category.NETWORK, failure.error().category(), failure.getMessage());
            PluginHealth away = provider.health();
            assertEquals(PluginHealth.Status.DEGRADED, away.status(), (streamed ? "streamed: " : "") + away.message());
            assertTrue(away.message().contains("cannot connect"), away.message());
        }
    }

    private static ChatResponse call(LlmProvider provider, ChatRequest request, boolean streamed) {
        return streamed ? provider.stream(request, event -> { }) : provider.chat(request);
    }

    @Test
    public void givesUpWithARetryableErrorWhenRetriesAreSpent() {
        fake.enqueueRateLimited(Duration.ofMillis(10));
        fake.enqueueRateLimited(Duration.ofMillis(10));
        ProviderException failure = assertThrows(ProviderException.class,
                () -> createProvider(fake.baseUri(), "test-key", 1).chat(hello()));
        assertEquals(ProviderError.Category.RATE_LIMITED, failure.error().category());
        assertTrue(failure.error().retryable());
    }

    @Test
    public void retriesAConnectionResetAsANetworkError() {
        try (RawHttpServer server = RawHttpServer.resettingEveryConnection()) {
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> createProvider(server.uri(), "test-key", 1).chat(hello()));
            assertEquals(ProviderError.Category.NETWORK, failure.error().category());
            assertTrue(failure.error().retryable());
            assertEquals(2, server.connections(), "one retry");
        }
    }

    /**
     * A base URL that names a web server rather than the vendor's API (a page answered 200, {@code text/html}) is a
     * configuration mistake the same request meets again: SERVER, not retryable, naming {@code baseUrl}, asked once,
     * the page kept with the key masked (for a provider that needs one); unlike a malformed JSON answer, which a fresh
     * generation may mend (since 1.9). The same for a streamed call, and after either the provider's health is
     * DEGRADED naming {@code baseUrl}, as after a refused key, not UP as if the call had succeeded (since 1.10).
     */
    @Test
    public void aWebPageAnsweringInsteadOfTheApiIsAConfigurationErrorNamingBaseUrl() {
        for (boolean streamed : new boolean[] {false, true}) {
            String call = streamed ? "streamed: " : "plain: ";
            try (RawHttpServer web = RawHttpServer.answeringEveryRequest(200,
                    "<html><body>Welcome to nginx! test-key</body></html>", "content-type", "text/html; charset=utf-8")) {
                LlmProvider provider = createProvider(web.uri(), "test-key", 2);
                ProviderException failure = assertThrows(ProviderException.class,
                        () -> call(provider, hello(), streamed));
                assertEquals(ProviderError.Category.SERVER, failure.error().category(), call + failure.getMessage());
                assertFalse(failure.error().retryable(), call + failure.getMessage());
                assertTrue(failure.getMessage().contains("baseUrl"), call + failure.getMessage());
                assertEquals(1, web.connections(), call + "not retried: the same request reaches the same page");
                if (requiresApiKey()) { // a provider that needs no key may not hold the one given, so cannot mask it
                    assertFalse(failure.getMessage().contains("test-key"), call + failure.getMessage());
                    String raw = failure.error().rawBody();
                    assertFalse(raw != null && raw.contains("test-key"), call + raw);
                }
                PluginHealth health = provider.health();
                assertEquals(PluginHealth.Status.DEGRADED, health.status(), call + health.message());
                assertTrue(health.message().contains("baseUrl"), call + health.message());
            }
        }
    }

    /**
     * A proxy's or gateway's error page (HTML, whether labelled as such or as JSON) in place of the vendor's error is a
     * SERVER error worth retrying (the vendor behind it may answer the next try), quoting the page, without a vendor
     * error type or request id it does not carry (since 1.12); the page by its title, on one line (since 1.19).
     */
    @Test
    public void aProxysErrorPageIsARetryableServerErrorQuotingIt() {
        for (String type : new String[] {"text/html", "application/json"}) {
            try (RawHttpServer proxy = RawHttpServer.answeringEveryRequest(502, "<html>\r\n<head><title>502 Bad"
                    + " Gateway</title></head>\r\n<body><h1>502 Bad Gateway</h1><hr>nginx</body>\r\n</html>\r\n",
                    "content-type", type)) {
                ProviderException failure = assertThrows(ProviderException.class,
                        () -> createProvider(proxy.uri(), "test-key", 0).chat(hello()));
                assertEquals(ProviderError.Category.SERVER, failure.error().category(),
                        type + ": " + failure.getMessage());
                assertTrue(failure.error().retryable(), type + ": " + failure.getMessage());
                assertEquals(502, failure.error().httpStatus(), type);
                // by its title, on one line: the markup and line breaks went into REST answers and log lines
                assertTrue(failure.getMessage().contains("HTTP 502: an HTML page: 502 Bad Gateway"), type + ": "
                        + failure.getMessage());
                assertFalse(failure.getMessage().contains("<") || failure.getMessage().contains("\n"),
                        type + ": " + failure.getMessage());
                assertEquals(null, failure.error().providerType(), type);
                assertEquals(null, failure.error().requestId(), type);
                assertEquals(1, proxy.connections(), type + ": no retries were asked for");
            }
        }
    }

    /**
     * A success answer whose JSON is cut short is the malformed answer of the support bundle's rule: SERVER, status
     * 200, retryable, saying it is not JSON and why, in the words every family shares ({@code the answer is not JSON
     * (<the parser's reason>)}, since 1.13; before, "not valid JSON" passed too); it is not retried in place (each try
     * is billed) and bills nothing it could not read (since 1.12).
     */
    @Test
    public void aSuccessAnswerCutShortIsARetryableServerErrorSayingItIsNotJson() {
        try (RawHttpServer server = RawHttpServer.answeringEveryRequest(200, "{\"id\":\"answer-1\",\"content\":[{\"te",
                "content-type", "application/json")) {
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> createProvider(server.uri(), "test-key", 2).chat(hello()));
            assertEquals(ProviderError.Category.SERVER, failure.error().category(), failure.getMessage());
            assertEquals(200, failure.error().httpStatus());
            assertTrue(failure.error().retryable(), failure.getMessage());
            assertTrue(failure.error().message().matches("(?s)provider '[^']+': the answer is not JSON \\(.+\\).*"),
                    "not JSON, and the parser's reason: " + failure.getMessage());
            assertEquals(1, server.connections(), "not retried in place");
            assertEquals(Usage.NONE, failure.billed(), "a body cut short says no usage");
        }
    }

    @Test
    public void interruptingTheCallerCancelsTheCall() throws Exception {
        fake.enqueueDelayed(Duration.ofSeconds(20), "too late");
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<ChatResponse> call = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            return provider().chat(hello());
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((caller.get() == null || fake.requests() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        caller.get().interrupt();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        ProviderException cancelled = (ProviderException) failure.getCause();
        assertEquals(ProviderError.Category.CANCELLED, cancelled.error().category());
    }

    /**
     * A failure before the stream started is retried as a plain call's is, and one that is not retryable reaches the
     * caller without any event, so that a router may still fall back to another provider (since 1.11).
     */
    @Test
    public void anErrorBeforeTheStreamStartsIsRetriedOrThrownWithoutEvents() {
        fake.enqueueServerError();
        fake.enqueueText("streamed after all", 2, 3);
        assertEquals("streamed after all", text(provider().stream(hello(), event -> { })));
        fake.enqueueAuthError();
        List<StreamEvent> none = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider().stream(hello(), none::add));
        assertEquals(ProviderError.Category.AUTH, failure.error().category(), failure.getMessage());
        assertTrue(none.isEmpty(), "nothing reached the handler, so a router may still fall back: " + none);
    }

    /**
     * A plain answer to a streamed call (a server or gateway that does not stream) fails as SERVER, not retryable (the
     * same server answers the same way), without events; it leaves the health as it was, since calls without
     * streaming, which such a server answers, are fine (since 1.11).
     */
    @Test
    public void aPlainAnswerToAStreamedCallFailsWithoutRetryingAndLeavesTheHealthAlone() {
        fake.enqueuePlainAnswer("not streamed");
        fake.enqueueText("must not be reached", 1, 1);
        LlmProvider provider = provider();
        List<StreamEvent> none = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.stream(hello(), none::add));
        assertEquals(ProviderError.Category.SERVER, failure.error().category(), failure.getMessage());
        assertFalse(failure.error().retryable(), failure.getMessage());
        assertEquals(1, fake.requests(), "not retried in place");
        assertTrue(none.isEmpty(), "no event for a stream that never started: " + none);
        assertEquals(PluginHealth.Status.UP, provider.health().status(), provider.health().message());
    }

    /**
     * Interrupting the caller while a stream brings content cancels the call: CANCELLED, not retryable, the interrupt
     * flag kept, and a {@code StreamError} the handler's last event, so a caller showing the text as it came hears why
     * it stopped (since 1.11).
     */
    @Test
    public void interruptingAStreamCancelsItWithAStreamErrorLast() {
        fake.enqueueTextThenSilence("Hello world");
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider().stream(hello(), event -> {
            seen.add(event);
            if (event instanceof StreamEvent.TextDelta) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(Thread.interrupted(), "the interrupt flag is kept (and cleared here)");
        assertEquals(ProviderError.Category.CANCELLED, failure.error().category(), failure.getMessage());
        assertFalse(failure.error().retryable());
        StreamEvent last = seen.get(seen.size() - 1);
        assertTrue(last instanceof StreamEvent.StreamError error && error.error().equals(failure.error()),
                "the handler's last event is the failure: " + last);
    }

    /** An answer slower than the request timeout fails as a retryable TIMEOUT (since 1.11). */
    @Test
    public void anAnswerSlowerThanTheRequestTimeoutIsARetryableTimeout() {
        fake.enqueueDelayed(Duration.ofSeconds(3), "too late");
        LlmProvider provider = createProvider(fake.baseUri(), "test-key", 0, Duration.ofMillis(300));
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(ProviderError.Category.TIMEOUT, failure.error().category(), failure.getMessage());
        assertTrue(failure.error().retryable(), failure.getMessage());
    }

    /**
     * A stream that brought text and then stays silent longer than the request timeout fails as a retryable TIMEOUT,
     * its {@code StreamError} the handler's last event, rather than waiting for the server (since 1.11).
     */
    @Test
    public void aStreamSilentForTheRequestTimeoutIsARetryableTimeout() {
        fake.enqueueTextThenSilence("Hello world");
        LlmProvider provider = createProvider(fake.baseUri(), "test-key", 0, Duration.ofMillis(400));
        List<StreamEvent> seen = new CopyOnWriteArrayList<>();
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.stream(hello(), seen::add));
        assertEquals(ProviderError.Category.TIMEOUT, failure.error().category(), failure.getMessage());
        assertTrue(failure.error().retryable(), failure.getMessage());
        StreamEvent last = seen.get(seen.size() - 1);
        assertTrue(last instanceof StreamEvent.StreamError error && error.error().equals(failure.error()),
                "the handler's last event is the failure: " + last);
    }

    @Test
    public void withoutItsKeyTheProviderIsDownAndSaysWhatToSet() {
        assumeTrue(requiresApiKey(), "the provider needs no key (requiresApiKey() is false): nothing to be down for");
        LlmProvider provider = createProvider(fake.baseUri(), null, 0);
        PluginHealth health = provider.health();
        assertEquals(PluginHealth.Status.DOWN, health.status());
        assertFalse(health.message().isBlank(), "the health message names what to set");
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(ProviderError.Category.AUTH, failure.error().category());
        assertEquals(0, fake.requests(), "no request without a key");
    }

    @Test
    public void listsItsModels() {
        assertFalse(provider().models().isEmpty());
    }
}
