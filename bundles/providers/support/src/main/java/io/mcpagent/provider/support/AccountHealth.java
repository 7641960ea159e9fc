package io.mcpagent.provider.support;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * What the last call found of a provider's account and server: after an answer refusing the account (AUTH,
 * PERMISSION or QUOTA_EXHAUSTED, e.g. a revoked key or spent credit), or after a call that reached no server at all
 * (the connection refused or timed out, the host unknown: a local server not started, a wrong port; since 2.13), or
 * after a page answered instead of the API ({@link NotTheApiException}: a wrong baseUrl; since 2.17), the provider is
 * DEGRADED, naming that failure, until a call is answered with success. A configuration can be right and
 * still the account refused or the server away, and only a call shows it. DEGRADED rather than DOWN: the router
 * leaves DOWN providers out, so no call would show them back. A JSON answer to a request for a stream (a server that
 * does not stream) is not remembered: executions call without streaming, which that server answers.
 */
public final class AccountHealth {
    private final AtomicReference<Remembered> lastFailure = new AtomicReference<>();

    /** A failure remembered, and whether it was the account refused (which only a success disproves). */
    private record Remembered(ProviderError error, boolean accountRefused) {
    }

    /**
     * {@code failure}, remembered when it is the vendor refusing the account (not a check made before sending), a
     * call that reached no server, or an answer from a server that is not the API. Any other answer of the API (an
     * HTTP 500 with its error body, say) shows the server reached and the API answering: a remembered failure that
     * said otherwise is forgotten (since 2.26.1; the health kept saying "check baseUrl" of a baseUrl shown right since).
     */
    public ProviderException noted(ProviderException failure) {
        Category category = failure.error().category();
        boolean refused = category == Category.AUTH || category == Category.PERMISSION
                || category == Category.QUOTA_EXHAUSTED;
        if ((refused && failure.error().httpStatus() != 0) || reachedNoServer(failure)
                || failure instanceof NotTheApiException) {
            lastFailure.set(new Remembered(failure.error(), refused));
        } else if (failure.error().httpStatus() != 0) {
            lastFailure.updateAndGet(remembered -> remembered != null && remembered.accountRefused() ? remembered
                    : null);
        }
        return failure;
    }

    /**
     * Whether the call reached no server: {@link ProviderHttp} keeps the I/O failure of its last attempt as the
     * cause, a refused or timed-out connection or a host that does not resolve. A cancelled call says nothing of the
     * server: an interrupt during connecting can end in a {@code ConnectException} too.
     */
    private static boolean reachedNoServer(ProviderException failure) {
        Throwable cause = failure.getCause();
        return failure.error().category() != Category.CANCELLED && (cause instanceof ConnectException
                || cause instanceof HttpConnectTimeoutException || cause instanceof UnknownHostException);
    }

    /** A call was answered with success: the account is accepted and the server reached again. */
    public void succeeded() {
        lastFailure.set(null);
    }

    /**
     * UP, or DEGRADED naming the last refusal of the account, the last call that reached no server or the last page
     * answered instead of the API.
     */
    public PluginHealth health() {
        Remembered last = lastFailure.get();
        return last == null ? PluginHealth.up()
                : PluginHealth.degraded("the last call failed: " + last.error().message());
    }
}
