package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mcpagent.api.llm.RateLimitInfo;

/**
 * Rate-limit headers as {@link RateLimitInfo}: OpenAI's {@code x-ratelimit-*} (resets as durations like
 * {@code 6m0s}, {@code 1.5s}, {@code 20ms}) and Anthropic's {@code anthropic-ratelimit-*} (resets as RFC 3339 times).
 * Null when the answer carries none.
 */
public final class RateLimitHeaders {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private RateLimitHeaders() {
    }

    public static RateLimitInfo parse(HttpHeaders headers, Instant now) {
        if (headers.firstValue("anthropic-ratelimit-requests-limit").isPresent()
                || headers.firstValue("anthropic-ratelimit-tokens-limit").isPresent()) {
            return new RateLimitInfo(number(headers, "anthropic-ratelimit-requests-limit"),
                    number(headers, "anthropic-ratelimit-requests-remaining"),
                    instant(headers, "anthropic-ratelimit-requests-reset"),
                    number(headers, "anthropic-ratelimit-tokens-limit"),
                    number(headers, "anthropic-ratelimit-tokens-remaining"),
                    instant(headers, "anthropic-ratelimit-tokens-reset"),
                    number(headers, "anthropic-ratelimit-input-tokens-remaining"),
                    number(headers, "anthropic-ratelimit-output-tokens-remaining"));
        }
        if (headers.firstValue("x-ratelimit-limit-requests").isPresent()
                || headers.firstValue("x-ratelimit-limit-tokens").isPresent()) {
            return new RateLimitInfo(number(headers, "x-ratelimit-limit-requests"),
                    number(headers, "x-ratelimit-remaining-requests"),
                    after(now, headers, "x-ratelimit-reset-requests"),
                    number(headers, "x-ratelimit-limit-tokens"),
                    number(headers, "x-ratelimit-remaining-tokens"),
                    after(now, headers, "x-ratelimit-reset-tokens"), null, null);
        }
        return null;
    }

    /**
     * {@code 1h2m3.5s}, {@code 20ms}, or plain seconds; null for a negative or unreadable one, at most
     * {@link RetryHeaders#LONGEST_HINT} (a reset instant made of a longer one would not fit an {@code Instant}).
     */
    public static Duration duration(String text) {
        String value = text.trim();
        // Only a value ending in a digit can be plain seconds: trying OpenAI's "6ms" as a number first cost an
        // exception per header (a quarter of the adapter's decoding time).
        if (!value.isEmpty() && Character.isDigit(value.charAt(value.length() - 1))) {
            try {
                return RetryHeaders.hint(Double.parseDouble(value) * 1000);
            } catch (NumberFormatException notPlain) {
                // "1m30" and the like: the units below decide
            }
        }
        Matcher matcher = DURATION_PART.matcher(value);
        double millis = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            millis += switch (matcher.group(2)) {
                case "h" -> amount * 3_600_000;
                case "m" -> amount * 60_000;
                case "s" -> amount * 1000;
                default -> amount;
            };
            end = matcher.end();
        }
        return end == value.length() && end > 0 ? RetryHeaders.hint(millis) : null;
    }

    private static Long number(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(String::trim).map(Long::parseLong).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant after(Instant now, HttpHeaders headers, String name) {
        Duration wait = headers.firstValue(name).map(RateLimitHeaders::duration).orElse(null);
        return wait == null ? null : now.plus(wait);
    }
}
