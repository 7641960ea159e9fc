package io.mcpagent.provider.bedrock.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

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
import io.mcpagent.provider.support.ErrorMapper;
import io.mcpagent.provider.support.EventStreamDecoder;
import io.mcpagent.provider.support.IdleWatchdog;
import io.mcpagent.provider.support.ProviderHttp;
import io.mcpagent.provider.support.RetryPolicy;

/**
 * One configured Bedrock endpoint and credential: SigV4-signed requests (service {@code bedrock}, signed again on
 * every retry) or a Bedrock API key as a bearer token. A provider whose configuration is wrong or whose credentials
 * are missing is still created: it reports DOWN with the problem named and fails every call with it, without
 * sending anything.
 */
final class BedrockProvider implements LlmProvider, AutoCloseable {
    static final String SIGNING_SERVICE = "bedrock";
    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final String id;
    private final BedrockSettings settings;
    private final String configProblem;
    private final ApiKeys bearerKey;
    private final AwsCredentialsSource credentials;
    private final Supplier<Instant> clock;
    private final HttpClient client;
    private final RetryPolicy retry;
    private final ObjectMapper json = new ObjectMapper();
    private final BedrockRequests requests;
    private final BedrockAnswers answers;
    private final BedrockErrors errors;
    private final SigV4Signer signer;

    private BedrockProvider(String id, BedrockSettings settings, String configProblem, ApiKeys bearerKey,
                            AwsCredentialsSource credentials, Supplier<Instant> clock) {
        this.id = id;
        this.settings = settings;
        this.configProblem = configProblem;
        this.bearerKey = bearerKey;
        this.credentials = credentials;
        this.clock = clock;
        this.errors = new BedrockErrors(json, id);
        this.answers = new BedrockAnswers(json, id);
        if (settings != null) {
            this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                    .version("https".equalsIgnoreCase(settings.baseUri().getScheme()) ? HttpClient.Version.HTTP_2
                            : HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            this.retry = new RetryPolicy(settings.maxRetries(), Duration.ofMillis(500), Duration.ofSeconds(8),
                    Duration.ofSeconds(60));
            this.requests = new BedrockRequests(json, settings);
            this.signer = new SigV4Signer(settings.region(), SIGNING_SERVICE);
        } else {
            this.client = null;
            this.retry = null;
            this.requests = null;
            this.signer = null;
        }
    }

    /**
     * A provider for configuration {@code config} of plugin {@code id}; {@code environment} resolves environment
     * variables, {@code clock} dates the signatures. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static BedrockProvider create(String id, BedrockConfig config, Function<String, String> environment,
                                  Supplier<Instant> clock) {
        BedrockSettings settings;
        try {
            settings = BedrockSettings.from(id, config);
        } catch (IllegalArgumentException invalid) {
            return new BedrockProvider(id, null, invalid.getMessage(), null, null, clock);
        }
        if (settings.bearer()) {
            return new BedrockProvider(id, settings, null,
                    ApiKeys.resolve(id, settings.apiKeyEnv(), settings.apiKeyFile(), environment), null, clock);
        }
        AwsCredentialsSource source = settings.credentialsFile().isEmpty()
                ? AwsCredentialsSource.environment(id, settings.accessKeyIdEnv(), settings.secretAccessKeyEnv(),
                        settings.sessionTokenEnv(), environment)
                : AwsCredentialsSource.file(id, Path.of(settings.credentialsFile()), settings.credentialsProfile());
        return new BedrockProvider(id, settings, null, null, source, clock);
    }

    BedrockSettings settings() {
        return settings;
    }

    /** What keeps this provider from working (configuration or credentials), or null. */
    String problem() {
        if (configProblem != null) {
            return "misconfigured (etc/" + BedrockProviderComponent.FACTORY_PID + "~" + id + ".cfg.json): " + configProblem;
        }
        return settings.bearer() ? bearerKey.problem() : credentials.load().problem();
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
        Call call = prepare(request, false);
        ProviderHttp.Response<String> response;
        try {
            response = call.http().send(call.request(), call.errors());
        } catch (ProviderException e) {
            throw cancelledIfInterrupted(e);
        }
        String requestId = response.headers().firstValue(BedrockErrors.REQUEST_ID).orElse(null);
        return answers.parse(response.body(), call.model(), requestId);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        Call call = prepare(request, true);
        ProviderHttp.Response<InputStream> response;
        try {
            response = call.http().open(call.request(), call.errors());
        } catch (ProviderException e) {
            throw cancelledIfInterrupted(e);
        }
        String requestId = response.headers().firstValue(BedrockErrors.REQUEST_ID).orElse(null);
        String contentType = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith(EVENT_STREAM)) {
            String body = readQuietly(response.body());
            throw new ProviderException(new ProviderError(Category.SERVER, response.status(), null, null,
                    "provider '" + id + "': asked for a stream, got '" + contentType + "' instead of " + EVENT_STREAM,
                    requestId, null, true, body));
        }
        BedrockStream stream = new BedrockStream(json, call.model(), handler, errors, id, requestId);
        IdleWatchdog guard = new IdleWatchdog(response.body(), settings.requestTimeout());
        try (InputStream body = response.body(); guard) {
            new EventStreamDecoder(guard.stream(), MAX_EVENT_BYTES).readAll(stream::onMessage);
        } catch (IOException e) {
            ProviderError error;
            if (guard.fired()) {
                error = new ProviderError(Category.TIMEOUT, response.status(), null, null, "provider '" + id
                        + "': the stream was silent for " + settings.requestTimeout().toMillis() + " ms",
                        requestId, null, true, null);
            } else if (Thread.currentThread().isInterrupted()) {
                error = new ProviderError(Category.CANCELLED, 0, null, null, "provider '" + id + "': call cancelled",
                        requestId, null, false, null);
            } else {
                ProviderError failure = call.http().failure(e).error();
                error = new ProviderError(failure.category(), response.status(), null, null, failure.message()
                        + " (the stream broke off)", requestId, null, failure.retryable(), null);
            }
            throw stream.failed(error, e);
        }
        if (!stream.stopped()) {
            throw stream.truncated();
        }
        stream.end();
        return stream.response(answers);
    }

