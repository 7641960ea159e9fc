package io.mcpagent.provider.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

/**
 * A wire-level HTTP/1.1 server for tests: a {@link ServerSocket} on 127.0.0.1 whose every accepted connection runs a
 * {@link Script} on a virtual thread of its own. It counts the connections and records every request it reads.
 */
final class ScriptedServer implements AutoCloseable {
    /** What the server does with one accepted connection. */
    @FunctionalInterface
    interface Script {
        void run(Peer peer) throws Exception;
    }

    /** One request as it arrived: its request line, its header lines in order, its body (by Content-Length). */
    record Request(int connection, String line, List<String[]> headerLines, byte[] body) {
        /** Every value of the header {@code name}, in order. */
        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headerLines) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        /** The single value of the header {@code name}, or null; fails when there are several. */
        String header(String name) {
            List<String> values = headers(name);
            if (values.size() > 1) {
                throw new AssertionError("header " + name + " sent " + values.size() + " times: " + values);
            }
            return values.isEmpty() ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The server's side of one connection. */
    final class Peer {
        final int index;
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer(int index, Socket socket) throws IOException {
            this.index = index;
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** The next request on this connection, or null when the client closed it first. */
        Request read() throws IOException {
            String line = line();
            if (line == null) {
                return null;
            }
            List<String[]> headers = new ArrayList<>();
            long length = 0;
            for (String header; !(header = line()).isEmpty(); ) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                headers.add(new String[]{name, value});
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                }
            }
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("the request body broke off");
            }
            Request request = new Request(index, line, headers, body);
            requests.add(request);
            return request;
        }

        /** One line without CR LF; null at the end of the stream before any byte. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; ; ) {
                b = in.read();
                if (b == -1) {
                    if (line.size() == 0) {
                        return null;
                    }
                    throw new IOException("the line broke off: " + line);
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Blocks until the client closes the connection (or the server is closed); true if the client did. */
        boolean awaitEnd() {
            try {
                while (in.read() != -1) {
                    // whatever else the client sends is not asked for here
                }
                return true;
            } catch (IOException e) {
                return !closed;
            }
        }

        /** Whether the client closes the connection within {@code wait}, reading and dropping what it sends. */
        boolean endsWithin(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                while (in.read() != -1) {
                    // dropped
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        /** Holds the connection open, reading nothing, until the server is closed. */
        void hold() throws InterruptedException {
            closing.await();
        }

        void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    /** Failures of scripts, other than those of a connection the client (or {@link #close}) ended. */
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    /** Counted down when the server closes: what {@link Peer#hold} waits for. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private final Thread acceptor;

    ScriptedServer(Script script) throws IOException {
        this(null, script);
    }

    /** A server speaking TLS with {@code tls}'s key, or plain TCP when it is null. */
    ScriptedServer(SSLContext tls, Script script) throws IOException {
        this.server = tls == null ? new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"))
                : tls.getServerSocketFactory().createServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        this.script = script;
        this.acceptor = Thread.ofVirtual().name("scripted-server-accept").start(this::accept);
    }

    /** Answers every request on every connection with {@code answer} of it, until the client closes. */
    static ScriptedServer answering(Function<Request, String> answer) throws IOException {
        return new ScriptedServer(peer -> {
            for (Request request; (request = peer.read()) != null; ) {
                peer.send(answer.apply(request));
            }
        });
    }

    /** A complete answer of {@code status} with {@code body} framed by Content-Length. */
    static String ok(String body) {
        return answer(200, body);
    }

    static String answer(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + bytes.length + "\r\n\r\n" + new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(socket);
            int index = accepted.getAndIncrement();
            Thread.ofVirtual().name("scripted-server-" + index).start(() -> {
                try {
                    script.run(new Peer(index, socket));
                } catch (Throwable failure) {
                    if (!closed && !socket.isClosed()) {
                        failures.add(failure);
                    }
                } finally {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            });
        }
    }

    int port() {
        return server.getLocalPort();
    }

    URI uri(String path) {
        return URI.create((server instanceof javax.net.ssl.SSLServerSocket ? "https" : "http") + "://127.0.0.1:"
                + port() + path);
    }

    /** How many connections the server has accepted. */
    int connections() {
        return accepted.get();
    }

    /** The next recorded request, waiting up to 5 s. */
    Request request() throws InterruptedException {
        Request request = requests.poll(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request arrived within 5 s");
        }
        return request;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closing.countDown();
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
