package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.ToolAnnotations;
import io.mcpagent.mcp.internal.TestPeers;

/** Our client against the real server-everything from npm over stdio. */
@Timeout(60)
class McpClientStdioTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> notifications = new CopyOnWriteArrayList<>();
    private final List<JsonNode> progress = new CopyOnWriteArrayList<>();
    private StdioTransport transport;
    private McpClient client;

    private McpClient connect(String era, List<String> roots) {
        transport = new StdioTransport("everything", new StdioTransport.Command(TestPeers.server("everything", "stdio"),
                Map.of(), null, Duration.ofSeconds(1), 1 << 24), mapper);
        client = new McpClient("everything", new ClientOptions("test", "1", era, Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(60), roots, false, false, 1 << 24), () -> transport,
                new McpClient.Callbacks() {
                    @Override
                    public void onNotification(String method, JsonNode params) {
                        notifications.add(method);
                    }

                    @Override
                    public void onProgress(String method, JsonNode params) {
                        progress.add(params);
                    }
                }, mapper);
        client.connect();
        return client;
    }

    /**
     * A server that never answers and ignores its stdin's end and SIGTERM: the connect fails after its initTimeout,
     * while the process is still being ended (the ladder, two grace periods), which the caller no longer waits for:
     * a tool call on a hanging server waited four times its initTimeout (a walkthrough).
     */
    @Test
    void aFailedConnectEndsTheServerWithoutHoldingTheCaller(@TempDir Path temp) throws Exception {
        Path sigterm = temp.resolve("sigterm");
        McpClient hanging = scripted("hanging", "process.on('SIGTERM', () => require('fs').writeFileSync("
                + mapper.writeValueAsString(sigterm.toString()) + ", 'x')); setInterval(() => {}, 1000)", 1 << 20,
                Duration.ofMillis(500));
        McpException failure = assertThrows(McpException.class, hanging::connect);
        assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
        // SIGTERM comes a grace period (1 s) after stdin closed: the caller did not wait for it
        assertFalse(Files.exists(sigterm), "the caller waited for the ladder");
        ProcessHandle.of(transport.pid()).ifPresent(server -> server.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertTrue(Files.exists(sigterm), "the ladder went on: stdin closed, then SIGTERM, then SIGKILL");
    }

    /** A client (not yet connected) of a Node script acting as the server, for misbehaviour server-everything lacks. */
    private McpClient scripted(String serverId, String script, int maxMessageBytes, Duration initTimeout) {
        transport = new StdioTransport(serverId, new StdioTransport.Command(List.of(TestPeers.node(), "-e", script),
                Map.of(), null, Duration.ofSeconds(1), maxMessageBytes), mapper);
        client = new McpClient(serverId, new ClientOptions("test", "1", "legacy", initTimeout, initTimeout,
                initTimeout, null, false, false, maxMessageBytes), () -> transport, new McpClient.Callbacks() {
                }, mapper);
        return client;
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void autoDetectsTheLegacyEraAndCallsTools() {
        connect("auto", null);
        assertFalse(client.isModern(), "npm reference servers answer server/discover with -32601");
        assertEquals("2025-11-25", client.protocolVersion());
        List<ToolInfo> tools = client.listTools();
        assertTrue(tools.stream().anyMatch(t -> t.name().equals("echo")), tools.toString());
        JsonNode echo = client.callTool("echo", mapper.createObjectNode().put("message", "hi there"),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertEquals("Echo: hi there", echo.path("content").get(0).path("text").asText());
        JsonNode sum = client.callTool("get-sum", mapper.createObjectNode().put("a", 2).put("b", 40),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertTrue(sum.path("content").get(0).path("text").asText().contains("42"), sum.toString());
    }

    @Test
    void aToolsAnnotationsAreReadAsTheFilesystemServerGivesThemTheOnesItLeavesOutNull(@TempDir Path folder) {
        transport = new StdioTransport("filesystem", new StdioTransport.Command(
                TestPeers.server("filesystem", folder.toString()), Map.of(), null, Duration.ofSeconds(1), 1 << 24), mapper);
        client = new McpClient("filesystem", new ClientOptions("test", "1", "legacy", Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(60), null, false, false, 1 << 24), () -> transport,
                new McpClient.Callbacks() {
                }, mapper);
        client.connect();
        Map<String, ToolAnnotations> annotations = new HashMap<>();
        client.listTools().forEach(tool -> annotations.put(tool.name(), tool.annotations()));
        String all = annotations.toString();
        assertEquals(new ToolAnnotations(null, true, null, null, false), annotations.get("read_text_file"), all);
        assertEquals(new ToolAnnotations(null, true, null, null, false), annotations.get("list_directory"), all);
        assertEquals(new ToolAnnotations(null, false, true, true, false), annotations.get("write_file"), all);
        assertEquals(new ToolAnnotations(null, false, true, false, false), annotations.get("edit_file"), all);
        assertEquals(new ToolAnnotations(null, false, false, true, false), annotations.get("create_directory"), all);
    }

    @Test
    void theEverythingServersToolsCarryTheirTitleOutputSchemaAndAnnotations() {
        connect("legacy", null);
        Map<String, ToolInfo> tools = new HashMap<>();
        client.listTools().forEach(tool -> tools.put(tool.name(), tool));
        ToolInfo echo = tools.get("echo");
        assertEquals("Echo Tool", echo.title());
        assertEquals(new ToolAnnotations(null, true, false, true, false), echo.annotations());
        ToolInfo structured = tools.get("get-structured-content");
        assertEquals(new ToolAnnotations(null, true, false, true, false), structured.annotations());
        assertEquals("object", structured.outputSchema().path("type").asText(), structured.toString());
    }

    @Test
    void structuredContentAndImages() {
        connect("legacy", null);
        client.listTools();
        JsonNode structured = client.callTool("get-structured-content", mapper.createObjectNode().put("location", "New York"),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertTrue(structured.path("structuredContent").isObject(), structured.toString());
        JsonNode image = client.callTool("get-tiny-image", mapper.createObjectNode(), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        assertTrue(image.toString().contains("\"type\":\"image\""), image.toString());
    }

    @Test
    void progressIsRoutedToTheCaller() {
        connect("legacy", null);
        JsonNode result = client.callTool("trigger-long-running-operation",
                mapper.createObjectNode().put("duration", 1).put("steps", 4), Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertTrue(result.toString().contains("completed"), result.toString());
        assertTrue(progress.size() >= 3, "progress notifications: " + progress);
    }

    @Test
    void aCallThatTakesTooLongTimesOutAndTheNextOneWorks() {
        connect("legacy", null);
        long start = System.nanoTime();
        McpException timeout = assertThrows(McpException.class, () -> client.callTool("trigger-long-running-operation",
                mapper.createObjectNode().put("duration", 10).put("steps", 2), Duration.ofMillis(500),
                Duration.ofMillis(1500)));
        assertTrue(timeout.getMessage().contains("timed out"), timeout.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), "the overall cap bounds the call");
        JsonNode echo = client.callTool("echo", mapper.createObjectNode().put("message", "after"),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertEquals("Echo: after", echo.path("content").get(0).path("text").asText());
    }

    @Test
    void aCallCutOffByCloseSaysWhy() throws Exception {
        connect("legacy", null);
        CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> client.callTool(
                "trigger-long-running-operation", mapper.createObjectNode().put("duration", 30).put("steps", 30),
                Duration.ofSeconds(50), Duration.ofSeconds(50)));
        while (progress.isEmpty()) { // progress proves the call is in flight
            Thread.sleep(50);
        }
        client.close("the server's configuration changed");
        ExecutionException failure = assertThrows(ExecutionException.class, call::get);
        assertEquals("MCP server 'everything': the call was cut off: the server's configuration changed",
                failure.getCause().getMessage());
    }

    @Test
    void rootsAreAnsweredWhenDeclared() {
        connect("legacy", List.of("file:///tmp/a-root"));
        client.listTools();
        JsonNode roots = client.callTool("get-roots-list", mapper.createObjectNode(), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        assertTrue(roots.toString().contains("file:///tmp/a-root"), roots.toString());
    }

    @Test
    void closeEndsAServerThatIgnoresStdinEof() throws Exception {
        connect("legacy", null);
        long pid = transport.pid();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        client.close();
        client = null;
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive");
    }

    @Test
    void aMessageOverMaxMessageBytesIsCountedInBytesAndNamesTheSettingToRaise() {
        // 100 two-byte characters: fewer than 150 characters, more than 150 bytes
        scripted("big", "require('readline').createInterface({input: process.stdin}).on('line', () =>"
                + " process.stdout.write(JSON.stringify({jsonrpc: '2.0', id: 1, result: {text: '\u00e9'.repeat(100)}})"
                + " + '\\n'))", 150, Duration.ofSeconds(20));
        McpException failure = assertThrows(McpException.class, client::connect);
        // its answer to initialize: during the handshake, so no connection was lost
        assertEquals("MCP server 'big': the connection closed before the handshake ended: the server sent a message"
                + " larger than maxMessageBytes (150 bytes); raise it in etc/io.mcpagent.mcp.server~big.cfg.json",
                failure.getMessage());
    }

    @Test
    void anInitializeTimeoutAfterNonJsonOutputQuotesIt() {
        scripted("chatty", "for (let i = 1; i <= 7; i++) console.log('hello ' + i); setInterval(() => {}, 1000)",
                1 << 20, Duration.ofSeconds(2));
        McpException failure = assertThrows(McpException.class, client::connect);
        assertTrue(failure.getMessage().startsWith("MCP server 'chatty': initialize timed out after 2000 ms"),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("; the server wrote 7 lines that are not JSON-RPC on stdout,"
                + " e.g. 'hello 1'"), failure.getMessage());
    }
}
