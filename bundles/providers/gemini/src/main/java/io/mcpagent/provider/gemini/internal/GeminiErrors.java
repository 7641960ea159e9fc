package io.mcpagent.provider.gemini.internal;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.provider.support.ErrorMapper;
import io.mcpagent.provider.support.HttpErrors;
import io.mcpagent.provider.support.RetryHeaders;

/**
 * Google's error body, a {@code google.rpc.Status} {@code {"error":{"code","message","status","details":[…]}}}
 * (sometimes wrapped in an array), as a {@link ProviderError}: the canonical {@code status} decides the category (the
 * HTTP status when it is missing, e.g. a proxy's HTML page); {@code RetryInfo.retryDelay} is the retry hint when no
 * {@code retry-after} header came; a {@code QuotaFailure} on a per-day quota (or a quota of 0) is QUOTA_EXHAUSTED and
 * not retried, since waiting seconds cannot help. The API key is masked wherever the body echoes it.
 */
final class GeminiErrors implements ErrorMapper {
    private static final int MAX_MESSAGE = 500;
    private static final BigDecimal LONGEST_HINT_SECONDS = BigDecimal.valueOf(RetryHeaders.LONGEST_HINT.toSeconds());
    private final ObjectMapper json;
    private final String providerId;
    private final String secret;

    /** What a {@code google.rpc.Status} says; {@code quota} is the exhausted quota's id, {@code daily} says it is a per-day or zero quota. */
    record Status(String status, String message, String reason, String quota, boolean daily, boolean zero,
                  Duration retryDelay) {
        static final Status NONE = new Status(null, null, null, null, false, false, null);
    }

    GeminiErrors(ObjectMapper json, String providerId, String secret) {
        this.json = json;
        this.providerId = providerId;
        this.secret = secret == null || secret.length() < 4 ? null : secret;
    }

    @Override
    public ProviderError map(int status, HttpHeaders headers, String body) {
        String safeBody = redact(body);
        Status said = status(HttpErrors.json(json, safeBody));
        Category category = category(said, status);
        String message = said.message();
        if (message == null) {
            message = HttpErrors.statusAndBody(status, safeBody, MAX_MESSAGE);
        }
        ProviderError error = HttpErrors.error(category, status, headers, said.status(), code(said),
                "provider '" + providerId + "': " + message + hint(category, said), null, safeBody);
        return new ProviderError(category, status, error.providerType(), error.providerCode(), error.message(), null,
                error.retryAfter() != null ? error.retryAfter() : said.retryDelay(),
                category != Category.QUOTA_EXHAUSTED && error.retryable(), safeBody);
    }

    /** An error object inside a stream that had started with HTTP 200 ({@code data: {"error":{…}}}). */
    ProviderError inBand(JsonNode root) {
        return inBand("the stream failed", root);
    }

    /**
     * The body of an HTTP 200 answer when it is Google's error object ({@code {"error":{"code":503,…}}}), as a
     * gateway may send it: it was taken for an answer without candidates, its status lost. Empty for any other body.
     */
    Optional<ProviderError> answerError(String body) {
        JsonNode root = HttpErrors.object(json, body);
        return root != null && root.path("error").isObject() ? Optional.of(inBand("the answer (HTTP 200) is an error",
                root)) : Optional.empty();
    }

    /** An error object in an HTTP 200 answer: {@code what} says where ("the stream failed"). */
    private ProviderError inBand(String what, JsonNode root) {
        String raw = redact(root.toString());
        Status said = status(root);
        int code = root.path("error").path("code").asInt(0);
        Category category = category(said, code);
        return new ProviderError(category, code == 0 ? 200 : code, said.status(), code(said), "provider '" + providerId
                + "': " + what + ": " + (said.message() == null ? raw : said.message()) + hint(category, said),
                null, said.retryDelay(), category != Category.QUOTA_EXHAUSTED && category.retryableByDefault(), raw);
    }

