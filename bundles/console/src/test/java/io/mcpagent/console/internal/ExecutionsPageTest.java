package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.apache.felix.webconsole.servlet.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.ExecutionCancellation.Outcome;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.InvalidOptionException;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkflowEngine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

class ExecutionsPageTest {
    private final ExecutionHistory history = mock(ExecutionHistory.class);
    private final WorkflowEngine engine = mock(WorkflowEngine.class);
    private final AuditLog audit = mock(AuditLog.class);
    private final Execution running = mock(Execution.class);
    private final AutonomousOrchestrator orchestrator = mock(AutonomousOrchestrator.class);
    private final ConsoleMasker masker = new ConsoleMasker();
    private final LiveExecutionEvents live = new LiveExecutionEvents();
    private ExecutionsPage page;
    private StringWriter body;

    @BeforeEach
    void setUp() {
        page = new ExecutionsPage(framework("io.mcpagent.history", "io.mcpagent.autonomous"), live, masker,
                new ConsoleConfiguration(Configs.console(Map.of())));
        page.bindHistory(history, Map.of("service.id", 1L));
        page.bindEngine(engine);
        page.bindAuditLog(audit, Map.of("service.id", 1L));
        page.bindOrchestrator(orchestrator);
        when(history.find("theirs")).thenReturn(Optional.of(record("theirs", "globex", "<img src=x onerror=alert(1)>")));
        when(history.find("ours")).thenReturn(Optional.of(record("ours", "acme", "count the <b>apples</b>")));
        when(history.query(any())).thenReturn(List.of(record("ours", "acme", "count the <b>apples</b>")));
        when(history.count(any())).thenReturn(1L);
        when(engine.find("ours")).thenReturn(Optional.of(running));
        when(engine.find("theirs")).thenReturn(Optional.of(running));
        // the orchestrator decides a cancellation, tenants included (DefaultAutonomousOrchestratorTest)
        when(orchestrator.cancel(eq("ours"), any())).thenReturn(new ExecutionCancellation("ours",
                Outcome.CANCELLED, ExecutionStatus.RUNNING), new ExecutionCancellation("ours", Outcome.NOT_RUNNING,
                ExecutionStatus.CANCELLED));
        when(orchestrator.cancel(eq("theirs"), any())).thenReturn(ExecutionCancellation.unknown("theirs"));
    }

    /** The context of a framework whose only bundles are these, active. */
    private static BundleContext framework(String... symbolicNames) {
        Map<String, Integer> states = new LinkedHashMap<>();
        for (String symbolicName : symbolicNames) {
            states.put(symbolicName, Bundle.ACTIVE);
        }
        return framework(states);
    }

    /** The context of a framework whose only bundles are these, in these states. */
    private static BundleContext framework(Map<String, Integer> states) {
        List<Bundle> bundles = new ArrayList<>();
        states.forEach((symbolicName, state) -> {
            Bundle bundle = mock(Bundle.class);
            when(bundle.getSymbolicName()).thenReturn(symbolicName);
            when(bundle.getState()).thenReturn(state);
            bundles.add(bundle);
        });
        BundleContext context = mock(BundleContext.class);
        when(context.getBundles()).thenReturn(bundles.toArray(Bundle[]::new));
        return context;
    }

    private static ExecutionRecord record(String id, String tenant, String task) {
        return new ExecutionRecord(id, tenant, task, "direct", ExecutionStatus.RUNNING, Instant.EPOCH, null, null, null,
                null, null, null, null, List.of());
    }

