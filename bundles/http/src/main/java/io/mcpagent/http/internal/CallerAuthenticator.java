package io.mcpagent.http.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.security.Authenticator;
import io.mcpagent.api.security.Principal;

/**
 * Who presents a credential: an API key (actor {@code key:<id> (<name>)}, the key's role, the default tenant) or,
 * when {@code jwtKeyFile} is configured, a JWT bearer token (actor {@code jwt:<sub>}, role and tenant from its
 * claims). The REST API, the metrics and, as the platform's {@link Authenticator}, the shell's {@code auth:login}
 * all ask here, so a credential means the same everywhere.
 */
@Component(service = {CallerAuthenticator.class, Authenticator.class}, configurationPid = HttpConfig.PID)
public final class CallerAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(CallerAuthenticator.class);

    /** The JWT verifier, or why tokens cannot be checked; neither when JWTs are not configured. */
    private record Tokens(JwtVerifier verifier, String problem) {
    }

    private final KeyService keys;
    private volatile Tokens tokens;

    @Activate
    public CallerAuthenticator(@Reference KeyService keys, HttpConfig config) {
        this.keys = keys;
        modified(config);
    }

    /** A new JWT configuration applies to the next request. */
    @Modified
    void modified(HttpConfig config) {
        try {
            tokens = new Tokens(JwtVerifier.from(config).orElse(null), null);
        } catch (IllegalArgumentException e) {
            LOG.error("JWT bearer tokens are refused until the configuration is repaired: {}", e.getMessage());
            tokens = new Tokens(null, e.getMessage());
        }
    }

    @Override
    public Optional<Principal> authenticate(String credential) {
        if (credential == null || credential.isBlank()) {
            return Optional.empty();
        }
        Tokens current = tokens;
        if (JwtVerifier.looksLikeJwt(credential) && (current.verifier() != null || current.problem() != null)) {
            if (current.problem() != null) {
                throw new IllegalStateException("JWT bearer tokens cannot be checked: " + current.problem());
            }
            return current.verifier().verify(credential);
        }
        try {
            return keys.store().authenticate(credential).map(key -> new Principal("key:" + key.id()
                    + (key.name() == null || key.name().isBlank() ? "" : " (" + key.name() + ")"), key.role(), key.tenant()));
        } catch (KeyService.Unavailable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
