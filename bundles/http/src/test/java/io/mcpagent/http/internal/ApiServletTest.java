package io.mcpagent.http.internal;

import static org.mockito.Mockito.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.StringWriter;
import java.io.PrintWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.http.internal.ServletCalls.Answer;

class ApiServletTest {
    private static final String HOW_TO_AUTHENTICATE = "send the key in the header X-Api-Key, or the key or a JWT in"
            + " the header Authorization as 'Bearer <key or JWT>'";
    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AuthenticationThrottle failures = new AuthenticationThrottle(ServletCalls.config(1000), clock);
    private ApiServlet servlet;
    private BundleContext context;
    private PluginManager plugins;
    private String viewer;

    @BeforeEach
    void setUp() throws Exception {
        KeyService keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        viewer = keys.store().create(Role.VIEWER, "test");
        context = mock(BundleContext.class);
        ServletCalls.registerReadinessServices(context);
        Bundle system = bundle("org.apache.felix.framework", Bundle.ACTIVE);
        when(context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION)).thenReturn(system);
        Bundle core = bundle("io.mcpagent.core", Bundle.ACTIVE);
        when(context.getBundles()).thenReturn(new Bundle[] {system, core});
        servlet = ServletCalls.apiServlet(context, keys, ServletCalls.config(1000), failures);
        plugins = mock(PluginManager.class);
        PluginInfo echo = new PluginInfo("example.echo", PluginKind.PATTERN, "1.0", "Echo", "", "ex.echo", "1.0", 9, 3,
                Map.of("mcpagent.plugin.id", "example.echo"));
        when(plugins.list()).thenReturn(List.of(echo));
        when(plugins.list(PluginKind.PATTERN)).thenReturn(List.of(echo));
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of());
        when(plugins.get(anyString())).thenReturn(Optional.empty());
        when(plugins.get("example.echo")).thenReturn(Optional.of(echo));
        when(plugins.health("example.echo")).thenReturn(Optional.of(PluginHealth.up()));
        when(plugins.countsByKind()).thenReturn(Map.of(PluginKind.PATTERN, 1, PluginKind.PROVIDER, 0,
                PluginKind.ANALYZER, 0, PluginKind.MCP_SERVER, 0));
        servlet.bindPlugins(plugins);
    }

    @Test
    void traceIsRefusedEverywhereWithoutEchoingTheCredentials() throws Exception {
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        for (String path : List.of("/status", "/keys", "/openapi.json", "/executions", "/executions/x/events",
                "/plugins", "/servers/memory/tools", "/audit", "/health/live", "/nowhere")) {
            ServletCalls.Raw answer = ServletCalls.raw(servlet, "TRACE", path, null, admin, null);
            assertTrue(answer.status() == 405 || answer.status() == 404, path + ": " + answer.status());
            assertFalse(answer.text().contains("bootstrap-admin-key-for-the-tests"), path + ": " + answer.text());
        }
    }

    @Test
    void aClientThatTakesNeitherJsonNorAnythingIsAnswered406NamingWhatTheEndpointAnswers() throws Exception {
        Map<String, String> html = Map.of("X-Api-Key", viewer, "Accept", "text/html");
        Answer refused = ServletCalls.call(servlet, "GET", "/status", null, html, null);
        assertEquals(406, refused.status());
        assertEquals("not_acceptable", refused.error());
        assertEquals("GET /api/v1/status answers application/json, which the request's Accept header ('text/html')"
                + " does not take; accept application/json or send no Accept header", refused.message());
        assertEquals(406, ServletCalls.call(servlet, "GET", "/health", null, Map.of("Accept", "text/html"), null)
                .status(), "before the caller is asked for");
        assertEquals(406, ServletCalls.call(servlet, "GET", "/status", null, Map.of("X-Api-Key", viewer, "Accept",
                "application/json;q=0, */*"), null).status(), "JSON refused by name, however much else is taken");
        Answer stream = ServletCalls.call(servlet, "GET", "/executions/e-1/events", null, html, null);
        assertEquals(406, stream.status());
        assertEquals("GET /api/v1/executions/e-1/events answers text/event-stream (and its errors application/json),"
                + " which the request's Accept header ('text/html') does not take; accept text/event-stream or send no"
                + " Accept header", stream.message());
        assertEquals(406, ServletCalls.call(servlet, "GET", "/status", null, Map.of("X-Api-Key", viewer, "Accept",
                "text/event-stream"), null).status(), "the event streams' type is theirs alone");

        for (String accept : List.of("application/json", "*/*", "application/*", "text/html, */*;q=0.1",
                "APPLICATION/JSON; charset=utf-8", "", "not a media range")) {
            assertEquals(200, ServletCalls.call(servlet, "GET", "/status", null, Map.of("X-Api-Key", viewer, "Accept",
                    accept), null).status(), accept);
        }
        assertEquals(200, ServletCalls.call(servlet, "GET", "/status", null, Map.of("X-Api-Key", viewer), null)
                .status(), "no Accept header: anything");
        for (String accept : List.of("text/event-stream", "text/*", "application/json")) {
            assertNotEquals(406, ServletCalls.call(servlet, "GET", "/executions/e-1/events", null,
                    Map.of("X-Api-Key", viewer, "Accept", accept), null).status(), accept);
        }
    }

    @Test
    void everyListRefusesAnUnknownOrRepeatedQueryParameterAsTheAuditLogDoes() throws Exception {
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        for (String path : List.of("/keys", "/providers", "/plugins", "/servers", "/servers/memory/tools",
                "/servers/discover")) {
            Answer unknown = ServletCalls.call(servlet, "GET", path, "bogus=1", admin, null);
            assertEquals(400, unknown.status(), path);
            assertEquals("bogus", unknown.body().path("field").asText(), path);
            Answer twice = ServletCalls.call(servlet, "GET", path, "limit=1&limit=2", admin, null);
            assertEquals(400, twice.status(), path);
            assertEquals("query parameter 'limit' is given 2 times; give it once", twice.message(), path);
        }
        assertEquals(200, ServletCalls.call(servlet, "GET", "/plugins", "kind=pattern&offset=0&limit=5", admin, null)
                .status());
    }

    @Test
    void everyEndpointWithoutQueryParametersRefusesAnUnknownOneAsTheListsDo() throws Exception {
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        List<List<String>> requests = List.of(List.of("GET", "/health"), List.of("GET", "/openapi.json"),
                List.of("GET", "/status"), List.of("GET", "/plugins/example.echo"),
                List.of("GET", "/providers/openai"), List.of("GET", "/servers/memory"),
                List.of("DELETE", "/servers/memory"), List.of("POST", "/servers/install"),
                List.of("POST", "/autonomous/analyze"), List.of("POST", "/autonomous/execute"),
                List.of("POST", "/agents/create"), List.of("GET", "/executions/e-1"),
                List.of("DELETE", "/executions/e-1"), List.of("GET", "/executions/e-1/events"),
                List.of("POST", "/keys"), List.of("DELETE", "/keys/k1"));
        for (List<String> request : requests) {
            Answer unknown = ServletCalls.call(servlet, request.get(0), request.get(1), "dryRun=true", admin,
                    request.get(0).equals("POST") ? "{}" : null);
            String what = request.get(0) + " " + request.get(1);
            assertEquals(400, unknown.status(), what);
            assertEquals("dryRun", unknown.body().path("field").asText(), what);
            assertEquals("unknown query parameter 'dryRun'; this endpoint takes none", unknown.message(), what);
        }
        assertEquals("unknown query parameter 'dryRun'; the parameters are [tenant]",
                ServletCalls.call(servlet, "GET", "/providers/usage", "dryRun=true", admin, null).message());
        // /servers/{name} takes none of the parameters of /servers/discover beside it
        assertEquals("unknown query parameter 'task'; this endpoint takes none",
                ServletCalls.call(servlet, "GET", "/servers/memory", "task=x", admin, null).message());
    }

    @Test
    void headIsAnsweredWhereverGetIsAndAuditedAsHead() throws Exception {
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        for (String path : List.of("/health", "/status", "/plugins", "/keys")) {
            Answer get = call("GET", path, null, admin);
            Answer head = call("HEAD", path, null, admin);
            assertEquals(get.status(), head.status(), path);
            assertEquals(200, head.status(), path);
        }
        Answer post = call("POST", "/status", null, admin);
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().get("Allow"));
        assertEquals("POST", call("GET", "/autonomous/execute", null, admin).headers().get("Allow"),
                "HEAD is allowed only where GET is");

        AuditLog log = mock(AuditLog.class);
        failures.bindAudit(log, Map.of("service.id", 1L));
        assertEquals(401, call("HEAD", "/status", null, Map.of()).status());
        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log).record(entry.capture());
        assertEquals("HEAD /api/v1/status", entry.getValue().target());
    }

    @Test
    void anAddressFailingToAuthenticateTooOftenGets429UntilItsMinuteIsOverWhateverItPresents() throws Exception {
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        for (int i = 0; i < 19; i++) {
            assertEquals(401, call("GET", "/status", null, Map.of("X-Api-Key", "g{}" + i)).status());
        }
        assertEquals(200, call("GET", "/plugins", null, admin).status(), "a success neither counts nor is refused");
        assertEquals(401, call("GET", "/status", null, Map.of()).status(), "the 20th failure");

        Answer refused = call("GET", "/status", null, Map.of("X-Api-Key", "g{}20"));
        assertEquals(429, refused.status());
        assertTrue(refused.message().startsWith("too many failed authentications from "), refused.message());
        assertTrue(refused.message().endsWith("; retry after 60 s"
                + " (maxFailedAuthenticationsPerMinute in etc/io.mcpagent.http.cfg.json)"), refused.message());
        assertEquals("60", refused.headers().get("Retry-After"));
        assertEquals(429, call("GET", "/plugins", null, admin).status(), "not even a right key is looked at");

        clock.advance(Duration.ofSeconds(60));
        assertEquals(200, call("GET", "/plugins", null, admin).status(), "the minute is over");
        assertEquals(401, call("GET", "/status", null, Map.of("X-Api-Key", "g{}21")).status(), "counted anew");
    }

    /** The refusal names what was counted: another address of the same /64 is refused with the /64's failures. */
    @Test
    void anIpv6ClientIsRefusedForTheFailuresOfItsSlash64AndToldSo() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(401, ServletCalls.callFrom("[2001:db8:1:2::" + Integer.toHexString(i + 1) + "]", servlet,
                    "GET", "/status", Map.of()).status());
        }
        Answer refused = ServletCalls.callFrom("[2001:db8:1:2::ffff]", servlet, "GET", "/plugins",
                Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests"));
        assertEquals(429, refused.status());
        assertEquals("too many failed authentications from 2001:db8:1:2::/64 (the addresses of an IPv6 /64 are counted"
                + " together); retry after 60 s (maxFailedAuthenticationsPerMinute in etc/io.mcpagent.http.cfg.json)",
                refused.message());
    }

    @Test
    void behindATrustedProxyEachClientIsThrottledAndAuditedByTheAddressTheProxyNames() throws Exception {
        failures.modified(ServletCalls.config(Map.of("trustedProxies", new String[] {"10.0.0.0/8"})));
        AuditLog log = mock(AuditLog.class);
        failures.bindAudit(log, Map.of("service.id", 1L));
        for (int i = 0; i < 20; i++) {
            assertEquals(401, ServletCalls.callFrom("10.0.0.2", servlet, "GET", "/status",
                    Map.of("X-Forwarded-For", "203.0.113.7")).status());
        }
        Answer refused = ServletCalls.callFrom("10.0.0.2", servlet, "GET", "/plugins",
                Map.of("X-Forwarded-For", "203.0.113.7", "X-Api-Key", "bootstrap-admin-key-for-the-tests"));
        assertEquals(429, refused.status());
        assertEquals("too many failed authentications from 203.0.113.7; retry after 60 s"
                + " (maxFailedAuthenticationsPerMinute in etc/io.mcpagent.http.cfg.json)", refused.message());
        assertEquals(200, ServletCalls.callFrom("10.0.0.2", servlet, "GET", "/plugins",
                Map.of("X-Forwarded-For", "198.51.100.1", "X-Api-Key", "bootstrap-admin-key-for-the-tests")).status(),
                "another client of the same proxy is not locked out");

        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log).record(entry.capture());
        String detail = "from 203.0.113.7: this endpoint needs an API key or a bearer token; " + HOW_TO_AUTHENTICATE;
        assertEquals(detail, entry.getValue().detail());
        // the audit log masks what it shows: the words of the refusal read no credential (it read "token: [redacted]
        // 'X-Api-Key: [redacted]'")
        assertEquals(detail, Secrets.redact(detail));
    }

    @Test
    void theForwardingHeadersOfAnUntrustedPeerAreIgnored() throws Exception {
        failures.modified(ServletCalls.config(Map.of("trustedProxies", new String[] {"10.0.0.0/8"})));
        AuditLog log = mock(AuditLog.class);
        failures.bindAudit(log, Map.of("service.id", 1L));
        for (int i = 0; i < 20; i++) {
            // an attacker naming its victim, a new address each time, to lock it out or to escape the count
            assertEquals(401, ServletCalls.callFrom("198.51.100.9", servlet, "GET", "/status",
                    Map.of("X-Forwarded-For", "203.0.113." + i, "Forwarded", "for=203.0.113." + i)).status());
        }
        assertEquals(429, ServletCalls.callFrom("198.51.100.9", servlet, "GET", "/status",
                Map.of("X-Forwarded-For", "203.0.113.99")).status(), "the attacker's own address is counted");
        assertEquals(200, ServletCalls.callFrom("10.0.0.2", servlet, "GET", "/plugins",
                Map.of("X-Forwarded-For", "203.0.113.0", "X-Api-Key", "bootstrap-admin-key-for-the-tests")).status(),
                "the client it named is not locked out");

        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log).record(entry.capture());
        assertTrue(entry.getValue().detail().startsWith("from 198.51.100.9: "), entry.getValue().detail());
    }

    @Test
    void aTrustedProxyThatIsNoAddressOrRangeIsRefusedNamingItAndThePeersStayTheClients() throws Exception {
        failures.modified(ServletCalls.config(Map.of("trustedProxies", new String[] {"10.0.0.0/8", "10.0.0.0/33"})));
        assertEquals(List.of("configuration io.mcpagent.http (etc/io.mcpagent.http.cfg.json) is refused: trustedProxies"
                + " takes IP addresses and CIDR ranges (10.0.0.5, 10.0.0.0/8, fd00::/8): '10.0.0.0/33' has no prefix"
                + " length of 0 to 32 after the '/'; the previous settings stay in force until it is repaired"),
                failures.problems().stream().map(Problem::message).toList());
        assertEquals("10.0.0.2", failures.clientAddress("10.0.0.2",
                name -> Collections.enumeration(List.of("203.0.113.7"))), "no proxy is trusted");

        failures.modified(ServletCalls.config(Map.of("trustedProxies", new String[] {"10.0.0.0/8"})));
        assertEquals(List.of(), failures.problems());
        assertEquals("203.0.113.7", failures.clientAddress("10.0.0.2",
                name -> Collections.enumeration(List.of("203.0.113.7"))));
    }

    @Test
    void theCallerIsCheckedBeforeTheQuery() throws Exception {
        assertEquals(401, ServletCalls.call(servlet, "GET", "/status", "bogus=1", Map.of(), null).status());
        assertEquals(403, ServletCalls.call(servlet, "GET", "/keys", "bogus=1", Map.of("X-Api-Key", viewer), null)
                .status());
        assertEquals(405, ServletCalls.call(servlet, "PUT", "/status", "bogus=1", Map.of("X-Api-Key", viewer), null)
                .status());
    }

    @Test
    void anUnauthenticatedRequestIsAuditedWithoutTheKeyItPresented() throws Exception {
        AuditLog log = mock(AuditLog.class);
        failures.bindAudit(log, Map.of("service.id", 1L));

        assertEquals(401, call("GET", "/status", null, Map.of("X-Api-Key", "mcpa_x_wrong")).status());
        assertEquals(401, call("GET", "/plugins", null, Map.of()).status());

        ArgumentCaptor<AuditEntry> entry = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log).record(entry.capture()); // the second refusal of that address is only counted
        assertEquals("api.unauthenticated", entry.getValue().action());
        assertEquals("api:anonymous", entry.getValue().actor());
        assertEquals(AuditEntry.DENIED, entry.getValue().outcome());
        assertEquals("GET /api/v1/status", entry.getValue().target());
        assertEquals("from an unknown address: the API key or token is not valid (unknown, revoked or expired)",
                entry.getValue().detail());
    }

    @Test
    void twoDifferentCredentialsAreRefusedNamingBothHeaders() throws Exception {
        Answer both = ServletCalls.call(servlet, "GET", "/status", null,
                Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests", "Authorization", "Bearer " + viewer), null);
        assertEquals(401, both.status());
        assertEquals("the headers X-Api-Key and Authorization (Bearer) carry different credentials; send one of them"
                + " (or the same credential in both)", both.message());
        assertEquals(200, ServletCalls.call(servlet, "GET", "/status", null,
                Map.of("X-Api-Key", viewer, "Authorization", "Bearer " + viewer), null).status());
    }

    @Test
    void aKeyInAnAuthorizationHeaderOfAnotherSchemeIsNamedAsSuchWithoutRepeatingIt() throws Exception {
        for (String authorization : List.of(viewer, "ApiKey " + viewer, "Basic dmlld2VyOnNlY3JldA==")) {
            Answer answer = call("GET", "/status", null, Map.of("Authorization", authorization));
            assertEquals(401, answer.status(), authorization);
            assertEquals("the Authorization header is not of the scheme Bearer, the only one this API reads (not shown,"
                    + " as it may hold a credential): " + HOW_TO_AUTHENTICATE, answer.message(), authorization);
        }
        for (Map<String, String> none : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer"))) {
            assertEquals("this endpoint needs an API key or a bearer token; " + HOW_TO_AUTHENTICATE,
                    call("GET", "/status", null, none).message());
        }
    }

    /**
     * A client that goes away while its answer is written (curl | head on the 185 KB OpenAPI document, which needs no
     * key) is no error: each hang-up logged a stack trace at ERROR, so any client could fill the log. A body that
     * cannot be written as JSON is the server's fault and is not hidden.
     */
    @Test
    void aClientGoneWhileItsAnswerIsWrittenIsNoError() throws Exception {
        HttpServletRequest request = org.mockito.Mockito.mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getRequestURI()).thenReturn("/api/v1/openapi.json");
        ApiServlet.unlessClientGone(request, () -> {
            throw new java.io.IOException("Connection reset by peer");
        });
        assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> ApiServlet.unlessClientGone(
                request, () -> {
                    throw new com.fasterxml.jackson.core.JsonGenerationException("no serializer",
                            (com.fasterxml.jackson.core.JsonGenerator) null);
                }));
    }

    @Test
    void healthNeedsNoKey() throws Exception {
        Answer answer = call("GET", "/health", null, Map.of());
        assertEquals(200, answer.status());
        assertEquals("UP", answer.body().path("status").asText());
        assertEquals("no-store", answer.headers().get("Cache-Control"));
        assertEquals("nosniff", answer.headers().get("X-Content-Type-Options"));
    }

    @Test
    void everyOtherEndpointNeedsAValidKey() throws Exception {
        for (String path : List.of("/status", "/plugins", "/plugins/example.echo")) {
            Answer none = call("GET", path, null, Map.of());
            assertEquals(401, none.status(), path);
            assertEquals("unauthorized", none.body().path("error").asText());
            assertTrue(none.headers().get("WWW-Authenticate").startsWith("Bearer"));
            assertEquals(401, call("GET", path, null, Map.of("X-Api-Key", "mcpa_x_wrong")).status());
            assertEquals(200, call("GET", path, null, Map.of("X-Api-Key", viewer)).status(), path);
            assertEquals(200, call("GET", path, null, Map.of("Authorization", "Bearer " + viewer)).status(), path);
            assertEquals(200, call("GET", path, null, Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests")).status(), path);
        }
    }

    @Test
    void pluginsAreListedFilteredAndShownWithHealth() throws Exception {
        JsonNode all = call("GET", "/plugins", null, Map.of("X-Api-Key", viewer)).body();
        assertEquals(1, all.path("count").asInt());
        JsonNode echo = all.path("plugins").get(0);
        assertEquals("example.echo", echo.path("id").asText());
        assertEquals("pattern", echo.path("kind").asText());
        assertEquals("ex.echo", echo.path("bundle").path("symbolicName").asText());
        assertEquals(0, call("GET", "/plugins", "kind=provider", Map.of("X-Api-Key", viewer)).body().path("count").asInt());

        Answer badKind = call("GET", "/plugins", "kind=gadget", Map.of("X-Api-Key", viewer));
        assertEquals(400, badKind.status());
        assertTrue(badKind.message().contains("provider, pattern, analyzer, mcp-server"), badKind.message());

        Answer one = call("GET", "/plugins/example.echo", null, Map.of("X-Api-Key", viewer));
        assertEquals("UP", one.body().path("health").path("status").asText());
        Answer missing = call("GET", "/plugins/no.such", null, Map.of("X-Api-Key", viewer));
        assertEquals(404, missing.status());
        assertEquals("no plugin with id 'no.such'; GET /api/v1/plugins lists them", missing.message());
    }

    @Test
    void aPluginsHealthMessageAndAProblemsMessageAreMaskedAsTheServersAndProvidersShowThem() throws Exception {
        String secret = "literal-XSECRET-785"; // a configured value of no known shape: only the masker knows it
        servlet.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        when(plugins.health("example.echo")).thenReturn(Optional.of(new PluginHealth(PluginHealth.Status.DOWN,
                "HTTP 401 for key " + secret, Instant.parse("2026-11-24T10:15:30Z"))));
        Answer one = call("GET", "/plugins/example.echo", null, Map.of("X-Api-Key", viewer));
        assertEquals("HTTP 401 for key " + Secrets.MASK, one.body().path("health").path("message").asText());

        // an MCP server reports its connection failures as problems, which may quote what it wrote
        servlet.addReporter(() -> List.of(new Problem("mcp", "memory", "the server wrote: token " + secret,
                Instant.EPOCH)), Map.of("service.id", 1L));
        JsonNode status = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body();
        assertEquals("the server wrote: token " + Secrets.MASK,
                status.path("problems").get(0).path("message").asText());
    }

    @Test
    void aPluginIdIsTakenFromThePathAsTheContainerDecodedIt() throws Exception {
        // getPathInfo() is decoded already: /plugins/a+b%2541 arrives as /plugins/a+b%41
        for (String id : List.of("a+b", "x%41", "100%")) {
            PluginInfo odd = new PluginInfo(id, PluginKind.PATTERN, "1.0", "Odd", "", "ex.odd", "1.0", 9, 4, Map.of());
            when(plugins.get(id)).thenReturn(Optional.of(odd));
            when(plugins.health(id)).thenReturn(Optional.of(PluginHealth.up()));

            Answer one = call("GET", "/plugins/" + id, null, Map.of("X-Api-Key", viewer));

            assertEquals(200, one.status(), id + ": " + one.body());
            assertEquals(id, one.body().path("id").asText());
        }
        Answer decodedTwice = call("GET", "/plugins/example%2Eecho", null, Map.of("X-Api-Key", viewer));
        assertEquals(404, decodedTwice.status(), "'example%2Eecho' is not 'example.echo'");
        assertEquals("no plugin with id 'example%2Eecho'; GET /api/v1/plugins lists them", decodedTwice.message());
    }

    @Test
    void statusReportsFrameworkBundlesPluginCountsAndProblems() throws Exception {
        JsonNode status = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body();
        assertEquals("ACTIVE", status.path("framework").path("state").asText());
        assertEquals(2, status.path("bundles").size());
        assertEquals(2, status.path("bundleStates").path("ACTIVE").asInt());
        assertEquals(1, status.path("plugins").path("pattern").asInt());
        assertTrue(status.path("plugins").has("mcp-server"));
        assertTrue(status.path("uptime").path("ms").asLong() >= 0);
        assertTrue(status.path("healthy").asBoolean());

        servlet.addReporter(() -> List.of(new Problem("deploy", "deploy/x.jar", "corrupt jar", Instant.EPOCH)),
                Map.of("service.id", 2L));
        status = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body();
        assertFalse(status.path("healthy").asBoolean());
        assertEquals("deploy/x.jar", status.path("problems").get(0).path("subject").asText());
    }

    @Test
    void statusIsNotHealthyWhileTheRuntimeIsNotReady() throws Exception {
        Bundle history = bundle("io.mcpagent.history", Bundle.ACTIVE);
        when(context.getBundles()).thenReturn(new Bundle[] {history});
        // the history's component failed to activate: its service stays registered, yet cannot be obtained
        ServiceReference<?> failing = mock(ServiceReference.class);
        when(context.getServiceReference(ExecutionHistory.class)).thenAnswer(call -> failing);

        JsonNode status = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body();

        assertEquals(0, status.path("problems").size(), "no reporter knows of it here");
        assertFalse(status.path("healthy").asBoolean(), status.toString());
    }

    @Test
    void errorsCarryTheirStatusAndCode() throws Exception {
        Answer unknown = call("GET", "/nothing-here", null, Map.of("X-Api-Key", viewer));
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.body().path("error").asText());

        Answer post = call("POST", "/status", null, Map.of("X-Api-Key", viewer));
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().get("Allow"));

        Answer tooLarge = call("POST", "/plugins", null, Map.of("X-Api-Key", viewer, "Content-Length", "5000"));
        assertEquals(413, tooLarge.status());
        assertEquals("payload_too_large", tooLarge.body().path("error").asText());

        servlet.unbindPlugins(plugins);
        Answer gone = call("GET", "/plugins", null, Map.of("X-Api-Key", viewer));
        assertEquals(503, gone.status());
        assertTrue(gone.message().contains("io.mcpagent.core"));

        PluginManager failing = mock(PluginManager.class);
        when(failing.list()).thenThrow(new IllegalStateException("boom"));
        servlet.bindPlugins(failing);
        Answer crash = call("GET", "/plugins", null, Map.of("X-Api-Key", viewer));
        assertEquals(500, crash.status());
        assertTrue(crash.message().contains("correlation id"));
        assertFalse(crash.message().contains("boom"), "internals stay in the log");
    }

    private Answer call(String method, String path, String query, Map<String, String> headers) throws Exception {
        return ServletCalls.call(servlet, method, path, query, headers, null);
    }

    @Test
    void aServiceOfAnActiveBundleThatIsMissingIsSaidNotToHaveStartedNotToNeedStarting() throws Exception {
        servlet.unbindPlugins(plugins);
        Answer noWhiteboard = call("GET", "/plugins", null, Map.of("X-Api-Key", viewer));
        assertEquals(503, noWhiteboard.status());
        assertEquals("the plugin whiteboard (bundle io.mcpagent.core) is not available: bundle io.mcpagent.core is"
                + " active but its component did not start; see data/log/mcp-agent.log and the problems in"
                + " /api/v1/status (or plugin:problems)", noWhiteboard.message());

        Answer noCatalog = call("GET", "/servers/discover", "task=x", Map.of("X-Api-Key", viewer));
        assertEquals(503, noCatalog.status());
        assertEquals("the MCP server catalog is not installed (bundle io.mcpagent.mcp): this runtime was built"
                + " without the feature mcp (features/mcp.json)", noCatalog.message());

        Answer noHistory = call("GET", "/executions", null, Map.of("X-Api-Key", viewer));
        assertEquals(503, noHistory.status());
        assertEquals("the execution history is not installed (bundle io.mcpagent.history): this runtime was built"
                + " without the feature history (features/history.json)", noHistory.message());
    }

    @Test
    void aFeatureTheRuntimeWasBuiltWithButLacksIsSaidToBeMissingNotLeftOut() throws Exception {
        // the history's jar deleted from system/ by hand: the build listed the feature, the start left the jar out
        when(context.getProperty(BundleServices.FEATURES_PROPERTY)).thenReturn("core, history");

        Answer noHistory = call("GET", "/executions", null, Map.of("X-Api-Key", viewer));

        assertEquals(503, noHistory.status());
        assertEquals("the execution history is not installed (bundle io.mcpagent.history), though this runtime was"
                + " built with the feature history: its jar is missing from system/ (the start said so) or the bundle"
                + " was uninstalled; restore the jar from the distribution and restart", noHistory.message());
    }

    @Test
    void aComponentWaitingForAServiceIsNamedWithTheMissingServiceAndTheBundleThatWouldProvideIt() throws Exception {
        Bundle autonomous = bundle("io.mcpagent.autonomous", Bundle.ACTIVE);
        Bundle core = bundle("io.mcpagent.core", Bundle.RESOLVED);
        BundleRevision coreRevision = mock(BundleRevision.class);
        BundleCapability engineService = mock(BundleCapability.class);
        when(engineService.getAttributes()).thenReturn(Map.of("objectClass",
                List.of("io.mcpagent.api.workflow.WorkflowEngine", "io.mcpagent.api.runtime.ProblemReporter")));
        when(coreRevision.getDeclaredCapabilities("osgi.service")).thenReturn(List.of(engineService));
        when(core.adapt(BundleRevision.class)).thenReturn(coreRevision);
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous, core});
        ComponentDescriptionDTO orchestrator = new ComponentDescriptionDTO();
        orchestrator.name = "io.mcpagent.autonomous.internal.orchestration.DefaultAutonomousOrchestrator";
        ReferenceDTO engineReference = new ReferenceDTO();
        engineReference.name = "engine";
        engineReference.interfaceName = "io.mcpagent.api.workflow.WorkflowEngine";
        orchestrator.references = new ReferenceDTO[] {engineReference};
        ComponentConfigurationDTO waiting = new ComponentConfigurationDTO();
        waiting.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        UnsatisfiedReferenceDTO missingEngine = new UnsatisfiedReferenceDTO();
        missingEngine.name = "engine";
        waiting.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missingEngine};
        ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
        when(scr.getComponentDescriptionDTOs(autonomous)).thenReturn(List.of(orchestrator));
        when(scr.getComponentConfigurationDTOs(orchestrator)).thenReturn(List.of(waiting));
        servlet.bindScr(scr);

        Answer answer = ServletCalls.call(servlet, "POST", "/autonomous/analyze", null,
                Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests"), "{\"task\":\"x\"}");

        assertEquals(503, answer.status());
        assertEquals("the task analysis (bundle io.mcpagent.autonomous) is not available: bundle io.mcpagent.autonomous"
                + " is active but its component did not start: component DefaultAutonomousOrchestrator lacks"
                + " io.mcpagent.api.workflow.WorkflowEngine (reference 'engine'), provided by bundle io.mcpagent.core"
                + " (RESOLVED, not started); see data/log/mcp-agent.log and the problems in /api/v1/status (or"
                + " plugin:problems)", answer.message());
    }

    /**
     * The history kept disabled until its database answers: DS shows no failure of its component, the recovery's
     * problem says why. The answer said only that its component did not start, and pointed to /status.
     */
    @Test
    void aComponentWithAProblemIsNamedWithTheProblemAsStatusShowsIt() throws Exception {
        Bundle history = bundle("io.mcpagent.history", Bundle.ACTIVE);
        when(context.getBundles()).thenReturn(new Bundle[] {history});
        ComponentDescriptionDTO component = new ComponentDescriptionDTO();
        component.name = "io.mcpagent.history.internal.HistoryComponent";
        ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
        when(scr.getComponentDescriptionDTOs(history)).thenReturn(List.of(component));
        when(scr.getComponentConfigurationDTOs(component)).thenReturn(List.of()); // disabled
        servlet.bindScr(scr);
        String waiting = "component io.mcpagent.history.internal.HistoryComponent is disabled until its database"
                + " answers: cannot open the history database jdbc:postgresql://db:5432/history?password=s3cret: ...;"
                + " it is tried again at 2026-03-01T10:00:05Z (try 2, ...) (the log has the whole failure)";
        servlet.addReporter(() -> List.of(new Problem("component", component.name, waiting, Instant.EPOCH),
                new Problem("deploy", "deploy/x.jar", "corrupt jar", Instant.EPOCH)), Map.of("service.id", 1L));

        Answer answer = call("GET", "/executions", null, Map.of("X-Api-Key", viewer));

        assertEquals(503, answer.status());
        assertEquals("the execution history (bundle io.mcpagent.history) is not available: " + waiting.replace(
                "s3cret:", "[redacted]"), answer.message(), "masked as in /status");
    }

    @Test
    void aServiceOfABundleThatIsNotActiveIsSaidNotToBeRunning() throws Exception {
        ApiServlet resolvedOnly = ServletCalls.apiServlet(ServletCalls.framework(Map.of("io.mcpagent.core",
                Bundle.RESOLVED, "io.mcpagent.history", Bundle.STARTING)), new KeyService(dir.resolve("other.json"),
                "", "bootstrap-admin-key-for-the-tests", new PrintStream(new ByteArrayOutputStream()), null), ServletCalls.config(1000));
        Map<String, String> admin = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");
        assertEquals("the plugin whiteboard (bundle io.mcpagent.core) is not running",
                ServletCalls.call(resolvedOnly, "GET", "/plugins", null, admin, null).message());
        assertEquals("the audit log (bundle io.mcpagent.history) is not running",
                ServletCalls.call(resolvedOnly, "GET", "/audit", null, admin, null).message());
    }

    @Test
    void statusNamesTheFrameworkVendorByItsPropertyAndLeavesItOutWhenTheFrameworkDoesNotSay() throws Exception {
        JsonNode unknown = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body().path("framework");
        assertFalse(unknown.has("vendor"), "no vendor, not a null one: " + unknown);

        when(context.getProperty(Constants.FRAMEWORK_VENDOR)).thenReturn("Apache Software Foundation");
        JsonNode felix = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body().path("framework");
        assertEquals("Apache Software Foundation", felix.path("vendor").asText(), felix.toString());
    }

    /** The operator sees what the runtime was built with, as the distribution's framework.properties names it. */
    @Test
    void statusListsTheFeaturesTheRuntimeWasAssembledFromAndLeavesThemOutWithoutTheProperty() throws Exception {
        JsonNode unknown = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body();
        assertFalse(unknown.has("features"), "no features, not an empty list: " + unknown.path("features"));

        when(context.getProperty(BundleServices.FEATURES_PROPERTY)).thenReturn("core, shell,,history");
        JsonNode features = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body().path("features");
        assertEquals("[\"core\",\"shell\",\"history\"]", features.toString());
    }

    /** Which version runs, for a report of a problem: as the distribution's build wrote it, absent without it. */
    @Test
    void statusNamesThePlatformsVersionAndLeavesItOutWithoutTheProperty() throws Exception {
        assertFalse(call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body().has("platform"));

        when(context.getProperty(ApiServlet.PLATFORM_VERSION_PROPERTY)).thenReturn("0.1.0-SNAPSHOT");
        JsonNode platform = call("GET", "/status", null, Map.of("X-Api-Key", viewer)).body().path("platform");
        assertEquals("{\"version\":\"0.1.0-SNAPSHOT\"}", platform.toString());
    }

    private static Bundle bundle(String bsn, int state) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(bsn);
        when(bundle.getVersion()).thenReturn(new Version(1, 0, 0));
        when(bundle.getState()).thenReturn(state);
        when(bundle.getHeaders()).thenReturn(new java.util.Hashtable<>());
        return bundle;
    }

    @Test
    void aCallerOverItsRateIsAnswered429WithRetryAfterAndOthersAreNotHeldUp() throws Exception {
        KeyService keys = new KeyService(dir.resolve("limited-keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        String first = keys.store().create(Role.VIEWER, "first");
        String second = keys.store().create(Role.VIEWER, "second");
        String third = keys.store().create(Role.VIEWER, "third");
        ApiServlet limited = ServletCalls.apiServlet(mock(BundleContext.class), keys, ServletCalls.config(Map.of(
                "rateLimitPerSecond", 0.5, "rateLimitBurst", 2, "tenantRateLimitPerSecond", 0.5,
                "tenantRateLimitBurst", 4)));
        limited.bindPlugins(plugins);
        for (int i = 0; i < 2; i++) {
            assertEquals(200, ServletCalls.call(limited, "GET", "/plugins", null, Map.of("X-Api-Key", first), null)
                    .status(), "within the burst");
        }
        Answer over = ServletCalls.call(limited, "GET", "/plugins", null, Map.of("X-Api-Key", first), null);
        assertEquals(429, over.status());
        assertEquals("too_many_requests", over.error());
        assertEquals("2", over.headers().get("Retry-After"), "one token comes every 2 s");
        assertTrue(over.message().contains("made more requests than its rate allows"), over.message());
        assertEquals(200, ServletCalls.call(limited, "GET", "/plugins", null, Map.of("X-Api-Key", second), null)
                .status(), "another key has its own bucket");
        assertEquals(200, ServletCalls.call(limited, "GET", "/plugins", null, Map.of("X-Api-Key", second), null)
                .status());
        assertEquals(200, ServletCalls.call(limited, "GET", "/plugins", null,
                Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests"), null).status(),
                "an admin belongs to no tenant: not held up by the default tenant's callers");
        Answer tenantOver = ServletCalls.call(limited, "GET", "/plugins", null, Map.of("X-Api-Key", third), null);
        assertEquals(429, tenantOver.status(), "the tenant's four requests are used up");
        assertTrue(tenantOver.message().startsWith("tenant 'default'"), tenantOver.message());
        assertEquals(200, ServletCalls.call(limited, "GET", "/health", null, Map.of(), null).status(),
                "probes are never limited");
    }

    @Test
    void theBodyLimitIsTheOneInForceAndARefusedOneLeavesIt() throws Exception {
        KeyService keys = new KeyService(dir.resolve("limit-keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        HttpConfig config = ServletCalls.config(1000);
        RequestLimits limits = new RequestLimits(config);
        BundleContext context = mock(BundleContext.class);
        ApiServlet limited = new ApiServlet(context, new StoredApiKeys(keys), new CallerAuthenticator(keys, config),
                limits, new Readiness(context, keys), new AuthenticationThrottle(config));
        Map<String, String> headers = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests", "Content-Length", "5000");

        limits.modified(ServletCalls.config(-1));
        Answer refused = ServletCalls.call(limited, "POST", "/plugins", null, headers, null);
        assertEquals(413, refused.status());
        assertTrue(refused.message().endsWith("exceeds the limit of 1000 bytes (maxRequestBytes in "
                + "etc/io.mcpagent.http.cfg.json)"), refused.message());

        limits.modified(ServletCalls.config(10_000));
        assertNotEquals(413, ServletCalls.call(limited, "POST", "/plugins", null, headers, null).status(),
                "a body within the new limit is read");
    }

    @Test
    void aQueryStringThatCannotBeDecodedIsABadRequest() throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getPathInfo()).thenReturn("/plugins");
        when(request.getHeader("X-Api-Key")).thenReturn(viewer);
        when(request.getContentLengthLong()).thenReturn(0L);
        // what Jetty throws for ?kind=%zz
        when(request.getParameter(anyString())).thenThrow(new IllegalArgumentException("400: Bad query"));
        HttpServletResponse response = mock(HttpServletResponse.class);
        StringWriter body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body));
        servlet.service(request, response);
        verify(response).setStatus(400);
        assertTrue(body.toString().contains("the query string cannot be decoded"), body.toString());
    }
}
