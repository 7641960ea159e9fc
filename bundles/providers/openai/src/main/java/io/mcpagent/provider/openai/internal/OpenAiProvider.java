package io.mcpagent.provider.openai.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.RateLimitInfo;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.provider.support.AccountHealth;
import io.mcpagent.provider.support.Http1Client;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.support.ProviderHttp;
import io.mcpagent.provider.support.ProviderPlugin;
import io.mcpagent.provider.support.ProviderSetup;
import io.mcpagent.provider.support.RateLimitHeaders;
import io.mcpagent.provider.support.RetryPolicy;
import io.mcpagent.provider.support.ShownUrl;
import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.StreamAssembler;
import io.mcpagent.provider.support.StreamProgress;
import io.mcpagent.provider.support.StreamContentTooLongException;
import io.mcpagent.provider.support.StreamEventTooLargeException;
import io.mcpagent.provider.support.StreamWithoutEventsException;

/**
 * One configured Chat Completions endpoint as an {@link LlmProvider}. Calls go through {@link ProviderHttp}
 * (retries honouring retry-after, interrupt = CANCELLED; a complete answer must arrive within the request timeout);
 * streams that stay silent longer than the request timeout are cut by the {@link Http1Client}'s read timeout. A
 * provider whose configuration or key is wrong answers every call with that problem (AUTH for the key) without
 * sending anything, and reports it as DOWN.
 */
