package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A message whose handling fails (here a progress callback that throws) is passed over, and the event stream is read
 * on: the failure escaped the legacy transport's reader, which ended without reporting it, so the call's answer that
 * followed went unread and the call timed out on a connection that still looked open.
 */
@Timeout(30)
class LegacySseHandlerFailureTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The events the server's stream sends next, each written whole. */
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private HttpServer server;
    private McpClient client;

    @BeforeEach
    void connect() throws IOException {
        server = LegacySseServer.start(events, this::message);
        client = LegacySseServer.client("legacy", server, http, mapper, 1 << 20,
                new McpClient.Callbacks() {
                    @Override
                    public void onProgress(String method, JsonNode params) {
                        throw new IllegalStateException("progress listener broke");
                    }
                });
        client.connect();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
        http.shutdownNow();
    }

    @Test
    void aMessageWhoseHandlingFailsIsPassedOverAndTheAnswerAfterItIsRead() {
        JsonNode result = client.callTool("slow", mapper.createObjectNode(), Duration.ofSeconds(5),
                Duration.ofSeconds(5));

        assertEquals("done", result.path("content").path(0).path("text").asText());
    }


    /** A 2024-11-05 server: every POST taken (202); initialize answered, tools/call with a progress and then its answer. */
    private void message(HttpExchange exchange) throws IOException {
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
        String method = request.path("method").asText();
        ObjectNode result = mapper.createObjectNode();
        if (method.equals("initialize")) {
            result.put("protocolVersion", request.path("params").path("protocolVersion").asText());
            result.putObject("capabilities");
            result.putObject("serverInfo").put("name", "legacy").put("version", "1");
        } else if (method.equals("tools/call")) {
            ObjectNode progress = mapper.createObjectNode().put("jsonrpc", "2.0")
                    .put("method", "notifications/progress");
            progress.putObject("params").put("progress", 1)
                    .set("progressToken", request.path("params").path("_meta").path("progressToken"));
            events.add("event: message\ndata: " + mapper.writeValueAsString(progress) + "\n\n");
            result.putArray("content").addObject().put("type", "text").put("text", "done");
        } else {
            return; // a notification
        }
        ObjectNode response = mapper.createObjectNode().put("jsonrpc", "2.0")
                .<ObjectNode>set("id", request.get("id")).set("result", result);
        events.add("event: message\ndata: " + mapper.writeValueAsString(response) + "\n\n");
    }
}
