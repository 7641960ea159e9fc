package io.mcpagent.mcp.internal.client;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.provider.support.ShownUrl;

/**
 * The HTTP exchanges one transport has under way (an OAuth challenge's among them), so that closing it aborts them: a
 * request still waiting for its response is cancelled (on HTTP/1.1 its connection is closed, on HTTP/2 its stream
 * reset), a response body not yet closed by its reader is closed. Without this, a call the client's close cuts off
 * stays blocked in the transport until its request times out, and a request without a timeout (a GET stream) forever.
 */
public final class HttpExchanges {
    private static final Logger LOG = LoggerFactory.getLogger(HttpExchanges.class);

    private final HttpClient http;
    /** The exchanges these are a part of, which aborts them too; null for a transport's own. */
    private final HttpExchanges whole;
    /** What an aborted request's failure says, after "aborted: ". */
    private final String abortedBecause;
    private final Set<Closeable> underWay = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    HttpExchanges(HttpClient http) {
        this(http, null, "the transport was closed");
    }

    private HttpExchanges(HttpClient http, HttpExchanges whole, String abortedBecause) {
        this.http = http;
        this.whole = whole;
        this.abortedBecause = abortedBecause;
    }

    /** A part of these exchanges (one call's) that can be aborted on its own; aborting these aborts it too. */
    HttpExchanges part() {
        return new HttpExchanges(http, this, "the call was cancelled");
    }

    /**
     * As {@link HttpClient#send} with an {@link InputStream} body, which stays tracked until the caller closes it.
     * Throws an {@link IOException} when {@link #abortAll()} aborts the request.
     */
    HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
        return send(request, info -> HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofInputStream(), this::tracked));
    }

    /**
     * As {@link HttpClient#send}, for a body read whole by {@code handler} (an OAuth request); aborted as the others.
     * Sent with {@link HttpClient#send} in the caller's thread, which aborting interrupts (the client cancels the
     * request then), not with sendAsync: the client completes each sendAsync response in the common pool, where any
     * task blocking its one worker (two cores) anywhere in the runtime held every MCP answer back.
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Sending sending = new Sending(Thread.currentThread());
        track(sending);
        try {
            if (aborted()) {
                sending.close(); // abortAll() may have run before this request was added
            }
            return http.send(request, handler);
        } catch (InterruptedException e) {
            if (sending.interrupted()) {
                throw new IOException("aborted: " + abortReason(), e);
            }
            throw e;
        } catch (IOException e) {
            // the client's failure as the cause (an HttpTimeoutException, say), in its words unless we aborted
            String aborted = abortReason();
            throw new IOException(aborted != null ? "aborted: " + aborted : failure(request, e), e);
        } finally {
            sending.finish();
            untrack(sending);
        }
    }

    /**
     * The client's failure in its words; where it has none (a refused connection, an unknown host: the JDK's
     * {@link ConnectException} says nothing, and the message read "could not be sent over http: null"), what happened,
     * with the address as readers may see it (a token in it masked).
     */
    static String failure(HttpRequest request, IOException e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        String address = ShownUrl.of(request.uri());
        if (!(e instanceof ConnectException)) {
            return e.getClass().getSimpleName() + " from " + address;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "cannot connect to " + address + ": its host name cannot be resolved";
            }
        }
        return "cannot connect to " + address + ": the connection was refused (nothing listens there?)";
    }

    /** Aborts every exchange under way and every later one. */
    void abortAll() {
        closed = true;
        for (Closeable exchange : underWay) {
            try {
                exchange.close();
            } catch (IOException e) {
                LOG.debug("aborting an HTTP exchange: {}", e.getMessage());
            }
        }
    }

    private boolean aborted() {
        return abortReason() != null;
    }

    /** Why these exchanges were aborted; null while they were not. */
    private String abortReason() {
        String wholeAborted = whole == null ? null : whole.abortReason();
        if (wholeAborted != null) {
            return wholeAborted;
        }
        return closed ? abortedBecause : null;
    }

    private void track(Closeable exchange) {
        underWay.add(exchange);
        if (whole != null) {
            whole.track(exchange);
        }
    }

    private void untrack(Closeable exchange) {
        underWay.remove(exchange);
        if (whole != null) {
            whole.untrack(exchange);
        }
    }

    private InputStream tracked(InputStream body) {
        TrackedBody tracked = new TrackedBody(body);
        track(tracked);
        if (aborted()) {
            try {
                tracked.close(); // abortAll() may have run while the headers were on their way
            } catch (IOException e) {
                LOG.debug("closing an aborted response body: {}", e.getMessage());
            }
        }
        return tracked;
    }

    /** A request being sent in {@code sender}, which aborting it interrupts while (and only while) it is sent. */
    private static final class Sending implements Closeable {
        private final Thread sender;
        private boolean finished;
        private boolean interrupted;

        Sending(Thread sender) {
            this.sender = sender;
        }

        @Override
        public synchronized void close() {
            if (!finished && !interrupted) {
                interrupted = true;
                sender.interrupt();
            }
        }

        synchronized boolean interrupted() {
            return interrupted;
        }

        /** The sending is over: an abort no longer interrupts, and the one that came too late to matter is cleared. */
        synchronized void finish() {
            finished = true;
            if (interrupted) {
                Thread.interrupted();
            }
        }
    }

    /** A response body that leaves the exchanges under way when its reader closes it. */
    private final class TrackedBody extends FilterInputStream {
        TrackedBody(InputStream body) {
            super(body);
        }

        @Override
        public void close() throws IOException {
            untrack(this);
            super.close();
        }
    }
}
