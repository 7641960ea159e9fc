package io.mcpagent.provider.anthropic.internal;

import java.net.http.HttpRequest;
import java.time.Instant;
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
import io.mcpagent.provider.support.RateLimitHeaders;
import io.mcpagent.provider.support.SseProvider;

/**
 * One configured Anthropic endpoint and key. A provider whose configuration is wrong or whose key is missing is
 * still created: it reports DOWN with the problem named and fails every call with it, without sending anything.
 */
final class AnthropicProvider extends SseProvider<AnthropicSettings> {
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    private static final String API = "the Anthropic API's root (requests go to <baseUrl>/v1/messages)";

    private final String id;
    private final ObjectMapper json = new ObjectMapper();
    private final AnthropicRequests requests;
    private final AnthropicAnswers answers;
    private final AnthropicErrors errors;

    private AnthropicProvider(ProviderSetup<AnthropicSettings> setup) {
        super(setup, API, "request-id");
        this.id = setup.providerId();
        this.errors = new AnthropicErrors(json, id);
        this.answers = new AnthropicAnswers(json, id, this::secrets);
        this.requests = setup.problem() == null ? new AnthropicRequests(json, setup.settings()) : null;
    }

    /** The provider of file {@code etc/<factory PID>~<id>.cfg.json}. */
    static AnthropicProvider create(String id, AnthropicConfig config, Function<String, String> environment) {
        return create(FactoryInstanceId.ofFile(AnthropicProviderComponent.FACTORY_PID, id), config, environment);
    }

    /**
     * A provider for configuration {@code config} of plugin {@code instance}; {@code environment} resolves the key's
     * environment variable. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static AnthropicProvider create(FactoryInstanceId instance, AnthropicConfig config,
                                    Function<String, String> environment) {
        String id = instance.id();
        return new AnthropicProvider(ProviderSetup.resolve(instance,
                () -> AnthropicSettings.from(id, config),
                settings -> ApiKeys.resolve(id, settings.apiKeyEnv(), settings.apiKeyFile(), environment)));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        requireReady();
        AnthropicRequests.Mapped mapped = requests.map(request, false);
        return plainCall(post(mapped, false), errors, request.maxRetryWait(), (response, requestId) -> {
            Optional<ProviderError> error = errors.answerError(response.body(), requestId);
            if (error.isPresent()) {
                throw new ProviderException(error.get());
            }
            return answers.parse(response.body(), mapped, RateLimitHeaders.parse(response.headers(), Instant.now()),
                    requestId);
        });
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        requireReady();
        AnthropicRequests.Mapped mapped = requests.map(request, true);
        // the events go to the caller only: AnthropicStream keeps the answer, once (a StreamAssembler kept a copy)
        return streamedCall(post(mapped, true), errors, request.maxRetryWait(), handler,
                (requestId, progress, events) -> new AnthropicStream(json, mapped, events, errors, id,
                        this::secrets, requestId, progress, answers));
    }

    private HttpRequest post(AnthropicRequests.Mapped mapped, boolean stream) {
        AnthropicSettings settings = setup().settings();
        ApiKeys key = setup().key();
        HttpRequest.Builder builder = jsonPost(settings.messagesUri(), mapped.body().toString(), stream)
                .header("anthropic-version", settings.apiVersion());
        if (key.key() != null) {
            // no key at all (apiKeyEnv and apiKeyFile empty) suits a gateway that adds it
            builder.header("x-api-key", key.key());
        }
        if (!settings.betas().isEmpty()) {
            builder.header("anthropic-beta", String.join(",", settings.betas()));
        }
        return builder.build();
    }
}
