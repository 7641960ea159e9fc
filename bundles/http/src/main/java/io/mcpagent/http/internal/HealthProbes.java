package io.mcpagent.http.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.workflow.WorkflowEngine;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Kubernetes probes, without an API key. {@code GET /api/v1/health/live} answers 200 {@code {"status":"UP"}} while
 * this bundle serves requests. {@code GET /api/v1/health/ready} answers 200 only when the core services run (plugin
 * whiteboard, agent runtime, LLM router, workflow engine), the history and the autonomous layer run if their bundles
 * are installed, and API keys can be checked; otherwise 503 with each check saying why it is down. A service runs
 * when it is registered and can be obtained.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({HealthProbes.LIVE, HealthProbes.READY})
@HttpWhiteboardServletName("mcpagent-health-probes")
public final class HealthProbes extends HttpServlet {
    static final String LIVE = "/api/v1/health/live";
    static final String READY = "/api/v1/health/ready";
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORE = "io.mcpagent.core";

    /**
     * A service readiness needs, from the bundle that registers it; {@code whenInstalled}: needed only if that
     * bundle is installed (its feature is part of this runtime).
     */
    record Check(String name, Class<?> service, String bundle, boolean whenInstalled) {
    }

    static final List<Check> CHECKS = List.of(
            new Check("plugins", PluginManager.class, CORE, false),
            new Check("agentRuntime", AgentRuntime.class, CORE, false),
            new Check("llmRouter", LlmRouter.class, CORE, false),
            new Check("workflowEngine", WorkflowEngine.class, CORE, false),
            new Check("history", ExecutionHistory.class, "io.mcpagent.history", true),
            new Check("analysis", AnalysisService.class, "io.mcpagent.autonomous", true),
            new Check("orchestrator", AutonomousOrchestrator.class, "io.mcpagent.autonomous", true));

    private final transient BundleContext context;
    private final transient KeyService keys;

    @Activate
    public HealthProbes(BundleContext context, @Reference KeyService keys) {
        this.context = context;
        this.keys = keys;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (!"GET".equals(HeadRequests.asGet(request).getMethod())) {
            ApiServlet.writeError(response, ApiError.methodNotAllowed(request.getMethod(), List.of("GET")));
            return;
        }
        if (LIVE.equals(request.getServletPath())) {
            ApiServlet.write(response, 200, JSON.createObjectNode().put("status", "UP"));
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode checks = JSON.createObjectNode();
        boolean ready = true;
        for (Check check : CHECKS) {
            Optional<Bundle> bundle = ApiServlet.installed(context, check.bundle());
            if (check.whenInstalled() && bundle.isEmpty()) {
                continue;
            }
            String down = down(check.service());
            if (down == null) {
                checks.put(check.name(), "UP");
            } else {
                ready = false;
                checks.put(check.name(), "DOWN: " + down + "; bundle " + check.bundle()
                        + bundle.map(b -> " is " + ApiServlet.stateName(b.getState())).orElse(" is not installed"));
            }
        }
        try {
            keys.store();
            checks.put("apiKeys", "UP");
        } catch (KeyService.Unavailable e) {
            ready = false;
            checks.put("apiKeys", "DOWN: " + e.getMessage());
        }
        answer.put("status", ready ? "UP" : "DOWN");
        answer.set("checks", checks);
        ApiServlet.write(response, ready ? 200 : 503, answer);
    }

    /**
     * Why the service cannot be used, or null when it can. A registered service is taken and given back at once: a
     * component service whose activation fails stays registered, yet nobody can obtain it.
     */
    private String down(Class<?> service) {
        ServiceReference<?> reference = context.getServiceReference(service);
        if (reference == null) {
            return "no " + service.getSimpleName() + " service";
        }
        if (context.getService(reference) == null) {
            return "the " + service.getSimpleName() + " service cannot be obtained (its component fails to activate:"
                    + " see the log and scr:info)";
        }
        context.ungetService(reference);
        return null;
    }
}
