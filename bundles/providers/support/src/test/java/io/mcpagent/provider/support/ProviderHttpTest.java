package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;

class ProviderHttpTest {
    private record Answer(int status, String retryAfter, String shouldRetry, String body) {
    }

    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private URI uri;
    private final ErrorMapper errors = (status, headers, body) -> HttpErrors.error(HttpErrors.category(status), status,
            headers, null, null, body, "x-request-id", body);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Answer answer = answers.poll();
            if (answer == null) {
                answer = new Answer(200, null, null, "ok");
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("retry-after", answer.retryAfter());
            }
            if (answer.shouldRetry() != null) {
                exchange.getResponseHeaders().add("x-should-retry", answer.shouldRetry());
            }
            exchange.getResponseHeaders().add("x-request-id", "req-" + requests.get());
            byte[] body = answer.body().getBytes();
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ProviderHttp http(int retries) {
        return new ProviderHttp("test", new Http1Client(Duration.ofSeconds(5)),
                new RetryPolicy(retries, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                Duration.ofSeconds(5), 1 << 20);
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    @Test
    void aHostThatDoesNotResolveIsNamedWithWhatToCheck() {
        ProviderException failure = http(0).failure(new UnknownHostException("bedrock-runtime.us-eats-1.amazonaws.com"));
        assertEquals(Category.NETWORK, failure.error().category());
        assertEquals("provider 'test': the host name 'bedrock-runtime.us-eats-1.amazonaws.com' does not resolve: check"
                + " the host in the provider's baseUrl (or the region it is built from), or the DNS", failure.error().message());
    }

    /**
     * A body that breaks off before the length its head announced is said as such: it read "connection failed:
     * java.io.IOException: the answer's body broke off", though the connection had worked (a walkthrough).
     */
    @Test
    void anAnswerWhoseBodyBreaksOffSaysSo() throws Exception {
        try (ScriptedServer cut = new ScriptedServer(peer -> {
            peer.read();
            peer.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":");
            peer.close();
        })) {
            ProviderException failure = assertThrows(ProviderException.class, () -> http(0).send(HttpRequest
                    .newBuilder(cut.uri("/v1")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), errors));
            assertEquals(Category.NETWORK, failure.error().category());
            assertEquals("provider 'test': the server closed the connection before the end of its answer",
                    failure.error().message());
        }
    }

    /**
     * A call under way when its client closes (the provider's configuration was edited, its bundle stopped): it read
     * "connection failed: Socket closed" and was retried on the closed client, which failed again as "connection
     * failed: the provider's HTTP client is closed"; it says why, once, and a later call is refused the same way.
     */
    @Test
    void aCallCutOffByClosingTheClientSaysWhyAndIsNotRetried() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        try (ScriptedServer silent = new ScriptedServer(peer -> {
            peer.read();
            asked.countDown();
            peer.endsWithin(Duration.ofSeconds(10)); // answers nothing
        })) {
            Http1Client client = new Http1Client(Duration.ofSeconds(5));
            ProviderHttp http = new ProviderHttp("test", client, new RetryPolicy(3, Duration.ofMillis(10),
                    Duration.ofMillis(50), Duration.ofSeconds(5)), Duration.ofSeconds(5), 1 << 20);
            HttpRequest call = HttpRequest.newBuilder(silent.uri("/v1")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build();
            CompletableFuture<ProviderException> failed = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    http.send(call, errors);
                    failed.complete(null);
                } catch (ProviderException e) {
                    failed.complete(e);
                }
            });
            assertTrue(asked.await(5, TimeUnit.SECONDS));
            client.close();

