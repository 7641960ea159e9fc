package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.CapturedLog;

/** What a Streamable HTTP server sends that is logged is masked: a server may echo the token it was sent. */
@Timeout(30)
class StreamableHttpLogTest {
    /** Lower-case words: no pattern takes it for a token, only the held value masks it. */
    private static final String TOKEN = "correct-horse-battery-staple";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;
    private McpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.stop(0);
        http.shutdownNow();
    }

    @Test
    void anEventThatIsNotJsonIsLoggedMasked() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::handle);
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
        client = new McpClient("echoing", new ClientOptions("test", "1", "modern", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, 1 << 20),
                () -> new StreamableHttpTransport("echoing", url, Map.of("X-Upstream-Auth", TOKEN), http, mapper,
                        1 << 20, Duration.ofSeconds(5)).heldSecrets(List.of(TOKEN)),
                new McpClient.Callbacks() { }, mapper);
        client.connect();
        CapturedLog logged = CapturedLog.start();
        JsonNode result;
        try (logged) {
            // the event before the answer is read, and logged, before the call returns
            result = client.callTool("echo", mapper.createObjectNode(), Duration.ofSeconds(5), Duration.ofSeconds(5));
        }
        assertEquals("complete", result.path("resultType").asText());
        String log = logged.text();
        assertTrue(log.contains("sent an event that is not JSON (ignored): upstream saw [redacted]"), log);
        assertFalse(log.contains("battery"), log);
    }

    /** A 2026-07-28 server answering in SSE: an event that is not JSON, echoing its header, then the answer. */
    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        ObjectNode result = mapper.createObjectNode().put("resultType", "complete");
        if (request.path("method").asText().equals("server/discover")) {
            result.putArray("supportedVersions").add(McpClient.MODERN_VERSION);
            result.putObject("capabilities");
            result.putObject("serverInfo").put("name", "echoing").put("version", "1");
        } else {
            result.putArray("content");
        }
        ObjectNode response = mapper.createObjectNode().put("jsonrpc", "2.0")
                .<ObjectNode>set("id", request.get("id")).set("result", result);
        String echoed = exchange.getRequestHeaders().getFirst("X-Upstream-Auth");
        byte[] answer = ("event: message\ndata: upstream saw " + echoed + "\n\nevent: message\ndata: "
                + mapper.writeValueAsString(response) + "\n\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }
}
