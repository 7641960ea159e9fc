package io.mcpagent.provider.bedrock.internal;

import java.net.http.HttpHeaders;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.provider.support.ErrorMapper;
import io.mcpagent.provider.support.HttpErrors;

/**
 * Bedrock's rest-json errors as {@link ProviderError}s: the type comes from the {@code x-amzn-ErrorType} header
 * ({@code ThrottlingException:http://internal.amazon.com/...}, the part before the colon), else from the body's
 * {@code __type}; the message from the body's {@code message} (or {@code Message}); the request id from
 * {@code x-amzn-RequestId}. The same types arrive inside a ConverseStream as {@code exception} frames, named in
 * lower camel case ({@code throttlingException}).
 */
final class BedrockErrors implements ErrorMapper {
    static final String REQUEST_ID = "x-amzn-RequestId";
    private static final int MAX_MESSAGE = 500;
    private final ObjectMapper json;
    private final String providerId;

    BedrockErrors(ObjectMapper json, String providerId) {
        this.json = json;
        this.providerId = providerId;
    }

    @Override
    public ProviderError map(int status, HttpHeaders headers, String body) {
        JsonNode root = HttpErrors.object(json, body);
        String type = headers.firstValue("x-amzn-ErrorType").map(BedrockErrors::typeName).orElse(null);
        if (type == null && root != null) {
            String fromBody = text(root, "__type");
            type = fromBody == null ? null : typeName(fromBody.substring(fromBody.lastIndexOf('#') + 1));
        }
        String message = root == null ? null : firstText(root, "message", "Message");
        Category category = category(type, message, status);
        if (message == null) {
            message = HttpErrors.statusAndBody(status, body, MAX_MESSAGE);
        }
        return HttpErrors.error(category, status, headers, type, null,
                "provider '" + providerId + "': " + (type == null ? "" : type + ": ") + message + hint(category),
                REQUEST_ID, body);
    }

    /** An {@code exception} frame inside a stream that had started with HTTP 200. */
    ProviderError streamException(String exceptionType, String payload, String requestId) {
        String type = exceptionType == null ? null : typeName(exceptionType);
        JsonNode root = HttpErrors.object(json, payload);
        String message = root == null ? null : firstText(root, "message", "Message");
        Category category = type == null ? Category.SERVER : category(type, message, 0);
        return new ProviderError(category, 200, type, null, "provider '" + providerId + "': stream failed: "
                + (type == null ? "" : type + ": ") + (message == null ? payload : message) + hint(category), requestId,
                null, category.retryableByDefault(), payload);
    }

    /** An {@code error} frame ({@code :error-code}, {@code :error-message} headers) inside a stream. */
    ProviderError streamError(String code, String message, String requestId) {
        return new ProviderError(Category.SERVER, 200, code, code, "provider '" + providerId + "': stream failed: "
                + (code == null ? "" : code + ": ") + (message == null ? "" : message), requestId, null, true, null);
    }

    static Category category(String type, String message, int status) {
        if (type != null) {
            switch (type) {
                case "ValidationException" -> {
                    return contextLength(message) ? Category.CONTEXT_LENGTH : Category.INVALID_REQUEST;
                }
                case "AccessDeniedException" -> {
                    return Category.PERMISSION;
                }
                case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
                     "MissingAuthenticationTokenException", "ExpiredTokenException", "InvalidClientTokenId" -> {
                    return Category.AUTH;
                }
                case "ResourceNotFoundException" -> {
                    return Category.NOT_FOUND;
                }
                case "ModelTimeoutException" -> {
                    return Category.TIMEOUT;
                }
                case "ThrottlingException", "ModelNotReadyException" -> {
                    return Category.RATE_LIMITED;
                }
                case "ServiceQuotaExceededException" -> {
                    return Category.QUOTA_EXHAUSTED;
                }
                case "ServiceUnavailableException" -> {
                    return Category.OVERLOADED;
                }
                case "InternalServerException", "ModelErrorException", "ModelStreamErrorException" -> {
                    return Category.SERVER;
                }
                default -> {
                    // a type newer than this adapter: the status decides
                }
            }
        }
        if (status == 400 && contextLength(message)) {
            return Category.CONTEXT_LENGTH;
        }
        // 424 Failed Dependency is how Bedrock reports the model's own failures
        return status == 0 || status == 424 ? Category.SERVER : HttpErrors.category(status);
    }

    /** {@code throttlingException} or {@code ThrottlingException:http://...} as {@code ThrottlingException}. */
    static String typeName(String raw) {
        String name = raw.strip();
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        return name.isEmpty() ? null : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static boolean contextLength(String message) {
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("too long") || lower.contains("context window") || lower.contains("context length")
                || lower.contains("too many input tokens") || lower.contains("too many tokens");
    }

    private static String hint(Category category) {
        return switch (category) {
            case AUTH -> " (check the AWS credentials or Bedrock API key configured for this provider)";
            case PERMISSION -> " (the IAM identity needs bedrock:InvokeModel / InvokeModelWithResponseStream on this model,"
                    + " and access to the model must be granted in the Bedrock console)";
            case CONTEXT_LENGTH -> " (shorten the conversation or choose a model with a larger context window)";
            default -> "";
        };
    }


    private static String firstText(JsonNode node, String first, String second) {
        String value = text(node, first);
        return value != null ? value : text(node, second);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