    private HttpServletRequest request(String method, String pathInfo, ConsoleUser user) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getPathInfo()).thenReturn(pathInfo);
        when(request.getAttribute(ServletConstants.ATTR_APP_ROOT)).thenReturn("/system/console");
        User consoleUser = mock(User.class);
        when(consoleUser.getUserObject()).thenReturn(user);
        when(request.getAttribute(User.USER_ATTRIBUTE)).thenReturn(consoleUser);
        return request;
    }

    private HttpServletResponse response() throws Exception {
        HttpServletResponse response = mock(HttpServletResponse.class);
        body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body, true));
        return response;
    }

    /** An action's answer: 303 See Other, so the browser fetches {@code location} with GET. */
    /** Where an action's 303 See Other sends the browser (never a 302 from sendRedirect). */
    private static String seeOtherLocation(HttpServletResponse response) throws Exception {
        verify(response).setStatus(303);
        verify(response, never()).sendRedirect(any());
        ArgumentCaptor<String> location = ArgumentCaptor.forClass(String.class);
        verify(response).setHeader(eq("Location"), location.capture());
        return location.getValue();
    }

    private static ConsoleUser user(Role role, String tenant, String token) {
        return new ConsoleUser(new Principal("key:" + role.id(), role, tenant), token);
    }

    @Test
    void aNonAdminListsOnlyItsOwnTenantWhateverTheFilterSays() throws Exception {
        HttpServletRequest request = request("GET", "/mcp-executions", user(Role.OPERATOR, "acme", "t"));
        when(request.getParameter("tenant")).thenReturn("globex");

        page.renderContent(request, response());

        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertEquals("acme", query.getValue().tenant());
        assertFalse(body.toString().contains("name=\"tenant\""), "no tenant filter for non-admins");
        assertTrue(body.toString().contains("count the &lt;b&gt;apples&lt;/b&gt;"), body.toString());
    }

    @Test
    void withTheHistoryStoppedThePageNamesTheBundleToStart() throws Exception {
        page = new ExecutionsPage(framework(Map.of("io.mcpagent.history", Bundle.RESOLVED)), live, masker,
                new ConsoleConfiguration(Configs.console(Map.of())));
        page.renderContent(request("GET", "/mcp-executions", user(Role.VIEWER, "acme", "t")), response());
        assertTrue(body.toString().contains("<p class=\"mcpa-error\">The execution history is not running; start "
                + "bundle io.mcpagent.history."), body.toString());
    }

    /**
     * With core stopped, the autonomous layer's bundle is active but its component waits for core's services: the page
     * says so, as REST and the shell do, instead of "start bundle io.mcpagent.autonomous" of an active bundle.
     */
    @Test
    void whileTheAutonomousBundleIsActiveWithoutItsServiceRunSaysItsComponentDidNotStart() throws Exception {
        page.unbindOrchestrator(orchestrator);
        ConsoleUser operator = user(Role.OPERATOR, "acme", "t0k");
        HttpServletRequest run = request("POST", "/mcp-executions/run", operator);
        when(run.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        when(run.getParameter("task")).thenReturn("count the apples");
        HttpServletResponse response = response();
        page.doPost(run, response);
        shownAfter(response, operator, "error", "The autonomous layer is not available: bundle io.mcpagent.autonomous"
                + " is active but its component did not start; see data/log/mcp-agent.log and the problems in"
                + " /api/v1/status (or plugin:problems).");
    }

    /**
     * A runtime built without the history and the autonomous layer (README "A smaller runtime"): the page says they
     * are not installed, as REST and the shell say it, instead of "start bundle ..." of a bundle that is not there.
     */
    @Test
    void inARuntimeBuiltWithoutTheHistoryAndTheAutonomousLayerThePageSaysSo() throws Exception {
        page = new ExecutionsPage(framework(), live, masker, new ConsoleConfiguration(Configs.console(Map.of())));
        page.bindEngine(engine);
        page.bindAuditLog(audit, Map.of("service.id", 1L));
        String historyNotInstalled = "The execution history is not installed (bundle io.mcpagent.history): this"
                + " runtime was built without the feature history (features/history.json).";
        page.renderContent(request("GET", "/mcp-executions", user(Role.VIEWER, "acme", "t")), response());
        assertTrue(body.toString().contains("<p class=\"mcpa-error\">" + Html.text(historyNotInstalled) + "</p>"),
                body.toString());

        page.renderContent(request("GET", "/mcp-executions/gone", user(Role.ADMIN, null, "t")), response());
        assertTrue(body.toString().contains("id=\"mcpa-not-found\">No execution gone that you may see. "
                + Html.text(historyNotInstalled) + "</p>"), body.toString());

        ConsoleUser operator = user(Role.OPERATOR, "acme", "t0k");
        String autonomousNotInstalled = "The autonomous layer is not installed (bundle io.mcpagent.autonomous): this"
                + " runtime was built without the feature autonomous (features/autonomous.json).";
        HttpServletRequest run = request("POST", "/mcp-executions/run", operator);
        when(run.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        when(run.getParameter("task")).thenReturn("count the apples");
        HttpServletResponse runResponse = response();
        page.doPost(run, runResponse);
        shownAfter(runResponse, operator, "error", autonomousNotInstalled);
        HttpServletRequest cancel = request("POST", "/mcp-executions/ours/cancel", operator);
        when(cancel.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        HttpServletResponse cancelResponse = response();
        page.doPost(cancel, cancelResponse);
        shownAfter(cancelResponse, operator, "error", autonomousNotInstalled);
    }

    @Test
    void anAdminFiltersByAnyTenant() throws Exception {
        HttpServletRequest request = request("GET", "/mcp-executions", user(Role.ADMIN, null, "t"));
        when(request.getParameter("tenant")).thenReturn("globex");
        when(request.getParameter("status")).thenReturn("running");

        page.renderContent(request, response());

        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertEquals("globex", query.getValue().tenant());
        assertEquals(ExecutionStatus.RUNNING, query.getValue().status());
    }

    @Test
    void anotherTenantsExecutionReadsAsUnknown() throws Exception {
        page.renderContent(request("GET", "/mcp-executions/theirs", user(Role.OPERATOR, "acme", "t")), response());

        assertTrue(body.toString().contains("id=\"mcpa-not-found\""), body.toString());
        assertFalse(body.toString().contains("onerror"), "nothing of it is shown");
    }

    @Test
    void aRunningExecutionOfOnesTenantShowsItsLiveSectionAndCancelForOperators() throws Exception {
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.OPERATOR, "acme", "t0k")), response());
        String html = body.toString();
        assertTrue(html.contains("data-events=\"/system/console/mcp-executions/ours/events\""), html);
        assertTrue(html.contains("id=\"mcpa-cancel\"") && html.contains("name=\"_csrf\" value=\"t0k\""), html);

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());
        assertFalse(body.toString().contains("id=\"mcpa-cancel\""), "viewers cannot cancel");
    }

    @Test
    void theDetailShowsTheDecisionsScoreAndTheAnalyzersPassedOver() throws Exception {
        TaskAnalysis analysis = new TaskAnalysis(TaskType.CODING, Complexity.SIMPLE, 1, Set.of(), 0.9, "direct",
                "one step", "heuristic", 0.9, List.of(new AnalyzerPassedOver("llm", "threw <TimeoutException>")));
        StrategyRecommendation decision = new StrategyRecommendation("direct", 0.74, "best fit", Set.of(),
                Complexity.SIMPLE, List.of(new StrategyAlternative("router", 0.45, "0.20 below direct")), 0.65);
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task", "direct",
                ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, "done", null, null, null, analysis, decision,
                List.of())));

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());

        String html = body.toString();
        assertTrue(html.contains("<td id=\"mcpa-decision-score\">65%</td>"), html);
        assertTrue(html.contains("<td id=\"mcpa-passed-over\">llm: threw &lt;TimeoutException&gt;</td>"), html);
    }

    @Test
    void anExecutionRunningOrEndedByAFallbackPatternSaysWhichDecidedPatternItFellBackFrom() throws Exception {
        StrategyRecommendation decision = new StrategyRecommendation("orchestrator", 0.74, "best fit", Set.of(),
                Complexity.SIMPLE, List.of(new StrategyAlternative("parallel", 0.45, "0.20 below")), 0.65);
        // the history names the fallback from its autonomous.fallback event on, while it runs
        ExecutionRecord running = new ExecutionRecord("ours", "acme", "task", "parallel", ExecutionStatus.RUNNING,
                Instant.EPOCH, null, null, null, null, null, null, decision, List.of());
        when(history.find("ours")).thenReturn(Optional.of(running));
        when(history.query(any())).thenReturn(List.of(running));

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<td id=\"mcpa-pattern\">parallel (fallback from orchestrator)</td>"),
                body.toString());
        page.renderContent(request("GET", "/mcp-executions", user(Role.VIEWER, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<td>parallel (fallback from orchestrator)</td>"), body.toString());

        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task", "orchestrator",
                ExecutionStatus.RUNNING, Instant.EPOCH, null, null, null, null, null, null, decision, List.of())));
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<td id=\"mcpa-pattern\">orchestrator</td>"), "the decided one runs: "
                + body);
    }

    /**
     * An execution the history has no record of (a runtime without it) is shown as the engine sees it, which knows
     * only the pattern that runs: the decision the orchestrator still holds tells the fallback, running or ended.
     */
    @Test
    void anExecutionWithoutARecordSaysWhichPatternItFellBackFromByTheOrchestratorsDecision() throws Exception {
        page.unbindHistory(Map.of("service.id", 1L));
        StrategyRecommendation decision = new StrategyRecommendation("orchestrator", 0.74, "best fit", Set.of(),
                Complexity.SIMPLE, List.of(new StrategyAlternative("parallel", 0.45, "0.20 below")), 0.65);
        when(orchestrator.decision("ours")).thenReturn(Optional.of(decision));
        when(running.pattern()).thenReturn("parallel");
        when(running.status()).thenReturn(ExecutionStatus.RUNNING);

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.ADMIN, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<td id=\"mcpa-pattern\">parallel (fallback from orchestrator)</td>"),
                body.toString());

        when(running.status()).thenReturn(ExecutionStatus.FAILED);
        when(running.result()).thenReturn(Optional.of(new ExecutionResult("ours", "parallel", ExecutionStatus.FAILED,
                null, "the fallback failed too", Usage.NONE, Instant.EPOCH, Instant.EPOCH)));
        when(running.pattern()).thenReturn("autonomous");
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.ADMIN, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<td id=\"mcpa-pattern\">parallel (fallback from orchestrator)</td>"),
                "named by the pattern that ended it: " + body);
    }

    @Test
    void theDetailShowsTheTokensWithThePartsTheyAddUpTo() throws Exception {
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task", "direct",
                ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, "done", null,
                new Usage(500, 100, 60, 20, 80, 30, 25, Map.of()), BigDecimal.ONE, null, null, List.of())));
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<tr><th>Tokens</th><td id=\"mcpa-tokens\">605 = input 500 (cache read 100,"
                + " cache write 60 (1 h 20)) + tool prompt 25 + output 80 (reasoning 30)</td></tr>"), body.toString());
    }

    @Test
    void theDetailShowsTheCostWithoutPaddingZerosAndOneFarBelowACentInENotation() throws Exception {
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task", "direct",
                ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, "done", null, null,
                new BigDecimal("0.0015000000"), null, null, List.of())));
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<tr><th>Cost (USD)</th><td>0.0015</td></tr>"), body.toString());

        // ExecutionHistory is a service anyone may provide: written out, this cost would be a thousand zeros
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task", "direct",
                ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, "done", null, null,
                new BigDecimal("1e-1000"), null, null, List.of())));
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<tr><th>Cost (USD)</th><td>1E-1000</td></tr>"), body.toString());
    }

    @Test
    void theDetailShowsTheWarningsOfASucceededExecutionAndNoneWhenItHasNone() throws Exception {
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task",
                "evaluator-optimizer", ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, "draft 2", null, null,
                null, null, null, List.of(), List.of("no draft was accepted: none reached minRating 4 <of 5>"))));

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());

        String html = body.toString();
        assertTrue(html.contains("<tr><th>Warnings</th><td><ul id=\"mcpa-warnings\" class=\"mcpa-warning\"><li>no draft"
                + " was accepted: none reached minRating 4 &lt;of 5&gt;</li></ul></td></tr>"), html);

        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task", "direct",
                ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, "done", null, null, null, null, null,
                List.of())));
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());
        assertFalse(body.toString().contains("mcpa-warnings"), body.toString());
    }

    @Test
    void aToolCallsWholeResultCanBeOpenedWhileTheTableShowsItsStart() throws Exception {
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task", "direct",
                ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, "done", null, null, null, null, null,
                List.of())));
        String result = "fs/read {} -> result: " + "<line>".repeat(100) + "the end";
        when(history.steps("ours")).thenReturn(List.of(
                new ExecutionStep(1, Instant.EPOCH, "agent.tool.finished", "reader", "fs_read", Duration.ofMillis(3),
                        null, null, false, result),
                new ExecutionStep(2, Instant.EPOCH, "agent.tool.finished", "reader", "fs_list", Duration.ofMillis(3),
                        null, null, false, "fs/list {} -> result: a.txt")));

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.VIEWER, "acme", "t0k")), response());

        String html = body.toString();
        assertTrue(html.contains("<details class=\"mcpa-step-detail\"><summary>all " + result.length()
                + " characters</summary><pre>" + Html.text(result) + "</pre></details>"), html);
        assertTrue(html.contains("<td>fs/list {} -&gt; result: a.txt</td>"), "a short one as it is: " + html);
    }

    @Test
    void anExecutionQueuedForAdmissionShowsItsStatusItsLiveSectionAndCancel() throws Exception {
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "wait", "direct",
                ExecutionStatus.QUEUED, Instant.EPOCH, null, null, null, null, null, null, null, List.of())));

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.OPERATOR, "acme", "t0k")), response());

        String html = body.toString();
        assertTrue(html.contains("<span class=\"mcpa-status mcpa-queued\">QUEUED</span>"), html);
        assertTrue(html.contains("data-events=\"/system/console/mcp-executions/ours/events\""), html);
        assertTrue(html.contains("id=\"mcpa-cancel\""), "it can be cancelled while it waits: " + html);
        assertEquals(ExecutionStatus.QUEUED, ExecutionsPage.parseStatus("queued"), "and filtered by");
    }

    @Test
    void cancellingNeedsTheCsrfTokenThenTheOperatorRoleAndIsAudited() throws Exception {
        HttpServletResponse forged = response();
        page.doPost(request("POST", "/mcp-executions/ours/cancel", user(Role.OPERATOR, "acme", "t0k")), forged);
        verify(forged).setStatus(403);
        assertTrue(body.toString().contains("CSRF token"), body.toString());

        HttpServletRequest byViewer = request("POST", "/mcp-executions/ours/cancel", user(Role.VIEWER, "acme", "t0k"));
        when(byViewer.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        HttpServletResponse refused = response();
        page.doPost(byViewer, refused);
        verify(refused).setStatus(403);
        verify(orchestrator, never()).cancel(any(), any());

        ConsoleUser operator = user(Role.OPERATOR, "acme", "t0k");
        HttpServletRequest byOperator = request("POST", "/mcp-executions/ours/cancel", operator);
        when(byOperator.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        HttpServletResponse done = response();
        page.doPost(byOperator, done);
        verify(orchestrator).cancel("ours", operator.principal());
        assertEquals("/system/console/mcp-executions/ours", shownAfter(done, operator, "notice", "Cancelled."));
        HttpServletResponse again = response();
        page.doPost(byOperator, again);
        shownAfter(again, operator, "error", "The execution is not running (CANCELLED), so there is nothing to cancel.");

        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(audit, times(3)).record(entries.capture());
        assertEquals(List.of(AuditEntry.DENIED, AuditEntry.DENIED, AuditEntry.SUCCEEDED),
                entries.getAllValues().stream().map(AuditEntry::outcome).toList());
        // the forged request first, as a foreign Origin is audited (it was not)
        assertEquals(List.of("console.csrf", "execution.cancel", "execution.cancel"),
                entries.getAllValues().stream().map(AuditEntry::action).toList());
        assertEquals("/mcp-executions/ours/cancel", entries.getAllValues().get(0).target());
    }

    @Test
    void anOperatorCannotCancelAnotherTenantsExecution() throws Exception {
        HttpServletRequest request = request("POST", "/mcp-executions/theirs/cancel", user(Role.OPERATOR, "acme", null));
        HttpServletResponse response = response();

        page.doPost(request, response);

        verify(response).setStatus(404);
        verify(audit, never()).record(any());
    }

    @Test
    void aBadFilterOrPageIs400NamingTheParameterAndListsNothing() throws Exception {
        Map<String, String> expected = Map.of(
                "status=bogus", "The query parameter &#39;status&#39; must be one of queued, running, succeeded,"
                        + " failed, cancelled, interrupted or empty for any, not &#39;bogus&#39;.",
                "limit=abc", "The query parameter &#39;limit&#39; must be a whole number from 1 to 1000, not"
                        + " &#39;abc&#39;.",
                "limit=5000", "The query parameter &#39;limit&#39; must be a whole number from 1 to 1000, not"
                        + " &#39;5000&#39;.",
                "offset=-5", "The query parameter &#39;offset&#39; must be a whole number from 0 to 2147483647, not"
                        + " &#39;-5&#39;.");
        for (Map.Entry<String, String> bad : expected.entrySet()) {
            String[] parameter = bad.getKey().split("=");
            HttpServletRequest request = request("GET", "/mcp-executions", user(Role.ADMIN, null, "t"));
            when(request.getParameter(parameter[0])).thenReturn(parameter[1]);
            HttpServletResponse response = response();

            page.renderContent(request, response);

            verify(response).setStatus(400);
            assertTrue(body.toString().contains("id=\"mcpa-bad-parameter\">" + bad.getValue()), body.toString());
            assertFalse(body.toString().contains("id=\"mcpa-executions\""), "no list of everything instead");
        }
        verify(history, never()).query(any());
    }

    @Test
    void theFilterAndPageAskedForAreApplied() throws Exception {
        HttpServletRequest request = request("GET", "/mcp-executions", user(Role.ADMIN, null, "t"));
        when(request.getParameter("status")).thenReturn(" cancelled ");
        when(request.getParameter("limit")).thenReturn("1000");
        when(request.getParameter("offset")).thenReturn("50");
        HttpServletResponse response = response();

        page.renderContent(request, response);

        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertEquals(ExecutionStatus.CANCELLED, query.getValue().status());
        assertEquals(1000, query.getValue().limit());
        assertEquals(50, query.getValue().offset());
        verify(response, never()).setStatus(400);
    }

    /** The paging line and links for {@code offset} and {@code limit} over 7 executions of which none is shown. */
    private String pagingPastTheEnd(String offset, String limit) throws Exception {
        when(history.query(any())).thenReturn(List.of());
        when(history.count(any())).thenReturn(7L);
        HttpServletRequest request = request("GET", "/mcp-executions", user(Role.ADMIN, null, "t"));
        when(request.getParameter("offset")).thenReturn(offset);
        when(request.getParameter("limit")).thenReturn(limit);
        page.renderContent(request, response());
        String html = body.toString();
        return html.substring(html.indexOf("<p id=\"mcpa-paging\">"));
    }

    @Test
    void aPagePastTheEndSaysSoAndLeadsBackToTheLastPage() throws Exception {
        String paging = pagingPastTheEnd("100", "25");

        assertTrue(paging.startsWith("<p id=\"mcpa-paging\">No executions from 101 on; there are 7."), paging);
        assertTrue(paging.contains("?offset=0&limit=25\">Newer</a>"), paging);
        assertFalse(paging.contains("Older"), paging);
    }

    @Test
    void aPageInTheMiddleLeadsToTheNewerAndTheOlderOnes() throws Exception {
        when(history.query(any())).thenReturn(List.of(record("a", "acme", "a"), record("b", "acme", "b")));
        when(history.count(any())).thenReturn(7L);
        HttpServletRequest request = request("GET", "/mcp-executions", user(Role.ADMIN, null, "t"));
        when(request.getParameter("offset")).thenReturn("2");
        when(request.getParameter("limit")).thenReturn("2");
        page.renderContent(request, response());
        String paging = body.toString().substring(body.toString().indexOf("<p id=\"mcpa-paging\">"));

        assertTrue(paging.startsWith("<p id=\"mcpa-paging\">Executions 3 to 4 of 7."), paging);
        assertTrue(paging.contains("?offset=0&limit=2\">Newer</a>"), paging);
        assertTrue(paging.contains("?offset=4&limit=2\">Older</a>"), paging);
    }

    @Test
    void theLargestOffsetDoesNotOverflowThePaging() throws Exception {
        String paging = pagingPastTheEnd("2147483647", "1000");

        assertTrue(paging.startsWith("<p id=\"mcpa-paging\">No executions from 2147483648 on; there are 7."), paging);
        assertFalse(paging.contains("-2147483648"), paging);
        assertTrue(paging.contains("?offset=0&limit=1000\">Newer</a>"), paging);
    }

    /** Half an emoji would reach the page as a lone surrogate: bytes that are no UTF-8, shown as a replacement. */
    @Test
    void aTaskIsShortenedWithoutSplittingAnEmoji() {
        String task = "a".repeat(118) + "\uD83D\uDE00" + " and more";

        String shortened = ExecutionsPage.shorten(task, 120);

        assertEquals("a".repeat(118) + "\u2026", shortened);
        assertEquals("a".repeat(117) + "\uD83D\uDE00\u2026", ExecutionsPage.shorten("a".repeat(117) + "\uD83D\uDE00"
                + " and more", 120));
        assertEquals("abcd", ExecutionsPage.shorten("abcd", 4));
    }

    @Test
    void anEmptyStatusMeansAny() throws Exception {
        HttpServletRequest request = request("GET", "/mcp-executions", user(Role.ADMIN, null, "t"));
        when(request.getParameter("status")).thenReturn("");

        page.renderContent(request, response());

        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertNull(query.getValue().status());
    }

    @Test
    void anUnknownExecutionIs404() throws Exception {
        HttpServletResponse unknown = response();
        page.renderContent(request("GET", "/mcp-executions/nope", user(Role.ADMIN, null, "t")), unknown);
        verify(unknown).setStatus(404);
        assertTrue(body.toString().contains("id=\"mcpa-not-found\""), body.toString());

        HttpServletResponse theirs = response();
        page.renderContent(request("GET", "/mcp-executions/theirs", user(Role.OPERATOR, "acme", "t")), theirs);
        verify(theirs).setStatus(404);
    }

    /** Posts the run form with {@code task} as an operator and checks the page says {@code refusal}. */
    private void assertRunRefused(String task, String refusal) throws Exception {
        HttpServletRequest request = request("POST", "/mcp-executions/run", user(Role.OPERATOR, "acme", "t0k"));
        when(request.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        when(request.getParameter("task")).thenReturn(task);
        HttpServletResponse response = response();

        page.doPost(request, response);

        assertEquals("/system/console/mcp-executions", shownAfter(response, user(Role.OPERATOR, "acme", "t0k"),
                "error", refusal));
    }

    /**
     * Follows the redirect an action answered with, as the user's browser does, and checks the page shows
     * {@code message} as its {@code kind} ("notice" or "error"); returns the path redirected to.
     */
    private String shownAfter(HttpServletResponse actionResponse, ConsoleUser user, String kind, String message)
            throws Exception {
        URI redirect = URI.create(seeOtherLocation(actionResponse));
        HttpServletRequest followed = request("GET", redirect.getPath().substring("/system/console".length()), user);
        for (String parameter : redirect.getRawQuery().split("&")) {
            String[] nameAndValue = parameter.split("=", 2);
            when(followed.getParameter(nameAndValue[0]))
                    .thenReturn(URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8));
        }
        page.renderContent(followed, response());
        assertTrue(body.toString().contains("id=\"mcpa-" + kind + "\">" + Html.text(message) + "</p>"),
                body.toString());
        return redirect.getPath();
    }

    @Test
    void aCraftedNoticeLinkShowsNothingOnlyWhatAnActionSignedForTheUser() throws Exception {
        ConsoleUser operator = user(Role.OPERATOR, "acme", "t0k");
        HttpServletRequest crafted = request("GET", "/mcp-executions", operator);
        when(crafted.getParameter("notice")).thenReturn("Your key expired, paste it at evil.example");
        when(crafted.getParameter("error")).thenReturn("Your key expired, paste it at evil.example");
        when(crafted.getParameter("sig")).thenReturn("forged");
        page.renderContent(crafted, response());
        assertFalse(body.toString().contains("evil.example"), body.toString());

        HttpServletRequest cancel = request("POST", "/mcp-executions/ours/cancel", operator);
        when(cancel.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        HttpServletResponse cancelled = response();
        page.doPost(cancel, cancelled);
        String signature = seeOtherLocation(cancelled).replaceFirst(".*[?&]sig=", "");

        HttpServletRequest ofAnotherUser = request("GET", "/mcp-executions/ours",
                new ConsoleUser(new Principal("key:mallory", Role.OPERATOR, "acme"), "t1"));
        when(ofAnotherUser.getParameter("notice")).thenReturn("Cancelled.");
        when(ofAnotherUser.getParameter("sig")).thenReturn(signature);
        page.renderContent(ofAnotherUser, response());
        assertTrue(body.toString().contains("mcpa-who"), body.toString());
        assertFalse(body.toString().contains("Cancelled."), "signed for another user: " + body);

        HttpServletRequest anotherText = request("GET", "/mcp-executions/ours", operator);
        when(anotherText.getParameter("notice")).thenReturn("Your key expired, paste it at evil.example");
        when(anotherText.getParameter("sig")).thenReturn(signature);
        page.renderContent(anotherText, response());
        assertFalse(body.toString().contains("evil.example"), body.toString());
    }

    @Test
    void aTaskWithAControlCharacterIsRefusedAsTheRestApiRefusesIt() throws Exception {
        assertRunRefused("hel\u0001lo", "Not started: the task holds the control character U+0001 at 3; give the task as plain text.");
        verify(orchestrator, never()).submit(any(), any());
    }

    @Test
    void aTaskLongerThanTheSharedLimitIsRefusedAsTheRestApiRefusesIt() throws Exception {
        assertRunRefused("x".repeat(Task.MAX_CHARS + 1), "Not started: the task is 100001 characters long; at most 100000 are taken.");
        verify(orchestrator, never()).submit(any(), any());
    }

    @Test
    void aTaskStartsAtOnceAndItsPageFollowsItsAnalysis() throws Exception {
        ConsoleUser operator = user(Role.OPERATOR, "acme", "t0k");
        HttpServletRequest request = request("POST", "/mcp-executions/run", operator);
        when(request.getParameter(CsrfProtection.FIELD)).thenReturn("t0k");
        when(request.getParameter("task")).thenReturn("count the apples");
        when(request.getParameter("pattern")).thenReturn("direct");
        when(running.executionId()).thenReturn("ours");
        when(orchestrator.submit(any(), any())).thenReturn(running);
        HttpServletResponse response = response();

        page.doPost(request, response);

        // a failed analysis, a blocked plan or a cancellation meanwhile ends it there: no "Not started" for it
        assertEquals("/system/console/mcp-executions/ours", shownAfter(response, operator, "notice",
                "Started; its task is being analysed."));
        ArgumentCaptor<Task> task = ArgumentCaptor.forClass(Task.class);
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).submit(task.capture(), options.capture());
        assertEquals("acme", task.getValue().tenant());
        assertEquals("direct", options.getValue().pattern());
        verify(orchestrator, never()).execute(any(), any()); // which waits for the analysis, holding the form
    }

    @Test
    void aRefusalOfTheOrchestratorIsSaidMaskedAsTheRestApiMasksIt() throws Exception {
        String secret = "literal-XSECRET-777"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        when(orchestrator.submit(any(), any())).thenThrow(new IllegalStateException("nothing runs now: the provider"
                + " answered " + secret));
        assertRunRefused("count the apples", "Not started:"
                + " nothing runs now: the provider answered " + Secrets.MASK);
    }

    @Test
    void aPatternThatIsNotInstalledIsSaidOnThePageAndNothingStarts() throws Exception {
        when(orchestrator.submit(any(), any())).thenThrow(new InvalidOptionException("pattern",
                "no workflow pattern 'chain' is installed; installed: direct"));
        assertRunRefused("count the apples", "Not started: no workflow pattern 'chain' is installed; installed:"
                + " direct");
    }

    @Test
    void anAutonomousExecutionNotPlannedYetOrEndedBeforeSaysNoPatternIsChosenNotAPatternNamedAutonomous()
            throws Exception {
        ExecutionRecord analysing = new ExecutionRecord("ours", "acme", "task", ExecutionsPage.NOT_YET_PLANNED,
                ExecutionStatus.QUEUED, Instant.EPOCH, null, null, null, null, null, null, null, List.of());
        when(history.find("ours")).thenReturn(Optional.of(analysing));
        when(history.query(any())).thenReturn(List.of(analysing));
        String notYet = "not chosen yet: its task is being analysed";

        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.OPERATOR, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<th>Pattern</th><td id=\"mcpa-pattern\" data-not-chosen>" + notYet
                + "</td>"), "marked for the live progress to fill in: " + body);
        assertTrue(body.toString().contains("id=\"mcpa-cancel\""), "it can be cancelled meanwhile: " + body);
        page.renderContent(request("GET", "/mcp-executions", user(Role.OPERATOR, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<td>" + notYet + "</td>"), body.toString());

        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "task",
                ExecutionsPage.NOT_YET_PLANNED, ExecutionStatus.CANCELLED, Instant.EPOCH, Instant.EPOCH, null,
                "cancelled by request", null, null, null, null, List.of())));
        page.renderContent(request("GET", "/mcp-executions/ours", user(Role.OPERATOR, "acme", "t0k")), response());
        assertTrue(body.toString().contains("<th>Pattern</th><td id=\"mcpa-pattern\" data-not-chosen>none: it ended"
                + " before its task was planned</td>"), body.toString());
    }

    @Test
    void theRunFormAllowsAsManyCharactersAsTheSharedLimit() throws Exception {
        page.renderContent(request("GET", "/mcp-executions", user(Role.OPERATOR, "acme", "t0k")), response());

        assertTrue(body.toString().contains("maxlength=\"100000\""), body.toString());
    }

    /**
     * The live progress opens with the pattern row as the record tells it now: a pattern decided after the page was
     * sent and before its stream connected stayed "not chosen yet" until a reload. While none is chosen, the row is
     * left for the events to fill in.
     */
    @Test
    void theLiveProgressOpensWithThePatternChosenSoFar() throws Exception {
        ConsoleUser viewer = new ConsoleUser(new Principal("key:watcher", Role.VIEWER, "acme"), "t");
        StringWriter decided;
        StringWriter notYet;
        try (ExecutorService pages = Executors.newVirtualThreadPerTaskExecutor()) {
            decided = openStream(pages, viewer);
            ExecutionRecord analysing = new ExecutionRecord("ours", "acme", "task", ExecutionsPage.NOT_YET_PLANNED,
                    ExecutionStatus.RUNNING, Instant.EPOCH, null, null, null, null, null, null, null, List.of());
            when(history.find("ours")).thenReturn(Optional.of(analysing));
            when(engine.find("ours")).thenReturn(Optional.empty());
            notYet = openStream(pages, viewer);
            live.onEvent(new ExecutionStatusEvent(Instant.EPOCH, ExecutionStatusEvent.FINISHED, "ours", "direct",
                    ExecutionStatus.SUCCEEDED, null));
        } // both streams ended with the execution

        assertTrue(decided.toString().startsWith("data: {\"type\":\"status\",\"status\":\"RUNNING\","
                + "\"pattern\":\"direct\"}\n\n"), decided.toString());
        assertTrue(notYet.toString().startsWith("data: {\"type\":\"status\",\"status\":\"RUNNING\"}\n\n"),
                notYet.toString());
    }

    @Test
    void anEventsMessageIsMadeAndMaskedOnceForAllTheStreamsFollowingItsExecution() throws Exception {
        AtomicInteger described = new AtomicInteger();
        masker.bindMasker(text -> {
            if (text != null && text.contains("sharded-router")) {
                described.incrementAndGet();
            }
            return text;
        });
        List<StringWriter> streams = new ArrayList<>();
        try (ExecutorService pages = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) {
                streams.add(openStream(pages, new ConsoleUser(new Principal("key:watcher-" + i, Role.VIEWER, "acme"),
                        "t")));
            }
            live.onEvent(new PatternEvent(Instant.EPOCH, "ours", "sharded-router", "route", "to research"));
            live.onEvent(new ExecutionStatusEvent(Instant.EPOCH, ExecutionStatusEvent.FINISHED, "ours", "direct",
                    ExecutionStatus.SUCCEEDED, null));
        }

        assertEquals(1, described.get(), "made once, not once per stream");
        for (StringWriter stream : streams) {
            assertTrue(stream.toString().contains("\"text\":\"sharded-router route\""), stream.toString());
            assertTrue(stream.toString().endsWith("data: {\"type\":\"end\",\"status\":\"SUCCEEDED\"}\n\n"),
                    stream.toString());
        }
    }

    @Test
    void progressStreamsAreBoundedPerUserAndInAllWith429NamingTheLimit() throws Exception {
        List<ConsoleUser> users = new ArrayList<>();
        for (int i = 0; i < 100 / 10; i++) { // maxLiveStreams / maxLiveStreamsPerUser by default
            users.add(new ConsoleUser(new Principal("key:watcher-" + i, Role.VIEWER, "acme"), "t"));
        }
        List<StringWriter> streams = new ArrayList<>();
        try (ExecutorService pages = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                for (ConsoleUser user : users) {
                    for (int i = 0; i < 10; i++) {
                        streams.add(openStream(pages, user));
                    }
                    if (user == users.get(0)) {
                        HttpServletResponse oneMore = refusedStream(pages, user);
                        verify(oneMore).setHeader("Retry-After", "5");
                        assertEquals("The console user key:watcher-0 has 10 live progress streams open, the most one"
                                + " user may (10, maxLiveStreamsPerUser in etc/io.mcpagent.console.cfg.json); close"
                                + " one (a stream also ends with its execution) and try again.\n",
                                body.toString());
                    }
                }
                HttpServletResponse overAll = refusedStream(pages, user(Role.ADMIN, null, "t"));
                verify(overAll).setHeader("Retry-After", "5");
                assertEquals("The console has 100 live progress streams open, the most it serves at once (100,"
                        + " maxLiveStreams in etc/io.mcpagent.console.cfg.json); try again later (the execution's page"
                        + " shows its record meanwhile).\n", body.toString());
            } finally {
                // ends the open streams, also when an assertion failed
                live.onEvent(new ExecutionStatusEvent(Instant.EPOCH, ExecutionStatusEvent.FINISHED, "ours", "direct",
                        ExecutionStatus.SUCCEEDED, null));
            }
        }
        for (StringWriter stream : streams) {
            assertTrue(stream.toString().endsWith("data: {\"type\":\"end\",\"status\":\"SUCCEEDED\"}\n\n"),
                    stream.toString());
        }
        // the places are free again once the streams ended
        when(history.find("ours")).thenReturn(Optional.of(new ExecutionRecord("ours", "acme", "count", "direct",
                ExecutionStatus.SUCCEEDED, Instant.EPOCH, Instant.EPOCH, null, null, null, null, null, null, List.of())));
        when(engine.find("ours")).thenReturn(Optional.empty());
        HttpServletResponse again = response();
        page.doGet(request("GET", "/mcp-executions/ours/events", users.get(0)), again);
        verify(again).setStatus(200);
    }

    /** Opens a progress stream of the running execution "ours" and waits until it streams; returns what it wrote. */
    private StringWriter openStream(ExecutorService pages, ConsoleUser user) throws Exception {
        HttpServletRequest request = request("GET", "/mcp-executions/ours/events", user);
        HttpServletResponse response = mock(HttpServletResponse.class);
        StringWriter written = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(written, true));
        CountDownLatch streaming = new CountDownLatch(1);
        doAnswer(invocation -> {
            streaming.countDown();
            return null;
        }).when(response).setContentType("text/event-stream");
        pages.submit(() -> {
            page.doGet(request, response);
            return null;
        });
        assertTrue(streaming.await(10, TimeUnit.SECONDS), "the stream of " + user.principal().actor() + " opened");
        return written;
    }

    /** A stream over a limit: refused at once (one let through would stream until the end, so it is not waited for). */
    private HttpServletResponse refusedStream(ExecutorService pages, ConsoleUser user) throws Exception {
        HttpServletRequest request = request("GET", "/mcp-executions/ours/events", user);
        HttpServletResponse response = response();
        Future<?> answered = pages.submit(() -> {
            page.doGet(request, response);
            return null;
        });
        answered.get(10, TimeUnit.SECONDS);
        verify(response).setStatus(429);
        return response;
    }
}
