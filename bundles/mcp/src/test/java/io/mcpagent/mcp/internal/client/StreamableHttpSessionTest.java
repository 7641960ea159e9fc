package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The session of a Streamable HTTP transport is the one the initialize response assigned, until the server no longer
 * knows it: the end of the handshake (sessionEstablished) does not undo an expiry met between the initialize response
 * and it, which sent the calls after it without a session.
 */
@Timeout(30)
class StreamableHttpSessionTest {
    private static final Duration TIME = Duration.ofSeconds(10);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** "method@session" of every request the server got. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private StreamableHttpTransport transport;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.stop(0);
        }
        http.shutdownNow();
    }

    @Test
    void anExpiryMetBeforeTheHandshakeEndedStands() throws Exception {
        start();
        transport.send(request(1, "initialize"), Transport.Outgoing.NONE);
        assertThrows(SessionExpiredException.class, () -> transport.send(request(2, "tools/list"),
                Transport.Outgoing.NONE));

        transport.sessionEstablished(true);

        assertThrows(SessionExpiredException.class, () -> transport.send(request(3, "tools/list"),
                Transport.Outgoing.NONE));
        assertEquals(List.of("initialize@null", "tools/list@s1"), requests);
    }

    private ObjectNode request(int id, String method) {
        ObjectNode request = mapper.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        request.putObject("params");
        return request;
    }

    private void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/mcp", this::handle);
        server.start();
        transport = new StreamableHttpTransport("sessions", URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + "/mcp"), Map.of(), http, mapper, 1 << 20, TIME);
        transport.start(new Transport.Inbound() {
            @Override
            public void onMessage(JsonNode message) {
            }

            @Override
            public void onSendFailed(JsonNode requestId, Exception failure) {
            }

            @Override
            public void onClosed(Exception cause) {
            }
        });
    }

    /** Assigns s1 on initialize and forgets it at once: every other request is refused as a session the server lost. */
    private void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
        String method = request.path("method").asText();
        requests.add(method + "@" + session);
        if (method.equals("initialize")) {
            exchange.getResponseHeaders().set("Mcp-Session-Id", "s1");
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":{}}");
        } else if (session == null) {
            answer(exchange, 400, "Bad Request: No valid session ID provided");
        } else {
            answer(exchange, 404, "Session not found");
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
