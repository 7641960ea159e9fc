package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsInHoursMinutesAndSecondsLeavingOutZeroParts() {
        assertEquals("3 s", Durations.text(Duration.ofSeconds(3)));
        assertEquals("2 min 30 s", Durations.text(Duration.ofSeconds(150)));
        assertEquals("10 min", Durations.text(Duration.ofMinutes(10)));
        assertEquals("1 h 5 s", Durations.text(Duration.ofSeconds(3605)));
        assertEquals("24 h", Durations.text(Duration.ofDays(1)));
        assertEquals("1 h 1 min 1 s", Durations.text(Duration.ofSeconds(3661)));
    }

    @Test
    void keepsMillisecondsAsDecimalsOrAloneUnderASecond() {
        assertEquals("1.5 s", Durations.text(Duration.ofMillis(1500)));
        assertEquals("1 min 0.25 s", Durations.text(Duration.ofMillis(60_250)));
        assertEquals("250 ms", Durations.text(Duration.ofMillis(250)));
        assertEquals("2 s", Durations.text(Duration.ofSeconds(2).plusNanos(999)));
        assertEquals("0 ms", Durations.text(Duration.ofNanos(5)));
    }

    @Test
    void zeroAndNegativeDurationsReadAsWell() {
        assertEquals("0 s", Durations.text(Duration.ZERO));
        assertEquals("-3 s", Durations.text(Duration.ofSeconds(-3)));
    }
}
