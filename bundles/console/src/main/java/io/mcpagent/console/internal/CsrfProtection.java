package io.mcpagent.console.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.mcpagent.api.security.ForwardedRequests.Origin;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The console's defence against cross-site request forgery, for requests a browser makes with the session cookie:
 * a state-changing request must come from a page of this console (its {@code Origin}, or {@code Referer} when a
 * browser sends no Origin, names this server as the client addressed it: behind a trusted reverse proxy, the scheme,
 * host and port that proxy names), and must carry the session's synchronizer token
 * ({@value #HEADER} header or {@value #FIELD} form field). The cookie is {@code SameSite=Strict} besides.
 */
final class CsrfProtection {
    /** The audit action of every refusal of a possible cross-site request forgery. */
    static final String AUDIT_ACTION = "console.csrf";
    static final String HEADER = "X-CSRF-Token";
    static final String FIELD = "_csrf";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private CsrfProtection() {
    }

    static boolean changesState(HttpServletRequest request) {
        return !SAFE_METHODS.contains(request.getMethod().toUpperCase(Locale.ROOT));
    }

    /**
     * Why the request does not come from this server's own pages, or empty when it does: its {@code Origin} (or
     * {@code Referer}) must name {@code addressed}, the scheme, host and port the client addressed.
     */
    static Optional<String> foreignOrigin(HttpServletRequest request, Origin addressed) {
        String origin = request.getHeader("Origin");
        String source = origin != null && !origin.isBlank() && !"null".equals(origin) ? origin
                : request.getHeader("Referer");
        if (source == null || source.isBlank()) {
            return Optional.of("the request names no Origin or Referer, so it cannot be told apart from a forged one");
        }
        URI uri;
        try {
            uri = URI.create(source.strip());
        } catch (IllegalArgumentException e) {
            return Optional.of("its origin '" + source + "' is not a URL");
        }
        boolean same = uri.getScheme() != null && uri.getHost() != null
                && addressed.scheme().equalsIgnoreCase(uri.getScheme())
                && addressed.host().equalsIgnoreCase(uri.getHost())
                && addressed.port() == port(uri);
        return same ? Optional.empty() : Optional.of("it comes from " + uri.getScheme() + "://" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + ", not from this console");
    }

    /** Why the request lacks the session's token, or empty when it carries it. Header-authenticated users have none. */
    static Optional<String> missingToken(ConsoleUser user, HttpServletRequest request) {
        if (user.csrfToken() == null) {
            return Optional.empty();
        }
        String presented = request.getHeader(HEADER);
        if (presented == null) {
            presented = request.getParameter(FIELD);
        }
        if (presented == null || presented.isEmpty()) {
            return Optional.of("the request carries no CSRF token (" + FIELD + " field or " + HEADER + " header);"
                    + " reload the page and try again");
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                user.csrfToken().getBytes(StandardCharsets.UTF_8)) ? Optional.empty()
                : Optional.of("the CSRF token does not belong to this session; reload the page and try again");
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
