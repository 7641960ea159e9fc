package io.mcpagent.provider.anthropic.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
import io.mcpagent.provider.support.RateLimitHeaders;
import io.mcpagent.provider.support.SseDecoder;
import io.mcpagent.provider.support.StreamProgress;

/**
 * One configured Anthropic endpoint and key. A provider whose configuration is wrong or whose key is missing is
 * still created: it reports DOWN with the problem named and fails every call with it, without sending anything.
 */
final class AnthropicProvider implements LlmProvider, AutoCloseable {
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    private static final String API = "the Anthropic API's root (requests go to <baseUrl>/v1/messages)";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_SSE_EVENT_BYTES = 16 * 1024 * 1024;

    private final String id;
    private final ProviderSetup<AnthropicSettings> setup;
    private final ProviderClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final AnthropicRequests requests;
    private final AnthropicAnswers answers;
    private final AnthropicErrors errors;

    private AnthropicProvider(ProviderSetup<AnthropicSettings> setup) {
        this.id = setup.providerId();
        this.setup = setup;
        this.errors = new AnthropicErrors(json, id);
        this.answers = new AnthropicAnswers(json, id, this::secrets);
        if (setup.problem() == null) {
            this.client = new ProviderClient(id, setup.settings(), setup.key(), MAX_BODY_BYTES);
            this.requests = new AnthropicRequests(json, setup.settings());
        } else {
            this.client = null;
            this.requests = null;
        }
    }

    /**
     * A provider for configuration {@code config} of plugin {@code id}; {@code environment} resolves the key's
     * environment variable. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static AnthropicProvider create(String id, AnthropicConfig config, Function<String, String> environment) {
        return new AnthropicProvider(ProviderSetup.resolve(id, AnthropicProviderComponent.FACTORY_PID,
                () -> AnthropicSettings.from(id, config),
                settings -> ApiKeys.resolve(id, settings.apiKeyEnv(), settings.apiKeyFile(), environment)));
    }

    ProviderSetup<AnthropicSettings> setup() {
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
        AnthropicRequests.Mapped mapped = requests.map(request, false);
        ProviderHttp.Response<String> response = client.send(post(mapped, false), errors, request.maxRetryWait());
        String requestId = response.headers().firstValue("request-id").orElse(null);
        client.requireJson(response, requestId, API);
        return answers.parse(response.body(), mapped, RateLimitHeaders.parse(response.headers(), Instant.now()), requestId);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        setup.requireReady();
        AnthropicRequests.Mapped mapped = requests.map(request, true);
        ProviderHttp.Response<InputStream> response = client.open(post(mapped, true), errors, request.maxRetryWait());
        String requestId = response.headers().firstValue("request-id").orElse(null);
        client.requireStream(response, "text/event-stream", requestId, API);
        // pings and other events without content end the stream after the request timeout, as comments do
        StreamProgress progress = new StreamProgress(setup.settings().requestTimeout());
        // the events go to the caller only: AnthropicStream keeps the answer, once (a StreamAssembler kept a copy)
        AnthropicStream stream = new AnthropicStream(json, mapped, progress.noting(handler), errors, id, this::secrets,
                requestId, progress);
        try (InputStream body = response.body()) {
            new SseDecoder(body, MAX_SSE_EVENT_BYTES, progress).readAll(stream::onEvent);
        } catch (IOException e) {
            throw stream.failed(client.streamFailure(e, response, requestId), e);
        }
        if (!stream.stopped()) {
            throw stream.truncated();
        }
        return stream.response(answers, RateLimitHeaders.parse(response.headers(), Instant.now()));
    }

    /** The key now, masked wherever an answer's body is kept in an error. */
    private List<String> secrets() {
        return setup.key().secretValues();
    }

    private HttpRequest post(AnthropicRequests.Mapped mapped, boolean stream) {
        AnthropicSettings settings = setup.settings();
        ApiKeys key = setup.key();
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.messagesUri())
                .header("anthropic-version", settings.apiVersion())
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json")
                .timeout(settings.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(mapped.body().toString(), StandardCharsets.UTF_8));
        if (key.key() != null) {
            // no key at all (apiKeyEnv and apiKeyFile empty) suits a gateway that adds it
            builder.header("x-api-key", key.key());
        }
        if (!settings.betas().isEmpty()) {
            builder.header("anthropic-beta", String.join(",", settings.betas()));
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
        return "AnthropicProvider[" + setup + "]";
    }
}
