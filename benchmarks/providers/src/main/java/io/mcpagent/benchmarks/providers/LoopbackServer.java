package io.mcpagent.benchmarks.providers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A JDK HTTP/1.1 server on 127.0.0.1 answering every POST to a path with a fixed answer (one for calls whose body
 * asks for {@code "stream":true}, one for the others), with keep-alive. Handlers run on the server's dispatcher
 * thread (no executor hand-off), so a call costs the server as little as it can. Records the first request to each
 * path, so a bare client can send exactly the bytes an adapter sent.
 */
final class LoopbackServer implements AutoCloseable {
    static {
        // Nagle's algorithm would hold the answer's body behind its headers for a delayed ACK (about 40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A fixed answer. */
    record Answer(String contentType, Map<String, String> headers, byte[] body, boolean chunked) {
    }

    /** A recorded request. */
    record Recorded(Map<String, List<String>> headers, byte[] body) {
    }

    private static final byte[] STREAM_FLAG = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final Map<String, Answer> complete = new ConcurrentHashMap<>();
    private final Map<String, Answer> streamed = new ConcurrentHashMap<>();
    private final Map<String, Recorded> first = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(null);
        server.start();
    }

    /** Answers POSTs to {@code path}: {@code answer} for complete calls, {@code stream} (may be null) for streamed ones. */
    LoopbackServer answer(String path, Answer answer, Answer stream) {
        complete.put(path, answer);
        if (stream != null) {
            streamed.put(path, stream);
        }
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** How many connections requests came on so far: with keep-alive, one per client. */
    int connections() {
        return clients.size();
    }

    /** The first request to {@code path}. */
    Recorded first(String path) {
        return first.get(path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            clients.add(exchange.getRemoteAddress());
            String path = exchange.getRequestURI().getPath();
            if (!first.containsKey(path)) {
                first.put(path, new Recorded(Map.copyOf(exchange.getRequestHeaders()), body));
            }
            Answer answer = (contains(body, STREAM_FLAG) ? streamed : complete).get(path);
            if (answer == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", answer.contentType());
            answer.headers().forEach(headers::set);
            exchange.sendResponseHeaders(200, answer.chunked() ? 0 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
