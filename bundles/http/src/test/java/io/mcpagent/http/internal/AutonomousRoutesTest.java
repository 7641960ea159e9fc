package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.AnalysisTimeoutException;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.ExecutionCancellation.Outcome;
import io.mcpagent.api.autonomous.FailedExecution;
import io.mcpagent.api.autonomous.InvalidOptionException;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.LlmCallEvent;
import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.http.internal.ServletCalls.Answer;
import io.mcpagent.http.internal.ServletCalls.Raw;

class AutonomousRoutesTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final String TASK = "read the files in /data and write a summary to summary.md";
    private static final TaskAnalysis ANALYSIS = new TaskAnalysis(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 3,
            Set.of("file_write", "file_read"), 0.82, "orchestrator", "reads then writes", "heuristic", 0.64);
    private static final StrategyRecommendation STRATEGY = new StrategyRecommendation("orchestrator", 0.74,
            "fits 3 dependent steps", Set.of("filesystem"), Complexity.MODERATE,
            List.of(new StrategyAlternative("direct", 0.41, "one agent could try")), 0.88);
    private static final AgentPlan AGENTS = new AgentPlan(List.of(new PlannedAgent(
            AgentSpec.of("files", "You handle files", "filesystem"), AgentRole.SPECIALIST,
            Set.of("file_read", "file_write"), "covers the file capabilities")), Set.of(), Set.of("web_search"));

    @TempDir
    Path dir;

    private ApiServlet servlet;
    private final AnalysisService analysis = mock(AnalysisService.class);
    private final AutonomousOrchestrator orchestrator = mock(AutonomousOrchestrator.class);
    private final ExecutionHistory history = mock(ExecutionHistory.class);
    private final WorkflowEngine engine = mock(WorkflowEngine.class);
    private final ExecutionEventHub hub = new ExecutionEventHub();
    /** The bootstrap admin key: admins see every tenant, which the tests below that are not about tenants need. */
    private static final String ADMIN = "bootstrap-admin-key-for-the-tests";
    private KeyService keys;
    private String viewer;
    private String operator;

    @BeforeEach
    void setUp() throws Exception {
        keys = new KeyService(dir.resolve("keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        viewer = keys.store().create(Role.VIEWER, "viewer");
        operator = keys.store().create(Role.OPERATOR, "operator");
        servlet = ServletCalls.apiServlet(ServletCalls.framework(Map.of()), keys, ServletCalls.config(Map.of()));
        servlet.bindAnalysis(analysis);
        servlet.bindOrchestrator(orchestrator);
        servlet.bindHistory(history, Map.of("service.id", 1L));
        servlet.bindEngine(engine);
        servlet.bindHub(hub);
        when(history.find(anyString())).thenReturn(Optional.empty());
        when(engine.find(anyString())).thenReturn(Optional.empty());
    }

    private Answer call(String method, String path, String key, String body) throws Exception {
        return ServletCalls.call(servlet, method, path, null, key == null ? Map.of() : Map.of("X-Api-Key", key),
                body);
    }

    private static AutonomousPlan plan(List<String> blockers) {
        return new AutonomousPlan(new Task(TASK, "acme", null), ANALYSIS, STRATEGY, AGENTS, blockers);
    }

    private static Execution execution(String id, ExecutionResult result) throws Exception {
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn(id);
        when(execution.pattern()).thenReturn("orchestrator");
        when(execution.status()).thenReturn(result == null ? ExecutionStatus.RUNNING : result.status());
        when(execution.result()).thenReturn(Optional.ofNullable(result));
        when(execution.await(any())).thenReturn(Optional.ofNullable(result));
        return execution;
    }

    private static ExecutionResult succeeded(String id) {
        return new ExecutionResult(id, "orchestrator", ExecutionStatus.SUCCEEDED, "summary.md written", null,
                Usage.of(100, 20), T, T.plusSeconds(2));
    }

    @Test
    void rolesAndMethodsAreCheckedOnEveryEndpoint() throws Exception {
        record Endpoint(String method, String path, String body, Role needs) {
        }
        for (Endpoint e : List.of(new Endpoint("POST", "/autonomous/analyze", "{\"task\":\"x\"}", Role.OPERATOR),
                new Endpoint("POST", "/autonomous/plan", "{\"task\":\"x\"}", Role.OPERATOR),
                new Endpoint("POST", "/autonomous/execute", "{\"task\":\"x\"}", Role.OPERATOR),
                new Endpoint("POST", "/agents/create", "{\"task\":\"x\"}", Role.OPERATOR),
                new Endpoint("GET", "/executions", null, Role.VIEWER),
                new Endpoint("GET", "/executions/e-1", null, Role.VIEWER),
                new Endpoint("GET", "/executions/e-1/events", null, Role.VIEWER),
                new Endpoint("DELETE", "/executions/e-1", null, Role.OPERATOR))) {
            String what = e.method() + " " + e.path();
            assertEquals(401, call(e.method(), e.path(), null, e.body()).status(), what);
            if (e.needs() == Role.OPERATOR) {
                Answer asViewer = call(e.method(), e.path(), viewer, e.body());
                assertEquals(403, asViewer.status(), what);
            }
        }
        Answer wrongMethod = call("GET", "/autonomous/execute", operator, null);
        assertEquals(405, wrongMethod.status());
        assertEquals("POST", wrongMethod.headers().get("Allow"));
        assertEquals(404, call("GET", "/autonomous/nothing", operator, null).status());
        assertEquals(405, call("PUT", "/executions/e-1", operator, "{}").status());
    }

    @Test
    void analyzeNamesTheAnalyzersPassedOverAndWhy() throws Exception {
        when(analysis.analyze(new Task(TASK, "acme", null))).thenReturn(ANALYSIS.withPassedOver(List.of(
                new AnalyzerPassedOver("llm", "no information (confidence 0): llm: failed: no answer within 20000 ms"))));

        Answer ok = call("POST", "/autonomous/analyze", ADMIN, "{\"task\":\"" + TASK + "\",\"tenant\":\"acme\"}");

        assertEquals(200, ok.status());
        assertEquals("[{\"analyzer\":\"llm\",\"reason\":\"no information (confidence 0): llm: failed: no answer "
                + "within 20000 ms\"}]", ok.body().path("passedOver").toString());
    }

    @Test
    void analyzeAnswersTheAnalysisAndRefusesBadBodiesNamingTheField() throws Exception {
        when(analysis.analyze(new Task(TASK, "acme", null))).thenReturn(ANALYSIS);

        Answer ok = call("POST", "/autonomous/analyze", ADMIN, "{\"task\":\" " + TASK + " \",\"tenant\":\"acme\"}");

        assertEquals(200, ok.status());
        assertEquals("MULTI_DOMAIN", ok.body().path("type").asText());
        assertEquals("[\"file_read\",\"file_write\"]", ok.body().path("requiredCapabilities").toString());
        assertEquals(0.64, ok.body().path("capabilityConfidence").asDouble());
        assertEquals(0.82, ok.body().path("confidence").asDouble());
        assertEquals("orchestrator", ok.body().path("recommendedPattern").asText());
        assertEquals("heuristic", ok.body().path("analyzer").asText());
        assertEquals("[]", ok.body().path("passedOver").toString());
        Map<String, String> bad = Map.of(
                "", "send a JSON object",
                "[1]", "the body must be a JSON object, was array",
                "{\"task\":", "the body is not valid JSON",
                "{\"task\":5}", "field 'task' must be a string, was number",
                "{\"task\":\"  \"}", "field 'task' is required",
                "{\"task\":\"x\",\"colour\":1}", "unknown field 'colour'");
        for (Map.Entry<String, String> body : bad.entrySet()) {
            Answer refused = call("POST", "/autonomous/analyze", operator, body.getKey());
            assertEquals(400, refused.status(), body.getKey());
            assertTrue(refused.message().startsWith(body.getValue()), body.getKey() + " -> " + refused.message());
        }
        when(analysis.analyze(any())).thenThrow(new DecisionException("no task analyzer is installed"));
        Answer none = call("POST", "/autonomous/analyze", operator, "{\"task\":\"x\"}");
        assertEquals(503, none.status());
        assertEquals("no task analyzer is installed", none.message());
        servlet.unbindAnalysis(analysis);
        assertEquals(503, call("POST", "/autonomous/analyze", operator, "{\"task\":\"x\"}").status());
    }

    @Test
    void theStatusShowsTheAnalysisCacheAndTheAdmission() throws Exception {
        BundleContext context = mock(BundleContext.class);
        org.osgi.framework.Bundle system = mock(org.osgi.framework.Bundle.class);
        when(context.getBundle(org.osgi.framework.Constants.SYSTEM_BUNDLE_LOCATION)).thenReturn(system);
        when(system.getHeaders()).thenReturn(new java.util.Hashtable<>());
        when(system.getVersion()).thenReturn(org.osgi.framework.Version.emptyVersion);
        when(context.getBundles()).thenReturn(new org.osgi.framework.Bundle[0]);
        KeyService keys = new KeyService(dir.resolve("status-keys.json"), "", "bootstrap-admin-key-for-the-tests",
                new PrintStream(new ByteArrayOutputStream()), null);
        String key = "bootstrap-admin-key-for-the-tests";
        ApiServlet withContext = ServletCalls.apiServlet(context, keys, ServletCalls.config(10_000));
        withContext.bindPlugins(mock(io.mcpagent.api.plugin.PluginManager.class));
        withContext.bindAnalysis(analysis);
        withContext.bindOrchestrator(orchestrator);
        when(analysis.cacheStats()).thenReturn(new io.mcpagent.api.autonomous.AnalysisCacheStats(19, 1, 20, 1024));
        when(orchestrator.admission()).thenReturn(new io.mcpagent.api.autonomous.AdmissionStats(3, 2, 40, 1, 16, 8,
                8, 100, 5));

        Answer status = ServletCalls.call(withContext, "GET", "/status", null, Map.of("X-Api-Key", key), null);

        assertEquals(200, status.status(), status.body() == null ? "" : status.body().toString());
        assertEquals(0.95, status.body().path("analysisCache").path("hitRate").asDouble(), 1e-9);
        assertEquals(1024, status.body().path("analysisCache").path("capacity").asInt());
        assertEquals(2, status.body().path("admission").path("waiting").asInt());
        assertEquals(1, status.body().path("admission").path("rejected").asInt());
        assertEquals(5, status.body().path("admission").path("maxWaitingPerTenant").asInt(),
                "a tenant's share of the queue is shown beside the queue's capacity");
        assertTrue(status.body().path("admission").path("tenant").isNull(), "an admin sees every tenant's");

        when(orchestrator.admission("tA")).thenReturn(new io.mcpagent.api.autonomous.AdmissionStats(1, 0, 4, 0, 16, 8,
                8, 100, 5));
        String viewerOfA = keys.store().create(Role.VIEWER, "viewer of tA", "tA");
        JsonNode ofA = ServletCalls.call(withContext, "GET", "/status", null, Map.of("X-Api-Key", viewerOfA), null)
                .body().path("admission");
        assertEquals("tA", ofA.path("tenant").asText());
        assertEquals(1, ofA.path("running").asInt(), "its own tenant's counts, not every tenant's: " + ofA);
        assertEquals(0, ofA.path("waiting").asInt());
        assertEquals(4, ofA.path("admitted").asInt());
        assertEquals(16, ofA.path("maxConcurrent").asInt(), "the limits are everyone's");
    }

    /** Agents that cannot run (no provider) were answered 201 alone, as if ready: the answer says why they cannot. */
    @Test
    void agentsThatCannotRunAreCreatedSayingWhy() throws Exception {
        when(orchestrator.plan(any(), any())).thenReturn(plan(List.of("no LLM provider is configured: sk-secret-1")));

        Answer created = call("POST", "/agents/create", operator, "{\"task\":\"" + TASK + "\"}");

        assertEquals(201, created.status());
        assertFalse(created.body().path("runnable").asBoolean(true));
        assertEquals(1, created.body().path("blockers").size());
        assertTrue(created.body().path("blockers").path(0).asText().startsWith("no LLM provider is configured"));
    }

    @Test
    void planIsADryRunAndAgentsCreateReturnsTheAgents() throws Exception {
        when(orchestrator.plan(any(), any())).thenReturn(plan(List.of()));

        Answer planned = call("POST", "/autonomous/plan", operator, "{\"task\":\"" + TASK + "\",\"pattern\":\"swarm\"}");
        Answer created = call("POST", "/agents/create", operator, "{\"task\":\"" + TASK + "\",\"maxAgents\":2}");

        assertEquals(200, planned.status());
        assertEquals("orchestrator", planned.body().path("decision").path("pattern").asText());
        assertEquals(0.88, planned.body().path("decision").path("score").asDouble(), "the choice's score");
        assertEquals(0.74, planned.body().path("decision").path("confidence").asDouble());
        assertEquals("direct", planned.body().path("decision").path("alternatives").path(0).path("pattern").asText());
        assertEquals("files", planned.body().path("agents").path("agents").path(0).path("name").asText());
        assertTrue(planned.body().path("runnable").asBoolean(), "it can start, though without web_search's tools");
        assertEquals("[\"the agents would run without tools for web_search, which the task needs: no usable MCP server"
                + " provides them (each agent's reason says why and what to configure)\"]",
                planned.body().path("warnings").toString());
        assertEquals(201, created.status());
        assertEquals("[\"filesystem\"]", created.body().path("agents").path(0).path("servers").toString());
        assertEquals("[\"web_search\"]", created.body().path("unmetCapabilities").toString());
        assertTrue(created.body().path("runnable").asBoolean());
        assertEquals("[]", created.body().path("blockers").toString());
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator, org.mockito.Mockito.times(2)).plan(any(), options.capture());
        assertTrue(options.getAllValues().get(0).dryRun());
        assertEquals("swarm", options.getAllValues().get(0).pattern());
        assertFalse(options.getAllValues().get(1).dryRun());
        assertEquals(2, options.getAllValues().get(1).maxAgents());
        Answer tooMany = call("POST", "/agents/create", operator, "{\"task\":\"x\",\"maxAgents\":0}");
        assertEquals(400, tooMany.status());
        assertEquals("field 'maxAgents' must be a whole number from 1 to 50, was 0", tooMany.message());
    }

    /**
     * A whole number written with a point or an exponent (as Python's floats are) is taken; one too large for a token
     * budget is refused naming the largest (it said "must be a whole number of at least 0, was 9223372036854775808").
     */
    @Test
    void wholeNumbersMayBeWrittenAsDecimalsAndTheLargestBudgetIsNamed() throws Exception {
        Execution done = execution("e-1", succeeded("e-1"));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), done));
        Answer finished = call("POST", "/autonomous/execute", operator,
                "{\"task\":\"x\",\"wait\":3e1,\"maxSeconds\":1e3,\"maxTokens\":5000.0,\"maxAgents\":2.0}");
        assertEquals(200, finished.status(), finished.message());
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).execute(any(), options.capture());
        assertEquals(Duration.ofSeconds(1000), options.getValue().maxTime());
        assertEquals(5000, options.getValue().maxTokens());
        assertEquals(2, options.getValue().maxAgents());

        Answer tooLarge = call("POST", "/autonomous/execute", operator,
                "{\"task\":\"x\",\"maxTokens\":9223372036854775808}");
        assertEquals(400, tooLarge.status());
        assertEquals("field 'maxTokens' must be a whole number from 0 to 9223372036854775807, was"
                + " 9223372036854775808", tooLarge.message());
        assertEquals("field 'wait' must be a whole number from 0 to 300, was 30.5", call("POST",
                "/autonomous/execute", operator, "{\"task\":\"x\",\"wait\":30.5}").message());
    }

    @Test
    void installingServersForTheAgentsNeedsTheAdminRoleAsServersInstallDoes() throws Exception {
        for (String path : List.of("/agents/create", "/autonomous/execute")) {
            Answer refused = call("POST", path, operator, "{\"task\":\"remember facts\",\"allowInstall\":true}");

            assertEquals(403, refused.status(), path);
            assertEquals("/allowInstall", refused.body().path("field").asText(), path);
            assertTrue(refused.message().startsWith("'allowInstall' needs the role admin: it installs MCP servers"
                    + " from the catalog, as POST /api/v1/servers/install does; key:"), refused.message());
            assertTrue(refused.message().endsWith(" has the role operator. Leave it out to use the servers"
                    + " installed now"), refused.message());
        }
        verifyNoInteractions(orchestrator);

        // nothing is installed in a dry run: an operator may see what would be
        when(orchestrator.plan(any(), any())).thenReturn(plan(List.of()));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), null));
        assertEquals(200, call("POST", "/autonomous/plan", operator,
                "{\"task\":\"remember facts\",\"allowInstall\":true}").status());
        assertEquals(200, call("POST", "/autonomous/execute", operator,
                "{\"task\":\"remember facts\",\"allowInstall\":true,\"dryRun\":true}").status());
    }

    /**
     * A dry run that would install a catalog server, asked by an operator, whose real request is refused (403): not
     * runnable for that caller, saying why. Before, it read runnable, so a check before the run passed and the run
     * failed. An admin's dry run of the same plan is runnable.
     */
    @Test
    void aDryRunThatWouldInstallIsNotRunnableForACallerWhoMayNotInstall() throws Exception {
        AutonomousPlan installing = new AutonomousPlan(new Task(TASK, "acme", null), ANALYSIS, STRATEGY,
                new AgentPlan(AGENTS.agents(), Set.of("fetch"), Set.of()), List.of());
        when(orchestrator.plan(any(), any())).thenReturn(installing);
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(installing, null));
        String body = "{\"task\":\"fetch a page\",\"allowInstall\":true}"; // a plan is a dry run

        for (Answer answer : List.of(call("POST", "/autonomous/plan", operator, body),
                call("POST", "/autonomous/execute", operator, body.replace("}", ",\"dryRun\":true}")))) {
            assertEquals(200, answer.status());
            JsonNode plan = answer.body().has("plan") ? answer.body().path("plan") : answer.body();
            assertFalse(plan.path("runnable").asBoolean(), plan.toString());
            String blocker = plan.path("blockers").path(0).asText();
            assertTrue(blocker.startsWith("running it needs the role admin: it would install fetch from the catalog"
                    + " ('allowInstall', as POST /api/v1/servers/install does), and key:"), blocker);
            assertTrue(blocker.endsWith(" has the role operator; an admin may run it, or leave 'allowInstall' out to"
                    + " use the servers installed now"), blocker);
        }
        assertTrue(call("POST", "/autonomous/plan", ADMIN, body).body().path("runnable").asBoolean());
    }

    @Test
    void anInstallThatFailedIsInTheAnswerWithWhy() throws Exception {
        AgentPlan failing = new AgentPlan(AGENTS.agents(), Set.of(), Set.of("web_fetch"),
                Map.of("fetch", "uvx is not on the PATH"), List.of("the task names /tmp/notes, outside the roots ..."));
        when(orchestrator.plan(any(), any())).thenReturn(new AutonomousPlan(new Task(TASK, "default", null),
                ANALYSIS, STRATEGY, failing, List.of()));

        Answer created = call("POST", "/agents/create", ADMIN, "{\"task\":\"fetch a page\",\"allowInstall\":true}");

        assertEquals(201, created.status());
        assertEquals("[]", created.body().path("installedServers").toString());
        assertEquals("[\"web_fetch\"]", created.body().path("unmetCapabilities").toString());
        assertEquals("{\"fetch\":\"uvx is not on the PATH\"}", created.body().path("failedInstalls").toString());
        assertEquals("[\"the task names /tmp/notes, outside the roots ...\"]",
                created.body().path("warnings").toString(), "what the agents cannot do, as the plan's warnings say it");
    }

    @Test
    void serversInstalledForTheAgentsAreAuditedWithTheCallerAsServersInstallDoes() throws Exception {
        AuditLog log = mock(AuditLog.class);
        servlet.bindAudit(log, Map.of("service.id", 1L));
        AgentPlan installing = new AgentPlan(AGENTS.agents(), Set.of("memory"), Set.of(),
                Map.of("brave-search", "npm install failed: E404"));
        when(orchestrator.plan(any(), any())).thenReturn(new AutonomousPlan(new Task(TASK, "default", null),
                ANALYSIS, STRATEGY, installing, List.of()));

        Answer created = call("POST", "/agents/create", ADMIN, "{\"task\":\"remember facts\",\"allowInstall\":true}");

        assertEquals(201, created.status());
        assertEquals("[\"memory\"]", created.body().path("installedServers").toString());
        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log, org.mockito.Mockito.times(2)).record(entries.capture());
        AuditEntry installed = entries.getAllValues().get(0);
        assertEquals(List.of("server.install", "memory", AuditEntry.SUCCEEDED, "admin"),
                List.of(installed.action(), installed.target(), installed.outcome(), installed.role()));
        assertTrue(installed.actor().startsWith("key:"), "the caller is named: " + installed.actor());
        AuditEntry failed = entries.getAllValues().get(1);
        assertEquals(List.of("server.install", "brave-search", AuditEntry.FAILED, "npm install failed: E404"),
                List.of(failed.action(), failed.target(), failed.outcome(), failed.detail()));
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).plan(any(), options.capture());
        assertTrue(options.getValue().allowInstall());

        // a dry run lists what it would install; nothing was, so nothing is audited
        call("POST", "/autonomous/plan", ADMIN, "{\"task\":\"remember facts\",\"allowInstall\":true}");
        verify(log, org.mockito.Mockito.times(2)).record(any());
    }

    @Test
    void executeWaitsForTheResultOrAnswers202WithWhereToFollowIt() throws Exception {
        Execution done = execution("e-1", succeeded("e-1"));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), done));

        Answer finished = call("POST", "/autonomous/execute", operator,
                "{\"task\":\"" + TASK + "\",\"maxTokens\":5000,\"maxCostUsd\":0.5,\"maxSeconds\":60,\"wait\":10}");

        assertEquals(200, finished.status());
        assertEquals("SUCCEEDED", finished.body().path("status").asText());
        assertEquals("summary.md written", finished.body().path("result").path("output").asText());
        assertEquals(120, finished.body().path("result").path("usage").path("totalTokens").asInt());
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).execute(any(), options.capture());
        assertEquals(5000, options.getValue().maxTokens());
        assertEquals(new BigDecimal("0.5"), options.getValue().maxCostUsd());
        assertEquals(Duration.ofSeconds(60), options.getValue().maxTime());
        verify(done).await(Duration.ofSeconds(10));

        call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"maxTokens\":0,\"maxCostUsd\":0}");
        verify(orchestrator, org.mockito.Mockito.times(2)).execute(any(), options.capture());
        assertEquals(0, options.getValue().maxTokens(), "0 tokens: no limit");
        assertEquals(null, options.getValue().maxCostUsd(), "0 USD: no limit, as for tokens");

        Execution running = execution("e-2", null);
        when(orchestrator.submit(any(), any())).thenReturn(running);
        Answer accepted = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"wait\":0}");
        assertEquals(202, accepted.status());
        assertEquals("e-2", accepted.body().path("executionId").asText());
        assertEquals("RUNNING", accepted.body().path("status").asText());
        assertEquals("/api/v1/executions/e-2/events", accepted.body().path("events").asText());
        assertTrue(accepted.body().path("plan").isMissingNode(), "at once: its task is still being analysed");
        verify(running, never()).await(any());
        verify(orchestrator, org.mockito.Mockito.times(2)).execute(any(), any()); // not for wait 0

        Execution queued = execution("e-3", null);
        when(queued.status()).thenReturn(ExecutionStatus.QUEUED);
        when(orchestrator.submit(any(), any())).thenReturn(queued);
        Answer waiting = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"wait\":0}");
        assertEquals(202, waiting.status());
        assertEquals("QUEUED", waiting.body().path("status").asText(), "waiting for admission, not running");

        when(orchestrator.execute(any(), any())).thenThrow(new java.util.concurrent.CancellationException(
                "execution e-4 ended while its task was being analysed: CANCELLED (cancelled by request)"));
        Answer cancelled = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(409, cancelled.status(), "cancelled meanwhile: not a service that is unavailable");
        assertEquals("execution e-4 ended while its task was being analysed: CANCELLED (cancelled by request)",
                cancelled.message());
    }

    @Test
    void executeSaysWhyItDidNotRunAndWhenTheQueueIsFull() throws Exception {
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of(
                "no LLM provider is configured: set OPENAI_API_KEY")), null));
        Answer blocked = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(409, blocked.status());
        assertEquals("not_runnable", blocked.error());
        assertEquals("the task was analysed and planned but cannot run: no LLM provider is configured: set"
                + " OPENAI_API_KEY", blocked.message());

        // open circuits alone: nothing to configure, they half-open by themselves (it was a 409 like the above)
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(new AutonomousPlan(
                new Task(TASK, "acme", null), ANALYSIS, STRATEGY, AGENTS, List.of("no model fits (any model): main"
                + " (circuit open after 5 consecutive failures, half-opens in 27.2 s)"), List.of(),
                java.time.Duration.ofMillis(27_200)), null));
        Answer circuits = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(503, circuits.status());
        assertEquals("unavailable", circuits.error());
        assertEquals("28", circuits.headers().get("Retry-After"));
        assertTrue(circuits.message().startsWith("the task was analysed and planned but cannot run now: no model fits"),
                circuits.message());
        assertTrue(circuits.message().endsWith("; try again in 28 s"), circuits.message());

        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), null));
        Answer dry = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"dryRun\":true}");
        assertEquals(200, dry.status());
        assertEquals("DRY_RUN", dry.body().path("status").asText());

        when(orchestrator.execute(any(), any())).thenThrow(new RejectedExecutionException(
                "the queue is full (100 waiting, global limit 16 running)"));
        Answer full = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(503, full.status());
        assertEquals("queue_full", full.error());
        assertEquals("the queue is full (100 waiting, global limit 16 running)", full.message());
        assertEquals("5", full.headers().get("Retry-After"), "a client is told when to try again");
        assertEquals(400, call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"wait\":301}").status());
        assertEquals(400, call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"dryRun\":\"yes\"}")
                .status());
    }

    @Test
    void anExecutionWhoseAnalysisOutlastedItsTimeBudgetSaysWhatToChangeAndWhenToRetry() throws Exception {
        String why = "every installed task analyzer failed: 'llm' not waited for beyond the 2 s left of the"
                + " execution's time budget when its analysis began. The execution's time budget ended before an"
                + " analyzer answered: give it more time (REST maxSeconds, shell --max-seconds)";
        when(orchestrator.execute(any(), any())).thenThrow(new AnalysisTimeoutException(why));

        Answer refused = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"maxSeconds\":2}");

        assertEquals(503, refused.status());
        assertEquals("analysis_timeout", refused.error(), "told apart from a service that is not running");
        assertEquals(why, refused.message());
        assertEquals("/maxSeconds", refused.body().path("field").asText(), "the input to change");
        assertEquals("5", refused.headers().get("Retry-After"), "a slow analyzer may answer in time later");
    }

    @Test
    void aRefusalThatEndedTheStartedExecutionFailedNamesItSoThatItsRecordCanBeOpened() throws Exception {
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of(
                "no LLM provider is configured")), null, "e-blocked"));
        Answer blocked = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(409, blocked.status());
        assertEquals("not_runnable", blocked.error());
        assertEquals("e-blocked", blocked.body().path("executionId").asText());

        org.mockito.Mockito.doThrow(new AnalysisTimeoutException("give it more time", "e-late")).when(orchestrator)
                .execute(any(), any());
        Answer late = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals("analysis_timeout", late.error());
        assertEquals("e-late", late.body().path("executionId").asText());

        org.mockito.Mockito.doThrow(new DecisionException("no analyzer answered", "e-failed")).when(orchestrator)
                .execute(any(), any());
        Answer failed = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(503, failed.status());
        assertEquals("unavailable", failed.error());
        assertEquals("no analyzer answered", failed.message());
        assertEquals("e-failed", failed.body().path("executionId").asText());

        org.mockito.Mockito.doThrow(new DecisionException("no pattern is installed")).when(orchestrator)
                .execute(any(), any());
        assertFalse(call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}").body().has("executionId"),
                "none started: none named");
    }

    @Test
    void aForcedPatternRemovedWhileTheStartedExecutionWasAnalysedIsA400NamingTheExecutionItEndedFailed()
            throws Exception {
        org.mockito.Mockito.doThrow(new InvalidOptionException("pattern", "no workflow pattern 'swarm' is installed",
                "e-removed")).when(orchestrator).execute(any(), any());

        Answer removed = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"pattern\":\"swarm\"}");

        assertEquals(400, removed.status());
        assertEquals("/pattern", removed.body().path("field").asText());
        assertEquals("e-removed", removed.body().path("executionId").asText());
        org.mockito.Mockito.doThrow(new InvalidOptionException("pattern", "no workflow pattern 'swarm' is installed"))
                .when(orchestrator).execute(any(), any());
        assertFalse(call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"pattern\":\"swarm\"}")
                .body().has("executionId"), "refused before any execution started: none named");
    }

    @Test
    void aRefusalOfAnyKindOnceTheExecutionStartedNamesTheExecutionItEndedFailed() throws Exception {
        org.mockito.Mockito.doThrow(FailedExecution.named(new IllegalStateException("the agent factory broke"),
                "e-broke")).when(orchestrator).execute(any(), any());
        Answer broke = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        org.mockito.Mockito.doThrow(FailedExecution.named(new IllegalArgumentException("no such model"), "e-refused"))
                .when(orchestrator).execute(any(), any());
        Answer refused = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");

        assertEquals(503, broke.status());
        assertEquals("e-broke", broke.body().path("executionId").asText());
        assertEquals(400, refused.status());
        assertEquals("e-refused", refused.body().path("executionId").asText());
        org.mockito.Mockito.doThrow(FailedExecution.named(new NullPointerException("a defect"), "e-defect"))
                .when(orchestrator).execute(any(), any());
        Answer defect = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(500, defect.status());
        assertEquals("e-defect", defect.body().path("executionId").asText(), "a defect names it too");
        assertFalse(defect.message().contains("a defect"), "its details stay in the log: " + defect.message());
    }

    @Test
    void anExecutionTheOrchestratorCannotStartNowIsA503SayingWhy() throws Exception {
        String why = "no execution is started while the execution history is installed but not working (no"
                + " ExecutionHistory service; bundle io.mcpagent.history is ACTIVE): it would be recorded nowhere";
        when(orchestrator.execute(any(), any())).thenThrow(new IllegalStateException(why));

        Answer refused = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");

        assertEquals(503, refused.status());
        assertEquals("unavailable", refused.error());
        assertEquals(why, refused.message());
        assertFalse(refused.body().has("executionId"), "none started: none named");
    }

    @Test
    void executionsArePagedFilteredAndShownWithTheirSteps() throws Exception {
        ExecutionRecord record = new ExecutionRecord("e-1", "acme", TASK, "orchestrator", ExecutionStatus.SUCCEEDED,
                T, T.plusSeconds(2), "done", null, new Usage(10, 0, 6, 4, 5, 0, 0, Map.of()), new BigDecimal("0.002"),
                ANALYSIS, STRATEGY, List.of("files"),
                List.of("no draft was accepted: none reached minRating 4 in 4 evaluation(s)"));
        when(history.query(any())).thenReturn(List.of(record));
        when(history.count(any())).thenReturn(41L);
        when(history.find("e-1")).thenReturn(Optional.of(record));
        when(history.steps("e-1")).thenReturn(List.of(new ExecutionStep(1, T, "agent.tool.finished", "files",
                "fs_read_file", Duration.ofMillis(12), Usage.NONE, BigDecimal.ZERO, false, "filesystem/read_file")));

        Answer page = ServletCalls.call(servlet, "GET", "/executions", "status=succeeded&tenant=acme&limit=1&offset=40"
                + "&from=2026-12-01T00:00:00Z", Map.of("X-Api-Key", ADMIN), null);
        Answer one = call("GET", "/executions/e-1", ADMIN, null);

        assertEquals(200, page.status());
        assertEquals(41, page.body().path("total").asInt());
        assertEquals("e-1", page.body().path("executions").path(0).path("executionId").asText());
        assertTrue(page.body().path("executions").path(0).path("steps").isMissingNode(), "lists leave steps out");
        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertEquals(new HistoryQuery(ExecutionStatus.SUCCEEDED, "acme", Instant.parse("2026-12-01T00:00:00Z"), null,
                40, 1), query.getValue());
        assertEquals("orchestrator", one.body().path("decision").path("pattern").asText());
        assertEquals("fs_read_file", one.body().path("steps").path(0).path("subject").asText());
        assertEquals(12, one.body().path("steps").path(0).path("durationMs").asInt());
        assertEquals(0.002, one.body().path("costUsd").asDouble());
        assertEquals(6, one.body().path("usage").path("cacheWriteTokens").asLong());
        assertEquals(4, one.body().path("usage").path("cacheWrite1hTokens").asLong(), "of the writes, those kept 1 h");
        assertEquals("no draft was accepted: none reached minRating 4 in 4 evaluation(s)",
                one.body().path("warnings").path(0).asText(), "a SUCCEEDED record says what it lacks");
        for (String bad : List.of("status=done", "limit=0", "limit=abc", "from=yesterday",
                "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "stauts=failed", "since=2020-01-01T00:00:00Z",
                "limit=1&limit=2", "offset=99999999999")) {
            Answer refused = ServletCalls.call(servlet, "GET", "/executions", bad, Map.of("X-Api-Key", viewer), null);
            assertEquals(400, refused.status(), bad);
        }
        Answer misspelt = ServletCalls.call(servlet, "GET", "/executions", "stauts=failed", Map.of("X-Api-Key", viewer),
                null);
        assertEquals("stauts", misspelt.body().path("field").asText());
        assertEquals("unknown query parameter 'stauts'; the parameters are [from, limit, offset, status, tenant, to]",
                misspelt.message());
        Answer several = ServletCalls.call(servlet, "GET", "/executions", "foo=1&bar=2", Map.of("X-Api-Key", viewer),
                null);
        assertEquals("unknown query parameters 'bar', 'foo'; the parameters are [from, limit, offset, status, tenant,"
                + " to]", several.message());
        assertEquals("bar", several.body().path("field").asText());
        Answer backwards = ServletCalls.call(servlet, "GET", "/executions",
                "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", Map.of("X-Api-Key", viewer), null);
        assertEquals("to", backwards.body().path("field").asText(), "as /audit names it");
        assertEquals("to (2026-12-01T00:00:00Z) must be after from (2026-12-02T00:00:00Z)", backwards.message());
        Answer twice = ServletCalls.call(servlet, "GET", "/executions", "status=succeeded&status=failed",
                Map.of("X-Api-Key", viewer), null);
        assertEquals("query parameter 'status' is given 2 times; give it once", twice.message());
        Answer huge = ServletCalls.call(servlet, "GET", "/executions", "offset=99999999999", Map.of("X-Api-Key", viewer),
                null);
        assertEquals("the query parameter 'offset' must be a whole number from 0 to 2147483647, not '99999999999'",
                huge.message());
        Answer unknown = call("GET", "/executions/nope", viewer, null);
        assertEquals(404, unknown.status());
        assertEquals("no execution 'nope'; GET /api/v1/executions lists them", unknown.message());
    }

    @Test
    void aLongUnknownIdIsEchoedCutToItsFirstHundredCharacters() throws Exception {
        String id = "x".repeat(10_000);

        Answer unknown = call("GET", "/executions/" + id, viewer, null);

        assertEquals(404, unknown.status());
        assertEquals("no execution '" + "x".repeat(100) + "...'; GET /api/v1/executions lists them",
                unknown.message());
        Answer events = call("GET", "/executions/" + id + "/events", viewer, null);
        assertEquals(404, events.status());
        assertEquals("no execution '" + "x".repeat(100) + "...'; GET /api/v1/executions lists them",
                events.message());
    }

    @Test
    void theStatusFilterTakesQueuedAndAnUnknownStatusIsRefusedNamingEveryOne() throws Exception {
        when(history.query(any())).thenReturn(List.of());

        Answer queued = ServletCalls.call(servlet, "GET", "/executions", "status=queued", Map.of("X-Api-Key", viewer),
                null);

        assertEquals(200, queued.status());
        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertEquals(ExecutionStatus.QUEUED, query.getValue().status());
        Answer done = ServletCalls.call(servlet, "GET", "/executions", "status=done", Map.of("X-Api-Key", viewer),
                null);
        assertEquals(400, done.status());
        assertEquals("status", done.body().path("field").asText());
        assertEquals("query parameter 'status' must be one of queued, running, succeeded, failed, cancelled,"
                + " interrupted; was 'done'", done.message());
    }

    @Test
    void anEmptyQueryParameterOfTheExecutionListIsA400NamingItNotAFilterLeftOut() throws Exception {
        for (String name : List.of("status", "tenant", "from", "to", "offset", "limit")) {
            for (String empty : List.of("", "%20")) {
                String query = name + "=" + empty;
                Answer refused = ServletCalls.call(servlet, "GET", "/executions", query, Map.of("X-Api-Key", ADMIN),
                        null);
                assertEquals(400, refused.status(), query);
                assertEquals(name, refused.body().path("field").asText(), query);
                assertEquals("query parameter '" + name + "' is empty; give it a value or leave it out",
                        refused.message(), query);
            }
        }
        Answer besideAGoodOne = ServletCalls.call(servlet, "GET", "/executions", "status=failed&from=",
                Map.of("X-Api-Key", ADMIN), null);
        assertEquals("from", besideAGoodOne.body().path("field").asText());
        verify(history, never()).query(any());
        verify(history, never()).count(any());
    }

    @Test
    void deleteAnswersWhatTheOrchestratorsCancellationCameTo() throws Exception {
        when(orchestrator.cancel(anyString(), any())).thenAnswer(call -> ExecutionCancellation.unknown(
                call.getArgument(0)));
        when(orchestrator.cancel(eq("e-2"), any())).thenReturn(
                new ExecutionCancellation("e-2", Outcome.CANCELLED, ExecutionStatus.RUNNING),
                new ExecutionCancellation("e-2", Outcome.NOT_RUNNING, ExecutionStatus.CANCELLED));
        // finished before a restart: only the history holds it
        when(orchestrator.cancel(eq("e-old"), any())).thenReturn(
                new ExecutionCancellation("e-old", Outcome.NOT_RUNNING, ExecutionStatus.SUCCEEDED));

        Answer cancelled = call("DELETE", "/executions/e-2", operator, null);
        assertEquals(200, cancelled.status());
        assertEquals("{\"executionId\":\"e-2\",\"status\":\"RUNNING\"}", cancelled.body().toString());
        ArgumentCaptor<Principal> caller = ArgumentCaptor.forClass(Principal.class);
        verify(orchestrator).cancel(eq("e-2"), caller.capture());
        assertEquals(List.of(Role.OPERATOR, "default"), List.of(caller.getValue().role(), caller.getValue().tenant()),
                "the caller decides whose executions it may cancel");
        Answer again = call("DELETE", "/executions/e-2", operator, null);
        assertEquals(409, again.status());
        assertEquals("execution 'e-2' is not running (CANCELLED)", again.message());
        Answer finished = call("DELETE", "/executions/e-old", operator, null);
        assertEquals(409, finished.status());
        assertEquals("execution 'e-old' is not running (SUCCEEDED)", finished.message());
        Answer unknown = call("DELETE", "/executions/nope", operator, null);
        assertEquals(404, unknown.status());
        assertEquals("no execution 'nope'; GET /api/v1/executions lists them", unknown.message());
    }

    @Test
    void theEventStreamSendsStatusThenLiveEventsUntilTheExecutionEnds() throws Exception {
        Execution running = execution("e-3", null);
        when(engine.find("e-3")).thenReturn(Optional.of(running));
        CompletableFuture<Raw> streamed = CompletableFuture.supplyAsync(() -> {
            try {
                return ServletCalls.raw(servlet, "GET", "/executions/e-3/events", null, Map.of("X-Api-Key", ADMIN),
                        null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AgentEvent step = new AgentEvent(T, AgentEvent.TOOL_FINISHED, "e-3", "files", 1, "fs_read_file",
                Duration.ofMillis(7), null, null, false, "filesystem/read_file");
        ExecutionStatusEvent end = new ExecutionStatusEvent(T, ExecutionStatusEvent.FINISHED, "e-3", "orchestrator",
                ExecutionStatus.SUCCEEDED, null, "acme", TASK, succeeded("e-3"));
        awaitFollowers("e-3", 1);
        hub.onEvent(new AgentEvent(T, AgentEvent.LLM_STARTED, "other", "x", 1, "m", null, null, null, false, ""));
        hub.onEvent(new TaskAnalyzedEvent(T, "e-3", new Task(TASK, "acme", null), ANALYSIS, Usage.of(30, 8),
                new BigDecimal("0.0003"), Duration.ofMillis(1500)));
        hub.onEvent(new io.mcpagent.api.autonomous.AnalysisUnfinishedEvent(T, "e-3", Usage.of(20, 2),
                new BigDecimal("0.0001"), "cancelled while its task was being analysed"));
        hub.onEvent(step);
        // every part of the usage, so that its total adds up from them: 12 in + 5 tool prompt + 3 out
        hub.onEvent(new LlmCallEvent(T, "e-3", "pfail", "scripted-1", 1, false, false,
                new Usage(12, 4, 2, 0, 3, 1, 5, Map.of()),
                new BigDecimal("0.0002"), Duration.ofMillis(40), "SERVER: upstream 503 mid-run"));
        hub.onEvent(new LlmFallbackEvent(T, "e-3", "pfail", "scripted-1", ProviderError.Category.SERVER,
                "upstream 503 mid-run", "pbackup", "scripted-1", "pfail", Duration.ofMillis(40)));
        hub.onEvent(end);
        Raw raw = streamed.get(10, TimeUnit.SECONDS);

        assertEquals(200, raw.status());
        assertEquals("text/event-stream", raw.contentType());
        assertTrue(raw.text().startsWith("event: status\ndata: {\"executionId\":\"e-3\",\"pattern\":\"orchestrator\","
                + "\"status\":\"RUNNING\"}\n\n"), raw.text());
        // a live follower sees how long the analysis took and what its model calls cost, as the record's
        // autonomous.analyzed step says
        assertTrue(raw.text().contains("event: autonomous.analyzed\ndata: {\"type\":\"autonomous.analyzed\","
                + "\"timestamp\":\"" + T + "\",\"executionId\":\"e-3\",\"durationMs\":1500,\"costUsd\":0.0003,"
                + "\"usage\":{\"inputTokens\":30,\"outputTokens\":8,\"cachedReadTokens\":0,\"cacheWriteTokens\":0,"
                + "\"cacheWrite1hTokens\":0,\"reasoningTokens\":0,\"toolPromptTokens\":0,\"totalTokens\":38},\"analysis\":{"), raw.text());
        // and what an analysis billed that the execution's end left unfinished, as its record's step says
        assertTrue(raw.text().contains("event: autonomous.analysis.unfinished\ndata: {\"type\":"
                + "\"autonomous.analysis.unfinished\",\"timestamp\":\"" + T + "\",\"executionId\":\"e-3\","
                + "\"costUsd\":0.0001,\"reason\":\"cancelled while its task was being analysed\",\"usage\":{"
                + "\"inputTokens\":20,\"outputTokens\":2,"), raw.text());
        assertTrue(raw.text().contains("event: agent.tool.finished\ndata: {\"type\":\"agent.tool.finished\""),
                raw.text());
        assertTrue(raw.text().contains("event: llm.call\ndata: {\"type\":\"llm.call\",\"timestamp\":\"" + T
                + "\",\"executionId\":\"e-3\",\"provider\":\"pfail\",\"model\":\"scripted-1\",\"attempt\":1,"
                + "\"streamed\":false,\"success\":false,\"durationMs\":40,\"costUsd\":0.0002,"
                + "\"error\":\"SERVER: upstream 503 mid-run\",\"usage\":{\"inputTokens\":12,\"outputTokens\":3,"
                + "\"cachedReadTokens\":4,\"cacheWriteTokens\":2,\"cacheWrite1hTokens\":0,\"reasoningTokens\":1,"
                + "\"toolPromptTokens\":5,"
                + "\"totalTokens\":20}}\n\n"), raw.text());
        assertTrue(raw.text().contains("event: llm.fallback\ndata: {\"type\":\"llm.fallback\",\"timestamp\":\"" + T
                + "\",\"executionId\":\"e-3\",\"provider\":\"pfail\",\"model\":\"scripted-1\",\"category\":\"SERVER\","
                + "\"message\":\"upstream 503 mid-run\",\"nextProvider\":\"pbackup\",\"nextModel\":\"scripted-1\","
                + "\"pinnedProvider\":\"pfail\",\"durationMs\":40,\"detail\":\"LLM call to pfail/scripted-1 failed (SERVER: upstream 503 "
                + "mid-run); falling back to pbackup/scripted-1 along the fallback chain of the pinned provider pfail\"}"),
                raw.text());
        assertTrue(raw.text().contains("event: execution.finished\n"), raw.text());
        assertTrue(raw.text().endsWith("\n\n") && raw.text().contains("event: end\n"), raw.text());
        assertFalse(raw.text().contains("\"executionId\":\"other\""), "only this execution's events");
    }

    @Test
    void theEventStreamAndALiveExecutionMaskSecretsAsTheRecordDoes() throws Exception {
        String key = "sk-abcdefghijklmnopqrstuvwxyz123456";
        ExecutionResult leaky = new ExecutionResult("e-5", "direct", ExecutionStatus.SUCCEEDED, "the key is " + key,
                null, Usage.of(1, 1), T, T.plusSeconds(1));
        Execution running = execution("e-5", null);
        when(engine.find("e-5")).thenReturn(Optional.of(running));
        CompletableFuture<Raw> streamed = CompletableFuture.supplyAsync(() -> {
            try {
                return ServletCalls.raw(servlet, "GET", "/executions/e-5/events", null, Map.of("X-Api-Key", ADMIN),
                        null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitFollowers("e-5", 1);
        hub.onEvent(new AgentEvent(T, AgentEvent.TOOL_FINISHED, "e-5", "web", 1, "fetch", Duration.ofMillis(3), null,
                null, true, "HTTP 401 for https://api.example.com?api_key=hunter2secret"));
        hub.onEvent(new ExecutionStatusEvent(T, ExecutionStatusEvent.FINISHED, "e-5", "direct",
                ExecutionStatus.SUCCEEDED, null, "acme", TASK, leaky));
        Raw raw = streamed.get(10, TimeUnit.SECONDS);

        assertFalse(raw.text().contains(key) || raw.text().contains("hunter2secret"), raw.text());
        assertTrue(raw.text().contains("the key is [redacted]") && raw.text().contains("api_key=[redacted]"),
                raw.text());

        Execution finished = execution("e-6", new ExecutionResult("e-6", "direct", ExecutionStatus.SUCCEEDED,
                "the key is " + key, null, Usage.of(1, 1), T, T.plusSeconds(1),
                List.of("worker 'b' failed: api_key=hunter2secret")));
        when(engine.find("e-6")).thenReturn(Optional.of(finished));
        Answer live = call("GET", "/executions/e-6", ADMIN, null);
        assertEquals(200, live.status());
        assertEquals("the key is [redacted]", live.body().path("result").path("output").asText());
        assertEquals("worker 'b' failed: api_key=[redacted]", live.body().path("result").path("warnings").path(0)
                .asText());
        assertEquals("direct", live.body().path("pattern").asText(), "named by the pattern that ran, not the one that "
                + "started it (orchestrator here)");
    }

    @Test
    void theEventStreamAndALiveExecutionMaskTheConfiguredSecretsTheMaskerKnows() throws Exception {
        // the platform's masker replaces the values its secret holders hold (core's HeldSecretsMasker)
        servlet.bindMasker(text -> text == null ? null
                : Secrets.redact(text.replace("literal-XSECRET-777", Secrets.MASK)));
        ExecutionResult leaky = new ExecutionResult("e-7", "direct", ExecutionStatus.SUCCEEDED,
                "the header is literal-XSECRET-777", null, Usage.of(1, 1), T, T.plusSeconds(1));
        Execution running = execution("e-7", null);
        when(engine.find("e-7")).thenReturn(Optional.of(running));
        CompletableFuture<Raw> streamed = CompletableFuture.supplyAsync(() -> {
            try {
                return ServletCalls.raw(servlet, "GET", "/executions/e-7/events", null, Map.of("X-Api-Key", ADMIN),
                        null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitFollowers("e-7", 1);
        hub.onEvent(new AgentEvent(T, AgentEvent.TOOL_FINISHED, "e-7", "web", 1, "fetch", Duration.ofMillis(3), null,
                null, false, "fetch {} -> result: sent X-Api-Key literal-XSECRET-777"));
        hub.onEvent(new ExecutionStatusEvent(T, ExecutionStatusEvent.FINISHED, "e-7", "direct",
                ExecutionStatus.SUCCEEDED, null, "acme", TASK, leaky));
        Raw raw = streamed.get(10, TimeUnit.SECONDS);

        assertFalse(raw.text().contains("XSECRET"), raw.text());
        assertTrue(raw.text().contains("sent X-Api-Key [redacted]") && raw.text().contains("the header is [redacted]"),
                raw.text());

        Execution finished = execution("e-8", new ExecutionResult("e-8", "direct", ExecutionStatus.SUCCEEDED,
                "the header is literal-XSECRET-777", null, Usage.of(1, 1), T, T.plusSeconds(1)));
        when(engine.find("e-8")).thenReturn(Optional.of(finished));
        Answer live = call("GET", "/executions/e-8", ADMIN, null);
        assertEquals("the header is [redacted]", live.body().path("result").path("output").asText());
    }

    @Test
    void theResultInTheAnswerOfExecuteHasTheConfiguredSecretsAndThePatternsMasked() throws Exception {
        servlet.bindMasker(text -> text == null ? null
                : Secrets.redact(text.replace("literal-XSECRET-777", Secrets.MASK)));
        Execution echoed = execution("e-9", new ExecutionResult("e-9", "direct", ExecutionStatus.FAILED,
                "the header is literal-XSECRET-777", "worker failed: api_key=hunter2secret literal-XSECRET-777",
                Usage.of(1, 1), T, T.plusSeconds(1), List.of("worker 'b' said literal-XSECRET-777")));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), echoed));

        Answer answer = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\",\"wait\":10}");

        assertEquals(200, answer.status());
        JsonNode result = answer.body().path("result");
        assertEquals("the header is [redacted]", result.path("output").asText(), answer.body().toString());
        assertEquals("worker failed: api_key=[redacted] [redacted]", result.path("error").asText());
        assertEquals("worker 'b' said [redacted]", result.path("warnings").path(0).asText());
        assertFalse(answer.body().toString().contains("XSECRET"), answer.body().toString());
    }

    @Test
    void thePlanInEveryAnswerHasItsSecretsMaskedButTheCallersOwnTask() throws Exception {
        servlet.bindMasker(text -> text == null ? null
                : Secrets.redact(text.replace("literal-XSECRET-777", Secrets.MASK)));
        String secret = "literal-XSECRET-777";
        String task = "use the key " + secret;
        // what an LLM analyzer and planner, or a failed install, could say
        TaskAnalysis reasoned = ANALYSIS.withReasoning("the task gives the key " + secret)
                .withPassedOver(List.of(new AnalyzerPassedOver("llm-b", "it answered " + secret)));
        StrategyRecommendation strategy = new StrategyRecommendation("direct", 0.7, "one call with " + secret,
                Set.of(), Complexity.SIMPLE, List.of(new StrategyAlternative("swarm", 0.2, "not for " + secret)), 0.7);
        AgentPlan agents = new AgentPlan(List.of(new PlannedAgent(AgentSpec.of("caller", "Call with " + secret),
                AgentRole.SPECIALIST, Set.of(), "holds " + secret)), Set.of(), Set.of(),
                Map.of("vault", "npm error: token=" + secret));
        AutonomousPlan plan = new AutonomousPlan(new Task(task, "acme", null), reasoned, strategy, agents,
                List.of("no provider takes " + secret));
        when(analysis.analyze(any())).thenReturn(reasoned);
        when(orchestrator.plan(any(), any())).thenReturn(plan);
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan, null));
        String body = "{\"task\":\"" + task + "\"}";

        Answer analyzed = call("POST", "/autonomous/analyze", operator, body);
        Answer planned = call("POST", "/autonomous/plan", operator, body);
        Answer created = call("POST", "/agents/create", operator, body);
        Answer executed = call("POST", "/autonomous/execute", operator, body.replace("}", ",\"dryRun\":true}"));

        assertEquals("the task gives the key [redacted]", analyzed.body().path("reasoning").asText());
        assertEquals("it answered [redacted]", analyzed.body().path("passedOver").path(0).path("reason").asText());
        assertFalse(analyzed.body().toString().contains("XSECRET"), analyzed.body().toString());
        assertEquals("Call with [redacted]", created.body().path("agents").path(0).path("instruction").asText());
        assertEquals("holds [redacted]", created.body().path("agents").path(0).path("reason").asText());
        assertEquals("npm error: token=[redacted]", created.body().path("failedInstalls").path("vault").asText());
        assertFalse(created.body().toString().contains("XSECRET"), created.body().toString());
        for (JsonNode shown : List.of(planned.body(), executed.body().path("plan"))) {
            assertEquals(task, shown.path("task").asText(), "the caller's own task, given back: " + shown);
            assertEquals("the task gives the key [redacted]", shown.path("analysis").path("reasoning").asText());
            assertEquals("one call with [redacted]", shown.path("decision").path("reasoning").asText());
            assertEquals("not for [redacted]", shown.path("decision").path("alternatives").path(0).path("reason")
                    .asText());
            assertEquals("Call with [redacted]", shown.path("agents").path("agents").path(0).path("instruction")
                    .asText());
            assertEquals("no provider takes [redacted]", shown.path("blockers").path(0).asText());
            ((ObjectNode) shown).remove("task");
            assertFalse(shown.toString().contains("XSECRET"), shown.toString());
        }
        Answer refused = call("POST", "/autonomous/execute", operator, body);
        assertEquals(409, refused.status(), refused.body().toString());
        assertEquals("the task was analysed and planned but cannot run: no provider takes [redacted]",
                refused.message(), "the refusal names the blockers masked, as the plan does");
    }

    @Test
    void theOrchestratorsRefusalsAndFailuresAreMaskedAsTheRestOfTheAnswerIs() throws Exception {
        servlet.bindMasker(text -> text == null ? null
                : Secrets.redact(text.replace("literal-XSECRET-777", Secrets.MASK)));
        // what a provider's error, a model's answer or a server's output quoted in the orchestrator's texts could hold
        when(analysis.analyze(any())).thenThrow(new DecisionException("the model answered literal-XSECRET-777"));
        when(orchestrator.plan(any(), any())).thenThrow(new InvalidOptionException("model",
                "model 'literal-XSECRET-777' is unknown; api_key=hunter2secret"));
        when(orchestrator.execute(any(), any())).thenThrow(new IllegalArgumentException(
                "the task cannot be taken: literal-XSECRET-777"));

        Answer analyzed = call("POST", "/autonomous/analyze", operator, "{\"task\":\"x\"}");
        Answer planned = call("POST", "/autonomous/plan", operator, "{\"task\":\"x\"}");
        Answer executed = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");

        assertEquals(503, analyzed.status());
        assertEquals("the model answered [redacted]", analyzed.message());
        assertEquals(400, planned.status());
        assertEquals("/model", planned.body().path("field").asText());
        assertEquals("model '[redacted]' is unknown; api_key=[redacted]", planned.message());
        assertEquals(400, executed.status());
        assertEquals("the task cannot be taken: [redacted]", executed.message());

        org.mockito.Mockito.reset(orchestrator);
        when(orchestrator.plan(any(), any())).thenThrow(new DecisionException("provider said literal-XSECRET-777"));
        when(orchestrator.execute(any(), any())).thenThrow(new IllegalStateException(
                "nothing runs now: literal-XSECRET-777"));
        Answer undecided = call("POST", "/agents/create", operator, "{\"task\":\"x\"}");
        Answer unstarted = call("POST", "/autonomous/execute", operator, "{\"task\":\"x\"}");
        assertEquals(503, undecided.status());
        assertEquals("provider said [redacted]", undecided.message());
        assertEquals(503, unstarted.status());
        assertEquals("nothing runs now: [redacted]", unstarted.message());
    }

    @Test
    void eventStreamsAreBoundedPerCallerAndInAllWith429NamingTheLimit() throws Exception {
        Execution running = execution("e-9", null);
        when(engine.find("e-9")).thenReturn(Optional.of(running));
        when(history.find("e-9")).thenReturn(Optional.of(new ExecutionRecord("e-9", "default", TASK, "orchestrator",
                ExecutionStatus.RUNNING, T, null, null, null, null, null, null, null, null)));
        List<String> callers = new ArrayList<>(List.of(viewer));
        while (callers.size() < 100 / 10) { // maxEventStreams / maxEventStreamsPerCaller by default
            callers.add(keys.store().create(Role.VIEWER, "watcher-" + callers.size()));
        }
        ExecutionStatusEvent end = new ExecutionStatusEvent(T, ExecutionStatusEvent.FINISHED, "e-9", "orchestrator",
                ExecutionStatus.SUCCEEDED, null, "acme", TASK, succeeded("e-9"));
        List<CompletableFuture<Raw>> streams = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                follow(clients, streams, callers);
            } finally {
                hub.onEvent(end); // ends the open streams, also when an assertion failed
            }
        }
        for (CompletableFuture<Raw> stream : streams) {
            String text = stream.get(10, TimeUnit.SECONDS).text();
            assertTrue(text.contains("event: end\n") && text.endsWith("\n\n"), text);
        }
        // the places are free again once the streams ended
        Execution finished = execution("e-9", succeeded("e-9"));
        when(engine.find("e-9")).thenReturn(Optional.of(finished));
        assertEquals(200, ServletCalls.raw(servlet, "GET", "/executions/e-9/events", null,
                Map.of("X-Api-Key", viewer), null).status());
    }

    /** Opens as many streams as each caller may, checking the limit of one caller, then the limit of all. */
    private void follow(ExecutorService clients, List<CompletableFuture<Raw>> streams, List<String> callers)
            throws Exception {
        for (String caller : callers) {
            for (int i = 0; i < 10; i++) { // maxEventStreamsPerCaller by default
                streams.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ServletCalls.raw(servlet, "GET", "/executions/e-9/events", null,
                                Map.of("X-Api-Key", caller), null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, clients));
            }
            awaitFollowers("e-9", streams.size());
            if (caller.equals(viewer)) {
                Answer oneMore = refused(clients, viewer);
                assertEquals(429, oneMore.status());
                assertEquals("5", oneMore.headers().get("Retry-After"));
                assertTrue(oneMore.message().startsWith("the API key or token key:")
                        && oneMore.message().endsWith(" (viewer) has 10 event streams open, the most one caller may (10,"
                        + " maxEventStreamsPerCaller in etc/io.mcpagent.http.cfg.json); close one (a stream also ends"
                        + " with its execution) and try again"), oneMore.message());
            }
        }
        Answer overAll = refused(clients, operator);
        assertEquals(429, overAll.status());
        assertEquals("the API has 100 event streams open, the most it serves at once (100, maxEventStreams in"
                + " etc/io.mcpagent.http.cfg.json); try again later, or GET the execution for its record", overAll.message());
    }

    /** A request over the limit; one that is let through would stream until the end, so it is not waited for. */
    private Answer refused(ExecutorService clients, String key) throws Exception {
        return clients.submit(() -> call("GET", "/executions/e-9/events", key, null)).get(10, TimeUnit.SECONDS);
    }

    private void awaitFollowers(String executionId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hub.followers(executionId) < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, hub.followers(executionId));
    }

    @Test
    void theEventStreamOfAFinishedExecutionEndsAtOnceAndAnUnknownOneIs404() throws Exception {
        when(history.find("e-4")).thenReturn(Optional.of(new ExecutionRecord("e-4", "acme", TASK, "direct",
                ExecutionStatus.FAILED, T, T, null, "boom", null, null, null, null, null)));

        Raw raw = ServletCalls.raw(servlet, "GET", "/executions/e-4/events", null, Map.of("X-Api-Key", ADMIN), null);

        // its result as the record holds it, as the stream of an execution of this run carries the engine's
        String status = "{\"executionId\":\"e-4\",\"pattern\":\"direct\",\"status\":\"FAILED\",\"result\":{"
                + "\"executionId\":\"e-4\",\"pattern\":\"direct\",\"status\":\"FAILED\",\"output\":null,"
                + "\"error\":\"boom\",\"warnings\":[],\"usage\":{\"inputTokens\":0,\"outputTokens\":0,"
                + "\"cachedReadTokens\":0,\"cacheWriteTokens\":0,\"cacheWrite1hTokens\":0,\"reasoningTokens\":0,"
                + "\"toolPromptTokens\":0,"
                + "\"totalTokens\":0},\"started\":\"" + T + "\",\"finished\":\"" + T + "\"}}";
        assertEquals("event: status\ndata: " + status + "\n\nevent: end\ndata: " + status + "\n\n", raw.text());
        assertEquals(404, call("GET", "/executions/nope/events", viewer, null).status());
    }

    @Test
    void aTaskOfControlCharactersOrBrokenUnicodeOrGivenTwiceIsRefused() throws Exception {
        Answer control = call("POST", "/autonomous/analyze", operator, "{\"task\":\"\\u0000\\u0001\"}");
        assertEquals(400, control.status());
        assertEquals("/task", control.body().path("field").asText());
        assertEquals("field 'task' holds the control character U+0000 at 0; send the task as plain text",
                control.message());
        Answer surrogate = call("POST", "/autonomous/analyze", operator, "{\"task\":\"hello \\ud800\"}");
        assertEquals("field 'task' holds an unpaired surrogate U+D800 at 6; send the task as plain text",
                surrogate.message());
        Answer twice = call("POST", "/autonomous/analyze", operator, "{\"task\":\"a\",\"task\":\"b\"}");
        assertEquals(400, twice.status());
        assertEquals("the body is not valid JSON at line 1, column 19: Duplicate field 'task'; send a JSON object, e.g."
                + " {\"task\": \"summarise the files in /data\"}", twice.message());
        assertEquals("/task", twice.body().path("field").asText());
        Answer misspelt = call("POST", "/autonomous/analyze", operator, "{\n  \"task\": \"a\",\n  \"dryRun\": tru\n}");
        assertEquals(400, misspelt.status());
        assertTrue(misspelt.message().startsWith("the body is not valid JSON at line 3, column 13: Unrecognized token"
                + " 'tru'"), misspelt.message());
        assertEquals("/dryRun", misspelt.body().path("field").asText());
        verifyNoInteractions(analysis);
        when(analysis.analyze(any())).thenReturn(ANALYSIS);
        assertEquals(200, call("POST", "/autonomous/analyze", operator,
                "{\"task\":\"tabs\\tand\\nlines, caf\\u00e9 \\ud83d\\ude00\"}").status());
    }

    @Test
    void aTaskLongerThanTheSharedLimitIsRefusedNamingItsLengthAndTheLimit() throws Exception {
        for (String route : List.of("/autonomous/analyze", "/autonomous/plan", "/autonomous/execute",
                "/agents/create")) {
            Answer tooLong = call("POST", route, operator, "{\"task\":\"" + "x".repeat(Task.MAX_CHARS + 1) + "\"}");
            assertEquals(400, tooLong.status(), route);
            assertEquals("/task", tooLong.body().path("field").asText(), route);
            assertEquals("the task is 100001 characters long; at most 100000 are taken", tooLong.message(), route);
        }
        verifyNoInteractions(analysis, orchestrator);
        when(analysis.analyze(any())).thenReturn(ANALYSIS);
        assertEquals(200, call("POST", "/autonomous/analyze", operator,
                "{\"task\":\"" + "x".repeat(Task.MAX_CHARS) + "\"}").status());
    }

    @Test
    void anOptionTheOrchestratorRefusesIsA400NamingTheField() throws Exception {
        InvalidOptionException notInstalled = new InvalidOptionException("pattern",
                "no workflow pattern 'nosuch' is installed; installed: direct, swarm");
        when(orchestrator.execute(any(), any())).thenThrow(notInstalled);
        when(orchestrator.plan(any(), any())).thenThrow(notInstalled);

        for (String path : List.of("/autonomous/execute", "/autonomous/plan", "/agents/create")) {
            Answer refused = call("POST", path, operator, "{\"task\":\"x\",\"pattern\":\"nosuch\"}");
            assertEquals(400, refused.status(), path);
            assertEquals("bad_request", refused.error(), path);
            assertEquals("/pattern", refused.body().path("field").asText(), path);
            assertEquals("no workflow pattern 'nosuch' is installed; installed: direct, swarm", refused.message());
        }
        org.mockito.Mockito.doThrow(new InvalidOptionException("provider", "provider 'LOCAL' is ambiguous: it names"
                + " Local, local when case is ignored; give one of them exactly")).when(orchestrator).plan(any(), any());
        Answer ambiguous = call("POST", "/autonomous/plan", operator, "{\"task\":\"x\",\"provider\":\"LOCAL\"}");
        assertEquals(400, ambiguous.status());
        assertEquals("/provider", ambiguous.body().path("field").asText());
    }

    @Test
    void anEmptyOrBlankPatternProviderOrModelIsRefusedNamingTheField() throws Exception {
        for (String path : List.of("/autonomous/plan", "/autonomous/execute", "/agents/create")) {
            for (String field : List.of("pattern", "provider", "model")) {
                for (String empty : List.of("", "  ")) {
                    Answer refused = call("POST", path, operator, "{\"task\":\"say hi\",\"" + field + "\":\"" + empty
                            + "\"}");
                    assertEquals(400, refused.status(), path + " " + field);
                    assertEquals("/" + field, refused.body().path("field").asText(), path);
                    assertEquals("field '" + field + "' must name one; was " + (empty.isEmpty() ? "empty" : "blank")
                            + " (leave it out to name none)", refused.message());
                }
            }
        }
        verifyNoInteractions(orchestrator);
    }

    @Test
    void aPatternProviderOrModelWithAControlCharacterIsRefusedNamingTheField() throws Exception {
        for (String path : List.of("/autonomous/plan", "/autonomous/execute", "/agents/create")) {
            for (String field : List.of("pattern", "provider", "model")) {
                Answer refused = call("POST", path, operator, "{\"task\":\"say hi\",\"" + field
                        + "\":\"gpt\\u0000x\"}");
                assertEquals(400, refused.status(), path + " " + field);
                assertEquals("/" + field, refused.body().path("field").asText(), path);
                assertEquals("field '" + field + "' holds the control character U+0000 at 3; a " + field
                        + " is named in one line of plain text", refused.message());
            }
        }
        verifyNoInteractions(orchestrator);
    }

    @Test
    void anInfiniteCostBudgetIsRefusedNamingTheField() throws Exception {
        Answer refused = call("POST", "/autonomous/execute", ADMIN, "{\"task\":\"say hi\",\"maxCostUsd\":1e400}");
        assertEquals(400, refused.status());
        assertEquals("/maxCostUsd", refused.body().path("field").asText());
        assertEquals("field 'maxCostUsd' must be a finite number of at least 0; the one given is beyond 1.8e308",
                refused.message());
    }

    @Test
    void aPositiveCostBudgetTooSmallToCountIsRefusedNamingTheFieldAndTheSmallest() throws Exception {
        // read as a double, 1e-400 was 0.0: no limit at all
        for (String tiny : List.of("1e-400", "1e-999999999", "4.9e-324", "0.00000000009")) {
            Answer refused = call("POST", "/autonomous/execute", ADMIN,
                    "{\"task\":\"say hi\",\"maxCostUsd\":" + tiny + "}");
            assertEquals(400, refused.status(), tiny);
            assertEquals("/maxCostUsd", refused.body().path("field").asText(), tiny);
            assertTrue(refused.message().startsWith("field 'maxCostUsd' must be 0 (no limit) or at least 0.0000000001"
                    + " USD, was "), refused.message());
            assertTrue(refused.message().length() < 120, "no plain digits of an absurd exponent: " + refused.message());
        }
        Answer huge = call("POST", "/autonomous/execute", ADMIN, "{\"task\":\"say hi\",\"maxCostUsd\":1e999999999}");
        assertEquals(400, huge.status());
        assertEquals("field 'maxCostUsd' must be a finite number of at least 0; the one given is beyond 1.8e308",
                huge.message());
        Answer negative = call("POST", "/autonomous/execute", ADMIN, "{\"task\":\"say hi\",\"maxCostUsd\":-1e999999999}");
        assertEquals("field 'maxCostUsd' must be a number of at least 0, was -1E+999999999", negative.message());
        Answer longInteger = call("POST", "/autonomous/execute", ADMIN,
                "{\"task\":\"say hi\",\"maxCostUsd\":1" + "0".repeat(400) + "}");
        assertEquals(400, longInteger.status());
        assertEquals("/maxCostUsd", longInteger.body().path("field").asText());
        verifyNoInteractions(orchestrator);

        Execution done = execution("e-1", succeeded("e-1"));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), done));
        call("POST", "/autonomous/execute", ADMIN, "{\"task\":\"say hi\",\"maxCostUsd\":1e-10}");
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).execute(any(), options.capture());
        assertEquals(0, new BigDecimal("0.0000000001").compareTo(options.getValue().maxCostUsd()), "the smallest");
    }

    @Test
    void aTenantThatNoKeyCouldHaveIsRefusedNamingTheField() throws Exception {
        Answer tooLong = call("POST", "/autonomous/execute", ADMIN,
                "{\"task\":\"say hi\",\"tenant\":\"" + "t".repeat(300) + "\"}");
        assertEquals(400, tooLong.status());
        assertEquals("/tenant", tooLong.body().path("field").asText());
        assertTrue(tooLong.body().path("message").asText().contains("1 to 64 letters")
                && tooLong.body().path("message").asText().contains("300 characters"), tooLong.body().toString());
        Answer spaces = ServletCalls.call(servlet, "GET", "/executions", "tenant=acme%20corp",
                Map.of("X-Api-Key", ADMIN), null);
        assertEquals(400, spaces.status());
        assertEquals("tenant", spaces.body().path("field").asText());
        for (String path : List.of("/autonomous/analyze", "/autonomous/plan", "/autonomous/execute", "/agents/create")) {
            for (String empty : List.of("", "  ")) {
                Answer refused = call("POST", path, ADMIN, "{\"task\":\"say hi\",\"tenant\":\"" + empty + "\"}");
                assertEquals(400, refused.status(), path);
                assertEquals("/tenant", refused.body().path("field").asText(), path);
                assertEquals("'tenant' must be " + Principal.TENANT_RULE + "; was empty (leave it out to name none)",
                        refused.message());
            }
        }
        for (String query : List.of("tenant=", "tenant=%20")) {
            Answer emptyFilter = ServletCalls.call(servlet, "GET", "/executions", query, Map.of("X-Api-Key", ADMIN),
                    null);
            assertEquals(400, emptyFilter.status(), query);
            assertEquals("tenant", emptyFilter.body().path("field").asText(), query);
        }
        verifyNoInteractions(orchestrator, analysis);
        verify(history, never()).query(any());
    }

    /** "autonomous" is no pattern: until its task is planned an execution has none, as the console says. */
    @Test
    void anExecutionNotPlannedYetHasANullPatternAndSaysWhy() throws Exception {
        ExecutionRecord analysing = new ExecutionRecord("e-1", "default", TASK, "autonomous", ExecutionStatus.RUNNING,
                T, null, null, null, null, null, null, null, null);
        when(history.find("e-1")).thenReturn(Optional.of(analysing));
        when(history.query(any())).thenReturn(List.of(analysing));

        Answer shown = call("GET", "/executions/e-1", viewer, null);

        assertTrue(shown.body().path("pattern").isNull(), shown.body().toString());
        assertEquals("not chosen yet: its task is being analysed", shown.body().path("noPattern").asText());
        JsonNode listed = call("GET", "/executions", viewer, null).body().path("executions").path(0);
        assertTrue(listed.path("pattern").isNull(), listed.toString());
        assertEquals("not chosen yet: its task is being analysed", listed.path("noPattern").asText());
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "default", TASK, "autonomous",
                ExecutionStatus.CANCELLED, T, T, null, "cancelled", null, null, null, null, null)));
        assertEquals("none: it ended before its task was planned",
                call("GET", "/executions/e-1", viewer, null).body().path("noPattern").asText());
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "default", TASK, "direct",
                ExecutionStatus.RUNNING, T, null, null, null, null, null, null, null, null)));
        Answer planned = call("GET", "/executions/e-1", viewer, null);
        assertEquals("direct", planned.body().path("pattern").asText());
        assertFalse(planned.body().has("noPattern"));
    }

    /**
     * The event stream's status, read from the engine's view of a running execution, which knows the pattern that
     * runs but not the decision, names the decided pattern a fallback runs from as GET does, from the record.
     */
    @Test
    void theEventStreamsStatusSaysWhichPatternARunningFallbackFellBackFrom() throws Exception {
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "default", TASK, "parallel",
                ExecutionStatus.RUNNING, T, null, null, null, null, null, null, STRATEGY, null)));

        String streamed = streamOfARunningFallback();

        assertTrue(streamed.startsWith(RUNNING_FALLBACK_STATUS), streamed);
    }

    /** Without the history, the event stream's status takes the decision the orchestrator still holds. */
    @Test
    void withoutTheHistoryTheEventStreamsStatusSaysWhichPatternARunningFallbackFellBackFrom() throws Exception {
        servlet.unbindHistory(Map.of("service.id", 1L));
        when(orchestrator.decision("e-1")).thenReturn(Optional.of(STRATEGY));

        String streamed = streamOfARunningFallback();

        assertTrue(streamed.startsWith(RUNNING_FALLBACK_STATUS), streamed);
    }

    /** The first status event of a stream of the running fallback {@link #streamOfARunningFallback} follows. */
    private static final String RUNNING_FALLBACK_STATUS = "event: status\ndata: {\"executionId\":\"e-1\","
            + "\"pattern\":\"parallel\",\"fallbackFrom\":\"orchestrator\",\"status\":\"RUNNING\"}\n\n";

    /** The event stream of e-1, an execution of the fallback pattern parallel the engine holds, until it finishes. */
    private String streamOfARunningFallback() throws Exception {
        Execution running = execution("e-1", null);
        when(running.pattern()).thenReturn("parallel");
        when(engine.find("e-1")).thenReturn(Optional.of(running));
        CompletableFuture<Raw> streamed = CompletableFuture.supplyAsync(() -> {
            try {
                return ServletCalls.raw(servlet, "GET", "/executions/e-1/events", null, Map.of("X-Api-Key", ADMIN),
                        null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitFollowers("e-1", 1);
        hub.onEvent(new ExecutionStatusEvent(T, ExecutionStatusEvent.FINISHED, "e-1", "parallel",
                ExecutionStatus.SUCCEEDED, null, "default", TASK, succeeded("e-1")));
        return streamed.get(10, TimeUnit.SECONDS).text();
    }

    /** While a fallback pattern runs, the record names it, and the decided pattern it falls back from. */
    @Test
    void anExecutionRunningAFallbackPatternSaysWhichPatternItFellBackFrom() throws Exception {
        ExecutionRecord fallingBack = new ExecutionRecord("e-1", "default", TASK, "parallel", ExecutionStatus.RUNNING,
                T, null, null, null, null, null, null, STRATEGY, null);
        when(history.find("e-1")).thenReturn(Optional.of(fallingBack));
        when(history.steps("e-1")).thenReturn(List.of());

        JsonNode shown = call("GET", "/executions/e-1", viewer, null).body();

        assertEquals("parallel", shown.path("pattern").asText(), shown.toString());
        assertEquals("orchestrator", shown.path("fallbackFrom").asText(), shown.toString());
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "default", TASK, "orchestrator",
                ExecutionStatus.RUNNING, T, null, null, null, null, null, null, STRATEGY, null)));
        assertFalse(call("GET", "/executions/e-1", viewer, null).body().has("fallbackFrom"), "the decided one runs");
    }

    /**
     * An execution the history has no record of (a runtime without it) is shown as the engine sees it, which knows
     * only the pattern that runs: the decision the orchestrator still holds tells the fallback, running or ended.
     */
    @Test
    void anExecutionWithoutARecordSaysWhichPatternItFellBackFromByTheOrchestratorsDecision() throws Exception {
        Execution running = execution("e-9", null);
        when(running.pattern()).thenReturn("parallel");
        when(engine.find("e-9")).thenReturn(Optional.of(running));
        when(orchestrator.decision("e-9")).thenReturn(Optional.of(STRATEGY));

        JsonNode shown = call("GET", "/executions/e-9", ADMIN, null).body();

        assertEquals("parallel", shown.path("pattern").asText(), shown.toString());
        assertEquals("orchestrator", shown.path("fallbackFrom").asText(), shown.toString());
        Execution ended = execution("e-9", new ExecutionResult("e-9", "parallel", ExecutionStatus.FAILED, null,
                "the fallback failed too", Usage.NONE, T, T.plusSeconds(1)));
        when(engine.find("e-9")).thenReturn(Optional.of(ended));
        JsonNode endedShown = call("GET", "/executions/e-9", ADMIN, null).body();
        assertEquals("orchestrator", endedShown.path("fallbackFrom").asText(), endedShown.toString());
    }

    /**
     * In a runtime without the history (README "A smaller runtime") an admin sees an execution the engine holds, with
     * the fallback the orchestrator's decision tells, as the console does; for the rest, and for an execution the
     * engine does not hold, the history's 503 stays: whose it is cannot be told, and the history may hold it.
     */
    @Test
    void withoutTheHistoryAnAdminSeesAnExecutionTheEngineHoldsAndOthersGetTheHistorys503() throws Exception {
        servlet.unbindHistory(Map.of("service.id", 1L));
        Execution running = execution("e-9", null);
        when(running.pattern()).thenReturn("parallel");
        when(engine.find("e-9")).thenReturn(Optional.of(running));
        when(orchestrator.decision("e-9")).thenReturn(Optional.of(STRATEGY));

        Answer shown = call("GET", "/executions/e-9", ADMIN, null);

        assertEquals(200, shown.status(), shown.body().toString());
        assertEquals("parallel", shown.body().path("pattern").asText(), shown.body().toString());
        assertEquals("orchestrator", shown.body().path("fallbackFrom").asText(), shown.body().toString());
        assertEquals(503, call("GET", "/executions/e-9", viewer, null).status());
        assertEquals(503, call("GET", "/executions/e-unknown", ADMIN, null).status());
    }

    /**
     * A cancel of an execution the orchestrator does not know pointed at GET /api/v1/executions to list them, which
     * answers 503 in a runtime without the history: it says why instead.
     */
    @Test
    void withoutTheHistoryACancelOfAnUnknownExecutionSaysWhyNoneIsListed() throws Exception {
        servlet.unbindHistory(Map.of("service.id", 1L));
        when(orchestrator.cancel(eq("nope"), any())).thenReturn(ExecutionCancellation.unknown("nope"));
        String noHistory = call("GET", "/executions", ADMIN, null).message();

        Answer unknown = call("DELETE", "/executions/nope", operator, null);

        assertEquals(404, unknown.status());
        assertEquals("no execution 'nope' running; " + noHistory, unknown.message());
    }

    @Test
    void callersSeeTheirOwnTenantsExecutionsOnly() throws Exception {
        ExecutionRecord theirs = new ExecutionRecord("e-acme", "acme", TASK, "direct", ExecutionStatus.RUNNING, T, null,
                null, null, null, null, null, null, null);
        ExecutionRecord ours = new ExecutionRecord("e-own", "default", TASK, "direct", ExecutionStatus.RUNNING, T,
                null, null, null, null, null, null, null, null);
        when(history.find("e-acme")).thenReturn(Optional.of(theirs));
        when(history.find("e-own")).thenReturn(Optional.of(ours));

        Answer otherTenant = call("POST", "/autonomous/analyze", operator, "{\"task\":\"x\",\"tenant\":\"acme\"}");
        assertEquals(403, otherTenant.status());
        String refusal = "only an admin may name another tenant than its own ('default'); 'tenant' was 'acme'";
        assertEquals(refusal, otherTenant.message());
        assertEquals("/tenant", otherTenant.body().path("field").asText(), "the body's field, as its 400s name it");
        when(analysis.analyze(new Task("x", "default", null))).thenReturn(ANALYSIS);
        assertEquals(200, call("POST", "/autonomous/analyze", operator, "{\"task\":\"x\"}").status(),
                "an operator's task is its own tenant's");

        Answer otherTenantsList = ServletCalls.call(servlet, "GET", "/executions", "tenant=acme",
                Map.of("X-Api-Key", viewer), null);
        assertEquals(403, otherTenantsList.status());
        assertEquals(refusal, otherTenantsList.message(), "the same words for the query parameter");
        assertEquals("tenant", otherTenantsList.body().path("field").asText(), "the query parameter, as its 400s name it");
        ServletCalls.call(servlet, "GET", "/executions", null, Map.of("X-Api-Key", viewer), null);
        org.mockito.ArgumentCaptor<HistoryQuery> query = org.mockito.ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history, org.mockito.Mockito.atLeastOnce()).query(query.capture());
        assertEquals("default", query.getValue().tenant(), "a viewer lists its own tenant's executions");

        assertEquals(404, call("GET", "/executions/e-acme", viewer, null).status(), "another tenant's is unknown");
        assertEquals(404, call("GET", "/executions/e-acme/events", viewer, null).status());
        assertEquals(200, call("GET", "/executions/e-own", viewer, null).status());
        assertEquals(200, call("GET", "/executions/e-acme", ADMIN, null).status(), "an admin sees every tenant");
    }
}
