package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.security.ForwardedRequests.Origin;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import jakarta.servlet.http.HttpServletRequest;

class CsrfProtectionTest {
    private static final ConsoleUser SESSION_USER = new ConsoleUser(new Principal("key:a", Role.ADMIN, null), "tok3n");

    /** The origin the requests of these tests reach the console with. */
    private static final Origin RECEIVED = new Origin("http", "127.0.0.1", 8181);

    private static Optional<String> foreign(HttpServletRequest request) {
        return CsrfProtection.foreignOrigin(request, RECEIVED);
    }

    private static HttpServletRequest request(String method, String origin, String referer) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getScheme()).thenReturn("http");
        when(request.getServerName()).thenReturn("127.0.0.1");
        when(request.getServerPort()).thenReturn(8181);
        when(request.getHeader("Origin")).thenReturn(origin);
        when(request.getHeader("Referer")).thenReturn(referer);
        return request;
    }

    @Test
    void onlyUnsafeMethodsChangeState() {
        assertFalse(CsrfProtection.changesState(request("GET", null, null)));
        assertFalse(CsrfProtection.changesState(request("HEAD", null, null)));
        assertTrue(CsrfProtection.changesState(request("POST", null, null)));
        assertTrue(CsrfProtection.changesState(request("PUT", null, null)));
        assertTrue(CsrfProtection.changesState(request("delete", null, null)));
    }

    @Test
    void theConsolesOwnOriginPasses() {
        assertTrue(foreign(request("POST", "http://127.0.0.1:8181", null)).isEmpty());
        assertTrue(foreign(request("POST", null,
                "http://127.0.0.1:8181/system/console/mcp-plugins")).isEmpty(), "Referer when there is no Origin");
        assertTrue(foreign(request("POST", "null",
                "http://127.0.0.1:8181/system/console/mcp-plugins")).isEmpty(), "an opaque Origin falls back too");
    }

    @Test
    void anotherSiteAPortOrASchemeIsRefusedNamingWhereItCameFrom() {
        assertEquals("it comes from http://evil.example, not from this console",
                foreign(request("POST", "http://evil.example", null)).orElseThrow());
        assertTrue(foreign(request("POST", "http://127.0.0.1:9999", null)).isPresent());
        assertTrue(foreign(request("POST", "https://127.0.0.1:8181", null)).isPresent());
        assertTrue(foreign(request("POST", null, "http://127.0.0.1.evil.example:8181/x"))
                .isPresent());
    }

    @Test
    void theOriginTheClientAddressedCountsNotTheOneTheRequestReachedTheConsoleWith() {
        Origin proxied = new Origin("https", "console.example.com", 443);
        assertTrue(CsrfProtection.foreignOrigin(request("POST", "https://console.example.com", null), proxied)
                .isEmpty());
        assertTrue(CsrfProtection.foreignOrigin(request("POST", null, "https://Console.Example.com:443/system/console"),
                proxied).isEmpty());
        assertEquals("it comes from http://127.0.0.1:8181, not from this console", CsrfProtection.foreignOrigin(
                request("POST", "http://127.0.0.1:8181", null), proxied).orElseThrow());
        assertTrue(CsrfProtection.foreignOrigin(request("POST", "https://console.example.com:8443", null), proxied)
                .isPresent());
    }

    @Test
    void aRequestNamingNoOriginAtAllIsRefused() {
        assertTrue(foreign(request("POST", null, null)).orElseThrow().contains("no Origin"));
        assertTrue(foreign(request("POST", "::not a url::", null)).isPresent());
    }

    @Test
    void theSessionsTokenIsAcceptedFromTheFieldOrTheHeader() {
        HttpServletRequest field = request("POST", null, null);
        when(field.getParameter(CsrfProtection.FIELD)).thenReturn("tok3n");
        HttpServletRequest header = request("POST", null, null);
        when(header.getHeader(CsrfProtection.HEADER)).thenReturn("tok3n");

        assertTrue(CsrfProtection.missingToken(SESSION_USER, field).isEmpty());
        assertTrue(CsrfProtection.missingToken(SESSION_USER, header).isEmpty());
    }

    @Test
    void aMissingOrForeignTokenIsRefused() {
        HttpServletRequest none = request("POST", null, null);
        HttpServletRequest wrong = request("POST", null, null);
        when(wrong.getParameter(CsrfProtection.FIELD)).thenReturn("tok3m");

        assertTrue(CsrfProtection.missingToken(SESSION_USER, none).orElseThrow().contains("no CSRF token"));
        assertTrue(CsrfProtection.missingToken(SESSION_USER, wrong).orElseThrow().contains("does not belong"));
    }

    @Test
    void callersWithTheKeyInAHeaderNeedNoToken() {
        ConsoleUser script = new ConsoleUser(new Principal("key:a", Role.ADMIN, null), null);
        assertTrue(CsrfProtection.missingToken(script, request("POST", null, null)).isEmpty());
    }
}