    /** One call ready to go: the model it names, the request, and the HTTP plumbing that sends (and signs) it. */
    private record Call(String model, HttpRequest request, ProviderHttp http, ErrorMapper errors) {
    }

    private Call prepare(ChatRequest chat, boolean stream) {
        AwsCredentials signing = ready();
        BedrockRequests.Mapped mapped = requests.map(chat);
        byte[] body = mapped.body().toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.converseUri(mapped.model(), stream))
                .header("Content-Type", "application/json")
                .header("Accept", stream ? EVENT_STREAM : "application/json")
                .timeout(settings.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        List<String> secrets = new ArrayList<>();
        HttpClient sender = client;
        if (signing == null) {
            builder.header("Authorization", "Bearer " + bearerKey.key());
            secrets.add(bearerKey.key());
        } else {
            sender = new SigningHttpClient(client, unsigned -> sign(unsigned, signing, body));
            secrets.add(signing.secretAccessKey());
            if (signing.sessionToken() != null) {
                secrets.add(signing.sessionToken());
            }
        }
        ProviderHttp http = new ProviderHttp(id, sender, retry, settings.requestTimeout(), MAX_BODY_BYTES);
        return new Call(mapped.model(), builder.build(), http, redacting(errors, secrets));
    }

    /** The request with a SigV4 signature of this moment: content type, host, date and session token signed. */
    private HttpRequest sign(HttpRequest unsigned, AwsCredentials signing, byte[] body) {
        URI uri = unsigned.uri();
        Map<String, String> headers = Map.of("content-type", unsigned.headers().firstValue("Content-Type").orElse(""));
        SigV4Signer.Signature signature = signer.sign(signing, unsigned.method(), host(uri), uri.getRawPath(),
                uri.getRawQuery(), headers, body, clock.get());
        HttpRequest.Builder signed = HttpRequest.newBuilder(unsigned, (name, value) -> true);
        signature.headers().forEach(signed::setHeader);
        return signed.build();
    }

    /** The Host (or {@code :authority}) the JDK client sends: the port only when it is not the scheme's default. */
    static String host(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == 443 && "https".equalsIgnoreCase(uri.getScheme())
                || port == 80 && "http".equalsIgnoreCase(uri.getScheme());
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** Fails fast for a misconfigured provider or missing credentials; the SigV4 credentials to sign with (null: bearer). */
    private AwsCredentials ready() {
        if (configProblem != null) {
            throw new ProviderException(new ProviderError(Category.INVALID_REQUEST, 0, null, null,
                    "provider '" + id + "' is " + problem().substring(0, 1).toLowerCase(Locale.ROOT)
                            + problem().substring(1), null, null, false, null));
        }
        String problem = settings.bearer() ? bearerKey.problem() : null;
        AwsCredentials signing = null;
        if (!settings.bearer()) {
            AwsCredentialsSource.Loaded loaded = credentials.load();
            problem = loaded.problem();
            signing = loaded.credentials();
        }
        if (problem != null) {
            throw new ProviderException(new ProviderError(Category.AUTH, 0, null, null, "provider '" + id
                    + "' has no credentials: " + problem, null, null, false, null));
        }
        return signing;
    }

    /** No credential leaves in an error, even when a proxy echoes the request. */
    private static ErrorMapper redacting(ErrorMapper mapper, List<String> secrets) {
        return (status, headers, body) -> {
            ProviderError error = mapper.map(status, headers, body);
            String message = error.message();
            String raw = error.rawBody();
            for (String secret : secrets) {
                if (secret != null && secret.length() >= 4) {
                    message = message.replace(secret, "****");
                    raw = raw == null ? null : raw.replace(secret, "****");
                }
            }
            return new ProviderError(error.category(), error.httpStatus(), error.providerType(), error.providerCode(),
                    message, error.requestId(), error.retryAfter(), error.retryable(), raw);
        };
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
        return "BedrockProvider[" + id + (settings == null ? "" : ", " + settings.baseUri() + ", "
                + (settings.bearer() ? "bearer " + bearerKey : "sigv4 " + credentials)) + "]";
    }
}
