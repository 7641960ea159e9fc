package io.mcpagent.console.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.mcpagent.api.runtime.Durations;

/**
 * The console's login sessions, in memory only (a restart logs everybody out). A session keeps the key it was opened
 * with so that every request is authenticated again: a revoked or downgraded key loses the console at once. It ends
 * after {@code idle} without a request, {@code maxAge} after the login, or when more than {@code capacity} sessions
 * exist (the least recently used goes).
 */
final class LoginSessions {
    /** One login: the key, the CSRF token of the session, when it began and when it was last used. */
    record Session(String credential, String csrfToken, Instant created, Instant lastUsed) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;
    private final int capacity;

    LoginSessions(Clock clock, Duration idle, Duration maxAge, int capacity) {
        // named as the operator sets them, so the message says what to change where
        List<String> wrong = new ArrayList<>();
        if (!idle.isPositive()) {
            wrong.add("sessionIdleMinutes was " + Durations.text(idle));
        }
        if (!maxAge.isPositive()) {
            wrong.add("sessionMaxHours was " + Durations.text(maxAge));
        }
        if (capacity < 1) {
            wrong.add("maxSessions was " + capacity);
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException("the console's session limits in etc/" + ConsoleConfig.PID
                    + ".cfg.json (PID " + ConsoleConfig.PID + ") must be at least 1: " + String.join(", ", wrong));
        }
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
        this.capacity = capacity;
    }

    /** Opens a session for a credential that was just accepted; returns the session id for the cookie. */
    String open(String credential) {
        Instant now = clock.instant();
        sessions.entrySet().removeIf(entry -> expired(entry.getValue(), now));
        while (sessions.size() >= capacity) {
            sessions.entrySet().stream().min(Comparator.comparing(entry -> entry.getValue().lastUsed()))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        String id = token();
        sessions.put(id, new Session(credential, token(), now, now));
        return id;
    }

    /** The live session of that id, marked as used now; empty when unknown or expired (an expired one is removed). */
    Optional<Session> use(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session session = sessions.computeIfPresent(id, (key, current) -> expired(current, now) ? null
                : new Session(current.credential(), current.csrfToken(), current.created(), now));
        return Optional.ofNullable(session);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastUsed().plus(idle)) || !now.isBefore(session.created().plus(maxAge));
    }

    /** 256 random bits, URL-safe: unguessable session ids and CSRF tokens. */
    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