            ProviderException failure = failed.get(5, TimeUnit.SECONDS);
            String closed = "provider 'test': the provider's HTTP client is closed: its configuration was deleted or"
                    + " its bundle stopped";
            assertEquals(Category.NETWORK, failure.error().category());
            assertEquals(closed, failure.error().message());
            assertFalse(failure.error().retryable());
            assertEquals(1, silent.connections(), "not retried on the closed client");
            assertEquals(closed, assertThrows(ProviderException.class, () -> http.send(call, errors)).error()
                    .message());
        }
    }

    @Test
    void retriesAfterTheAnnouncedWait() {
        answers.add(new Answer(429, "0.3", null, "slow down"));
        long start = System.nanoTime();
        assertEquals("ok", http(2).send(request(), errors).body());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(280).toNanos());
        assertEquals(2, requests.get());
    }

    @Test
    void aWaitLongerThanTheRetryPolicyAllowsFailsAtOnceWithTheHint() {
        answers.add(new Answer(429, "3600", null, "come back in an hour"));
        ProviderException failure = assertThrows(ProviderException.class, () -> http(2).send(request(), errors));
        assertEquals(Duration.ofHours(1), failure.error().retryAfter());
        assertEquals(1, requests.get(), "not retried sooner than the server asked");
    }

    @Test
    void aWaitLongerThanTheCallerAcceptsFailsAtOnceWithTheHint() {
        answers.add(new Answer(429, "3", null, "slow down"));
        ProviderException failure = assertThrows(ProviderException.class,
                () -> http(2).send(request(), errors, Duration.ofSeconds(1)));
        assertEquals(Category.RATE_LIMITED, failure.error().category());
        assertTrue(failure.error().retryable(), "the caller may go elsewhere, or come back");
        assertEquals(Duration.ofSeconds(3), failure.error().retryAfter());
        assertEquals(1, requests.get(), "not retried in place although the retry policy would wait 3 s");
    }

    @Test
    void aStreamCallWaitsNoLongerThanTheCallerAcceptsEither() {
        answers.add(new Answer(503, "3", null, "overloaded"));
        ProviderException failure = assertThrows(ProviderException.class,
                () -> http(2).open(request(), errors, Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(3), failure.error().retryAfter());
        assertEquals(1, requests.get());
    }

    @Test
    void aWaitTheCallerAcceptsIsStillRetriedInPlace() {
        answers.add(new Answer(429, "0.2", null, "slow down"));
        answers.add(new Answer(500, null, null, "hiccup")); // a backoff of at most 50 ms
        assertEquals("ok", http(2).send(request(), errors, Duration.ofSeconds(1)).body());
        assertEquals(3, requests.get());
    }

    @Test
    void anInterruptDuringTheWaitBeforeARetrySaysWhatWasWaitedFor() throws Exception {
        answers.add(new Answer(429, "4", null, "slow down"));
        java.util.concurrent.atomic.AtomicReference<ProviderException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                http(1).send(request(), errors);
            } catch (ProviderException e) {
                failure.set(e);
            }
        });
        // the caller sleeps only in the wait before the retry; reading the answer keeps it RUNNABLE
        while (caller.getState() != Thread.State.TIMED_WAITING && caller.isAlive()) {
            Thread.onSpinWait();
        }
        caller.interrupt();
        caller.join();

        assertEquals(Category.CANCELLED, failure.get().error().category());
        assertEquals("provider 'test': call cancelled while waiting 4000 ms to retry after RATE_LIMITED (slow down)",
                failure.get().error().message());
        assertEquals(1, requests.get());
    }

    @Test
    void xShouldRetryOverridesTheStatus() {
        answers.add(new Answer(500, null, "false", "broken for good"));
        ProviderException failure = assertThrows(ProviderException.class, () -> http(3).send(request(), errors));
        assertFalse(failure.error().retryable());
        assertEquals(1, requests.get());
        answers.add(new Answer(400, null, "true", "try again"));
        assertEquals("ok", http(3).send(request(), errors).body());
    }

    @Test
    void nonRetryableErrorsFailAtOnceWithTheRequestId() {
        answers.add(new Answer(401, null, null, "bad key"));
        ProviderException failure = assertThrows(ProviderException.class, () -> http(3).send(request(), errors));
        assertEquals(Category.AUTH, failure.error().category());
        assertEquals("req-1", failure.error().requestId());
        assertEquals(1, requests.get());
    }

    /**
     * A call that timed out may wait its whole timeout again if retried: a caller with another provider (a short
     * {@code maxRetryWait}) gets the failure at once. A hanging provider held such a call for three timeouts before
     * the router fell back (a walkthrough: 25 s at an 8 s timeout), since only the backoff counted.
     */
    @Test
    void aTimeoutIsNotRetriedForACallerWithAnotherProviderWhoAcceptsLessThanTheTimeout() throws Exception {
        try (ScriptedServer silent = new ScriptedServer(peer -> {
            peer.read();
            Thread.sleep(10_000);
        })) {
            ProviderHttp http = new ProviderHttp("test", new Http1Client(Duration.ofSeconds(5)),
                    new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                    Duration.ofMillis(300), 1 << 20);
            HttpRequest request = HttpRequest.newBuilder(silent.uri("/v1")).POST(HttpRequest.BodyPublishers
                    .ofString("{}")).build();

            ProviderException failure = assertThrows(ProviderException.class,
                    () -> http.send(request, errors, Duration.ofMillis(200)));
            assertEquals(Category.TIMEOUT, failure.error().category());
            assertEquals(1, silent.connections(), "not retried");

            assertThrows(ProviderException.class, () -> http.send(request, errors, Duration.ofSeconds(2)));
            assertEquals(4, silent.connections(), "retried twice for a caller who accepts a timeout's wait");
        }
    }

    @Test
    void aRefusedConnectionIsANetworkErrorAfterTheRetries() {
        server.stop(0);
        ProviderException failure = assertThrows(ProviderException.class, () -> http(1).send(request(), errors));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.error().retryable());
    }

    @Test
    void aRefusedConnectionNotRetriedForTheCallersSakeKeepsItsCause() {
        server.stop(0);
        // every backoff (at least 5 ms) is longer than the caller accepts: the call fails after the first attempt
        ProviderException failure = assertThrows(ProviderException.class,
                () -> http(3).send(request(), errors, Duration.ofMillis(1)));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.getCause() instanceof ConnectException, "the cause, from which a provider tells that no"
                + " server answered: " + failure.getCause());
    }

    @Test
    void anInterruptWhileTheBodyIsReadCancels() throws Exception {
        java.util.concurrent.CountDownLatch bodyStarted = new java.util.concurrent.CountDownLatch(1);
        server.createContext("/stall", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("partial".getBytes());
            exchange.getResponseBody().flush();
            bodyStarted.countDown();
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        HttpRequest stall = HttpRequest.newBuilder(uri.resolve("/stall")).GET().build();
        java.util.concurrent.atomic.AtomicReference<Thread> caller = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CompletableFuture<Object> call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            return http(0).send(stall, errors);
        });
        // Not a fixed sleep: on a loaded machine the pool may start the call late.
        assertTrue(bodyStarted.await(10, java.util.concurrent.TimeUnit.SECONDS), "the server began the body");
        caller.get().interrupt();
        java.util.concurrent.ExecutionException failure = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> call.get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(Category.CANCELLED, ((ProviderException) failure.getCause()).error().category());
    }

    @Test
    void aServerThatStallsAfterTheHeadersIsCutOffAtTheRequestTimeout() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.createContext("/headers-only", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"partial\":".getBytes());
            exchange.getResponseBody().flush();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        ProviderHttp http = new ProviderHttp("test", new Http1Client(Duration.ofSeconds(5)),
                new RetryPolicy(0, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                Duration.ofMillis(300), 1 << 20);
        try {
            ProviderException failure = assertThrows(ProviderException.class,
                    () -> http.send(HttpRequest.newBuilder(uri.resolve("/headers-only")).GET().build(), errors));
            assertEquals(Category.TIMEOUT, failure.error().category());
            assertTrue(failure.error().retryable());
            // said as no answer at all, it sent readers looking for a server that never answered (a walkthrough)
            assertEquals("provider 'test': the answer stalled after its headers: not complete within the timeout"
                    + " (300 ms)", failure.error().message());
        } finally {
            release.countDown();
        }
    }

    @Test
    void anAnswerLargerThanTheLimitFailsWithoutBeingHeld() {
        answers.add(new Answer(200, null, null, "x".repeat(5000)));
        ProviderHttp small = new ProviderHttp("test", new Http1Client(Duration.ofSeconds(5)),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)),
                Duration.ofSeconds(5), 4096);
        ProviderException failure = assertThrows(ProviderException.class, () -> small.send(request(), errors));
        assertEquals(Category.SERVER, failure.error().category());
        assertEquals("provider 'test': answer larger than 4096 bytes", failure.error().message());
        assertEquals(1, requests.get(), "a too large answer is not asked again");
        answers.add(new Answer(200, null, null, "x".repeat(4096)));
        assertEquals(4096, small.send(request(), errors).body().length(), "an answer of exactly the limit is whole");
    }

    @Test
    void aHugeErrorAnswerReachesTheMapperCutToItsStart() {
        answers.add(new Answer(400, null, null, "bad request " + "y".repeat(200_000)));
        ProviderException failure = assertThrows(ProviderException.class, () -> http(0).send(request(), errors));
        assertEquals(Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.error().message().startsWith("bad request yyy"), failure.error().message());
        assertTrue(failure.error().message().length() <= 64 * 1024, "the error text is bounded");
    }

    @Test
    void anAnswerCutOffInTransitIsARetryableNetworkError() {
        AtomicInteger attempts = new AtomicInteger();
        server.createContext("/cut", exchange -> {
            if (attempts.incrementAndGet() == 1) {
                exchange.sendResponseHeaders(200, 100); // promises 100 bytes, sends 7, hangs up
                exchange.getResponseBody().write("partial".getBytes());
                exchange.getResponseBody().flush();
                exchange.getHttpContext().getServer().stop(0);
                return;
            }
            byte[] body = "whole".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        ProviderException failure = assertThrows(ProviderException.class,
                () -> http(0).send(HttpRequest.newBuilder(uri.resolve("/cut")).GET().build(), errors));
        assertEquals(Category.NETWORK, failure.error().category());
        assertTrue(failure.error().retryable(), "a broken answer may be asked again");
    }

    @Test
    void anInterruptCancels() {
        Thread.currentThread().interrupt();
        try {
            ProviderException failure = assertThrows(ProviderException.class, () -> http(1).send(request(), errors));
            assertEquals(Category.CANCELLED, failure.error().category());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aStreamLongerThanTheLimitInAllFailsAsTooLargeNotRetried() throws IOException {
        answers.add(new Answer(200, null, null, "event\n".repeat(200))); // 1200 bytes of small events
        ProviderHttp http = new ProviderHttp("test", new Http1Client(Duration.ofSeconds(5)), RetryPolicy.NONE,
                Duration.ofSeconds(5), 1 << 20, 1000, request -> request);
        ProviderHttp.Response<InputStream> response = http.open(request(), errors);
        StreamEventTooLargeException tooLong;
        try (InputStream body = response.body()) {
            tooLong = assertThrows(StreamEventTooLargeException.class, () -> body.readAllBytes());
        }
        assertEquals(1000, tooLong.limitBytes());
        ProviderError failure = http.streamFailure(tooLong, response, "req-1");
        assertEquals(Category.SERVER, failure.category());
        assertFalse(failure.retryable(), "the same request would get the same answer");
        assertEquals("provider 'test': the answer is too large: the stream is longer than 1000 bytes, the limit of this"
                + " client (not retried: the same request would get the same answer)", failure.message());
    }

    @Test
    void aStreamOfExactlyTheLimitIsReadWhole() throws IOException {
        answers.add(new Answer(200, null, null, "x".repeat(1000)));
        ProviderHttp http = new ProviderHttp("test", new Http1Client(Duration.ofSeconds(5)), RetryPolicy.NONE,
                Duration.ofSeconds(5), 1 << 20, 1000, request -> request);
        try (InputStream body = http.open(request(), errors).body()) {
            assertEquals(1000, body.readAllBytes().length);
        }
    }
}
