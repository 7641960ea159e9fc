package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;

/** {@link SseProvider}: what it does around a family's wire format, with a family that reads events as text. */
@Timeout(30)
class SseProviderTest {
    private static final String KEY = "sk-endpoint-secret";

    private record Settings(String name, String description, URI baseUri, String defaultModel, List<ModelInfo> models,
                            Duration connectTimeout, Duration requestTimeout, int maxRetries) implements EndpointSettings {
    }

    /**
     * A family's streamed answer: the events' data joined; {@code named} the request id its events gave; an event
     * {@code end} ends the answer.
     */
    private static final class Joined implements SseProvider.StreamedAnswer {
        final StringBuilder text = new StringBuilder();
        String named;
        boolean ended;

        @Override
        public void onEvent(SseEvent event) {
            if ("id".equals(event.event())) {
                named = event.data();
            } else if ("end".equals(event.event())) {
                ended = true;
            } else {
                text.append(event.data());
            }
        }

        @Override
        public boolean ended() {
            return ended;
        }

        @Override
        public ChatResponse finish(HttpHeaders headers) {
            return response(text + " " + headers.firstValue("x-limit").orElse("-"));
        }

        @Override
        public String requestId() {
            return named;
        }
    }

    /**
     * A family whose plain answer is its body and the request id, and whose streamed answer joins the events' data;
     * {@code started} the request ids its streams started with.
     */
    private static final class Family extends SseProvider<Settings> {
        final List<String> started = new CopyOnWriteArrayList<>();

        Family(ProviderSetup<Settings> setup, String requestIdHeader) {
            super(setup, "the P1 API", requestIdHeader);
        }

        Family(ProviderSetup<Settings> setup, Function<HttpHeaders, String> requestIds, int maxEventBytes) {
            super(setup, "the P1 API", requestIds, maxEventBytes);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            requireReady();
            return plainCall(post(false), errors(), null,
                    (response, requestId) -> response(response.body() + " " + requestId));
        }

        @Override
        public ChatResponse stream(ChatRequest request, StreamHandler handler) {
            requireReady();
            return streamedCall(post(true), errors(), null, handler, (requestId, progress, events) -> {
                started.add(String.valueOf(requestId));
                return new Joined();
            });
        }

        private java.net.http.HttpRequest post(boolean stream) {
            return jsonPost(setup().settings().baseUri().resolve("/chat"), "{}", stream).build();
        }
    }

