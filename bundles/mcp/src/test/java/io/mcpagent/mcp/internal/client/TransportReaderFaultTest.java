package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.TestPeers;

/**
 * A RuntimeException in a transport's read loop ends the connection through onClosed, naming it, with it as the
 * cause. The loops caught IOException only: the readers of the legacy event stream and of the Streamable HTTP GET and
 * response streams ended unreported (a call waiting for its timeout), the connection looking open with nobody
 * reading, and the stdio reader reported "server process ended" of a server still running. The fault provoked is an
 * inbound side whose message handling throws.
 */
@Timeout(60)
class TransportReaderFaultTest {
    private static final String MESSAGE = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ObjectMapper mapper = new ObjectMapper();
    private final FailingInbound inbound = new FailingInbound();

    @Test
    void aFaultReadingStdoutEndsTheConnectionNamingIt() throws Exception {
        // writes one message and stays up: the connection ends because of the reader, not of the server
        StdioTransport transport = new StdioTransport("faulty", new StdioTransport.Command(List.of(TestPeers.node(),
                "-e", "console.log('" + MESSAGE + "'); setInterval(() => {}, 1000)"), Map.of(), null,
                Duration.ofSeconds(1), 1 << 20), mapper);
        try {
            transport.start(inbound);
            assertFaultReported("reading the server's stdout failed: ");
        } finally {
            transport.close();
        }
    }

    @Test
    void aFaultReadingTheLegacyEventStreamEndsTheConnectionNamingIt() throws Exception {
        CannedHttpClient http = new CannedHttpClient(request -> new CannedHttpClient.Canned(200, "text/event-stream",
                "event: endpoint\ndata: /message?session=1\n\nevent: message\ndata: " + MESSAGE + "\n\n"));
        LegacySseTransport transport = new LegacySseTransport("faulty", URI.create("http://mcp.invalid/sse"), Map.of(),
                http, mapper, 1 << 20, Duration.ofSeconds(5));
        try {
            transport.start(inbound);
            assertFaultReported("reading the event stream failed: ");
        } finally {
            transport.close();
        }
    }

    @Test
    void aFaultReadingTheGetStreamEndsTheConnectionNamingIt() throws Exception {
        CannedHttpClient http = new CannedHttpClient(request -> new CannedHttpClient.Canned(200, "text/event-stream",
                request.method().equals("GET") ? "event: message\ndata: " + MESSAGE + "\n\n" : ""));
        StreamableHttpTransport transport = new StreamableHttpTransport("faulty", URI.create("http://mcp.invalid/mcp"),
                Map.of(), http, mapper, 1 << 20, Duration.ofSeconds(5));
        try {
            transport.start(inbound);
            transport.sessionEstablished(true);
            assertFaultReported("reading the GET event stream failed: ");
        } finally {
            transport.close();
        }
    }

    @Test
    void aFaultReadingAResponseEventStreamEndsTheConnectionNamingIt() throws Exception {
        CannedHttpClient http = new CannedHttpClient(request -> request.method().equals("POST")
                ? new CannedHttpClient.Canned(200, "text/event-stream", "event: message\ndata: " + MESSAGE + "\n\n")
                : new CannedHttpClient.Canned(405, "text/plain", ""));
        StreamableHttpTransport transport = new StreamableHttpTransport("faulty", URI.create("http://mcp.invalid/mcp"),
                Map.of(), http, mapper, 1 << 20, Duration.ofSeconds(5));
        try {
            transport.start(inbound);
            transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call"),
                    Transport.Outgoing.NONE);
            assertFaultReported("reading a response event stream failed: ");
        } finally {
            transport.close();
        }
    }

    private void assertFaultReported(String prefix) throws Exception {
        Exception cause = inbound.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(prefix + FailingInbound.FAULT, cause.getMessage());
        assertSame(FailingInbound.FAULT, cause.getCause());
    }

    /** Throws on every message, and keeps why the connection closed. */
    private static final class FailingInbound implements Transport.Inbound {
        static final IllegalStateException FAULT = new IllegalStateException("inbound broke");
        final CompletableFuture<Exception> closed = new CompletableFuture<>();

        @Override
        public void onMessage(JsonNode message) {
            throw FAULT;
        }

        @Override
        public void onSendFailed(JsonNode requestId, Exception failure) {
        }

        @Override
        public void onClosed(Exception cause) {
            closed.complete(cause);
        }
    }
}
