package io.mcpagent.http.internal;

import java.time.Duration;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import io.mcpagent.api.security.FailedAuthentications;
import io.mcpagent.api.security.PresentedCredential;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;

/**
 * Who a request comes from and whether it may go on: the credential it presents ({@code X-Api-Key}, or
 * {@code Authorization: Bearer} with an API key or a JWT), the role it needs, and the caller's and its tenant's rate
 * limits. Answers 401 (no or unknown credential, two different ones, a JWT whose claims cannot name its caller, or a
 * JWT while JWTs are off because their configuration is refused), 403 (role too low), 429 (rate limit, or too many
 * failed authentications from the request's address, with {@code Retry-After}) or 503 (credentials cannot be checked
 * now). The servlet that answers a 401 reports it as a failed authentication of the request's address
 * ({@link #failed}).
 */
final class CallerCheck {
    private final CallerAuthenticator authenticator;
    private final RequestLimits limits;
    private final FailedAuthentications failures;

    CallerCheck(CallerAuthenticator authenticator, RequestLimits limits, FailedAuthentications failures) {
        this.authenticator = authenticator;
        this.limits = limits;
        this.failures = failures;
    }

    /** The caller, when it presents a valid credential with at least {@code required} and is within its rate. */
    Principal require(HttpServletRequest request, Role required) throws ApiError {
        Principal principal = authenticate(request);
        if (!principal.role().includes(required)) {
            throw new ApiError(403, "forbidden", "this needs the role " + required.id() + " or higher; "
                    + principal.actor() + " has the role " + principal.role().id());
        }
        ApiError limited = limits.check(principal);
        if (limited != null) {
            throw limited;
        }
        return principal;
    }

    /**
     * Why a request without a credential is refused. A client that sent its key in an Authorization header of another
     * scheme (Basic, ApiKey, or none: the key alone) did send a credential, so "needs an API key" would mislead it;
     * the header is not repeated, since it may hold the key. Worded without "header: value", which the audit log's
     * masking takes for a credential ("send 'X-Api-Key: [redacted]'").
     */
    static String missingCredential(String authorization) {
        String how = "send the key in the header X-Api-Key, or the key or a JWT in the header Authorization as"
                + " 'Bearer <key or JWT>'";
        return authorization == null || authorization.isBlank() || authorization.strip().equalsIgnoreCase("Bearer")
                ? "this endpoint needs an API key or a bearer token; " + how
                : "the Authorization header is not of the scheme Bearer, the only one this API reads (not shown, as it"
                + " may hold a credential): " + how;
    }

    /** Whom the request's credential names, whatever its role and rate: 401, 429 or 503 as {@link #require}. */
    Principal authenticate(HttpServletRequest request) throws ApiError {
        String address = clientAddress(request);
        Optional<Duration> blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            // before the credential is looked at: a guess gets no answer, right or wrong
            throw ApiError.tooManyRequests(AuthenticationThrottle.refusal(address, blocked.get()),
                    AuthenticationThrottle.seconds(blocked.get()));
        }
        String presented;
        try {
            String authorization = request.getHeader("Authorization");
            presented = PresentedCredential.of(request.getHeader("X-Api-Key"), authorization)
                    .orElseThrow(() -> new ApiError(401, "unauthorized", missingCredential(authorization)));
        } catch (IllegalArgumentException e) {
            throw new ApiError(401, "unauthorized", e.getMessage());
        }
        Optional<Principal> caller;
        try {
            caller = authenticator.identify(presented);
        } catch (JwtVerifier.UnusableClaim e) {
            throw new ApiError(401, "unauthorized", e.getMessage());
        } catch (CallerAuthenticator.JwtOff e) {
            // not "try again later": only an operator repairing the configuration lets such a token in
            throw new ApiError(401, "unauthorized", e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiError.unavailable("credentials cannot be checked: " + e.getMessage());
        }
        if (caller.isEmpty()) {
            throw new ApiError(401, "unauthorized", "the API key or token is not valid (unknown, revoked or expired)");
        }
        return caller.get();
    }

    /**
     * Counts and audits the 401 {@code refusal} answered to {@code target} ({@code HEAD /api/v1/status}) as a failed
     * authentication of the request's address.
     */
    void failed(HttpServletRequest request, String target, ApiError refusal) {
        failures.failed(clientAddress(request), RestAudit.ANONYMOUS, UnauthenticatedAudit.ACTION, target,
                refusal.getMessage());
    }

    /** The request's client: its peer, or the client a trusted reverse proxy names. */
    private String clientAddress(HttpServletRequest request) {
        return failures.clientAddress(request.getRemoteAddr(), request::getHeaders);
    }
}
