package io.mcpagent.provider.cohere.internal;

import java.net.http.HttpRequest;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.provider.support.ApiKeys;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ProviderSetup;
import io.mcpagent.provider.support.SseProvider;

/**
 * One configured Cohere endpoint and key. A provider whose configuration is wrong or whose key is missing is still
 * created: it reports DOWN with the problem named and fails every call with it, without sending anything.
 */
final class CohereProvider extends SseProvider<CohereSettings> {
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    private static final String API = "the Cohere API's root (requests go to <baseUrl>/v2/chat)";

    private final String id;
    private final ObjectMapper json = new ObjectMapper();
    private final CohereRequests requests;
    private final CohereAnswers answers;
    private final CohereErrors errors;

    private CohereProvider(ProviderSetup<CohereSettings> setup) {
        // Cohere names no request id in a header: a broken stream names the message id its events gave
        super(setup, API, null);
        this.id = setup.providerId();
        this.errors = new CohereErrors(json, id);
        this.answers = new CohereAnswers(json, id, this::secrets);
        this.requests = setup.problem() == null ? new CohereRequests(json, setup.settings()) : null;
    }

    /** The provider of file {@code etc/<factory PID>~<id>.cfg.json}. */
    static CohereProvider create(String id, CohereConfig config, Function<String, String> environment) {
        return create(FactoryInstanceId.ofFile(CohereProviderComponent.FACTORY_PID, id), config, environment);
    }

    /**
     * A provider for configuration {@code config} of plugin {@code instance}; {@code environment} resolves the key's
     * environment variable. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static CohereProvider create(FactoryInstanceId instance, CohereConfig config,
                                 Function<String, String> environment) {
        String id = instance.id();
        return new CohereProvider(ProviderSetup.resolve(instance,
                () -> CohereSettings.from(id, config),
                settings -> ApiKeys.resolve(id, settings.apiKeyEnv(), settings.apiKeyFile(), environment)));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        requireReady();
        CohereRequests.Mapped mapped = requests.map(request, false);
        return plainCall(post(mapped, false), errors, request.maxRetryWait(),
                (response, requestId) -> answers.parse(response.body(), mapped));
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        requireReady();
        CohereRequests.Mapped mapped = requests.map(request, true);
        return streamedCall(post(mapped, true), errors, request.maxRetryWait(), handler,
                (requestId, progress, events) -> new CohereStream(json, mapped, events, id, this::secrets,
                        progress, answers));
    }

    private HttpRequest post(CohereRequests.Mapped mapped, boolean stream) {
        CohereSettings settings = setup().settings();
        ApiKeys key = setup().key();
        HttpRequest.Builder builder = jsonPost(settings.chatUri(), mapped.body().toString(), stream);
        if (key.key() != null) {
            // no key at all (apiKeyEnv and apiKeyFile empty) suits a gateway or private deployment that adds it
            builder.header("authorization", "Bearer " + key.key());
        }
        if (!settings.clientName().isEmpty()) {
            builder.header("x-client-name", settings.clientName());
        }
        return builder.build();
    }
}
