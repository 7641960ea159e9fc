package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.mcp.internal.McpServerComponent;
import io.mcpagent.provider.support.ShownUrl;
import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.SseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * MCP Streamable HTTP. Each message is a POST; the answer is 202 (notifications), a JSON body, or an event
 * stream that is read on a virtual thread. A stream that ends before the response arrived is resumed with
 * GET and {@code Last-Event-ID} after exactly the {@code retry} the server announced. Legacy-era sessions
 * ({@code Mcp-Session-Id}) are captured, echoed, detected as expired (404, or 400 naming the session), and
 * deleted on close; they also get the standalone GET stream for server-initiated messages (405 = none), which a call
 * that may make the server ask something waits for.
 */
public final class StreamableHttpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpTransport.class);
    private static final long DEFAULT_RETRY_MILLIS = 1000;
    private static final int MAX_RESUMPTIONS = 5;
    /** Step-up and refresh are bounded: a server that keeps refusing new tokens is an error, not a loop. */
    private static final int MAX_AUTH_RETRIES = 3;
    /** How long the session DELETE sent on close may take, its response body too; its owner's shutdown waits as long. */
    public static final Duration SESSION_DELETE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long after the GET stream was opened a call waits for it to be answered. A server that holds the GET's
     * headers back until its first event delays the calls of its first seconds by as much, so it is short.
     */
    static final Duration GET_STREAM_WAIT = Duration.ofSeconds(2);
    /** The requests during which a server may ask the client something (the methods input_required is allowed on). */
    private static final Set<String> MAY_ASK = Set.of("tools/call", "prompts/get", "resources/read");

    private final String serverId;
    private final URI endpoint;
    private final Map<String, String> headers;
    private final HttpClient http;
    /** What close() aborts: the POSTs and GETs under way, and the bodies being read. */
    private final HttpExchanges exchanges;
    private final ObjectMapper mapper;
    private final int maxMessageBytes;
    private final Duration connectTimeout;
    private volatile Inbound inbound;
    private volatile String sessionId;
    /**
     * The server no longer knows our session, and no new one is established yet: a request other than initialize is not
     * sent without one (the server would refuse it), but fails as the expired session did, to wait for the new one.
     */
    private volatile boolean sessionLost;
    /**
     * Held to take a session from the initialize response and to drop an expired one, so that the late expiry of an old
     * session (a request sent under it answered only after a renewal) cannot drop the new one.
     */
    private final Object sessionChange = new Object();
    private volatile String protocolVersion;
    private volatile boolean closed;
    private volatile Thread getStream;
    private volatile GetStreamOpening getStreamOpening;
    private volatile InputStream getStreamBody;
    private volatile Authorizer authorizer;
    private volatile SessionDeletes sessionDeletes = new SessionDeletes();
    private volatile Collection<String> heldSecrets = List.of();
    private volatile String configuredIn;

    public StreamableHttpTransport(String serverId, URI endpoint, Map<String, String> headers, HttpClient http,
                                   ObjectMapper mapper, int maxMessageBytes, Duration connectTimeout) {
        this.serverId = serverId;
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.http = http;
        this.exchanges = new HttpExchanges(http);
        this.mapper = mapper;
        this.maxMessageBytes = maxMessageBytes;
        this.connectTimeout = connectTimeout;
        this.configuredIn = McpServerComponent.file(serverId);
    }

    @Override
    public void start(Inbound inbound) {
        this.inbound = inbound;
    }

    /**
     * Where the server's configuration is changed, which a message over {@code maxMessageBytes} names: its file in
     * etc/ unless told otherwise, such as the configuration of a server made in the Web Console.
     */
    public StreamableHttpTransport configuredIn(String place) {
        this.configuredIn = place;
        return this;
    }

    /** Protects requests with OAuth tokens; null for open servers. */
    public StreamableHttpTransport authorizer(Authorizer value) {
        this.authorizer = value;
        return this;
    }

    /**
     * The server's secret values (its credential headers, its {@code ${env:}} values), masked with the patterns in
     * what it sends that is logged: a server may echo the token it was sent.
     */
    /** Where the session DELETE sent on close is counted, for the owner of the HTTP client to wait for. */
    public StreamableHttpTransport sessionDeletes(SessionDeletes value) {
        this.sessionDeletes = value;
        return this;
    }

    public StreamableHttpTransport heldSecrets(Collection<String> values) {
        this.heldSecrets = List.copyOf(values);
        return this;
    }

    @Override
    public void protocolVersion(String version) {
        this.protocolVersion = version;
    }

    @Override
    public void resetSession() {
        sessionLost = true;
        sessionId = null;
        stopGetStream();
    }

    /** The GET stream being opened: {@code answered} is counted down once the server answered it or it failed. */
    private record GetStreamOpening(CountDownLatch answered, long startedNanos) {
    }

    /**
     * Opens the GET stream; the handshake does not wait for it, the calls that need it do ({@link #awaitGetStream}),
     * and only when {@code serverMayAsk}: else no request of the server can come on it.
     * {@code sessionLost} is left alone: the initialize response cleared it, and an expiry of the new session met
     * since stands (cleared here, calls went out without a session).
     */
    @Override
    public void sessionEstablished(boolean serverMayAsk) {
        if (getStream == null && !closed) {
            CountDownLatch answered = new CountDownLatch(1);
            getStreamOpening = serverMayAsk ? new GetStreamOpening(answered, System.nanoTime()) : null;
            startGetStream(answered);
        }
    }

    /**
     * Holds a call that may make the server ask something until the GET stream is answered, at most
     * {@link #GET_STREAM_WAIT} after it was opened and not past the {@code deadline} of its sending. A server may send a
     * request it makes during a call (an elicitation, say) on that stream rather than on the call's, and drops it while
     * no GET stream is open (the TypeScript SDK does, without an event store). Waiting here rather than in the handshake keeps handshakes and listings as fast as the
     * server answers them, and gives the GET stream all the time until the first such call.
     */
    private void awaitGetStream(ObjectNode message, long deadline) throws IOException {
        GetStreamOpening opening = getStreamOpening;
        if (opening == null || opening.answered().getCount() == 0 || !message.has("id")
                || !MAY_ASK.contains(message.path("method").asText())) {
            return;
        }
        long left = Math.min(GET_STREAM_WAIT.toNanos() - (System.nanoTime() - opening.startedNanos()),
                deadline - System.nanoTime());
        try {
            if (left > 0 && !opening.answered().await(left, TimeUnit.NANOSECONDS)) {
                LOG.debug("MCP server '{}' did not answer the GET stream within {} ms; sending without it", serverId,
                        GET_STREAM_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the GET stream of "
                    + ShownUrl.of(endpoint));
        }
    }

    /**
     * Sends within the outgoing timeout in all: the wait for the GET stream, each POST and each OAuth challenge of a
     * 401 or 403 take from it, so that a call's timeout covers its sending ({@link SendingTimedOutException} past it).
     */
    @Override
    public Exchange send(ObjectNode message, Outgoing outgoing) throws IOException {
        Duration timeout = outgoing.timeout() != null ? outgoing.timeout() : connectTimeout;
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitGetStream(message, deadline);
        if (closed) {
            throw new IOException("transport closed");
        }
        for (int attempt = 0; ; attempt++) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new SendingTimedOutException(attempt == 0 ? "it waited for the GET stream of its session"
                        : "its OAuth challenge took all of that time");
            }
            Authorizer auth = authorizer;
            String authorization = auth == null ? null : auth.authorization().orElse(null);
            try {
                return sendOnce(message, outgoing, authorization, left, deadline, timeout);
            } catch (HttpStatusException refused) {
                if (auth == null || (refused.status() != 401 && refused.status() != 403) || attempt >= MAX_AUTH_RETRIES
                        || !auth.challenge(refused.status(), refused.wwwAuthenticate(), authorization, endpoint,
                                exchanges, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    throw refused;
                }
            }
        }
    }

    /**
     * One POST with the {@code authorization} header value (none when null), whose response headers come within
     * {@code left} and an error body before the {@code deadline} of the sending's {@code timeout}.
     */
    private Exchange sendOnce(ObjectNode message, Outgoing outgoing, String authorization, Duration left, long deadline,
                              Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(message)))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        HttpSupport.addConfiguredHeaders(request, headers);
        outgoing.headers().forEach(request::header);
        String session = sessionId;
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        } else if (sessionLost && message.has("id") && message.has("method")
                && !message.path("method").asText().equals("initialize")) {
            throw new SessionExpiredException("the session expired and a new one is not established yet");
        }
        if (protocolVersion != null) {
            request.header("MCP-Protocol-Version", protocolVersion);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.timeout(left);
        HttpResponse<InputStream> response;
        try {
            response = exchanges.send(request.build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending to " + ShownUrl.of(endpoint));
        } catch (IOException e) {
            if (e.getCause() instanceof HttpTimeoutException timedOut
                    && !(timedOut instanceof HttpConnectTimeoutException)) {
                throw new AnswerTimedOutException("no response headers within " + left.toMillis() + " ms", e);
            }
            throw e;
        }
        JsonNode requestId = message.get("id");
        int status = response.statusCode();
        if (session == null && status >= 200 && status < 300 && message.path("method").asText().equals("initialize")) {
            // The session is assigned on the initialize response (none: the server keeps none). Taken from any
            // response, the late answer to a request sent under an expired session, repeating its id as SDK servers
            // do, put that session back in place of its renewal.
            synchronized (sessionChange) {
                sessionId = response.headers().firstValue("mcp-session-id").orElse(null);
                sessionLost = false;
            }
        }
        if (status == 202 || status == 204) {
            response.body().close();
            return Exchange.DONE;
        }
        if (status >= 200 && status < 300) {
            String type = HttpSupport.contentType(response);
            if (type.startsWith("text/event-stream")) {
                return readEventStreamAsync(response.body(), requestId);
            }
            return readJsonAsync(response.body(), requestId, status);
        }
        String body = HttpSupport.snippet(response.body(), deadline, timeout);
        if (session != null && (status == 404 || (status == 400 && body.toLowerCase().contains("session")))) {
            synchronized (sessionChange) {
                if (session.equals(sessionId)) { // else renewed already: the request is sent again under the new one
                    sessionLost = true; // first: a request that finds no session must know it is lost
                    sessionId = null;
                }
            }
            throw new SessionExpiredException("session " + session + " no longer known to the server (HTTP " + status + ")");
        }
        // A JSON-RPC error in a 4xx body (modern servers answer -32022 this way) is an answer like any other.
        JsonNode error = parseQuietly(body);
        if (error != null && error.has("error") && sameId(requestId, error.get("id"))) {
            inbound.onMessage(error);
            return Exchange.DONE;
        }
        throw new HttpStatusException(status, body, response.headers().firstValue("www-authenticate").orElse(null));
    }

    private void authorize(HttpRequest.Builder request) {
        Authorizer auth = authorizer;
        if (auth != null) {
            auth.authorization().ifPresent(value -> request.header("Authorization", value));
        }
    }

    /**
     * Reads a JSON answer on a virtual thread, as an event stream is read: a body the server stalls would otherwise
     * hold the caller past its call's timeout, which only starts once the send returns.
     */
    private Exchange readJsonAsync(InputStream body, JsonNode requestId, int status) {
        Thread.ofVirtual().name("mcp-" + serverId + "-post-json").start(() -> {
            try {
                deliverJson(HttpSupport.readBounded(body, configuredIn, maxMessageBytes), requestId, status);
            } catch (MessageTooLargeException tooLarge) {
                failOversized(requestId, tooLarge);
            } catch (IOException e) {
                if (requestId != null) {
                    inbound.onSendFailed(requestId, e); // a call cancelled or cut off meanwhile has no one to tell
                } else {
                    LOG.debug("JSON answer from MCP server '{}' not read: {}", serverId, e.getMessage());
                }
            }
        });
        return () -> closeAbandoned(body);
    }

    /**
     * Delivers the messages of a JSON answer. A request's answer must hold its response: one that does not (not JSON,
     * another id, no result or error) fails the call at once, saying what came, rather than leaving it to time out.
     */
    private void deliverJson(byte[] body, JsonNode requestId, int status) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException notJson) {
            node = null;
        }
        boolean answered = false;
        if (node != null && (node.isObject() || node.isArray())) {
            for (JsonNode message : node.isArray() ? node : List.of(node)) {
                answered |= sameId(requestId, message.get("id")) && (message.has("result") || message.has("error"));
                inbound.onMessage(message);
            }
        }
        if (requestId != null && !answered) {
            String text = new String(body, StandardCharsets.UTF_8);
            String shown = body.length == 0 ? "an empty body"
                    : "'" + StdioTransport.abbreviate(ServerText.masked(text, heldSecrets)) + "'";
            String what = node == null ? "JSON" : "the JSON-RPC response to request " + requestId;
            inbound.onSendFailed(requestId, new IOException("the server answered HTTP " + status + " with "
                    + shown + ", not " + what));
        }
    }

    /** Ids compare by value: a server may echo 1 as an int where we sent a long. */
    private static boolean sameId(JsonNode sent, JsonNode received) {
        return sent != null && received != null && !received.isNull() && sent.asText().equals(received.asText());
    }

    private JsonNode parseQuietly(String body) {
        try {
            return body.isEmpty() ? null : mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private Exchange readEventStreamAsync(InputStream body, JsonNode requestId) {
        AtomicBoolean cancelled = new AtomicBoolean();
        HttpExchanges resumptions = exchanges.part();
        Thread.ofVirtual().name("mcp-" + serverId + "-post-stream").start(() -> {
            AtomicBoolean answered = new AtomicBoolean();
            Consumer<JsonNode> deliver = message -> {
                if (sameId(requestId, message.get("id")) && (message.has("result") || message.has("error"))) {
                    answered.set(true);
                }
                inbound.onMessage(message);
            };
            SseDecoder reader = HttpSupport.sseDecoder(body, configuredIn, maxMessageBytes);
            try (body) {
                reader.readAll(event -> dispatch(event, deliver));
            } catch (MessageTooLargeException tooLarge) {
                // resuming would replay the same event: the call fails as it does for an oversized JSON body
                failOversized(requestId, tooLarge);
                return;
            } catch (IOException e) {
                if (!cancelled.get()) {
                    LOG.debug("event stream from MCP server '{}' broke: {}", serverId, e.getMessage());
                }
            } catch (RuntimeException e) {
                readerFailed("a response event stream", e);
                return;
            }
            if (requestId == null || answered.get() || cancelled.get() || closed) {
                return;
            }
            resume(reader.lastEventId(), reader.retryMillis(), requestId, answered, deliver, cancelled, resumptions);
        });
        return () -> {
            cancelled.set(true);
            resumptions.abortAll();
            closeAbandoned(body);
        };
    }

    /**
     * Resumes a broken response stream: GET with Last-Event-ID after the announced retry delay. The GETs are among
     * {@code resumptions}, which the call's cancellation aborts.
     */
    private void resume(String lastEventId, long retryMillis, JsonNode requestId, AtomicBoolean answered,
                        Consumer<JsonNode> deliver, AtomicBoolean cancelled, HttpExchanges resumptions) {
        String eventId = lastEventId;
        long retry = retryMillis >= 0 ? retryMillis : DEFAULT_RETRY_MILLIS;
        for (int attempt = 0; eventId != null && attempt < MAX_RESUMPTIONS; attempt++) {
            try {
                Thread.sleep(retry);
                if (cancelled.get() || closed) {
                    return; // nobody waits for the answer any more
                }
                HttpResponse<InputStream> response = openGet(eventId, resumptions);
                if (response.statusCode() != 200) {
                    HttpSupport.snippet(response.body());
                    break;
                }
                SseDecoder reader = HttpSupport.sseDecoder(response.body(), configuredIn, maxMessageBytes);
                try (InputStream body = response.body()) {
                    reader.readAll(event -> dispatch(event, deliver));
                } catch (MessageTooLargeException tooLarge) {
                    failOversized(requestId, tooLarge);
                    return;
                } catch (IOException e) {
                    LOG.debug("resumed stream from MCP server '{}' broke: {}", serverId, e.getMessage());
                } catch (RuntimeException e) {
                    readerFailed("a resumed response event stream", e);
                    return;
                }
                if (answered.get() || cancelled.get() || closed) {
                    return;
                }
                eventId = reader.lastEventId() != null ? reader.lastEventId() : eventId;
                retry = reader.retryMillis() >= 0 ? reader.retryMillis() : retry;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                if (cancelled.get() || closed) {
                    return; // the GET was aborted: nobody waits for the answer any more
                }
                LOG.debug("resuming the stream of MCP server '{}' failed: {}", serverId, e.getMessage());
            }
        }
        inbound.onSendFailed(requestId, new IOException("the response stream ended before the response arrived"
                + (lastEventId == null ? " (no event id to resume from)" : " and could not be resumed")));
    }

    /**
     * A fault in reading a stream, not the server's: the connection ends, with it as the cause. Escaping, it ended the
     * reader unreported, the connection looking open while the messages on that stream went unread.
     */
    private void readerFailed(String stream, RuntimeException fault) {
        if (!closed) {
            inbound.onClosed(new IOException("reading " + stream + " failed: " + fault, fault));
        }
    }

    private void failOversized(JsonNode requestId, MessageTooLargeException tooLarge) {
        if (requestId == null) {
            LOG.warn("MCP server '{}': {}", serverId, tooLarge.getMessage());
        } else {
            inbound.onSendFailed(requestId, tooLarge);
        }
    }

    private void dispatch(SseEvent event, Consumer<JsonNode> deliver) {
        JsonNode message = HttpSupport.parseEventData(mapper, event);
        if (message == null) {
            if ("message".equals(event.event()) && !event.data().isBlank()) {
                LOG.warn("MCP server '{}' sent an event that is not JSON (ignored): {}", serverId,
                        StdioTransport.abbreviate(ServerText.masked(event.data(), heldSecrets)));
            }
            return;
        }
        if (message.isArray()) {
            message.forEach(deliver);
        } else {
            deliver.accept(message);
        }
    }

    private HttpResponse<InputStream> openGet(String lastEventId, HttpExchanges among)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).GET().header("Accept", "text/event-stream");
        HttpSupport.addConfiguredHeaders(request, headers);
        String session = sessionId;
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        if (protocolVersion != null) {
            request.header("MCP-Protocol-Version", protocolVersion);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        authorize(request);
        return among.send(request.build());
    }

    /** {@code answered} is counted down once the first GET is answered or has failed, or the stream ends. */
    private void startGetStream(CountDownLatch answered) {
        getStream = Thread.ofVirtual().name("mcp-" + serverId + "-get-stream").start(() -> {
            try {
                listenOnGetStream(answered);
            } finally {
                answered.countDown();
            }
        });
    }

    private void listenOnGetStream(CountDownLatch answered) {
        String lastEventId = null;
        long retry = DEFAULT_RETRY_MILLIS;
        int failures = 0;
        while (!closed && !Thread.currentThread().isInterrupted()) {
            try {
                HttpResponse<InputStream> response = openGet(lastEventId, exchanges);
                answered.countDown();
                int status = response.statusCode();
                if (status != 200 || !HttpSupport.contentType(response).startsWith("text/event-stream")) {
                    HttpSupport.snippet(response.body());
                    // 405: the server offers no GET stream; 404/400: session gone, the next request renews it.
                    LOG.debug("MCP server '{}' GET stream: HTTP {}; not listening", serverId, status);
                    return;
                }
                getStreamBody = response.body();
                SseDecoder reader = HttpSupport.sseDecoder(response.body(), configuredIn, maxMessageBytes);
                try (InputStream body = response.body()) {
                    reader.readAll(event -> dispatch(event, inbound::onMessage));
                }
                lastEventId = reader.lastEventId() != null ? reader.lastEventId() : lastEventId;
                retry = reader.retryMillis() >= 0 ? reader.retryMillis() : retry;
                failures = 0;
            } catch (IOException e) {
                answered.countDown();
                failures++;
                LOG.debug("GET stream of MCP server '{}' failed: {}", serverId, e.getMessage());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                answered.countDown();
                readerFailed("the GET event stream", e); // reopening would meet it again
                return;
            }
            try {
                Thread.sleep(Math.min(30_000, retry * (1L << Math.min(failures, 5))));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void stopGetStream() {
        Thread stream = getStream;
        getStream = null;
        getStreamOpening = null;
        if (stream != null) {
            stream.interrupt();
            InputStream body = getStreamBody;
            if (body != null) {
                closeAbandoned(body);
            }
        }
    }

    /** Closes a body whose reader is no longer wanted; closing is what ends its reading. */
    private static void closeAbandoned(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the reader ends either way
        }
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public void close() {
        closed = true;
        exchanges.abortAll();
        stopGetStream();
        String session = sessionId;
        if (session != null) {
            deleteSession(session);
        }
    }

    /**
     * Sent on a virtual thread of its own, counted in {@link #sessionDeletes}, and given up once the whole exchange,
     * its response body too, took {@link #SESSION_DELETE_TIMEOUT}: the closer may be the health check, a deactivation or a reconnect holding the
     * connection lock, and a server that does not answer must not hold it. Sent with {@link HttpClient#send}, as
     * every other request, not sendAsync, whose completion waits for a worker of the common pool (see
     * {@link HttpExchanges#send}).
     */
    private void deleteSession(String session) {
        HttpRequest.Builder delete = HttpRequest.newBuilder(endpoint).DELETE()
                .header("Mcp-Session-Id", session).timeout(SESSION_DELETE_TIMEOUT);
        HttpSupport.addConfiguredHeaders(delete, headers);
        if (protocolVersion != null) {
            delete.header("MCP-Protocol-Version", protocolVersion);
        }
        authorize(delete); // an OAuth-protected server refuses a DELETE without the token and keeps the session
        HttpRequest request = delete.build();
        sessionDeletes.start(Thread.ofVirtual().name("mcp-" + serverId + "-session-delete"), SESSION_DELETE_TIMEOUT,
                () -> {
                    try {
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                    } catch (IOException failure) {
                        LOG.debug("DELETE of session at MCP server '{}' failed: {}", serverId, failure.getMessage());
                    } catch (InterruptedException cutOff) {
                        LOG.debug("DELETE of session at MCP server '{}' given up: not done within {}", serverId,
                                SESSION_DELETE_TIMEOUT);
                    }
                });
    }
}
