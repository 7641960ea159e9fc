package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/** A configuration with a limit out of its range is refused, named, and the limits in force stay. */
class RequestLimitsTest {
    private static final Principal CALLER = new Principal("key-1", Role.VIEWER, "acme");

    @Test
    void aValueOutOfRangeAtStartIsRefusedAndTheDefaultsApply() {
        RequestLimits limits = new RequestLimits(ServletCalls.config(Map.of("maxRequestBytes", -1L,
                "rateLimitPerSecond", 0.0)));

        assertRefused(limits, "maxRequestBytes must be within [1, 1073741824], was -1; the defaults are in force");
        assertEquals(1024 * 1024, limits.maxRequestBytes());
        for (int i = 0; i < 100; i++) {
            assertNull(limits.check(CALLER), "the default burst of 100, not the refused 'no limit'");
        }
        assertNotNull(limits.check(CALLER));
    }

    @Test
    void aRefusedChangeKeepsThePreviousLimitsUntilAValidOneArrives() {
        RequestLimits limits = new RequestLimits(ServletCalls.config(Map.of("maxRequestBytes", 10L,
                "rateLimitPerSecond", 0.001, "rateLimitBurst", 1)));
        assertEquals(List.of(), limits.problems());

        limits.modified(ServletCalls.config(Map.of("maxRequestBytes", 20L, "rateLimitBurst", 0)));
        assertRefused(limits, "rateLimitBurst must be at least 1, was 0; the previous settings stay in force");
        limits.modified(ServletCalls.config(Map.of("tenantRateLimitPerSecond", -5.0)));
        assertRefused(limits, "tenantRateLimitPerSecond must be a finite number of at least 0 (0: no limit), was -5.0");
        limits.modified(ServletCalls.config(Map.of("rateLimitPerSecond", Double.POSITIVE_INFINITY)));
        assertRefused(limits, "rateLimitPerSecond must be a finite number of at least 0 (0: no limit), was Infinity");
        limits.modified(ServletCalls.config(Map.of("tenantRateLimitBurst", -3)));
        assertRefused(limits, "tenantRateLimitBurst must be at least 1, was -3");
        limits.modified(ServletCalls.config(Map.of("maxRequestBytes", (1L << 30) + 1)));
        assertRefused(limits, "maxRequestBytes must be within [1, 1073741824], was 1073741825");
        assertEquals(10, limits.maxRequestBytes());
        assertNull(limits.check(CALLER));
        assertNotNull(limits.check(CALLER), "the burst of 1 is still in force");

        limits.modified(ServletCalls.config(Map.of("maxRequestBytes", 1L << 30, "rateLimitPerSecond", 0.0)));
        assertEquals(List.of(), limits.problems());
        assertEquals(1L << 30, limits.maxRequestBytes());
        assertNull(limits.check(CALLER), "no limit per caller any more");
    }

    private static void assertRefused(RequestLimits limits, String why) {
        List<Problem> problems = limits.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("config", problems.get(0).source());
        assertEquals(HttpConfig.PID, problems.get(0).subject());
        String message = problems.get(0).message();
        assertTrue(message.startsWith("configuration io.mcpagent.http (etc/io.mcpagent.http.cfg.json) is refused: "),
                message);
        assertTrue(message.contains(why), message);
    }
}
