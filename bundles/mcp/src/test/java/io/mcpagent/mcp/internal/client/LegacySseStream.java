package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;

import com.sun.net.httpserver.HttpExchange;

/** The event stream of a test's 2024-11-05 server: the endpoint to POST to, then each event the test queues. */
final class LegacySseStream {
    private LegacySseStream() {
    }

    /** Serves {@code exchange} until the client goes away or the server stops. */
    static void serve(HttpExchange exchange, BlockingQueue<String> events) throws IOException {
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
