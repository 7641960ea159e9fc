package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A test's 2024-11-05 server on a free local port: its event stream at /sse sends the endpoint to POST to, then each
 * event the test queues; the test's handler takes the POSTs at /message.
 */
final class LegacySseServer {
    private LegacySseServer() {
    }

    /** Started, each exchange on a virtual thread of its own. */
    static HttpServer start(BlockingQueue<String> events, HttpHandler message) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/sse", exchange -> serve(exchange, events));
        server.createContext("/message", message);
        server.start();
        return server;
    }

    /**
     * A client of the server, not connected: 2024-11-05 only, 5 s to connect and per request, messages up to
     * {@code maxMessageBytes}.
     */
    static McpClient client(String name, HttpServer server, HttpClient http, ObjectMapper mapper, int maxMessageBytes,
                            McpClient.Callbacks callbacks) {
        return client(name, server, http, mapper, maxMessageBytes, callbacks, null);
    }

    /** A client whose server's configuration is changed {@code configuredIn}; its etc/ file when null. */
    static McpClient client(String name, HttpServer server, HttpClient http, ObjectMapper mapper, int maxMessageBytes,
                            McpClient.Callbacks callbacks, String configuredIn) {
        URI url = streamUrl(server);
        return new McpClient(name, new ClientOptions("test", "1", "legacy", Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(10), null, false, false, maxMessageBytes),
                () -> {
                    LegacySseTransport transport = new LegacySseTransport(name, url, Map.of(), http, mapper,
                            maxMessageBytes, Duration.ofSeconds(5));
                    return configuredIn == null ? transport : transport.configuredIn(configuredIn);
                },
                callbacks, mapper);
    }

    /** The URL of the event stream, which a client connects to. */
    static URI streamUrl(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sse");
    }

    /** Serves the stream until the client goes away or the server stops. */
    private static void serve(HttpExchange exchange, BlockingQueue<String> events) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            String event = "event: endpoint\ndata: /message\n\n";
            while (true) {
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
                event = events.take();
            }
        } catch (InterruptedException | IOException e) {
            // the client went away, or the server stops
        }
    }
}
