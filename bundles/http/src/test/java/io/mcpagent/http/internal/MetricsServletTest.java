package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class MetricsServletTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private KeyService keys;
    private String scraper;
    private final PlatformMetrics metrics = new PlatformMetrics();
    private final ServiceMetrics services = new ServiceMetrics();

    /** What the servlet answered: status, headers, content type and the body as text. */
    record Answer(int status, Map<String, String> headers, String contentType, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin-key-for-the-tests", new PrintStream(new ByteArrayOutputStream()), null);
        scraper = keys.store().create(Role.ADMIN, "scraper");
        metrics.onEvent(new ExecutionStatusEvent(Instant.EPOCH, ExecutionStatusEvent.STARTED, "e1", "direct",
                ExecutionStatus.RUNNING, null));
    }

    @Test
    void anAdminKeyGetsTheMetricsInPrometheusText() throws Exception {
        PluginManager plugins = mock(PluginManager.class);
        when(plugins.countsByKind()).thenReturn(Map.of(PluginKind.PATTERN, 6));
        services.bindPlugins(plugins);
        MetricsServlet servlet = servlet(true);
        Answer answer = call(servlet, "GET", Map.of("X-Api-Key", scraper));
        assertEquals(200, answer.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.contentType());
        assertTrue(answer.body().contains("\nmcpagent_executions_started_total{pattern=\"direct\"} 1.0\n"), answer.body());
        assertTrue(answer.body().contains("\nmcpagent_plugins{kind=\"pattern\"} 6.0\n"), answer.body());
        assertEquals("no-store", answer.headers().get("Cache-Control"));
        assertEquals(200, call(servlet, "GET", Map.of("Authorization", "Bearer " + scraper)).status());
        assertEquals(200, call(servlet, "GET", Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests")).status());
    }

    /** Each refusal is audited as the API's 403s are (api.denied); before, a scrape refused left no trace. */
    @Test
    void aViewerOrOperatorKeyIsForbiddenForTheFiguresAreEveryTenants() throws Exception {
        AuditLog log = mock(AuditLog.class);
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
            String key = keys.store().create(role, role.id() + " of tA", "tA");
            AuthenticationThrottle failures = new AuthenticationThrottle(ServletCalls.config(1000, true));
            failures.bindAudit(log, Map.of("service.id", 1L));
            Answer answer = call(ServletCalls.metricsServlet(metrics, services, keys, ServletCalls.config(1000, true),
                    failures), "GET", Map.of("X-Api-Key", key));
            assertEquals(403, answer.status(), role.id());
            assertEquals("forbidden", answer.json().path("error").asText());
            assertFalse(answer.body().contains("mcpagent_"), "no metrics leak with the error");
        }
        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log, times(2)).record(entries.capture());
        assertEquals(List.of("viewer", "operator"), entries.getAllValues().stream().map(AuditEntry::role).toList());
        for (AuditEntry entry : entries.getAllValues()) {
            assertEquals("api.denied", entry.action());
            assertEquals("GET /metrics", entry.target());
            assertEquals(AuditEntry.DENIED, entry.outcome());
            assertTrue(entry.detail().startsWith("this needs the role admin"), entry.detail());
        }
    }

    @Test
    void withoutAValidKeyTheAnswerIsTheApisUnauthorizedError() throws Exception {
        MetricsServlet servlet = servlet(true);
        Answer none = call(servlet, "GET", Map.of());
        assertEquals(401, none.status());
        assertEquals("unauthorized", none.json().path("error").asText());
        assertTrue(none.headers().get("WWW-Authenticate").startsWith("Bearer"));
        assertFalse(none.body().contains("mcpagent_"), "no metrics leak with the error");

        Answer wrong = call(servlet, "GET", Map.of("X-Api-Key", "mcpa_x_wrong"));
        assertEquals(401, wrong.status());
        assertEquals("unauthorized", wrong.json().path("error").asText());
    }

    @Test
    void metricsRequireKeyFalseServesWithoutAKey() throws Exception {
        Answer answer = call(servlet(false), "GET", Map.of());
        assertEquals(200, answer.status());
        assertTrue(answer.body().contains("mcpagent_executions_started_total"), answer.body());
    }

    @Test
    void aChangedMetricsRequireKeyAppliesToTheNextScrape() throws Exception {
        MetricsServlet servlet = servlet(true);
        assertEquals(401, call(servlet, "GET", Map.of()).status());

        servlet.modified(ServletCalls.config(1000, false));
        assertEquals(200, call(servlet, "GET", Map.of()).status());

        servlet.modified(ServletCalls.config(1000, true));
        assertEquals(401, call(servlet, "GET", Map.of()).status());
    }

    @Test
    void headIsAnsweredAsGet() throws Exception {
        Answer head = call(servlet(true), "HEAD", Map.of("X-Api-Key", scraper));
        assertEquals(200, head.status());
        assertEquals(call(servlet(true), "GET", Map.of("X-Api-Key", scraper)).contentType(), head.contentType());
        assertEquals(401, call(servlet(true), "HEAD", Map.of()).status(), "HEAD needs the key GET needs");
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        Answer answer = call(servlet(true), "GET", Map.of("X-Api-Key", scraper,
                "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;version=0.0.4;q=0.5"));
        assertEquals(200, answer.status());
        assertTrue(answer.contentType().startsWith("application/openmetrics-text"), answer.contentType());
        assertTrue(answer.body().endsWith("# EOF\n"));
    }

    @Test
    void anAcceptTakingNeitherFormatIsNotAcceptable() throws Exception {
        for (String accept : new String[] {"text/html", "application/json", "text/plain;q=0, application/json",
                "text/*;q=0"}) {
            Answer answer = call(servlet(true), "GET", Map.of("X-Api-Key", scraper, "Accept", accept));
            assertEquals(406, answer.status(), accept);
            assertEquals("not_acceptable", answer.json().path("error").asText(), accept);
            assertTrue(answer.json().path("message").asText().contains("('" + accept + "')"), answer.body());
        }
        assertEquals(406, call(servlet(true), "GET", Map.of("Accept", "text/html")).status(),
                "checked before the key, as in the API");
    }

    /**
     * What scrapers send: Prometheus 2 and 3 by default, Prometheus asked for protobuf only (its header always ends
     * with {@code *}{@code /*} weighted at least 0.1), Telegraf, and text alone.
     */
    @Test
    void scrapersAcceptHeadersAreAnswered() throws Exception {
        for (String accept : new String[] {
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
                "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                        + "application/openmetrics-text;version=0.0.1;q=0.5,"
                        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"
                        + "*/*;q=0.5",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                        + "text/plain;version=0.0.4;q=0.3",
                "text/plain", "*/*"}) {
            assertEquals(200, call(servlet(true), "GET", Map.of("X-Api-Key", scraper, "Accept", accept)).status(),
                    accept);
        }
    }

    @Test
    void onlyGetAndAnUnreadableKeyFileIsUnavailable() throws Exception {
        Answer post = call(servlet(true), "POST", Map.of("X-Api-Key", scraper));
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().get("Allow"));

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{not json");
        KeyService unreadable = new KeyService(broken, "", null, new PrintStream(new ByteArrayOutputStream()), null);
        Answer unavailable = call(ServletCalls.metricsServlet(metrics, services, unreadable, ServletCalls.config(1000, true)), "GET",
                Map.of("X-Api-Key", scraper));
        assertEquals(503, unavailable.status());
        assertEquals("unavailable", unavailable.json().path("error").asText());
    }

    private MetricsServlet servlet(boolean requireKey) {
        return ServletCalls.metricsServlet(metrics, services, keys, ServletCalls.config(1000, requireKey));
    }

    static Answer call(jakarta.servlet.http.HttpServlet servlet, String method, Map<String, String> headers)
            throws Exception {
        return call(servlet, method, null, headers);
    }

    /** One request to {@code servletPath} (null when the servlet does not look at it). */
    static Answer call(jakarta.servlet.http.HttpServlet servlet, String method, String servletPath,
                       Map<String, String> headers) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getServletPath()).thenReturn(servletPath);
        headers.forEach((name, value) -> {
            when(request.getHeader(name)).thenReturn(value);
            when(request.getHeaders(name)).thenReturn(Collections.enumeration(List.of(value)));
        });
        HttpServletResponse response = mock(HttpServletResponse.class);
        int[] status = {0};
        String[] contentType = {null};
        Map<String, String> responseHeaders = new HashMap<>();
        StringWriter text = new StringWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        doAnswer(c -> status[0] = c.getArgument(0)).when(response).setStatus(anyInt());
        doAnswer(c -> contentType[0] = c.getArgument(0)).when(response).setContentType(anyString());
        doAnswer(c -> responseHeaders.put(c.getArgument(0), c.getArgument(1))).when(response)
                .setHeader(anyString(), anyString());
        when(response.getWriter()).thenReturn(new PrintWriter(text, true));
        when(response.getOutputStream()).thenReturn(new ServletCalls.BytesOutputStream(bytes));
        servlet.service(request, response);
        return new Answer(status[0], responseHeaders, contentType[0], text + bytes.toString(StandardCharsets.UTF_8));
    }
}
