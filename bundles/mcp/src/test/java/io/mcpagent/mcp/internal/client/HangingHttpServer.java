package io.mcpagent.mcp.internal.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A bare HTTP/1.1 server on a socket, so that a test sees what the client does with the connection: a request is
 * answered with what {@code replies} gives and the connection closed, or left unanswered (or half answered) and held
 * open until the client hangs up, which the test can wait for.
 */
final class HangingHttpServer implements AutoCloseable {
    record Request(String method, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What the server writes; with {@code hold}, the connection then stays open without another byte. */
    record Reply(String written, boolean hold) {
        static Reply json(String body) {
            return new Reply(head(200, "application/json", body.getBytes(StandardCharsets.UTF_8).length) + body, false);
        }

        static Reply accepted() {
            return new Reply("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false);
        }

        /** No status line, no headers: the client waits for the response headers. */
        static Reply silence() {
            return new Reply("", true);
        }

        static String head(int status, String contentType, int length) {
            return "HTTP/1.1 " + status + " OK\r\nContent-Type: " + contentType + "\r\n"
                    + (length < 0 ? "" : "Content-Length: " + length + "\r\n") + "Connection: close\r\n\r\n";
        }
    }

    /** A request left open; {@code hungUp} completes when the client closes the connection. */
    record Held(Request request, CompletableFuture<Void> hungUp) {
    }

    /** The requests held open, in the order they came. */
    final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    private final ServerSocket listening;
    private final Function<Request, Reply> replies;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    HangingHttpServer(Function<Request, Reply> replies) throws IOException {
        this.replies = replies;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("hanging-http-accept").start(this::accept);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + listening.getLocalPort() + "/mcp");
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket connection = listening.accept();
                connections.add(connection);
                Thread.ofVirtual().name("hanging-http-connection").start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            Request request = read(in);
            Reply reply = replies.apply(request);
            OutputStream out = connection.getOutputStream();
            out.write(reply.written().getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (reply.hold()) {
                CompletableFuture<Void> hungUp = new CompletableFuture<>();
                held.add(new Held(request, hungUp));
                try {
                    while (in.read() != -1) {
                        // the client sends nothing more on this connection; it ends by hanging up
                    }
                } catch (IOException reset) {
                    // a reset is a hang-up too
                }
                hungUp.complete(null);
            }
        } catch (IOException e) {
            // the client went away mid-request; nothing to hold
        } finally {
            connections.remove(connection);
        }
    }

    private static Request read(InputStream in) throws IOException {
        String[] requestLine = line(in).split(" ");
        Map<String, String> headers = new HashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Request(requestLine[0], headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed mid-request");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        listening.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
