package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The modern era over HTTP against a small scripted 2026-07-28 server: no handshake, {@code _meta} and headers on
 * every request, and list changes delivered on a {@code subscriptions/listen} stream.
 */
@Timeout(30)
class ModernHttpSubscriptionTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<String> streamEvents = new LinkedBlockingQueue<>();
    private final List<String> notifications = new CopyOnWriteArrayList<>();
    private volatile List<String> toolNames = List.of("alpha");
    private HttpServer server;
    private McpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        streamEvents.add("END");
        server.stop(0);
    }

    @Test
    void listChangedArrivesOnTheSubscriptionStream() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::handle);
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        client = new McpClient("modern", new ClientOptions("test", "1", "auto", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, 1 << 20),
                () -> new StreamableHttpTransport("modern", url, Map.of(), http, mapper, 1 << 20, Duration.ofSeconds(5)),
                new McpClient.Callbacks() {
                    @Override
                    public void onNotification(String method, JsonNode params) {
                        notifications.add(method);
                    }
                }, mapper);
        client.connect();
        assertTrue(client.isModern());
        assertEquals(List.of("alpha"), client.listTools().stream().map(ToolInfo::name).toList());

        awaitRequest("subscriptions/listen");
        toolNames = List.of("alpha", "beta");
        streamEvents.add("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\",\"params\":{\"_meta\":"
                + "{\"io.modelcontextprotocol/subscriptionId\":1}}}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!notifications.contains("notifications/tools/list_changed") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(notifications.contains("notifications/tools/list_changed"), notifications.toString());
        assertEquals(List.of("alpha", "beta"), client.listTools().stream().map(ToolInfo::name).toList());

        JsonNode listen = requests.stream().filter(r -> r.path("method").asText().equals("subscriptions/listen"))
                .findFirst().orElseThrow();
        assertTrue(listen.path("params").path("notifications").path("toolsListChanged").asBoolean());
        for (JsonNode request : requests) {
            assertEquals(McpClient.MODERN_VERSION, request.path("params").path("_meta")
                    .path("io.modelcontextprotocol/protocolVersion").asText(), request.toString());
        }
        assertTrue(headers.stream().allMatch(h -> McpClient.MODERN_VERSION.equals(h.get("mcp-protocol-version"))));
        assertTrue(headers.stream().anyMatch(h -> "tools/list".equals(h.get("mcp-method"))));
    }

    private void awaitRequest(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (requests.stream().noneMatch(r -> r.path("method").asText().equals(method))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + method + " request; saw " + requests);
            }
            Thread.sleep(20);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        requests.add(request);
        headers.add(Map.of("mcp-protocol-version", String.valueOf(exchange.getRequestHeaders().getFirst("MCP-Protocol-Version")),
                "mcp-method", String.valueOf(exchange.getRequestHeaders().getFirst("Mcp-Method"))));
        String method = request.path("method").asText();
        ObjectNode result = mapper.createObjectNode().put("resultType", "complete");
        switch (method) {
            case "server/discover" -> {
                result.putArray("supportedVersions").add(McpClient.MODERN_VERSION);
                result.putObject("capabilities").putObject("tools").put("listChanged", true);
                result.putObject("serverInfo").put("name", "scripted").put("version", "1");
            }
            case "tools/list" -> toolNames.forEach(name -> result.withArray("tools").addObject().put("name", name)
                    .putObject("inputSchema").put("type", "object"));
            case "subscriptions/listen" -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    write(out, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{}}");
                    String event;
                    while (!(event = streamEvents.take()).equals("END")) {
                        write(out, event);
                    }
                } catch (InterruptedException | IOException e) {
                    // the client closed the stream
                }
                return;
            }
            default -> { }
        }
        byte[] body = mapper.writeValueAsBytes(mapper.createObjectNode().put("jsonrpc", "2.0")
                .<ObjectNode>set("id", request.get("id")).set("result", result));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void write(OutputStream out, String data) throws IOException {
        out.write(("event: message\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
