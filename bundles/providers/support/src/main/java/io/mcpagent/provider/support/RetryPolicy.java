package io.mcpagent.provider.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long to retry a retryable failure: capped exponential backoff with full jitter, unless the
 * server said how long to wait ({@code retry-after}), which is obeyed up to {@code maxRetryAfter}; a longer wait is
 * not retried here at all.
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(60));
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative");
        }
    }

    /** This policy's backoff with {@code maxRetries} retries, e.g. the number a provider's configuration asks for. */
    public RetryPolicy withMaxRetries(int maxRetries) {
        return new RetryPolicy(maxRetries, initialBackoff, maxBackoff, maxRetryAfter);
    }

    /**
     * The wait before retry number {@code attempt} (1-based); null {@code retryAfter} means the server gave none. Null
     * when the server asked for a longer wait than {@code maxRetryAfter}: a sooner retry would fail again, and the
     * caller (the router, which can fall back to another provider) is better served by the failure at once.
     */
    public Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(maxRetryAfter) <= 0 ? retryAfter : null;
        }
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap <= 0 ? 0 : cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }
}