    private final AtomicInteger requests = new AtomicInteger();
    private volatile String contentType = "text/event-stream";
    private volatile String body = "";
    /** How many bytes the answer announces beyond its body: with more than none the connection closes short of it. */
    private volatile int missing;
    private ScriptedServer server;
    private final List<Family> providers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedServer(peer -> {
            for (ScriptedServer.Request request; (request = peer.read()) != null; ) {
                requests.incrementAndGet();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                peer.send("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nX-Request: req-header\r\n"
                        + "X-Limit: 42\r\nContent-Length: " + (bytes.length + missing) + "\r\n\r\n");
                peer.send(bytes);
                if (missing > 0) {
                    peer.close();
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        providers.forEach(Family::close);
        server.close();
    }

    private Family provider(String requestIdHeader, Map<String, String> environment) {
        return added(new Family(setup(environment), requestIdHeader));
    }

    private ProviderSetup<Settings> setup(Map<String, String> environment) {
        URI base = server.uri("");
        return ProviderSetup.resolve("p1", "io.mcpagent.provider.p1",
                () -> new Settings("P1", "test", base, "m", List.of(), Duration.ofSeconds(5), Duration.ofSeconds(5), 0),
                settings -> ApiKeys.resolve("p1", "KEY", null, environment::get));
    }

    private Family added(Family provider) {
        providers.add(provider);
        return provider;
    }

    private Family provider(String requestIdHeader) {
        return provider(requestIdHeader, Map.of("KEY", KEY));
    }

    private static ChatResponse response(String text) {
        return new ChatResponse("id", "m", Message.assistant(text), StopReason.END_TURN, "end", Usage.NONE, null, null,
                null);
    }

    private static ErrorMapper errors() {
        return (status, headers, text) -> HttpErrors.error(HttpErrors.category(status), status, headers, null, null,
                text, null, text);
    }

    private static ChatRequest hello() {
        return ChatRequest.of(null, null, List.of(Message.user("hi")));
    }

    @Test
    void withoutItsKeyItIsDownAndSendsNothing() {
        Family provider = provider(null, Map.of());
        assertEquals(PluginHealth.Status.DOWN, provider.health().status());
        ProviderException refused = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.AUTH, refused.error().category());
        assertEquals(0, requests.get());
        assertEquals("Family[p1, http://127.0.0.1:" + server.port() + ", key ApiKeys[none]]", provider.toString());
    }

    @Test
    void aPlainAnswerIsParsedWithTheRequestIdOfItsHeader() {
        Family provider = provider("x-request");
        contentType = "application/json";
        body = "{\"text\":\"hi\"}";
        assertEquals("{\"text\":\"hi\"} req-header", provider.chat(hello()).message().text());
        assertEquals(List.of(KEY), provider.secrets());
        assertEquals(PluginHealth.Status.UP, provider.health().status());
    }

    @Test
    void aPageInsteadOfJsonFailsNamingBaseUrlAndDegradesTheHealth() {
        Family provider = provider(null);
        contentType = "text/html";
        body = "<html>hello</html>";
        ProviderException failure = assertThrows(ProviderException.class, () -> provider.chat(hello()));
        assertEquals(Category.SERVER, failure.error().category());
        assertEquals(PluginHealth.Status.DEGRADED, provider.health().status());
    }

    @Test
    void aStreamGoesToTheFamilysAnswerWhichFinishesWithTheHeaders() {
        Family provider = provider("x-request");
        body = "data: Hel\n\ndata: lo\n\n";
        assertEquals("Hello 42", provider.stream(hello(), event -> { }).message().text());
        assertEquals(List.of("req-header"), provider.started);
    }

    /** A stream cut off: the failure is the handler's last event and names the events' request id, else the header's. */
    @Test
    void aStreamCutOffIsTheLastEventNamingTheRequestId() {
        missing = 100;
        for (String named : new String[] {"req-from-events", null}) {
            Family provider = provider("x-request");
            body = (named == null ? "" : "event: id\ndata: " + named + "\n\n") + "data: Hel\n\n";
            List<StreamEvent> seen = new CopyOnWriteArrayList<>();
            ProviderException failure = assertThrows(ProviderException.class, () -> provider.stream(hello(), seen::add));
            assertEquals(named == null ? "req-header" : named, failure.error().requestId());
            assertEquals(new StreamEvent.StreamError(failure.error()), seen.get(seen.size() - 1));
            assertInstanceOf(IOException.class, failure.getCause());
        }
    }

    /** The answer's end is the last event read: the call neither waits for the stream's end nor fails if it breaks. */
    @Test
    void nothingAfterTheAnswersEndIsRead() {
        missing = 100; // read on, the stream would break off
        Family provider = provider("x-request");
        body = "data: Hel\n\ndata: lo\n\nevent: end\ndata: -\n\ndata: MORE\n\n";
        assertEquals("Hello 42", provider.stream(hello(), event -> { }).message().text());
    }

    /** (2.22) The request id from whichever header names it, and events bounded as the family says. */
    @Test
    void aFamilyNamesItsRequestIdsAndItsEventBound() {
        Family provider = added(new Family(setup(Map.of("KEY", KEY)),
                headers -> headers.firstValue("x-absent").or(() -> headers.firstValue("x-request")).orElse(null), 16));
        body = "data: Hello\n\n";
        assertEquals("Hello 42", provider.stream(hello(), event -> { }).message().text());
        assertEquals(List.of("req-header"), provider.started);

        body = "data: " + "x".repeat(17) + "\n\n";
        ProviderException tooLarge = assertThrows(ProviderException.class,
                () -> provider.stream(hello(), event -> { }));
        assertEquals(Category.SERVER, tooLarge.error().category());
        assertEquals("provider 'p1': the answer is too large: a stream event is larger than 16 bytes, the limit of this"
                + " client (not retried: the same request would get the same answer)", tooLarge.error().message());
    }

    @Test
    void closingAProviderThatNeverHadAClientIsFine() {
        assertDoesNotThrow(provider(null, Map.of())::close);
    }
}
