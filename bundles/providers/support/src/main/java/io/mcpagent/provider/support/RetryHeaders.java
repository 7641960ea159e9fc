package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The retry hints providers send: {@code retry-after-ms}, {@code retry-after} (seconds or HTTP date), {@code x-should-retry}.
 * A hint that is no decimal number or date (negative, {@code NaN}, {@code Infinity}, words) counts as none; one longer
 * than {@link #LONGEST_HINT} as that.
 */
public final class RetryHeaders {
    /**
     * The longest wait a hint is taken for (2.8): a longer one says no more than "not soon" (far beyond any retry
     * here), and keeps what is computed from it (deadlines, seconds rounded up) within range.
     */
    public static final Duration LONGEST_HINT = Duration.ofDays(1);
    private static final Pattern DECIMAL = Pattern.compile("\\d+(?:\\.\\d+)?");

    private RetryHeaders() {
    }

    /** How long the server asks us to wait, if it says. */
    public static Duration retryAfter(HttpHeaders headers) {
        Optional<String> millis = headers.firstValue("retry-after-ms").map(String::trim);
        if (millis.isPresent() && DECIMAL.matcher(millis.get()).matches()) {
            return hint(Double.parseDouble(millis.get()));
        }
        Optional<String> after = headers.firstValue("retry-after");
        if (after.isEmpty()) {
            return null;
        }
        String value = after.get().trim();
        if (DECIMAL.matcher(value).matches()) {
            return hint(Double.parseDouble(value) * 1000);
        }
        try {
            ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(ZonedDateTime.now(date.getZone()), date);
            return wait.isNegative() ? Duration.ZERO : wait.compareTo(LONGEST_HINT) > 0 ? LONGEST_HINT : wait;
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }

    /**
     * A wait of {@code millis} milliseconds as a provider's hint (2.8): null for a negative or {@code NaN} one, which
     * is no wait, and at most {@link #LONGEST_HINT}.
     */
    public static Duration hint(double millis) {
        if (!(millis >= 0)) {
            return null;
        }
        return millis >= LONGEST_HINT.toMillis() ? LONGEST_HINT : Duration.ofMillis((long) millis);
    }

    /** {@code x-should-retry: true|false} overrides the status-based decision; empty when absent. */
    public static Optional<Boolean> shouldRetry(HttpHeaders headers) {
        return headers.firstValue("x-should-retry").map(String::trim).filter(v -> v.equals("true") || v.equals("false"))
                .map(Boolean::parseBoolean);
    }
}
