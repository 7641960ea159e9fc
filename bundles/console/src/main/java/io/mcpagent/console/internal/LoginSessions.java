package io.mcpagent.console.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console's login sessions, in memory only (a restart of the runtime or of this bundle logs everybody out). A
 * session keeps the key it was opened with so that every request is authenticated again: a revoked or downgraded key
 * loses the console at once. It ends
 * after {@link ConsoleSettings#sessionIdle} without a request, {@link ConsoleSettings#sessionMaxAge} after the login,
 * or when a login would make more than {@link ConsoleSettings#maxSessions} (the least recently used goes). The limits
 * in force at each request apply, to sessions opened before a change as well.
 * <p>
 * A component of its own, immediate and needing nothing from another bundle, so that the sessions outlive the
 * {@link ConsoleSecurityProvider}: DS replaces that whenever the services it needs from bundle io.mcpagent.http go and
 * come back (a refresh or an update of that bundle), and each request authenticates its session's key with the new
 * {@code Authenticator}.
 */
@Component(service = LoginSessions.class, immediate = true)
public final class LoginSessions {
    /** One login: the key, the CSRF token of the session, when it began and when it was last used. */
    record Session(String credential, String csrfToken, Instant created, Instant lastUsed) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    /** Read at each use, so a changed configuration applies to the sessions already open. */
    private final Supplier<ConsoleSettings> limits;

    @Activate
    public LoginSessions(@Reference ConsoleConfiguration configuration) {
        this(Clock.systemUTC(), configuration::settings);
    }

    LoginSessions(Clock clock, Supplier<ConsoleSettings> limits) {
        this.clock = clock;
        this.limits = limits;
    }

    /** Opens a session for a credential that was just accepted; returns the session id for the cookie. */
    String open(String credential) {
        Instant now = clock.instant();
        sessions.entrySet().removeIf(entry -> expired(entry.getValue(), now));
        int capacity = limits.get().maxSessions();
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
        ConsoleSettings current = limits.get();
        return !now.isBefore(session.lastUsed().plus(current.sessionIdle()))
                || !now.isBefore(session.created().plus(current.sessionMaxAge()));
    }

    /** 256 random bits, URL-safe: unguessable session ids and CSRF tokens. */
    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