final class OpenAiProvider implements ProviderPlugin.Instance {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiProvider.class);
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_SSE_EVENT_BYTES = 8 * 1024 * 1024;

    private final OpenAiSettings settings;
    private final ProviderSetup<OpenAiSettings> setup;
    private final ObjectMapper mapper;
    private final String userAgent;
    private final Http1Client client;
    private final ProviderHttp http;
    private final OpenAiErrors errors;
    private final RequestEncoder encoder;
    private final ResponseDecoder decoder;
    /** A refused account, or no server at the configured address, as the last call found, until a call succeeds. */
    private final AccountHealth lastCall = new AccountHealth();

    OpenAiProvider(OpenAiSettings settings, ObjectMapper mapper, String version) {
        this.settings = settings;
        // What ProviderPlugin reads (problem, refusal): the settings' mistakes as the setup's configuration problem.
        this.setup = ProviderSetup.resolve(settings.id(), OpenAiProviderComponent.FACTORY_PID, () -> {
            if (settings.mistakes() != null) {
                throw new IllegalArgumentException(settings.mistakes());
            }
            return settings;
        }, OpenAiSettings::key);
        this.mapper = mapper;
        this.userAgent = "mcp-agent-provider-openai/" + version;
        this.errors = new OpenAiErrors(settings.id(), () -> settings.key() == null ? null : settings.key().key(), mapper);
        this.encoder = new RequestEncoder(settings, mapper);
        this.decoder = new ResponseDecoder(settings.id(), settings.dialect().id, mapper, errors);
        RetryPolicy retry = RetryPolicy.DEFAULT.withMaxRetries(settings.maxRetries());
        if (setup.configurationProblem() == null) {
            this.client = new Http1Client(settings.connectTimeout());
            this.http = new ProviderHttp(settings.id(), client, retry, settings.requestTimeout(), MAX_BODY_BYTES);
        } else {
            this.client = null;
            this.http = null;
        }
    }

    @Override
    public ProviderSetup<OpenAiSettings> setup() {
        return setup;
    }

    /** The key's secrets even when the configuration has mistakes: a key read is masked wherever it could show. */
    @Override
    public List<String> secretValues() {
        return settings.key().secretValues();
    }

    @Override
    public List<ModelInfo> models() {
        return settings.models();
    }

    /** DOWN with the setup's problem, in the words of its log line and description; else as the last call left it. */
    @Override
    public PluginHealth health() {
        return setup.problem() != null ? setup.health() : lastCall.health();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        HttpRequest call = prepare(request, false);
        try {
            // An answer cut off in transit or too slow is asked again by ProviderHttp's retries, like a failed call.
            ProviderHttp.Response<String> response = http.send(call, errors, request.maxRetryWait());
            String requestId = requestId(response.headers());
            MalformedAnswers.requireJson(settings.id(), response, requestId, ResponseDecoder.API, errors.secrets());
            ChatResponse answer = decoder.decode(response.body(), rateLimits(response.headers()), requestId);
            lastCall.succeeded();
            return answer;
        } catch (ProviderException e) {
            throw failed(e);
        }
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        HttpRequest call = prepare(request, true);
        ProviderHttp.Response<InputStream> response;
        try {
            response = http.open(call, errors, request.maxRetryWait());
        } catch (ProviderException e) {
            throw failed(e); // nothing reached the handler: the caller may still fall back
        }
        String requestId = requestId(response.headers());
        try {
            http.requireStream(response, "text/event-stream", requestId, ResponseDecoder.API, errors.secrets());
        } catch (ProviderException e) {
            throw failed(e); // a page instead of the stream: health names it, as for a plain call
        }
        RateLimitInfo rateLimits = rateLimits(response.headers());
        // chunks without content ({"choices":[]}) end the stream after the request timeout, as comments do
        StreamProgress progress = new StreamProgress(settings.requestTimeout());
        StreamAssembler assembler = new StreamAssembler(settings.dialect().id, progress.noting(handler));
        ChunkDecoder chunks = new ChunkDecoder(assembler, decoder, errors, requestId, progress);
        try (InputStream body = response.body()) {
            try {
                new SseDecoder(body, MAX_SSE_EVENT_BYTES, progress).readAll(event -> {
                    if (chunks.accept(event.data())) {
                        throw new EndOfAnswer();
                    }
                });
            } catch (EndOfAnswer done) {
                // [DONE]: whatever follows is not read
            } catch (IOException e) {
                throw readFailure(e, response, requestId);
            }
            if (!chunks.complete()) {
                throw new ProviderException(error(Category.NETWORK,
                        "the stream ended before the answer was complete (no finish_reason, no [DONE])", requestId, true));
            }
            chunks.finish();
        } catch (ProviderException e) {
            if (chunks.started()) {
                assembler.onEvent(new StreamEvent.StreamError(e.error()));
            }
            throw failed(e);
        } catch (IOException closing) {
            LOG.debug("provider '{}': closing the stream failed: {}", settings.id(), closing.toString());
        }
        ChatResponse assembled = assembler.response(rateLimits, requestId, null);
        List<Part> parts = new ArrayList<>();
        for (Part part : assembled.message().parts()) {
            if (part instanceof ToolCallPart tool) {
                parts.add(new ToolCallPart(tool.callId(), chunks.fromProvider(tool.callId()) ? tool.callId() : null, null,
                        tool.name(), tool.argumentsJson(), Map.of()));
            } else {
                parts.add(part);
            }
        }
        if (!chunks.refusal().isEmpty()) {
            parts.add(new RefusalPart(chunks.refusal()));
        }
        lastCall.succeeded();
        return new ChatResponse(assembled.id(), assembled.model(), Message.of(Role.ASSISTANT, parts), assembled.stopReason(),
                assembled.rawStopReason(), assembled.usage(), rateLimits, requestId, null);
    }

    /** Thrown inside the SSE callback to stop reading at {@code [DONE]}. */
    private static final class EndOfAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EndOfAnswer() {
            super(null, null, false, false);
        }
    }

    private HttpRequest prepare(ChatRequest request, boolean stream) {
        try {
            setup.requireReady();
        } catch (ProviderException notReady) {
            throw failed(notReady);
        }
        String model = request.model() != null && !request.model().isBlank() ? request.model().trim() : settings.defaultModel();
        if (model == null) {
            throw new ProviderException(error(Category.INVALID_REQUEST, "the request names no model and none is configured",
                    null, false));
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(encoder.encode(request, model, stream));
        } catch (JsonProcessingException e) {
            throw new ProviderException(error(Category.INVALID_REQUEST, "cannot write the request: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()),
                    null, false), e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.chatUri(model)).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String key = settings.key() == null ? null : settings.key().key();
        if (key != null) {
            switch (settings.auth()) {
                case BEARER -> builder.header("Authorization", "Bearer " + key);
                case API_KEY -> builder.header("api-key", key);
                case NONE -> { }
            }
        }
        settings.headers().forEach(builder::header);
        if (LOG.isDebugEnabled()) {
            LOG.debug("provider '{}': {} {} ({} bytes, stream={})", settings.id(), model, settings.chatUri(model), body.length, stream);
        }
        return builder.build();
    }

    private ProviderException readFailure(IOException e, ProviderHttp.Response<InputStream> response, String requestId) {
        if (Thread.currentThread().isInterrupted()) {
            return new ProviderException(error(Category.CANCELLED, "call cancelled", requestId, false), e);
        }
        if (e instanceof StreamEventTooLargeException || e instanceof StreamContentTooLongException
                || e instanceof StreamWithoutEventsException) {
            return new ProviderException(http.streamFailure(e, response, requestId), e);
        }
        if (e instanceof HttpTimeoutException) {
            return new ProviderException(timeout(requestId), e);
        }
        return new ProviderException(error(Category.NETWORK, "the connection broke while reading the answer: " + e,
                requestId, true), e);
    }

    private ProviderError timeout(String requestId) {
        return error(Category.TIMEOUT, "no data for " + settings.requestTimeout().toMillis() + " ms while reading the answer",
                requestId, true);
    }

    private ProviderException failed(ProviderException failure) {
        lastCall.noted(failure);
        LOG.debug("provider '{}': {}", settings.id(), failure.getMessage());
        return failure;
    }

    private static String requestId(HttpHeaders headers) {
        return headers.firstValue("x-request-id").or(() -> headers.firstValue("apim-request-id")).orElse(null);
    }

    /** OpenAI's full set of headers, or Azure's remaining-only ones (negative placeholders dropped). */
    static RateLimitInfo rateLimits(HttpHeaders headers) {
        RateLimitInfo info = RateLimitHeaders.parse(headers, Instant.now());
        if (info != null) {
            return info;
        }
        Long requests = count(headers, "x-ratelimit-remaining-requests");
        Long tokens = count(headers, "x-ratelimit-remaining-tokens");
        return requests == null && tokens == null ? null
                : new RateLimitInfo(null, requests, null, null, tokens, null, null, null);
    }

    private static Long count(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(String::trim).map(Long::parseLong).filter(v -> v >= 0).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ProviderError error(Category category, String message, String requestId, boolean retryable) {
        return new ProviderError(category, 0, null, null, "provider '" + settings.id() + "': " + message, requestId, null,
                retryable, null);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + settings.id() + ", " + settings.dialect().id + ", "
                + (settings.baseUri() == null ? null : ShownUrl.of(settings.baseUri())) + "]";
    }
}
