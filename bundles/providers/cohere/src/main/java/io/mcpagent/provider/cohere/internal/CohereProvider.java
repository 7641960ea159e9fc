package io.mcpagent.provider.cohere.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.provider.support.ApiKeys;
import io.mcpagent.provider.support.ProviderClient;
import io.mcpagent.provider.support.ProviderHttp;
import io.mcpagent.provider.support.ProviderSetup;
import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.StreamProgress;

/**
 * One configured Cohere endpoint and key. A provider whose configuration is wrong or whose key is missing is still
 * created: it reports DOWN with the problem named and fails every call with it, without sending anything.
 */
final class CohereProvider implements LlmProvider, AutoCloseable {
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    private static final String API = "the Cohere API's root (requests go to <baseUrl>/v2/chat)";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_SSE_EVENT_BYTES = 16 * 1024 * 1024;

    private final String id;
    private final ProviderSetup<CohereSettings> setup;
    private final ProviderClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final CohereRequests requests;
    private final CohereAnswers answers;
    private final CohereErrors errors;

    private CohereProvider(ProviderSetup<CohereSettings> setup) {
        this.id = setup.providerId();
        this.setup = setup;
        this.errors = new CohereErrors(json, id);
        this.answers = new CohereAnswers(json, id, this::secrets);
        if (setup.problem() == null) {
            this.client = new ProviderClient(id, setup.settings(), setup.key(), MAX_BODY_BYTES);
            this.requests = new CohereRequests(json, setup.settings());
        } else {
            this.client = null;
            this.requests = null;
        }
    }

    /**
     * A provider for configuration {@code config} of plugin {@code id}; {@code environment} resolves the key's
     * environment variable. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static CohereProvider create(String id, CohereConfig config, Function<String, String> environment) {
        return new CohereProvider(ProviderSetup.resolve(id, CohereProviderComponent.FACTORY_PID,
                () -> CohereSettings.from(id, config),
                settings -> ApiKeys.resolve(id, settings.apiKeyEnv(), settings.apiKeyFile(), environment)));
    }

    ProviderSetup<CohereSettings> setup() {
        return setup;
    }

    @Override
    public PluginHealth health() {
        return client == null ? setup.health() : client.health();
    }

    @Override
    public List<ModelInfo> models() {
        return setup.models();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        setup.requireReady();
        CohereRequests.Mapped mapped = requests.map(request, false);
        ProviderHttp.Response<String> response = client.send(post(mapped, false), errors, request.maxRetryWait());
        client.requireJson(response, null, API);
        return answers.parse(response.body(), mapped);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        setup.requireReady();
        CohereRequests.Mapped mapped = requests.map(request, true);
        ProviderHttp.Response<InputStream> response = client.open(post(mapped, true), errors, request.maxRetryWait());
        client.requireStream(response, "text/event-stream", null, API);
        // events without content end the stream after the request timeout, as keep-alive comments do
        StreamProgress progress = new StreamProgress(setup.settings().requestTimeout());
        CohereStream stream = new CohereStream(json, mapped, progress.noting(handler), id, this::secrets, progress);
        try (InputStream body = response.body()) {
            new SseDecoder(body, MAX_SSE_EVENT_BYTES, progress).readAll(stream::onEvent);
        } catch (IOException e) {
            throw stream.failed(client.streamFailure(e, response, stream.id()), e);
        }
        if (!stream.ended()) {
            throw stream.truncated();
        }
        return stream.response(answers);
    }

    /** The key now, masked wherever an answer's body is kept in an error. */
    private List<String> secrets() {
        return setup.key().secretValues();
    }

    private HttpRequest post(CohereRequests.Mapped mapped, boolean stream) {
        CohereSettings settings = setup.settings();
        ApiKeys key = setup.key();
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.chatUri())
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json")
                .timeout(settings.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(mapped.body().toString(), StandardCharsets.UTF_8));
        if (key.key() != null) {
            // no key at all (apiKeyEnv and apiKeyFile empty) suits a gateway or private deployment that adds it
            builder.header("authorization", "Bearer " + key.key());
        }
        if (!settings.clientName().isEmpty()) {
            builder.header("x-client-name", settings.clientName());
        }
        return builder.build();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "CohereProvider[" + setup + "]";
    }
}
