package io.mcpagent.provider.openai.internal;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.provider.support.ErrorMapper;
import io.mcpagent.provider.support.HttpErrors;
import io.mcpagent.provider.support.RateLimitHeaders;

/**
 * Error answers of the Chat Completions family as {@link ProviderError}s. Bodies come as
 * {@code {"error":{"message","type","param","code"}}} (OpenAI, Azure with {@code innererror}, OpenRouter, llama.cpp,
 * Ollama), flat {@code {"object":"error","message","type","code"}} (older vLLM) or {@code {"error":"text"}}; the
 * status gives the category, the code, type and message refine it (context length, content filter, quota).
 * The API key is masked wherever the server echoes it.
 */
final class OpenAiErrors implements ErrorMapper {
    private static final int MAX_MESSAGE = 2_000;

    private final String providerId;
    private final Supplier<String> secret;
    private final ObjectMapper mapper;
    /** A quota that resets within this long is a rate limit to wait for, not an account out of quota. */
    private static final Duration PASSING_QUOTA = Duration.ofHours(1);
    private static final Pattern RESET_CLOCK = Pattern.compile("\\bin (\\d{1,2}):(\\d{2}):(\\d{2})\\b");
    private static final Pattern RESET_SECONDS = Pattern.compile("\\bin (\\d{1,5}) seconds?\\b");

    /** {@code secret} gives the key of now: a key file is read again when it changes. */
    OpenAiErrors(String providerId, Supplier<String> secret, ObjectMapper mapper) {
        this.providerId = providerId;
        this.secret = secret;
        this.mapper = mapper;
    }

    /** What the server said, from whichever error shape it used. */
    record Details(String type, String code, String message, String param, String innerCode, String filtered) {
    }

    @Override
    public ProviderError map(int status, HttpHeaders headers, String body) {
        String safeBody = redact(body);
        Details details = details(safeBody);
        Category category = category(status, details);
        // Azure API Management's token and call quotas answer 403 "Quota will reset in 30 seconds": a rate limit that
        // passes, not an account out of quota, which the router would rank last until a call to it succeeded
        Duration quotaReset = category == Category.QUOTA_EXHAUSTED && status == 403 ? quotaResetIn(details.message())
                : null;
        if (quotaReset != null && quotaReset.compareTo(PASSING_QUOTA) <= 0) {
            category = Category.RATE_LIMITED;
        }
        String message = message("HTTP " + status, details, safeBody);
        ProviderError error = HttpErrors.error(category, status, headers, details.type(), details.code(), message,
                "x-request-id", safeBody);
        String requestId = error.requestId() != null ? error.requestId() : headers.firstValue("apim-request-id").orElse(null);
        Duration retryAfter = error.retryAfter() != null ? error.retryAfter() : status == 429 ? resetWait(headers)
                : quotaReset;
        boolean retryable = category == Category.QUOTA_EXHAUSTED ? false : error.retryable();
        return new ProviderError(category, status, error.providerType(), error.providerCode(), error.message(), requestId,
                retryAfter, retryable, error.rawBody());
    }

    /** An error that arrived inside a 200 answer ({@code data: {"error":{...}}} in a stream, or a 200 body). */
    ProviderError inBand(JsonNode root, String requestId) {
        String raw = redact(root.toString());
        Details details = details(root);
        Category category;
        Integer numeric = numericCode(details.code());
        if (numeric != null && numeric >= 400) {
            category = category(numeric, details);
        } else {
            category = refine(Category.SERVER, 0, details);
        }
        return new ProviderError(category, numeric == null ? 0 : numeric, details.type(), details.code(),
                message("error in the answer", details, raw), requestId, null, category.retryableByDefault(), raw);
    }

    /** The key of now, for what masks it elsewhere ({@code MalformedAnswers}); none when there is no key. */
    List<String> secrets() {
        String key = secret.get();
        return key == null ? List.of() : List.of(key);
    }

    private String redact(String text) {
        String key = secret.get();
        return text == null || key == null || key.isBlank() ? text : text.replace(key, "****");
    }

    private Details details(String body) {
        if (body == null || body.isBlank()) {
            return new Details(null, null, null, null, null, null);
        }
        try {
            return details(mapper.readTree(body));
        } catch (Exception notJson) {
            return new Details(null, null, null, null, null, null);
        }
    }

    static Details details(JsonNode root) {
        if (root == null || !root.isObject()) {
            return new Details(null, null, null, null, null, null);
        }
        JsonNode error = root.get("error");
        if (error != null && error.isTextual()) {
            return new Details(null, null, error.asText(), null, null, null);
        }
        JsonNode node = error != null && error.isObject() ? error : root;
        JsonNode inner = node.path("innererror");
        return new Details(text(node.get("type")), text(node.get("code")), text(node.get("message")), text(node.get("param")),
                text(inner.get("code")), filtered(inner.path("content_filter_result")));
    }

