package io.mcpagent.provider.support;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The retry hints providers send: {@code retry-after-ms}, {@code retry-after} (seconds or HTTP date), {@code x-should-retry}. */
public final class RetryHeaders {
    private RetryHeaders() {
    }

    /** How long the server asks us to wait, if it says. */
    public static Duration retryAfter(HttpHeaders headers) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(millis.get().trim()));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        Optional<String> after = headers.firstValue("retry-after");
        if (after.isEmpty()) {
            return null;
        }
        String value = after.get().trim();
        try {
            return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(date.getZone()), date);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** {@code x-should-retry: true|false} overrides the status-based decision; empty when absent. */
    public static Optional<Boolean> shouldRetry(HttpHeaders headers) {
        return headers.firstValue("x-should-retry").map(String::trim).filter(v -> v.equals("true") || v.equals("false"))
                .map(Boolean::parseBoolean);
    }
}
