package io.mcpagent.provider.anthropic.internal;

import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.provider.support.ErrorMapper;
import io.mcpagent.provider.support.HttpErrors;

/**
 * Anthropic's error body {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}} as a
 * {@link ProviderError}: the error type decides the category (the status when the type is unknown or the body is
 * not Anthropic's, e.g. a proxy's HTML page), {@code request-id} header (or the body's {@code request_id}),
 * {@code retry-after}, and {@code x-should-retry} over the category's default.
 */
final class AnthropicErrors implements ErrorMapper {
    private static final int MAX_MESSAGE = 500;
    private final ObjectMapper json;
    private final String providerId;

    AnthropicErrors(ObjectMapper json, String providerId) {
        this.json = json;
        this.providerId = providerId;
    }

    @Override
    public ProviderError map(int status, HttpHeaders headers, String body) {
        JsonNode error = errorNode(body);
        String type = error == null ? null : text(error, "type");
        String message = error == null ? null : text(error, "message");
        Category category = category(type, message, status);
        if (message == null) {
            message = HttpErrors.statusAndBody(status, body, MAX_MESSAGE);
        }
        ProviderError mapped = HttpErrors.error(category, status, headers, type, null,
                "provider '" + providerId + "': " + message + hint(category), "request-id", body);
        if (mapped.requestId() == null && body != null) {
            JsonNode root = HttpErrors.json(json, body);
            String fromBody = root == null ? null : text(root, "request_id");
            if (fromBody != null) {
                mapped = new ProviderError(mapped.category(), mapped.httpStatus(), mapped.providerType(),
                        mapped.providerCode(), mapped.message(), fromBody, mapped.retryAfter(), mapped.retryable(),
                        mapped.rawBody());
            }
        }
        return mapped;
    }

    /** An {@code event: error} inside a stream that had started with HTTP 200. */
    ProviderError streamError(String data, String requestId) {
        return inBand("stream failed", data, requestId);
    }

    /**
     * The body of an HTTP 200 answer when it is Anthropic's error object ({@code {"type":"error","error":{…}}}), as a
     * gateway or an overloaded API may send it: it was taken for a malformed message ("no content array"), its
     * {@code overloaded_error} lost. Empty for any other body.
     */
    Optional<ProviderError> answerError(String body, String requestId) {
        JsonNode root = HttpErrors.object(json, body);
        return root != null && "error".equals(text(root, "type")) && errorNode(body) != null
                ? Optional.of(inBand("the answer (HTTP 200) is an error", body, requestId)) : Optional.empty();
    }

    /** An error object in an HTTP 200 answer: {@code what} says where ("stream failed"). */
    private ProviderError inBand(String what, String data, String requestId) {
        JsonNode error = errorNode(data);
        String type = error == null ? null : text(error, "type");
        String message = error == null ? null : text(error, "message");
        Category category = category(type, message, 0);
        if (type == null) {
            category = Category.SERVER;
        }
        return new ProviderError(category, 200, type, null, "provider '" + providerId + "': " + what + ": "
                + (message == null ? data : message) + hint(category), requestId, null,
                category.retryableByDefault(), data);
    }

    static Category category(String type, String message, int status) {
        if (type != null) {
            switch (type) {
                case "invalid_request_error" -> {
                    return contextLength(message) ? Category.CONTEXT_LENGTH : Category.INVALID_REQUEST;
                }
                case "authentication_error" -> {
                    return Category.AUTH;
                }
                case "billing_error" -> {
                    return Category.QUOTA_EXHAUSTED;
                }
                case "permission_error" -> {
                    return Category.PERMISSION;
                }
                case "not_found_error" -> {
                    return Category.NOT_FOUND;
                }
                case "request_too_large" -> {
                    return Category.CONTEXT_LENGTH;
                }
                case "rate_limit_error" -> {
                    return Category.RATE_LIMITED;
                }
                case "api_error" -> {
                    return Category.SERVER;
                }
                case "timeout_error" -> {
                    return Category.TIMEOUT;
                }
                case "overloaded_error" -> {
                    return Category.OVERLOADED;
                }
                default -> {
                    // an error type newer than this adapter: the status decides
                }
            }
        }
        if (status == 402) {
            return Category.QUOTA_EXHAUSTED;
        }
        if (status == 400 && contextLength(message)) {
            return Category.CONTEXT_LENGTH;
        }
        return status == 0 ? Category.SERVER : HttpErrors.category(status);
    }

    private static boolean contextLength(String message) {
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("prompt is too long") || lower.contains("context limit") || lower.contains("context window")
                || lower.contains("context length") || lower.contains("too many tokens");
    }

    private static String hint(Category category) {
        return switch (category) {
            case AUTH -> " (check the API key configured for this provider)";
            case QUOTA_EXHAUSTED -> " (check the billing of the Anthropic account)";
            case CONTEXT_LENGTH -> " (shorten the conversation or choose a model with a larger context window)";
            default -> "";
        };
    }

    private JsonNode errorNode(String body) {
        JsonNode root = HttpErrors.object(json, body);
        if (root == null) {
            return null;
        }
        JsonNode error = root.get("error");
        return error != null && error.isObject() ? error : null;
    }


    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

}
