package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.audit.AuditQuery;
import io.mcpagent.http.internal.ServletCalls.Answer;

class AuditRoutesTest {
    private static final Map<String, String> ADMIN = Map.of("X-Api-Key", "bootstrap-admin-key-for-the-tests");

    @TempDir
    Path dir;

    private final AuditLog log = mock(AuditLog.class);
    private ApiServlet servlet;

    @BeforeEach
    void setUp() {
        KeyService keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        servlet = ServletCalls.apiServlet(mock(BundleContext.class), keys, ServletCalls.config(1000));
        when(log.query(any())).thenReturn(List.of());
        servlet.bindAudit(log, Map.of("service.id", 1L));
    }

    @Test
    void filtersAreAskedOfTheLogAsGiven() throws Exception {
        Answer answer = ServletCalls.call(servlet, "GET", "/audit",
                "actor=runtime&action=plugin.&from=2026-12-01T00:00:00Z&limit=10&offset=2", ADMIN, null);

        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        verify(log).query(new AuditQuery("runtime", "plugin.", Instant.parse("2026-12-01T00:00:00Z"), null, 2, 10));
    }

    @Test
    void anEmptyQueryParameterIsA400NamingItNotAFilterLeftOut() throws Exception {
        for (String name : List.of("actor", "action", "from", "to", "offset", "limit")) {
            for (String empty : List.of("", "%20")) {
                String query = name + "=" + empty;
                Answer refused = ServletCalls.call(servlet, "GET", "/audit", query, ADMIN, null);
                assertEquals(400, refused.status(), query);
                assertEquals(name, refused.body().path("field").asText(), query);
                assertEquals("query parameter '" + name + "' is empty; give it a value or leave it out",
                        refused.message(), query);
            }
        }
        Answer besideAGoodOne = ServletCalls.call(servlet, "GET", "/audit", "action=plugin.&actor=", ADMIN, null);
        assertEquals("actor", besideAGoodOne.body().path("field").asText());
        verify(log, never()).query(any());
        verify(log, never()).count(any());
    }

    @Test
    void anUnknownOrRepeatedQueryParameterIsA400NamingIt() throws Exception {
        Answer misspelt = ServletCalls.call(servlet, "GET", "/audit", "acter=runtime", ADMIN, null);
        assertEquals(400, misspelt.status());
        assertEquals("acter", misspelt.body().path("field").asText());
        Answer twice = ServletCalls.call(servlet, "GET", "/audit", "actor=a&actor=b", ADMIN, null);
        assertEquals(400, twice.status());
        assertEquals("query parameter 'actor' is given 2 times; give it once", twice.message());
        verify(log, never()).query(any());
    }

    @Test
    void aRangeWhoseEndIsNotAfterItsStartIsA400NamingTo() throws Exception {
        Answer reversed = ServletCalls.call(servlet, "GET", "/audit", "from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
                ADMIN, null);
        assertEquals(400, reversed.status());
        assertEquals("to", reversed.body().path("field").asText());
        assertEquals("to (2020-01-01T00:00:00Z) must be after from (2030-01-01T00:00:00Z)", reversed.message());
        verify(log, never()).query(any());
    }

    @Test
    void aRefusalForTheRoleIsAuditedAsTheShellAuditsItsRefusals() throws Exception {
        Answer viewer = ServletCalls.call(servlet, "POST", "/keys", null, ADMIN, "{\"role\":\"viewer\",\"name\":\"grafana\"}");
        String id = viewer.body().path("id").asText();

        Answer refused = ServletCalls.call(servlet, "GET", "/audit", null,
                Map.of("X-Api-Key", viewer.body().path("key").asText()), null);

        assertEquals(403, refused.status());
        verify(log).record(argThat(entry -> entry.action().equals("api.denied")
                && entry.actor().equals("key:" + id + " (grafana)") && entry.role().equals("viewer")
                && entry.target().equals("GET /api/v1/audit") && entry.outcome().equals(AuditEntry.DENIED)
                && entry.detail().equals(refused.message())));
        verify(log, never()).query(any());
    }
}
