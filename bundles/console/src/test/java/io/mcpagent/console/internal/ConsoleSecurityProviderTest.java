package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Authenticator;
import io.mcpagent.api.security.CredentialRefusedException;
import io.mcpagent.api.security.FailedAuthentications;
import io.mcpagent.api.security.ForwardedRequests;
import io.mcpagent.api.security.ForwardedRequests.Origin;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class ConsoleSecurityProviderTest {
    private static final String ORIGIN = "http://127.0.0.1:8181";
    /** The origin every request of these tests reaches the console with. */
    private static final Origin RECEIVED = new Origin("http", "127.0.0.1", 8181);
    private final Map<String, Principal> keys = new HashMap<>();
    /** A validly signed token whose claims name nobody, and what the REST API answers it. */
    private static final String ADMIN_TOKEN_WITH_TENANT = "eyJ.admin-with-tenant.sig";
    private static final String TENANT_REFUSED = "the token's claim 'tenant' is refused with the role admin";
    private final Authenticator authenticator = credential -> {
        if (credential.equals(ADMIN_TOKEN_WITH_TENANT)) {
            throw new CredentialRefusedException(TENANT_REFUSED);
        }
        return Optional.ofNullable(keys.get(credential));
    };
    private final AuditLog audit = mock(AuditLog.class);
    /** No address is blocked unless a test says so. */
    private final FailedAuthentications failures = mock(FailedAuthentications.class);
    private final ForwardedRequests forwarded = mock(ForwardedRequests.class);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private ConsoleConfiguration configuration;
    private ConsoleSecurityProvider provider;
    private StringWriter body;

    @BeforeEach
    void setUp() {
        keys.put("admin-key", new Principal("key:adm", Role.ADMIN, null));
        keys.put("viewer-key", new Principal("key:view", Role.VIEWER, "acme"));
        configuration = new ConsoleConfiguration(Configs.console(Map.of("maxSessions", 100)));
        provider = new ConsoleSecurityProvider(authenticator, failures, forwarded, sessions(), clock);
        provider.bindAuditLog(audit, Map.of("service.id", 1L));
        // no trusted reverse proxy unless a test says so: the peer is the client
        when(failures.clientAddress(any(), any())).thenAnswer(call -> call.getArgument(0));
        when(forwarded.origin(any(), any(), any())).thenAnswer(call -> call.getArgument(1));
    }

    /** The sessions as DS makes them, beside the provider, on the configuration and the clock of the test. */
    private LoginSessions sessions() {
        return new LoginSessions(clock, configuration::settings);
    }

    private HttpServletRequest request(String method, String path) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getRemoteAddr()).thenReturn("10.0.0.9");
        when(request.getMethod()).thenReturn(method);
        when(request.getContextPath()).thenReturn("");
        when(request.getServletPath()).thenReturn("/system/console");
        when(request.getPathInfo()).thenReturn(path);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("127.0.0.1");
        when(request.getServerPort()).thenReturn(8181);
        return request;
    }

    private HttpServletResponse response() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
        body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
        return response;
    }

    /** Logs in through the form and returns the session cookie. */
    private Cookie login(String key) throws Exception {
        return login(key, ORIGIN);
    }

    /** A return given whole (a hand-made link) leads to that page, not to the console's root twice. */
    @Test
    void aReturnGivenWithTheConsolesRootLeadsToThatPage() throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn(ORIGIN);
        when(request.getParameter("key")).thenReturn("admin-key");
        when(request.getParameter("return")).thenReturn("/system/console/mcp-executions?status=running");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).sendRedirect("/system/console/mcp-executions?status=running");
    }

    /** Logs in through the form of a page from {@code origin} and returns the session cookie. */
    private Cookie login(String key, String origin) throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn(origin);
        when(request.getParameter("key")).thenReturn(key);
        when(request.getParameter("return")).thenReturn("/mcp-executions");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response), "the login answers itself");

        ArgumentCaptor<Cookie> cookie = ArgumentCaptor.forClass(Cookie.class);
        verify(response).addCookie(cookie.capture());
        verify(response).sendRedirect("/system/console/mcp-executions");
        return cookie.getValue();
    }

    private HttpServletRequest withCookie(HttpServletRequest request, Cookie cookie) {
        when(request.getCookies()).thenReturn(new Cookie[] {cookie});
        return request;
    }

    @Test
    void theLoginSetsAStrictHttpOnlyCookieScopedToTheConsoleAndIsAudited() throws Exception {
        Cookie cookie = login("admin-key");

        assertEquals(ConsoleSecurityProvider.COOKIE, cookie.getName());
        assertTrue(cookie.isHttpOnly());
        assertEquals("Strict", cookie.getAttribute("SameSite"));
        assertEquals("/system/console", cookie.getPath());
        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit).record(entry.capture());
        assertEquals("console.login", entry.getValue().action());
        assertEquals(AuditEntry.SUCCEEDED, entry.getValue().outcome());
    }

    @Test
    void theSessionAuthenticatesLaterRequestsWithItsCsrfToken() throws Exception {
        Cookie cookie = login("admin-key");

        Object user = provider.authenticate(withCookie(request("GET", "/bundles"), cookie), response());

        ConsoleUser consoleUser = assertInstanceOf(ConsoleUser.class, user);
        assertEquals("key:adm", consoleUser.principal().actor());
        assertNotNull(consoleUser.csrfToken());
        assertTrue(provider.authorize(user, "admin"));
    }

    @Test
    void anUnknownKeyGetsTheFormAgainWith401AndNoCookie() throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn(ORIGIN);
        when(request.getParameter("key")).thenReturn("guess");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(401);
        verify(response, never()).addCookie(any());
        verify(response).flushBuffer();
        assertTrue(body.toString().contains("unknown, revoked or expired"), body.toString());
        verify(failures).failed("10.0.0.9", "console:anonymous", "console.login", null,
                "unknown, revoked or expired key");
        verify(audit, never()).record(any());
    }

    @Test
    void aGenuineTokenRefusedForItsClaimsIsToldWhyOnTheFormAndInAHeaderAsOverRest() throws Exception {
        HttpServletRequest form = request("POST", "/login");
        when(form.getHeader("Origin")).thenReturn(ORIGIN);
        when(form.getParameter("key")).thenReturn(ADMIN_TOKEN_WITH_TENANT);
        HttpServletResponse formResponse = response();

        assertNull(provider.authenticate(form, formResponse));

        verify(formResponse).setStatus(401);
        verify(formResponse, never()).addCookie(any());
        assertTrue(body.toString().contains("That token is refused: " + TENANT_REFUSED.replace("'", "&#39;") + "."),
                body.toString()); // escaped on the page
        verify(failures).failed("10.0.0.9", "console:anonymous", "console.login", null, TENANT_REFUSED);

        HttpServletRequest header = request("GET", "/bundles");
        when(header.getHeader("Authorization")).thenReturn("Bearer " + ADMIN_TOKEN_WITH_TENANT);
        HttpServletResponse headerResponse = response();

        assertNull(provider.authenticate(header, headerResponse));

        verify(headerResponse).setStatus(401);
        assertTrue(body.toString().contains("Refused: " + TENANT_REFUSED + "."), body.toString());
        verify(failures).failed("10.0.0.9", "console:anonymous", ConsoleSecurityProvider.UNAUTHENTICATED,
                "GET /system/console/bundles", TENANT_REFUSED);
    }

    @Test
    void anAddressThatFailedTooOftenGets429WithRetryAfterBeforeItsKeyIsLookedAt() throws Exception {
        when(failures.blocked("10.0.0.9")).thenReturn(Optional.of(Duration.ofMillis(41_500)));
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn(ORIGIN);
        when(request.getParameter("key")).thenReturn("admin-key");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(429);
        verify(response).setHeader("Retry-After", "42");
        verify(response).setHeader("X-Frame-Options", "DENY"); // the security headers, as on every refusal
        verify(response, never()).addCookie(any());
        assertTrue(body.toString().contains(
                "Too many failed logins from 10.0.0.9: try again in 42 s."),
                body.toString());
        verify(failures, never()).failed(any(), any(), any(), any(), any());
    }

    @Test
    void anEmptyKeyIsNamedAsNoKeyGiven() throws Exception {
        for (String empty : new String[] {null, "", "   "}) {
            HttpServletRequest request = request("POST", "/login");
            when(request.getHeader("Origin")).thenReturn(ORIGIN);
            when(request.getParameter("key")).thenReturn(empty);
            HttpServletResponse response = response();

            assertNull(provider.authenticate(request, response));

            verify(response).setStatus(401);
            verify(response, never()).addCookie(any());
            assertTrue(body.toString().contains("No key given"), body.toString());
            assertFalse(body.toString().contains("unknown, revoked or expired"), body.toString());
        }
    }

    @Test
    void aLoginPostedFromAnotherSiteIsRefused() throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn("http://evil.example");
        when(request.getParameter("key")).thenReturn("admin-key");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(403);
        verify(response, never()).addCookie(any());
        // audited as every refusal of a possible forgery is (it was not: only session requests were), through the
        // failed authentications, which keep an anonymous client from flooding the audit store
        verify(failures).failed("10.0.0.9", Audit.ANONYMOUS, "console.csrf", "/login",
                "it comes from http://evil.example, not from this console");
    }

    @Test
    void aLoginPostNamingNoOriginIsRefused() throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getParameter("key")).thenReturn("admin-key");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(403);
        verify(response, never()).addCookie(any());
        assertTrue(body.toString().contains("Login refused: the request names no Origin or Referer, so it cannot be"
                + " told apart from a forged one. Scripts send the key on each request as X-Api-Key instead."),
                body.toString());
    }

    @Test
    void anOversizedLoginFormIs413AndIsNotRead() throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn(ORIGIN);
        when(request.getContentLengthLong()).thenReturn(2L * 1024 * 1024);
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(413);
        assertEquals("The login form is larger than 65536 bytes; it holds an API key and a return path only.\n",
                body.toString());
        verify(request, never()).getParameter(any());
        verify(response, never()).addCookie(any());
    }

    @Test
    void anOversizedFormToAnyOtherConsolePageIs413AndIsNotRead() throws Exception {
        for (String path : List.of("/mcp-executions/run", "/mcp-executions/42/cancel", "/mcp-plugins/undeploy",
                "/configMgr/some.pid")) {
            HttpServletRequest request = request("POST", path);
            when(request.getHeader("X-Api-Key")).thenReturn("admin-key");
            when(request.getContentType()).thenReturn("application/x-www-form-urlencoded; charset=UTF-8");
            when(request.getContentLengthLong()).thenReturn(ConsoleSecurityProvider.MAX_FORM_BYTES + 1);
            HttpServletResponse response = response();

            assertNull(provider.authenticate(request, response), path);

            verify(response).setStatus(413);
            assertEquals("The form is larger than 200000 bytes (the web server's limit for a form,"
                    + " org.apache.felix.http.jetty.maxFormSize); shorten what you entered.\n", body.toString(), path);
            verify(request, never()).getParameter(any());
        }
    }

    /** As Jetty fails to parse a form past its limit (maxFormSize): its "form too large" inside its own exception. */
    private static RuntimeException jettysFormTooLarge() {
        return new IllegalStateException("400: Unable to parse form content",
                new IllegalStateException("form too large > 200000"));
    }

    @Test
    void aChunkedFormPastTheContainersLimitIs413NotItsFailure() throws Exception {
        for (String path : List.of("/mcp-executions/run", "/configMgr/some.pid")) {
            HttpServletRequest request = request("POST", path);
            when(request.getHeader("X-Api-Key")).thenReturn("admin-key");
            when(request.getContentType()).thenReturn("application/x-www-form-urlencoded");
            when(request.getContentLengthLong()).thenReturn(-1L);
            when(request.getParameterMap()).thenThrow(jettysFormTooLarge());
            HttpServletResponse response = response();

            assertNull(provider.authenticate(request, response), path);

            verify(response).setStatus(413);
            assertEquals("The form is larger than 200000 bytes (the web server's limit for a form,"
                    + " org.apache.felix.http.jetty.maxFormSize); shorten what you entered.\n", body.toString(), path);
        }
    }

    @Test
    void aChunkedFormTheContainerCannotParseIs400AndOneWithinTheLimitReachesThePage() throws Exception {
        HttpServletRequest broken = request("POST", "/mcp-executions/run");
        when(broken.getHeader("X-Api-Key")).thenReturn("admin-key");
        when(broken.getContentType()).thenReturn("application/x-www-form-urlencoded");
        when(broken.getContentLengthLong()).thenReturn(-1L);
        when(broken.getParameterMap()).thenThrow(new IllegalArgumentException("invalid percent encoding"));
        HttpServletResponse refused = response();
        assertNull(provider.authenticate(broken, refused));
        verify(refused).setStatus(400);
        assertEquals("The form cannot be read (invalid percent encoding); send it URL-encoded.\n", body.toString());

        HttpServletRequest form = request("POST", "/mcp-executions/run");
        when(form.getHeader("X-Api-Key")).thenReturn("admin-key");
        when(form.getContentType()).thenReturn("application/x-www-form-urlencoded");
        when(form.getContentLengthLong()).thenReturn(-1L);
        when(form.getParameterMap()).thenReturn(Map.of("task", new String[] {"write a haiku"}));
        assertInstanceOf(ConsoleUser.class, provider.authenticate(form, response()));
    }

    @Test
    void aChunkedLoginFormPastItsLimitIs413() throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn(ORIGIN);
        when(request.getContentLengthLong()).thenReturn(-1L);
        // within Jetty's limit, past the login form's own
        when(request.getParameterMap()).thenReturn(Map.of("key", new String[] {"k".repeat(70_000)}));
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(413);
        assertEquals("The login form is larger than 65536 bytes; it holds an API key and a return path only.\n",
                body.toString());
        verify(response, never()).addCookie(any());

        HttpServletRequest pastJettys = request("POST", "/login");
        when(pastJettys.getHeader("Origin")).thenReturn(ORIGIN);
        when(pastJettys.getContentLengthLong()).thenReturn(-1L);
        when(pastJettys.getParameterMap()).thenThrow(jettysFormTooLarge());
        HttpServletResponse tooLarge = response();
        assertNull(provider.authenticate(pastJettys, tooLarge));
        verify(tooLarge).setStatus(413);
    }

    @Test
    void aFormWithinTheLimitAndAnUploadReachThePage() throws Exception {
        HttpServletRequest form = request("POST", "/mcp-executions/run");
        when(form.getHeader("X-Api-Key")).thenReturn("admin-key");
        when(form.getContentType()).thenReturn("application/x-www-form-urlencoded");
        when(form.getContentLengthLong()).thenReturn(ConsoleSecurityProvider.MAX_FORM_BYTES);
        assertInstanceOf(ConsoleUser.class, provider.authenticate(form, response()));

        // the Plugins page checks an upload against its own limit, maxUploadMegabytes
        HttpServletRequest upload = request("POST", "/mcp-plugins/deploy");
        when(upload.getHeader("X-Api-Key")).thenReturn("admin-key");
        when(upload.getContentType()).thenReturn("multipart/form-data; boundary=x");
        when(upload.getContentLengthLong()).thenReturn(10L * 1024 * 1024);
        assertInstanceOf(ConsoleUser.class, provider.authenticate(upload, response()));
    }

    @Test
    void aLoginFormTheContainerCannotParseIs400() throws Exception {
        HttpServletRequest request = request("POST", "/login");
        when(request.getHeader("Origin")).thenReturn(ORIGIN);
        when(request.getContentLengthLong()).thenReturn(-1L);
        when(request.getParameter(any())).thenThrow(new IllegalStateException("400: Unable to parse form content"));
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(400);
        assertTrue(body.toString().startsWith("The login form cannot be read (400: Unable to parse form content); send"
                + " the fields key and return URL-encoded, at most 65536 bytes."), body.toString());
        verify(response, never()).addCookie(any());
    }

    /**
     * A run form sent after the session ended gets the login page, back to the page of the form, with the task typed
     * to send again: it was a bare 401 text and the task was lost. Only for a form of this console (same origin): a
     * form from another site gets the plain 401 and nothing of what it sent.
     */
    @Test
    void aFormSentAfterTheSessionEndedGetsTheLoginPageWithTheTaskToSendAgain() throws Exception {
        HttpServletRequest form = sessionEndedForm("http://127.0.0.1:8181");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(form, response));

        verify(response).setStatus(401);
        assertTrue(body.toString().contains("Your session ended before the form was sent, so nothing was done: log in"
                + " again, then send it once more."), body.toString());
        assertTrue(body.toString().contains("<textarea id=\"login-kept-task\" readonly rows=\"6\" cols=\"60\">count"
                + " the &lt;b&gt;apples&lt;/b&gt;</textarea>"), body.toString());
        assertTrue(body.toString().contains("value=\"/mcp-executions?status=running\""), body.toString());

        HttpServletResponse forged = response();
        assertNull(provider.authenticate(sessionEndedForm("http://evil.example"), forged));
        verify(forged).setStatus(401);
        assertFalse(body.toString().contains("apples"), body.toString());
        assertTrue(body.toString().startsWith("Log in at /system/console/login"), body.toString());

        // sent chunked, of no declared length, it is not read by an unauthenticated request
        HttpServletRequest chunked = sessionEndedForm("http://127.0.0.1:8181");
        when(chunked.getContentLengthLong()).thenReturn(-1L);
        HttpServletResponse unread = response();
        assertNull(provider.authenticate(chunked, unread));
        verify(chunked, never()).getParameter("task");
        assertTrue(body.toString().startsWith("Log in at /system/console/login"), body.toString());
    }

    private HttpServletRequest sessionEndedForm(String origin) {
        HttpServletRequest form = request("POST", "/mcp-executions/run");
        when(form.getHeader("Accept")).thenReturn("text/html,application/xhtml+xml");
        when(form.getContentType()).thenReturn("application/x-www-form-urlencoded");
        when(form.getContentLengthLong()).thenReturn(60L);
        when(form.getHeader("Origin")).thenReturn(origin);
        when(form.getHeader("Referer")).thenReturn(origin + "/system/console/mcp-executions?status=running");
        when(form.getParameter("task")).thenReturn("count the <b>apples</b>");
        return form;
    }

    @Test
    void withoutCredentialsABrowserIsSentToTheLoginAndAScriptGets401() throws Exception {
        HttpServletRequest browser = request("GET", "/mcp-plugins");
        when(browser.getHeader("Accept")).thenReturn("text/html,application/xhtml+xml");
        HttpServletResponse toLogin = response();
        assertNull(provider.authenticate(browser, toLogin));
        verify(toLogin).sendRedirect("/system/console/login?return=%2Fmcp-plugins");

        HttpServletResponse unauthorized = response();
        assertNull(provider.authenticate(request("GET", "/mcp-executions/x/events"), unauthorized));
        verify(unauthorized).setStatus(401);
        verify(unauthorized).setHeader("WWW-Authenticate", "Bearer realm=\"mcp-agent console\"");
    }

    @Test
    void traceIsRefusedWithoutEchoingTheCredentials() throws Exception {
        HttpServletRequest request = request("TRACE", "/bundles");
        when(request.getHeader("X-Api-Key")).thenReturn("admin-key");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response), "no page, nor the servlet's own TRACE, sees it");

        verify(response).setStatus(405);
        verify(response).setHeader("Allow", "GET, HEAD, POST");
        assertFalse(body.toString().contains("admin-key"), body.toString());
    }

    @Test
    void theLoginFormAndEveryRefusalCarryTheSecurityHeaders() throws Exception {
        HttpServletResponse form = response();
        assertNull(provider.authenticate(request("GET", "/login"), form));
        HttpServletResponse unauthorized = response();
        assertNull(provider.authenticate(request("GET", "/bundles"), unauthorized));
        HttpServletRequest viewer = request("GET", "/bundles");
        when(viewer.getHeader("X-Api-Key")).thenReturn("viewer-key");
        HttpServletResponse forbidden = response();
        assertNull(provider.authenticate(viewer, forbidden));
        verify(forbidden).setStatus(403);
        for (HttpServletResponse answer : List.of(form, unauthorized, forbidden)) {
            verify(answer).setHeader("X-Frame-Options", "DENY");
            verify(answer).setHeader("X-Content-Type-Options", "nosniff");
            verify(answer).setHeader("Referrer-Policy", "same-origin");
        }
    }

    @Test
    void aKeyInAHeaderAuthenticatesWithoutSessionOrToken() throws Exception {
        HttpServletRequest request = request("POST", "/bundles/12");
        when(request.getHeader("X-Api-Key")).thenReturn("admin-key");

        ConsoleUser user = assertInstanceOf(ConsoleUser.class, provider.authenticate(request, response()));
        assertNull(user.csrfToken());

        HttpServletRequest bearer = request("GET", "/mcp-plugins");
        when(bearer.getHeader("Authorization")).thenReturn("Bearer viewer-key");
        assertEquals("key:view", assertInstanceOf(ConsoleUser.class, provider.authenticate(bearer, response()))
                .principal().actor());
    }

    @Test
    void aWrongKeyInAHeaderIsAFailedAuthenticationOfTheAddressAsOnTheRestApi() throws Exception {
        HttpServletRequest request = request("POST", "/mcp-plugins/deploy");
        when(request.getHeader("X-Api-Key")).thenReturn("guess");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(401);
        verify(failures).failed("10.0.0.9", "console:anonymous", ConsoleSecurityProvider.UNAUTHENTICATED,
                "POST /system/console/mcp-plugins/deploy",
                "the API key or token is not valid (unknown, revoked or expired)");

        HttpServletRequest browser = request("GET", "/bundles"); // a wrong bearer key is sent to the login form
        when(browser.getHeader("Authorization")).thenReturn("Bearer guess");
        when(browser.getHeader("Accept")).thenReturn("text/html");
        assertNull(provider.authenticate(browser, response()));
        verify(failures).failed("10.0.0.9", "console:anonymous", ConsoleSecurityProvider.UNAUTHENTICATED,
                "GET /system/console/bundles", "the API key or token is not valid (unknown, revoked or expired)");
    }

    @Test
    void behindATrustedProxyTheClientItNamesIsThrottledAndCountedNotThePeer() throws Exception {
        // as the HTTP configuration trusting the peer 10.0.0.9 answers: the client in the request's X-Forwarded-For
        when(failures.clientAddress(eq("10.0.0.9"), any())).thenAnswer(call -> {
            Function<String, Enumeration<String>> headers = call.getArgument(1);
            return headers.apply("X-Forwarded-For").nextElement();
        });
        when(failures.blocked("203.0.113.7")).thenReturn(Optional.of(Duration.ofMillis(41_500)));
        HttpServletRequest blocked = forwardedFor(request("GET", "/bundles"), "203.0.113.7");
        when(blocked.getHeader("X-Api-Key")).thenReturn("admin-key");
        HttpServletResponse refused = response();
        assertNull(provider.authenticate(blocked, refused));
        verify(refused).setStatus(429);

        HttpServletRequest other = forwardedFor(request("GET", "/bundles"), "198.51.100.1");
        when(other.getHeader("X-Api-Key")).thenReturn("admin-key");
        assertNotNull(provider.authenticate(other, response()), "another client of the same proxy gets in");

        HttpServletRequest guess = forwardedFor(request("GET", "/bundles"), "198.51.100.2");
        when(guess.getHeader("X-Api-Key")).thenReturn("guess");
        assertNull(provider.authenticate(guess, response()));
        verify(failures).failed("198.51.100.2", "console:anonymous", ConsoleSecurityProvider.UNAUTHENTICATED,
                "GET /system/console/bundles", "the API key or token is not valid (unknown, revoked or expired)");

        HttpServletRequest login = forwardedFor(request("POST", "/login"), "198.51.100.3");
        when(login.getHeader("Origin")).thenReturn(ORIGIN);
        when(login.getParameter("key")).thenReturn("guess");
        assertNull(provider.authenticate(login, response()));
        verify(failures).blocked("198.51.100.3");
        verify(failures).failed("198.51.100.3", "console:anonymous", "console.login", null,
                "unknown, revoked or expired key");
    }

    @Test
    void behindATrustedProxyTerminatingTlsTheCookieIsSecureAndTheOriginItNamesIsTheConsoles() throws Exception {
        // as the HTTP configuration trusting the peer 10.0.0.9 answers its X-Forwarded-Proto and X-Forwarded-Host
        Origin proxied = new Origin("https", "console.example.com", 443);
        when(forwarded.origin(eq("10.0.0.9"), eq(RECEIVED), any())).thenReturn(proxied);

        Cookie cookie = login("admin-key", "https://console.example.com");

        assertTrue(cookie.getSecure(), "the client's connection is TLS, though the proxy's is not");
        HttpServletRequest page = withCookie(request("POST", "/mcp-executions/run"), cookie);
        when(page.getHeader("Origin")).thenReturn("https://console.example.com");
        assertInstanceOf(ConsoleUser.class, provider.authenticate(page, response()));
        HttpServletRequest direct = withCookie(request("POST", "/mcp-executions/run"), cookie);
        when(direct.getHeader("Origin")).thenReturn(ORIGIN);
        HttpServletResponse refused = response();
        assertNull(provider.authenticate(direct, refused));
        verify(refused).setStatus(403);
        assertTrue(body.toString().contains("it comes from http://127.0.0.1:8181, not from this console"),
                body.toString());
    }

    @Test
    void withoutATrustedProxyTheRequestsOwnSchemeHostAndPortCount() throws Exception {
        HttpServletRequest claimed = request("POST", "/login");
        when(claimed.getHeader("Origin")).thenReturn("https://console.example.com");
        when(claimed.getHeaders("X-Forwarded-Proto")).thenAnswer(call -> Collections.enumeration(List.of("https")));
        when(claimed.getHeaders("X-Forwarded-Host")).thenAnswer(call ->
                Collections.enumeration(List.of("console.example.com")));
        when(claimed.getParameter("key")).thenReturn("admin-key");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(claimed, response));

        verify(response).setStatus(403);
        verify(response, never()).addCookie(any());
        verify(forwarded).origin(eq("10.0.0.9"), eq(RECEIVED), any());
        assertFalse(login("admin-key").getSecure(), "plain HTTP from the client: no Secure cookie");
    }

    private static HttpServletRequest forwardedFor(HttpServletRequest request, String client) {
        when(request.getHeaders("X-Forwarded-For")).thenAnswer(call -> Collections.enumeration(List.of(client)));
        return request;
    }

    @Test
    void noCredentialAndAValidHeaderKeyAreNotFailures() throws Exception {
        assertNull(provider.authenticate(request("GET", "/bundles"), response()));
        HttpServletRequest valid = request("GET", "/bundles");
        when(valid.getHeader("X-Api-Key")).thenReturn("admin-key");
        assertNotNull(provider.authenticate(valid, response()));

        verify(failures, never()).failed(any(), any(), any(), any(), any());
    }

    @Test
    void aHeaderKeyFromAnAddressThatFailedTooOftenGets429BeforeItIsLookedAt() throws Exception {
        when(failures.blocked("10.0.0.9")).thenReturn(Optional.of(Duration.ofMillis(41_500)));
        HttpServletRequest request = request("GET", "/bundles");
        when(request.getHeader("X-Api-Key")).thenReturn("admin-key");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(request, response));

        verify(response).setStatus(429);
        verify(response).setHeader("Retry-After", "42");
        assertEquals("Too many failed authentications from 10.0.0.9: try again in 42 s.\n",
                body.toString());
        verify(failures, never()).failed(any(), any(), any(), any(), any());
    }

    @Test
    void aSessionFromAnAddressThatFailedTooOftenGets429AsAHeaderKeyDoes() throws Exception {
        Cookie cookie = login("admin-key");
        when(failures.blocked("10.0.0.9")).thenReturn(Optional.of(Duration.ofMillis(41_500)));
        HttpServletResponse response = response();

        assertNull(provider.authenticate(withCookie(request("GET", "/bundles"), cookie), response),
                "a session is a credential like a key: the same address is refused whichever it presents");

        verify(response).setStatus(429);
        verify(response).setHeader("Retry-After", "42");
        assertEquals("Too many failed authentications from 10.0.0.9: try again in 42 s.\n",
                body.toString());

        HttpServletRequest browser = request("GET", "/mcp-plugins");
        when(browser.getHeader("Accept")).thenReturn("text/html");
        HttpServletResponse withoutCredential = response();
        assertNull(provider.authenticate(browser, withoutCredential));
        verify(withoutCredential).setStatus(429);
        verify(withoutCredential, never()).sendRedirect(any());

        when(failures.blocked("10.0.0.9")).thenReturn(Optional.empty());
        assertInstanceOf(ConsoleUser.class, provider.authenticate(withCookie(request("GET", "/bundles"), cookie),
                response()), "the session is kept: once the minute is over it works again");
    }

    @Test
    void twoDifferentCredentialsInTheHeadersAreRefusedAsTheRestApiRefusesThem() throws Exception {
        for (String apiKey : List.of("viewer-key", "junk")) {
            HttpServletRequest request = request("GET", "/bundles");
            when(request.getHeader("X-Api-Key")).thenReturn(apiKey);
            when(request.getHeader("Authorization")).thenReturn("Bearer admin-key");
            HttpServletResponse response = response();

            assertNull(provider.authenticate(request, response), apiKey);

            verify(response).setStatus(401);
            assertEquals("Refused: the headers X-Api-Key and Authorization (Bearer) carry different credentials; send"
                    + " one of them (or the same credential in both).\n", body.toString());
        }
        verify(failures, times(2)).failed("10.0.0.9", "console:anonymous", ConsoleSecurityProvider.UNAUTHENTICATED,
                "GET /system/console/bundles", "the headers X-Api-Key and Authorization (Bearer) carry different"
                        + " credentials; send one of them (or the same credential in both)");
        HttpServletRequest same = request("GET", "/bundles");
        when(same.getHeader("X-Api-Key")).thenReturn("admin-key");
        when(same.getHeader("Authorization")).thenReturn("Bearer admin-key");
        assertNotNull(provider.authenticate(same, response()));
    }

    @Test
    void felixsOwnPagesNeedAdminWhileOurPagesAreOpenToViewers() throws Exception {
        Cookie viewer = login("viewer-key");

        for (String path : new String[] {"/mcp-plugins", "/mcp-servers", "/mcp-executions/abc/events", "/res/ui/x.css",
                ""}) {
            assertNotNull(provider.authenticate(withCookie(request("GET", path), viewer), response()), path);
        }
        for (String path : new String[] {"/bundles", "/components", "/configMgr", "/logs", "/unknown-plugin"}) {
            HttpServletResponse response = response();
            assertNull(provider.authenticate(withCookie(request("GET", path), viewer), response), path);
            verify(response).setStatus(403);
            assertTrue(body.toString().contains("needs the role admin; you are viewer"), body.toString());
        }
    }

    @Test
    void aStateChangingSessionRequestFromAnotherOriginIsRefusedAndAudited() throws Exception {
        Cookie admin = login("admin-key");
        HttpServletRequest forged = withCookie(request("POST", "/bundles/12"), admin);
        when(forged.getHeader("Origin")).thenReturn("http://evil.example");
        HttpServletResponse response = response();

        assertNull(provider.authenticate(forged, response));

        verify(response).setStatus(403);
        assertTrue(body.toString().startsWith("Refused as a possible cross-site request forgery"), body.toString());
        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit, times(2)).record(entries.capture());
        assertEquals("console.csrf", entries.getValue().action());
        assertEquals(AuditEntry.DENIED, entries.getValue().outcome());

        HttpServletRequest own = withCookie(request("POST", "/bundles/12"), admin);
        when(own.getHeader("Origin")).thenReturn(ORIGIN);
        assertNotNull(provider.authenticate(own, response()));
    }

    @Test
    void aRevokedKeyLosesItsSessionAtTheNextRequest() throws Exception {
        Cookie admin = login("admin-key");
        keys.remove("admin-key");

        assertNull(provider.authenticate(withCookie(request("GET", "/mcp-plugins"), admin), response()));
        keys.put("admin-key", new Principal("key:adm", Role.ADMIN, null));
        assertNull(provider.authenticate(withCookie(request("GET", "/mcp-plugins"), admin), response()),
                "the session is gone, not just suspended");
    }

    @Test
    void logoutEndsTheSessionAndExpiresTheCookie() throws Exception {
        Cookie admin = login("admin-key");
        HttpServletResponse response = response();

        provider.logout(withCookie(request("GET", "/logout"), admin), response);

        ArgumentCaptor<Cookie> expired = ArgumentCaptor.forClass(Cookie.class);
        verify(response).addCookie(expired.capture());
        assertEquals(0, expired.getValue().getMaxAge());
        verify(response).sendRedirect("/system/console/login");
        assertNull(provider.authenticate(withCookie(request("GET", "/mcp-plugins"), admin), response()));
    }

    @Test
    void anUnreadableKeyStoreAnswers503() throws Exception {
        Authenticator broken = credential -> {
            throw new IllegalStateException("data/security/api-keys.json is unreadable");
        };
        ConsoleSecurityProvider failing = new ConsoleSecurityProvider(broken, failures, forwarded, sessions(), clock);
        HttpServletRequest request = request("GET", "/mcp-plugins");
        when(request.getHeader("X-Api-Key")).thenReturn("any");
        HttpServletResponse response = response();

        assertNull(failing.authenticate(request, response));

        verify(response).setStatus(503);
        assertTrue(body.toString().contains("api-keys.json is unreadable"), body.toString());
    }

    @Test
    void authorizeComparesRolesAndRejectsStrangers() {
        ConsoleUser operator = new ConsoleUser(new Principal("key:op", Role.OPERATOR, null), null);
        assertTrue(provider.authorize(operator, "viewer"));
        assertTrue(provider.authorize(operator, "operator"));
        assertFalse(provider.authorize(operator, "admin"));
        assertFalse(provider.authorize(operator, "root"));
        assertFalse(provider.authorize("someone", "viewer"));
        verify(audit, never()).record(any());
    }

    private boolean signedIn(Cookie session) throws Exception {
        return provider.authenticate(withCookie(request("GET", "/mcp-plugins"), session), response()) != null;
    }

    @Test
    void theSessionsOutliveTheProviderSoThatAReplacedOneServesThemWithTheNewAuthenticator() throws Exception {
        LoginSessions sessions = sessions();
        provider = new ConsoleSecurityProvider(authenticator, failures, forwarded, sessions, clock);
        Cookie admin = login("admin-key");
        Cookie viewer = login("viewer-key");

        // bundle io.mcpagent.http refreshed: DS makes a new provider on its new services, and the same sessions
        Map<String, Principal> reloaded = Map.of("admin-key", new Principal("key:adm", Role.ADMIN, null));
        provider = new ConsoleSecurityProvider(credential -> Optional.ofNullable(reloaded.get(credential)), failures,
                forwarded, sessions, clock);

        assertTrue(signedIn(admin), "still logged in");
        assertFalse(signedIn(viewer), "each request asks the new authenticator: a key it does not know is out");
    }

    @Test
    void aChangedConfigurationKeepsTheSessionsAndItsLimitsApplyToThem() throws Exception {
        Cookie admin = login("admin-key");
        clock.advance(Duration.ofMinutes(4));

        configuration.modified(Configs.console(Map.of("sessionIdleMinutes", 5)));

        assertTrue(signedIn(admin), "the change logs nobody out");
        clock.advance(Duration.ofMinutes(6));
        assertFalse(signedIn(admin), "idle for 6 minutes, more than the new 5");
    }

    @Test
    void aRefusedConfigurationKeepsTheConsoleUpOnTheDefaults() throws Exception {
        configuration = new ConsoleConfiguration(Configs.console(Map.of("sessionIdleMinutes", 0,
                "sessionMaxHours", -1, "maxSessions", 0)));
        provider = new ConsoleSecurityProvider(authenticator, failures, forwarded, sessions(), clock);

        Cookie admin = login("admin-key");
        clock.advance(Duration.ofMinutes(29));
        assertTrue(signedIn(admin), "the default idle time of 30 minutes is in force");
        assertEquals(List.of("configuration io.mcpagent.console (etc/io.mcpagent.console.cfg.json) is refused:"
                + " sessionIdleMinutes must be at least 1, was 0; sessionMaxHours must be at least 1, was -1;"
                + " maxSessions must be at least 1, was 0; the defaults are in force until it is repaired"),
                configuration.problems().stream().map(Problem::message).toList());

        configuration.modified(Configs.console(Map.of("sessionIdleMinutes", 60)));
        assertTrue(signedIn(admin), "a valid configuration logs nobody out");
    }

    @Test
    void aRefusedChangeLeavesTheLimitsInForce() throws Exception {
        configuration.modified(Configs.console(Map.of("sessionIdleMinutes", 5)));
        Cookie admin = login("admin-key");

        configuration.modified(Configs.console(Map.of("sessionIdleMinutes", 60, "maxUploadMegabytes", -5)));

        assertTrue(configuration.problems().get(0).message().contains("is refused: maxUploadMegabytes must be at"
                + " least 1, was -5; the previous settings stay in force"), configuration.problems().toString());
        clock.advance(Duration.ofMinutes(6));
        assertFalse(signedIn(admin), "nothing of the refused configuration applies: 5 minutes stay");
    }

    /** The address is named as the REST API names it; an IPv4 client read "your address (over IPv6, its /64)". */
    @Test
    void theAddressCountedForFailuresIsNamedAsTheRestApiNamesIt() {
        assertEquals("10.0.0.9", ConsoleSecurityProvider.counted("10.0.0.9"));
        assertEquals("2001:db8::7 (its /64 network)", ConsoleSecurityProvider.counted("2001:db8::7"));
    }
}
