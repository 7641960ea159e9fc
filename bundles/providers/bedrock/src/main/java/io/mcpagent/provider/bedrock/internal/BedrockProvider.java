package io.mcpagent.provider.bedrock.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.provider.support.AccountHealth;
import io.mcpagent.provider.support.ApiKeys;
import io.mcpagent.provider.support.ErrorMapper;
import io.mcpagent.provider.support.EventStreamDecoder;
import io.mcpagent.provider.support.StreamProgress;
import io.mcpagent.provider.support.Http1Client;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.support.ProviderHttp;
import io.mcpagent.provider.support.ProviderPlugin;
import io.mcpagent.provider.support.FactoryInstanceId;
import io.mcpagent.provider.support.ProviderSetup;
import io.mcpagent.provider.support.RedactingErrorMapper;
import io.mcpagent.provider.support.RetryPolicy;

/**
 * One configured Bedrock endpoint and credential: SigV4-signed requests (service {@code bedrock}, signed again on
 * every retry) or a Bedrock API key as a bearer token. A provider whose configuration is wrong or whose credentials
 * are missing is still created: it reports DOWN with the problem named and fails every call with it, without
 * sending anything.
 */
final class BedrockProvider implements ProviderPlugin.Instance {
    static final String SIGNING_SERVICE = "bedrock";
    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
    /** What {@code baseUrl} should name, for the errors of answers that come from elsewhere. */
    private static final String API = "the Bedrock runtime's root (requests go to"
            + " <baseUrl>/model/<modelId>/converse or /converse-stream)";
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final String id;
    private final ProviderSetup<BedrockSettings> setup;
    /** SigV4 only: where the credentials come from (null in bearer mode, or when the configuration is wrong). */
    private final AwsCredentialsSource credentials;
    private final Supplier<Instant> clock;
    private final Http1Client client;
    private final RetryPolicy retry;
    private final ObjectMapper json = new ObjectMapper();
    private final BedrockRequests requests;
    private final BedrockAnswers answers;
    private final BedrockErrors errors;
    private final AccountHealth account = new AccountHealth();
    private final SigV4Signer signer;

    private BedrockProvider(ProviderSetup<BedrockSettings> setup, AwsCredentialsSource credentials,
                            Supplier<Instant> clock) {
        this.id = setup.providerId();
        this.setup = setup;
        this.credentials = credentials;
        this.clock = clock;
        this.errors = new BedrockErrors(json, id);
        this.answers = new BedrockAnswers(json, id, this::secretValues);
        BedrockSettings settings = setup.settings();
        if (settings != null) {
            this.client = new Http1Client(settings.connectTimeout());
            this.retry = RetryPolicy.DEFAULT.withMaxRetries(settings.maxRetries());
            this.requests = new BedrockRequests(json, settings);
            this.signer = new SigV4Signer(settings.region(), SIGNING_SERVICE);
        } else {
            this.client = null;
            this.retry = null;
            this.requests = null;
            this.signer = null;
        }
    }

    /** The provider of file {@code etc/<factory PID>~<id>.cfg.json}. */
    static BedrockProvider create(String id, BedrockConfig config, Function<String, String> environment,
                                  Supplier<Instant> clock) {
        return create(FactoryInstanceId.ofFile(BedrockProviderComponent.FACTORY_PID, id), config, environment, clock);
    }

    /**
     * A provider for configuration {@code config} of plugin {@code instance}; {@code environment} resolves environment
     * variables, {@code clock} dates the signatures. Never throws for a bad configuration: the provider is DOWN instead.
     */
    static BedrockProvider create(FactoryInstanceId instance, BedrockConfig config,
                                  Function<String, String> environment, Supplier<Instant> clock) {
        String id = instance.id();
        ProviderSetup<BedrockSettings> setup = ProviderSetup.resolve(instance,
                () -> BedrockSettings.from(id, config), settings -> settings.bearer()
                        ? ApiKeys.resolve(id, settings.apiKeyEnv(), settings.apiKeyFile(), environment) : ApiKeys.none());
        BedrockSettings settings = setup.settings();
        AwsCredentialsSource source = null;
        if (settings != null && !settings.bearer()) {
            source = settings.credentialsFile().isEmpty()
                    ? AwsCredentialsSource.environment(id, settings.accessKeyIdEnv(), settings.secretAccessKeyEnv(),
                            settings.sessionTokenEnv(), environment)
                    : AwsCredentialsSource.file(id, Path.of(settings.credentialsFile()), settings.credentialsProfile());
        }
        return new BedrockProvider(setup, source, clock);
    }

    @Override
    public ProviderSetup<BedrockSettings> setup() {
        return setup;
    }

    /** The secrets held now, for the platform to mask: the API key, or the SigV4 secret key and session token. */
    @Override
    public List<String> secretValues() {
        List<String> held = new ArrayList<>(setup.key().secretValues());
        AwsCredentials current = credentials == null ? null : credentials.load().credentials();
        if (current != null) {
            held.add(current.secretAccessKey());
            if (current.sessionToken() != null) {
                held.add(current.sessionToken());
            }
        }
        return held;
    }

