package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstPassesThenTheRateHoldsAndTheWaitIsTold() {
        TokenBuckets buckets = new TokenBuckets(2, 3, 100, now::get); // 2 per second, burst 3
        for (int i = 0; i < 3; i++) {
            assertNull(buckets.take("key-a"), "request " + i + " of the burst");
        }
        assertEquals(Duration.ofMillis(500), buckets.take("key-a"), "the next token comes in half a second");
        assertNull(buckets.take("key-b"), "other keys have their own bucket");
        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertEquals(Duration.ofMillis(250), buckets.take("key-a"));
        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertNull(buckets.take("key-a"));
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        for (int i = 0; i < 3; i++) {
            assertNull(buckets.take("key-a"), "a quiet minute refills the bucket, never beyond the burst");
        }
        assertTrue(buckets.take("key-a") != null);
    }

    @Test
    void theNumberOfBucketsIsBoundedByDroppingFullOnes() {
        TokenBuckets buckets = new TokenBuckets(1, 1, 2, now::get);
        buckets.take("a");
        buckets.take("b");
        now.addAndGet(Duration.ofSeconds(2).toNanos()); // a and b are full again
        buckets.take("c");
        assertEquals(1, buckets.size(), "the full buckets made room");
        assertTrue(buckets.take("c") != null, "c's own bucket is kept and empty");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(0, 1, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(1, 0, 1, now::get));
    }
}
