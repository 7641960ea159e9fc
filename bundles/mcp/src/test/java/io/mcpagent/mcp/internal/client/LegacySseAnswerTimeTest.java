package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.mcp.McpException;

/**
 * A legacy HTTP+SSE server that holds a call's POST without response headers: the call's answer comes over the event
 * stream or not at all, so the POST's silence is no failure to send. Before, the POST's own timeout failed the call
 * with "could not be sent over sse: request timed out", an answer already in was dropped and nothing was cancelled.
 */
@Timeout(30)
class LegacySseAnswerTimeTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(300);
    private static final Duration CALL_CAP = Duration.ofSeconds(10);
    private static final long PROMPTLY_SECONDS = 20;

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The events the server's stream sends next, each written whole. */
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    /** The params of each notifications/cancelled the server got. */
    private final BlockingQueue<JsonNode> cancellations = new LinkedBlockingQueue<>();
    /** Holds the POSTs left without response headers until the test ends. */
    private final CountDownLatch held = new CountDownLatch(1);
    private HttpServer server;
    private McpClient client;

    @BeforeEach
    void connect() throws IOException {
        server = LegacySseServer.start(events, this::message);
        client = LegacySseServer.client("slow", server, http, mapper, 1 << 20,
                new McpClient.Callbacks() { });
        client.connect();
    }

    @AfterEach
    void stop() {
        client.close();
        held.countDown();
        server.stop(0);
        http.shutdownNow();
    }

    @Test
    void aCallWhosePostGetsNoHeadersAndNoAnswerTimesOutAndIsCancelled() throws Exception {
        McpException failure = assertThrows(McpException.class,
                () -> client.callTool("silent", mapper.createObjectNode(), CALL_TIMEOUT, CALL_CAP));

        assertEquals("MCP server 'slow': tools/call timed out after 300 ms without an answer", failure.getMessage());
        assertEquals("timeout", cancellations.poll(PROMPTLY_SECONDS, TimeUnit.SECONDS).path("reason").asText());
    }

    /**
     * The answer is in long before the POST gives up at the end of the call's time, which is its cap too (as for a
     * caller's timeout of at least requestTimeoutMs): it is the call's result, not a timeout.
     */
    @Test
    void anAnswerThatCameOverTheStreamWhileThePostWasHeldIsTheCallsResult() {
        JsonNode result = client.callTool("answered", mapper.createObjectNode(), CALL_TIMEOUT, CALL_TIMEOUT);

        assertEquals("done", result.path("content").path(0).path("text").asText());
    }

    /**
     * The answer came over the stream while the call's POST is held: it is the call's result at once. Before, the call
     * waited for its POST first, here until the end of its time (60 s), which the test's 30 s cut short.
     */
    @Test
    void anAnswerOverTheStreamIsTheCallsResultWithoutWaitingForItsPost() {
        JsonNode result = client.callTool("answered", mapper.createObjectNode(), Duration.ofSeconds(60),
                Duration.ofSeconds(60));

        assertEquals("done", result.path("content").path(0).path("text").asText());
    }

    /**
     * A POST refused fails its call at once, saying why, though the POST is no longer waited for: its failure comes
     * through the inbound side (the call's time, 60 s, is not what ends it).
     */
    @Test
    void aRefusedPostFailsItsCallSayingWhy() {
        McpException failure = assertThrows(McpException.class,
                () -> client.callTool("refused", mapper.createObjectNode(), Duration.ofSeconds(60), Duration.ofSeconds(60)));

        assertEquals("MCP server 'slow': tools/call: HTTP 500: no such tool", failure.getMessage());
    }


    /**
     * A 2024-11-05 server: initialize and notifications are taken (202) and initialize answered; tool "answered" gets
     * its answer over the stream and "silent" none, and the POST of either no response headers.
     */
    private void message(HttpExchange exchange) throws IOException {
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        String method = request.path("method").asText();
        if (method.equals("notifications/cancelled")) {
            cancellations.add(request.path("params"));
        }
        if (request.path("params").path("name").asText().equals("refused")) {
            byte[] body = "no such tool".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        if (!method.equals("tools/call")) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        }
        if (!request.has("id")) {
            return; // a notification
        }
        ObjectNode result = mapper.createObjectNode();
        if (method.equals("initialize")) {
            result.put("protocolVersion", request.path("params").path("protocolVersion").asText());
            result.putObject("capabilities");
            result.putObject("serverInfo").put("name", "slow").put("version", "1");
        } else if (request.path("params").path("name").asText().equals("answered")) {
            result.putArray("content").addObject().put("type", "text").put("text", "done");
        } else {
            result = null;
        }
        if (result != null) {
            ObjectNode response = mapper.createObjectNode().put("jsonrpc", "2.0")
                    .<ObjectNode>set("id", request.get("id")).set("result", result);
            events.add("event: message\ndata: " + mapper.writeValueAsString(response) + "\n\n");
        }
        if (method.equals("tools/call")) {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
