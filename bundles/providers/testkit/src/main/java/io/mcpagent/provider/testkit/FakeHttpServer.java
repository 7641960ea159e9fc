package io.mcpagent.provider.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor's HTTP server faked on 127.0.0.1, the base of a {@link WireFake}: it records every request as the fake's
 * own type {@code R} and answers it with the next queued {@link Answer}, or with {@link #nothingQueued()} when none
 * is queued. What the answers hold, and how a request is recorded, is the vendor's wire format and the fake's own.
 */
public abstract class FakeHttpServer<R> implements AutoCloseable {

    /** How to answer one request. */
    @FunctionalInterface
    public interface Answer<R> {
        void respond(HttpExchange exchange, R request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Deque<Answer<R>> answers = new ConcurrentLinkedDeque<>();
    private final List<R> requests = new CopyOnWriteArrayList<>();
    private final String basePath;

    /** A started fake whose base URI is {@code http://127.0.0.1:<port>} followed by {@code basePath} ("" or e.g. "/v1"). */
    protected FakeHttpServer(String basePath) {
        this.basePath = basePath;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The request as this fake records it; {@code body} is its body, already read. */
    protected abstract R record(HttpExchange exchange, byte[] body);

    /** The answer when none is queued: the vendor's server error, so that a test short of an answer fails plainly. */
    protected abstract Answer<R> nothingQueued();

    /**
     * The answer to {@code request}: the next queued one, or {@link #nothingQueued()}. A fake that judges requests
     * before answering them (their signatures, say) overrides it.
     */
    protected Answer<R> answerTo(R request) {
        Answer<R> queued = answers.poll();
        return queued != null ? queued : nothingQueued();
    }

    private void handle(HttpExchange exchange) throws IOException {
        R request = record(exchange, exchange.getRequestBody().readAllBytes());
        requests.add(request);
        try {
            answerTo(request).respond(exchange, request);
        } catch (IOException e) {
            // the client went away (cancellation tests), or the answer broke the connection on purpose
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            exchange.close();
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + basePath);
    }

    /** Queues the answer to a coming request: answers are given in the order they were queued. */
    public void enqueue(Answer<R> answer) {
        answers.add(answer);
    }

    /** The latest request. */
    public R last() {
        if (requests.isEmpty()) {
            throw new AssertionError("no request reached the fake");
        }
        return requests.get(requests.size() - 1);
    }

    /** How many requests reached the fake so far. */
    public int requests() {
        return requests.size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** {@code text} in pieces of {@code size} characters (the last may be shorter), as servers stream text. */
    protected static List<String> pieces(String text, int size) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            pieces.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return pieces;
    }

    /**
     * {@code start}, then nothing more for {@code silence} while the connection stays open: a server gone quiet in the
     * middle of its answer (since 1.11).
     */
    protected static <R> Answer<R> silentAfter(Answer<R> start, Duration silence) {
        return (exchange, request) -> {
            start.respond(exchange, request);
            Thread.sleep(silence.toMillis());
        };
    }

    /** Sets the {@code namesAndValues} pairs as response headers, replacing any of the same name. */
    protected static void setHeaders(HttpExchange exchange, String... namesAndValues) {
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            exchange.getResponseHeaders().set(namesAndValues[i], namesAndValues[i + 1]);
        }
    }

    /** Sends {@code status} and {@code body} as UTF-8, with the headers set so far; an empty body is sent as none. */
    protected static void sendBody(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
