package io.mcpagent.provider.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The HTTP/1.1 client a provider instance calls its endpoint with: blocking sockets on the calling (virtual) thread,
 * kept-alive connections pooled per origin, TLS with host-name verification, HTTP proxies from the default
 * {@link ProxySelector} (CONNECT tunnels for https). We measured the JDK {@code HttpClient} at about 120 us more than
 * a plain socket per loopback exchange (176 vs 54 us p50, its selector and executor hand-offs), which is most of
 * what a tool turn costs beside the model; this client does the same exchange without a hand-off.
 * <p>
 * Requests are {@link HttpRequest}s, whose builder already refuses malformed and restricted headers; their body
 * publisher is read into memory. Redirects are never followed (a redirected call would carry its key elsewhere).
 * Answers with a body use {@code Content-Length}, chunked coding or the connection's end. Every read has a deadline:
 * the request timeout for a complete answer ({@link #send}), the same time of silence between reads of a stream
 * ({@link #open}); a large request is written under the same deadline. An interrupted caller ends its call and the
 * connection: a virtual thread at once (the interrupt closes its socket), a platform thread within
 * {@value #INTERRUPT_CHECK_MILLIS} ms (it waits for bytes in slices, and hands connecting to a virtual thread).
 * A request written on a kept-alive connection that the server had closed meanwhile (no byte of an answer came) is
 * sent once more on a new connection: the usual race of a kept-alive connection closing as it is reused (a server
 * that read such a request and then dropped the connection without a byte of answer would see it twice).
 */
public final class Http1Client implements AutoCloseable {
    /** Connections kept open per origin for the next call; more are closed when released. */
    static final int MAX_IDLE_PER_ORIGIN = 64;
    /** A connection unused for this long is closed rather than reused: servers drop idle ones after a minute or so. */
    static final Duration MAX_IDLE = Duration.ofSeconds(30);
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 16 * 1024;
    /** How often a platform thread waiting for an answer looks whether it was interrupted. */
    private static final int INTERRUPT_CHECK_MILLIS = 50;
    /** The longest wait a deadline can stand for without the nanosecond clock overflowing. */
    private static final Duration LONGEST_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE / 4);
    /** A request this small goes into the socket's send buffer at once; a larger one is written under a guard. */
    private static final int UNGUARDED_WRITE_BYTES = 16 * 1024;
    private static final byte[] NO_BODY = new byte[0];

    private final Duration connectTimeout;
    private final SSLContext tls;
    private final ProxySelector proxies;
    private final long maxIdleNanos;
    private final Map<Route, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Set by {@link #closeWhenDone}: connections are closed as their calls end instead of kept for later ones. */
    private volatile boolean retiring;

    /** A client with the JVM's default trust store and proxy settings. */
    public Http1Client(Duration connectTimeout) {
        this(connectTimeout, defaultTls(), ProxySelector.getDefault());
    }

    Http1Client(Duration connectTimeout, SSLContext tls, ProxySelector proxies) {
        this(connectTimeout, tls, proxies, MAX_IDLE);
    }

    Http1Client(Duration connectTimeout, SSLContext tls, ProxySelector proxies, Duration maxIdle) {
        this.connectTimeout = connectTimeout;
        this.tls = tls;
        this.proxies = proxies;
        this.maxIdleNanos = maxIdle.toNanos();
    }

    /**
     * One exchange whose whole answer, headers and body, arrives within {@code timeout}. The body may have
     * {@code limit} bytes, or {@code errorLimit} in an answer that is not 2xx; a longer one is cut there and marked
     * truncated, the rest never read.
     */
    public ProviderHttp.Response<BoundedBytes> send(HttpRequest request, Duration timeout, int limit,
                                                     int errorLimit) throws IOException, InterruptedException {
        Exchange exchange = exchange(request, deadline(timeout));
        try {
            BoundedBytes body = exchange.body.readBounded(exchange.status / 100 == 2 ? limit : errorLimit);
            exchange.finish(body.truncated());
            return new ProviderHttp.Response<>(exchange.status, exchange.headers, body);
        } catch (IOException e) {
            exchange.finish(true);
            throw closedOr(e);
        } catch (RuntimeException e) {
            exchange.finish(true);
            throw e;
        }
    }

    /**
     * One exchange whose headers arrive within {@code timeout} and whose body is handed out as a stream, which the
     * caller closes; a read that waits longer than {@code timeout} for the next byte fails as a timeout.
     */
    public ProviderHttp.Response<InputStream> open(HttpRequest request, Duration timeout)
            throws IOException, InterruptedException {
        Exchange exchange = exchange(request, deadline(timeout));
        exchange.body.silence(timeout);
        return new ProviderHttp.Response<>(exchange.status, exchange.headers, exchange.stream());
    }

    /** Work on a socket, which only a virtual thread can leave at once when interrupted. */
    @FunctionalInterface
    private interface SocketWork<T> {
        T run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code work} in place on a virtual thread, where an interrupt closes the socket it waits on. A platform
     * thread, which an interrupt cannot wake from connecting or a TLS handshake, hands it to a virtual thread and waits
     * interruptibly, passing an interrupt on. (Its reads look at the interrupt between slices, see {@link Reader}; only
     * new connections are handed over, so a call on a pooled one costs a platform thread no hand-off.)
     */
    private static <T> T onVirtualThread(SocketWork<T> work) throws IOException, InterruptedException {
        if (Thread.currentThread().isVirtual()) {
            return work.run();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("provider-http-call").start(() -> {
            try {
                result.complete(work.run());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            worker.interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** When {@code timeout} from now ends; a timeout too long to count in nanoseconds is about 73 years. */
    private static long deadline(Duration timeout) {
        return System.nanoTime() + bounded(timeout).toNanos();
    }

    /** {@code timeout} in whole milliseconds for a socket: at least 1 (0 would mean forever), at most an int's range. */
    private static int socketMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, bounded(timeout).toMillis()));
    }

    private static Duration bounded(Duration timeout) {
        return timeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT : timeout;
    }

    /** Closes every connection, idle or in use: calls under way fail, later calls are refused. */
    @Override
    public void close() {
        closed = true;
        for (Connection connection : open) {
            connection.close();
        }
        idle.clear();
    }

    /**
     * Closes the idle connections now and each one in use as its call ends, keeping none for later calls: a client
     * that a new one replaced (its provider's configuration changed) lets the calls under way, and their retries,
     * finish on it, where {@link #close} would cut them off. Calls still work on it meanwhile, each on a connection of
     * its own. Since 2.29.
     */
    public void closeWhenDone() {
        retiring = true;
        for (ConcurrentLinkedDeque<Connection> connections : idle.values()) {
            for (Connection connection; (connection = connections.pollFirst()) != null; ) {
                connection.close();
            }
        }
    }

    private Exchange exchange(HttpRequest request, long deadline) throws IOException, InterruptedException {
        try {
            return exchangeWhileOpen(request, deadline);
        } catch (IOException e) {
            throw closedOr(e);
        }
    }

    /** A failure of a call that {@link #close} cut off, as that: the socket's own failure says nothing of why. */
    private IOException closedOr(IOException failure) {
        return closed && !(failure instanceof ClosedException) ? new ClosedException(failure) : failure;
    }

    private Exchange exchangeWhileOpen(HttpRequest request, long deadline) throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        requireOpen();
        Route route = route(request.uri());
        byte[] message = message(request, route);
        Connection connection = pooled(route);
        if (connection != null) {
            try {
                return connection.exchange(request, message, deadline);
            } catch (StaleConnectionException e) {
                // the server closed the kept-alive connection before reading this request: one more on a new one
            }
        }
        requireOpen();
        connection = onVirtualThread(() -> connect(route, deadline));
        try {
            return connection.exchange(request, message, deadline);
        } catch (StaleConnectionException e) {
            throw new IOException("the server closed the connection without an answer", e);
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new ClosedException(null);
        }
    }

    private Connection pooled(Route route) {
        ConcurrentLinkedDeque<Connection> connections = idle.get(route);
        if (connections == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Connection connection; (connection = connections.pollFirst()) != null; ) {
            if (now - connection.idleSince < maxIdleNanos && !connection.socket.isClosed()) {
                connection.reused = true;
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private void release(Connection connection) {
        connection.idleSince = System.nanoTime();
        ConcurrentLinkedDeque<Connection> connections = idle.computeIfAbsent(connection.route,
                route -> new ConcurrentLinkedDeque<>());
        if (closed || retiring || connections.size() >= MAX_IDLE_PER_ORIGIN) {
            connection.close();
            return;
        }
        connections.offerFirst(connection);
        if (closed || retiring) { // close() or closeWhenDone() emptied the pool meanwhile, before this one came back
            connection.close();
        }
        // the pool is taken from the front, so connections at the back may idle forever: close the expired one there
        Connection oldest = connections.peekLast();
        if (oldest != null && connection.idleSince - oldest.idleSince >= maxIdleNanos
                && connections.removeLastOccurrence(oldest)) {
            oldest.close();
        }
    }

    private Connection connect(Route route, long deadline) throws IOException {
        Socket socket = route.proxy.type() == Proxy.Type.SOCKS ? new Socket(route.proxy) : new Socket();
        try {
            socket.setTcpNoDelay(true);
            InetSocketAddress target = route.proxy.type() == Proxy.Type.HTTP ? (InetSocketAddress) route.proxy.address()
                    : new InetSocketAddress(route.host, route.port);
            if (target.isUnresolved()) {
                target = new InetSocketAddress(target.getHostString(), target.getPort());
            }
            try {
                socket.connect(target, socketMillis(connectTimeout));
            } catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("no connection to " + target + " within "
                        + socketMillis(connectTimeout) + " ms");
            }
            if (route.tls && route.proxy.type() == Proxy.Type.HTTP) {
                tunnel(socket, route, deadline);
            }
            if (route.tls) {
                socket = handshake(socket, route, deadline);
            }
            Connection connection = new Connection(route, socket);
            open.add(connection);
            if (closed) {
                connection.close();
                requireOpen();
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Asks an HTTP proxy for a tunnel to the origin; only a 2xx answer opens it. */
    private static void tunnel(Socket socket, Route route, long deadline) throws IOException {
        String authority = route.host + ":" + route.port;
        socket.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        Head head = new HeadReader(new Reader(socket, socket.getInputStream()), deadline).read();
        if (head.status / 100 != 2) {
            throw new IOException("the proxy refused a tunnel to " + authority + ": HTTP " + head.status);
        }
    }

    private SSLSocket handshake(Socket plain, Route route, long deadline) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, route.host, route.port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[]{"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(remainingMillis(deadline, "the TLS handshake"));
        try {
            socket.startHandshake();
        } catch (SocketTimeoutException e) {
            throw new HttpTimeoutException("no TLS handshake with " + route.host + " within the request timeout");
        }
        return socket;
    }

    private Route route(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "https" -> true;
            case "http" -> false;
            default -> throw new IOException("not an http or https URI: " + uri);
        };
        if (uri.getHost() == null) {
            throw new IOException("no host in " + uri);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        List<Proxy> chosen = proxies == null ? List.of() : proxies.select(uri);
        Proxy proxy = chosen == null || chosen.isEmpty() ? Proxy.NO_PROXY : chosen.get(0);
        return new Route(tls, uri.getHost(), port, proxy);
    }

    /** The request line, headers and body, as sent. */
    private static byte[] message(HttpRequest request, Route route) throws IOException, InterruptedException {
        byte[] body = body(request);
        URI uri = request.uri();
        StringBuilder head = new StringBuilder(256 + 64 * request.headers().map().size());
        head.append(request.method()).append(' ');
        if (route.proxy.type() == Proxy.Type.HTTP && !route.tls) {
            head.append("http://").append(route.authority());
        }
        String path = uri.getRawPath();
        head.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(route.authority()).append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
            userAgent |= header.getKey().equalsIgnoreCase("user-agent");
            for (String value : header.getValue()) {
                head.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        if (!userAgent) {
            head.append("User-Agent: mcp-agent\r\n");
        }
        if (body.length > 0 || request.bodyPublisher().isPresent()) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        for (int i = 0; i < head.length(); i++) {
            if (head.charAt(i) > 0xFF) {
                throw new IOException("a request header holds a character outside ISO-8859-1");
            }
        }
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(body, 0, message, headBytes.length, body.length);
        return message;
    }

    /** The bytes of the request's body publisher (those of {@code BodyPublishers.ofByteArray} come at once). */
    private static byte[] body(HttpRequest request) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null || publisher.contentLength() == 0) {
            return NO_BODY;
        }
        CompletableFuture<byte[]> collected = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            private final List<byte[]> parts = new ArrayList<>(1);
            private int size;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
                byte[] part = new byte[buffer.remaining()];
                buffer.get(part);
                parts.add(part);
                size += part.length;
            }

            @Override
            public void onError(Throwable failure) {
                collected.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                if (parts.size() == 1) {
                    collected.complete(parts.get(0));
                    return;
                }
                byte[] all = new byte[size];
                int at = 0;
                for (byte[] part : parts) {
                    System.arraycopy(part, 0, all, at, part.length);
                    at += part.length;
                }
                collected.complete(all);
            }
        });
        try {
            return collected.get();
        } catch (ExecutionException e) {
            throw new IOException("the request body could not be read", e.getCause());
        }
    }

    private static int remainingMillis(long deadline, String what) throws HttpTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new HttpTimeoutException("no complete answer within the request timeout (" + what + ")");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }

    /** What a timeout while the body is read names, so that a caller tells a stalled body from no answer. */
    static final String ANSWER_BODY = "the answer's body";

    /** A complete answer's body, or its start when it was longer than allowed. */
    public record BoundedBytes(byte[] bytes, boolean truncated) {
    }

    /** Where a connection goes: origin and proxy; connections are pooled per route. */
    private record Route(boolean tls, String host, int port, Proxy proxy) {
        String authority() {
            String name = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? name : name + ":" + port;
        }
    }

    /** The server closed the connection before the end of the answer's body its head announced. */
    static final class BrokenOffException extends IOException {
        private static final long serialVersionUID = 1L;

        BrokenOffException() {
            super("the answer's body broke off");
        }
    }

    /**
     * A call {@link #close} refused or cut off: the provider's configuration changed or its bundle stopped, and this
     * client takes no more calls, so trying again on it is pointless.
     */
    static final class ClosedException extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedException(Throwable cause) {
            super("the provider's HTTP client is closed: its configuration was deleted or its bundle stopped", cause);
        }
    }

    /**
     * An answer that is not what its protocol allows (no HTTP status line, a malformed header or chunk size, an event
     * stream message whose checksum fails): the server answered, wrongly, which no network fault explains.
     */
    static final class MalformedAnswerException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedAnswerException(String message) {
            super(message);
        }
    }

    /** A request written on a reused connection that the server had already closed: safe to send again. */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException(Throwable cause) {
            super(cause);
        }
    }

    /** A status and headers read, the body still to come. */
    private record Head(int status, HttpHeaders headers, boolean close) {
    }

    /** One connection: its socket, a read buffer, and whether it came from the pool. */
    private final class Connection {
        final Route route;
        final Socket socket;
        final Reader in;
        final OutputStream out;
        volatile long idleSince;
        boolean reused;

        Connection(Route route, Socket socket) throws IOException {
            this.route = route;
            this.socket = socket;
            this.in = new Reader(socket, socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        Exchange exchange(HttpRequest request, byte[] message, long deadline) throws IOException {
            try {
                write(message, deadline);
                Head head = new HeadReader(in, deadline).read();
                while (head.status >= 100 && head.status < 200) {
                    head = new HeadReader(in, deadline).read();
                }
                Body body = Body.of(in, request.method(), head, deadline);
                return new Exchange(this, head.status, head.headers, body, head.close || body.untilClose());
            } catch (IOException | RuntimeException e) {
                close();
                if (reused && !in.anyRead && !(e instanceof HttpTimeoutException)
                        && !Thread.currentThread().isInterrupted()) {
                    throw new StaleConnectionException(e);
                }
                throw e;
            }
        }

        /**
         * Sends the request. A socket write has no timeout of its own: a large request to a server that stops reading
         * would block forever, so a guard closes the socket at the deadline while it is written.
         */
        private void write(byte[] message, long deadline) throws IOException {
            if (message.length <= UNGUARDED_WRITE_BYTES) {
                out.write(message);
                return;
            }
            Thread caller = Thread.currentThread();
            boolean watchCaller = !caller.isVirtual(); // an interrupt does not wake a platform thread from a write
            AtomicBoolean late = new AtomicBoolean();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread guard = Thread.ofVirtual().name("provider-http-write-guard").start(() -> {
                try {
                    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                        Thread.sleep(Duration.ofNanos(watchCaller
                                ? Math.min(left, INTERRUPT_CHECK_MILLIS * 1_000_000L) : left));
                        if (watchCaller && caller.isInterrupted()) {
                            interrupted.set(true);
                            close();
                            return;
                        }
                    }
                    late.set(true);
                    close();
                } catch (InterruptedException written) {
                    // the request went out in time
                }
            });
            try {
                out.write(message);
            } catch (IOException e) {
                if (interrupted.get()) {
                    throw new InterruptedIOException("interrupted while sending the request");
                }
                if (late.get()) {
                    throw new HttpTimeoutException("the request was not sent within the request timeout");
                }
                throw e;
            } finally {
                guard.interrupt();
            }
        }

        void close() {
            open.remove(this);
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to do with a connection being thrown away
            }
        }
    }

    /** An answer whose body is being read; the connection goes back to the pool once it is read to its end. */
    private final class Exchange {
        final Connection connection;
        final int status;
        final HttpHeaders headers;
        final Body body;
        final boolean closeAfter;
        final AtomicBoolean finished = new AtomicBoolean();

        Exchange(Connection connection, int status, HttpHeaders headers, Body body, boolean closeAfter) {
            this.connection = connection;
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.closeAfter = closeAfter;
        }

        /** Done with the answer: the connection is reused only when its body was read completely. */
        void finish(boolean abandoned) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            if (abandoned || closeAfter || !body.ended() || closed) {
                connection.close();
            } else {
                connection.reused = false;
                connection.in.anyRead = false;
                release(connection);
            }
        }

        InputStream stream() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (finished.get()) {
                        throw new IOException("the answer's stream is closed");
                    }
                    try {
                        return body.read(buffer, offset, length);
                    } catch (IOException e) {
                        finish(true);
                        throw closedOr(e);
                    }
                }

                @Override
                public void close() {
                    finish(!body.ended());
                }
            };
        }
    }

    /** The socket's input, buffered, with a deadline set before every read that may block. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private int position;
        private int limit;
        private int timeoutMillis = -1;
        boolean anyRead;

        Reader(Socket socket, InputStream in) {
            this.socket = socket;
            this.in = in;
        }

        /** Up to {@code length} buffered or newly received bytes; -1 at the connection's end. */
        int read(byte[] into, int offset, int length, int waitMillis, String what) throws IOException {
            if (position == limit && fill(waitMillis, what) == -1) {
                return -1;
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }

        /** The next byte, or -1 at the connection's end. */
        int read(int waitMillis, String what) throws IOException {
            if (position == limit && fill(waitMillis, what) == -1) {
                return -1;
            }
            return buffer[position++] & 0xFF;
        }

        /**
         * Waits up to {@code waitMillis} for bytes. A virtual thread waits in one read, which an interrupt ends by
         * closing the socket; a platform thread cannot be woken that way, so it waits in slices and looks at its
         * interrupt flag between them.
         */
        private int fill(int waitMillis, String what) throws IOException {
            boolean virtual = Thread.currentThread().isVirtual();
            long start = System.nanoTime();
            while (true) {
                if (!virtual && Thread.currentThread().isInterrupted()) {
                    socket.close();
                    throw new InterruptedIOException("interrupted while waiting for " + what);
                }
                int waited = (int) ((System.nanoTime() - start) / 1_000_000);
                int slice = virtual ? waitMillis : Math.max(1, Math.min(waitMillis - waited, INTERRUPT_CHECK_MILLIS));
                if (slice != timeoutMillis) {
                    socket.setSoTimeout(slice);
                    timeoutMillis = slice;
                }
                try {
                    int n = in.read(buffer, 0, buffer.length);
                    if (n > 0) {
                        anyRead = true;
                        position = 0;
                        limit = n;
                    }
                    return n;
                } catch (SocketTimeoutException e) {
                    if (virtual || (System.nanoTime() - start) / 1_000_000 >= waitMillis) {
                        throw new HttpTimeoutException("no answer within the timeout (" + what + ")");
                    }
                }
            }
        }
    }

    /** Reads a status line and headers (at most {@link #MAX_HEAD_BYTES}) before the deadline. */
    private static final class HeadReader {
        private final Reader in;
        private final long deadline;
        private final StringBuilder line = new StringBuilder(128);
        private int total;

        HeadReader(Reader in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        Head read() throws IOException {
            String status = line();
            if (status == null) {
                throw new IOException("the server closed the connection without an answer");
            }
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' '
                    || !digits(status, 9, 12) || status.length() > 12 && status.charAt(12) != ' ') {
                throw new MalformedAnswerException("not an HTTP/1.x status line: " + shown(status));
            }
            int code;
            try {
                code = Integer.parseInt(status, 9, 12, 10);
            } catch (NumberFormatException e) {
                throw new MalformedAnswerException("not an HTTP status: " + shown(status));
            }
            boolean http10 = status.startsWith("HTTP/1.0");
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String header; !(header = line()).isEmpty(); ) {
                int colon = header.indexOf(':');
                if (colon <= 0 || !token(header, colon)) {
                    throw new MalformedAnswerException("a malformed answer header: " + shown(header));
                }
                headers.computeIfAbsent(header.substring(0, colon), name -> new ArrayList<>(1))
                        .add(header.substring(colon + 1).trim());
            }
            String connection = String.join(",", headers.getOrDefault("connection", List.of()))
                    .toLowerCase(Locale.ROOT);
            boolean close = connection.contains("close") || http10 && !connection.contains("keep-alive");
            return new Head(code, HttpHeaders.of(headers, (name, value) -> true), close);
        }

        /** One line without its CR LF; null when the connection ended before any byte of it. */
        private String line() throws IOException {
            line.setLength(0);
            for (int b; ; ) {
                b = in.read(remainingMillis(deadline, "waiting for the answer's headers"), "the answer's headers");
                if (b == -1) {
                    if (line.isEmpty() && total == 0) {
                        return null;
                    }
                    throw new IOException("the answer's headers broke off");
                }
                if (++total > MAX_HEAD_BYTES) {
                    throw new MalformedAnswerException("the answer's headers exceed " + MAX_HEAD_BYTES + " bytes");
                }
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
        }

        static boolean digits(String text, int from, int to) {
            for (int i = from; i < to; i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        /** Whether the first {@code end} characters of {@code text} are an RFC 9110 token, as a header name must be. */
        private static boolean token(String text, int end) {
            for (int i = 0; i < end; i++) {
                char c = text.charAt(i);
                boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
                if (!letterOrDigit && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                    return false;
                }
            }
            return true;
        }

        private static String shown(String text) {
            return text.length() > 80 ? text.substring(0, 80) + "..." : text;
        }
    }

    /** An answer's body as its framing says: a length, chunks, or everything until the connection ends. */
    private static final class Body {
        private enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

        private final Reader in;
        private final Framing framing;
        private final long deadline;
        private long left;
        private boolean ended;
        private int silenceMillis = -1;
        private boolean chunkStarted;

        private Body(Reader in, Framing framing, long length, long deadline) {
            this.in = in;
            this.framing = framing;
            this.left = length;
            this.deadline = deadline;
            this.ended = framing == Framing.NONE || framing == Framing.LENGTH && length == 0;
        }

        static Body of(Reader in, String method, Head head, long deadline) throws IOException {
            if ("HEAD".equals(method) || head.status == 204 || head.status == 304) {
                return new Body(in, Framing.NONE, 0, deadline);
            }
            // several Transfer-Encoding lines make one list of codings; the last one frames the body
            String coding = String.join(",", head.headers.allValues("transfer-encoding")).toLowerCase(Locale.ROOT)
                    .trim();
            if (coding.endsWith("chunked")) {
                return new Body(in, Framing.CHUNKED, 0, deadline);
            }
            if (!coding.isEmpty()) {
                return new Body(in, Framing.UNTIL_CLOSE, 0, deadline);
            }
            List<String> lengths = head.headers.allValues("content-length");
            if (lengths.isEmpty()) {
                return new Body(in, Framing.UNTIL_CLOSE, 0, deadline);
            }
            try {
                String first = lengths.get(0);
                if (first.isEmpty() || !HeadReader.digits(first, 0, first.length())
                        || lengths.stream().anyMatch(value -> !value.equals(first))) {
                    throw new NumberFormatException();
                }
                long length = Long.parseLong(first);
                return new Body(in, Framing.LENGTH, length, deadline);
            } catch (NumberFormatException e) {
                throw new MalformedAnswerException("an unusable Content-Length: " + lengths);
            }
        }

        /** From now on, each read may wait this long for its next byte instead of until the deadline. */
        void silence(Duration timeout) {
            silenceMillis = socketMillis(timeout);
        }

        boolean untilClose() {
            return framing == Framing.UNTIL_CLOSE;
        }

        boolean ended() {
            return ended;
        }

        /** Up to {@code length} bytes of the body; -1 at its end. */
        int read(byte[] into, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            if (framing == Framing.CHUNKED && left == 0 && !nextChunk()) {
                return -1;
            }
            int wanted = framing == Framing.UNTIL_CLOSE ? length : (int) Math.min(length, left);
            int n = in.read(into, offset, wanted, waitMillis(), ANSWER_BODY);
            if (n == -1) {
                if (framing == Framing.UNTIL_CLOSE) {
                    ended = true;
                    return -1;
                }
                throw new BrokenOffException();
            }
            if (framing != Framing.UNTIL_CLOSE) {
                left -= n;
                if (left == 0 && framing == Framing.LENGTH) {
                    ended = true;
                }
            }
            return n;
        }

        /** The whole body if it has at most {@code limit} bytes, else its first {@code limit}, marked truncated. */
        BoundedBytes readBounded(int limit) throws IOException {
            long room = (long) limit + 1;
            byte[] bytes = new byte[(int) Math.min(framing == Framing.LENGTH ? left : 8192, room)];
            int size = 0;
            while (!ended) {
                if (size == bytes.length) {
                    if (size > limit) {
                        break;
                    }
                    bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(16L, size * 2L), room));
                }
                int n = read(bytes, size, bytes.length - size);
                if (n == -1) {
                    break;
                }
                size += n;
            }
            if (size > limit) {
                return new BoundedBytes(Arrays.copyOf(bytes, limit), true);
            }
            return new BoundedBytes(size == bytes.length ? bytes : Arrays.copyOf(bytes, size), false);
        }

        private int waitMillis() throws HttpTimeoutException {
            return silenceMillis > 0 ? silenceMillis : remainingMillis(deadline, "reading " + ANSWER_BODY);
        }

        /** Starts the next chunk; false at the last one (whose trailers are skipped). */
        private boolean nextChunk() throws IOException {
            if (left == 0 && chunkStarted) {
                expectLineEnd();
            }
            String sizeLine = line();
            int extension = sizeLine.indexOf(';');
            String hex = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim();
            try {
                left = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new MalformedAnswerException("a malformed chunk size: " + hex);
            }
            if (left < 0) {
                throw new MalformedAnswerException("a malformed chunk size: " + hex);
            }
            chunkStarted = true;
            if (left == 0) {
                while (!line().isEmpty()) {
                    // trailers carry nothing a provider answer needs
                }
                ended = true;
                return false;
            }
            return true;
        }

        private void expectLineEnd() throws IOException {
            if (!line().isEmpty()) {
                throw new MalformedAnswerException("a chunk longer than its size");
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(16);
            for (int b; ; ) {
                b = in.read(waitMillis(), ANSWER_BODY);
                if (b == -1) {
                    throw new BrokenOffException();
                }
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() > 4096) {
                    throw new MalformedAnswerException("a chunk header longer than 4096 bytes");
                }
                line.append((char) b);
            }
        }
    }
}
