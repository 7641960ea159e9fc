package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class LoginSessionsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    @Test
    void aSessionKeepsItsKeyAndHasItsOwnUnguessableToken() {
        LoginSessions sessions = new LoginSessions(clock, Duration.ofMinutes(30), Duration.ofHours(8), 10);
        String first = sessions.open("key-1");
        String second = sessions.open("key-1");

        LoginSessions.Session session = sessions.use(first).orElseThrow();
        assertEquals("key-1", session.credential());
        assertNotEquals(first, second);
        assertNotEquals(session.csrfToken(), sessions.use(second).orElseThrow().csrfToken());
        assertTrue(session.csrfToken().length() >= 43, "256 bits, base64url");
    }

    @Test
    void aSessionEndsAfterTheIdleTimeButUseKeepsItAlive() {
        LoginSessions sessions = new LoginSessions(clock, Duration.ofMinutes(30), Duration.ofHours(8), 10);
        String id = sessions.open("key");
        advance(Duration.ofMinutes(29));
        assertTrue(sessions.use(id).isPresent());
        advance(Duration.ofMinutes(29));
        assertTrue(sessions.use(id).isPresent(), "the last use counts, not the login");
        advance(Duration.ofMinutes(30));
        assertTrue(sessions.use(id).isEmpty());
    }

    @Test
    void aBusySessionStillEndsAtItsMaximumAge() {
        LoginSessions sessions = new LoginSessions(clock, Duration.ofMinutes(30), Duration.ofHours(1), 10);
        String id = sessions.open("key");
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofMinutes(11));
            assertTrue(sessions.use(id).isPresent());
        }
        advance(Duration.ofMinutes(11));
        assertTrue(sessions.use(id).isEmpty());
    }

    @Test
    void closedAndUnknownSessionsAreNotUsable() {
        LoginSessions sessions = new LoginSessions(clock, Duration.ofMinutes(30), Duration.ofHours(8), 10);
        String id = sessions.open("key");
        sessions.close(id);
        assertTrue(sessions.use(id).isEmpty());
        assertTrue(sessions.use("made-up").isEmpty());
        assertTrue(sessions.use(null).isEmpty());
    }

    @Test
    void beyondCapacityTheLeastRecentlyUsedSessionGoes() {
        LoginSessions sessions = new LoginSessions(clock, Duration.ofMinutes(30), Duration.ofHours(8), 2);
        String a = sessions.open("a");
        advance(Duration.ofSeconds(1));
        String b = sessions.open("b");
        advance(Duration.ofSeconds(1));
        sessions.use(a);
        advance(Duration.ofSeconds(1));
        String c = sessions.open("c");

        assertTrue(sessions.use(a).isPresent());
        assertTrue(sessions.use(b).isEmpty());
        assertTrue(sessions.use(c).isPresent());
    }

    @Test
    void nonsenseLimitsAreRefusedNamingTheSettingsToChange() {
        assertEquals("the console's session limits in etc/io.mcpagent.console.cfg.json (PID io.mcpagent.console) must"
                + " be at least 1: sessionIdleMinutes was 0 s", assertThrows(IllegalArgumentException.class,
                () -> new LoginSessions(clock, Duration.ZERO, Duration.ofHours(1), 1)).getMessage());
        assertEquals("the console's session limits in etc/io.mcpagent.console.cfg.json (PID io.mcpagent.console) must"
                + " be at least 1: sessionIdleMinutes was -5 min, sessionMaxHours was 0 s, maxSessions was 0",
                assertThrows(IllegalArgumentException.class,
                        () -> new LoginSessions(clock, Duration.ofMinutes(-5), Duration.ZERO, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LoginSessions(clock, Duration.ofMinutes(1), Duration.ofHours(-1), 1)).getMessage()
                .endsWith(": sessionMaxHours was -1 h"));
    }
}
