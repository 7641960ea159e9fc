package io.mcpagent.provider.gemini.internal;

import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.provider.support.ApiKeys;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ProviderSetup;
import io.mcpagent.provider.support.SseProvider;

/**
 * One configured Gemini endpoint and key. A provider whose configuration is wrong or whose key is missing is still
 * created: it reports DOWN with the problem named and fails every call with it, without sending anything.
 */
final class GeminiProvider extends SseProvider<GeminiSettings> {
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    private static final String API = "the Gemini API's root (requests go to"
            + " <baseUrl>/<apiVersion>/models/<model>:generateContent or :streamGenerateContent)";

    private final String id;
    private final ObjectMapper json = new ObjectMapper();
    private final GeminiRequests requests;
    private final GeminiAnswers answers;
    private final GeminiErrors errors;

    private GeminiProvider(ProviderSetup<GeminiSettings> setup) {
        // the client waits for retry hints of up to a minute: Gemini's RetryInfo asks for about that on per-minute
        // quotas; longer hints fall back to backoff. Gemini names no request id in a header
        super(setup, API, null);
        this.id = setup.providerId();
        this.errors = new GeminiErrors(json, id, setup.key().key());
        this.answers = new GeminiAnswers(json, id, this::secrets);
        this.requests = setup.problem() == null ? new GeminiRequests(json, setup.settings()) : null;
    }

    /** The provider of file {@code etc/<factory PID>~<id>.cfg.json}. */
    static GeminiProvider create(String id, GeminiConfig config, Function<String, String> environment) {
        return create(FactoryInstanceId.ofFile(GeminiProviderComponent.FACTORY_PID, id), config, environment);
    }

    /**
     * A provider for configuration {@code config} of plugin {@code instance}; {@code environment} resolves the key's
     * environment variable. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static GeminiProvider create(FactoryInstanceId instance, GeminiConfig config,
                                 Function<String, String> environment) {
        String id = instance.id();
        return new GeminiProvider(ProviderSetup.resolve(instance,
                () -> GeminiSettings.from(id, config),
                settings -> ApiKeys.resolve(id, settings.keyVariable(environment), settings.apiKeyFile(), environment)));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        requireReady();
        GeminiRequests.Mapped mapped = requests.map(request);
        return plainCall(post(mapped, false), errors, request.maxRetryWait(), (response, requestId) -> {
            Optional<ProviderError> error = errors.answerError(response.body());
            if (error.isPresent()) {
                throw new ProviderException(error.get());
            }
            return answers.parse(response.body(), mapped.model());
        });
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        requireReady();
        GeminiRequests.Mapped mapped = requests.map(request);
        return streamedCall(post(mapped, true), errors, request.maxRetryWait(), handler,
                (requestId, progress, events) -> new GeminiStream(json, mapped.model(), events, errors, id,
                        this::secrets, progress, answers));
    }

    private HttpRequest post(GeminiRequests.Mapped mapped, boolean stream) {
        GeminiSettings settings = setup().settings();
        ApiKeys key = setup().key();
        HttpRequest.Builder builder = jsonPost(settings.endpoint(mapped.model(), stream),
                mapped.body().toString(), stream);
        if (key.key() != null) {
            // a header, never ?key=: the key stays out of URLs that proxies and logs record
            builder.header("x-goog-api-key", key.key());
        }
        return builder.build();
    }
}
