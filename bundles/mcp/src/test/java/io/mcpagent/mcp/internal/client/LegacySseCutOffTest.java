package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.client.HangingHttpServer.Held;
import io.mcpagent.mcp.internal.client.HangingHttpServer.Reply;

/**
 * A POST of the legacy HTTP+SSE transport still waiting for its response headers when the transport closes is
 * aborted at once, not at its request timeout (ten minutes here), and so is the event stream: the server sees both
 * connections closed.
 */
@Timeout(60)
class LegacySseCutOffTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);
    private static final long PROMPTLY_SECONDS = 20;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HangingHttpServer server;

    @AfterEach
    void stop() throws IOException {
        server.close();
        http.shutdownNow();
    }

    @Test
    void aPostWaitingForItsResponseHeadersAndTheStreamAreAbortedOnClose() throws Exception {
        // the stream names the endpoint and stays open; the POST gets no status line, no headers
        server = new HangingHttpServer(request -> request.method().equals("GET")
                ? new Reply(Reply.head(200, "text/event-stream", -1) + "event: endpoint\ndata: /mcp?session=1\n\n", true)
                : Reply.silence());
        LegacySseTransport transport = new LegacySseTransport("slow", server.url(), Map.of(), http, mapper, 1 << 20,
                Duration.ofSeconds(5));
        ClosingInbound inbound = new ClosingInbound();
        transport.start(inbound);
        Held stream = server.held.take();
        transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"),
                new Transport.Outgoing(Map.of(), REQUEST_TIMEOUT));
        Held post = server.held.take();
        assertEquals("POST", post.request().method());

        transport.close();

        assertEquals("aborted: the transport was closed",
                inbound.sendFailed.get(PROMPTLY_SECONDS, TimeUnit.SECONDS).getMessage());
        post.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
        stream.hungUp().get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aPostWhoseErrorBodyStallsFailsAtItsTimeout() throws Exception {
        server = new HangingHttpServer(request -> request.method().equals("GET")
                ? new Reply(Reply.head(200, "text/event-stream", -1) + "event: endpoint\ndata: /mcp?session=1\n\n", true)
                : new Reply("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 100\r\nConnection: close\r\n\r\nup", true));
        LegacySseTransport transport = new LegacySseTransport("slow", server.url(), Map.of(), http, mapper, 1 << 20,
                Duration.ofSeconds(5));
        ClosingInbound inbound = new ClosingInbound();
        transport.start(inbound);
        try {
            transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "ping"),
                    new Transport.Outgoing(Map.of(), Duration.ofMillis(300)));
            Exception failure = inbound.sendFailed.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(HttpStatusException.class, failure);
            assertEquals("HTTP 502: (the body did not arrive within 300 ms)", failure.getMessage());
        } finally {
            transport.close();
        }
    }

    /**
     * The failure of a POST names the endpoint as every message quoting a URL does, its query values masked: the
     * endpoint event's query holds the session (or a token the server passed on) and was quoted whole.
     */
    @Test
    void aSendInterruptedWhileItsPostWaitsNamesTheEndpointWithItsQueryMasked() throws Exception {
        server = new HangingHttpServer(request -> request.method().equals("GET")
                ? new Reply(Reply.head(200, "text/event-stream", -1)
                        + "event: endpoint\ndata: /mcp?session=s3cret-session\n\n", true)
                : Reply.silence());
        LegacySseTransport transport = new LegacySseTransport("slow", server.url(), Map.of(), http, mapper, 1 << 20,
                Duration.ofSeconds(5));
        transport.start(new ClosingInbound());
        try {
            CompletableFuture<Exception> failure = new CompletableFuture<>();
            // a notification's POST is made on the sender's thread, which is interrupted while it waits
            Thread sender = Thread.ofPlatform().name("sender").start(() -> {
                try {
                    transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/initialized"),
                            new Transport.Outgoing(Map.of(), REQUEST_TIMEOUT));
                    failure.complete(null);
                } catch (IOException e) {
                    failure.complete(e);
                }
            });
            server.held.take(); // the stream
            assertEquals("POST", server.held.take().request().method());

            sender.interrupt();

            Exception interrupted = failure.get(PROMPTLY_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(InterruptedIOException.class, interrupted);
            assertEquals("interrupted while sending to " + server.url() + "?session=[redacted]",
                    interrupted.getMessage());
        } finally {
            transport.close();
        }
    }

    /**
     * An endpoint event that is no URL fails the connect at once, saying so without quoting it: the exception escaped
     * the stream's reader, which ended unreported, so that the connect waited out its timeout, and its message quoted
     * the endpoint whole, the session in its query with it.
     */
    @Test
    void anEndpointEventThatIsNoUrlFailsTheConnectSayingSoWithoutQuotingIt() throws IOException {
        server = new HangingHttpServer(request -> new Reply(Reply.head(200, "text/event-stream", -1)
                + "event: endpoint\ndata: /mcp?session=s3cret session\n\n", true));
        LegacySseTransport transport = new LegacySseTransport("odd", server.url(), Map.of(), http, mapper, 1 << 20,
                Duration.ofSeconds(5));
        try {
            IOException failure = assertThrows(IOException.class, () -> transport.start(new ClosingInbound()));

            assertEquals("no 'endpoint' event from " + server.url() + ": the 'endpoint' event names no URL: Illegal"
                    + " character in query at index 19", failure.getMessage());
        } finally {
            transport.close();
        }
    }
}
