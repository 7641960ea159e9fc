package io.mcpagent.analyzer.llm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class WarningLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final WarningLimiter limiter = new WarningLimiter(Duration.ofSeconds(60), now::get);

    @Test
    void firstWarningPassesThenOnePerIntervalWithTheCountHeldBack() {
        assertEquals(0, limiter.admit());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(WarningLimiter.HOLD_BACK, limiter.admit());
        now.addAndGet(Duration.ofSeconds(58).toNanos());
        assertEquals(WarningLimiter.HOLD_BACK, limiter.admit());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(2, limiter.admit(), "a minute after the last one, with the two held back in between");
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        assertEquals(0, limiter.admit(), "nothing was held back since");
    }
}
