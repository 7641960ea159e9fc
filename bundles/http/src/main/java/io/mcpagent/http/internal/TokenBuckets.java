package io.mcpagent.http.internal;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by name (an API key, a tenant): each holds up to {@code burst} tokens and refills at
 * {@code perSecond}; a request takes one. A request finding its bucket empty is told how long until the next token,
 * for {@code Retry-After}. At most {@code maxBuckets} are kept: when more are needed, full ones (whose callers have been
 * quiet long enough to refill) are dropped first, since a full bucket and a missing one behave the same.
 */
final class TokenBuckets {
    /** One bucket; guarded by itself. */
    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }
    }

    private final double perNano;
    private final double burst;
    private final int maxBuckets;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perSecond  tokens added per second, > 0
     * @param burst      most tokens a bucket holds, >= 1
     * @param maxBuckets most buckets kept, >= 1
     * @param nanoClock  monotonic nanoseconds ({@code System::nanoTime})
     */
    TokenBuckets(double perSecond, int burst, int maxBuckets, LongSupplier nanoClock) {
        if (!(perSecond > 0) || burst < 1 || maxBuckets < 1) {
            throw new IllegalArgumentException("perSecond must be > 0, burst and maxBuckets >= 1; were " + perSecond
                    + ", " + burst + ", " + maxBuckets);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.maxBuckets = maxBuckets;
        this.nanoClock = nanoClock;
    }

    /** Takes a token from {@code name}'s bucket: null when there was one, else how long until there is. */
    Duration take(String name) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            if (buckets.size() >= maxBuckets) {
                dropFull(now);
            }
            bucket = buckets.computeIfAbsent(name, key -> new Bucket(burst, now));
        }
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return null;
            }
            return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perNano));
        }
    }

    int size() {
        return buckets.size();
    }

    private void refill(Bucket bucket, long now) {
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * perNano);
        bucket.updated = now;
    }

    /** Drops the buckets that are full by now; if none is, the map may exceed its bound until some are. */
    private void dropFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            synchronized (bucket) {
                refill(bucket, now);
                if (bucket.tokens >= burst) {
                    it.remove();
                }
            }
        }
    }
}