    /** What keeps this provider from working (configuration, API key or SigV4 credentials), or null. */
    @Override
    public String problem() {
        String problem = setup.problem();
        return problem != null || credentials == null ? problem : credentials.load().problem();
    }

    @Override
    public PluginHealth health() {
        String problem = problem();
        return problem == null ? account.health() : PluginHealth.down(problem);
    }

    @Override
    public List<ModelInfo> models() {
        return setup.models();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Call call = prepare(request, false);
        ProviderHttp.Response<String> response;
        try {
            response = call.http().send(call.request(), call.errors(), request.maxRetryWait());
        } catch (ProviderException e) {
            throw account.noted(call.http().cancelledIfInterrupted(e));
        }
        account.succeeded();
        String requestId = response.headers().firstValue(BedrockErrors.REQUEST_ID).orElse(null);
        try {
            MalformedAnswers.requireJson(id, response, requestId, API, secretValues());
        } catch (ProviderException e) {
            throw account.noted(e); // a page instead of the API: health names it until a call succeeds
        }
        return answers.parse(response.body(), call.model(), requestId);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamHandler handler) {
        Call call = prepare(request, true);
        ProviderHttp.Response<InputStream> response;
        try {
            response = call.http().open(call.request(), call.errors(), request.maxRetryWait());
        } catch (ProviderException e) {
            throw account.noted(call.http().cancelledIfInterrupted(e));
        }
        account.succeeded();
        String requestId = response.headers().firstValue(BedrockErrors.REQUEST_ID).orElse(null);
        try {
            call.http().requireStream(response, EVENT_STREAM, requestId, API, secretValues());
        } catch (ProviderException e) {
            throw account.noted(e);
        }
        // messages without content end the stream after the request timeout (Bedrock sends no keep-alives)
        StreamProgress progress = new StreamProgress(setup.settings().requestTimeout());
        BedrockStream stream = new BedrockStream(json, call.model(), progress.noting(handler), errors, id,
                this::secretValues, requestId, progress);
        try (InputStream body = response.body()) {
            new EventStreamDecoder(body, MAX_EVENT_BYTES, progress).readAll(stream::onMessage);
        } catch (IOException e) {
            throw stream.failed(call.http().streamFailure(e, response, requestId), e);
        }
        if (!stream.stopped()) {
            throw stream.truncated();
        }
        stream.end();
        return stream.response(answers);
    }

    /**
     * One call ready to go: the model it names, the request, and the HTTP plumbing that sends it, signing every
     * attempt again in SigV4 mode; its errors never carry a credential, even when a proxy echoes the request.
     */
    private record Call(String model, HttpRequest request, ProviderHttp http, ErrorMapper errors) {
    }

    private Call prepare(ChatRequest chat, boolean stream) {
        AwsCredentials signing = ready();
        BedrockSettings settings = setup.settings();
        BedrockRequests.Mapped mapped = requests.map(chat);
        byte[] body = mapped.body().toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.converseUri(mapped.model(), stream))
                .header("Content-Type", "application/json")
                .header("Accept", stream ? EVENT_STREAM : "application/json")
                .timeout(settings.requestTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        UnaryOperator<HttpRequest> eachAttempt;
        ErrorMapper redacting;
        if (signing == null) {
            String key = setup.key().key();
            builder.header("Authorization", "Bearer " + key);
            eachAttempt = UnaryOperator.identity();
            redacting = new RedactingErrorMapper(errors, key);
        } else {
            // a SigV4 signature carries its time: every attempt, retries included, is signed anew
            eachAttempt = unsigned -> sign(unsigned, signing, body);
            redacting = new RedactingErrorMapper(errors, signing.secretAccessKey(), signing.sessionToken());
        }
        ProviderHttp http = new ProviderHttp(id, client, retry, settings.requestTimeout(), MAX_BODY_BYTES, eachAttempt);
        return new Call(mapped.model(), builder.build(), http, redacting);
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

    /** The Host the client sends: the port only when it is not the scheme's default. */
    static String host(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == 443 && "https".equalsIgnoreCase(uri.getScheme())
                || port == 80 && "http".equalsIgnoreCase(uri.getScheme());
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /**
     * Fails fast for a misconfigured provider, a missing API key or missing SigV4 credentials; the SigV4 credentials
     * to sign with (null: bearer).
     */
    private AwsCredentials ready() {
        setup.requireReady();
        if (credentials == null) {
            return null;
        }
        AwsCredentialsSource.Loaded loaded = credentials.load();
        if (loaded.problem() != null) {
            throw new ProviderException(new ProviderError(Category.AUTH, 0, null, null, "provider '" + id
                    // no "credentials: ", which masking takes for a secret and redacts the word after it
                    + "' has no credentials (" + loaded.problem() + ")", null, null, false, null));
        }
        return loaded.credentials();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void closeWhenDone() {
        if (client != null) {
            client.closeWhenDone();
        }
    }

    @Override
    public String toString() {
        return "BedrockProvider[" + setup + (credentials == null ? "" : ", sigv4 " + credentials) + "]";
    }
}
