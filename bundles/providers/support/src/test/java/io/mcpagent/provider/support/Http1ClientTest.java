package io.mcpagent.provider.support;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.mcpagent.provider.support.Http1Client.BoundedBytes;
import io.mcpagent.provider.support.ScriptedServer.Peer;
import io.mcpagent.provider.support.ScriptedServer.Request;

/**
 * {@link Http1Client} on the wire: scripted {@link ServerSocket} servers for exact bytes, {@link HttpsServer} for TLS.
 * The test thread is a platform thread, so most calls here go through the client's hand-off to a virtual thread;
 * the tests that say so call from a virtual thread, where the client works in place.
 */
@Timeout(20)
class Http1ClientTest {
    private static final Duration LONG = Duration.ofSeconds(5);
    private static final int MB = 1 << 20;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Http1Client client;

    @BeforeEach
    void newClient() throws Exception {
        client = new Http1Client(LONG, SSLContext.getDefault(), direct());
    }

    @AfterEach
    void closeAll() throws Exception {
        client.close();
        for (AutoCloseable resource; (resource = resources.pollLast()) != null; ) {
            resource.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ keep-alive

    @Nested
    class KeepAlive {
        @ParameterizedTest
        @EnumSource(Caller.class)
        void sequentialCallsReuseOneConnectionAndTheRequestsArriveExactly(Caller caller) throws Exception {
            AtomicInteger answered = new AtomicInteger();
            ScriptedServer server = answering(request -> ScriptedServer.ok("answer " + answered.getAndIncrement()));
            URI uri = server.uri("/v1/chat?stream=false");
            for (int i = 0; i < 5; i++) {
                String body = "{\"n\":" + i + ",\"text\":\"h\u00e9llo\"}";
                HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .header("X-Trace", "trace-" + i).header("X-Multi", "a").header("X-Multi", "b")
                        .POST(BodyPublishers.ofString(body)).build();
                ProviderHttp.Response<BoundedBytes> response = caller.call(() -> send(request));
                assertEquals(200, response.status());
                assertEquals("answer " + i, text(response));
                assertFalse(response.body().truncated());
                assertEquals("text/plain", response.headers().firstValue("content-type").orElseThrow());

                Request arrived = server.request();
                assertEquals("POST /v1/chat?stream=false HTTP/1.1", arrived.line());
                assertEquals("127.0.0.1:" + server.port(), arrived.header("Host"));
                assertEquals(String.valueOf(body.getBytes(UTF_8).length), arrived.header("Content-Length"));
                assertEquals("application/json", arrived.header("Content-Type"));
                assertEquals("trace-" + i, arrived.header("X-Trace"));
                assertEquals(List.of("a", "b"), arrived.headers("X-Multi"));
                assertEquals("mcp-agent", arrived.header("User-Agent"), "a default User-Agent");
                assertEquals(body, arrived.bodyText());
                assertNull(arrived.header("Transfer-Encoding"));
                assertNull(arrived.header("Connection"), "HTTP/1.1 keeps the connection without asking");
            }
            assertEquals(1, server.connections(), "five calls, one connection");
        }

        @ParameterizedTest
        @ValueSource(strings = {"User-Agent", "user-agent", "USER-AGENT"})
        void theRequestsOwnUserAgentReplacesTheDefault(String name) throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            send(HttpRequest.newBuilder(server.uri("/")).header(name, "custom-agent/2.0").GET().build());
            assertEquals(List.of("custom-agent/2.0"), server.request().headers("user-agent"));
        }

        @Test
        void theHostHeaderCarriesThePortOnlyWhenItIsNotTheDefault() throws Exception {
            // port 80 cannot be bound here; through an HTTP proxy the origin is only named, never connected to
            ScriptedServer proxy = answering(request -> ScriptedServer.ok("via proxy"));
            client = new Http1Client(LONG, SSLContext.getDefault(), via(proxy.port(), new ConcurrentLinkedQueue<>()));

            send(get(URI.create("http://origin.test/a")));
            Request implicit = proxy.request();
            assertEquals("GET http://origin.test/a HTTP/1.1", implicit.line());
            assertEquals("origin.test", implicit.header("Host"));

            send(get(URI.create("http://origin.test:80/b")));
            Request explicit = proxy.request();
            assertEquals("GET http://origin.test/b HTTP/1.1", explicit.line());
            assertEquals("origin.test", explicit.header("Host"), "the default port is left out even when written");

            send(get(URI.create("http://origin.test:8080/c")));
            Request other = proxy.request();
            assertEquals("GET http://origin.test:8080/c HTTP/1.1", other.line());
            assertEquals("origin.test:8080", other.header("Host"));
            assertEquals(2, proxy.connections(), "origin.test and origin.test:80 are one origin, :8080 another");
        }

        @Test
        void aRawPathAndQueryAreSentAsWrittenAndAnEmptyPathAsSlash() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            send(get(server.uri("/a%20b/c%2Fd?q=x%26y&z=%C3%A9")));
            assertEquals("GET /a%20b/c%2Fd?q=x%26y&z=%C3%A9 HTTP/1.1", server.request().line());
            send(get(URI.create("http://127.0.0.1:" + server.port())));
            assertEquals("GET / HTTP/1.1", server.request().line());
            send(get(URI.create("http://127.0.0.1:" + server.port() + "?only=query")));
            assertEquals("GET /?only=query HTTP/1.1", server.request().line());
        }

        @Test
        void concurrentCallsUseConnectionsOfTheirOwnThatArePooledAfterwards() throws Exception {
            int calls = 6;
            CountDownLatch allArrived = new CountDownLatch(calls);
            AtomicBoolean firstRound = new AtomicBoolean(true);
            ScriptedServer server = answering(request -> {
                if (firstRound.get()) {
                    allArrived.countDown();
                    await(allArrived);
                }
                return ScriptedServer.ok("for " + request.header("X-Call"));
            });
            runConcurrently(calls, i -> assertEquals("for " + i, text(send(HttpRequest.newBuilder(server.uri("/"))
                    .header("X-Call", String.valueOf(i)).build()))));
            assertEquals(calls, server.connections(), "calls under way at once each need a connection");
            firstRound.set(false);
            for (int i = 0; i < 2 * calls; i++) {
                assertEquals("for " + i, text(send(HttpRequest.newBuilder(server.uri("/"))
                        .header("X-Call", String.valueOf(i)).build())));
            }
            assertEquals(calls, server.connections(), "later calls take pooled connections");
        }

        @Test
        void aConnectionLeftIdleAtTheBackOfThePoolIsClosedOnceItExpires() throws Exception {
            client = new Http1Client(Duration.ofSeconds(5), defaultTls(), direct(), Duration.ofMillis(300));
            CountDownLatch bothArrived = new CountDownLatch(2);
            Map<Integer, CompletableFuture<Boolean>> closedByClient = new ConcurrentHashMap<>();
            ScriptedServer server = server(peer -> {
                Request request = peer.read();
                bothArrived.countDown();
                await(bothArrived);
                peer.send(ScriptedServer.ok(request.header("X-Call")));
                closedByClient.computeIfAbsent(Integer.parseInt(request.header("X-Call")),
                        call -> new CompletableFuture<>()).complete(peer.endsWithin(Duration.ofSeconds(3)));
            });
            Map<Integer, InputStream> streams = new ConcurrentHashMap<>();
            runConcurrently(2, i -> streams.put(i, client.open(HttpRequest.newBuilder(server.uri("/"))
                    .header("X-Call", String.valueOf(i)).build(), LONG).body()));
            streams.get(0).readAllBytes();
            streams.get(0).close(); // call 0's connection idles from now on
            Thread.sleep(400);
            streams.get(1).readAllBytes();
            streams.get(1).close(); // goes in front of it: call 0's connection, at the back, has expired
            assertTrue(closedByClient.computeIfAbsent(0, call -> new CompletableFuture<>()).get(5, TimeUnit.SECONDS),
                    "the expired connection at the back of the pool was closed");
            assertEquals(2, server.connections());
        }

        @Test
        void closeWhenDoneClosesIdleConnectionsAtOnceAndEachOtherAsItsCallEnds() throws Exception {
            CountDownLatch retired = new CountDownLatch(1);
            Map<Integer, CompletableFuture<Boolean>> endedByClient = new ConcurrentHashMap<>();
            ScriptedServer server = server(peer -> {
                for (Request request; (request = peer.read()) != null; ) {
                    if (request.bodyText().equals("under way")) {
                        await(retired);
                    }
                    peer.send(ScriptedServer.ok(request.bodyText() + " on connection " + peer.index));
                }
                endedByClient.computeIfAbsent(peer.index, index -> new CompletableFuture<>()).complete(true);
            });
            CompletableFuture<String> underWay = CompletableFuture.supplyAsync(() -> {
                try {
                    return text(send(post(server.uri("/"), "under way")));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (server.connections() == 0) {
                Thread.sleep(5);
            }
            assertEquals("idle on connection 1", text(send(post(server.uri("/"), "idle"))));

            client.closeWhenDone();
            assertTrue(endedByClient.computeIfAbsent(1, index -> new CompletableFuture<>()).get(5, TimeUnit.SECONDS),
                    "the idle connection is closed at once");
            assertFalse(underWay.isDone());
            retired.countDown();
            assertEquals("under way on connection 0", underWay.get(5, TimeUnit.SECONDS), "not cut off");
            assertTrue(endedByClient.computeIfAbsent(0, index -> new CompletableFuture<>()).get(5, TimeUnit.SECONDS),
                    "closed as its call ended");
            assertEquals("late on connection 2", text(send(post(server.uri("/"), "late"))), "a retry still works");
            assertTrue(endedByClient.computeIfAbsent(2, index -> new CompletableFuture<>()).get(5, TimeUnit.SECONDS));
            assertEquals(3, server.connections());
        }

        @Test
        void atMostSixtyFourIdleConnectionsAreKeptPerOrigin() throws Exception {
            int calls = Http1Client.MAX_IDLE_PER_ORIGIN + 2;
            AtomicReference<CountDownLatch> round = new AtomicReference<>(new CountDownLatch(calls));
            ScriptedServer server = answering(request -> {
                CountDownLatch latch = round.get();
                latch.countDown();
                await(latch);
                return ScriptedServer.ok("ok");
            });
            // streams opened at once, then given back one after the other: the pool fills up to its bound
            Queue<InputStream> streams = new ConcurrentLinkedQueue<>();
            runConcurrently(calls, i -> streams.add(client.open(get(server.uri("/")), LONG).body()));
            assertEquals(calls, server.connections());
            for (InputStream stream : streams) {
                assertEquals("ok", new String(stream.readAllBytes(), UTF_8));
                stream.close();
            }
            round.set(new CountDownLatch(calls));
            runConcurrently(calls, i -> assertEquals("ok", text(send(get(server.uri("/"))))));
            assertEquals(calls + 2, server.connections(), "64 pooled connections came back, 2 were closed");
        }
    }

    // ------------------------------------------------------------------------------------------------- framings

    @Nested
    class Framings {
        @Test
        void aChunkedAnswerWithExtensionsAndTrailersIsReadAndTheConnectionReused() throws Exception {
            String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Before: 1\r\n\r\n"
                    + "5;name=value\r\nhello\r\n"
                    + "A ; a=b;c\r\n, chunked \r\n"   // upper-case hex, spaces and an extension without value
                    + "1\r\n!\r\n"
                    + "0;last=yes\r\nX-Checksum: abc\r\nX-Other: 2\r\n\r\n";
            ScriptedServer server = answering(request -> chunked);
            for (int i = 0; i < 3; i++) {
                ProviderHttp.Response<BoundedBytes> response = send(get(server.uri("/")));
                assertEquals("hello, chunked !", text(response));
                assertFalse(response.body().truncated());
                assertEquals("1", response.headers().firstValue("x-before").orElseThrow());
            }
            assertEquals(1, server.connections(), "read to its last chunk and trailers, the connection is reused");
        }

        @Test
        void chunkedCodingWinsOverAContentLength() throws Exception {
            ScriptedServer server = answering(request -> "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n6\r\nchunks\r\n0\r\n\r\n");
            assertEquals("chunks", text(send(get(server.uri("/")))));
            assertEquals("chunks", text(send(get(server.uri("/")))));
            assertEquals(1, server.connections());
        }

        @Test
        void aRepeatedIdenticalContentLengthIsAccepted() throws Exception {
            ScriptedServer server = answering(request -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                    + "Content-Length: 5\r\n\r\nhello");
            assertEquals("hello", text(send(get(server.uri("/")))));
            assertEquals("hello", text(send(get(server.uri("/")))));
            assertEquals(1, server.connections());
        }

        @Test
        void aCloseDelimitedAnswerIsReadToTheEndAndItsConnectionNotReused() throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end, connection " + peer.index);
                peer.close();
            });
            assertEquals("until the end, connection 0", text(send(get(server.uri("/")))));
            assertEquals("until the end, connection 1", text(send(get(server.uri("/")))));
            assertEquals(2, server.connections());
        }

        @Test
        void anAnswerWithConnectionCloseIsNotReusedAndTheClientClosesIt() throws Exception {
            BlockingQueue<Boolean> clientClosed = new LinkedBlockingQueue<>();
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
                clientClosed.add(peer.endsWithin(LONG)); // the server would go on; the client must not
            });
            assertEquals("ok", text(send(get(server.uri("/")))));
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS), "the client closed the connection");
            assertEquals("ok", text(send(get(server.uri("/")))));
            assertEquals(2, server.connections());
        }

        @Test
        void anHttp10AnswerIsNotReusedUnlessItSaysKeepAlive() throws Exception {
            ScriptedServer plain = answering(request -> "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
            send(get(plain.uri("/")));
            send(get(plain.uri("/")));
            assertEquals(2, plain.connections());

            ScriptedServer keepAlive = answering(
                    request -> "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok");
            assertEquals("ok", text(send(get(keepAlive.uri("/")))));
            assertEquals("ok", text(send(get(keepAlive.uri("/")))));
            assertEquals(1, keepAlive.connections());
        }

        @Test
        void answersWithoutABodyEndAtTheirHeadersAndKeepTheConnection() throws Exception {
            ScriptedServer server = answering(request -> switch (request.line().split(" ")[1]) {
                case "/204" -> "HTTP/1.1 204 No Content\r\nX-Kind: none\r\n\r\n";
                case "/304" -> "HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n";
                case "/head" -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
                default -> ScriptedServer.ok("after");
            });
            ProviderHttp.Response<BoundedBytes> noContent = send(get(server.uri("/204")));
            assertEquals(204, noContent.status());
            assertEquals(0, noContent.body().bytes().length);
            assertFalse(noContent.body().truncated());
            assertEquals("none", noContent.headers().firstValue("x-kind").orElseThrow());
            assertEquals(304, send(get(server.uri("/304"))).status());
            ProviderHttp.Response<BoundedBytes> head = send(HttpRequest.newBuilder(server.uri("/head")).HEAD().build());
            assertEquals(200, head.status());
            assertEquals(0, head.body().bytes().length, "the answer to HEAD has no body, whatever its length says");
            assertEquals("after", text(send(get(server.uri("/after")))));
            assertEquals(1, server.connections());
        }

        @Test
        void interimAnswersBeforeTheRealOneAreSkipped() throws Exception {
            ScriptedServer server = answering(request -> "HTTP/1.1 100 Continue\r\n\r\n"
                    + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 201 Created\r\nX-Final: yes\r\nContent-Length: 5\r\n\r\nfinal");
            for (int i = 0; i < 2; i++) {
                ProviderHttp.Response<BoundedBytes> response = send(post(server.uri("/"), "{}"));
                assertEquals(201, response.status());
                assertEquals("final", text(response));
                assertEquals("yes", response.headers().firstValue("x-final").orElseThrow());
                assertTrue(response.headers().firstValue("link").isEmpty(), "only the final answer's headers");
            }
            assertEquals(1, server.connections());
        }

        @Test
        void aRedirectIsReturnedNotFollowed() throws Exception {
            ScriptedServer server = answering(request -> "HTTP/1.1 307 Temporary Redirect\r\nLocation: /elsewhere\r\n"
                    + "Content-Length: 0\r\n\r\n");
            ProviderHttp.Response<BoundedBytes> response = send(post(server.uri("/here"), "secret"));
            assertEquals(307, response.status());
            assertEquals("/elsewhere", response.headers().firstValue("location").orElseThrow());
            assertEquals("POST /here HTTP/1.1", server.request().line());
            assertNull(server.requests.poll(), "nothing was sent to the Location");
        }

        @Test
        void answerHeadersKeepEveryValueWhateverTheCaseOfTheirName() throws Exception {
            ScriptedServer server = answering(request -> "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n"
                    + "X-Padded:    spaced value   \r\nX-Empty:\r\nContent-Length: 0\r\n\r\n");
            ProviderHttp.Response<BoundedBytes> response = send(get(server.uri("/")));
            assertEquals(List.of("a=1", "b=2"), response.headers().allValues("Set-Cookie"));
            assertEquals("spaced value", response.headers().firstValue("x-padded").orElseThrow());
            assertEquals("", response.headers().firstValue("x-empty").orElseThrow());
        }
    }

    // ------------------------------------------------------------------------------------------ stale connections

    @Nested
    class StaleConnections {
        @Test
        void aPooledConnectionTheServerClosedIsReplacedWithoutAnError() throws Exception {
            CountDownLatch firstClosed = new CountDownLatch(1);
            ScriptedServer server = server(peer -> {
                if (peer.index == 0) {
                    peer.read();
                    peer.send(ScriptedServer.ok("first"));
                    peer.close(); // idle connection dropped, as servers do after a while
                    firstClosed.countDown();
                    return;
                }
                for (Request request; (request = peer.read()) != null; ) {
                    peer.send(ScriptedServer.ok("on connection " + peer.index));
                }
            });
            assertEquals("first", text(send(post(server.uri("/"), "one"))));
            assertTrue(firstClosed.await(5, TimeUnit.SECONDS));
            assertEquals("on connection 1", text(send(post(server.uri("/"), "two"))));
            assertEquals("on connection 1", text(send(post(server.uri("/"), "three"))));
            assertEquals(2, server.connections());
        }

        @Test
        void aPooledConnectionResetBeforeTheRequestIsReadIsReplacedWithoutAnError() throws Exception {
            CountDownLatch firstReset = new CountDownLatch(1);
            ScriptedServer server = server(peer -> {
                if (peer.index == 0) {
                    peer.read();
                    peer.send(ScriptedServer.ok("first"));
                    peer.socket.setSoLinger(true, 0); // a reset rather than an orderly close
                    peer.close();
                    firstReset.countDown();
                    return;
                }
                for (Request request; (request = peer.read()) != null; ) {
                    peer.send(ScriptedServer.ok("second"));
                }
            });
            assertEquals("first", text(send(get(server.uri("/")))));
            assertTrue(firstReset.await(5, TimeUnit.SECONDS));
            assertEquals("second", text(send(get(server.uri("/")))));
            assertEquals(2, server.connections());
        }

        @Test
        void aPooledConnectionWhoseAnswerBreaksOffIsNotAskedAgain() throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send(ScriptedServer.ok("first"));
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\nContent-Le"); // some of an answer: the request may have been acted on
                peer.close();
            });
            assertEquals("first", text(send(post(server.uri("/"), "one"))));
            IOException failure = assertThrows(IOException.class, () -> send(post(server.uri("/"), "two")));
            assertFalse(failure instanceof HttpTimeoutException, failure.toString());
            assertEquals(1, server.connections(), "not sent again on a new connection");
        }

        @Test
        void aPooledConnectionThatTimesOutIsNotAskedAgain() throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send(ScriptedServer.ok("first"));
                peer.read();
                peer.hold();
            });
            assertEquals("first", text(send(get(server.uri("/")))));
            assertThrows(HttpTimeoutException.class,
                    () -> client.send(get(server.uri("/")), Duration.ofMillis(300), MB, MB));
            assertEquals(1, server.connections());
        }

        @Test
        void aNewConnectionClosedWithoutAnAnswerFails() throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.close();
            });
            IOException failure = assertThrows(IOException.class, () -> send(post(server.uri("/"), "body")));
            assertFalse(failure instanceof HttpTimeoutException, failure.toString());
            assertTrue(failure.getMessage().contains("without an answer"), failure.getMessage());
            assertEquals(1, server.connections(), "a new connection is not tried again");
        }
    }

    // ----------------------------------------------------------------------------------------------------- limits

    /** How a scripted answer frames its body. */
    enum Framing {
        LENGTH, CHUNKED, UNTIL_CLOSE;

        String answer(int status, String body) {
            String start = "HTTP/1.1 " + status + " Status\r\nContent-Type: text/plain\r\n";
            return switch (this) {
                case LENGTH -> start + "Content-Length: " + body.length() + "\r\n\r\n" + body;
                case CHUNKED -> {
                    StringBuilder answer = new StringBuilder(start).append("Transfer-Encoding: chunked\r\n\r\n");
                    for (int at = 0; at < body.length(); at += 1000) {
                        String part = body.substring(at, Math.min(body.length(), at + 1000));
                        answer.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
                    }
                    yield answer.append("0\r\n\r\n").toString();
                }
                case UNTIL_CLOSE -> start + "\r\n" + body;
            };
        }
    }

    /** A server answering each request with {@code status} and a body of {@code size} pattern bytes, framed so. */
    private ScriptedServer framed(Framing framing, int status, int size) throws IOException {
        return server(peer -> {
            for (Request request; (request = peer.read()) != null; ) {
                peer.send(framing.answer(status, pattern(size)));
                if (framing == Framing.UNTIL_CLOSE) {
                    peer.close();
                    return;
                }
            }
        });
    }

    static Stream<Arguments> framingsAndSizes() {
        return Stream.of(Framing.values()).flatMap(framing -> Stream.of(0, 1, 64, 8191, 8192, 8193, 20_000)
                .map(size -> Arguments.of(framing, size)));
    }

    static Stream<Arguments> framingsAndPositiveSizes() {
        return framingsAndSizes().filter(arguments -> (int) arguments.get()[1] > 0);
    }

    @Nested
    class Limits {
        @ParameterizedTest(name = "{0}, {1} bytes")
        @MethodSource("io.mcpagent.provider.support.Http1ClientTest#framingsAndSizes")
        void aBodyOfExactlyTheLimitIsWhole(Framing framing, int size) throws Exception {
            ScriptedServer server = framed(framing, 200, size);
            for (int i = 0; i < 2; i++) {
                ProviderHttp.Response<BoundedBytes> response = client.send(get(server.uri("/")), LONG, size, 0);
                assertFalse(response.body().truncated());
                assertEquals(pattern(size), new String(response.body().bytes(), ISO_8859_1));
            }
            assertEquals(framing == Framing.UNTIL_CLOSE ? 2 : 1, server.connections());
        }

        @ParameterizedTest(name = "{0}, {1} bytes")
        @MethodSource("io.mcpagent.provider.support.Http1ClientTest#framingsAndPositiveSizes")
        void aSuccessfulBodyOverTheLimitIsCutThereAndMarkedTruncated(Framing framing, int size) throws Exception {
            ScriptedServer server = framed(framing, 200, size);
            ProviderHttp.Response<BoundedBytes> response = client.send(get(server.uri("/")), LONG, size - 1, MB);
            assertTrue(response.body().truncated());
            assertEquals(pattern(size - 1), new String(response.body().bytes(), ISO_8859_1));
            ProviderHttp.Response<BoundedBytes> whole = client.send(get(server.uri("/")), LONG, size, 0);
            assertEquals(size, whole.body().bytes().length);
            assertEquals(2, server.connections(), "a connection whose body was left unread is not reused");
        }

        @Test
        void aFarLargerBodyIsCutAtTheLimit() throws Exception {
            ScriptedServer server = framed(Framing.CHUNKED, 200, 300_000);
            ProviderHttp.Response<BoundedBytes> response = client.send(get(server.uri("/")), LONG, 10, MB);
            assertTrue(response.body().truncated());
            assertEquals(pattern(10), new String(response.body().bytes(), ISO_8859_1));
        }

        @ParameterizedTest
        @EnumSource(Framing.class)
        void anErrorBodyIsBoundedByTheErrorLimit(Framing framing) throws Exception {
            ScriptedServer serverError = framed(framing, 500, 100);
            ProviderHttp.Response<BoundedBytes> cut = client.send(get(serverError.uri("/")), LONG, 10, 50);
            assertEquals(500, cut.status());
            assertTrue(cut.body().truncated());
            assertEquals(pattern(50), new String(cut.body().bytes(), ISO_8859_1));

            ScriptedServer notFound = framed(framing, 404, 30);
            ProviderHttp.Response<BoundedBytes> whole = client.send(get(notFound.uri("/")), LONG, 10, 50);
            assertEquals(404, whole.status());
            assertFalse(whole.body().truncated(), "30 bytes are within the error limit, though over the limit");
            assertEquals(pattern(30), new String(whole.body().bytes(), ISO_8859_1));

            ScriptedServer ok = framed(framing, 200, 30);
            ProviderHttp.Response<BoundedBytes> success = client.send(get(ok.uri("/")), LONG, 10, 50);
            assertTrue(success.body().truncated(), "a 2xx body is bounded by the limit, not the error limit");
            assertEquals(pattern(10), new String(success.body().bytes(), ISO_8859_1));
        }

        @Test
        void headersOfJustUnderSixtyFourKilobytesAreRead() throws Exception {
            StringBuilder headers = new StringBuilder();
            for (int i = 0; headers.length() < 60_000; i++) {
                headers.append("X-Header-").append(i).append(": ").append("v".repeat(20)).append("\r\n");
            }
            ScriptedServer server = answering(request -> "HTTP/1.1 200 OK\r\n" + headers + "Content-Length: 2\r\n\r\nok");
            ProviderHttp.Response<BoundedBytes> response = send(get(server.uri("/")));
            assertEquals("ok", text(response));
            assertEquals("v".repeat(20), response.headers().firstValue("x-header-0").orElseThrow());
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void headersOverSixtyFourKilobytesFail(boolean oneLongHeader) throws Exception {
            String headers;
            if (oneLongHeader) {
                headers = "X-Big: " + "a".repeat(70_000) + "\r\n";
            } else {
                StringBuilder many = new StringBuilder();
                for (int i = 0; many.length() < 70_000; i++) {
                    many.append("X-Header-").append(i).append(": ").append("v".repeat(20)).append("\r\n");
                }
                headers = many.toString();
            }
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: 2\r\n\r\nok");
                peer.hold();
            });
            IOException failure = assertThrows(IOException.class, () -> send(get(server.uri("/"))));
            assertFalse(failure instanceof HttpTimeoutException, failure.toString());
            assertTrue(failure.getMessage().contains("exceed"), failure.getMessage());
        }

        static Stream<Arguments> malformedAnswers() {
            String ok = "HTTP/1.1 200 OK\r\n";
            String chunked = ok + "Transfer-Encoding: chunked\r\n\r\n";
            return Stream.of(
                    Arguments.of("HTTP/2 status line", "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n"),
                    Arguments.of("not HTTP at all", "SSH-2.0-OpenSSH_9.6\r\n\r\n"),
                    Arguments.of("status not a number", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n"),
                    Arguments.of("status too short", "HTTP/1.1 20\r\nContent-Length: 0\r\n\r\n"),
                    Arguments.of("no space after the version", "HTTP/1.1200 OK\r\nContent-Length: 0\r\n\r\n"),
                    Arguments.of("header without a colon", ok + "This is no header\r\nContent-Length: 0\r\n\r\n"),
                    Arguments.of("header without a name", ok + ": value\r\nContent-Length: 0\r\n\r\n"),
                    Arguments.of("Content-Length not a number", ok + "Content-Length: abc\r\n\r\n"),
                    Arguments.of("Content-Length negative", ok + "Content-Length: -1\r\n\r\n"),
                    Arguments.of("Content-Length too large", ok + "Content-Length: 99999999999999999999\r\n\r\n"),
                    Arguments.of("Content-Lengths in conflict", ok + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                    Arguments.of("Content-Length list in conflict", ok + "Content-Length: 5, 6\r\n\r\nhello!"),
                    Arguments.of("chunk size not hex", chunked + "zz\r\nhello\r\n0\r\n\r\n"),
                    Arguments.of("chunk size negative", chunked + "-5\r\nhello\r\n0\r\n\r\n"),
                    Arguments.of("chunk longer than its size", chunked + "3\r\nabcdef\r\n0\r\n\r\n"),
                    Arguments.of("chunk size line endless", chunked + "1;" + "x".repeat(5000) + "\r\na\r\n0\r\n\r\n"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("malformedAnswers")
        void aMalformedAnswerFailsAtOnceAsAnIOException(String what, String answer) throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send(answer);
                peer.hold(); // the connection stays open: the client must see the fault, not wait for an end
            });
            long start = System.nanoTime();
            // the server's fault, which ProviderHttp reports as such, not as the network's
            IOException failure = assertThrows(Http1Client.MalformedAnswerException.class,
                    () -> send(get(server.uri("/"))), what);
            assertTrue(System.nanoTime() - start < LONG.toNanos(), "did not wait for the request timeout");
        }

        static Stream<Arguments> brokenOffAnswers() {
            String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
            return Stream.of(
                    Arguments.of("headers", "HTTP/1.1 200 OK\r\nContent-Le"),
                    Arguments.of("body before its length", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"),
                    Arguments.of("inside a chunk", chunked + "a\r\n12345"),
                    Arguments.of("inside a chunk size", chunked + "5\r\nhello\r\n1"),
                    Arguments.of("before the last chunk", chunked + "5\r\nhello\r\n"),
                    Arguments.of("inside the trailers", chunked + "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("brokenOffAnswers")
        void anAnswerThatBreaksOffFailsAsAnIOException(String where, String answer) throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send(answer);
                peer.close();
            });
            IOException failure = assertThrows(IOException.class, () -> send(get(server.uri("/"))));
            assertFalse(failure instanceof HttpTimeoutException, where + ": " + failure);
            assertTrue(failure.getMessage().contains("broke off"), where + ": " + failure.getMessage());
        }
    }

    // --------------------------------------------------------------------------------------------------- timeouts

    @Nested
    class Timeouts {
        @ParameterizedTest
        @EnumSource(Caller.class)
        void noHeadersWithinTheTimeoutIsAnHttpTimeout(Caller caller) throws Exception {
            BlockingQueue<Boolean> clientClosed = new LinkedBlockingQueue<>();
            ScriptedServer server = server(peer -> {
                peer.read();
                clientClosed.add(peer.endsWithin(LONG));
            });
            assertThrows(HttpTimeoutException.class,
                    () -> caller.call(() -> client.send(get(server.uri("/")), Duration.ofMillis(300), MB, MB)));
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS), "the timed-out connection is closed");
            assertThrows(HttpTimeoutException.class,
                    () -> caller.call(() -> client.open(get(server.uri("/")), Duration.ofMillis(300))));
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS));
        }

        @ParameterizedTest
        @EnumSource(Framing.class)
        void aBodyStalledAfterTheHeadersTimesOutByTheDeadline(Framing framing) throws Exception {
            String whole = framing.answer(200, pattern(5000));
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send(whole.substring(0, whole.length() - 2000));
                peer.hold();
            });
            long start = System.nanoTime();
            assertThrows(HttpTimeoutException.class,
                    () -> client.send(get(server.uri("/")), Duration.ofMillis(300), MB, MB));
            assertTrue(System.nanoTime() - start < LONG.toNanos(), "returns well within 5 s");
        }

        @Test
        void aBodyThatKeepsComingButTakesLongerThanTheTimeoutTimesOutInSend() throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                for (int i = 0; i < 10; i++) {
                    Thread.sleep(100);
                    peer.send("1\r\n" + i + "\r\n");
                }
                peer.send("0\r\n\r\n");
                peer.hold();
            });
            assertThrows(HttpTimeoutException.class,
                    () -> client.send(get(server.uri("/")), Duration.ofMillis(400), MB, MB),
                    "send bounds the whole answer, not each read");
        }

        @ParameterizedTest
        @EnumSource(Caller.class)
        void aStreamSilentForLongerThanTheTimeoutFailsItsRead(Caller caller) throws Exception {
            BlockingQueue<Boolean> clientClosed = new LinkedBlockingQueue<>();
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "9\r\ndata: 1\n\n\r\n");
                clientClosed.add(peer.endsWithin(LONG));
            });
            ProviderHttp.Response<InputStream> response = client.open(get(server.uri("/")), Duration.ofMillis(300));
            try (InputStream body = response.body()) {
                assertEquals("data: 1\n\n", new String(body.readNBytes(9), UTF_8));
                assertThrows(HttpTimeoutException.class, () -> caller.call(body::read));
                IOException after = assertThrows(IOException.class, body::read);
                assertFalse(after instanceof HttpTimeoutException, "the failed stream is closed: " + after);
            }
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS));
        }

        @ParameterizedTest
        @EnumSource(Caller.class)
        void aStreamWhoseGapsAreShorterThanTheTimeoutIsReadWhole(Caller caller) throws Exception {
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                expected.append("data: ").append(i).append("\n\n");
            }
            ScriptedServer server = server(peer -> {
                for (Request request; (request = peer.read()) != null; ) {
                    peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                    for (int i = 0; i < 8; i++) {
                        Thread.sleep(100);
                        String event = "data: " + i + "\n\n";
                        peer.send(Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
                    }
                    peer.send("0\r\n\r\n");
                }
            });
            ProviderHttp.Response<InputStream> response = client.open(get(server.uri("/")), Duration.ofMillis(2000));
            try (InputStream body = response.body()) {
                assertEquals(expected.toString(), new String(caller.call(body::readAllBytes), UTF_8),
                        "800 ms in all, 100 ms at a time, with 2 s allowed for each");
            }
        }

        @ParameterizedTest
        @EnumSource(Caller.class)
        void aConnectionNotAcceptedInTimeFailsWithAConnectTimeout(Caller caller) throws Exception {
            InetSocketAddress full = listenerWithAFullBacklog();
            client = new Http1Client(Duration.ofMillis(200), defaultTls(), direct());
            URI uri = URI.create("http://127.0.0.1:" + full.getPort() + "/");
            long start = System.nanoTime();
            assertThrows(HttpConnectTimeoutException.class, () -> caller.call(() -> send(get(uri))));
            assertTrue(System.nanoTime() - start < LONG.toNanos(), "the connect timeout, not the request timeout");
        }

        @Test
        void aNonRoutableAddressFailsWithinItsConnectTimeout() throws Exception {
            InetSocketAddress nowhere = new InetSocketAddress("10.255.255.1", 81);
            try (Socket probe = new Socket()) {
                probe.connect(nowhere, 200);
                Assumptions.abort("this network answers for 10.255.255.1 (an intercepting proxy), nothing to test");
            } catch (IOException expected) {
                // unreachable, as it should be
            }
            client = new Http1Client(Duration.ofMillis(200), defaultTls(), direct());
            IOException failure = assertTimeoutPreemptively(LONG, () -> assertThrows(IOException.class,
                    () -> client.send(get(URI.create("http://10.255.255.1:81/")), LONG, MB, MB)));
            // HttpConnectTimeoutException where the packets vanish, a ConnectException or the like where there is no
            // route; but never the request timeout, which has 5 s to go
            if (failure instanceof HttpTimeoutException) {
                assertInstanceOf(HttpConnectTimeoutException.class, failure);
            }
        }

        @Test
        void aRefusedConnectionIsAConnectException() throws Exception {
            int port;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = closed.getLocalPort();
            }
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            assertThrows(ConnectException.class, () -> send(get(uri)));
            assertThrows(ConnectException.class, () -> client.open(get(uri), LONG));
        }
    }

    // ------------------------------------------------------------------------------------------------- interrupts

    @Nested
    class Interrupts {
        @ParameterizedTest
        @EnumSource(Caller.class)
        void anInterruptedCallerEndsAtOnceWithItsFlagSetAndItsConnectionClosed(Caller kind) throws Exception {
            CountDownLatch arrived = new CountDownLatch(1);
            BlockingQueue<Boolean> clientClosed = new LinkedBlockingQueue<>();
            ScriptedServer server = server(peer -> {
                peer.read();
                arrived.countDown();
                clientClosed.add(peer.endsWithin(LONG));
            });
            Background caller = new Background(kind.thread(), () -> {
                client.send(get(server.uri("/")), Duration.ofSeconds(30), MB, MB);
            });
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
            caller.interrupt();
            assertTrue(caller.join(LONG), "the call ended");
            assertInterrupted(caller.thrown(), caller.flagAfter());
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS), "its connection was closed");
            assertEquals(1, server.connections(), "not tried again");
        }

        @Test
        void aVirtualThreadInterruptedBeforeTheCallSendsNothing() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            Background caller = new Background(Thread.ofVirtual(), () -> {
                Thread.currentThread().interrupt();
                client.send(get(server.uri("/")), LONG, MB, MB);
            });
            assertTrue(caller.join(LONG));
            assertInstanceOf(InterruptedException.class, caller.thrown());
            assertEquals(0, server.connections());
        }

        @Test
        void anInterruptedVirtualThreadReadingAStreamEndsAtOnce() throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
                peer.hold();
            });
            CountDownLatch reading = new CountDownLatch(1);
            Background reader = new Background(Thread.ofVirtual(), () -> {
                try (InputStream body = client.open(get(server.uri("/")), Duration.ofSeconds(30)).body()) {
                    body.readNBytes(5);
                    reading.countDown();
                    body.read();
                }
            });
            assertTrue(reading.await(5, TimeUnit.SECONDS));
            reader.interrupt();
            assertTrue(reader.join(LONG));
            assertInstanceOf(IOException.class, reader.thrown());
            assertTrue(reader.flagAfter());
        }
    }

    /** An interrupted call ends with an InterruptedException, or an IOException that leaves the flag set. */
    private static void assertInterrupted(Throwable failure, boolean flagAfter) {
        assertTrue(failure instanceof IOException || failure instanceof InterruptedException, String.valueOf(failure));
        assertFalse(failure instanceof HttpTimeoutException, failure.toString());
        if (failure instanceof IOException) {
            assertTrue(flagAfter, "an IOException for an interrupt leaves the interrupt flag set: " + failure);
        }
    }

    // ---------------------------------------------------------------------------------------------------- streams

    @Nested
    class Streams {
        @ParameterizedTest
        @EnumSource(value = Framing.class, names = {"LENGTH", "CHUNKED"})
        void aStreamReadToItsEndAndClosedGivesItsConnectionBack(Framing framing) throws Exception {
            ScriptedServer server = framed(framing, 200, 5000);
            for (int i = 0; i < 3; i++) {
                ProviderHttp.Response<InputStream> response = client.open(get(server.uri("/")), LONG);
                assertEquals(200, response.status());
                InputStream body = response.body();
                assertEquals(pattern(5000), new String(body.readAllBytes(), ISO_8859_1));
                assertEquals(-1, body.read(), "the end stays the end");
                assertEquals(-1, body.read(new byte[10], 0, 10));
                body.close();
            }
            assertEquals(1, server.connections());
            assertEquals(pattern(5000), new String(send(get(server.uri("/"))).body().bytes(), ISO_8859_1));
            assertEquals(1, server.connections(), "send takes the connection streams gave back");
        }

        @Test
        void aStreamReadByteByByteEndsLikeOneReadInBulk() throws Exception {
            ScriptedServer server = framed(Framing.CHUNKED, 200, 2500);
            try (InputStream body = client.open(get(server.uri("/")), LONG).body()) {
                StringBuilder read = new StringBuilder();
                for (int b; (b = body.read()) != -1; ) {
                    read.append((char) b);
                }
                assertEquals(pattern(2500), read.toString());
            }
        }

        @ParameterizedTest
        @EnumSource(value = Framing.class, names = {"LENGTH", "CHUNKED"})
        void aStreamClosedBeforeItsEndClosesItsConnection(Framing framing) throws Exception {
            BlockingQueue<Boolean> clientClosed = new LinkedBlockingQueue<>();
            ScriptedServer server = server(peer -> {
                peer.read();
                if (peer.index > 0) {
                    peer.send(framing.answer(200, pattern(100_000)));
                    peer.hold();
                    return;
                }
                try {
                    peer.send(framing.answer(200, pattern(100_000)));
                    clientClosed.add(peer.endsWithin(LONG));
                } catch (IOException e) {
                    clientClosed.add(true); // the client closed it while the rest was being written
                }
            });
            InputStream body = client.open(get(server.uri("/")), LONG).body();
            assertEquals(pattern(10), new String(body.readNBytes(10), ISO_8859_1));
            body.close();
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS), "the rest is not read: it is closed");
            try (InputStream again = client.open(get(server.uri("/")), LONG).body()) {
                assertEquals(pattern(100_000), new String(again.readAllBytes(), ISO_8859_1));
            }
            assertEquals(2, server.connections());
        }

        @Test
        void readingAClosedStreamFails() throws Exception {
            ScriptedServer server = framed(Framing.LENGTH, 200, 100);
            InputStream early = client.open(get(server.uri("/")), LONG).body();
            early.close();
            assertThrows(IOException.class, early::read);
            assertThrows(IOException.class, () -> early.read(new byte[10]));
            early.close(); // twice is harmless

            InputStream done = client.open(get(server.uri("/")), LONG).body();
            done.readAllBytes();
            done.close();
            assertThrows(IOException.class, done::read);
        }

        @Test
        void aCloseDelimitedStreamEndsWithItsConnection() throws Exception {
            ScriptedServer server = framed(Framing.UNTIL_CLOSE, 200, 3000);
            for (int i = 0; i < 2; i++) {
                try (InputStream body = client.open(get(server.uri("/")), LONG).body()) {
                    assertEquals(pattern(3000), new String(body.readAllBytes(), ISO_8859_1));
                }
            }
            assertEquals(2, server.connections());
        }

        @Test
        void anErrorAnswerIsOpenedLikeAnyOther() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.answer(404, "no such model"));
            ProviderHttp.Response<InputStream> response = client.open(get(server.uri("/")), LONG);
            assertEquals(404, response.status());
            try (InputStream body = response.body()) {
                assertEquals("no such model", new String(body.readAllBytes(), UTF_8));
            }
            ProviderHttp.Response<InputStream> noContent;
            ScriptedServer empty = answering(request -> "HTTP/1.1 204 No Content\r\n\r\n");
            noContent = client.open(get(empty.uri("/")), LONG);
            try (InputStream body = noContent.body()) {
                assertEquals(-1, body.read());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- closing

    @Nested
    class Closing {
        @Test
        void closingTheClientFailsACallInFlightAndRefusesLaterOnes() throws Exception {
            CountDownLatch arrived = new CountDownLatch(1);
            ScriptedServer server = server(peer -> {
                peer.read();
                arrived.countDown();
                peer.hold();
            });
            Background caller = new Background(Thread.ofPlatform(), () -> {
                client.send(get(server.uri("/")), Duration.ofSeconds(30), MB, MB);
            });
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
            client.close();
            assertTrue(caller.join(LONG), "the call in flight ended");
            assertInstanceOf(IOException.class, caller.thrown());

            IOException later = assertThrows(IOException.class, () -> send(get(server.uri("/"))));
            assertTrue(later.getMessage().contains("closed"), later.getMessage());
            IOException laterStream = assertThrows(IOException.class, () -> client.open(get(server.uri("/")), LONG));
            assertTrue(laterStream.getMessage().contains("closed"), laterStream.getMessage());
            assertEquals(1, server.connections(), "no connection for refused calls");
            client.close(); // twice is harmless
        }

        @Test
        void closingTheClientFailsACallInFlightOnAPooledConnection() throws Exception {
            CountDownLatch arrived = new CountDownLatch(1);
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send(ScriptedServer.ok("first"));
                peer.read();
                arrived.countDown();
                peer.hold();
            });
            assertEquals("first", text(send(get(server.uri("/")))));
            Background caller = new Background(Thread.ofVirtual(), () -> {
                client.send(get(server.uri("/")), Duration.ofSeconds(30), MB, MB);
            });
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
            client.close();
            assertTrue(caller.join(LONG));
            assertInstanceOf(IOException.class, caller.thrown());
            assertFalse(caller.thrown() instanceof HttpTimeoutException);
        }

        @Test
        void closingTheClientClosesItsIdleConnectionsAndOpenStreams() throws Exception {
            BlockingQueue<Boolean> clientClosed = new LinkedBlockingQueue<>();
            ScriptedServer server = server(peer -> {
                Request request = peer.read();
                if (request.line().startsWith("GET /pooled ")) {
                    peer.send(ScriptedServer.ok("pooled"));
                } else {
                    peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
                }
                clientClosed.add(peer.endsWithin(LONG));
            });
            InputStream stream = client.open(get(server.uri("/stream")), LONG).body();
            assertEquals("first", new String(stream.readNBytes(5), UTF_8));
            assertEquals("pooled", text(send(get(server.uri("/pooled")))));
            assertEquals(2, server.connections());
            client.close();
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS));
            assertEquals(Boolean.TRUE, clientClosed.poll(5, TimeUnit.SECONDS));
            assertThrows(IOException.class, stream::read);
        }
    }

    // ---------------------------------------------------------------------------------------------- request bodies

    @Nested
    class RequestBodies {
        @Test
        void aBodyOfSeveralBuffersArrivesWhole() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            byte[] large = pattern(40_000).getBytes(ISO_8859_1);
            List<byte[]> parts = List.of("first|".getBytes(UTF_8), new byte[0], large, "|l\u00e4st".getBytes(UTF_8));
            send(HttpRequest.newBuilder(server.uri("/")).POST(BodyPublishers.ofByteArrays(parts)).build());
            Request arrived = server.request();
            byte[] expected = concat(parts);
            assertArrayEquals(expected, arrived.body());
            assertEquals(String.valueOf(expected.length), arrived.header("Content-Length"));
        }

        @Test
        void aBodyOfUnknownLengthIsSentWithItsLength() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            byte[] bytes = pattern(70_000).getBytes(ISO_8859_1);
            send(HttpRequest.newBuilder(server.uri("/"))
                    .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build());
            Request arrived = server.request();
            assertArrayEquals(bytes, arrived.body());
            assertEquals("70000", arrived.header("Content-Length"));
        }

        @Test
        void aRequestWithoutBodySendsNoContentLengthButAnEmptyBodySaysZero() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            send(get(server.uri("/get")));
            Request get = server.request();
            assertEquals("GET /get HTTP/1.1", get.line());
            assertNull(get.header("Content-Length"));
            send(HttpRequest.newBuilder(server.uri("/delete")).DELETE().build());
            assertNull(server.request().header("Content-Length"));
            send(HttpRequest.newBuilder(server.uri("/post")).POST(BodyPublishers.noBody()).build());
            assertEquals("0", server.request().header("Content-Length"));
            send(HttpRequest.newBuilder(server.uri("/put")).PUT(BodyPublishers.ofString("")).build());
            assertEquals("0", server.request().header("Content-Length"));
            assertEquals(1, server.connections());
        }

        @Test
        void aFailingBodyPublisherFailsTheCallBeforeAnythingIsSent() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            HttpRequest request = HttpRequest.newBuilder(server.uri("/")).POST(BodyPublishers.ofInputStream(
                    () -> new InputStream() {
                        @Override
                        public int read() throws IOException {
                            throw new IOException("disk gone");
                        }
                    })).build();
            assertThrows(IOException.class, () -> send(request));
            assertEquals(0, server.connections());
        }
    }

    // --------------------------------------------------------------------------------------------------- proxies

    @Nested
    class Proxies {
        @Test
        void anHttpCallThroughAProxyIsSentInAbsoluteForm() throws Exception {
            ScriptedServer proxy = answering(request -> ScriptedServer.ok("proxied " + request.bodyText()));
            Queue<URI> asked = new ConcurrentLinkedQueue<>();
            client = new Http1Client(LONG, defaultTls(), via(proxy.port(), asked));
            URI origin = URI.create("http://origin.test:8080/v1/chat?x=1");
            for (int i = 0; i < 2; i++) {
                ProviderHttp.Response<BoundedBytes> response = send(HttpRequest.newBuilder(origin)
                        .header("X-Key", "k").POST(BodyPublishers.ofString("body " + i)).build());
                assertEquals("proxied body " + i, text(response));
                Request arrived = proxy.request();
                assertEquals("POST http://origin.test:8080/v1/chat?x=1 HTTP/1.1", arrived.line());
                assertEquals("origin.test:8080", arrived.header("Host"));
                assertEquals("k", arrived.header("X-Key"));
                assertEquals("body " + i, arrived.bodyText());
            }
            assertEquals(1, proxy.connections(), "the connection to the proxy is kept alive");
            assertTrue(asked.contains(origin), "the selector was asked for the request's URI: " + asked);
        }

        @ParameterizedTest
        @ValueSource(ints = {407, 403, 502})
        void aProxyRefusingATunnelFailsNamingTheRefusal(int status) throws Exception {
            ScriptedServer proxy = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 " + status + " No\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n"
                        + "Content-Length: 7\r\n\r\nrefused");
                peer.hold();
            });
            client = new Http1Client(LONG, defaultTls(), via(proxy.port(), new ConcurrentLinkedQueue<>()));
            IOException failure = assertThrows(IOException.class, () -> send(get(URI.create("https://origin.test/x"))));
            assertFalse(failure instanceof SSLException, failure.toString());
            assertTrue(failure.getMessage().contains("refused"), failure.getMessage());
            assertTrue(failure.getMessage().contains(String.valueOf(status)), failure.getMessage());
            assertTrue(failure.getMessage().contains("origin.test:443"), failure.getMessage());
            Request connect = proxy.request();
            assertEquals("CONNECT origin.test:443 HTTP/1.1", connect.line());
            assertEquals("origin.test:443", connect.header("Host"));
        }
    }

    // ------------------------------------------------------------------------------------------------------- TLS

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Tls {
        private static final char[] PASSWORD = "changeit".toCharArray();
        /** Names 127.0.0.1 and localhost. */
        private KeyStore both;
        /** Names 127.0.0.1 only (and its CN is no host name). */
        private KeyStore ipOnly;
        private SSLContext trusting;

        @BeforeAll
        void certificates(@TempDir Path dir) throws Exception {
            Path bothStore = dir.resolve("both.p12");
            Path ipStore = dir.resolve("ip.p12");
            Process first = keytool(bothStore, "CN=test server", "SAN=ip:127.0.0.1,dns:localhost");
            Process second = keytool(ipStore, "CN=test server by address", "SAN=ip:127.0.0.1");
            finish(first);
            finish(second);
            both = load(bothStore);
            ipOnly = load(ipStore);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("both", both.getCertificate("server"));
            trust.setCertificateEntry("ip", ipOnly.getCertificate("server"));
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            trusting = SSLContext.getInstance("TLS");
            trusting.init(null, trustManagers.getTrustManagers(), null);
        }

        private Process keytool(Path store, String dname, String san) throws IOException {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            return new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "2", "-dname", dname, "-ext", san, "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
        }

        private void finish(Process process) throws Exception {
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool ended");
            assertEquals(0, process.exitValue(), output);
        }

        private KeyStore load(Path store) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            return keys;
        }

        private SSLContext serving(KeyStore keys) throws Exception {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        }

        /** An HttpsServer answering "tls PATH"; the remote ports of its exchanges tell its connections apart. */
        private HttpsServer https(KeyStore keys, Queue<Integer> remotePorts) throws Exception {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(serving(keys)));
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                remotePorts.add(exchange.getRemoteAddress().getPort());
                byte[] request = exchange.getRequestBody().readAllBytes();
                byte[] body = ("tls " + exchange.getRequestURI().getPath() + " " + new String(request, UTF_8))
                        .trim().getBytes(UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            use(() -> {
                server.stop(0);
                executor.shutdownNow();
            });
            return server;
        }

        private Http1Client trustingClient(ProxySelector proxies) {
            Http1Client trustingClient = new Http1Client(LONG, trusting, proxies);
            use(trustingClient);
            return trustingClient;
        }

        @Test
        void anHttpsCallWorksAndReusesItsConnection() throws Exception {
            Queue<Integer> ports = new ConcurrentLinkedQueue<>();
            HttpsServer server = https(both, ports);
            Http1Client tls = trustingClient(direct());
            for (int i = 0; i < 3; i++) {
                ProviderHttp.Response<BoundedBytes> response = tls.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/secure"))
                        .POST(BodyPublishers.ofString("n" + i)).build(), LONG, MB, MB);
                assertEquals(200, response.status());
                assertEquals("tls /secure n" + i, text(response));
            }
            try (InputStream body = tls.open(get(URI.create("https://127.0.0.1:" + server.getAddress().getPort()
                    + "/stream")), LONG).body()) {
                assertEquals("tls /stream", new String(body.readAllBytes(), UTF_8));
            }
            assertEquals(4, ports.size());
            assertEquals(1, Set.copyOf(ports).size(), "one TLS connection for all calls: " + ports);
        }

        @Test
        void aHostNameInTheCertificateIsVerifiedAndAccepted() throws Exception {
            HttpsServer server = https(both, new ConcurrentLinkedQueue<>());
            ProviderHttp.Response<BoundedBytes> response = trustingClient(direct()).send(
                    get(URI.create("https://localhost:" + server.getAddress().getPort() + "/named")), LONG, MB, MB);
            assertEquals("tls /named", text(response));
        }

        @Test
        void aHostNameTheCertificateDoesNotCarryFailsVerification() throws Exception {
            HttpsServer server = https(ipOnly, new ConcurrentLinkedQueue<>());
            Http1Client tls = trustingClient(direct());
            int port = server.getAddress().getPort();
            assertEquals("tls /by-address",
                    text(tls.send(get(URI.create("https://127.0.0.1:" + port + "/by-address")), LONG, MB, MB)),
                    "the same certificate is trusted for the address it names");
            IOException failure = assertThrows(IOException.class,
                    () -> tls.send(get(URI.create("https://localhost:" + port + "/by-name")), LONG, MB, MB));
            assertInstanceOf(SSLHandshakeException.class, failure);
            assertTrue(String.valueOf(failure.getMessage()).contains("localhost"), failure.getMessage());
        }

        @Test
        void theDefaultTrustStoreRefusesASelfSignedServer() throws Exception {
            HttpsServer server = https(both, new ConcurrentLinkedQueue<>());
            assertThrows(SSLHandshakeException.class, () -> send(get(URI.create("https://127.0.0.1:"
                    + server.getAddress().getPort() + "/"))));
        }

        @Test
        void aTlsConnectionTheServerClosedIsReplacedWithoutAnError() throws Exception {
            CountDownLatch firstClosed = new CountDownLatch(1);
            ScriptedServer server = use(new ScriptedServer(serving(both), peer -> {
                for (Request request; (request = peer.read()) != null; ) {
                    peer.send(ScriptedServer.ok("tls on connection " + peer.index));
                    if (peer.index == 0) {
                        peer.close(); // close_notify, then the TCP close
                        firstClosed.countDown();
                        return;
                    }
                }
            }));
            Http1Client tls = trustingClient(direct());
            assertEquals("tls on connection 0", text(tls.send(get(server.uri("/")), LONG, MB, MB)));
            assertTrue(firstClosed.await(5, TimeUnit.SECONDS));
            assertEquals("tls on connection 1", text(tls.send(get(server.uri("/")), LONG, MB, MB)));
            assertEquals("tls on connection 1", text(tls.send(get(server.uri("/")), LONG, MB, MB)));
            assertEquals(2, server.connections());
        }

        @ParameterizedTest
        @EnumSource(Caller.class)
        void aTlsAnswerWhoseRecordsArriveInSlowPiecesIsReadIntact(Caller caller) throws Exception {
            AtomicBoolean slow = new AtomicBoolean();
            String body = pattern(3000);
            ScriptedServer origin = use(new ScriptedServer(serving(both), peer -> {
                for (Request request; (request = peer.read()) != null; ) {
                    slow.set(true); // the handshake went at full speed; the answer comes in pieces
                    peer.send(ScriptedServer.ok(body));
                }
            }));
            ScriptedServer relay = server(peer -> {
                try (Socket upstream = new Socket("127.0.0.1", origin.port())) {
                    Thread toOrigin = Thread.ofVirtual().start(() -> pipe(peer.in, upstream));
                    pipeSlowly(upstream.getInputStream(), peer.socket, slow);
                    toOrigin.join();
                }
            });
            Http1Client tls = trustingClient(direct());
            URI uri = URI.create("https://127.0.0.1:" + relay.port() + "/slow");
            assertEquals(body, text(caller.call(() -> tls.send(get(uri), LONG, MB, MB))),
                    "records cut in pieces 80 ms apart, longer than a platform thread's wait between interrupt checks");
            try (InputStream stream = tls.open(get(uri), LONG).body()) {
                assertEquals(body, new String(caller.call(stream::readAllBytes), UTF_8));
            }
        }

        @Test
        void closingTheClientFailsATlsCallInFlight() throws Exception {
            CountDownLatch arrived = new CountDownLatch(1);
            ScriptedServer server = use(new ScriptedServer(serving(both), peer -> {
                peer.read();
                arrived.countDown();
                peer.hold();
            }));
            Http1Client tls = trustingClient(direct());
            Background caller = new Background(Thread.ofVirtual(), () -> {
                tls.send(get(server.uri("/")), Duration.ofSeconds(30), MB, MB);
            });
            assertTrue(arrived.await(5, TimeUnit.SECONDS));
            tls.close();
            assertTrue(caller.join(LONG), "the TLS call in flight ended");
            assertInstanceOf(IOException.class, caller.thrown());
        }

        @Test
        void aServerThatNeverCompletesTheHandshakeTimesOut() throws Exception {
            ScriptedServer silent = server(Peer::hold);
            Http1Client tls = trustingClient(direct());
            assertThrows(HttpTimeoutException.class, () -> tls.send(get(URI.create("https://127.0.0.1:"
                    + silent.port() + "/")), Duration.ofMillis(300), MB, MB));
        }

        @Test
        void aPlainHttpServerAtAnHttpsAddressFailsTheHandshake() throws Exception {
            ScriptedServer plain = server(peer -> {
                peer.send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                peer.hold();
            });
            Http1Client tls = trustingClient(direct());
            IOException failure = assertThrows(IOException.class, () -> tls.send(get(URI.create("https://127.0.0.1:"
                    + plain.port() + "/")), LONG, MB, MB));
            assertInstanceOf(SSLException.class, failure);
        }

        @Test
        void anHttpsCallThroughAProxyTunnelsTls() throws Exception {
            Queue<Integer> ports = new ConcurrentLinkedQueue<>();
            HttpsServer origin = https(both, ports);
            ScriptedServer proxy = server(peer -> {
                Request connect = peer.read();
                String[] target = connect.line().split(" ")[1].split(":");
                try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
                    peer.send("HTTP/1.1 200 Connection established\r\n\r\n");
                    Thread toOrigin = Thread.ofVirtual().start(() -> pipe(peer.in, upstream));
                    pipe(upstream.getInputStream(), peer.socket);
                    toOrigin.join();
                }
            });
            Queue<URI> asked = new ConcurrentLinkedQueue<>();
            Http1Client tls = trustingClient(via(proxy.port(), asked));
            URI uri = URI.create("https://127.0.0.1:" + origin.getAddress().getPort() + "/tunnelled");
            for (int i = 0; i < 3; i++) {
                assertEquals("tls /tunnelled " + i, text(tls.send(HttpRequest.newBuilder(uri)
                        .POST(BodyPublishers.ofString(String.valueOf(i))).build(), LONG, MB, MB)));
            }
            Request connect = proxy.request();
            String authority = "127.0.0.1:" + origin.getAddress().getPort();
            assertEquals("CONNECT " + authority + " HTTP/1.1", connect.line());
            assertEquals(authority, connect.header("Host"));
            assertNull(proxy.requests.poll(), "the requests themselves went through the tunnel, encrypted");
            assertEquals(1, proxy.connections(), "one tunnel for all three calls");
            assertEquals(1, Set.copyOf(ports).size());
            assertTrue(asked.contains(uri), asked.toString());
        }
    }

    // ------------------------------------------------------------------------------------------ hardening

    /** Answers and settings at the edges: malformed names, huge timeouts, stuck writes, interrupts mid-transfer. */
    @Nested
    class Hardening {
        @ParameterizedTest
        @ValueSource(strings = {" : value", "\t: value", "   : value"})
        void anAnswerHeaderWithABlankNameIsAnIOException(String header) throws Exception {
            ScriptedServer server = server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\n" + header + "\r\nContent-Length: 0\r\n\r\n");
                peer.hold();
            });
            // HttpHeaders.of throws IllegalArgumentException("empty key") for a name that is blank after trimming
            assertThrows(IOException.class, () -> send(get(server.uri("/"))));
        }

        @Test
        void aRequestBodyTheServerNeverReadsFailsByTheDeadline() throws Exception {
            ScriptedServer server = server(Peer::hold); // accepts, reads nothing: the socket buffers fill up
            HttpRequest request = HttpRequest.newBuilder(server.uri("/upload"))
                    .POST(BodyPublishers.ofByteArray(new byte[64 * MB])).build();
            Background caller = new Background(Thread.ofVirtual(), () -> {
                client.send(request, Duration.ofMillis(300), MB, MB);
            });
            // generous, for a loaded machine: without the deadline the write blocks for good
            boolean ended = caller.join(Duration.ofSeconds(30));
            if (!ended) {
                caller.interrupt(); // let the stuck write go
                caller.join(LONG);
            }
            assertTrue(ended, "a call with a 300 ms timeout was still writing its request after 30 s");
            assertInstanceOf(HttpTimeoutException.class, caller.thrown());
        }

        @Test
        void aConnectTimeoutBeyondTheIntRangeOfMillisecondsStillConnects() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            client = new Http1Client(Duration.ofDays(30), defaultTls(), direct()); // 2,592,000,000 ms > int
            assertEquals("ok", text(send(get(server.uri("/")))));
        }

        @Test
        void aRequestTimeoutBeyondTheLongRangeOfNanosecondsMeansNoPracticalLimit() throws Exception {
            ScriptedServer server = answering(request -> ScriptedServer.ok("ok"));
            Duration forever = Duration.ofMillis(Long.MAX_VALUE); // what a requestTimeoutMs of Long.MAX_VALUE becomes
            assertEquals("ok", text(client.send(get(server.uri("/")), forever, MB, MB)));
            try (InputStream body = client.open(get(server.uri("/")), forever).body()) {
                assertEquals("ok", new String(body.readAllBytes(), UTF_8));
            }
        }

        /** A server whose answer never pauses: a chunk every 10 ms until the client goes away. */
        private ScriptedServer trickling() throws IOException {
            return server(peer -> {
                peer.read();
                peer.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                for (int i = 0; ; i++) {
                    peer.send("2\r\n" + i % 10 + "\n\r\n");
                    Thread.sleep(10);
                }
            });
        }

        @Test
        void aPlatformThreadReadingAStreamThatNeverPausesNoticesItsInterrupt() throws Exception {
            ScriptedServer server = trickling();
            CountDownLatch reading = new CountDownLatch(1);
            Background reader = new Background(Thread.ofPlatform(), () -> {
                try (InputStream body = client.open(get(server.uri("/")), LONG).body()) {
                    body.readNBytes(2);
                    reading.countDown();
                    while (body.read() != -1) {
                        // an endless stream
                    }
                }
            });
            assertTrue(reading.await(5, TimeUnit.SECONDS));
            reader.interrupt();
            boolean ended = reader.join(Duration.ofSeconds(2));
            if (!ended) {
                client.close(); // what ends it instead
                reader.join(LONG);
            }
            assertTrue(ended, "an interrupted platform thread was still reading the stream 2 s later");
            assertInterrupted(reader.thrown(), reader.flagAfter());
        }

        @Test
        void aPlatformThreadInSendWhileTheBodyTricklesNoticesItsInterrupt() throws Exception {
            ScriptedServer server = trickling();
            Background caller = new Background(Thread.ofPlatform(), () -> {
                client.send(get(server.uri("/")), Duration.ofSeconds(10), MB, MB);
            });
            assertTrue(server.request() != null);
            Thread.sleep(100); // the body is coming
            caller.interrupt();
            boolean ended = caller.join(Duration.ofSeconds(2));
            if (!ended) {
                client.close();
                caller.join(LONG);
            }
            assertTrue(ended, "an interrupted platform thread was still in send 2 s later");
            assertInterrupted(caller.thrown(), caller.flagAfter());
        }

        @Test
        void aPlatformThreadWaitingForATlsHandshakeNoticesItsInterrupt() throws Exception {
            CountDownLatch accepted = new CountDownLatch(1);
            ScriptedServer silent = server(peer -> {
                accepted.countDown();
                peer.hold(); // never answers the ClientHello
            });
            Background caller = new Background(Thread.ofPlatform(), () -> {
                client.send(get(URI.create("https://127.0.0.1:" + silent.port() + "/")), Duration.ofSeconds(3),
                        MB, MB);
            });
            assertTrue(accepted.await(5, TimeUnit.SECONDS));
            Thread.sleep(50); // the ClientHello is out
            caller.interrupt();
            boolean ended = caller.join(Duration.ofSeconds(1));
            if (!ended) {
                caller.join(LONG); // the request timeout ends it
            }
            assertTrue(ended, "an interrupted platform thread was still in the TLS handshake 1 s later");
            assertInterrupted(caller.thrown(), caller.flagAfter());
        }

        @Test
        void theLastOfSeveralTransferEncodingLinesDecidesTheFraming() throws Exception {
            // "Transfer-Encoding: gzip" + "Transfer-Encoding: chunked" is "gzip, chunked": chunked is the framing
            ScriptedServer server = answering(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            ProviderHttp.Response<BoundedBytes> response = client.send(get(server.uri("/")), Duration.ofSeconds(5),
                    MB, MB);
            assertEquals("abc", text(response));
            assertEquals("abc", text(client.send(get(server.uri("/")), Duration.ofSeconds(5), MB, MB)));
            assertEquals(1, server.connections());
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** Who calls the client: the test's own platform thread, or a virtual thread where the client works in place. */
    enum Caller {
        PLATFORM, VIRTUAL;

        /** A builder of this kind of thread, for work that runs beside the test. */
        Thread.Builder thread() {
            return this == PLATFORM ? Thread.ofPlatform() : Thread.ofVirtual();
        }

        <T> T call(Callable<T> work) throws Exception {
            if (this == PLATFORM) {
                assertFalse(Thread.currentThread().isVirtual());
                return work.call();
            }
            AtomicReference<T> result = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread thread = Thread.ofVirtual().start(() -> {
                try {
                    result.set(work.call());
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            if (!thread.join(LONG)) {
                thread.interrupt();
                fail("the call on a virtual thread did not end");
            }
            if (failure.get() instanceof Exception e) {
                throw e;
            }
            if (failure.get() instanceof Error e) {
                throw e;
            }
            return result.get();
        }
    }

    /** Work on a thread of its own, started at once: what it threw, and whether its interrupt flag was set then. */
    private static final class Background {
        private final Thread thread;
        private final AtomicReference<Throwable> thrown = new AtomicReference<>();
        private volatile boolean flagAfter;

        Background(Thread.Builder builder, Work work) {
            thread = builder.start(() -> {
                try {
                    work.run();
                } catch (Throwable e) {
                    thrown.set(e);
                    flagAfter = Thread.currentThread().isInterrupted();
                }
            });
        }

        void interrupt() {
            thread.interrupt();
        }

        boolean join(Duration wait) throws InterruptedException {
            return thread.join(wait);
        }

        Throwable thrown() {
            return thrown.get();
        }

        boolean flagAfter() {
            return flagAfter;
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface Call {
        void run(int index) throws Exception;
    }

    /** Runs {@code calls} calls at once on virtual threads and fails with the first failure. */
    private static void runConcurrently(int calls, Call call) throws Exception {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    call.run(index);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            assertTrue(thread.join(Duration.ofSeconds(10)), "a concurrent call did not end");
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " concurrent calls failed");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not all calls arrived");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code in} to {@code out} until either ends, then shuts {@code out}'s output. */
    private static void pipe(InputStream in, Socket out) {
        try {
            byte[] buffer = new byte[8192];
            OutputStream stream = out.getOutputStream();
            for (int n; (n = in.read(buffer)) != -1; ) {
                stream.write(buffer, 0, n);
                stream.flush();
            }
            out.shutdownOutput();
        } catch (IOException e) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the other direction notices
            }
        }
    }

    /**
     * The address of a listener that accepts nothing and whose backlog is full, so that a further connection attempt
     * gets no answer at all (Linux drops the SYN): a connect timeout on the loopback.
     */
    private InetSocketAddress listenerWithAFullBacklog() throws IOException {
        ServerSocket listener = use(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
        for (int i = 0; i < 16; i++) {
            Socket filler = use(new Socket());
            try {
                filler.connect(listener.getLocalSocketAddress(), 200);
            } catch (java.net.SocketTimeoutException full) {
                return (InetSocketAddress) listener.getLocalSocketAddress();
            }
        }
        return Assumptions.abort("this platform accepts connections beyond the backlog; no connect timeout to make");
    }

    /** Like {@link #pipe}, but once {@code slow} is set each read is passed on in pieces of 1000 bytes, 80 ms apart. */
    private static void pipeSlowly(InputStream in, Socket out, AtomicBoolean slow) {
        try {
            byte[] buffer = new byte[8192];
            OutputStream stream = out.getOutputStream();
            for (int n; (n = in.read(buffer)) != -1; ) {
                int piece = slow.get() ? 1000 : n;
                for (int at = 0; at < n; at += piece) {
                    if (at > 0) {
                        Thread.sleep(80);
                    }
                    stream.write(buffer, at, Math.min(piece, n - at));
                    stream.flush();
                }
            }
            out.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the other direction notices
            }
        }
    }

    private <T extends AutoCloseable> T use(T resource) {
        resources.add(resource);
        return resource;
    }

    private ScriptedServer server(ScriptedServer.Script script) throws IOException {
        return use(new ScriptedServer(script));
    }

    private ScriptedServer answering(Function<Request, String> answer) throws IOException {
        return use(ScriptedServer.answering(answer));
    }

    private ProviderHttp.Response<BoundedBytes> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, LONG, MB, MB);
    }

    private static String text(ProviderHttp.Response<BoundedBytes> response) {
        return new String(response.body().bytes(), UTF_8);
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).POST(BodyPublishers.ofString(body)).build();
    }

    /** {@code size} bytes of a repeating ASCII pattern, as text. */
    static String pattern(int size) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            text.append(alphabet.charAt(i % alphabet.length()));
        }
        return text.toString();
    }

    private static byte[] concat(List<byte[]> parts) {
        int size = parts.stream().mapToInt(part -> part.length).sum();
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A selector that never proxies. */
    private static ProxySelector direct() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                // nothing to remember
            }
        };
    }

    /** A selector that sends everything through the HTTP proxy at 127.0.0.1:{@code port}, noting what it is asked. */
    private static ProxySelector via(int port, Queue<URI> asked) {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", port));
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                // nothing to remember
            }
        };
    }
}
