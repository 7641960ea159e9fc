package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.ElicitationHandler;
import io.mcpagent.api.mcp.McpException;
import io.mcpagent.api.mcp.McpServerEvent;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.mcp.internal.client.NotSentException;
import io.mcpagent.mcp.internal.client.SessionDeletes;
import io.mcpagent.provider.support.FactoryInstanceId;

/** A configured server's lifecycle and faults, against real npm servers and misbehaving commands. */
@Timeout(120)
class ManagedServerTest {
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
    private final List<ManagedServer> servers = new ArrayList<>();
    private final List<io.mcpagent.api.llm.ChatRequest> sampled = new CopyOnWriteArrayList<>();
    private volatile LlmProvider provider;
    private volatile ElicitationHandler elicitation;
    /** Where the servers' configuration comes from; null for its file in etc/. */
    private volatile String origin;
    /** The PID of the servers' configuration; null for that of their file, {@code io.mcpagent.mcp.server~<id>}. */
    private volatile String configurationPid;
    /** The failure of the call {@link #callCutOff} cut off last, for the tests that look at its type. */
    private volatile Throwable cutOffFailure;
    /** The HTTP client of the servers started from now on; a new one each when null. */
    private volatile HttpClient http;

    /** A sampling provider with no models that records each request in {@link #sampled} and answers it so. */
    private LlmProvider sampledBy(
            java.util.function.Function<io.mcpagent.api.llm.ChatRequest, io.mcpagent.api.llm.ChatResponse> answer) {
        return new LlmProvider() {
            @Override
            public List<io.mcpagent.api.llm.ModelInfo> models() {
                return List.of();
            }

            @Override
            public io.mcpagent.api.llm.ChatResponse chat(io.mcpagent.api.llm.ChatRequest request) {
                sampled.add(request);
                return answer.apply(request);
            }
        };
    }

