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
 * went wrong. A refused account (AUTH, PERMISSION, QUOTA_EXHAUSTED answers) makes its {@link #health()} DEGRADED
 * until a call succeeds ({@link AccountHealth}). Closing it shuts the client down.
 */
public final class ProviderClient implements AutoCloseable {
    private final Http1Client client;
    private final ProviderHttp http;
    private final ApiKeys key;
    private final AccountHealth account = new AccountHealth();

    /** {@code maxBodyBytes} bounds a complete answer ({@link #send}); a stream is bounded in all by {@link ProviderHttp#open}. */
    public ProviderClient(String providerId, EndpointSettings settings, ApiKeys key, int maxBodyBytes) {
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

    /** {@link ProviderHttp#requireStream}. */
    public void requireStream(ProviderHttp.Response<InputStream> response, String mediaType, String requestId) {
        http.requireStream(response, mediaType, requestId);
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
}
