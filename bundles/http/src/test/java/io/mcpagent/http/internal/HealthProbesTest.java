package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.http.internal.MetricsServletTest.Answer;

class HealthProbesTest {
    @TempDir
    Path dir;

    private final BundleContext context = mock(BundleContext.class);
    private final List<Bundle> bundles = new ArrayList<>();
    private KeyService keys;

    @BeforeEach
    void setUp() {
        keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin-key-for-the-tests", new PrintStream(new ByteArrayOutputStream()), null);
        when(context.getBundles()).thenAnswer(call -> bundles.toArray(Bundle[]::new));
        bundles.add(bundle("io.mcpagent.core", Bundle.ACTIVE));
    }

    @Test
    void livenessIsUpWithoutAKeyWhateverRuns() throws Exception {
        Answer live = call(HealthProbes.LIVE);
        assertEquals(200, live.status());
        assertEquals("{\"status\":\"UP\"}", live.body());
        assertEquals("no-store", live.headers().get("Cache-Control"));
    }

    @Test
    void readyWhenTheCoreServicesRunAndNothingMoreIsInstalled() throws Exception {
        registerAllServices();
        Answer ready = call(HealthProbes.READY);
        assertEquals(200, ready.status());
        JsonNode body = ready.json();
        assertEquals("UP", body.path("status").asText());
        assertEquals(List.of("plugins", "agentRuntime", "llmRouter", "workflowEngine", "apiKeys"), names(body));
        body.path("checks").forEach(check -> assertEquals("UP", check.asText()));
    }

    @Test
    void notReadyWhileACoreServiceIsMissing() throws Exception {
        registerAllServices();
        when(context.getServiceReference(WorkflowEngine.class)).thenReturn(null);
        Answer answer = call(HealthProbes.READY);
        assertEquals(503, answer.status());
        JsonNode body = answer.json();
        assertEquals("DOWN", body.path("status").asText());
        assertEquals("DOWN: no WorkflowEngine service; bundle io.mcpagent.core is ACTIVE",
                body.path("checks").path("workflowEngine").asText());
        assertEquals("UP", body.path("checks").path("plugins").asText());

        bundles.clear();
        when(context.getServiceReference(any(Class.class))).thenReturn(null);
        assertEquals("DOWN: no PluginManager service; bundle io.mcpagent.core is not installed",
                call(HealthProbes.READY).json().path("checks").path("plugins").asText());
    }

    @Test
    void anInstalledAutonomousLayerOrHistoryMustRunToo() throws Exception {
        registerAllServices();
        bundles.add(bundle("io.mcpagent.autonomous", Bundle.RESOLVED));
        bundles.add(bundle("io.mcpagent.history", Bundle.ACTIVE));
        when(context.getServiceReference(AutonomousOrchestrator.class)).thenReturn(null);

        Answer answer = call(HealthProbes.READY);
        assertEquals(503, answer.status());
        JsonNode checks = answer.json().path("checks");
        assertEquals("DOWN: no AutonomousOrchestrator service; bundle io.mcpagent.autonomous is RESOLVED",
                checks.path("orchestrator").asText());
        assertEquals("UP", checks.path("analysis").asText());
        assertEquals("UP", checks.path("history").asText());
    }

    @Test
    void notReadyWhileARegisteredServiceCannotBeObtained() throws Exception {
        registerAllServices();
        bundles.add(bundle("io.mcpagent.autonomous", Bundle.ACTIVE));
        ServiceReference<?> failing = mock(ServiceReference.class);
        when(context.getServiceReference(AutonomousOrchestrator.class)).thenAnswer(call -> failing);

        Answer answer = call(HealthProbes.READY);

        assertEquals(503, answer.status());
        assertEquals("DOWN: the AutonomousOrchestrator service cannot be obtained (its component fails to activate: see"
                + " the log and scr:info); bundle io.mcpagent.autonomous is ACTIVE",
                answer.json().path("checks").path("orchestrator").asText());
        assertEquals("UP", answer.json().path("checks").path("analysis").asText());
    }

