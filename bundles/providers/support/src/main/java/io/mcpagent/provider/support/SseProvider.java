package io.mcpagent.provider.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.osgi.annotation.versioning.ConsumerType;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * One configured instance of a provider family whose calls POST JSON, answered with JSON or, streamed, with
 * server-sent events (Anthropic, Cohere, Gemini, OpenAI since 2.22): what such a provider holds besides its wire
 * format, which the family's subclass keeps (mapping the request, the key's header, parsing the answer, reading the
 * events). It holds the {@link ProviderSetup} and the {@link ProviderClient} it calls through once the setup has no
 * problem; its health is the setup's while that has a problem (DOWN), else the client's (UP, or DEGRADED after a
 * refusal). A plain answer is checked as JSON before it is parsed ({@link ProviderClient#requireJson}); a streamed one
 * as an event stream ({@link ProviderClient#requireStream(ProviderHttp.Response, String, String, String)}), its
 * events each at most 16
 * MiB unless the family says otherwise, read until the stream or the answer ends ({@link StreamedAnswer#ended()}),
 * ending the stream when none brought content for the request timeout ({@link StreamProgress}), a failure to read it
 * reported to the caller's handler as the last event. Since 2.18; a {@link ProviderPlugin.Instance} since
 * 2.19, so that its component registers it with {@link ProviderPlugin#register}.
 */
@ConsumerType
public abstract class SseProvider<S extends EndpointSettings> implements ProviderPlugin.Instance {
    private static final String EVENT_STREAM = "text/event-stream";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final ProviderSetup<S> setup;
    private final String api;
    private final Function<HttpHeaders, String> requestIds;
    private final int maxEventBytes;
    /** Null while the setup has a problem: nothing is sent then. */
    private final ProviderClient client;

    /**
     * @param api             what {@code baseUrl} should name, for the errors of answers that come from elsewhere
     * @param requestIdHeader the answer header naming the vendor's request id; null when the vendor sends none
     */
    protected SseProvider(ProviderSetup<S> setup, String api, String requestIdHeader) {
        this(setup, api, requestIdHeader == null ? headers -> null
                : headers -> headers.firstValue(requestIdHeader).orElse(null), MAX_EVENT_BYTES);
    }

    /**
     * A provider whose answers name the vendor's request id in one of several headers, or whose events are bounded
     * otherwise than at 16 MiB: OpenAI's ({@code x-request-id}, Azure's {@code apim-request-id}; 8 MiB). Since 2.22.
     *
     * @param api           what {@code baseUrl} should name, for the errors of answers that come from elsewhere
     * @param requestIds    the vendor's request id from an answer's headers; null when they name none
     * @param maxEventBytes the largest stream event read, in bytes of UTF-8
     */
    protected SseProvider(ProviderSetup<S> setup, String api, Function<HttpHeaders, String> requestIds,
                          int maxEventBytes) {
        this.setup = setup;
        this.api = api;
        this.requestIds = requestIds;
        this.maxEventBytes = maxEventBytes;
        this.client = setup.problem() == null
                ? new ProviderClient(setup.providerId(), setup.settings(), setup.key(), MAX_BODY_BYTES) : null;
    }

    @Override
    public final ProviderSetup<S> setup() {
        return setup;
    }

    @Override
    public final PluginHealth health() {
        return client == null ? setup.health() : client.health();
    }

    @Override
    public final List<ModelInfo> models() {
        return setup.models();
    }

    /** The key now, masked wherever an answer's body is kept in an error. */
    protected final List<String> secrets() {
        return setup.key().secretValues();
    }

    /** {@link ProviderSetup#requireReady()}: the first step of every call, before the request is mapped. */
    protected final void requireReady() {
        setup.requireReady();
    }

    /** A POST of {@code body} to {@code uri} asking for JSON or an event stream, within the request timeout. */
    protected final HttpRequest.Builder jsonPost(URI uri, String body, boolean stream) {
        return HttpRequest.newBuilder(uri)
                .header("content-type", "application/json")
                .header("accept", stream ? EVENT_STREAM : "application/json")
                .timeout(setup.settings().requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    /** A call answered with JSON, checked as JSON before {@code answer} parses it. */
    protected final ChatResponse plainCall(HttpRequest request, ErrorMapper errors, Duration maxRetryWait,
                                           PlainAnswer answer) {
        ProviderHttp.Response<String> response = client.send(request, errors, maxRetryWait);
        String requestId = requestId(response.headers());
        client.requireJson(response, requestId, api);
        return answer.parse(response, requestId);
    }

    /**
     * A call answered with server-sent events, which the {@link StreamedAnswer} that {@code reading} starts reads in
     * order and assembles; the caller's {@code handler} gets the events it hands on.
     */
    protected final ChatResponse streamedCall(HttpRequest request, ErrorMapper errors, Duration maxRetryWait,
                                              StreamHandler handler, StreamReading reading) {
        ProviderHttp.Response<InputStream> response = client.open(request, errors, maxRetryWait);
        String requestId = requestId(response.headers());
        client.requireStream(response, EVENT_STREAM, requestId, api);
        // events without content end the stream after the request timeout, as keep-alive comments do
        StreamProgress progress = new StreamProgress(setup.settings().requestTimeout());
        StreamHandler events = progress.noting(handler);
        StreamedAnswer answer = reading.start(requestId, progress, events);
        try (InputStream body = response.body()) {
            new SseDecoder(body, maxEventBytes, progress).readAll(event -> {
                answer.onEvent(event);
                if (answer.ended()) {
                    throw new EndOfAnswer();
                }
            });
        } catch (EndOfAnswer ended) {
            // what follows the answer's end is not read: closing the body drops the connection
        } catch (IOException e) {
            String named = answer.requestId();
            ProviderError error = client.streamFailure(e, response, named == null ? requestId : named);
            events.onEvent(new StreamEvent.StreamError(error));
            throw new ProviderException(error, e);
        }
        return answer.finish(response.headers());
    }

    private String requestId(HttpHeaders headers) {
        return requestIds.apply(headers);
    }

    /** Thrown out of the decoder's callback once the answer ended, to stop reading. */
    private static final class EndOfAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EndOfAnswer() {
            super(null, null, false, false);
        }
    }

    @Override
    public final void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public final void closeWhenDone() {
        if (client != null) {
            client.closeWhenDone();
        }
    }

    /** The family's class and the setup: the id, the endpoint and whether there is a key, never the key itself. */
    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + setup + "]";
    }

    /** How a family parses a plain answer. */
    @FunctionalInterface
    public interface PlainAnswer {
        /** @param requestId the vendor's request id from its header; null when it sends none */
        ChatResponse parse(ProviderHttp.Response<String> response, String requestId);
    }

    /** Starts the reading of one streamed answer. */
    @FunctionalInterface
    public interface StreamReading {
        /**
         * @param requestId the vendor's request id from its header; null when it sends none
         * @param progress  to be told of content the answer keeps back, and to count it
         * @param events    the caller's handler, noting content for {@code progress}: where the answer's events go
         */
        StreamedAnswer start(String requestId, StreamProgress progress, StreamHandler events);
    }

    /** One streamed answer as a family reads it: its events in order, then its end. */
    @ConsumerType
    public interface StreamedAnswer {
        /** One event; one the family cannot use fails the call, reported to the handler as the last event. */
        void onEvent(SseEvent event);

        /** The answer once the events ended; a stream cut off before its answer ended fails, reported likewise. */
        ChatResponse finish(HttpHeaders headers);

        /**
         * Whether the answer ended with the event just read (OpenAI's {@code data: [DONE]}): then nothing after it is
         * read, and {@link #finish} follows at once, whether or not the server closes the stream. By default the
         * events are read until the stream ends. Since 2.22.
         */
        default boolean ended() {
            return false;
        }

        /** The request id the events named, which a failure to read the stream names; null to name the header's. */
        default String requestId() {
            return null;
        }
    }
}
