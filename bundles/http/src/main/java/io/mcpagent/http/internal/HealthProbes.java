package io.mcpagent.http.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Kubernetes probes, without an API key. {@code GET /api/v1/health/live} answers 200 {@code {"status":"UP"}} while
 * this bundle serves requests. {@code GET /api/v1/health/ready} answers 200 only when the runtime is
 * {@link Readiness ready}; otherwise 503 with each check saying why it is down. A query parameter is refused (400
 * naming it), and an Accept header that takes no JSON (406), as on every endpoint of the API.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({HealthProbes.LIVE, HealthProbes.READY})
@HttpWhiteboardServletName("mcpagent-health-probes")
public final class HealthProbes extends HttpServlet {
    private static final String API_ROOT = "/api/v1";
    static final String LIVE = API_ROOT + "/health/live";
    static final String READY = API_ROOT + "/health/ready";
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient Readiness readiness;
    private final transient OpenApiDocument openApi = OpenApiDocument.load();

    @Activate
    public HealthProbes(@Reference Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    protected void service(HttpServletRequest received, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        HttpServletRequest request = HeadRequests.asGet(received);
        try {
            // first, as on every endpoint (a probe sends */* or nothing)
            ApiServlet.requireAcceptable(request, request.getServletPath().substring(API_ROOT.length()));
            if (!"GET".equals(request.getMethod())) {
                throw ApiError.methodNotAllowed(received.getMethod(), List.of("GET"));
            }
            openApi.requireDocumentedQuery(request, request.getServletPath());
        } catch (ApiError e) {
            ApiServlet.writeError(response, e);
            return;
        }
        if (LIVE.equals(request.getServletPath())) {
            ApiServlet.write(response, 200, JSON.createObjectNode().put("status", "UP"));
            return;
        }
        List<Readiness.Outcome> outcomes = readiness.check();
        boolean ready = Readiness.ready(outcomes);
        ObjectNode answer = JSON.createObjectNode().put("status", ready ? "UP" : "DOWN");
        ObjectNode checks = answer.putObject("checks");
        outcomes.forEach(outcome -> checks.put(outcome.name(), outcome.up() ? "UP" : "DOWN: " + outcome.down()));
        ApiServlet.write(response, ready ? 200 : 503, answer);
    }
}
