package io.mcpagent.http.fallback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class ApiFallbackServletTest {
    private final BundleContext context = mock(BundleContext.class);
    private final ApiFallbackServlet servlet = new ApiFallbackServlet(context);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final StringWriter body = new StringWriter();

    /** The answer to {@code method} of {@code /api} + {@code pathInfo}, which the pattern {@code /api/*} gives. */
    private String answer(String method, String pathInfo) throws Exception {
        return answer(method, "/api", pathInfo);
    }

    private String answer(String method, String servletPath, String pathInfo) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getServletPath()).thenReturn(servletPath);
        when(request.getPathInfo()).thenReturn(pathInfo);
        when(response.getWriter()).thenReturn(new PrintWriter(body));
        servlet.service(request, response);
        response.getWriter().flush();
        return body.toString();
    }

    private void apiBundle(int state) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn("io.mcpagent.http");
        when(bundle.getState()).thenReturn(state);
        when(bundle.getBundleId()).thenReturn(17L);
        when(context.getBundles()).thenReturn(new Bundle[] {bundle});
    }

    @Test
    void aRequestForTheApiWhileItsServletIsMissingIs503WithRetryAfterNamingTheBundlesState() throws Exception {
        apiBundle(Bundle.RESOLVED);
        assertEquals("{\"error\":\"unavailable\",\"message\":\"the REST API is stopped: bundle io.mcpagent.http is"
                + " RESOLVED, not started (felix:start 17 in the shell)\"}", answer("GET", "/v1/health"));
        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "5");
        verify(response).setContentType("application/json; charset=utf-8");
    }

    @Test
    void theHealthProbesUnderTheApiAreA503NotANotFound() throws Exception {
        apiBundle(Bundle.RESOLVED);
        for (String probe : List.of("/v1/health/live", "/v1/health/ready")) {
            body.getBuffer().setLength(0);
            assertEquals("{\"error\":\"unavailable\",\"message\":\"the REST API is stopped: bundle io.mcpagent.http"
                    + " is RESOLVED, not started (felix:start 17 in the shell)\"}", answer("GET", probe), probe);
        }
        verify(response, times(2)).setStatus(503);
    }

    @Test
    void theMetricsWhileTheirServletIsMissingAreA503WithRetryAfterNamingTheBundlesState() throws Exception {
        apiBundle(Bundle.RESOLVED);
        // the exact pattern /metrics: the servlet path is all of it
        assertEquals("{\"error\":\"unavailable\",\"message\":\"no metrics now: they are served with the REST API,"
                + " and the REST API is stopped: bundle io.mcpagent.http is RESOLVED, not started (felix:start 17 in"
                + " the shell)\"}", answer("GET", "/metrics", null));
        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "5");
        verify(response).setContentType("application/json; charset=utf-8");
    }

    @Test
    void theFallbackRanksBelowTheMetricsServletThatSharesItsExactPattern() throws Exception {
        // the component description bnd writes from the annotations, as the runtime reads it
        String description = "/OSGI-INF/" + ApiFallbackServlet.class.getName() + ".xml";
        try (InputStream in = ApiFallbackServletTest.class.getResourceAsStream(description)) {
            assertNotNull(in, description + " is missing");
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<property name=\"service.ranking\" type=\"Integer\" value=\"-2147483648\"/>"),
                    xml);
            assertTrue(xml.contains("/metrics") && xml.contains("/api/*"), xml);
        }
    }

    @Test
    void anActiveApiBundleWithoutItsServletIsStarting() throws Exception {
        apiBundle(Bundle.ACTIVE);
        assertEquals("{\"error\":\"unavailable\",\"message\":\"the REST API is starting: bundle io.mcpagent.http is"
                + " ACTIVE but its servlet is not registered yet; try again in 5 s (if this stays, its components do"
                + " not start: see plugin:problems and scr:info in the shell)\"}", answer("POST", "/v1"));
        verify(response).setStatus(503);
    }

    @Test
    void withoutTheApiBundleTheAnswerSaysItIsNotInstalled() throws Exception {
        when(context.getBundles()).thenReturn(new Bundle[0]);
        assertEquals("{\"error\":\"unavailable\",\"message\":\"the REST API is not installed: there is no bundle"
                + " io.mcpagent.http (feature http-admin)\"}", answer("GET", "/v1/status"));
        verify(response).setStatus(503);
    }

    @Test
    void anyOtherPathUnderApiIsNoEndpointAndNothingIsEchoed() throws Exception {
        apiBundle(Bundle.ACTIVE);
        String notFound = "{\"error\":\"not_found\",\"message\":\"no endpoint here: the REST API is under /api/v1,"
                + " described by GET /api/v1/openapi.json\"}";
        assertEquals(notFound, answer("GET", "/v2/status"));
        body.getBuffer().setLength(0);
        assertEquals(notFound, answer("TRACE", null));
        body.getBuffer().setLength(0);
        assertEquals(notFound, answer("GET", "/v1x"));
        verify(response, org.mockito.Mockito.times(3)).setStatus(404);
    }
}
