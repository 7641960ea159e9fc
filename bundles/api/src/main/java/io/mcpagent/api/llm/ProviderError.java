package io.mcpagent.api.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * A failed provider call, normalised. {@code retryAfter} is what the provider asked for (null if nothing);
 * {@code rawBody} is the error body as received, never containing request credentials.
 */
public record ProviderError(Category category, int httpStatus, String providerType, String providerCode,
                            String message, String requestId, Duration retryAfter, boolean retryable,
                            String rawBody) {

    public enum Category {
        AUTH, PERMISSION, INVALID_REQUEST, NOT_FOUND, CONTEXT_LENGTH, CONTENT_FILTERED, RATE_LIMITED,
        QUOTA_EXHAUSTED, OVERLOADED, TIMEOUT, SERVER, CANCELLED, NETWORK;

        /** Whether a call failing this way is worth retrying by default (the provider may say otherwise). */
        public boolean retryableByDefault() {
            return switch (this) {
                case RATE_LIMITED, OVERLOADED, TIMEOUT, SERVER, NETWORK -> true;
                default -> false;
            };
        }
    }

    public ProviderError {
        Objects.requireNonNull(category, "category");
        message = message == null ? category.name() : message;
    }

    public static ProviderError of(Category category, String message) {
        return new ProviderError(category, 0, null, null, message, null, null, category.retryableByDefault(), null);
    }

    /**
     * The message without the {@code provider '<providerId>': } the built-in families begin it with, for a text that
     * names the provider already ({@code LLM provider 'main' failed: ...}).
     *
     * @since 1.23
     */
    public String messageWithout(String providerId) {
        String prefix = "provider '" + providerId + "': ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
