package io.mcpagent.provider.gemini.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.provider.support.ApiKeys;
import io.mcpagent.provider.support.IdleWatchdog;
import io.mcpagent.provider.support.ProviderHttp;
import io.mcpagent.provider.support.RetryPolicy;
import io.mcpagent.provider.support.SseDecoder;

/**
 * One configured Gemini endpoint and key. A provider whose configuration is wrong or whose key is missing is still
 * created: it reports DOWN with the problem named and fails every call with it, without sending anything.
 */
final class GeminiProvider implements LlmProvider, AutoCloseable {
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_SSE_LINE_BYTES = 16 * 1024 * 1024;

    private final String id;
    private final GeminiSettings settings;
    private final String configProblem;
    private final ApiKeys key;
    private final HttpClient client;
    private final ProviderHttp http;
    private final ObjectMapper json = new ObjectMapper();
    private final GeminiRequests requests;
    private final GeminiAnswers answers;
    private final GeminiErrors errors;

    private GeminiProvider(String id, GeminiSettings settings, String configProblem, ApiKeys key) {
        this.id = id;
        this.settings = settings;
        this.configProblem = configProblem;
        this.key = key;
        this.errors = new GeminiErrors(json, id, key.key());
        this.answers = new GeminiAnswers(json, id);
        if (settings != null && key.problem() == null) {
            this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                    .version("https".equalsIgnoreCase(settings.baseUri().getScheme()) ? HttpClient.Version.HTTP_2
                            : HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            // Gemini's RetryInfo asks for waits up to about a minute on per-minute quotas; longer hints fall back to backoff
            RetryPolicy retry = new RetryPolicy(settings.maxRetries(), Duration.ofMillis(500), Duration.ofSeconds(8),
                    Duration.ofSeconds(60));
            this.http = new ProviderHttp(id, client, retry, settings.requestTimeout(), MAX_BODY_BYTES);
            this.requests = new GeminiRequests(json, settings);
        } else {
            this.client = null;
            this.http = null;
            this.requests = null;
        }
    }

    /**
     * A provider for configuration {@code config} of plugin {@code id}; {@code environment} resolves the key's
     * environment variable. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static GeminiProvider create(String id, GeminiConfig config, Function<String, String> environment) {
        GeminiSettings settings;
        try {
            settings = GeminiSettings.from(id, config);
        } catch (IllegalArgumentException invalid) {
            return new GeminiProvider(id, null, invalid.getMessage(), ApiKeys.resolve(id, null, null, environment));
        }
        return new GeminiProvider(id, settings, null,
                ApiKeys.resolve(id, settings.keyVariable(environment), settings.apiKeyFile(), environment));
    }

    GeminiSettings settings() {
        return settings;
    }

    /** What keeps this provider from working (configuration or key), or null. */
    String problem() {
        if (configProblem != null) {
            return "misconfigured (etc/" + GeminiProviderComponent.FACTORY_PID + "~" + id + ".cfg.json): " + configProblem;
        }
        return key.problem();
    }

    @Override
    public PluginHealth health() {
        String problem = problem();
        return problem == null ? PluginHealth.up() : PluginHealth.down(problem);
    }

    @Override
    public List<ModelInfo> models() {
        return settings == null ? List.of() : settings.models();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ready();
        GeminiRequests.Mapped mapped = requests.map(request);
        ProviderHttp.Response<String> response;
        try {
            response = http.send(post(mapped, false), errors);
        } catch (ProviderException e) {
            throw cancelledIfInterrupted(e);
        }
        return answers.parse(response.body(), mapped.model());
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        ready();
        GeminiRequests.Mapped mapped = requests.map(request);
        ProviderHttp.Response<InputStream> response;
        try {
            response = http.open(post(mapped, true), errors);
        } catch (ProviderException e) {
            throw cancelledIfInterrupted(e);
        }
        String contentType = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("text/event-stream")) {
            String body = readQuietly(response.body());
            throw new ProviderException(new ProviderError(Category.SERVER, response.status(), null, null,
                    "provider '" + id + "': asked for a stream, got '" + contentType + "' instead of text/event-stream",
                    null, null, true, body));
        }
        GeminiStream stream = new GeminiStream(json, mapped.model(), handler == null ? event -> { } : handler, errors, id);
        IdleWatchdog guard = new IdleWatchdog(response.body(), settings.requestTimeout());
        try (InputStream body = response.body(); guard) {
            new SseDecoder(guard.stream(), MAX_SSE_LINE_BYTES).readAll(stream::onEvent);
        } catch (IOException e) {
            ProviderError error;
            if (guard.fired()) {
                error = new ProviderError(Category.TIMEOUT, response.status(), null, null, "provider '" + id
                        + "': the stream was silent for " + settings.requestTimeout().toMillis() + " ms", null, null,
                        true, null);
            } else if (Thread.currentThread().isInterrupted()) {
                error = new ProviderError(Category.CANCELLED, 0, null, null, "provider '" + id + "': call cancelled",
                        null, null, false, null);
            } else {
                ProviderError failure = http.failure(e).error();
                error = new ProviderError(failure.category(), response.status(), null, null, failure.message()
                        + " (the stream broke off)", null, null, failure.retryable(), null);
            }
            throw stream.failed(error, e);
        }
        return stream.finish(answers);
    }

    private void ready() {
        if (configProblem != null) {
            throw new ProviderException(new ProviderError(Category.INVALID_REQUEST, 0, null, null,
                    "provider '" + id + "' is " + problem().substring(0, 1).toLowerCase(Locale.ROOT)
                            + problem().substring(1), null, null, false, null));
        }
        if (key.problem() != null) {
            throw new ProviderException(new ProviderError(Category.AUTH, 0, null, null, "provider '" + id
                    + "' has no API key: " + key.problem(), null, null, false, null));
        }
    }

    private HttpRequest post(GeminiRequests.Mapped mapped, boolean stream) {
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

    private ProviderException cancelledIfInterrupted(ProviderException e) {
        if (Thread.currentThread().isInterrupted() && e.error().category() != Category.CANCELLED) {
            return new ProviderException(new ProviderError(Category.CANCELLED, 0, null, null,
                    "provider '" + id + "': call cancelled", null, null, false, null), e);
        }
        return e;
    }

    private static String readQuietly(InputStream in) {
        try (in) {
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "GeminiProvider[" + id + (settings == null ? "" : ", " + settings.baseUri()) + ", key " + key + "]";
    }
}
