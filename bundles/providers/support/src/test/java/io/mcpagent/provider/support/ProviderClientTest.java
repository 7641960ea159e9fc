package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;

/** {@link ProviderClient} with {@link Http1Client}, {@link RedactingErrorMapper} and the stream checks of {@link ProviderHttp}. */
@Timeout(30)
class ProviderClientTest {
    private static final String KEY = "sk-very-secret";

    /** status, content type, body and extra header name/value pairs of one answer */
    private record Answer(int status, String contentType, String body, String... headers) {
    }

    private record Settings(String name, String description, URI baseUri, String defaultModel, List<ModelInfo> models,
                            Duration connectTimeout, Duration requestTimeout, int maxRetries) implements EndpointSettings {
    }

    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final ErrorMapper errors = (status, headers, body) -> HttpErrors.error(HttpErrors.category(status), status,
            headers, null, null, body, null, body);
    private HttpServer server;
    private ProviderClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Answer answer = answers.remove();
            exchange.getResponseHeaders().set("content-type", answer.contentType());
            for (int i = 0; i + 1 < answer.headers().length; i += 2) {
                exchange.getResponseHeaders().set(answer.headers()[i], answer.headers()[i + 1]);
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = client(1);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private ProviderClient client(int maxRetries) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new ProviderClient("p1", new Settings("P1", "test", base, "m", List.of(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), maxRetries), ApiKeys.resolve("p1", "KEY", null, Map.of("KEY", KEY)::get), 1 << 20);
    }

    private HttpRequest request() {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/chat");
        return HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    @Test
    void sendsAndRetriesAsOftenAsTheSettingsSay() {
        answers.add(new Answer(503, "text/plain", "busy", "retry-after", "0"));
        answers.add(new Answer(200, "application/json", "{\"ok\":true}"));
        assertEquals("{\"ok\":true}", client.send(request(), errors).body());
        assertEquals(2, requests.get());
    }

    @Test
    void theKeyNeverLeavesInAnError() {
        answers.add(new Answer(401, "application/json", "{\"error\":\"bad key " + KEY + "\"}"));
        ProviderException failure = assertThrows(ProviderException.class, () -> client.send(request(), errors));
        assertEquals(Category.AUTH, failure.error().category());
        assertFalse(failure.getMessage().contains(KEY), failure.getMessage());
        assertEquals("{\"error\":\"bad key ****\"}", failure.error().rawBody());
    }

    @Test
    void aRedirectIsAnErrorNotFollowed() {
        answers.add(new Answer(307, "text/plain", "", "location", "http://127.0.0.1:1/elsewhere"));
        assertThrows(ProviderException.class, () -> client.send(request(), errors));
        assertEquals(1, requests.get());
    }

    @Test
    void anInterruptThatRacesAnErrorAnswerIsACancellation() {
        answers.add(new Answer(401, "text/plain", "who are you?"));
        ErrorMapper interrupted = (status, headers, body) -> {
            Thread.currentThread().interrupt();
            return errors.map(status, headers, body);
        };
        try {
            ProviderException failure = assertThrows(ProviderException.class, () -> client.open(request(), interrupted));
            assertEquals(Category.CANCELLED, failure.error().category());
            assertFalse(failure.error().retryable());
            assertTrue(failure.getMessage().contains("provider 'p1'"), failure.getMessage());
            assertEquals(Category.AUTH, ((ProviderException) failure.getCause()).error().category(), "the cause is kept");
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt flag is kept (and cleared here)");
        }
    }

    @Test
    void aPlainAnswerToAStreamRequestIsAServerErrorNotWorthRetrying() {
        answers.add(new Answer(200, "application/json", "{\"not\":\"a stream\"}"));
        ProviderHttp.Response<InputStream> response = client.open(request(), errors);
        ProviderException failure = assertThrows(ProviderException.class,
                () -> client.requireStream(response, "text/event-stream", "req-7", "the P1 API"));
        ProviderError error = failure.error();
        assertEquals(Category.SERVER, error.category());
        assertFalse(error.retryable(), "the same server answers the same way again");
        assertEquals("req-7", error.requestId());
        assertEquals("provider 'p1': the answer was not an event stream (Content-Type: application/json; "
                + "expected text/event-stream): the server answered JSON, ignoring the request for a stream (it, or a"
                + " gateway before it, does not stream); call without streaming, or set baseUrl to a server that"
                + " streams (retrying does not help)", error.message());
        assertEquals("{\"not\":\"a stream\"}", error.rawBody());
        // executions call without streaming, which this server answers: no provider warning on their plans
        assertEquals(io.mcpagent.api.plugin.PluginHealth.Status.UP, client.health().status(),
                "not remembered in the health");
    }

    /** An answer that is neither a stream nor JSON, without a Content-Type, is not said to be JSON. */
    @Test
    void anAnswerToAStreamRequestWithoutAContentTypeIsNotCalledJson() {
        answers.add(new Answer(200, "", "hello"));
        ProviderHttp.Response<InputStream> response = client.open(request(), errors);
        ProviderException failure = assertThrows(ProviderException.class,
                () -> client.requireStream(response, "text/event-stream", "req-8", "the P1 API"));
        assertEquals("provider 'p1': the answer was not an event stream (no Content-Type; expected"
                + " text/event-stream)", failure.error().message());
    }

    /**
     * The key across the cut of what an answer to a stream request keeps: masked before the cut, as a plain answer's
     * is, so that its first part is not kept; a page (the notTheApi failure) and JSON alike.
     */
    @Test
    void aKeyAcrossTheCutOfAnAnswerThatIsNoStreamLeavesNoPartOfItInTheError() {
        String json = "{\"echo\":\"" + "j".repeat(4081) + KEY + "\", \"more\": \"" + "m".repeat(9000) + "\"}";
        String page = "<html>" + "p".repeat(4085) + KEY + "</html>" + "q".repeat(9000);
        for (Answer answer : List.of(new Answer(200, "application/json", json), new Answer(200, "text/html", page))) {
            int at = answer.body().indexOf(KEY);
            assertTrue(at < 4096 && at + KEY.length() > 4096, "the key crosses the cut");
            answers.add(answer);
            ProviderHttp.Response<InputStream> response = client.open(request(), errors);
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> client.requireStream(response, "text/event-stream", "req-7", "the P1 API"));
            String kept = failure.error().rawBody();
            assertEquals(4096, kept.length());
            assertEquals(answer.body().substring(0, at) + "****", kept.substring(0, at + 4));
            assertFalse(kept.contains("sk-"), kept.substring(4000));
        }
    }

