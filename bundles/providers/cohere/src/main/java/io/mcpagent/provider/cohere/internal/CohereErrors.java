package io.mcpagent.provider.cohere.internal;

import java.net.http.HttpHeaders;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.provider.support.ErrorMapper;
import io.mcpagent.provider.support.HttpErrors;

/**
 * Cohere's error body {@code {"id":…,"message":…}} as a {@link ProviderError}. Cohere has no error type, so the status
 * decides the category (400, 401, 403, 404, 422, 429, 498, 499, 500, 501, 503, 504 as its API documents them), refined
 * by the message where the status is ambiguous: a 400 about too many tokens is CONTEXT_LENGTH, a 429 about a monthly
 * trial limit is QUOTA_EXHAUSTED (waiting a few seconds will not help). The body's {@code id} is the request id.
 */
final class CohereErrors implements ErrorMapper {
    private static final int MAX_MESSAGE = 500;
    private final ObjectMapper json;
    private final String providerId;

    CohereErrors(ObjectMapper json, String providerId) {
        this.json = json;
        this.providerId = providerId;
    }

    @Override
    public ProviderError map(int status, HttpHeaders headers, String body) {
        JsonNode root = HttpErrors.object(json, body);
        String message = root == null ? null : text(root, "message");
        String requestId = root == null ? null : text(root, "id");
        Category category = category(status, message);
        if (message == null) {
            message = HttpErrors.statusAndBody(status, body, MAX_MESSAGE);
        }
        ProviderError mapped = HttpErrors.error(category, status, headers, null, null,
                "provider '" + providerId + "': " + message + hint(category), null, body);
        return new ProviderError(mapped.category(), status, null, null, mapped.message(), requestId, mapped.retryAfter(),
                mapped.retryable(), body);
    }

    static Category category(int status, String message) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return switch (status) {
            case 400 -> contextLength(lower) ? Category.CONTEXT_LENGTH : Category.INVALID_REQUEST;
            case 429 -> monthlyLimit(lower) ? Category.QUOTA_EXHAUSTED : Category.RATE_LIMITED;
            // a request or answer held a deny-listed token
            case 498 -> Category.CONTENT_FILTERED;
            // the request was cancelled on the client's side
            case 499 -> Category.CANCELLED;
            // a feature this model or endpoint does not implement: asking again will not help, another provider may
            case 501 -> Category.INVALID_REQUEST;
            default -> HttpErrors.category(status);
        };
    }

    private static boolean contextLength(String lower) {
        return lower.contains("too many tokens") || lower.contains("context length") || lower.contains("context window")
                || lower.contains("maximum context") || lower.contains("prompt is too long");
    }

    private static boolean monthlyLimit(String lower) {
        return lower.contains("/ month") || lower.contains("per month") || lower.contains("monthly");
    }

    private static String hint(Category category) {
        return switch (category) {
            case AUTH -> " (check the API key configured for this provider)";
            case QUOTA_EXHAUSTED -> " (the key's monthly limit is spent: use a production key or wait for the next month)";
            case CONTEXT_LENGTH -> " (shorten the conversation or choose a model with a larger context window)";
            case CONTENT_FILTERED -> " (the request or the answer held a token Cohere does not allow)";
            default -> "";
        };
    }


    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