    @Test
    void notReadyWhileApiKeysCannotBeChecked() throws Exception {
        registerAllServices();
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{not json");
        keys = new KeyService(broken, "", null, new PrintStream(new ByteArrayOutputStream()), null);
        Answer answer = call(HealthProbes.READY);
        assertEquals(503, answer.status());
        assertEquals("DOWN: the API key file cannot be read; the problems in GET /api/v1/status and plugin:problems"
                + " (source http) say why", answer.json().path("checks").path("apiKeys").asText());
        assertFalse(answer.body().contains("broken.json"), "no path for unauthenticated callers: " + answer.body());
        assertFalse(answer.body().contains(dir.toString()), answer.body());
        Problem detail = keys.problems().get(0);
        assertEquals("broken.json", detail.subject());
        assertTrue(detail.message().contains("broken.json"), "the detail is in the authenticated problems: " + detail);
    }

    @Test
    void notReadyWhileTheRefusedFirstAdminKeyLeavesNoKeyToUseSayingWhyWithoutAPath() throws Exception {
        registerAllServices();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        keys = new KeyService(dir.resolve("short.json"), "", "short-secret", quiet, null);
        Answer answer = call(HealthProbes.READY);
        assertEquals(503, answer.status());
        assertEquals("DOWN: MCPAGENT_ADMIN_KEY is shorter than 24 characters" + Readiness.NO_USABLE_KEY,
                answer.json().path("checks").path("apiKeys").asText());
        assertFalse(answer.body().contains("short-secret"), answer.body());

        Path folder = Files.createDirectory(dir.resolve("admin-key-folder"));
        keys = new KeyService(dir.resolve("folder.json"), folder.toString(), null, quiet, null);
        answer = call(HealthProbes.READY);
        assertEquals(503, answer.status());
        assertEquals("DOWN: adminKeyFile names no readable file holding a key" + Readiness.NO_USABLE_KEY,
                answer.json().path("checks").path("apiKeys").asText());
        assertFalse(answer.body().contains(dir.toString()), "no path for unauthenticated callers: " + answer.body());
    }

    @Test
    void onlyGetAndHead() throws Exception {
        Answer post = MetricsServletTest.call(new HealthProbes(new Readiness(context, keys)), "POST", HealthProbes.READY, Map.of());
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().get("Allow"));
        assertEquals(200, MetricsServletTest.call(new HealthProbes(new Readiness(context, keys)), "HEAD", HealthProbes.LIVE, Map.of())
                .status());
    }

    /** As every endpoint, and as the OpenAPI document said of the probes too: they answered 200 to text/html. */
    @Test
    void anAcceptHeaderTakingNoJsonIsRefusedAsEverywhereAndAProbesIsTaken() throws Exception {
        HealthProbes probes = new HealthProbes(new Readiness(context, keys));
        Answer html = MetricsServletTest.call(probes, "GET", HealthProbes.READY, Map.of("Accept", "text/html"));
        assertEquals(406, html.status());
        assertEquals("not_acceptable", html.json().path("error").asText());
        assertTrue(html.json().path("message").asText().startsWith("GET /api/v1/health/ready answers"
                + " application/json"), html.body());
        for (String probe : List.of("*/*", "application/json", "text/html, */*;q=0.8")) {
            assertEquals(200, MetricsServletTest.call(probes, "GET", HealthProbes.LIVE, Map.of("Accept", probe))
                    .status(), probe);
        }
    }

    private void registerAllServices() {
        ServletCalls.registerReadinessServices(context);
    }

    private Answer call(String path) throws Exception {
        return MetricsServletTest.call(new HealthProbes(new Readiness(context, keys)), "GET", path, Map.of());
    }

    private static List<String> names(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.path("checks").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Bundle bundle(String symbolicName, int state) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getState()).thenReturn(state);
        return bundle;
    }
}
