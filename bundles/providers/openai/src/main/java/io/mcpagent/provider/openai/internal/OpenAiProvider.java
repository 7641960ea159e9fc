package io.mcpagent.provider.openai.internal;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
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
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ProviderSetup;
import io.mcpagent.provider.support.RateLimitHeaders;
import io.mcpagent.provider.support.SseEvent;
import io.mcpagent.provider.support.SseProvider;
import io.mcpagent.provider.support.StreamAssembler;
import io.mcpagent.provider.support.StreamProgress;

/**
 * One configured Chat Completions endpoint as an {@link LlmProvider}, on the support bundle's {@link SseProvider}:
 * calls go through its client (retries honouring retry-after, interrupt = CANCELLED; a complete answer must arrive
 * within the request timeout), a stream ends at {@code data: [DONE]} (nothing after it is read) and when it brought no
 * content for the request timeout. A provider whose configuration or key is wrong answers every call with that problem
 * (AUTH for the key) without sending anything, and reports it as DOWN.
 */
final class OpenAiProvider extends SseProvider<OpenAiSettings> {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiProvider.class);
    private static final int MAX_SSE_EVENT_BYTES = 8 * 1024 * 1024;

    private final OpenAiSettings settings;
    private final ObjectMapper mapper;
    private final String userAgent;
    private final OpenAiErrors errors;
    private final RequestEncoder encoder;
    private final ResponseDecoder decoder;

    /** The provider of file {@code etc/io.mcpagent.provider.openai~<the settings' id>.cfg.json}. */
    OpenAiProvider(OpenAiSettings settings, ObjectMapper mapper, String version) {
        this(FactoryInstanceId.ofFile(OpenAiProviderComponent.FACTORY_PID, settings.id()), settings, mapper, version);
    }

    /** The provider of the configuration that {@code instance} names. */
    OpenAiProvider(FactoryInstanceId instance, OpenAiSettings settings, ObjectMapper mapper, String version) {
        super(setup(instance, settings), ResponseDecoder.API, OpenAiProvider::requestId, MAX_SSE_EVENT_BYTES);
        this.settings = settings;
        this.mapper = mapper;
        this.userAgent = "mcp-agent-provider-openai/" + version;
        this.errors = new OpenAiErrors(settings.id(), () -> settings.key() == null ? null : settings.key().key(), mapper);
        this.encoder = new RequestEncoder(settings, mapper);
        this.decoder = new ResponseDecoder(settings.id(), settings.dialect().id, mapper, errors);
    }

    /** What ProviderPlugin and SseProvider read (problem, refusal): the settings' mistakes as the setup's problem. */
    private static ProviderSetup<OpenAiSettings> setup(FactoryInstanceId instance, OpenAiSettings settings) {
        return ProviderSetup.resolve(instance, () -> {
            if (settings.mistakes() != null) {
                throw new IllegalArgumentException(settings.mistakes());
            }
            return settings;
        }, OpenAiSettings::key);
    }

    /** The key's secrets even when the configuration has mistakes: a key read is masked wherever it could show. */
    @Override
    public List<String> secretValues() {
        return settings.key().secretValues();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        // An answer cut off in transit or too slow is asked again by the client's retries, like a failed call.
        try {
            return plainCall(prepare(request, false), errors, request.maxRetryWait(), (response, requestId) ->
                    decoder.decode(response.body(), rateLimits(response.headers()), requestId));
        } catch (ProviderException e) {
            throw namingTheModel(e, request);
        }
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        try {
            return streamedCall(prepare(request, true), errors, request.maxRetryWait(), handler,
                    (requestId, progress, events) -> new Answer(requestId, progress, events));
        } catch (ProviderException e) {
            throw namingTheModel(e, request);
        }
    }

    /**
     * A NOT_FOUND failure with the model asked for named, unless the server's message names it: Azure's
     * DeploymentNotFound says only that "the API deployment for this resource does not exist".
     */
    private ProviderException namingTheModel(ProviderException failure, ChatRequest request) {
        ProviderError error = failure.error();
        String model = model(request);
        if (error.category() != Category.NOT_FOUND || model == null || error.message().contains(model)) {
            return failure;
        }
        String named = error.message() + " (" + (settings.dialect() == Dialect.AZURE ? "deployment" : "model") + " '"
                + model + "')";
        ProviderException renamed = new ProviderException(new ProviderError(error.category(), error.httpStatus(),
                error.providerType(), error.providerCode(), named, error.requestId(), error.retryAfter(),
                error.retryable(), error.rawBody()), failure.getCause(), failure.billed(), failure.billedCost());
        renamed.setStackTrace(failure.getStackTrace());
        return renamed;
    }

    /** The model a request is sent to: its own, or the configured default; null when neither is given. */
    private String model(ChatRequest request) {
        return request.model() != null && !request.model().isBlank() ? request.model().trim()
                : settings.defaultModel();
    }

    /** One streamed answer: its chunks decoded into the caller's events, assembled once it ended. */
    private final class Answer implements StreamedAnswer {
        private final String requestId;
        private final StreamAssembler assembler;
        private final ChunkDecoder chunks;
        private boolean done;

        Answer(String requestId, StreamProgress progress, StreamHandler events) {
            this.requestId = requestId;
            // chunks without content ({"choices":[]}) end the stream after the request timeout, as comments do
            this.assembler = new StreamAssembler(settings.dialect().id, events);
            this.chunks = new ChunkDecoder(assembler, decoder, errors, requestId, progress);
        }

        @Override
        public void onEvent(SseEvent event) {
            try {
                done = chunks.accept(event.data());
            } catch (ProviderException e) {
                throw failed(e);
            }
        }

        /** At {@code [DONE]}: whatever follows is not read. */
        @Override
        public boolean ended() {
            return done;
        }

        @Override
        public ChatResponse finish(HttpHeaders headers) {
            if (!chunks.complete()) {
                throw failed(new ProviderException(error(Category.NETWORK,
                        "the stream ended before the answer was complete (no finish_reason, no [DONE])", requestId,
                        true)));
            }
            chunks.finish();
            RateLimitInfo rateLimits = rateLimits(headers);
            ChatResponse assembled = assembler.response(rateLimits, requestId, null);
            List<Part> parts = new ArrayList<>();
            for (Part part : assembled.message().parts()) {
                if (part instanceof ToolCallPart tool) {
                    parts.add(new ToolCallPart(tool.callId(), chunks.fromProvider(tool.callId()) ? tool.callId() : null,
                            null, tool.name(), tool.argumentsJson(), Map.of()));
                } else {
                    parts.add(part);
                }
            }
            if (!chunks.refusal().isEmpty()) {
                parts.add(new RefusalPart(chunks.refusal()));
            }
            return new ChatResponse(assembled.id(), assembled.model(), Message.of(Role.ASSISTANT, parts),
                    assembled.stopReason(), assembled.rawStopReason(), assembled.usage(), rateLimits, requestId, null);
        }

        /** A failure after events reached the handler ends them with a StreamError; before, none reached it. */
        private ProviderException failed(ProviderException failure) {
            if (chunks.started()) {
                assembler.onEvent(new StreamEvent.StreamError(failure.error()));
            }
            return failure;
        }
    }

    private HttpRequest prepare(ChatRequest request, boolean stream) {
        requireReady();
        String model = model(request);
        if (model == null) {
            throw new ProviderException(error(Category.INVALID_REQUEST, "the request names no model and none is configured",
                    null, false));
        }
        String body;
        try {
            body = mapper.writeValueAsString(encoder.encode(request, model, stream));
        } catch (JsonProcessingException e) {
            throw new ProviderException(error(Category.INVALID_REQUEST, "cannot write the request: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()),
                    null, false), e);
        }
        HttpRequest.Builder builder = jsonPost(settings.chatUri(model), body, stream).header("User-Agent", userAgent);
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
            LOG.debug("provider '{}': {} {} ({} chars, stream={})", settings.id(), model, settings.chatUri(model),
                    body.length(), stream);
        }
        return builder.build();
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
}
