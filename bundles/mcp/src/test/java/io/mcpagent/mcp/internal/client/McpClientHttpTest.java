package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.mcp.internal.TestPeers;

/** Our client against the real server-everything from npm over Streamable HTTP and legacy HTTP+SSE. */
@Timeout(90)
class McpClientHttpTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> servers = new ArrayList<>();
    private final List<JsonNode> progress = new CopyOnWriteArrayList<>();
    private McpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        servers.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        http.shutdownNow();
    }

    private int startServer(String mode, int port) throws Exception {
        List<String> command = TestPeers.server("everything", mode);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        servers.add(builder.start());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("server-everything " + mode + " did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private McpClient client(URI url, boolean streamable) {
        McpClient.TransportFactory transports = new McpClient.TransportFactory() {
            @Override
            public Transport primary() {
                return streamable
                        ? new StreamableHttpTransport("everything", url, Map.of(), http, mapper, 1 << 24, Duration.ofSeconds(10))
                        : new LegacySseTransport("everything", url, Map.of(), http, mapper, 1 << 24, Duration.ofSeconds(10));
            }

            @Override
            public Transport fallback() {
                return new LegacySseTransport("everything", url, Map.of(), http, mapper, 1 << 24, Duration.ofSeconds(10));
            }
        };
        client = new McpClient("everything", new ClientOptions("test", "1", "auto", Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(60), null, false, false, 1 << 24), transports,
                new McpClient.Callbacks() {
                    @Override
                    public void onProgress(String method, JsonNode params) {
                        progress.add(params);
                    }
                }, mapper);
        client.connect();
        return client;
    }

    private String echo(String message) {
        return client.callTool("echo", mapper.createObjectNode().put("message", message), Duration.ofSeconds(10),
                Duration.ofSeconds(10)).path("content").get(0).path("text").asText();
    }

    @Test
    void streamableHttpWithSessionsProgressAndARenewedSession() throws Exception {
        int port = startServer("streamableHttp", freePort());
        client(URI.create("http://127.0.0.1:" + port + "/mcp"), true);
        assertEquals("http", client.transportKind());
        assertFalse(client.isModern());
        assertEquals("Echo: one", echo("one"));
        JsonNode result = client.callTool("trigger-long-running-operation",
                mapper.createObjectNode().put("duration", 1).put("steps", 3), Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertTrue(result.toString().contains("completed"), result.toString());
        assertTrue(progress.size() >= 2, "progress over SSE: " + progress);

        // A restarted server no longer knows our session: the client initializes a new one and carries on.
        servers.remove(0).destroyForcibly().waitFor();
        startServer("streamableHttp", port);
        assertEquals("Echo: two", echo("two"));
    }

    /**
     * Nothing listens at the URL: the JDK's ConnectException has no message, and the failure read "initialize could
     * not be sent over http: null" (over sse: "cannot connect over sse: null"), naming neither the URL nor the cause.
     */
    @Test
    void aServerWhereNothingListensIsNamedByItsUrlAndWhatHappened() throws Exception {
        int port = freePort();
        for (boolean streamable : List.of(true, false)) {
            McpException refused = assertThrows(McpException.class,
                    () -> client(URI.create("http://127.0.0.1:" + port + "/mcp?token=secret"), streamable));
            assertTrue(refused.getMessage().endsWith("cannot connect to http://127.0.0.1:" + port + "/mcp?token=[redacted]:"
                    + " the connection was refused (nothing listens there?)"), refused.getMessage());
        }
        McpException unknown = assertThrows(McpException.class,
                () -> client(URI.create("http://no-such-host.invalid/mcp"), true));
        assertTrue(unknown.getMessage().endsWith("cannot connect to http://no-such-host.invalid/mcp: its host name"
                + " cannot be resolved"), unknown.getMessage());
    }

    @Test
    void legacyHttpSse() throws Exception {
        int port = startServer("sse", freePort());
        client(URI.create("http://127.0.0.1:" + port + "/sse"), false);
        assertEquals("sse", client.transportKind());
        assertEquals("Echo: old", echo("old"));
    }

    @Test
    void streamableHttpFallsBackToLegacySse() throws Exception {
        int port = startServer("sse", freePort());
        client(URI.create("http://127.0.0.1:" + port + "/sse"), true);
        assertEquals("sse", client.transportKind(), "POST refused, so the legacy transport took over");
        assertEquals("Echo: fallback", echo("fallback"));
    }
}
