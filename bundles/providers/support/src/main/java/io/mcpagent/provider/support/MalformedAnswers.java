package io.mcpagent.provider.support;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;

/**
 * The one rule for a success answer (HTTP 200) a provider cannot use: not JSON, not of its API's shape, or a part
 * malformed (a tool call without a name, a text that is no string). It is the vendor's fault, so {@link Category#SERVER}
 * with status 200, and retryable: the same request gets a fresh generation, which is usually well formed. A retry is
 * billed again, which the failure's {@code ProviderException.billed()} lets the router count; it is not retried in place
 * ({@link ProviderHttp} retries error statuses only), so the caller decides: the router falls back and counts it
 * towards the provider's circuit, as every SERVER failure.
 */
public final class MalformedAnswers {
    /** Longest part of the answer's body kept in the error. */
    public static final int MAX_RAW_CHARS = 4096;

    private MalformedAnswers() {
    }

    /** {@code what} is wrong with the answer, which {@code raw} (cut to {@link #MAX_RAW_CHARS}) was. */
    public static ProviderError error(String providerId, String what, String requestId, String raw) {
        return new ProviderError(Category.SERVER, 200, null, null, "provider '" + providerId + "': " + what, requestId,
                null, true, raw == null || raw.length() <= MAX_RAW_CHARS ? raw : raw.substring(0, MAX_RAW_CHARS));
    }
}
