package io.mcpagent.provider.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on 127.0.0.1 that answers on the bare socket, for the failures {@code com.sun.net.httpserver}
 * cannot stage: a connection reset before any answer, and a chunked answer cut off in the middle.
 */
public final class RawHttpServer implements AutoCloseable {
    /** Time for the client to read what was sent: a reset makes its system drop data not read yet. */
    private static final long BEFORE_THE_RESET_MS = 100;

    @FunctionalInterface
    private interface ConnectionHandler {
        void handle(Socket connection) throws Exception;
    }

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    private RawHttpServer(ConnectionHandler handler) {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try {
                            handler.handle(connection);
                        } catch (Exception ignored) {
                            // the test asserts what the client saw
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Reads every request, then resets its connection without answering. */
    public static RawHttpServer resettingEveryConnection() {
        return new RawHttpServer(connection -> {
            readRequest(connection);
            reset(connection);
        });
    }

    /**
     * Answers every request with 200, the {@code namesAndValues} header pairs and a chunked body of which only
     * {@code chunks} arrive, each flushed on its own; then resets the connection, as when a network cuts a stream.
     */
    public static RawHttpServer cuttingAChunkedAnswer(List<byte[]> chunks, String... namesAndValues) {
        return new RawHttpServer(connection -> {
            readRequest(connection);
            StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
            for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
                head.append(namesAndValues[i]).append(": ").append(namesAndValues[i + 1]).append("\r\n");
            }
            head.append("transfer-encoding: chunked\r\n\r\n");
            OutputStream out = connection.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            for (byte[] chunk : chunks) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            Thread.sleep(BEFORE_THE_RESET_MS);
            reset(connection);
        });
    }

    /**
     * Answers every request with {@code status}, the {@code namesAndValues} header pairs and {@code body}, then closes
     * the connection, so that each request opens one (since 1.9): a server that is not the vendor's, such as a web
     * server's page at a wrong base URL.
     */
    public static RawHttpServer answeringEveryRequest(int status, String body, String... namesAndValues) {
        return new RawHttpServer(connection -> {
            readRequest(connection);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Status\r\n");
            for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
                head.append(namesAndValues[i]).append(": ").append(namesAndValues[i + 1]).append("\r\n");
            }
            head.append("content-length: ").append(content.length).append("\r\nconnection: close\r\n\r\n");
            OutputStream out = connection.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            connection.close();
        });
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** How many connections were opened to the server so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the request line, the headers and a Content-Length body. */
    private static void readRequest(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
    }

    /** Closes with a TCP reset rather than an orderly end: a linger time of zero makes close() send RST. */
    private static void reset(Socket connection) throws IOException {
        connection.setSoLinger(true, 0);
        connection.close();
    }
}
