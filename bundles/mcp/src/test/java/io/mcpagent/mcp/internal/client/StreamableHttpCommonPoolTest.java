package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.mcp.internal.CapturedLog;

/**
 * MCP over HTTP does not depend on the JVM's common pool: the HttpClient completes each response of a sendAsync
 * there, and a task blocking it anywhere in the runtime (one worker on two cores) held every MCP answer back, the GET
 * stream's too, until that task ended.
 */
class StreamableHttpCommonPoolTest {
    /** Longer than the test may take: a call held back fails by the test's timeout, not its own. */
    private static final Duration CALL_TIME = Duration.ofSeconds(60);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService serving = Executors.newCachedThreadPool();
    private final CountDownLatch releasePool = new CountDownLatch(1);
    private HttpServer server;
    private McpClient client;

    @AfterEach
    void stop() {
        releasePool.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop(0);
        }
        serving.shutdownNow();
        http.shutdownNow();
    }

    @Test
    @Timeout(10)
    void theHandshakeAndACallAreAnsweredWhileTheCommonPoolIsBlocked() throws Exception {
        blockCommonPool();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serving);
        server.createContext("/mcp", this::handle);
        server.start();
        client = new McpClient("pooled", new ClientOptions("test", "1", "legacy", CALL_TIME, CALL_TIME, CALL_TIME, null,
                false, false, 1 << 20), () -> new StreamableHttpTransport("pooled", URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + "/mcp"), Map.of(), http, mapper, 1 << 20, CALL_TIME),
                new McpClient.Callbacks() { }, mapper);

        client.connect();
        JsonNode result = client.callTool("echo", mapper.createObjectNode(), CALL_TIME, CALL_TIME);

        assertEquals("answered", result.path("content").path(0).path("text").asText());
    }

    /**
     * The session DELETE sent on close is done, and its failure logged, while the common pool is blocked. The log
     * line (debug) is the DELETE's only outcome.
     */
    @Test
    @Timeout(10)
    void theSessionDeleteEndsWhileTheCommonPoolIsBlocked() throws Exception {
        blockCommonPool();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serving);
        server.createContext("/mcp", this::handle);
        server.start();
        StreamableHttpTransport transport = new StreamableHttpTransport("pooled", URI.create("http://127.0.0.1:"
                + server.getAddress().getPort() + "/mcp"), Map.of(), http, mapper, 1 << 20, CALL_TIME);
        transport.start(new ClosingInbound());
        transport.send(mapper.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
                .set("params", mapper.createObjectNode()), Transport.Outgoing.NONE);
        CapturedLog logged = CapturedLog.startWithDebugOf(StreamableHttpTransport.class);
        try (logged) {
            transport.close();

            while (!logged.text().contains("DELETE of session at MCP server 'pooled' failed")) {
                Thread.sleep(10); // the test's timeout fails a DELETE held back
            }
        }
    }

    /** Occupies every worker of the common pool until the test ends. */
    private void blockCommonPool() throws InterruptedException {
        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch blocking = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                blocking.countDown();
                try {
                    releasePool.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        blocking.await();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            if (exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(405, -1); // no GET stream
            } // the DELETE of the session gets no answer: its connection is closed, which fails it
            exchange.close();
            return;
        }
        JsonNode request = mapper.readTree(exchange.getRequestBody());
        JsonNode id = request.get("id");
        String result = switch (request.path("method").asText()) {
            case "initialize" -> "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                    + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"p\",\"version\":\"1\"}}";
            case "tools/call" -> "{\"content\":[{\"type\":\"text\",\"text\":\"answered\"}]}";
            default -> null;
        };
        if (id == null || result == null) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
        }
        byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Mcp-Session-Id", "s-1");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