    static Category category(Status said, int httpStatus) {
        if ("API_KEY_INVALID".equals(said.reason()) || "API_KEY_EXPIRED".equals(said.reason())) {
            // Google answers a wrong key with 400 INVALID_ARGUMENT; the ErrorInfo reason tells it apart
            return Category.AUTH;
        }
        String status = said.status() == null ? "" : said.status();
        if (status.equals("RESOURCE_EXHAUSTED") || httpStatus == 429) {
            return said.daily() || said.zero() ? Category.QUOTA_EXHAUSTED : Category.RATE_LIMITED;
        }
        return switch (status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" ->
                    contextLength(said.message()) ? Category.CONTEXT_LENGTH : Category.INVALID_REQUEST;
            case "UNAUTHENTICATED" -> Category.AUTH;
            case "PERMISSION_DENIED" -> Category.PERMISSION;
            case "NOT_FOUND" -> Category.NOT_FOUND;
            case "UNAVAILABLE" -> Category.OVERLOADED;
            case "DEADLINE_EXCEEDED" -> Category.TIMEOUT;
            case "INTERNAL", "UNKNOWN", "ABORTED", "DATA_LOSS", "CANCELLED" -> Category.SERVER;
            default -> {
                if (httpStatus == 400 && contextLength(said.message())) {
                    yield Category.CONTEXT_LENGTH;
                }
                yield httpStatus < 400 ? Category.SERVER : HttpErrors.category(httpStatus);
            }
        };
    }

    /** The parts of a {@code google.rpc.Status} that decide what to do; {@link Status#NONE} for any other body. */
    static Status status(JsonNode root) {
        JsonNode first = root != null && root.isArray() && !root.isEmpty() ? root.get(0) : root;
        JsonNode error = first == null ? null : first.get("error");
        if (error == null || !error.isObject()) {
            return Status.NONE;
        }
        String reason = null;
        Duration retryDelay = null;
        List<String> quotas = new ArrayList<>();
        boolean daily = false;
        boolean zero = false;
        for (JsonNode detail : error.path("details")) {
            String type = detail.path("@type").asText("");
            if (type.endsWith("google.rpc.RetryInfo")) {
                retryDelay = duration(detail.path("retryDelay").asText(""));
            } else if (type.endsWith("google.rpc.ErrorInfo")) {
                reason = text(detail, "reason");
            } else if (type.endsWith("google.rpc.QuotaFailure")) {
                for (JsonNode violation : detail.path("violations")) {
                    String quota = text(violation, "quotaId");
                    if (quota != null) {
                        quotas.add(quota);
                        daily |= quota.toLowerCase(Locale.ROOT).contains("perday");
                    }
                    zero |= "0".equals(text(violation, "quotaValue"));
                }
            }
        }
        String quota = quotas.stream().filter(q -> q.toLowerCase(Locale.ROOT).contains("perday")).findFirst()
                .orElse(quotas.isEmpty() ? null : quotas.get(0));
        return new Status(text(error, "status"), text(error, "message"), reason, quota, daily, zero, retryDelay);
    }

    /**
     * A protobuf {@code Duration} in JSON: decimal seconds with an {@code s}, e.g. {@code "37s"} or {@code "12.770s"};
     * at most {@link RetryHeaders#LONGEST_HINT}.
     */
    static Duration duration(String text) {
        String value = text.strip();
        if (!value.endsWith("s")) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.substring(0, value.length() - 1));
            // compared before it is scaled: "1e99999999s" in milliseconds would be all its digits, computed for
            // hours, and "1e30s" as a long only its low 64 bits, a random wait
            return seconds.signum() < 0 ? null : seconds.compareTo(LONGEST_HINT_SECONDS) > 0 ? RetryHeaders.LONGEST_HINT
                    : Duration.ofMillis(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException | ArithmeticException notADuration) {
            return null;
        }
    }

    private static String code(Status said) {
        return said.quota() != null ? said.quota() : said.reason();
    }

    private static boolean contextLength(String message) {
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("exceeds the maximum number of tokens") || lower.contains("input token count")
                || lower.contains("context window") || lower.contains("too many tokens");
    }

    private static String hint(Category category, Status said) {
        if (category == Category.QUOTA_EXHAUSTED) {
            return said.zero() && !said.daily()
                    ? " (quota " + said.quota() + " is 0 for this model: enable billing for the project or choose another model)"
                    : " (daily quota " + said.quota() + " is used up; retrying before it resets will not help: raise the"
                    + " quota, enable billing, or use another project's key)";
        }
        if (said.message() != null && said.message().contains("thought_signature")) {
            return " (a model turn was not replayed as Gemini returned it: keep assistant messages with their providerMeta)";
        }
        return switch (category) {
            case AUTH -> " (check the API key configured for this provider)";
            case CONTEXT_LENGTH -> " (shorten the conversation or choose a model with a larger context window)";
            default -> "";
        };
    }

    private String redact(String text) {
        return text == null || secret == null ? text : text.replace(secret, "****");
    }


    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
