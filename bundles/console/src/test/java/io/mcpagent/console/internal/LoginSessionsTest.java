package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class LoginSessionsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static ConsoleSettings limits(Duration idle, Duration maxAge, int capacity) {
        return new ConsoleSettings(idle, maxAge, capacity, 1024 * 1024, 10, 100);
    }

    private LoginSessions sessions(Duration idle, Duration maxAge, int capacity) {
        ConsoleSettings fixed = limits(idle, maxAge, capacity);
        return new LoginSessions(clock, () -> fixed);
    }

    private void advance(Duration duration) {
        clock.advance(duration);
    }

    @Test
    void aSessionKeepsItsKeyAndHasItsOwnUnguessableToken() {
        LoginSessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(8), 10);
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
        LoginSessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(8), 10);
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
        LoginSessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(1), 10);
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
        LoginSessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(8), 10);
        String id = sessions.open("key");
        sessions.close(id);
        assertTrue(sessions.use(id).isEmpty());
        assertTrue(sessions.use("made-up").isEmpty());
        assertTrue(sessions.use(null).isEmpty());
    }

    @Test
    void beyondCapacityTheLeastRecentlyUsedSessionGoes() {
        LoginSessions sessions = sessions(Duration.ofMinutes(30), Duration.ofHours(8), 2);
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
    void changedLimitsApplyToTheSessionsAlreadyOpen() {
        AtomicReference<ConsoleSettings> current = new AtomicReference<>(limits(Duration.ofMinutes(30),
                Duration.ofHours(8), 3));
        LoginSessions sessions = new LoginSessions(clock, current::get);
        String a = sessions.open("a");
        advance(Duration.ofMinutes(10));
        String b = sessions.open("b");
        advance(Duration.ofSeconds(1));

        current.set(limits(Duration.ofMinutes(5), Duration.ofHours(8), 1));

        assertTrue(sessions.use(a).isEmpty(), "idle for 10 minutes, more than the new 5");
        assertTrue(sessions.use(b).isPresent());
        advance(Duration.ofSeconds(1));
        String c = sessions.open("c");
        assertTrue(sessions.use(b).isEmpty(), "the new capacity of 1 leaves room for the newest login only");
        assertTrue(sessions.use(c).isPresent());
    }
}
