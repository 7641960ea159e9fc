package io.mcpagent.provider.support;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;

/** The refusal of a request a provider cannot send as it is, made before anything goes out. */
public final class InvalidRequests {
    private InvalidRequests() {
    }

    /**
     * INVALID_REQUEST, not retryable (the same request fails the same way), its message
     * {@code provider '<providerId>': <message>}.
     */
    public static ProviderException invalid(String providerId, String message) {
        return new ProviderException(new ProviderError(Category.INVALID_REQUEST, 0, null, null,
                "provider '" + providerId + "': " + message, null, null, false, null));
    }
}
