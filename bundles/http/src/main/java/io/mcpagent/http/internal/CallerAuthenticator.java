package io.mcpagent.http.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Authenticator;
import io.mcpagent.api.security.CredentialRefusedException;
import io.mcpagent.api.security.Principal;

/**
 * Who presents a credential: an API key (actor {@code key:<id> (<name>)}, the key's role and tenant) or,
 * when {@code jwtKeyFile} is configured, a JWT bearer token (actor {@code jwt:<sub>}, role and tenant from its
 * claims). The REST API, the metrics and, as the platform's {@link Authenticator}, the shell's {@code auth:login}
 * all ask here, so a credential means the same everywhere.
 * <p>
 * A refused JWT configuration turns JWT bearer tokens off (each is refused with {@link JwtOff}, which does not say
 * why: it answers callers not known yet) and is a {@link Problem} until it is repaired; the refusal is told to the
 * {@link io.mcpagent.api.runtime.ConfigurationRefusalListener}s (the audit log's {@code config.refused}). Unlike the settings guarded by {@link GuardedConfiguration}, the previous JWT
 * settings do not stay in force: a key file is replaced when its key leaked or was rotated, and tokens signed with
 * that key must not keep being accepted because its replacement has a mistake.
 */
@Component(service = {CallerAuthenticator.class, Authenticator.class, ProblemReporter.class},
        configurationPid = HttpConfig.PID)
public final class CallerAuthenticator implements Authenticator, ProblemReporter {
    private static final Logger LOG = LoggerFactory.getLogger(CallerAuthenticator.class);

    /** The JWT verifier, or the refusal of the JWT configuration; neither when JWTs are not configured. */
    private record Tokens(JwtVerifier verifier, Problem refusal) {
    }

    /** A JWT bearer token presented while JWT bearer tokens are off because their configuration is refused. */
    static final class JwtOff extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        JwtOff(String message) {
            super(message);
        }
    }

    static final String JWT_OFF = "JWT bearer tokens are off because the JWT configuration is refused; an"
            + " administrator sees why in the problems of GET /api/v1/status (or plugin:problems)";

    private final KeyService keys;
    /** Where the refusal listeners are found; null outside a framework. */
    private final BundleContext context;
    private volatile Tokens tokens;

    @Activate
    public CallerAuthenticator(BundleContext context, @Reference KeyService keys, HttpConfig config) {
        this.context = context;
        this.keys = keys;
        modified(config);
    }

    /** Outside a framework (tests): a refusal is told to nobody. */
    CallerAuthenticator(KeyService keys, HttpConfig config) {
        this(null, keys, config);
    }

    /** A new JWT configuration applies to the next request. */
    @Modified
    void modified(HttpConfig config) {
        Problem earlier = tokens == null ? null : tokens.refusal();
        try {
            tokens = new Tokens(JwtVerifier.from(config).orElse(null), null);
            if (earlier != null) {
                LOG.info("configuration {} ({}) is accepted; JWT bearer tokens are checked again", HttpConfig.PID,
                        file());
            }
        } catch (IllegalArgumentException e) {
            String message = "configuration " + HttpConfig.PID + " (" + file() + ") is refused: " + e.getMessage()
                    + "; JWT bearer tokens are off (refused, not checked under the previous settings) until it is"
                    + " repaired";
            tokens = new Tokens(null, new Problem(GuardedConfiguration.SOURCE, HttpConfig.PID, message, Instant.now()));
            LOG.error(message);
            ConfigurationRefusals.tell(context, HttpConfig.PID, message, LOG::error);
        }
    }

    /** The refused JWT configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        Problem refusal = tokens.refusal();
        return refusal == null ? List.of() : List.of(refusal);
    }

    /**
     * As {@link #identify}, for the shell and the console.
     *
     * @throws CredentialRefusedException for a validly signed token whose claim cannot name its caller, with the words
     *                                    the REST API answers (the claim and what is wrong; the token holds them)
     * @throws JwtOff                     for a JWT while the JWT configuration is refused: the token is refused, saying
     *                                    why
     */
    @Override
    public Optional<Principal> authenticate(String credential) {
        try {
            return identify(credential);
        } catch (JwtVerifier.UnusableClaim e) {
            throw new CredentialRefusedException(e.getMessage());
        }
    }

    /**
     * The caller {@code credential} identifies, or empty when it identifies nobody.
     *
     * @throws JwtVerifier.UnusableClaim for a valid JWT whose claims cannot name its caller, saying which claim
     * @throws JwtOff                    for a JWT while the JWT configuration is refused
     * @throws IllegalStateException     when the API keys cannot be read
     */
    Optional<Principal> identify(String credential) throws JwtVerifier.UnusableClaim {
        if (credential == null || credential.isBlank()) {
            return Optional.empty();
        }
        Tokens current = tokens;
        if (JwtVerifier.looksLikeJwt(credential) && (current.verifier() != null || current.refusal() != null)) {
            if (current.refusal() != null) {
                // the caller is not known yet: the key file's path and what is wrong with it stay in the problems
                throw new JwtOff(JWT_OFF);
            }
            return current.verifier().verify(credential);
        }
        try {
            return keys.store().authenticate(credential).map(key -> new Principal("key:" + key.id()
                    + (key.name() == null || key.name().isBlank() ? "" : " (" + key.name() + ")"), key.role(), key.actingTenant()));
        } catch (KeyService.Unavailable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String file() {
        return "etc/" + HttpConfig.PID + ".cfg.json";
    }
}