    @Test
    void aStreamOfTheRightTypePasses() throws IOException {
        answers.add(new Answer(200, "text/event-stream; charset=utf-8", "data: x\n\n"));
        ProviderHttp.Response<InputStream> response = client.open(request(), errors);
        client.requireStream(response, "text/event-stream", null, "the P1 API");
        try (InputStream body = response.body()) {
            assertEquals("data: x\n\n", new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBrokenStreamIsANetworkErrorRetryableLikeAFailedCall() {
        ProviderHttp.Response<InputStream> response = response(new ByteArrayInputStream(new byte[0]));
        ProviderError error = client.streamFailure(new IOException("Connection reset"), response, "req-9");
        assertEquals(Category.NETWORK, error.category());
        assertTrue(error.retryable());
        assertEquals(200, error.httpStatus());
        assertEquals("req-9", error.requestId());
        assertTrue(error.message().startsWith("provider 'p1': connection failed"), error.message());
        assertTrue(error.message().endsWith("(the stream broke off)"), error.message());
        assertEquals("provider 'p1': connection failed: Connection reset (the stream broke off)", error.message(),
                "no class name of the JDK's");
    }

    /**
     * An answer its protocol does not allow (an event stream message whose checksum fails, no HTTP status line, a
     * malformed chunk size) read "NETWORK: connection failed: java.io.IOException: event-stream message checksum
     * mismatch (the stream broke off)": the server answered, wrongly, which no network fault explains (walkthrough).
     */
    @Test
    void aMalformedAnswerIsTheServersErrorNotTheNetworks() {
        ProviderHttp.Response<InputStream> response = response(new ByteArrayInputStream(new byte[0]));
        ProviderError streamed = client.streamFailure(new Http1Client.MalformedAnswerException(
                "event-stream message checksum mismatch"), response, "req-9");
        assertEquals(Category.SERVER, streamed.category());
        assertTrue(streamed.retryable());
        assertEquals("provider 'p1': the answer is malformed: event-stream message checksum mismatch",
                streamed.message());
        ProviderError plain = client.streamFailure(new Http1Client.MalformedAnswerException(
                "not an HTTP/1.x status line: SSH-2.0-OpenSSH_9.6"), response, "req-9");
        assertEquals(Category.SERVER, plain.category());
        assertEquals("provider 'p1': the answer is malformed: not an HTTP/1.x status line: SSH-2.0-OpenSSH_9.6",
                plain.message());
    }

    /**
     * A body that breaks off before its end is said as such, plain or streamed: it read "connection failed:
     * java.io.IOException: the answer's body broke off", though the connection had worked (a walkthrough).
     */
    @Test
    void anAnswerWhoseBodyBreaksOffSaysSoWithoutTheExceptionsClass() {
        ProviderHttp.Response<InputStream> response = response(new ByteArrayInputStream(new byte[0]));
        IOException brokenOff = new Http1Client.BrokenOffException();
        ProviderError streamed = client.streamFailure(brokenOff, response, "req-9");
        assertEquals("provider 'p1': the server closed the connection before the end of its answer",
                streamed.message());
        assertEquals(Category.NETWORK, streamed.category());
        assertTrue(streamed.retryable());
    }

    @Test
    void aStreamEventOverTheDecodersLimitIsAnAnswerTooLargeNotWorthRetrying() {
        ProviderHttp.Response<InputStream> response = response(new ByteArrayInputStream(new byte[0]));
        IOException tooLarge = assertThrows(IOException.class, () -> new SseDecoder(new ByteArrayInputStream(
                ("data: " + "x".repeat(2000) + "\n\n").getBytes(StandardCharsets.UTF_8)), 1024).readAll(event -> { }));
        ProviderError error = client.streamFailure(tooLarge, response, "req-7");
        assertEquals(Category.SERVER, error.category());
        assertFalse(error.retryable());
        assertEquals(200, error.httpStatus());
        assertEquals("req-7", error.requestId());
        assertEquals("provider 'p1': the answer is too large: a stream event is larger than 1024 bytes, the limit of"
                + " this client (not retried: the same request would get the same answer)", error.message());
    }

    @Test
    void aStreamSilentForTheRequestTimeoutTimedOut() {
        ProviderHttp.Response<InputStream> response = response(new ByteArrayInputStream(new byte[0]));
        ProviderError error = client.streamFailure(new HttpTimeoutException("no answer within the timeout"), response,
                null);
        assertEquals(Category.TIMEOUT, error.category());
        assertTrue(error.retryable());
        assertEquals("provider 'p1': the stream was silent for 5000 ms", error.message());
    }

    @Test
    void aStreamReadByAnInterruptedCallerWasCancelled() {
        ProviderHttp.Response<InputStream> response = response(new ByteArrayInputStream(new byte[0]));
        try {
            Thread.currentThread().interrupt();
            ProviderError error = client.streamFailure(new IOException("interrupted"), response, "req-3");
            assertEquals(Category.CANCELLED, error.category());
            assertFalse(error.retryable());
            assertEquals("req-3", error.requestId());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theRedactingMapperMasksEverySecretAndLeavesCleanErrorsAlone() {
        ErrorMapper echo = (status, headers, body) -> new ProviderError(Category.AUTH, status, null, null,
                "rejected " + body, null, null, false, body);
        HttpHeaders none = HttpHeaders.of(Map.of(), (name, value) -> true);
        ProviderError masked = new RedactingErrorMapper(echo, "access-key", null, "abc", "session-token")
                .map(403, none, "access-key and session-token, abc");
        assertEquals("rejected **** and ****, abc", masked.message(), "too short to be a secret: abc");
        assertEquals("**** and ****, abc", masked.rawBody());
        ProviderError clean = echo.map(403, none, "nothing secret");
        assertEquals(clean, new RedactingErrorMapper(echo, "access-key").map(403, none, "nothing secret"));
        ProviderError noBody = new RedactingErrorMapper((status, headers, body) -> new ProviderError(Category.SERVER, status,
                null, null, "access-key", null, null, true, null), "access-key").map(500, none, null);
        assertEquals("****", noBody.message());
        assertNull(noBody.rawBody());
    }

    @Test
    void withMaxRetriesKeepsTheBackoff() {
        assertEquals(new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(60)),
                RetryPolicy.DEFAULT.withMaxRetries(5));
    }

    private static ProviderHttp.Response<InputStream> response(InputStream body) {
        return new ProviderHttp.Response<>(200, HttpHeaders.of(Map.of(), (name, value) -> true), body);
    }
}