    @TempDir
    Path temp;
    /** Server processes killed before the servers stop: without the fix, a stop waiting for a blocked write hangs. */
    private final List<ProcessHandle> killedFirst = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        killedFirst.forEach(ProcessHandle::destroyForcibly);
        servers.forEach(server -> server.stop("the test ended"));
        scheduler.shutdownNow();
    }

    private ManagedServer server(String id, Map<String, Object> values) {
        return server(id, values, System::getenv);
    }

    /** A server started in a runtime whose environment {@code variables} gives. */
    private ManagedServer server(String id, Map<String, Object> values, Function<String, String> variables) {
        ServerConfig config = config(values);
        ManagedServer server = new ManagedServer(ServerSettings.from(id, config, variables), new ManagedServer.Environment() {
            private final ObjectMapper mapper = new ObjectMapper();

            @Override
            public ObjectMapper mapper() {
                return mapper;
            }

            @Override
            public HttpClient http() {
                HttpClient given = http;
                return given != null ? given : HttpClient.newHttpClient();
            }

            @Override
            public SessionDeletes sessionDeletes() {
                return new SessionDeletes();
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return scheduler;
            }

            @Override
            public void publish(ExecutionEvent event) {
                events.add(event);
            }

            @Override
            public Optional<ElicitationHandler> elicitationHandler() {
                return Optional.ofNullable(elicitation);
            }

            @Override
            public Optional<LlmProvider> provider(String pluginId) {
                return "fake-llm".equals(pluginId) ? Optional.ofNullable(provider) : Optional.empty();
            }

            @Override
            public String clientVersion() {
                return "test";
            }

            @Override
            public String configurationOrigin() {
                return origin != null ? origin : McpServerComponent.file(id);
            }

            @Override
            public String configurationPid() {
                return configurationPid != null ? configurationPid : McpServerComponent.pid(id);
            }
        });
        servers.add(server);
        server.start();
        return server;
    }

    private static Map<String, Object> stdio(List<String> command) {
        return Map.of("command", command.get(0), "args", command.subList(1, command.size()).toArray(String[]::new));
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
        Map<String, Object> values = new java.util.HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until a call holds the server's one slot (maxConcurrentCalls 1): another call is then refused for it. A
     * sleep would not do, since the call runs on a pool thread that a loaded machine may start late.
     */
    private static void awaitTheOnlySlotTaken(ManagedServer server) throws InterruptedException {
        await(() -> {
            try {
                server.callTool("echo", "{\"message\":\"x\"}", Duration.ofMillis(50));
                return false;
            } catch (McpException busy) {
                // else a free slot, but the server did not answer the probe in time on a loaded machine
                return busy.getMessage().contains("waiting for a call slot");
            }
        }, "a call holding the only slot");
    }

    private static String text(ToolCallResult result) {
        return result.content().stream().filter(TextPart.class::isInstance).map(p -> ((TextPart) p).text())
                .reduce("", String::concat);
    }

    @Test
    void toolsTextImagesStructuredContentAndListChangedEvents() throws Exception {
        ManagedServer server = server("everything", stdio(TestPeers.server("everything", "stdio")));
        await(() -> server.health().status() == PluginHealth.Status.UP, "connected");
        assertTrue(server.listTools().stream().anyMatch(t -> t.name().equals("echo")));
        assertEquals("Echo: x", text(server.callTool("echo", "{\"message\":\"x\"}", Duration.ofSeconds(10))));
        ToolCallResult image = server.callTool("get-tiny-image", "{}", Duration.ofSeconds(10));
        assertTrue(image.content().stream().anyMatch(MediaPart.class::isInstance), image.toString());
        ToolCallResult structured = server.callTool("get-structured-content", "{\"location\":\"Chicago\"}",
                Duration.ofSeconds(10));
        assertFalse(structured.isError(), text(structured));
        assertNotNull(structured.structuredContentJson());
        await(() -> events.stream().anyMatch(e -> e instanceof McpServerEvent.StateChanged s
                && s.state().equals("tools-changed")), "tools/list_changed turned into an event");
        assertEquals("2025-11-25", server.info().protocolVersion());
    }

    @Test
    void invalidArgumentsAndToolFailuresAreToolErrors() throws Exception {
        ManagedServer server = server("everything", stdio(TestPeers.server("everything", "stdio")));
        ToolCallResult notJson = server.callTool("echo", "{not json", Duration.ofSeconds(10));
        assertTrue(notJson.isError());
        assertTrue(text(notJson).contains("not valid JSON"), text(notJson));
        ToolCallResult cutShort = server.callTool("echo", "{\"message\": \"hi\"", Duration.ofSeconds(10));
        assertEquals("arguments for 'echo' are not valid JSON: Unexpected end-of-input: expected close marker for"
                + " Object (start marker at line 1, column 1)", text(cutShort), "no [Source: REDACTED ...] of the parser");
        ToolCallResult wrongType = server.callTool("get-sum", "{\"a\":\"two\",\"b\":1}", Duration.ofSeconds(10));
        assertTrue(wrongType.isError(), "server rejects a string for a number: " + text(wrongType));
        ToolCallResult unknown = server.callTool("no-such-tool", "{}", Duration.ofSeconds(10));
        assertTrue(unknown.isError());
        assertTrue(text(unknown).contains("no tool 'no-such-tool'"), text(unknown));
    }

    @Test
    void aKilledServerFailsItsCallAndIsRestarted() throws Exception {
        ManagedServer server = server("everything", with(stdio(TestPeers.server("everything", "stdio")),
                "maxBackoffMs", 1000L, "maxConcurrentCalls", 1));
        await(() -> server.health().status() == PluginHealth.Status.UP, "connected");
        long pid = server.processId();
        CompletableFuture<ToolCallResult> longCall = CompletableFuture.supplyAsync(() -> server.callTool(
                "trigger-long-running-operation", "{\"duration\":30,\"steps\":3}", Duration.ofSeconds(60)));
        awaitTheOnlySlotTaken(server);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Exception failure = assertThrows(Exception.class, () -> longCall.get(Duration.ofSeconds(10).toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS));
        assertTrue(failure.getCause() instanceof McpException, "an McpException, not a hang: " + failure);
        await(() -> server.health().status() == PluginHealth.Status.UP && server.processId() != pid, "restarted");
        assertEquals("Echo: back", text(server.callTool("echo", "{\"message\":\"back\"}", Duration.ofSeconds(10))));
    }

    @Test
    void aCommandThatAppearsLaterIsStartedByTheRetriesThatFollowFailedOnes() throws Exception {
        Path script = temp.resolve("later.sh");
        ManagedServer server = server("later", with(stdio(List.of(script.toString())), "maxBackoffMs", 1000L));
        await(() -> failedAttempts() >= 2, "two failed starts");
        Path written = temp.resolve("later.tmp");
        Files.writeString(written, "#!/bin/sh\nexec " + String.join(" ", TestPeers.server("everything", "stdio")) + "\n");
        Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(written, script);
        assertEquals(1, server.problems().size(), "a command that cannot be started is a configuration problem");
        await(() -> server.health().status() == PluginHealth.Status.UP, "started once the command exists");
        assertTrue(failedAttempts() >= 2, "failedAttempts " + failedAttempts());
        assertEquals(List.of(), server.problems(), "the problem ends when the command starts");
    }

    /**
     * A server that starts but exits before its handshake, again and again, is a problem once it failed
     * {@link ManagedServer#REPEATED_FAILURES} times in a row, as a missing command is: before, it was DOWN in its
     * health only, and GET /status said healthy while it crash-looped. One failed connect is no problem.
     */
    @Test
    void aServerFailingToConnectTimeAfterTimeIsAProblem() throws InterruptedException {
        ManagedServer lazy = server("once", with(stdio(List.of("sh", "-c", "exit 3")), "connect", "lazy"));
        assertThrows(McpException.class, lazy::listTools);
        assertEquals(List.of(), lazy.problems(), "one failed connect");

        ManagedServer server = server("crashing", with(stdio(List.of("sh", "-c", "exit 3")), "maxBackoffMs", 200L));
        await(() -> !server.problems().isEmpty(), "a problem after repeated failures");
        assertTrue(failedAttempts() >= ManagedServer.REPEATED_FAILURES, "failedAttempts " + failedAttempts());
        Problem problem = server.problems().get(0);
        assertEquals("io.mcpagent.mcp.server~crashing", problem.subject());
        assertTrue(problem.message().startsWith("configuration io.mcpagent.mcp.server~crashing"
                + " (etc/io.mcpagent.mcp.server~crashing.cfg.json): it failed to connect 3 or more times in a row,"
                + " the latest: "), problem.message());
        assertTrue(problem.message().contains("exit code 3"), problem.message());
        assertTrue(problem.message().endsWith("; the server is DOWN until it connects"), problem.message());
    }

    /**
     * Calls that come while a connect is under way share its outcome, and after it failed, calls fail with its failure
     * until half the backoff passed: each call started the server anew, one after another, each waiting for those
     * before it (twenty calls to a server that hangs its handshake took twenty times its init timeout).
     */
    @Test
    void callsShareTheConnectUnderWayAndFailFastWithinTheBackoffAfterIt() throws Exception {
        Path starts = temp.resolve("starts");
        ManagedServer server = server("failing", with(stdio(List.of("sh", "-c", "echo started >> '" + starts
                + "'; sleep 0.5; exit 3")), "connect", "lazy", "maxBackoffMs", 1000L));
        List<java.util.concurrent.Future<String>> calls = new java.util.ArrayList<>();
        try (java.util.concurrent.ExecutorService callers =
                     java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                calls.add(callers.submit(() -> assertThrows(McpException.class, server::listTools).getMessage()));
            }
            for (java.util.concurrent.Future<String> call : calls) {
                assertTrue(call.get(10, java.util.concurrent.TimeUnit.SECONDS).contains("exit code 3"), call.get());
            }
        }
        assertEquals(1, Files.readAllLines(starts).size(), "one start for the five calls");

        McpException fast = assertThrows(McpException.class, server::listTools);
        assertTrue(fast.getMessage().startsWith("MCP server 'failing': not connected: its last connect failed ("),
                fast.getMessage());
        assertTrue(fast.getMessage().contains("); the next is made by a call in "), fast.getMessage());
        assertEquals(1, Files.readAllLines(starts).size(), "not started again within the backoff");

        Thread.sleep(600); // half the backoff after one failure (2 s, at most maxBackoffMs 1 s) has passed
        assertThrows(McpException.class, server::listTools);
        assertEquals(2, Files.readAllLines(starts).size(), "started again after it");
    }

    private long failedAttempts() {
        return events.stream().filter(e -> e instanceof McpServerEvent.StateChanged s && s.state().equals("failed"))
                .count();
    }

    /** An MCP endpoint that answers 500 quoting the request's headers, as some upstream errors do; started. */
    private static HttpServer headerEchoingServer() throws IOException {
        HttpServer echoing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echoing.createContext("/mcp", exchange -> {
            byte[] body = ("upstream failed; request headers " + exchange.getRequestHeaders())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echoing.start();
        return echoing;
    }

    @Test
    void aConnectFailureQuotingTheServersTokenIsLoggedMasked() throws Exception {
        // lower-case words: no pattern takes it for a token, only the held value masks it
        String token = "correct-horse-battery-staple";
        HttpServer echoing = headerEchoingServer();
        CapturedLog logged = CapturedLog.start();
        try (logged) {
            server("echoing", Map.of("transport", "http", "url", "http://127.0.0.1:" + echoing.getAddress().getPort()
                    + "/mcp", "headers", new String[] {"Authorization: Bearer " + token}, "protocol", "legacy"));
            await(() -> logged.text().contains("connecting failed"), "the failure logged");
        } finally {
            echoing.stop(0);
        }
        String log = logged.text();
        assertTrue(log.contains("HTTP 500: upstream failed"), log);
        assertFalse(log.contains(token), log);
        assertFalse(log.contains("battery"), "no part of it either: " + log);
    }

    @Test
    void aConnectFailureQuotingTheServersTokenIsPublishedMasked() throws Exception {
        String token = "correct-horse-battery-staple";
        HttpServer echoing = headerEchoingServer();
        try {
            server("echoing", Map.of("transport", "http", "url", "http://127.0.0.1:" + echoing.getAddress().getPort()
                    + "/mcp", "headers", new String[] {"Authorization: Bearer " + token}, "protocol", "legacy"));
            await(() -> failedAttempts() >= 1, "the failure published");
        } finally {
            echoing.stop(0);
        }
        String detail = events.stream().filter(e -> e instanceof McpServerEvent.StateChanged s
                && s.state().equals("failed")).map(e -> ((McpServerEvent.StateChanged) e).detail()).findFirst()
                .orElseThrow();
        assertTrue(detail.contains("HTTP 500: upstream failed"), detail);
        assertFalse(detail.contains("battery"), "history and the console show the event as it is: " + detail);
    }

    @Test
    void aConnectFailureQuotingTheServersTokenIsKeptInTheHealthMasked() throws Exception {
        String token = "correct-horse-battery-staple";
        HttpServer echoing = headerEchoingServer();
        ManagedServer server;
        try {
            server = server("echoing", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + echoing.getAddress().getPort() + "/mcp", "headers",
                    new String[] {"Authorization: Bearer " + token}, "protocol", "legacy"));
            await(() -> server.health().status() == PluginHealth.Status.DOWN, "the failure in the health");
        } finally {
            echoing.stop(0);
        }
        String health = server.health().message();
        assertTrue(health.contains("HTTP 500: upstream failed"), health);
        assertFalse(health.contains("battery"), "the decision engine and history quote the health as it is: " + health);
    }

    /**
     * A legacy stdio server given {@code token} as its argument (so its transport, which masks its environment, does
     * not know it): it prints it on stderr at start, sends it in a log message once initialized and in the progress
     * message of a call to its tool {@code work}.
     */
    private ManagedServer repeatingItsToken(String id, String token) throws Exception {
        Path script = Files.writeString(temp.resolve("repeating.js"), """
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                const token = process.argv[2];
                console.error('started with ' + token);
                require('readline').createInterface({input: process.stdin}).on('line', line => {
                  const m = JSON.parse(line);
                  if (m.method === 'initialize') out({jsonrpc: '2.0', id: m.id, result: {
                      protocolVersion: m.params.protocolVersion, capabilities: {tools: {}, logging: {}},
                      serverInfo: {name: 'r', version: '1'}}});
                  else if (m.method === 'notifications/initialized') out({jsonrpc: '2.0',
                      method: 'notifications/message', params: {level: 'info', logger: 'auth ' + token, data: {said: 'token ' + token,
                      quoted: ['"' + token + '"', 3, true], [token]: null}}});
                  else if (m.method === 'tools/call') {
                    out({jsonrpc: '2.0', method: 'notifications/progress', params: {progressToken:
                        m.params._meta.progressToken, progress: 1, total: 2, message: 'halfway with ' + token}});
                    out({jsonrpc: '2.0', id: m.id, result: {content: [{type: 'text', text: 'done'}]}});
                  } else if (m.id !== undefined) out({jsonrpc: '2.0', id: m.id, result: m.method === 'tools/list'
                      ? {tools: [{name: 'work', inputSchema: {type: 'object'}}]} : {}});
                }).on('close', () => process.exit(0));
                """);
        return server(id, with(stdio(List.of(TestPeers.node(), script.toString(), "${env:UPSTREAM_TOKEN}")),
                "protocol", "legacy", "healthIntervalMs", 0L),
                name -> name.equals("UPSTREAM_TOKEN") ? token : System.getenv(name));
    }

    @Test
    void aLostConnectionQuotingTheServersTokenIsKeptInTheHealthMasked() throws Exception {
        String token = "correct-horse-battery-staple";
        ManagedServer server = repeatingItsToken("repeating", token);
        await(() -> server.health().status() == PluginHealth.Status.UP, "connected");
        ProcessHandle.of(server.processId()).orElseThrow().destroy();
        await(() -> server.health().status() == PluginHealth.Status.DOWN, "the connection lost");
        String health = server.health().message();
        assertTrue(health.contains("connection lost: server process ended"), health);
        assertTrue(health.contains("started with [redacted]"), health);
        assertFalse(health.contains("battery"), "the decision engine and history quote the health as it is: " + health);
    }

    @Test
    void aProgressMessageQuotingTheServersTokenIsPublishedMasked() throws Exception {
        ManagedServer server = repeatingItsToken("progressing", "correct-horse-battery-staple");
        assertEquals("done", text(server.callTool("work", "{}", Duration.ofSeconds(20))));
        McpServerEvent.Progress progress = events.stream().filter(McpServerEvent.Progress.class::isInstance)
                .map(McpServerEvent.Progress.class::cast).findFirst().orElseThrow();
        assertEquals("halfway with [redacted]", progress.message(), "history and the console show it as it is");
    }

    @Test
    void aLogMessageQuotingTheServersTokenIsPublishedMaskedAndValidJson() throws Exception {
        String token = "correct-horse-battery-staple";
        repeatingItsToken("logging", token);
        await(() -> events.stream().anyMatch(McpServerEvent.Log.class::isInstance), "the log message");
        McpServerEvent.Log log = events.stream().filter(McpServerEvent.Log.class::isInstance)
                .map(McpServerEvent.Log.class::cast).findFirst().orElseThrow();
        assertEquals("auth [redacted]", log.logger());
        assertEquals(new ObjectMapper().readTree("{\"said\": \"token [redacted]\","
                + " \"quoted\": [\"\\\"[redacted]\\\"\", 3, true], \"[redacted]\": null}"), new ObjectMapper().readTree(log.dataJson()), log.dataJson());
    }

    @Test
    void aFailedHealthCheckQuotingTheServersTokenIsKeptInTheHealthAndTheCutOffCallMasked() throws Exception {
        String token = "correct-horse-battery-staple";
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch calling = new CountDownLatch(1);
        HttpServer echoingPings = mcpHttpServer((request, exchange) -> {
            String method = request.path("method").asText();
            String answer = switch (method) {
                case "initialize" -> "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"e\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"wait\",\"inputSchema\":{\"type\":\"object\"}}]}";
                case "ping" -> calling.getCount() > 0 ? "{}" : null; // fails only once the call waits
                default -> null;
            };
            byte[] body;
            if (method.equals("ping") && answer == null) {
                body = ("upstream failed; request headers " + exchange.getRequestHeaders())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
            } else if (answer != null) {
                body = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + answer + "}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
            } else if (method.equals("tools/call")) {
                // An event stream that stays open, as for a long tool: the failed health check cuts the call off.
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().flush();
                calling.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                body = new byte[0];
            } else {
                body = new byte[0];
                exchange.sendResponseHeaders(202, -1);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echoingPings.start();
        try {
            ManagedServer server = server("pinged", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + echoingPings.getAddress().getPort() + "/mcp", "headers",
                    new String[] {"Authorization: Bearer " + token}, "protocol", "legacy", "connect", "lazy",
                    "healthIntervalMs", 200L));
            Exception failure = assertThrows(Exception.class, () -> server.callTool("wait", "{}",
                    Duration.ofSeconds(60)));
            assertTrue(failure.getMessage().contains("the call was cut off: the health check failed: ping could not be"
                    + " sent over http: HTTP 500: upstream failed"), failure.getMessage());
            assertFalse(failure.getMessage().contains("battery"), "the caller may show it: " + failure.getMessage());
            String health = server.health().message();
            assertEquals(PluginHealth.Status.DEGRADED, server.health().status(), health);
            assertTrue(health.contains("health check failed:"), health);
            assertFalse(health.contains("battery"), "the decision engine and history quote the health: " + health);
        } finally {
            released.countDown();
            echoingPings.stop(0);
        }
    }

    /**
     * A health check that fails with something other than an McpException (here the HTTP client throws, as a fault of
     * this client would) marks the server DEGRADED saying so and reconnects; the checks go on, so the next fault is
     * seen too. The periodic task threw before, which ended the health checks of that server for good.
     */
    @Test
    void aHealthCheckFailingUnexpectedlyMarksTheServerAndTheChecksGoOn() throws Exception {
        HttpServer answering = answeringHttpServer();
        FaultyHttpClient faulty = new FaultyHttpClient();
        // the ping fails; the open event stream (a GET) does not, so no lost connection's DOWN replaces what the
        // failed check says
        faulty.postsOnly = true;
        http = faulty;
        try {
            // the checks run here, one at a time, and a lazy server is not reconnected behind the test's back: what a
            // check says is read before anything else can change it
            ManagedServer server = server("faulty", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + answering.getAddress().getPort() + "/mcp", "protocol", "legacy", "connect", "lazy",
                    "healthIntervalMs", 0L));
            String expected = "health check failed: MCP server 'faulty': java.lang.IllegalStateException: ";
            for (String fault : List.of("selector closed", "no more threads")) {
                // connects on first use, and again after the failed check closed the connection (the server
                // answers every call with an empty result)
                server.callTool("anything", "{}", Duration.ofSeconds(10));
                assertEquals(PluginHealth.Status.UP, server.health().status(), server.health().toString());
                faulty.fault = new IllegalStateException(fault);
                server.runHealthCheck(); // scheduleWithFixedDelay runs no more a task that threw once
                assertEquals(PluginHealth.Status.DEGRADED, server.health().status(), server.health().toString());
                assertEquals(expected + fault, server.health().message());
                faulty.fault = null;
            }
        } finally {
            answering.stop(0);
        }
    }

    /**
     * An eager server whose connect fails with something other than an McpException (the HTTP client throws) is DOWN
     * saying so, and is connected again later: the failure ended the scheduled connect, and no reconnect followed.
     */
    @Test
    void anEagerConnectFailingUnexpectedlyMarksTheServerDownAndIsTriedAgain() throws Exception {
        HttpServer answering = answeringHttpServer();
        FaultyHttpClient faulty = new FaultyHttpClient();
        faulty.fault = new IllegalStateException("selector closed");
        http = faulty;
        try {
            ManagedServer server = server("faulty", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + answering.getAddress().getPort() + "/mcp", "protocol", "legacy", "healthIntervalMs", 0L,
                    "maxBackoffMs", 100L));
            await(() -> server.health().status() == PluginHealth.Status.DOWN, "the connect to fail (health: "
                    + server.health() + ")");
            assertEquals("MCP server 'faulty': connecting failed: java.lang.IllegalStateException: selector closed",
                    server.health().message());
            faulty.fault = null;
            await(() -> server.health().status() == PluginHealth.Status.UP, "the server connected");
        } finally {
            answering.stop(0);
        }
    }

    /** How a test's MCP server answers a POST to /mcp, given as JSON. */
    private interface McpPost {
        void answer(JsonNode request, HttpExchange exchange) throws IOException;
    }

    /**
     * An MCP server at /mcp on a free local port, not started: each POST is read as JSON and handed to {@code post},
     * on a thread of its own (a call the test holds does not hold the others); anything else is answered 405.
     */
    private static HttpServer mcpHttpServer(McpPost post) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/mcp", exchange -> {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                exchange.close();
                return;
            }
            post.answer(mapper.readTree(exchange.getRequestBody()), exchange);
        });
        return server;
    }

    /** A legacy Streamable HTTP server at /mcp answering initialize, an empty tools/list and pings; no GET stream. */
    private static HttpServer answeringHttpServer() throws IOException {
        HttpServer answering = mcpHttpServer((request, exchange) -> {
            if (!request.has("id")) {
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
                return;
            }
            String answer = switch (request.path("method").asText()) {
                case "initialize" -> "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"a\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[]}";
                default -> "{}";
            };
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + answer + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        answering.start();
        return answering;
    }

    @Test
    void aCallStillWaitingForItsResponseHeadersIsCutOffWhenTheHealthCheckFails() throws Exception {
        String failure = callCutOffBeforeItsResponseHeaders("tools/call", 200L, server -> { });
        assertTrue(failure.startsWith("MCP server 'headless': the call was cut off: the health check failed: ping could"
                + " not be sent over http: HTTP 500: upstream failed"), failure);
    }

    @Test
    void aCallStillWaitingForItsResponseHeadersIsCutOffWhenTheServerIsRemoved() throws Exception {
        assertEquals("MCP server 'headless': the call was cut off: the server's configuration was removed",
                callCutOffBeforeItsResponseHeaders("tools/call", 0L,
                        server -> server.stop("the server's configuration was removed")));
        assertFalse(cutOffFailure instanceof NotSentException, "the server may have it: " + cutOffFailure);
    }

    /** A caller that got the server from the plugins just before its configuration was deleted calls it after. */
    @Test
    void aCallComingAfterTheServerStoppedIsToldWhy() {
        ManagedServer server = server("gone", Map.of("command", "/no/such/mcp-server", "connect", "lazy"));

        server.stop("the server's configuration was removed");

        McpException failure = assertThrows(NotSentException.class,
                () -> server.callTool("read", "{}", Duration.ofSeconds(1)));
        assertEquals("MCP server 'gone': stopped: the server's configuration was removed", failure.getMessage());
    }

    @Test
    void aCallWaitingForItsServersHandshakeIsCutOffWhenTheServerIsRemoved() throws Exception {
        assertEquals("MCP server 'headless': the call was cut off: the server's configuration was removed",
                callCutOffBeforeItsResponseHeaders("initialize", 0L,
                        server -> server.stop("the server's configuration was removed")));
        assertTrue(cutOffFailure instanceof NotSentException, "its tools/call never went out: " + cutOffFailure);
        // the call's thread ran the handshake: had it published "failed", it would have done so before failing
        assertEquals(0, failedAttempts(), "a removed server is not failing: " + events);
    }

    /**
     * A server asking for OAuth whose protected-resource metadata gets no response headers: the call's handshake waits
     * in the authorizer's challenge, whose requests have the handshake's ten-minute timeout, until the server stops.
     */
    @Test
    void aCallInItsServersOAuthChallengeIsCutOffWhenTheServerIsRemoved() throws Exception {
        CountDownLatch challenging = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        HttpServer guarded = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        guarded.setExecutor(Executors.newCachedThreadPool());
        String metadata = "http://127.0.0.1:" + guarded.getAddress().getPort() + "/.well-known/oauth-protected-resource";
        guarded.createContext("/mcp", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer resource_metadata=\"" + metadata + "\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        guarded.createContext("/.well-known/oauth-protected-resource", exchange -> {
            challenging.countDown();
            try {
                released.await(); // no status line, no headers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        guarded.start();
        try {
            ManagedServer server = server("guarded", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + guarded.getAddress().getPort() + "/mcp", "protocol", "legacy", "connect", "lazy",
                    "auth", "oauth", "oauthGrant", "client_credentials", "oauthClientId", "agent",
                    "initTimeoutMs", 600_000L, "requestTimeoutMs", 600_000L));
            CompletableFuture<ToolCallResult> call = CompletableFuture.supplyAsync(() -> server.callTool("wait", "{}",
                    Duration.ofMinutes(10)), Thread.ofVirtual()::start);
            challenging.await();

            server.stop("the server's configuration was removed");

            Exception failure = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> call.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("MCP server 'guarded': the call was cut off: the server's configuration was removed",
                    failure.getCause().getMessage());
        } finally {
            released.countDown();
            guarded.stop(0);
        }
    }

    /**
     * A lazy server whose handshake takes longer than requestTimeoutMs: a caller that comes while the first caller's
     * listing is still connecting waits for that connect as a caller coming with no listing under way does (within the
     * handshake's own timeout), instead of giving up after requestTimeoutMs. The handshake is answered once the second
     * caller waits for the connect (queued for it behind the first) or has given up.
     */
    @Test
    void aCallerWaitingForAListingThatIsStillConnectingWaitsForTheHandshakeNotForTheRequestTimeout() throws Exception {
        CountDownLatch initializing = new CountDownLatch(1);
        CompletableFuture<Void> answerInitialize = new CompletableFuture<>();
        HttpServer slow = mcpHttpServer((request, exchange) -> {
            String method = request.path("method").asText();
            if (method.equals("initialize")) {
                initializing.countDown();
                answerInitialize.join();
            }
            String answer = switch (method) {
                case "initialize" -> "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"s\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"}}]}";
                default -> null;
            };
            if (answer == null) {
                exchange.sendResponseHeaders(202, -1);
            } else {
                byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + answer + "}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        slow.start();
        try {
            ManagedServer server = server("slow", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + slow.getAddress().getPort() + "/mcp", "protocol", "legacy", "connect", "lazy",
                    "initTimeoutMs", 600_000L, "requestTimeoutMs", 300L, "healthIntervalMs", 0L));
            CompletableFuture<Object> first = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> complete(first, server::listTools));
            initializing.await();
            CompletableFuture<Object> second = new CompletableFuture<>();
            Thread waiting = Thread.ofPlatform().start(() -> complete(second, server::listTools));
            await(() -> server.waitsForTheConnect(waiting) || second.isDone(),
                    "the second caller waits for the connect or has given up");
            answerInitialize.complete(null);

            assertEquals("[t]", names(first.get(30, java.util.concurrent.TimeUnit.SECONDS)));
            assertEquals("[t]", names(second.get(30, java.util.concurrent.TimeUnit.SECONDS)));
        } finally {
            answerInitialize.complete(null);
            slow.stop(0);
        }
    }

    /**
     * A 2026-07-28 server refuses the first call with -32020 (its tools' header mappings changed): the client lists the
     * tools again through the server's cache before retrying, so the cache holds the new listing (described "v2") and
     * the next caller needs no listing of its own.
     */
    @Test
    void aHeaderMismatchListsTheToolsAgainThroughTheCache() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer modern = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        modern.createContext("/mcp", exchange -> {
            var request = mapper.readTree(exchange.getRequestBody());
            String field = "result";
            String answer = switch (request.path("method").asText()) {
                case "server/discover" -> "{\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":{\"tools\":{}},"
                        + "\"serverInfo\":{\"name\":\"m\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"t\",\"description\":\"v" + listings.incrementAndGet()
                        + "\",\"inputSchema\":{\"type\":\"object\"}}]}";
                case "tools/call" -> {
                    if (calls.incrementAndGet() > 1) {
                        yield "{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}";
                    }
                    field = "error";
                    yield "{\"code\":-32020,\"message\":\"header mismatch\"}";
                }
                default -> "{}";
            };
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"" + field + "\":" + answer + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        modern.start();
        try {
            ManagedServer server = server("modern", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + modern.getAddress().getPort() + "/mcp", "protocol", "modern", "connect", "lazy",
                    "healthIntervalMs", 0L));

            assertEquals("done", text(server.callTool("t", "{}", Duration.ofSeconds(10))));

            assertEquals("v2", server.listTools().get(0).description());
            assertEquals(2, listings.get(), "the first call's listing and the one after the mismatch");
        } finally {
            modern.stop(0);
        }
    }

    /**
     * After -32020 the tool describes another output: {@code count} was a string and is a number in the listing the
     * call is retried with. Its result is checked against that listing, not the one the call began with.
     */
    @Test
    void aCallRetriedAfterAHeaderMismatchIsCheckedAgainstTheToolsListedAgain() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer modern = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        modern.createContext("/mcp", exchange -> {
            var request = mapper.readTree(exchange.getRequestBody());
            String field = "result";
            String answer = switch (request.path("method").asText()) {
                case "server/discover" -> "{\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":{\"tools\":{}},"
                        + "\"serverInfo\":{\"name\":\"m\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"},"
                        + "\"outputSchema\":{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\""
                        + (listings.incrementAndGet() == 1 ? "string" : "number") + "\"}},\"required\":[\"count\"]}}]}";
                case "tools/call" -> {
                    if (calls.incrementAndGet() > 1) {
                        yield "{\"content\":[{\"type\":\"text\",\"text\":\"3\"}],\"structuredContent\":{\"count\":3}}";
                    }
                    field = "error";
                    yield "{\"code\":-32020,\"message\":\"header mismatch\"}";
                }
                default -> "{}";
            };
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"" + field + "\":" + answer + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        modern.start();
        try {
            ManagedServer server = server("modern", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + modern.getAddress().getPort() + "/mcp", "protocol", "modern", "connect", "lazy",
                    "healthIntervalMs", 0L));

            ToolCallResult result = server.callTool("t", "{}", Duration.ofSeconds(10));

            assertEquals("3", text(result));
            assertFalse(result.isError());
            assertEquals(2, listings.get(), "the first call's listing and the one after the mismatch");
        } finally {
            modern.stop(0);
        }
    }

    private static void complete(CompletableFuture<Object> future, java.util.function.Supplier<Object> work) {
        try {
            future.complete(work.get());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    private static String names(Object tools) {
        return ((List<?>) tools).stream().map(tool -> ((io.mcpagent.api.mcp.ToolDescriptor) tool).name()).toList()
                .toString();
    }

    /**
     * The health check fails while a call waits in the OAuth challenge of its request (the protected-resource metadata
     * gets no response headers): the challenge's requests are aborted with the connection, as the call's own are.
     */
    @Test
    void aCallInItsServersOAuthChallengeIsCutOffWhenTheHealthCheckFails() throws Exception {
        String failure = callCutOff("tools/call", true, 200L, server -> { });
        assertTrue(failure.startsWith("MCP server 'headless': the call was cut off: the health check failed: ping could"
                + " not be sent over http: HTTP 500: upstream failed"), failure);
    }

    /**
     * The health check's ping meets the OAuth challenge too, while a call waits in its own (the protected-resource
     * metadata gets no response headers): the ping's challenge waits for the call's, yet the health check fails within
     * its own timeout (requestTimeoutMs here), and the call is cut off with the connection.
     */
    @Test
    void aHealthCheckWhosePingWaitsForAnotherOAuthChallengeFailsWithinItsTimeout() throws Exception {
        String failure = callCutOff("tools/call", true, true, 1000L, 200L, server -> { });
        assertTrue(failure.startsWith("MCP server 'headless': the call was cut off: the health check failed: ping timed"
                + " out after 1000 ms while being sent: another OAuth challenge of the server was still under way"),
                failure);
    }

    /**
     * The message of a tool call on a lazy Streamable HTTP server whose request {@code stalled} gets no response
     * headers, cut off by {@code cutOff} or by the health check (every {@code healthIntervalMs}; pings fail once the
     * request waits). The timeouts are ten minutes: failing within the seconds waited here can only be the cut-off.
     */
    private String callCutOffBeforeItsResponseHeaders(String stalled, long healthIntervalMs,
                                                      java.util.function.Consumer<ManagedServer> cutOff) throws Exception {
        return callCutOff(stalled, false, healthIntervalMs, cutOff);
    }

    /**
     * As {@link #callCutOffBeforeItsResponseHeaders}; when {@code challenged}, the request {@code stalled} is refused
     * with an OAuth challenge instead, and the call waits in it: its protected-resource metadata gets no response
     * headers.
     */
    private String callCutOff(String stalled, boolean challenged, long healthIntervalMs,
                              java.util.function.Consumer<ManagedServer> cutOff) throws Exception {
        return callCutOff(stalled, challenged, false, 600_000L, healthIntervalMs, cutOff);
    }

    /**
     * As {@link #callCutOff(String, boolean, long, java.util.function.Consumer)}; when {@code pingsChallenged}, the
     * pings that come once the call waits are refused with the same OAuth challenge instead of failing; a ping waits
     * at most {@code requestTimeoutMs}, the call's own timeout staying ten minutes.
     */
    private String callCutOff(String stalled, boolean challenged, boolean pingsChallenged, long requestTimeoutMs,
                              long healthIntervalMs, java.util.function.Consumer<ManagedServer> cutOff) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        CountDownLatch calling = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        HttpServer headless = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        headless.setExecutor(Executors.newCachedThreadPool()); // pings are answered while the call waits
        String metadata = "http://127.0.0.1:" + headless.getAddress().getPort() + "/.well-known/oauth-protected-resource";
        headless.createContext("/.well-known/oauth-protected-resource", exchange -> {
            calling.countDown();
            try {
                released.await(); // no status line, no headers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        headless.createContext("/mcp", exchange -> {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                exchange.close();
                return;
            }
            var request = mapper.readTree(exchange.getRequestBody());
            String method = request.path("method").asText();
            if ((method.equals(stalled) && challenged)
                    || (method.equals("ping") && pingsChallenged && calling.getCount() == 0)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer resource_metadata=\"" + metadata + "\"");
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            if (method.equals(stalled)) {
                calling.countDown();
                try {
                    released.await(); // no status line, no headers
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            String answer = switch (method) {
                case "initialize" -> "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"h\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"wait\",\"inputSchema\":{\"type\":\"object\"}}]}";
                case "ping" -> calling.getCount() > 0 ? "{}" : null;
                default -> null;
            };
            byte[] body = answer == null ? "upstream failed".getBytes(StandardCharsets.UTF_8)
                    : ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + answer + "}")
                    .getBytes(StandardCharsets.UTF_8);
            if (!request.has("id")) {
                exchange.sendResponseHeaders(202, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer == null ? 500 : 200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        headless.start();
        try {
            Map<String, Object> settings = Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + headless.getAddress().getPort() + "/mcp", "protocol", "legacy", "connect", "lazy",
                    "initTimeoutMs", 600_000L, "requestTimeoutMs", requestTimeoutMs, "healthIntervalMs", healthIntervalMs);
            ManagedServer server = server("headless", challenged ? with(settings, "auth", "oauth", "oauthGrant",
                    "client_credentials", "oauthClientId", "agent") : settings);
            CompletableFuture<ToolCallResult> call = CompletableFuture.supplyAsync(() -> server.callTool("wait", "{}",
                    Duration.ofMinutes(10)), Thread.ofVirtual()::start);
            calling.await();
            cutOff.accept(server);
            Exception failure = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> call.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof McpException, failure.toString());
            cutOffFailure = failure.getCause();
            return failure.getCause().getMessage();
        } finally {
            released.countDown();
            headless.stop(0);
        }
    }

    @Test
    void aServerThatNeverAnswersInitializeTimesOutAndIsEnded() throws Exception {
        ManagedServer server = server("silent", with(stdio(List.of("sleep", "600")), "initTimeoutMs", 800L,
                "connect", "lazy"));
        McpException failure = assertThrows(McpException.class, server::listTools);
        assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
        assertEquals(PluginHealth.Status.DOWN, server.health().status());
        long pid = server.processId();
        server.stop("the test ended");
        await(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the silent process ended");
    }

    @Test
    void aMissingCommandIsReportedClearly() {
        ManagedServer server = server("missing", with(stdio(List.of("/no/such/mcp-server")), "connect", "lazy"));
        McpException failure = assertThrows(McpException.class, server::listTools);
        assertTrue(failure.getMessage().contains("cannot start '/no/such/mcp-server'"), failure.getMessage());
        assertFalse(failure.getMessage().contains("  "), "no double space: " + failure.getMessage());
        Problem problem = server.problems().get(0);
        assertEquals("config", problem.source());
        assertEquals("io.mcpagent.mcp.server~missing", problem.subject());
        assertTrue(problem.message().startsWith("configuration io.mcpagent.mcp.server~missing"
                + " (etc/io.mcpagent.mcp.server~missing.cfg.json): cannot start '/no/such/mcp-server'"), problem.message());
    }

    /**
     * A configuration without a file (a file's, edited in the Web Console, which drops the file's name from it, or one
     * another ConfigAdmin client made): the problem named etc/io.mcpagent.mcp.server~<name>.cfg.json all the same.
     */
    @Test
    void aMissingCommandOfAConfigurationWithoutAFileSaysWhereItComesFrom() {
        origin = "set through Configuration Admin, such as in the Web Console, not by a file in etc/";
        ManagedServer server = server("missing", with(stdio(List.of("/no/such/mcp-server")), "connect", "lazy"));
        assertThrows(McpException.class, server::listTools);
        assertTrue(server.problems().get(0).message().startsWith("configuration io.mcpagent.mcp.server~missing (set"
                + " through Configuration Admin, such as in the Web Console, not by a file in etc/): cannot start"),
                server.problems().get(0).message());
    }

    /**
     * A server that ends during its handshake never connected: its connect fails saying so, and no "connection lost"
     * is published (or logged, with a reconnect scheduled and a failure counted a second time).
     */
    @Test
    void aServerEndingDuringItsHandshakeWasNeverConnectedSoNotLost() throws InterruptedException {
        ManagedServer server = server("gone", with(stdio(List.of("sh", "-c", "exit 3")), "connect", "lazy"));

        McpException failed = assertThrows(McpException.class, server::listTools);

        assertFalse(failed.getMessage().contains("connection lost"), failed.getMessage());
        // the reader of its output tells the end after the connect failed: it had up to 2 s to publish a loss
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < until && disconnections() == 0) {
            Thread.sleep(20);
        }
        assertEquals(0, disconnections(), "no connection was lost: " + events);
    }

    private long disconnections() {
        return events.stream().filter(e -> e instanceof McpServerEvent.StateChanged s
                && s.state().equals("disconnected")).count();
    }

    @Test
    void aServerThatStartsAndEndsIsDownButItsConfigurationIsNoProblem() {
        ManagedServer server = server("crashing", with(stdio(List.of("sh", "-c", "exit 1")), "connect", "lazy"));
        assertThrows(McpException.class, server::listTools);
        assertEquals(PluginHealth.Status.DOWN, server.health().status());
        assertEquals(List.of(), server.problems());
    }

    @Test
    void garbageOnStdoutIsSkipped() throws Exception {
        List<String> everything = TestPeers.server("everything", "stdio");
        String script = "echo 'this is not JSON'; echo '[1,2'; exec " + String.join(" ", everything);
        ManagedServer server = server("noisy", stdio(List.of("sh", "-c", script)));
        assertEquals("Echo: fine", text(server.callTool("echo", "{\"message\":\"fine\"}", Duration.ofSeconds(10))));
    }

    @Test
    void numbersInTheArgumentsReachTheServerAsWritten() throws Exception {
        // A server answering each tool call with the line it received, before any JSON parser could round it.
        Path script = Files.writeString(temp.resolve("raw.js"), """
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                require('readline').createInterface({input: process.stdin}).on('line', line => {
                  const m = JSON.parse(line);
                  if (m.id === undefined) return;
                  if (m.method === 'initialize') out({jsonrpc: '2.0', id: m.id, result: {protocolVersion: m.params.protocolVersion,
                      capabilities: {tools: {}}, serverInfo: {name: 'raw', version: '1'}}});
                  else if (m.method === 'tools/list') out({jsonrpc: '2.0', id: m.id, result: {tools: [{name: 'raw',
                      inputSchema: {type: 'object'}}]}});
                  else if (m.method === 'tools/call') out({jsonrpc: '2.0', id: m.id, result: {content: [{type: 'text', text: line}]}});
                  else out({jsonrpc: '2.0', id: m.id, error: {code: -32601, message: 'not supported'}});
                });
                """);
        ManagedServer server = server("raw", with(stdio(List.of(TestPeers.node(), script.toString())),
                "protocol", "legacy"));
        String sent = text(server.callTool("raw", "{\"huge\":1e400,\"fine\":0.1000000000000000000001,\"float\":1.0,"
                + "\"big\":123456789012345678901234567890}", Duration.ofSeconds(10)));
        assertTrue(sent.contains("\"arguments\":{\"huge\":1E+400,\"fine\":0.1000000000000000000001,\"float\":1.0,"
                + "\"big\":123456789012345678901234567890}"), sent);
    }

    /**
     * A server made in the Web Console has no file: a message over {@code maxMessageBytes} said to raise it in
     * etc/io.mcpagent.mcp.server~<id>.cfg.json, which does not exist. Its configuration is named instead, as the
     * refusals of configurations name it; a file's server keeps naming its file.
     */
    @Test
    void aMessageOverMaxMessageBytesNamesTheConfigurationOfAServerMadeInTheWebConsole(@TempDir Path temp)
            throws Exception {
        Path script = Files.writeString(temp.resolve("big.js"), """
                const big = JSON.stringify({jsonrpc: '2.0', id: 1, result: {text: 'x'.repeat(300)}});
                require('readline').createInterface({input: process.stdin}).on('line', () =>
                    process.stdout.write(big + '\\n'));
                """);
        Map<String, Object> config = with(stdio(List.of(TestPeers.node(), script.toString())), "maxMessageBytes", 150,
                "connect", "lazy", "protocol", "legacy");
        McpException fromFile = assertThrows(McpException.class, server("big", config)::listTools);
        assertTrue(fromFile.getMessage().endsWith("the server sent a message larger than maxMessageBytes (150 bytes);"
                + " raise it in etc/io.mcpagent.mcp.server~big.cfg.json"), fromFile.getMessage());

        origin = "set through Configuration Admin, such as in the Web Console, not by a file in etc/";
        configurationPid = "io.mcpagent.mcp.server.1c2d3e4f-0000-4b8f-9d1c-3c7f1f0d2a11";
        McpException made = assertThrows(McpException.class, server("big", config)::listTools);
        assertTrue(made.getMessage().endsWith("the server sent a message larger than maxMessageBytes (150 bytes);"
                + " raise it in configuration " + configurationPid + " (" + origin + ")"), made.getMessage());
    }

    @Test
    void aCallLeftOnTheOldConnectionWhenTheServerReconnectsSaysWhy() throws Exception {
        assertEquals("MCP server 'hangup': the call was cut off: the server reconnected (connection lost: server"
                + " process ended)", callLeftOnTheOldConnection("hangup", null));
    }

    @Test
    void whyTheConnectionWasLostIsMaskedForTheCallLeftOnIt() throws Exception {
        String token = "correct-horse-battery-staple";
        String failure = callLeftOnTheOldConnection("hangup-repeating", token);
        assertTrue(failure.startsWith("MCP server 'hangup-repeating': the call was cut off: the server reconnected"
                + " (connection lost: server process ended"), failure);
        assertTrue(failure.contains("started with [redacted]"), failure);
        assertFalse(failure.contains("battery"), "the caller may show it: " + failure);
    }

    /**
     * The message of a call whose retry went out on a connection lost meanwhile, failed when the server reconnected;
     * with a {@code token}, the server, given it as an argument (which its transport does not mask), prints it on
     * stderr at start.
     */
    private String callLeftOnTheOldConnection(String id, String token) throws Exception {
        // A 2026-07-28 server: a tool call first asks for input; the retry that brings it is noted, never answered.
        // SIGTERM hangs up its stdout only, so the retry still reaches it on the lost connection.
        Path calls = temp.resolve("calls.txt");
        Path script = Files.writeString(temp.resolve("hangup.js"), """
                const fs = require('fs');
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                if (process.argv[3]) console.error('started with ' + process.argv[3]);
                process.on('SIGTERM', () => fs.closeSync(1));
                require('readline').createInterface({input: process.stdin}).on('line', line => {
                  const m = JSON.parse(line);
                  if (m.method === 'server/discover') out({jsonrpc: '2.0', id: m.id, result: {resultType: 'complete',
                      supportedVersions: ['2026-07-28'], capabilities: {tools: {}}, serverInfo: {name: 'hangup', version: '1'}}});
                  else if (m.method === 'tools/list') out({jsonrpc: '2.0', id: m.id, result: {resultType: 'complete',
                      tools: [{name: 'wait', inputSchema: {type: 'object'}}]}});
                  else if (m.method === 'tools/call' && m.params.inputResponses) fs.appendFileSync(process.argv[2], 'retried\\n');
                  else if (m.method === 'tools/call') out({jsonrpc: '2.0', id: m.id, result: {resultType: 'input_required',
                      inputRequests: {go: {method: 'elicitation/create', params: {message: 'go on?',
                      requestedSchema: {type: 'object', properties: {}}}}}}});
                }).on('close', () => process.exit(0));
                """);
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        elicitation = (serverId, message, schema, defaults) -> {
            asked.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ElicitationHandler.ElicitationResponse("accept", "{}");
        };
        List<String> command = token == null ? List.of(TestPeers.node(), script.toString(), calls.toString())
                : List.of(TestPeers.node(), script.toString(), calls.toString(), "${env:UPSTREAM_TOKEN}");
        ManagedServer server = server(id, with(stdio(command), "protocol", "modern", "connect", "lazy", "elicitation",
                "handler", "healthIntervalMs", 0L),
                name -> name.equals("UPSTREAM_TOKEN") ? token : System.getenv(name));
        CompletableFuture<ToolCallResult> call = CompletableFuture.supplyAsync(() -> server.callTool("wait", "{}",
                Duration.ofSeconds(60)));
        asked.await();
        // While the call is between its two requests, the connection is lost; its retry goes out on the old client.
        long pid = server.processId();
        ProcessHandle.of(pid).orElseThrow().destroy();
        await(() -> server.health().status() == PluginHealth.Status.DOWN, "the connection lost");
        answer.countDown();
        await(() -> Files.exists(calls), "the retry sent on the lost connection");

        assertTrue(server.listTools().stream().anyMatch(tool -> tool.name().equals("wait")), "reconnected");

        Exception failure = assertThrows(Exception.class, call::join);
        assertTrue(server.processId() != pid, "a new process");
        return failure.getCause().getMessage();
    }

    /**
     * A tool field of the wrong JSON type is logged once for the server, not again by each connection: a server
     * that keeps dropping its connection lists the same bad hint after every reconnect.
     */
    @Test
    void aBadToolFieldIsLoggedOnceThoughTheServerReconnects() throws Exception {
        Path script = Files.writeString(temp.resolve("odd.js"), """
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                require('readline').createInterface({input: process.stdin}).on('line', line => {
                  const m = JSON.parse(line);
                  if (m.method === 'initialize') out({jsonrpc: '2.0', id: m.id, result: {protocolVersion:
                      m.params.protocolVersion, capabilities: {tools: {}}, serverInfo: {name: 'odd', version: '1'}}});
                  else if (m.method === 'tools/list') out({jsonrpc: '2.0', id: m.id, result: {tools: [{name: 'odd',
                      inputSchema: {type: 'object'}, annotations: {readOnlyHint: 'true'}}]}});
                }).on('close', () => process.exit(0));
                """);
        ManagedServer server = server("odd", with(stdio(List.of(TestPeers.node(), script.toString())), "protocol",
                "legacy", "connect", "lazy", "healthIntervalMs", 0L));
        CapturedLog logged = CapturedLog.start();
        try (logged) {
            server.listTools();
            long pid = server.processId();
            ProcessHandle.of(pid).orElseThrow().destroy();
            await(() -> server.health().status() == PluginHealth.Status.DOWN, "the connection lost");
            server.listTools(); // a new connection, which lists the tools again
            assertNotEquals(pid, server.processId(), "a new process");
        }
        assertEquals(List.of("MCP server 'odd': tool 'odd': its annotations.readOnlyHint is string \"true\", not true"
                + " or false; ignored, the tool is kept without it"), logged.text().lines()
                .filter(line -> line.contains("readOnlyHint")).map(line -> line.substring(line.indexOf("MCP server")))
                .toList());
    }

    /**
     * The era probe gives up after the configured eraProbeTimeoutMs: a server that answers server/discover only after
     * it is taken as one of the legacy era and initialized, well within initTimeoutMs. With the probe's time fixed at
     * 5 s, the late answer made it modern.
     */
    @Test
    void aServerAnsweringTheEraProbeAfterEraProbeTimeoutMsIsTakenAsLegacy() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        HttpServer late = mcpHttpServer((request, exchange) -> {
            String answer = switch (request.path("method").asText()) {
                case "server/discover" -> {
                    try {
                        ended.await(2, java.util.concurrent.TimeUnit.SECONDS); // late, but before 5 s
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield "{\"supportedVersions\":[\"2026-07-28\"],\"capabilities\":{\"tools\":{}},"
                            + "\"serverInfo\":{\"name\":\"m\",\"version\":\"1\"}}";
                }
                case "initialize" -> "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                        + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"l\",\"version\":\"1\"}}";
                case "tools/list" -> "{\"tools\":[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"}}]}";
                default -> null;
            };
            reply(exchange, request.get("id"), answer);
        });
        late.start();
        try {
            ManagedServer server = server("late", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + late.getAddress().getPort() + "/mcp", "connect", "lazy", "eraProbeTimeoutMs", 200L,
                    "healthIntervalMs", 0L));

            assertEquals("[t]", names(server.listTools()));

            assertEquals("2025-11-25", server.info().protocolVersion());
        } finally {
            ended.countDown();
            late.stop(0);
        }
    }

    /**
     * A legacy session expires under a call and the new one's initialize is refused: the server is DOWN saying so, and
     * the next call connects anew (a new session) instead of going out without one, as it did from the client left
     * connected with its session cleared.
     */
    @Test
    void aSessionThatCannotBeRenewedMarksTheServerDownAndTheNextCallConnectsAnew() throws Exception {
        java.util.concurrent.atomic.AtomicInteger initializes = new java.util.concurrent.atomic.AtomicInteger();
        List<String> callSessions = new CopyOnWriteArrayList<>();
        HttpServer expiring = mcpHttpServer((request, exchange) -> {
            String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
            switch (request.path("method").asText()) {
                case "initialize" -> {
                    int count = initializes.incrementAndGet();
                    if (count == 2) {
                        byte[] refused = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"error\":{\"code\":"
                                + "-32603,\"message\":\"no more sessions\"}}").getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "application/json");
                        exchange.sendResponseHeaders(200, refused.length);
                        exchange.getResponseBody().write(refused);
                        exchange.close();
                        return;
                    }
                    exchange.getResponseHeaders().set("Mcp-Session-Id", "s" + count);
                    reply(exchange, request.get("id"), "{\"protocolVersion\":"
                            + request.path("params").path("protocolVersion") + ",\"capabilities\":{\"tools\":{}},"
                            + "\"serverInfo\":{\"name\":\"e\",\"version\":\"1\"}}");
                }
                case "tools/list" -> reply(exchange, request.get("id"),
                        "{\"tools\":[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"}}]}");
                case "tools/call" -> {
                    callSessions.add(String.valueOf(session));
                    if ("s1".equals(session)) {
                        exchange.sendResponseHeaders(404, -1); // the session expired
                        exchange.close();
                    } else {
                        reply(exchange, request.get("id"), "{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}");
                    }
                }
                default -> reply(exchange, request.get("id"), null);
            }
        });
        expiring.start();
        try {
            ManagedServer server = server("expiring", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + expiring.getAddress().getPort() + "/mcp", "connect", "lazy", "protocol", "legacy",
                    "healthIntervalMs", 0L));

            McpException failure = assertThrows(McpException.class, () -> server.callTool("t", "{}", null));

            assertTrue(failure.getMessage().startsWith("MCP server 'expiring': tools/call: its session expired, and a"
                    + " new one could not be initialized: "), failure.getMessage());
            assertEquals(PluginHealth.Status.DOWN, server.health().status());
            assertEquals(failure.getMessage(), server.health().message());
            assertEquals("done", text(server.callTool("t", "{}", null)));
            assertEquals(List.of("s1", "s3"), callSessions);
        } finally {
            expiring.stop(0);
        }
    }

    /** Answers a JSON-RPC request with {@code result} (JSON), or a notification or answer of ours with 202. */
    private static void reply(com.sun.net.httpserver.HttpExchange exchange, com.fasterxml.jackson.databind.JsonNode id,
                              String result) throws IOException {
        if (result == null || id == null) {
            exchange.sendResponseHeaders(202, -1);
        } else {
            byte[] body = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    /**
     * A call finding the one slot of its server taken fails within its own timeout, saying it waited for a slot and how
     * many calls were in flight.
     */
    @Test
    void aCallThatFindsNoFreeSlotWithinItsTimeoutSaysItWaitedForOne() throws Exception {
        HeldCalls held = new HeldCalls(0);
        try {
            ManagedServer server = server("busy", held.configuration());
            CompletableFuture<ToolCallResult> first = held.holdTheSlot(server);

            McpException failure = assertThrows(McpException.class, () -> server.callTool("quick", "{}",
                    Duration.ofMillis(200)));

            assertEquals("MCP server 'busy': tools/call timed out after 200 ms waiting for a call slot: 1 call in flight"
                    + " (maxConcurrentCalls 1)", failure.getMessage());
            held.release.countDown();
            assertEquals("done", text(first.get()));
        } finally {
            held.stop();
        }
    }

    /**
     * The wait for a call slot takes from the call's timeout: a call that waited 700 ms of its 1000 for the slot does
     * not get another 1000 ms for an answer that takes 500. Before, a call could take twice its timeout.
     */
    @Test
    void theWaitForACallSlotTakesFromTheCallsTimeout() throws Exception {
        HeldCalls held = new HeldCalls(500);
        try {
            ManagedServer server = server("busy", held.configuration());
            CompletableFuture<ToolCallResult> first = held.holdTheSlot(server);
            CompletableFuture<Object> second = waitingForTheSlot(server, Duration.ofMillis(1000));
            Thread.sleep(700); // spent by the second call waiting for the slot
            held.release.countDown();

            Exception failure = assertThrows(Exception.class, () -> second.get(30, java.util.concurrent.TimeUnit.SECONDS));

            assertTrue(failure.getCause().getMessage().startsWith("MCP server 'busy': tools/call timed out after 1000 ms"),
                    failure.getCause().getMessage());
            // it read as a call the server did not answer for 1000 ms (a walkthrough)
            String message = failure.getCause().getMessage();
            assertTrue(message.matches(".* without an answer \\(\\d+ ms of it waiting for a call slot\\).*"), message);
            assertEquals("done", text(first.get()));
        } finally {
            held.stop();
        }
    }

    /**
     * A stop (the configuration removed) cuts off the call in flight, which the server has, and the call waiting for a
     * slot fails as one never sent, which the toolbox may send to a restarted server: before, its failure did not tell
     * it from a call the server had.
     */
    @Test
    void aStopCutsOffTheCallInFlightAndFailsTheCallWaitingForASlotAsNotSent() throws Exception {
        HeldCalls held = new HeldCalls(0);
        try {
            ManagedServer server = server("busy", held.configuration());
            CompletableFuture<ToolCallResult> inFlight = held.holdTheSlot(server);
            CompletableFuture<Object> waiting = waitingForTheSlot(server, Duration.ofSeconds(30));

            server.stop("the server's configuration was removed");

            Exception notSent = assertThrows(Exception.class,
                    () -> waiting.get(5, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(notSent.getCause() instanceof NotSentException, notSent.toString());
            assertEquals("MCP server 'busy': tools/call not sent: the server's configuration was removed",
                    notSent.getCause().getMessage());
            Exception cutOff = assertThrows(Exception.class,
                    () -> inFlight.get(5, java.util.concurrent.TimeUnit.SECONDS));
            assertFalse(cutOff.getCause() instanceof NotSentException, "the server has it: " + cutOff);
            assertEquals("MCP server 'busy': the call was cut off: the server's configuration was removed",
                    cutOff.getCause().getMessage());
        } finally {
            held.stop();
        }
    }

    /**
     * Its configuration changed, the server finishes the call in flight on its connection, and then stops; the call
     * waiting for a slot and those coming later fail at once as not sent (the toolbox sends them to the restarted
     * server). Before, the call in flight was cut off.
     */
    @Test
    void aDrainedServerFinishesTheCallInFlightRefusesTheOthersAsNotSentAndThenStops() throws Exception {
        HeldCalls held = new HeldCalls(0);
        try {
            ManagedServer server = server("busy", held.configuration());
            CompletableFuture<ToolCallResult> inFlight = held.holdTheSlot(server);
            CompletableFuture<Object> waiting = waitingForTheSlot(server, Duration.ofSeconds(30));

            CompletableFuture<Void> stopped = server.drain("the server's configuration changed",
                    Duration.ofSeconds(30));

            Exception notSent = assertThrows(Exception.class,
                    () -> waiting.get(5, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(notSent.getCause() instanceof NotSentException, notSent.toString());
            assertEquals("MCP server 'busy': tools/call not sent: the server's configuration changed",
                    notSent.getCause().getMessage());
            NotSentException later = assertThrows(NotSentException.class, () -> server.callTool("quick", "{}",
                    Duration.ofSeconds(30)));
            assertEquals("MCP server 'busy': tools/call not sent: the server's configuration changed",
                    later.getMessage());
            assertFalse(stopped.isDone(), "the call in flight runs on");
            assertFalse(inFlight.isDone());

            held.release.countDown();

            assertEquals("done", text(inFlight.get(5, java.util.concurrent.TimeUnit.SECONDS)));
            stopped.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            held.stop();
        }
    }

    /** The drain is bounded: a call still running when its time is up is cut off, saying it is not sent again. */
    @Test
    void aCallStillRunningWhenTheDrainTimeIsUpIsCutOffSayingItIsNotSentAgain() throws Exception {
        HeldCalls held = new HeldCalls(0);
        try {
            ManagedServer server = server("busy", held.configuration());
            CompletableFuture<ToolCallResult> inFlight = held.holdTheSlot(server);

            CompletableFuture<Void> stopped = server.drain("the server's configuration changed",
                    Duration.ofMillis(300));

            Exception cutOff = assertThrows(Exception.class,
                    () -> inFlight.get(5, java.util.concurrent.TimeUnit.SECONDS));
            assertFalse(cutOff.getCause() instanceof NotSentException, "the server has it: " + cutOff);
            assertEquals("MCP server 'busy': the call was cut off: the server's configuration changed, and the call"
                    + " did not end within the 300 ms the server had to finish its calls; it is not sent to the"
                    + " restarted server, as its tool may have run", cutOff.getCause().getMessage());
            stopped.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            held.stop();
        }
    }

    /** A call of quick on {@code server}, given {@code timeout}, once it waits for the slot held by another. */
    private static CompletableFuture<Object> waitingForTheSlot(ManagedServer server, Duration timeout)
            throws InterruptedException {
        CompletableFuture<Object> waiting = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> complete(waiting, () -> server.callTool("quick", "{}", timeout)));
        await(() -> server.callsWaitingForASlot() == 1, "the second call waits for the slot");
        return waiting;
    }

    /**
     * A legacy Streamable HTTP server whose tool {@code hold} answers once {@link #release} is counted down (telling
     * {@link #holding} it has the call) and whose tool {@code quick} answers {@code quickMillis} after its response
     * headers, which come at once.
     */
    static final class HeldCalls {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final HttpServer http;

        HeldCalls(long quickMillis) throws IOException {
            http = mcpHttpServer((request, exchange) -> {
                boolean quick = request.path("params").path("name").asText().equals("quick");
                if (quick) {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().flush();
                }
                String answer = switch (request.path("method").asText()) {
                    case "initialize" -> "{\"protocolVersion\":" + request.path("params").path("protocolVersion")
                            + ",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"b\",\"version\":\"1\"}}";
                    case "tools/list" -> "{\"tools\":[{\"name\":\"hold\",\"inputSchema\":{\"type\":\"object\"}},"
                            + "{\"name\":\"quick\",\"inputSchema\":{\"type\":\"object\"}}]}";
                    case "tools/call" -> {
                        try {
                            if (quick) {
                                Thread.sleep(quickMillis);
                            } else {
                                holding.countDown();
                                release.await();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        yield "{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}";
                    }
                    default -> null;
                };
                if (quick) {
                    exchange.getResponseBody().write(("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":"
                            + answer + "}").getBytes(StandardCharsets.UTF_8));
                    exchange.close();
                } else {
                    reply(exchange, request.get("id"), answer);
                }
            });
            http.start();
        }

        /** The one slot of {@code server}, of {@link #configuration}, held by a call of hold until {@link #release}. */
        CompletableFuture<ToolCallResult> holdTheSlot(ManagedServer server) throws InterruptedException {
            server.listTools();
            CompletableFuture<ToolCallResult> held = CompletableFuture.supplyAsync(() -> server.callTool("hold", "{}",
                    Duration.ofSeconds(30)));
            holding.await();
            return held;
        }

        Map<String, Object> configuration() {
            return Map.of("transport", "http", "url", "http://127.0.0.1:" + http.getAddress().getPort() + "/mcp",
                    "protocol", "legacy", "connect", "lazy", "maxConcurrentCalls", 1, "healthIntervalMs", 0L);
        }

        void stop() {
            release.countDown();
            http.stop(0);
        }
    }

    @Test
    void concurrentCallsAreBounded() throws Exception {
        ManagedServer server = server("everything", with(stdio(TestPeers.server("everything", "stdio")),
                "maxConcurrentCalls", 1));
        server.listTools();
        CompletableFuture<ToolCallResult> first = CompletableFuture.supplyAsync(() -> server.callTool(
                "trigger-long-running-operation", "{\"duration\":3,\"steps\":2}", Duration.ofSeconds(30)));
        awaitTheOnlySlotTaken(server);
        assertFalse(first.get().isError());
    }

    @Test
    void rootsReplaceTheAllowedFoldersOfServerFilesystem() throws Exception {
        Path declared = Files.createDirectories(temp.resolve("declared"));
        Path argument = Files.createDirectories(temp.resolve("argument"));
        Files.writeString(declared.resolve("note.txt"), "hello roots");
        ManagedServer server = server("files", with(stdio(TestPeers.server("filesystem", argument.toString())),
                "roots", new String[] {declared.toString()}));
        String declaredPath = declared.toRealPath().toString();
        await(() -> text(server.callTool("list_allowed_directories", "{}", Duration.ofSeconds(10)))
                .contains(declaredPath), "roots applied");
        ToolCallResult read = server.callTool("read_text_file", "{\"path\":\"" + declared.resolve("note.txt") + "\"}",
                Duration.ofSeconds(10));
        assertTrue(text(read).contains("hello roots"), text(read));
    }

    @Test
    void serverMemoryKeepsAKnowledgeGraph() throws Exception {
        Map<String, Object> values = with(stdio(TestPeers.server("memory")),
                "env", new String[] {"MEMORY_FILE_PATH=" + temp.resolve("memory.jsonl")});
        ManagedServer server = server("memory", values);
        ToolCallResult created = server.callTool("create_entities",
                "{\"entities\":[{\"name\":\"Felix\",\"entityType\":\"framework\",\"observations\":[\"runs OSGi\"]}]}",
                Duration.ofSeconds(10));
        assertFalse(created.isError(), text(created));
        ToolCallResult graph = server.callTool("read_graph", "{}", Duration.ofSeconds(10));
        assertTrue(text(graph).contains("runs OSGi") || String.valueOf(graph.structuredContentJson()).contains("runs OSGi"));
    }

    @Test
    void samplingGoesToTheConfiguredProviderAndIsRefusedWithoutOne() throws Exception {
        provider = sampledBy(request -> new io.mcpagent.api.llm.ChatResponse("r1", "fake-model",
                io.mcpagent.api.llm.Message.assistant("forty-two"), io.mcpagent.api.llm.StopReason.END_TURN, "stop",
                null, null, null, null));
        ManagedServer sampling = server("sampling", with(stdio(TestPeers.server("everything", "stdio")),
                "sampling", "fake-llm"));
        ToolCallResult answered = sampling.callTool("trigger-sampling-request", "{\"prompt\":\"meaning of life\"}",
                Duration.ofSeconds(20));
        assertFalse(answered.isError(), text(answered));
        assertTrue(text(answered).contains("forty-two") && text(answered).contains("fake-model"), text(answered));
        assertEquals("You are a helpful test server.", sampled.get(0).instructions().get(0).text());

        provider = null;
        ToolCallResult refused = sampling.callTool("trigger-sampling-request", "{\"prompt\":\"again\"}",
                Duration.ofSeconds(20));
        assertTrue(refused.isError() || text(refused).contains("is not available"), text(refused));
    }

    @Test
    void aSamplingProviderFailureQuotingTheServersSecretIsLoggedAndAnsweredMasked() throws Exception {
        String token = "correct-horse-battery-staple";
        provider = sampledBy(request -> {
            throw new IllegalStateException("provider refused the prompt quoting " + token);
        });
        ManagedServer sampling = server("sampling", with(stdio(TestPeers.server("everything", "stdio")),
                "sampling", "fake-llm", "env", new String[] {"UPSTREAM_TOKEN=${env:UPSTREAM_TOKEN}"}),
                name -> name.equals("UPSTREAM_TOKEN") ? token : System.getenv(name));
        await(() -> sampling.health().status() == PluginHealth.Status.UP, "connected");
        CapturedLog logged = CapturedLog.start();
        ToolCallResult result;
        try (logged) {
            result = sampling.callTool("trigger-sampling-request", "{\"prompt\":\"meaning of life\"}",
                    Duration.ofSeconds(20));
        }
        String log = logged.text();
        assertTrue(log.contains("answering sampling/createMessage from MCP server 'sampling' failed:"
                + " java.lang.IllegalStateException: provider refused the prompt quoting [redacted]"), log);
        assertFalse(log.contains("battery"), log);
        assertFalse(text(result).contains("battery"), "the error the server was answered: " + text(result));
    }

    @Test
    void aServerWhoseToolListCannotBeUsedIsDegradedSayingWhy() throws Exception {
        Path script = Files.writeString(temp.resolve("looping.js"), """
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                require('readline').createInterface({input: process.stdin}).on('line', line => {
                  const m = JSON.parse(line);
                  if (m.id === undefined) return;
                  if (m.method === 'initialize') out({jsonrpc: '2.0', id: m.id, result: {protocolVersion:
                      m.params.protocolVersion, capabilities: {tools: {}}, serverInfo: {name: 'looping', version: '1'}}});
                  else if (m.method === 'tools/list') out({jsonrpc: '2.0', id: m.id, result: {tools: [{name: 'again',
                      inputSchema: {type: 'object'}}], nextCursor: 'page-2'}});
                  else out({jsonrpc: '2.0', id: m.id, result: {}});
                });
                """);
        ManagedServer server = server("looping", with(stdio(List.of(TestPeers.node(), script.toString())),
                "protocol", "legacy", "connect", "lazy"));
        McpException failure = assertThrows(McpException.class, server::listTools);
        String why = "MCP server 'looping': tools/list: the server's pagination loops: page 2 gave the cursor 'page-2' again";
        assertEquals(why, failure.getMessage());
        assertEquals(PluginHealth.Status.DEGRADED, server.health().status());
        assertEquals(why, server.health().message());
    }

    /**
     * A stdio server that stops reading its stdin (its tool 'deafen'): a call whose message the full pipe does not take
     * fails at its timeout, the server is killed, DOWN saying why, and the next call starts it anew. The call was held
     * until the process ended, and the calls after it with it (in a write deaf to interrupts, hence the timeout's own
     * thread).
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStdioServerThatStopsReadingItsStdinIsKilledAtTheTimeoutOfTheCallItHoldsAndRestarted() throws Exception {
        ManagedServer server = deafServer();
        assertEquals("deaf", text(server.callTool("deafen", "{}", Duration.ofSeconds(30))));
        ProcessHandle deaf = ProcessHandle.of(server.processId()).orElseThrow();
        killedFirst.add(deaf);
        String large = "{\"message\":\"" + "x".repeat(4 << 20) + "\"}";

        McpException failure = assertThrows(McpException.class,
                () -> server.callTool("echo", large, Duration.ofMillis(500)));

        assertEquals("MCP server 'deaf': tools/call timed out after 500 ms while being sent: the server did not read"
                + " its stdin; its process was killed", failure.getMessage());
        deaf.onExit().join();
        await(() -> server.health().status() == PluginHealth.Status.DOWN, "the connection lost");
        assertEquals("MCP server 'deaf': connection lost: server process killed: it did not read its stdin within a"
                + " message's timeout", server.health().message());
        assertEquals("echoed 1", text(server.callTool("echo", "{\"message\":\"x\"}", Duration.ofSeconds(30))));
        assertEquals(PluginHealth.Status.UP, server.health().status());
        assertNotEquals(deaf.pid(), server.processId());
    }

    /**
     * A legacy stdio server (with {@code settings}) whose tool 'deafen' makes it stop reading its stdin ('echo' answers
     * the length of its message).
     */
    private ManagedServer deafServer(Object... settings) throws IOException {
        Path script = Files.writeString(temp.resolve("deaf.js"), """
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                const lines = require('readline').createInterface({input: process.stdin});
                setInterval(() => {}, 60000); // stays while its stdin, paused, holds it no longer
                lines.on('line', line => {
                  const m = JSON.parse(line);
                  if (m.id === undefined) return;
                  if (m.method === 'initialize') out({jsonrpc: '2.0', id: m.id, result: {protocolVersion:
                      m.params.protocolVersion, capabilities: {tools: {}}, serverInfo: {name: 'deaf', version: '1'}}});
                  else if (m.method === 'tools/list') out({jsonrpc: '2.0', id: m.id, result: {tools: [
                      {name: 'echo', inputSchema: {type: 'object'}}, {name: 'deafen', inputSchema: {type: 'object'}}]}});
                  else if (m.params.name === 'deafen') {
                    lines.pause();
                    out({jsonrpc: '2.0', id: m.id, result: {content: [{type: 'text', text: 'deaf'}]}});
                  } else out({jsonrpc: '2.0', id: m.id, result: {content: [{type: 'text', text: 'echoed ' +
                      String(m.params.arguments.message).length}]}});
                });
                """);
        return server("deaf", with(with(stdio(List.of(TestPeers.node(), script.toString())),
                "protocol", "legacy", "connect", "lazy", "healthIntervalMs", 0L), settings));
    }

    /**
     * A health check whose ping, behind a write the server does not read, gets the server killed: the server is DOWN
     * saying the connection was lost and why, as after a crash. The ping's failure, coming before the end of the
     * connection is read, made it DEGRADED ("health check failed: ping timed out ...") and closed the client, whose
     * report of the lost connection was then dropped.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHealthCheckWhosePingGetsAServerKilledLeavesItDownSayingTheConnectionWasLost() throws Exception {
        ManagedServer server = deafServer("requestTimeoutMs", 300L);
        assertEquals("deaf", text(server.callTool("deafen", "{}", Duration.ofSeconds(30))));
        ProcessHandle deaf = ProcessHandle.of(server.processId()).orElseThrow();
        killedFirst.add(deaf);
        String large = "{\"message\":\"" + "x".repeat(4 << 20) + "\"}";
        CompletableFuture<Object> held = new CompletableFuture<>();
        Thread writer = Thread.ofPlatform().start(() -> complete(held,
                () -> server.callTool("echo", large, Duration.ofSeconds(30))));
        await(() -> held.isDone() || java.util.Arrays.stream(writer.getStackTrace()).anyMatch(frame
                -> frame.getClassName().equals("java.io.FileOutputStream") && frame.getMethodName().startsWith("write")),
                "the large call blocked in its write");

        server.runHealthCheck();

        deaf.onExit().join();
        await(() -> server.health().status() != PluginHealth.Status.UP, "the health to change");
        assertEquals(PluginHealth.Status.DOWN, server.health().status(), server.health().message());
        assertEquals("MCP server 'deaf': connection lost: server process killed: it did not read its stdin within a"
                + " message's timeout", server.health().message());
        assertEquals("echoed 1", text(server.callTool("echo", "{\"message\":\"x\"}", Duration.ofSeconds(30))));
    }

    /**
     * A health check meets the expiry of a legacy session whose new initialize is refused: the server is DOWN saying
     * so until the reconnect; the check's failure overwrote that with DEGRADED ("health check failed: ping: ...").
     */
    @Test
    void aHealthCheckMeetingASessionThatCannotBeRenewedLeavesTheServerDown() throws Exception {
        java.util.concurrent.atomic.AtomicInteger initializes = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer expiring = mcpHttpServer((request, exchange) -> {
            switch (request.path("method").asText()) {
                case "initialize" -> {
                    if (initializes.incrementAndGet() > 1) {
                        byte[] refused = ("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"error\":{\"code\":"
                                + "-32603,\"message\":\"no more sessions\"}}").getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "application/json");
                        exchange.sendResponseHeaders(200, refused.length);
                        exchange.getResponseBody().write(refused);
                        exchange.close();
                        return;
                    }
                    exchange.getResponseHeaders().set("Mcp-Session-Id", "s1");
                    reply(exchange, request.get("id"), "{\"protocolVersion\":"
                            + request.path("params").path("protocolVersion") + ",\"capabilities\":{\"tools\":{}},"
                            + "\"serverInfo\":{\"name\":\"e\",\"version\":\"1\"}}");
                }
                case "tools/list" -> reply(exchange, request.get("id"),
                        "{\"tools\":[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\"}}]}");
                case "ping" -> {
                    exchange.sendResponseHeaders(404, -1); // the session expired
                    exchange.close();
                }
                default -> reply(exchange, request.get("id"), null);
            }
        });
        expiring.start();
        try {
            ManagedServer server = server("expiring", Map.of("transport", "http", "url", "http://127.0.0.1:"
                    + expiring.getAddress().getPort() + "/mcp", "connect", "lazy", "protocol", "legacy",
                    "healthIntervalMs", 0L));
            assertEquals(1, server.listTools().size());

            server.runHealthCheck();

            assertEquals(PluginHealth.Status.DOWN, server.health().status(), server.health().message());
            assertTrue(server.health().message().startsWith("MCP server 'expiring': ping: its session expired, and a new"
                    + " one could not be initialized: "), server.health().message());
        } finally {
            expiring.stop(0);
        }
    }

    /**
     * A legacy server whose tool list changes: tools/list answers the tools 'v' + the listing's number; 'flood' sends
     * 500 list_changed notifications and holds the listings that follow until 'release'; 'lists' answers how many
     * listings it had; with {@code notifyWhileListing}, the first listing sends a list_changed before its answer.
     */
    private ManagedServer changingTools(String id, boolean notifyWhileListing) throws IOException {
        Path script = Files.writeString(temp.resolve(id + ".js"), """
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                const changed = () => out({jsonrpc: '2.0', method: 'notifications/tools/list_changed'});
                let lists = 0, hold = false, held = [];
                const answer = id => out({jsonrpc: '2.0', id, result: {tools: [{name: 'v' + lists,
                    inputSchema: {type: 'object'}}]}});
                const text = (id, t) => out({jsonrpc: '2.0', id, result: {content: [{type: 'text', text: String(t)}]}});
                require('readline').createInterface({input: process.stdin}).on('line', line => {
                  const m = JSON.parse(line);
                  if (m.id === undefined) return;
                  if (m.method === 'initialize') out({jsonrpc: '2.0', id: m.id, result: {protocolVersion:
                      m.params.protocolVersion, capabilities: {tools: {listChanged: true}}, serverInfo: {name: 'c', version: '1'}}});
                  else if (m.method === 'tools/list') {
                    lists++;
                    if (lists === 1 && process.argv[2] === 'notify-while-listing') changed();
                    if (hold) held.push(m.id); else answer(m.id);
                  } else if (m.params.name === 'flood') {
                    for (let i = 0; i < 500; i++) changed();
                    hold = true;
                    text(m.id, 'flooded');
                  } else if (m.params.name === 'release') {
                    hold = false;
                    held.forEach(answer);
                    text(m.id, 'released');
                  } else if (m.params.name === 'lists') text(m.id, lists);
                  else out({jsonrpc: '2.0', id: m.id, error: {code: -32601, message: 'not supported'}});
                });
                """);
        List<String> command = List.of(TestPeers.node(), script.toString(), notifyWhileListing ? "notify-while-listing" : "");
        return server(id, with(stdio(command), "protocol", "legacy", "connect", "lazy", "healthIntervalMs", 0L));
    }

    /** A tool of the server called past the tool cache (which a listing under way holds). */
    private static String call(ManagedServer server, String tool) {
        com.fasterxml.jackson.databind.node.ObjectNode params = new ObjectMapper().createObjectNode().put("name", tool);
        return server.request("tools/call", params).path("content").path(0).path("text").asText();
    }

    @Test
    void aListChangedArrivingWhileTheToolsAreListedMakesTheNextCallListAgain() throws Exception {
        ManagedServer server = changingTools("changing", true);
        assertEquals(List.of("v1"), server.listTools().stream().map(t -> t.name()).toList());
        assertEquals(List.of("v2"), server.listTools().stream().map(t -> t.name()).toList(),
                "the first listing's answer predates the notification");
    }

    @Test
    void listedToolsAreTheCurrentListingWithoutListingAndNoneWhileItIsStale() throws Exception {
        ManagedServer server = changingTools("listed", true);
        assertEquals(Optional.empty(), server.listedTools(), "not listed yet, and not listed by asking");
        server.listTools();
        assertEquals(Optional.empty(), server.listedTools(), "a change came after that listing began");
        assertEquals(List.of("v2"), server.listTools().stream().map(t -> t.name()).toList());
        assertEquals(List.of("v2"), server.listedTools().orElseThrow().stream().map(t -> t.name()).toList());
        assertEquals("2", call(server, "lists"), "listedTools listed nothing");
    }

    @Test
    void aFloodOfListChangedCostsOneListingForTheCallersThatFollowIt() throws Exception {
        ManagedServer server = changingTools("flooding", false);
        assertEquals(List.of("v1"), server.listTools().stream().map(t -> t.name()).toList());
        assertEquals("flooded", call(server, "flood"));
        List<Thread> callers = new ArrayList<>();
        List<List<String>> listed = new CopyOnWriteArrayList<>();
        Runnable lister = () -> listed.add(server.listTools().stream().map(t -> t.name()).toList());
        callers.add(Thread.ofPlatform().start(lister));
        await(() -> call(server, "lists").equals("2"), "the listing after the flood");
        for (int i = 0; i < 7; i++) {
            callers.add(Thread.ofPlatform().start(lister));
        }
        // the first caller makes the listing under way
        await(() -> callers.stream().skip(1).allMatch(server::waitsForTheListing), "every later caller waiting for it");
        assertEquals("released", call(server, "release"));
        for (Thread caller : callers) {
            caller.join();
        }
        assertEquals(List.of(List.of("v2")), listed.stream().distinct().toList());
        assertEquals("2", call(server, "lists"), "the callers waiting for the listing under way did not list again");
        assertEquals(1, events.stream().filter(e -> e instanceof McpServerEvent.StateChanged s
                && s.state().equals("tools-changed")).count(), "500 notifications are one event");
    }

    /** A server whose tool sends its arguments as a sampling/createMessage request and answers with our answer. */
    private ManagedServer askingToSample(String id, Object sampling) throws IOException {
        Map<String, Object> values = sampling == null ? Map.of() : Map.of("sampling", sampling);
        return asking(id, "sampling/createMessage", values);
    }

    /**
     * A server whose tool sends its arguments as a {@code method} request and answers with our answer as text;
     * {@code values} add to its configuration.
     */
    private ManagedServer asking(String id, String method, Map<String, Object> values) throws IOException {
        Path script = Files.writeString(temp.resolve("asking.js"), """
                const out = o => process.stdout.write(JSON.stringify(o) + '\\n');
                let call;
                require('readline').createInterface({input: process.stdin}).on('line', line => {
                  const m = JSON.parse(line);
                  if (m.id === 'sample-1') out({jsonrpc: '2.0', id: call, result: {content: [{type: 'text', text: line}]}});
                  else if (m.id === undefined) return;
                  else if (m.method === 'initialize') out({jsonrpc: '2.0', id: m.id, result: {protocolVersion:
                      m.params.protocolVersion, capabilities: {tools: {}}, serverInfo: {name: 'sampler', version: '1'}}});
                  else if (m.method === 'tools/list') out({jsonrpc: '2.0', id: m.id, result: {tools: [{name: 'sample',
                      inputSchema: {type: 'object'}}]}});
                  else if (m.method === 'tools/call') {
                    call = m.id;
                    out({jsonrpc: '2.0', id: 'sample-1', method: process.argv[2], params: m.params.arguments});
                  } else out({jsonrpc: '2.0', id: m.id, error: {code: -32601, message: 'not supported'}});
                });
                """);
        Map<String, Object> configuration = with(stdio(List.of(TestPeers.node(), script.toString(), method)),
                "protocol", "legacy");
        configuration.putAll(values);
        return server(id, configuration);
    }

    @Test
    void aSamplingRequestWithMalformedParamsIsRefusedNamingTheParameter() throws Exception {
        provider = sampledBy(request -> {
            throw new IllegalStateException("no model call expected");
        });
        ManagedServer server = askingToSample("sampler", "fake-llm");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32602,\"message\":\"messages must"
                + " be a non-empty array, not string \\\"nope\\\"\"}}",
                text(server.callTool("sample", "{\"messages\":\"nope\",\"maxTokens\":10}", Duration.ofSeconds(20))));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32602,\"message\":\"maxTokens"
                + " must be a positive integer, not string \\\"many\\\"\"}}", text(server.callTool("sample",
                "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}],"
                        + "\"maxTokens\":\"many\"}",
                Duration.ofSeconds(20))));
        assertEquals(List.of(), sampled);
    }

    @Test
    void aSamplingRequestToAServerWithoutSamplingIsRefusedAsNotConfigured() throws Exception {
        ManagedServer server = askingToSample("unsampled", null);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32601,\"message\":\"sampling is"
                + " not configured for this server (no sampling provider in its configuration,"
                + " etc/io.mcpagent.mcp.server~unsampled.cfg.json)\"}}",
                text(server.callTool("sample", "{\"messages\":[],\"maxTokens\":10}", Duration.ofSeconds(20))));
    }

    @Test
    void aSamplingRequestWhoseProviderIsNotInstalledIsRefusedAsAnInternalErrorNamingIt() throws Exception {
        ManagedServer server = askingToSample("sampler", "fake-llm");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32603,\"message\":\"the sampling"
                + " provider 'fake-llm' of this server (etc/io.mcpagent.mcp.server~sampler.cfg.json) is not available: no"
                + " LLM provider plugin of that id is installed and running\"}}", text(server.callTool("sample",
                "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}]}",
                Duration.ofSeconds(20))));
    }

    /** A configuration without a file: both refusals of a sampling request named its file in etc/ all the same. */
    @Test
    void theSamplingRefusalsOfAConfigurationWithoutAFileSayWhereItComesFrom() throws Exception {
        origin = "set through Configuration Admin, such as in the Web Console, not by a file in etc/";
        ManagedServer unsampled = askingToSample("unsampled", null);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32601,\"message\":\"sampling is"
                + " not configured for this server (no sampling provider in its configuration, " + origin + ")\"}}",
                text(unsampled.callTool("sample", "{\"messages\":[],\"maxTokens\":10}", Duration.ofSeconds(20))));
        ManagedServer sampler = askingToSample("sampler", "fake-llm");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32603,\"message\":\"the sampling"
                + " provider 'fake-llm' of this server (" + origin + ") is not available: no LLM provider plugin of"
                + " that id is installed and running\"}}", text(sampler.callTool("sample",
                "{\"messages\":[{\"role\":\"user\",\"content\":{\"type\":\"text\",\"text\":\"hi\"}}]}",
                Duration.ofSeconds(20))));
    }

    @Test
    void anElicitationRequestWithMalformedParamsIsRefusedNamingTheParameter() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        elicitation = (serverId, message, schema, defaults) -> {
            asked.add(message);
            return new ElicitationHandler.ElicitationResponse("accept", "{}");
        };
        ManagedServer server = asking("elicitor", "elicitation/create", Map.of("elicitation", "handler"));
        Function<String, String> refusal = arguments -> text(server.callTool("sample", arguments, Duration.ofSeconds(20)));
        String form = "\"requestedSchema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}";
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32602,\"message\":\"message"
                + " must be a string, not number 42\"}}", refusal.apply("{\"message\":42," + form + "}"));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32602,\"message\":"
                + "\"requestedSchema must be an object, it is missing\"}}", refusal.apply("{\"message\":\"name?\"}"));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32602,\"message\":"
                + "\"requestedSchema.properties must be an object, not array [\\\"name\\\"]\"}}",
                refusal.apply("{\"message\":\"name?\",\"requestedSchema\":{\"type\":\"object\",\"properties\":[\"name\"]}}"));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"error\":{\"code\":-32602,\"message\":\"mode"
                + " must be \\\"form\\\" (this client offers form elicitation only), not string \\\"url\\\"\"}}",
                refusal.apply("{\"mode\":\"url\",\"message\":\"log in\",\"url\":\"https://example.com\"}"));
        assertEquals(List.of(), asked, "the handler is shown no malformed request");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"sample-1\",\"result\":{\"action\":\"accept\",\"content\":{}}}",
                refusal.apply("{\"message\":\"name?\"," + form + "}"));
        assertEquals(List.of("name?"), asked);
    }

    @Test
    void elicitationAcceptsWithSchemaDefaultsWhenConfigured() throws Exception {
        ManagedServer server = server("asking", with(stdio(TestPeers.server("everything", "stdio")),
                "elicitation", "defaults"));
        ToolCallResult result = server.callTool("trigger-elicitation-request", "{}", Duration.ofSeconds(20));
        assertFalse(result.isError(), text(result));
        assertTrue(text(result).toLowerCase().contains("accept"), text(result));
    }

    @Test
    void aStdioServerSeesOnlyTheHarmlessVariablesOfTheRuntimeAndThoseItsConfigurationGivesIt() throws Exception {
        Map<String, String> runtime = Map.of("HOME", "/home/runtime-user", "PATH", "/usr/bin:/bin", "LANG", "C.UTF-8",
                "MCPAGENT_ADMIN_KEY", "admin-XSECRET-1", "AWS_SECRET_ACCESS_KEY", "aws-XSECRET-2",
                "HTTPS_PROXY", "http://user:proxy-XSECRET-3@proxy:3128", "SHELL", "() { echo shellshock; }",
                "MEMORY_LIMIT", "512");
        ManagedServer server = server("everything", with(stdio(TestPeers.server("everything", "stdio")),
                "env", new String[] {"GREETING=hello", "LANG=en_US.UTF-8"}, "inheritEnv", new String[] {"MEMORY_LIMIT"}),
                runtime::get);

        ToolCallResult result = server.callTool("get-env", "{}", Duration.ofSeconds(10));

        assertFalse(result.isError(), text(result));
        Map<String, String> seen = new ObjectMapper().readValue(text(result), new TypeReference<>() { });
        // the admin key, the cloud secret and the proxy with its password stay with the runtime; SHELL holds a function
        // (names compared first: a failure must not print the values of the machine's environment)
        assertEquals(Set.of("HOME", "PATH", "LANG", "GREETING", "MEMORY_LIMIT"), seen.keySet());
        assertEquals(Map.of("HOME", "/home/runtime-user", "PATH", "/usr/bin:/bin", "LANG", "en_US.UTF-8",
                "GREETING", "hello", "MEMORY_LIMIT", "512"), seen);
    }

    @Test
    void rootsAreTheFoldersThePlanChecksAndOneThatNamesNoFolderIsRefused() {
        ManagedServer server = server("files", with(stdio(TestPeers.server("filesystem", temp.toString())),
                "roots", new String[] {temp.resolve("a/../notes").toString(), "file:///srv/data"}));
        assertEquals(List.of(temp.resolve("notes").toUri(), URI.create("file:///srv/data")), server.roots());
        assertEquals(List.of(), server("plain", stdio(TestPeers.server("filesystem", temp.toString()))).roots());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from("x",
                config(Map.of("command", "node", "roots", new String[] {"https://example.com/docs", "file:notes",
                        "/srv/\0"})), System::getenv));
        assertTrue(refused.getMessage().contains("roots 'https://example.com/docs' is no file URI of a folder"
                + " (file:///srv/data), nor a path"), refused.getMessage());
        assertTrue(refused.getMessage().contains("roots 'file:notes' is no file URI of a folder"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("is no path: Nul character not allowed"), refused.getMessage());
    }

    @Test
    void inheritEnvNamesTheVariablesToPassAndRefusesWhatIsNoName() {
        Map<String, String> runtime = Map.of("PATH", "/bin", "HTTPS_PROXY", "http://proxy:3128", "TOKEN", "t-1");
        ServerSettings settings = ServerSettings.from("x", config(Map.of("command", "node",
                "inheritEnv", new String[] {" HTTPS_PROXY ", "NOT_SET_ANYWHERE"})), runtime::get);
        assertEquals(Map.of("PATH", "/bin", "HTTPS_PROXY", "http://proxy:3128"), settings.environment());
        assertEquals(List.of(), settings.secretValues(), "inherited values are passed, not taken as secrets to mask");

        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from("x",
                config(Map.of("command", "node", "inheritEnv", new String[] {"*", "TOKEN=t-XSECRET-4", "ghp-XSECRET-5", "",
                        "MCPAGENT_ADMIN_KEY"})),
                runtime::get));
        assertTrue(invalid.getMessage().contains("inheritEnv entry 1 of 5 ('*') would pass the runtime's whole"
                + " environment, its secrets with it (MCPAGENT_ADMIN_KEY, credentials): name each variable the server"
                + " needs"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("inheritEnv entry 2 of 5 ('TOKEN') must be a variable name only;"
                + " give a value in env (NAME=value)"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("inheritEnv entry 3 of 5 (a single word, not shown: it may be a value)"
                + " is not an environment variable name (letters, digits and _, not starting with a digit)"),
                invalid.getMessage());
        assertTrue(invalid.getMessage().contains("inheritEnv entry 4 of 5 is not an environment variable name"),
                invalid.getMessage());
        assertTrue(invalid.getMessage().contains("inheritEnv entry 5 of 5 ('MCPAGENT_ADMIN_KEY') is a variable of the"
                + " runtime itself: the server never gets MCPAGENT_* variables"), invalid.getMessage());
        assertFalse(invalid.getMessage().contains("XSECRET"), invalid.getMessage());
    }

    @Test
    void theDefaultsAreTheSdksListsPlusLocaleTimeZoneAndTemporaryFolder() {
        assertEquals(List.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
                "TMPDIR"), InheritedEnvironment.POSIX);
        assertEquals(List.of("APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PATH", "PROCESSOR_ARCHITECTURE",
                "SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES", "TZ", "TMP"),
                InheritedEnvironment.WINDOWS);
        assertFalse(InheritedEnvironment.defaults().stream().anyMatch(name -> name.contains("PROXY")),
                "proxy variables may carry credentials: only inheritEnv passes them");
    }

    @Test
    void misconfigurationNamesEveryProblem() {
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from("x",
                config(Map.of("transport", "carrier-pigeon", "protocol", "newest", "requestTimeoutMs", 0L)), k -> null));
        assertTrue(invalid.getMessage().contains("transport 'carrier-pigeon' unknown; use stdio, http or sse"));
        assertTrue(invalid.getMessage().contains("protocol 'newest' unknown"));
        assertTrue(invalid.getMessage().contains("requestTimeoutMs must be positive"));
        IllegalArgumentException noCommand = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.from("x", config(Map.of()), k -> null));
        assertTrue(noCommand.getMessage().contains("needs 'command'"), noCommand.getMessage());
        IllegalArgumentException missingVariable = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.from("x", config(Map.of("command", "node", "env", new String[] {"TOKEN=${env:NOPE}"})),
                        k -> null));
        assertTrue(missingVariable.getMessage().contains("environment variable NOPE"), missingVariable.getMessage());
    }

    @Test
    void aTimeOutOfRangeIsNamedWithItsValueNotClamped() {
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from("x",
                config(Map.of("transport", "http", "url", "https://mcp.example.com/mcp", "auth", "oauth",
                        "initTimeoutMs", -1L, "eraProbeTimeoutMs", 0L, "healthIntervalMs", -5L)), k -> null));
        assertTrue(invalid.getMessage().contains("initTimeoutMs must be positive, not -1"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("eraProbeTimeoutMs must be positive, not 0"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("healthIntervalMs must be 0 (off) or positive, not -5"),
                invalid.getMessage());
    }

    @Test
    void drainMsIsThirtySecondsUnlessSetAndNeitherNegativeNorTooLongNorANonNumber() {
        Map<String, Object> stdio = Map.of("command", "node");
        assertEquals(Duration.ofSeconds(30), ServerSettings.from("x", config(stdio), k -> null).drainTime());
        assertEquals(Duration.ZERO, ServerSettings.from("x", config(Map.of("command", "node", "drainMs", 0L)),
                k -> null).drainTime());
        assertEquals("drainMs must be 0 (cut the calls off at once) or positive, at most 3153600000000 (36500 days),"
                + " not 3153600000001", assertThrows(IllegalArgumentException.class, () -> ServerSettings.from("x",
                        config(Map.of("command", "node", "drainMs", 3_153_600_000_001L)), k -> null)).getMessage());
    }

    /**
     * A number property Configuration Admin holds as a value DS cannot convert, which throws as it is read (here the
     * proxy's ClassCastException, in DS a ComponentException), refuses the configuration naming it with its value, as a
     * file's is refused; the configuration's other mistakes are named beside it. Before, drainMs was named without its
     * value, and any other such property failed the component's activation with DS's own error, no refusal at all.
     */
    @Test
    void aNumberPropertyDeclarativeServicesCannotConvertIsNamedWithItsValue() {
        Map<String, Object> values = Map.of("command", "node", "drainMs", "soon", "maxConcurrentCalls", "99999999999",
                "initTimeoutMs", new String[] {"1", "2"}, "requestTimeoutMs", 0L);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(
                FactoryInstanceId.of(McpServerComponent.FACTORY_PID, McpServerComponent.pid("x"), ""), config(values),
                values, k -> null));
        List<String> mistakes = List.of(refused.getMessage().split("; "));
        assertEquals(Set.of("drainMs must be a whole number, not 'soon'", "maxConcurrentCalls must be a whole number"
                + " from -2147483648 to 2147483647, not '99999999999'", "initTimeoutMs must be a whole number, not"
                + " ['1', '2']", "requestTimeoutMs must be positive, not 0"), Set.copyOf(mistakes));
        assertEquals(4, mistakes.size());
    }

    /** A {@link ServerConfig} with the annotation's defaults, overridden by {@code values}. */
    static ServerConfig config(Map<String, Object> values) {
        return (ServerConfig) java.lang.reflect.Proxy.newProxyInstance(ServerConfig.class.getClassLoader(),
                new Class<?>[] {ServerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ServerConfig.class;
                    }
                    Object value = values.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
    }

}
