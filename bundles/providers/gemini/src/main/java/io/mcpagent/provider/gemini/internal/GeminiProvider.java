package io.mcpagent.provider.gemini.internal;

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
 * One configured Gemini endpoint and key. A provider whose configuration is wrong or whose key is missing is still
 * created: it reports DOWN with the problem named and fails every call with it, without sending anything.
 */
final class GeminiProvider implements LlmProvider, AutoCloseable {
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    private static final String API = "the Gemini API's root (requests go to"
            + " <baseUrl>/<apiVersion>/models/<model>:generateContent or :streamGenerateContent)";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_SSE_EVENT_BYTES = 16 * 1024 * 1024;

    private final String id;
    private final ProviderSetup<GeminiSettings> setup;
    private final ProviderClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final GeminiRequests requests;
    private final GeminiAnswers answers;
    private final GeminiErrors errors;

    private GeminiProvider(ProviderSetup<GeminiSettings> setup) {
        this.id = setup.providerId();
        this.setup = setup;
        this.errors = new GeminiErrors(json, id, setup.key().key());
        this.answers = new GeminiAnswers(json, id, this::secrets);
        if (setup.problem() == null) {
            // the client waits for retry hints of up to a minute: Gemini's RetryInfo asks for about that on
            // per-minute quotas; longer hints fall back to backoff
            this.client = new ProviderClient(id, setup.settings(), setup.key(), MAX_BODY_BYTES);
            this.requests = new GeminiRequests(json, setup.settings());
        } else {
            this.client = null;
            this.requests = null;
        }
    }

    /**
     * A provider for configuration {@code config} of plugin {@code id}; {@code environment} resolves the key's
     * environment variable. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static GeminiProvider create(String id, GeminiConfig config, Function<String, String> environment) {
        return new GeminiProvider(ProviderSetup.resolve(id, GeminiProviderComponent.FACTORY_PID,
                () -> GeminiSettings.from(id, config),
                settings -> ApiKeys.resolve(id, settings.keyVariable(environment), settings.apiKeyFile(), environment)));
    }

    ProviderSetup<GeminiSettings> setup() {
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
        GeminiRequests.Mapped mapped = requests.map(request);
        ProviderHttp.Response<String> response = client.send(post(mapped, false), errors, request.maxRetryWait());
        client.requireJson(response, null, API);
        return answers.parse(response.body(), mapped.model());
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        setup.requireReady();
        GeminiRequests.Mapped mapped = requests.map(request);
        ProviderHttp.Response<InputStream> response = client.open(post(mapped, true), errors, request.maxRetryWait());
        client.requireStream(response, "text/event-stream", null, API);
        // events without content end the stream after the request timeout, as keep-alive comments do
        StreamProgress progress = new StreamProgress(setup.settings().requestTimeout());
        GeminiStream stream = new GeminiStream(json, mapped.model(), progress.noting(handler), errors, id, this::secrets,
                progress);
        try (InputStream body = response.body()) {
            new SseDecoder(body, MAX_SSE_EVENT_BYTES, progress).readAll(stream::onEvent);
        } catch (IOException e) {
            throw stream.failed(client.streamFailure(e, response, null), e);
        }
        return stream.finish(answers);
    }

    /** The key now, masked wherever an answer's body is kept in an error. */
    private List<String> secrets() {
        return setup.key().secretValues();
    }

    private HttpRequest post(GeminiRequests.Mapped mapped, boolean stream) {
        GeminiSettings settings = setup.settings();
        ApiKeys key = setup.key();
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.endpoint(mapped.model(), stream))
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json")
                .timeout(settings.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofString(mapped.body().toString(), StandardCharsets.UTF_8));
        if (key.key() != null) {
            // a header, never ?key=: the key stays out of URLs that proxies and logs record
            builder.header("x-goog-api-key", key.key());
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
        return "GeminiProvider[" + setup + "]";
    }
}
