package io.mcpagent.console.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.security.Authenticator;
import io.mcpagent.api.security.CredentialRefusedException;
import io.mcpagent.api.security.FailedAuthentications;
import io.mcpagent.api.security.ForwardedRequests;
import io.mcpagent.api.security.ForwardedRequests.Origin;
import io.mcpagent.api.security.PresentedCredential;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The Web Console's only security provider: every request under {@code /system/console} passes here first.
 * <ul>
 * <li>Authentication with the platform's {@link Authenticator} (the API keys): a login form opens a session (cookie
 * {@value #COOKIE}, HttpOnly, SameSite=Strict), or a script sends its key as {@code X-Api-Key} or
 * {@code Authorization: Bearer} on each request. There is no default credential. Refused logins and refused header
 * credentials count as {@link FailedAuthentications} of the request's client address (the peer's, or the client's a
 * trusted reverse proxy names), which is refused (429) past their limit before its credential is looked at, on every
 * console request: the login form's POST, a key in a header, a session cookie.</li>
 * <li>Authorization: our pages are open to every role (they check operator and admin for their actions); every other
 * page (Felix's bundles, components, configuration, logs, ...) needs admin.</li>
 * <li>CSRF: a state-changing request made with the session cookie, and the login form's POST (login CSRF), must come
 * from this console's own origin (behind a trusted reverse proxy, the scheme, host and port it names, as for the
 * cookie's {@code Secure}); our pages check the session's token as well ({@link CsrfProtection}).</li>
 * <li>Sessions in {@link LoginSessions}, which outlive this component (DS replaces it whenever the services of
 * bundle io.mcpagent.http it needs come back), with limits from {@link ConsoleConfiguration}, read at each request: a
 * changed configuration logs nobody out. This component takes no configuration itself, so its service properties never change: the Web Console would
 * answer that by registering its servlet again.</li>
 * </ul>
 * The framework property {@code felix.webconsole.security.providers=mcpagent} keeps the console unregistered while
 * this provider is missing, so its built-in admin/admin fallback never serves a request.
 */
@Component(service = SecurityProvider.class,
        property = SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.PROVIDER_ID)
public final class ConsoleSecurityProvider implements SecurityProvider {
    static final String PROVIDER_ID = "mcpagent";
    static final String COOKIE = "mcpagent_console";
    /** Console paths every role may open: our pages, the console's static resources, the root (a redirect). */
    static final Set<String> OPEN_TO_ALL_ROLES = Set.of(PluginsPage.LABEL, ServersPage.LABEL, ExecutionsPage.LABEL,
            "res", "logout", "");
    /**
     * The largest form body (URL-encoded) any console page takes: Jetty's own form limit
     * ({@code org.apache.felix.http.jetty.maxFormSize}, 200000 bytes by default), past which parsing the form fails
     * with a 500 and a stack trace in the log instead of an answer naming the limit.
     */
    static final long MAX_FORM_BYTES = 200_000;
    /** The audit action of a refused credential in the headers, as the REST API's api.unauthenticated. */
    static final String UNAUTHENTICATED = "console.unauthenticated";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);

    private final Authenticator authenticator;
    /** Refused logins, counted and audited with the REST API's failed authentications, throttled by address. */
    private final FailedAuthentications failures;
    /** What a trusted reverse proxy says of the request: the origin the client addressed. */
    private final ForwardedRequests forwarded;
    private final LoginSessions sessions;
    private final Audit audit;

    @Activate
    public ConsoleSecurityProvider(@Reference Authenticator authenticator,
                                   @Reference FailedAuthentications failures,
                                   @Reference ForwardedRequests forwarded,
                                   @Reference LoginSessions sessions) {
        this(authenticator, failures, forwarded, sessions, Clock.systemUTC());
    }

    ConsoleSecurityProvider(Authenticator authenticator, FailedAuthentications failures, ForwardedRequests forwarded,
                            LoginSessions sessions, Clock clock) {
        this.authenticator = authenticator;
        this.failures = failures;
        this.forwarded = forwarded;
        this.sessions = sessions;
        this.audit = new Audit(clock);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAuditLog")
    void bindAuditLog(AuditLog service, Map<String, Object> properties) {
        audit.bind(service, properties);
    }

    /** Without the log, which DS would ask for again: see {@link Audit#unbind(Map)}. */
    void unbindAuditLog(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    /**
     * The console user for the request, or null when this method answered it already: the login form, a redirect to
     * it, 401, 403 (role or CSRF) or 503.
     */
    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        try {
            Object user = authenticateOrAnswer(request, response);
            if (user == null) {
                // Felix HTTP answers 403 in place of an uncommitted response when no user is returned.
                response.flushBuffer();
            }
            return user;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object authenticateOrAnswer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // on every answer, the login form and the refusals included, not only on the pages a user reaches
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        if ("TRACE".equals(request.getMethod())) {
            // the servlet's TRACE echoes the request, its X-Api-Key, Authorization and session cookie included
            response.setHeader("Allow", "GET, HEAD, POST");
            refuse(response, 405, "TRACE is not served: it would echo the request's credentials back.");
            return null;
        }
        String root = consoleRoot(request);
        String path = consolePath(request);
        if (path.equals(LoginPage.PATH)) {
            login(request, response, root);
            return null;
        }
        String client = clientAddress(request);
        Optional<Duration> blocked = failures.blocked(client);
        if (blocked.isPresent()) {
            // whatever the request carries (a key in a header, a session cookie, nothing), as on the REST API; before
            // the credential is looked at, so a guess gets no answer
            refuse(response, 429, "Too many failed authentications from " + counted(client) + ": try again in "
                    + retryAfter(response, blocked.get()) + " s.");
            return null;
        }
        ConsoleUser user;
        try {
            user = identify(request);
        } catch (IllegalStateException e) {
            refuse(response, 503, "The console cannot check credentials now: " + e.getMessage());
            return null;
        } catch (IllegalArgumentException | CredentialRefusedException e) {
            // two different credentials, or a genuine token whose claims name nobody: the REST API's answer
            headerRefused(request, e.getMessage());
            response.setHeader("WWW-Authenticate", "Bearer realm=\"mcp-agent console\"");
            refuse(response, 401, "Refused: " + e.getMessage() + ".");
            return null;
        }
        if (user == null) {
            String accept = request.getHeader("Accept");
            if ("GET".equals(request.getMethod()) && accept != null && accept.contains("text/html")) {
                String query = request.getQueryString();
                response.sendRedirect(root + LoginPage.PATH + "?" + LoginPage.RETURN_FIELD + "="
                        + URLEncoder.encode(path + (query == null ? "" : "?" + query), StandardCharsets.UTF_8));
            } else if ("POST".equals(request.getMethod()) && accept != null && accept.contains("text/html")
                    && isUrlEncodedForm(request) && request.getContentLengthLong() >= 0
                    && request.getContentLengthLong() <= MAX_FORM_BYTES
                    && CsrfProtection.foreignOrigin(request, origin(request)).isEmpty()) {
                // A form of this console sent after its session ended: it was a bare 401 text, and the task typed
                // was lost. Only for this console's own pages (same origin), so no other site can put words here.
                LoginPage.render(response, 401, root, formPage(request, root), "Your session ended before the form"
                        + " was sent, so nothing was done: log in again, then send it once more.",
                        keptTask(request));
            } else {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"mcp-agent console\"");
                refuse(response, 401, "Log in at " + root + LoginPage.PATH
                        + ", or send an API key as 'X-Api-Key: <key>' or 'Authorization: Bearer <key>'.");
            }
            return null;
        }
        if (user.csrfToken() != null && CsrfProtection.changesState(request)) {
            Optional<String> foreign = CsrfProtection.foreignOrigin(request, origin(request));
            if (foreign.isPresent()) {
                audit.record(user.principal(), CsrfProtection.AUDIT_ACTION, path, AuditEntry.DENIED, foreign.get());
                refuse(response, 403, "Refused as a possible cross-site request forgery: " + foreign.get() + ".");
                return null;
            }
        }
        String label = label(path);
        if (!OPEN_TO_ALL_ROLES.contains(label) && !user.has(Role.ADMIN)) {
            refuse(response, 403, "The console page '" + label + "' needs the role admin; you are "
                    + user.principal().role().id() + " (" + user.principal().actor() + ").");
            return null;
        }
        if (CsrfProtection.changesState(request) && isUrlEncodedForm(request)
                && refusedForm(request, response, "The form", MAX_FORM_BYTES, " (the web server's limit for a"
                + " form, org.apache.felix.http.jetty.maxFormSize); shorten what you entered.", "send it URL-encoded")) {
            return null;
        }
        return user;
    }

    /**
     * The user for the request's credential (header or session), or null when it has none that is valid.
     *
     * @throws IllegalArgumentException   when its headers carry two different credentials, as {@link PresentedCredential}
     * @throws CredentialRefusedException when its header carries a genuine token whose claims name nobody
     */
    private ConsoleUser identify(HttpServletRequest request) {
        Optional<String> header = PresentedCredential.of(request.getHeader("X-Api-Key"),
                request.getHeader("Authorization"));
        if (header.isPresent()) {
            Optional<Principal> principal = authenticator.authenticate(header.get());
            if (principal.isEmpty()) {
                headerRefused(request, "the API key or token is not valid (unknown, revoked or expired)");
                return null;
            }
            return new ConsoleUser(principal.get(), null);
        }
        Optional<LoginSessions.Session> session = sessions.use(sessionId(request));
        if (session.isEmpty()) {
            return null;
        }
        Optional<Principal> principal;
        try {
            principal = authenticator.authenticate(session.get().credential());
        } catch (CredentialRefusedException e) {
            principal = Optional.empty(); // the JWT settings changed since the login: as a revoked key
        }
        if (principal.isEmpty()) {
            // The key was revoked since the login: the session goes with it.
            sessions.close(sessionId(request));
            return null;
        }
        return new ConsoleUser(principal.get(), session.get().csrfToken());
    }

    /**
     * Counts and audits a refused header credential as a failed authentication of the request's address, as the REST
     * API does its 401s; a script sends its key on every request, so the audit keeps one record per address a minute.
     */
    private void headerRefused(HttpServletRequest request, String why) {
        failures.failed(clientAddress(request), Audit.ANONYMOUS, UNAUTHENTICATED,
                request.getMethod() + " " + consoleRoot(request) + consolePath(request), why);
    }

    /**
     * The address the failures are counted for, as the REST API names it: an IPv6 one by its /64 (one subscriber's,
     * through which a client could rotate). It read "your address (over IPv6, its /64)" to IPv4 clients too.
     */
    static String counted(String address) {
        return address.contains(":") ? address + " (its /64 network)" : address;
    }

    /** The request's client: its peer, or the client a reverse proxy trusted by the HTTP configuration names. */
    private String clientAddress(HttpServletRequest request) {
        return failures.clientAddress(request.getRemoteAddr(), request::getHeaders);
    }

    /** The scheme, host and port the client addressed: the request's own, or what a trusted reverse proxy names. */
    private Origin origin(HttpServletRequest request) {
        return forwarded.origin(request.getRemoteAddr(), new Origin(request.getScheme(), request.getServerName(),
                request.getServerPort()), request::getHeaders);
    }

    /** Sets {@code Retry-After} for an address refused for {@code blocked}; returns its seconds, rounded up. */
    private static long retryAfter(HttpServletResponse response, Duration blocked) {
        long seconds = Math.max(1, (blocked.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        return seconds;
    }

    private void login(HttpServletRequest request, HttpServletResponse response, String root) throws IOException {
        boolean post = "POST".equals(request.getMethod());
        if (post && refusedForm(request, response, "The login form", LoginPage.MAX_FORM_BYTES,
                "; it holds an API key and a return path only.", "send the fields " + LoginPage.KEY_FIELD + " and "
                + LoginPage.RETURN_FIELD + " URL-encoded, at most " + LoginPage.MAX_FORM_BYTES + " bytes")) {
            return;
        }
        String returnPath;
        String key;
        try {
            returnPath = request.getParameter(LoginPage.RETURN_FIELD);
            key = post ? request.getParameter(LoginPage.KEY_FIELD) : null;
        } catch (RuntimeException e) {
            // The container throws for a query or form it cannot parse (bad percent escapes).
            refuse(response, 400, "The login form cannot be read (" + e.getMessage() + "); send the fields "
                    + LoginPage.KEY_FIELD + " and " + LoginPage.RETURN_FIELD + " URL-encoded, at most "
                    + LoginPage.MAX_FORM_BYTES + " bytes.");
            return;
        }
        if (!post) {
            LoginPage.render(response, 200, root, returnPath, null);
            return;
        }
        Origin origin = origin(request);
        Optional<String> foreign = CsrfProtection.foreignOrigin(request, origin);
        if (foreign.isPresent()) {
            // A browser always sends Origin with a form POST; a script sends its key in a header instead.
            // audited as a failed login (counted, at most one record a minute per address): nobody authenticated it,
            // and any site could post it
            failures.failed(clientAddress(request), Audit.ANONYMOUS, CsrfProtection.AUDIT_ACTION, LoginPage.PATH,
                    foreign.get());
            LoginPage.render(response, 403, root, returnPath, "Login refused: " + foreign.get()
                    + ". Scripts send the key on each request as X-Api-Key instead.");
            return;
        }
        String address = clientAddress(request);
        Optional<Duration> blocked = failures.blocked(address);
        if (blocked.isPresent()) {
            // before the key is looked at: a guess gets no answer, right or wrong
            LoginPage.render(response, 429, root, returnPath, "Too many failed logins from " + counted(address)
                    + ": try again in " + retryAfter(response, blocked.get()) + " s.");
            return;
        }
        if (key == null || key.isBlank()) {
            failures.failed(address, Audit.ANONYMOUS, "console.login", null, "no key given");
            LoginPage.render(response, 401, root, returnPath, "No key given: paste an API key into the form.");
            return;
        }
        Optional<Principal> principal;
        try {
            principal = authenticator.authenticate(key.strip());
        } catch (CredentialRefusedException e) {
            // a genuine token whose claims name nobody: why, as the REST API says it (it tells of no other key)
            failures.failed(address, Audit.ANONYMOUS, "console.login", null, e.getMessage());
            LoginPage.render(response, 401, root, returnPath, "That token is refused: " + e.getMessage() + ".");
            return;
        } catch (IllegalStateException e) {
            LoginPage.render(response, 503, root, returnPath, "Keys cannot be checked now: " + e.getMessage());
            return;
        }
        if (principal.isEmpty()) {
            failures.failed(address, Audit.ANONYMOUS, "console.login", null,
                    "unknown, revoked or expired key");
            LoginPage.render(response, 401, root, returnPath, "That key is unknown, revoked or expired.");
            return;
        }
        Cookie cookie = new Cookie(COOKIE, sessions.open(key.strip()));
        cookie.setPath(root.isEmpty() ? "/" : root);
        cookie.setHttpOnly(true);
        // the client's connection, not the proxy's: behind one terminating TLS the request arrives as plain HTTP
        cookie.setSecure(origin.secure());
        cookie.setAttribute("SameSite", "Strict");
        response.addCookie(cookie);
        audit.record(principal.get(), "console.login", null, AuditEntry.SUCCEEDED, null);
        LOG.info("console login by {} ({})", principal.get().actor(), principal.get().role().id());
        response.setHeader("Cache-Control", "no-store");
        // the console's own forms give it relative to the console; a hand-made one may give it whole
        String relative = returnPath != null && returnPath.startsWith(root + "/")
                ? returnPath.substring(root.length()) : returnPath;
        response.sendRedirect(root + LoginPage.safeReturn(relative));
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        sessions.close(sessionId(request));
        String root = consoleRoot(request);
        Cookie expired = new Cookie(COOKIE, "");
        expired.setPath(root.isEmpty() ? "/" : root);
        expired.setMaxAge(0);
        expired.setHttpOnly(true);
        expired.setAttribute("SameSite", "Strict");
        response.addCookie(expired);
        try {
            response.sendRedirect(root + LoginPage.PATH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code role} is a role id (viewer, operator, admin); pages ask this through the Web Console's User. */
    @Override
    public boolean authorize(Object user, String role) {
        return user instanceof ConsoleUser consoleUser && Role.parse(role).map(consoleUser::has).orElse(false);
    }

    private static String sessionId(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        return cookies == null ? null : Arrays.stream(cookies).filter(c -> COOKIE.equals(c.getName()))
                .map(Cookie::getValue).findFirst().orElse(null);
    }

    /**
     * Where the console is mounted ({@code /system/console}). The Web Console hands this provider a request whose
     * servlet path is the console's root and whose path info is the path inside it.
     */
    static String consoleRoot(HttpServletRequest request) {
        return request.getContextPath() + request.getServletPath();
    }

    /** The path inside the console: {@code /bundles/12}, {@code /mcp-plugins}, or "" for the root. */
    static String consolePath(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? "" : pathInfo;
    }

    /** The first segment of a console path: the page's label. */
    static String label(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }

    /**
     * Answers 413 when the form is larger than {@code maxBytes}, 400 when the container cannot parse it; true when it
     * did. A declared length is judged before anything is read. A body sent chunked has none: it is parsed here, where
     * the container's failure past its own form limit (otherwise a 500 and a stack trace from the page that asks for a
     * field) becomes the 413, and a form within that limit but past {@code maxBytes} is refused as well. The container
     * keeps the parsed fields for the page.
     */
    private static boolean refusedForm(HttpServletRequest request, HttpServletResponse response, String what,
                                       long maxBytes, String tooLargeAdvice, String unreadableAdvice)
            throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(response, 413, what + " is larger than " + maxBytes + " bytes" + tooLargeAdvice);
            return true;
        }
        if (declared >= 0) {
            return false;
        }
        Map<String, String[]> fields;
        try {
            fields = request.getParameterMap();
        } catch (RuntimeException e) {
            if (pastTheContainersFormLimit(e)) {
                refuse(response, 413, what + " is larger than " + maxBytes + " bytes" + tooLargeAdvice);
            } else {
                refuse(response, 400, what + " cannot be read (" + e.getMessage() + "); " + unreadableAdvice + ".");
            }
            return true;
        }
        if (decodedSize(fields) > maxBytes) {
            refuse(response, 413, what + " is larger than " + maxBytes + " bytes" + tooLargeAdvice);
            return true;
        }
        return false;
    }

    /** Jetty's form parser fails past its limit with "form too large > N", wrapped in its "Unable to parse form". */
    private static boolean pastTheContainersFormLimit(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("form too large")) {
                return true;
            }
        }
        return false;
    }

    /** The fields' names and values in characters: at most the size of the form as sent, which percent-encodes. */
    private static long decodedSize(Map<String, String[]> fields) {
        long size = 0;
        for (Map.Entry<String, String[]> field : fields.entrySet()) {
            for (String value : field.getValue()) {
                size += field.getKey().length() + value.length();
            }
        }
        return size;
    }

    /** The container parses these bodies as form parameters; multipart uploads have their own limits. */
    /** The task field of a form sent after the session ended; null when it has none, or no UTF-8 form at all. */
    private static String keptTask(HttpServletRequest request) {
        try {
            return request.getParameter(ExecutionsPage.TASK_FIELD);
        } catch (IllegalArgumentException | IllegalStateException undecodable) {
            return null; // the login page all the same
        }
    }

    /** The console page a form was sent from (its Referer, checked to be of this origin), else the console's start. */
    private static String formPage(HttpServletRequest request, String root) {
        try {
            URI referer = URI.create(Objects.requireNonNullElse(request.getHeader("Referer"), "").strip());
            String page = referer.getRawPath();
            if (page != null && page.startsWith(root + "/")) {
                String query = referer.getRawQuery();
                return page.substring(root.length()) + (query == null ? "" : "?" + query);
            }
        } catch (IllegalArgumentException e) {
            // no page to return to: the start page
        }
        return "/";
    }

    private static boolean isUrlEncodedForm(HttpServletRequest request) {
        String contentType = request.getContentType();
        return contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(message + "\n");
    }
}
