package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;

/** The status-code part of error mapping that all providers share; providers refine it from their bodies. */
public final class HttpErrors {
    private HttpErrors() {
    }

    public static Category category(int status) {
        return switch (status) {
            case 400, 422 -> Category.INVALID_REQUEST;
            case 401 -> Category.AUTH;
            case 403 -> Category.PERMISSION;
            case 404 -> Category.NOT_FOUND;
            case 408 -> Category.TIMEOUT;
            case 409 -> Category.SERVER;
            case 413 -> Category.CONTEXT_LENGTH;
            case 429 -> Category.RATE_LIMITED;
            case 503, 529 -> Category.OVERLOADED;
            case 504 -> Category.TIMEOUT;
            default -> status >= 500 ? Category.SERVER : Category.INVALID_REQUEST;
        };
    }

    /**
     * An error with the status's category, the given type/code/message, the request id header, the retry hint, and
     * retryable decided by {@code x-should-retry} when present, else by the category.
     */
    public static ProviderError error(Category category, int status, HttpHeaders headers, String type, String code,
                                      String message, String requestIdHeader, String body) {
        boolean retryable = RetryHeaders.shouldRetry(headers).orElse(category.retryableByDefault());
        String requestId = requestIdHeader == null ? null : headers.firstValue(requestIdHeader).orElse(null);
        return new ProviderError(category, status, type, code, message == null || message.isBlank()
                ? "HTTP " + status : message, requestId, RetryHeaders.retryAfter(headers), retryable, body);
    }

    /**
     * The body of an error answer parsed (2.24), or null when it is blank or no JSON (a proxy's page, a cut answer):
     * the mapping then falls back to the status and the text.
     */
    public static JsonNode json(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** {@link #json}, when the body is a JSON object; else null (2.24). */
    public static JsonNode object(ObjectMapper json, String body) {
        JsonNode root = json(json, body);
        return root != null && root.isObject() ? root : null;
    }
}