    /**
     * What Azure's content filter filtered, from {@code innererror.content_filter_result}: {@code hate (high),
     * jailbreak}, each category whose {@code filtered} is true with its severity; null when none is.
     */
    private static String filtered(JsonNode result) {
        List<String> filtered = new ArrayList<>();
        result.properties().forEach(entry -> {
            JsonNode verdict = entry.getValue();
            if (verdict.path("filtered").asBoolean(false)) {
                String severity = text(verdict.get("severity"));
                filtered.add(entry.getKey() + (severity == null || severity.isBlank() ? "" : " (" + severity + ")"));
            }
        });
        return filtered.isEmpty() ? null : String.join(", ", filtered);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    private static Category category(int status, Details details) {
        return refine(HttpErrors.category(status), status, details);
    }

    private static Category refine(Category byStatus, int status, Details details) {
        String code = lower(details.code());
        String type = lower(details.type());
        String inner = lower(details.innerCode());
        String message = lower(details.message());
        if (code.equals("content_filter") || inner.equals("responsibleaipolicyviolation") || code.equals("content_policy_violation")) {
            return Category.CONTENT_FILTERED;
        }
        boolean requestProblem = status == 0 || status == 400 || status == 413 || status == 422;
        if (code.equals("context_length_exceeded") || type.equals("exceed_context_size_error")
                || requestProblem && (message.contains("maximum context length") || message.contains("context length")
                || message.contains("context window") || message.contains("exceeds the available context size"))) {
            return Category.CONTEXT_LENGTH;
        }
        if (code.equals("insufficient_quota") || type.equals("insufficient_quota") || status == 402
                || status == 403 && message.contains("quota")) {
            return Category.QUOTA_EXHAUSTED;
        }
        if (byStatus == Category.SERVER && status == 0) {
            if (code.equals("rate_limit_exceeded") || type.equals("rate_limit_error")) {
                return Category.RATE_LIMITED;
            }
            if (type.contains("overloaded") || code.contains("overloaded")) {
                return Category.OVERLOADED;
            }
        }
        if (status == 404 || code.equals("model_not_found") || code.equals("deploymentnotfound")) {
            return Category.NOT_FOUND;
        }
        return byStatus;
    }

    private String message(String prefix, Details details, String body) {
        StringBuilder text = new StringBuilder("provider '").append(providerId).append("': ").append(prefix);
        String kind = details.code() != null ? details.code() : details.type();
        if (kind != null && !kind.isBlank()) {
            text.append(" (").append(kind).append(')');
        }
        String said = details.message();
        if (said == null || said.isBlank()) {
            said = HttpErrors.bodyText(body, MAX_MESSAGE);
        } else if (said.length() > MAX_MESSAGE) {
            said = said.substring(0, MAX_MESSAGE) + "...";
        }
        if (!said.isEmpty()) {
            text.append(": ").append(said);
        }
        if (details.filtered() != null) {
            // Azure's message says a filter fired, not which: the categories say what to change in the prompt
            text.append(" (filtered: ").append(details.filtered()).append(')');
        }
        return text.toString();
    }

    /**
     * When a quota that answered 403 says it resets: "Quota will reset in 30 seconds", "will be replenished in
     * 00:00:42" (Azure API Management); null when the message names no time.
     */
    static Duration quotaResetIn(String message) {
        if (message == null) {
            return null;
        }
        Matcher clock = RESET_CLOCK.matcher(message);
        if (clock.find()) {
            return Duration.ofHours(Long.parseLong(clock.group(1))).plusMinutes(Long.parseLong(clock.group(2)))
                    .plusSeconds(Long.parseLong(clock.group(3)));
        }
        Matcher seconds = RESET_SECONDS.matcher(message);
        return seconds.find() ? Duration.ofSeconds(Long.parseLong(seconds.group(1))) : null;
    }

    /** OpenAI's own hint when no retry-after came: when the exhausted limit resets (§9.2 precedence). */
    private static Duration resetWait(HttpHeaders headers) {
        Duration requests = remaining(headers, "requests") == 0 ? reset(headers, "requests") : null;
        Duration tokens = remaining(headers, "tokens") == 0 ? reset(headers, "tokens") : null;
        if (requests != null && tokens != null) {
            return requests.compareTo(tokens) >= 0 ? requests : tokens;
        }
        return requests != null ? requests : tokens;
    }

    private static long remaining(HttpHeaders headers, String what) {
        try {
            return headers.firstValue("x-ratelimit-remaining-" + what).map(String::trim).map(Long::parseLong).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Duration reset(HttpHeaders headers, String what) {
        return headers.firstValue("x-ratelimit-reset-" + what).map(RateLimitHeaders::duration).orElse(null);
    }

    private static Integer numericCode(String code) {
        if (code == null) {
            return null;
        }
        try {
            return Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
