package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuthenticationThrottleTest {
    private final AuthenticationThrottle throttle = new AuthenticationThrottle(
            ServletCalls.config(Map.of("maxFailedAuthenticationsPerMinute", 2)), new MovableClock(Instant.EPOCH));

    private void fail(String address) {
        throttle.failed(address, "api:anonymous", UnauthenticatedAudit.ACTION, "GET /api/v1/status", "no key");
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64SoThatRotatingAddressesInItGainsNothing() {
        fail("2001:db8:1:2::a");
        fail("[2001:db8:1:2:ffff:ffff:ffff:ffff]");

        assertTrue(throttle.blocked("2001:db8:1:2::b").isPresent(), "another address of the /64");
        assertTrue(throttle.blocked("[2001:db8:1:2:0:0:0:c]").isPresent(), "as Jetty writes it");
        assertEquals(false, throttle.blocked("2001:db8:1:3::a").isPresent(), "the next /64");
    }

    @Test
    void anIpv4ClientIsCountedByItsAddress() {
        fail("192.0.2.1");
        fail("192.0.2.1");

        assertTrue(throttle.blocked("192.0.2.1").isPresent());
        assertEquals(false, throttle.blocked("192.0.2.2").isPresent());
        assertTrue(throttle.blocked("::ffff:192.0.2.1").isPresent(), "the IPv4 address mapped into IPv6");
    }

    @Test
    void whatIsNoAddressIsCountedAsItIs() {
        fail("not-an-address");
        fail("not-an-address");

        assertTrue(throttle.blocked("not-an-address").isPresent());
        assertEquals(false, throttle.blocked(null).isPresent());
    }
}
