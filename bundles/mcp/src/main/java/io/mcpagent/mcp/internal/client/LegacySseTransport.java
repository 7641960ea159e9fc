package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.mcp.internal.McpServerComponent;
import io.mcpagent.provider.support.ShownUrl;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The HTTP+SSE transport of protocol 2024-11-05, the oldest fallback: a GET opens an event stream whose first
 * {@code endpoint} event names where to POST; every answer comes back over that stream.
 */
public final class LegacySseTransport implements Transport {
    private final String serverId;
    private final URI url;
    private final Map<String, String> headers;
    /** What close() aborts: the event stream, and the POSTs under way. */
    private final HttpExchanges exchanges;
    private final ObjectMapper mapper;
    private final int maxMessageBytes;
    private final Duration connectTimeout;
    private volatile URI postEndpoint;
    private volatile Inbound inbound;
    private volatile boolean closed;
    private volatile String configuredIn;

    public LegacySseTransport(String serverId, URI url, Map<String, String> headers, HttpClient http,
                              ObjectMapper mapper, int maxMessageBytes, Duration connectTimeout) {
        this.serverId = serverId;
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.exchanges = new HttpExchanges(http);
        this.mapper = mapper;
        this.maxMessageBytes = maxMessageBytes;
        this.connectTimeout = connectTimeout;
        this.configuredIn = McpServerComponent.file(serverId);
    }

    /**
     * Where the server's configuration is changed, which a message over {@code maxMessageBytes} names: its file in
     * etc/ unless told otherwise, such as the configuration of a server made in the Web Console.
     */
    public LegacySseTransport configuredIn(String place) {
        this.configuredIn = place;
        return this;
    }

    @Override
    public void start(Inbound inbound) throws IOException {
        this.inbound = inbound;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().header("Accept", "text/event-stream");
        HttpSupport.addConfiguredHeaders(request, headers);
        HttpResponse<InputStream> response;
        try {
            response = exchanges.send(request.timeout(connectTimeout).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting to " + ShownUrl.of(url));
        }
        if (response.statusCode() != 200 || !HttpSupport.contentType(response).startsWith("text/event-stream")) {
            throw new HttpStatusException(response.statusCode(),
                    HttpSupport.snippet(response.body(), connectTimeout));
        }
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread.ofVirtual().name("mcp-" + serverId + "-sse").start(() -> {
            Exception cause = null;
            IOException readerFailure = null;
            try (InputStream body = response.body()) {
                HttpSupport.sseDecoder(body, configuredIn, maxMessageBytes).readAll(event -> {
                    if ("endpoint".equals(event.event())) {
                        try {
                            endpoint.complete(url.resolve(event.data().strip()));
                        } catch (IllegalArgumentException noUrl) {
                            // Escaping, it ended this reader unreported (the connect waited out its timeout), and its
                            // message quotes the endpoint whole, the session in its query with it.
                            endpoint.completeExceptionally(new IOException("the 'endpoint' event names no URL: "
                                    + (noUrl.getCause() instanceof URISyntaxException syntax
                                            ? ShownUrl.unparsable(syntax) : "unparsable")));
                        }
                        return;
                    }
                    JsonNode message = HttpSupport.parseEventData(mapper, event);
                    if (message != null && message.isObject()) {
                        inbound.onMessage(message);
                    } else if (message != null && message.isArray()) {
                        message.forEach(inbound::onMessage);
                    }
                });
            } catch (IOException e) {
                cause = e;
            } catch (RuntimeException e) {
                // a fault in reading: escaping, it ended this reader unreported and the connection looked open
                readerFailure = new IOException("reading the event stream failed: " + e, e);
            }
            endpoint.completeExceptionally(new IOException("event stream ended before the endpoint event"));
            inbound.onClosed(closed ? null : cause instanceof MessageTooLargeException tooLarge
                    ? tooLarge // the server is fine; its message broke our limit, in the words the others use
                    : readerFailure != null ? readerFailure
                    : new IOException("event stream closed" + (cause == null ? "" : ": " + cause.getMessage())));
        });
        try {
            postEndpoint = endpoint.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new java.io.InterruptedIOException("interrupted while waiting for the endpoint event");
        } catch (ExecutionException e) {
            close();
            throw new IOException("no 'endpoint' event from " + ShownUrl.of(url) + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IOException("no 'endpoint' event from " + ShownUrl.of(url) + " within " + connectTimeout.toMillis() + " ms"
                    + " (is this a legacy HTTP+SSE server?)");
        }
        if (!postEndpoint.getScheme().equals(url.getScheme()) || !postEndpoint.getAuthority().equals(url.getAuthority())) {
            close();
            throw new IOException("endpoint event points to another origin: " + ShownUrl.of(postEndpoint));
        }
    }

    /**
     * Posts the message. A request's answer comes over the event stream, so its POST is not waited for (a server may
     * hold it until after the answer, or longer): it goes on in the background, and its failure fails the request
     * through {@link Inbound#onSendFailed}; cancelling the exchange aborts it. Notifications and our answers are posted
     * before this returns, as their failures have no request to fail.
     */
    @Override
    public Exchange send(ObjectNode message, Outgoing outgoing) throws IOException {
        URI target = postEndpoint;
        if (target == null || closed) {
            throw new IOException("transport not connected");
        }
        Duration timeout = outgoing.timeout() != null ? outgoing.timeout() : connectTimeout;
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(message)))
                .header("Content-Type", "application/json")
                .timeout(timeout);
        HttpSupport.addConfiguredHeaders(request, headers);
        JsonNode requestId = message.get("id");
        if (requestId == null || !message.has("method")) {
            post(exchanges, request.build(), target, timeout);
            return Exchange.DONE;
        }
        HttpExchanges posting = exchanges.part();
        Thread.ofVirtual().name("mcp-" + serverId + "-post").start(() -> {
            try {
                post(posting, request.build(), target, timeout);
            } catch (AnswerTimedOutException e) {
                // the request's own time decides; an answer already in, or still to come, is its result
            } catch (IOException e) {
                inbound.onSendFailed(requestId, e); // a request cancelled or cut off meanwhile has no one to tell
            }
        });
        return posting::abortAll;
    }

    private void post(HttpExchanges through, HttpRequest request, URI target, Duration timeout) throws IOException {
        try {
            HttpResponse<InputStream> response = through.send(request);
            String body = HttpSupport.snippet(response.body(), timeout);
            if (response.statusCode() / 100 != 2) {
                throw new HttpStatusException(response.statusCode(), body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending to " + ShownUrl.of(target));
        } catch (IOException e) {
            if (e.getCause() instanceof HttpTimeoutException timedOut
                    && !(timedOut instanceof HttpConnectTimeoutException)) {
                // the server has the request; its answer comes, if at all, over the event stream
                throw new AnswerTimedOutException("no response headers within " + timeout.toMillis() + " ms", e);
            }
            throw e;
        }
    }

    @Override
    public String kind() {
        return "sse";
    }

    @Override
    public void close() {
        closed = true;
        exchanges.abortAll();
    }
}
