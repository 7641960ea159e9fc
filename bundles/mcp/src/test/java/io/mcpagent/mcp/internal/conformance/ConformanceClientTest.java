package io.mcpagent.mcp.internal.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.client.StreamableHttpTransport;

/** {@link ConformanceClient} against a minimal 2025-06-18 Streamable HTTP server that starts a session. */
@Timeout(60)
class ConformanceClientTest {
    private final ObjectMapper mapper = new ObjectMapper();
    /** Set as the server answers the session DELETE, which it does only after a while. */
    private final AtomicBoolean deleteAnswered = new AtomicBoolean();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mcp", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /**
     * Its HTTP client was shut down as soon as the client closed, cutting off the session DELETE under way; it now
     * waits for the DELETE as the runtime's MCP servers do, at most its timeout.
     */
    @Test
    void theSessionDeleteIsAnsweredBeforeTheClientEnds() {
        ConformanceClient.run(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"),
                Map.of("MCP_CONFORMANCE_SCENARIO", "initialize", "MCP_CONFORMANCE_PROTOCOL_VERSION", "2025-06-18"));

        assertTrue(deleteAnswered.get(), "the session DELETE was answered before run ended");
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "POST" -> answerPost(exchange);
                case "DELETE" -> {
                    pause(); // well within the DELETE's timeout: a client that does not wait has ended by then
                    deleteAnswered.set(true); // before the answer, which the client's DELETE waits for
                    exchange.sendResponseHeaders(200, -1);
                }
                default -> exchange.sendResponseHeaders(405, -1); // no GET stream
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(StreamableHttpTransport.SESSION_DELETE_TIMEOUT.dividedBy(4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answerPost(HttpExchange exchange) throws IOException {
        JsonNode message = mapper.readTree(exchange.getRequestBody());
        JsonNode id = message.get("id");
        if (id == null) {
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        String result = switch (message.path("method").asText()) {
            case "initialize" -> "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},"
                    + "\"serverInfo\":{\"name\":\"session\",\"version\":\"1\"}}";
            case "tools/list" -> "{\"tools\":[]}";
            default -> "{}";
        };
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Mcp-Session-Id", "s-1");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
