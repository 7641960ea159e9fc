package io.mcpagent.provider.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.time.Duration;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * The HTTP side of one provider instance: an {@link Http1Client} of its own and
 * {@link ProviderHttp} calls through it, retried with {@link RetryPolicy#DEFAULT}'s backoff as often as the settings
 * say. Errors never carry the API key, and a call whose caller was interrupted fails as CANCELLED whatever else
 * went wrong. A refused account (AUTH, PERMISSION, QUOTA_EXHAUSTED answers), and a page answered instead of the API
 * ({@link #requireJson}, {@link #requireStream(ProviderHttp.Response, String, String, String)}), make its
 * {@link #health()} DEGRADED until a call succeeds ({@link AccountHealth}); a JSON answer to a stream request (a
 * server that does not stream) fails the call but leaves the health as it was, since executions call without
 * streaming, which such a server answers. Closing it shuts the client down.
 */
public final class ProviderClient implements AutoCloseable {
    private final String providerId;
    private final Http1Client client;
    private final ProviderHttp http;
    private final ApiKeys key;
    private final AccountHealth account = new AccountHealth();

    /** {@code maxBodyBytes} bounds a complete answer ({@link #send}); a stream is bounded in all by {@link ProviderHttp#open}. */
    public ProviderClient(String providerId, EndpointSettings settings, ApiKeys key, int maxBodyBytes) {
        this.providerId = providerId;
        this.client = new Http1Client(settings.connectTimeout());
        this.http = new ProviderHttp(providerId, client, RetryPolicy.DEFAULT.withMaxRetries(settings.maxRetries()),
                settings.requestTimeout(), maxBodyBytes);
        this.key = key;
    }

    /** A call with a complete answer: {@link ProviderHttp#send(HttpRequest, ErrorMapper)}. */
    public ProviderHttp.Response<String> send(HttpRequest request, ErrorMapper errors) {
        return send(request, errors, null);
    }

    /**
     * A call with a complete answer, retried in place only after waits up to {@code maxRetryWait}:
     * {@link ProviderHttp#send(HttpRequest, ErrorMapper, Duration)}. Since 2.13.
     */
    public ProviderHttp.Response<String> send(HttpRequest request, ErrorMapper errors, Duration maxRetryWait) {
        try {
            ProviderHttp.Response<String> response = http.send(request, new RedactingErrorMapper(errors, key.key()),
                    maxRetryWait);
            account.succeeded();
            return response;
        } catch (ProviderException e) {
            throw account.noted(http.cancelledIfInterrupted(e));
        }
    }

    /** A call with a streamed answer, which the caller closes: {@link ProviderHttp#open(HttpRequest, ErrorMapper)}. */
    public ProviderHttp.Response<InputStream> open(HttpRequest request, ErrorMapper errors) {
        return open(request, errors, null);
    }

    /**
     * A call with a streamed answer, which the caller closes, retried in place only after waits up to
     * {@code maxRetryWait}: {@link ProviderHttp#open(HttpRequest, ErrorMapper, Duration)}. Since 2.13.
     */
    public ProviderHttp.Response<InputStream> open(HttpRequest request, ErrorMapper errors, Duration maxRetryWait) {
        try {
            ProviderHttp.Response<InputStream> response = http.open(request,
                    new RedactingErrorMapper(errors, key.key()), maxRetryWait);
            account.succeeded();
            return response;
        } catch (ProviderException e) {
            throw account.noted(http.cancelledIfInterrupted(e));
        }
    }

    /** UP, or DEGRADED naming the vendor's last refusal of the account until a call succeeds. */
    public PluginHealth health() {
        return account.health();
    }

    /**
     * {@link ProviderHttp#requireStream(ProviderHttp.Response, String, String)}.
     *
     * @deprecated since 2.17: call {@link #requireStream(ProviderHttp.Response, String, String, String)}, which names
     * the API {@code baseUrl} should name and masks the key.
     */
    @Deprecated(since = "2.17")
    public void requireStream(ProviderHttp.Response<InputStream> response, String mediaType, String requestId) {
        requireStream(response, mediaType, requestId, "the provider's API");
    }

    /**
     * {@link ProviderHttp#requireStream(ProviderHttp.Response, String, String, String, java.util.Collection)} with the
     * key masked; a page instead of the stream leaves {@link #health()} DEGRADED naming {@code baseUrl} (2.17).
     */
    public void requireStream(ProviderHttp.Response<InputStream> response, String mediaType, String requestId,
                              String api) {
        try {
            http.requireStream(response, mediaType, requestId, api, key.secretValues());
        } catch (ProviderException e) {
            throw account.noted(e);
        }
    }

    /**
     * {@link MalformedAnswers#requireJson} with the key masked; a page instead of JSON leaves {@link #health()} DEGRADED
     * naming {@code baseUrl}, though {@link #send} found the call answered (2.17).
     */
    public void requireJson(ProviderHttp.Response<String> response, String requestId, String api) {
        try {
            MalformedAnswers.requireJson(providerId, response, requestId, api, key.secretValues());
        } catch (ProviderException e) {
            throw account.noted(e);
        }
    }

    /** {@link ProviderHttp#streamFailure}. */
    public ProviderError streamFailure(IOException e, ProviderHttp.Response<InputStream> response,
                                       String requestId) {
        return http.streamFailure(e, response, requestId);
    }

    @Override
    public void close() {
        client.close();
    }

    /** Shuts the client down once the calls under way have ended: {@link Http1Client#closeWhenDone}. Since 2.29. */
    public void closeWhenDone() {
        client.closeWhenDone();
    }
}
