package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.after;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AnalysisCacheStats;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.ExecutionCancellation.Outcome;
import io.mcpagent.api.autonomous.FailedExecution;
import io.mcpagent.api.autonomous.InvalidOptionException;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.history.ExecutionStep;
import io.mcpagent.api.history.HistoryQuery;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.AnalyzerPassedOver;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;

class AgentCommandsTest {
    /** What the commands say of the history in a runtime built without it (the context names no features). */
    static final String HISTORY_NOT_INSTALLED = BundleServices.notInstalled("the execution history",
            "io.mcpagent.history", "history");
    private static final org.apache.felix.service.command.CommandSession SESSION = TestSessions.session();
    private static final String TASK = "read the files in /data and write a summary to summary.md";
    private static final TaskAnalysis ANALYSIS = new TaskAnalysis(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 3,
            Set.of("file_write", "file_read"), 0.82, "orchestrator", "reads then writes", "heuristic");
    private static final StrategyRecommendation STRATEGY = new StrategyRecommendation("orchestrator", 0.74,
            "orchestrator fits 3 dependent steps", Set.of("filesystem"), Complexity.MODERATE,
            List.of(new StrategyAlternative("direct", 0.41, "one agent could try")), 0.88);
    private static final AgentPlan AGENTS = new AgentPlan(List.of(new PlannedAgent(
            AgentSpec.of("files", "You handle files", "filesystem"), AgentRole.SPECIALIST,
            Set.of("file_read", "file_write"), "covers file_read, file_write")), Set.of(), Set.of());

    private static final String EXECUTE_USAGE = "agent:execute [options] \"<task>\" (help agent:execute lists the"
            + " options)";
    private static final String ANALYZE_USAGE = "agent:analyze \"<task>\" | agent:analyze --task-file <file>";
    private static final String PLAN_USAGE = "agent:plan [options] \"<task>\" (help agent:plan lists the options)";
    private static final String HISTORY_USAGE = "agent:history [--status s] [--since when] [--tenant t] [--limit n]"
            + " | agent:history <n>";

    private final AnalysisService analysis = mock(AnalysisService.class);
    private final AutonomousOrchestrator orchestrator = mock(AutonomousOrchestrator.class);
    private final ExecutionHistory history = mock(ExecutionHistory.class);
    private final ShellMasker masker = new ShellMasker();
    private final AgentCommands commands = new AgentCommands(TestSessions.framework(Map.of()), TestSessions.admin(),
            masker);

    private void bindAll() {
        commands.bindAnalysis(analysis);
        commands.bindOrchestrator(orchestrator);
        commands.bindHistory(history, Map.of("service.id", 1L));
    }

    private static AutonomousPlan plan(List<String> blockers) {
        return new AutonomousPlan(Task.of(TASK), ANALYSIS, STRATEGY, AGENTS, blockers);
    }

    /**
     * What agent:execute shows on the console: what it printed as it went (the plan and the execution id, before it
     * waits for the result), then what it returned.
     */
    private static String executed(AgentCommands commands, String... words) throws InterruptedException {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        org.apache.felix.service.command.CommandSession session = TestSessions.session(
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        String returned = commands.execute(session, words);
        return printed.toString(java.nio.charset.StandardCharsets.UTF_8) + returned;
    }

    @Test
    void analyzePrintsEverySignalAndTheCacheHitRate() {
        bindAll();
        when(analysis.analyze(Task.of(TASK))).thenReturn(ANALYSIS);
        when(analysis.cacheStats()).thenReturn(new AnalysisCacheStats(3, 1, 4, 1024));

        String out = commands.analyze(SESSION, "  " + TASK + " ");

        assertEquals("""
                analysis (heuristic, confidence 82%):
                  type: MULTI_DOMAIN, complexity: MODERATE, steps: 3
                  capabilities (confidence 82%): file_read, file_write
                  recommended pattern: orchestrator
                  why: reads then writes
                cache hit rate: 75%""", out);
    }

    /** A console line holds no line break: a many-line task comes from a file, for analyze, plan and execute. */
    @Test
    void analyzePlanAndExecuteReadAManyLineTaskFromTaskFile(@TempDir Path dir) throws Exception {
        bindAll();
        String task = "Read the notes in /tmp/notes.\nThen write summary.md:\n- one line per note";
        Path file = Files.writeString(dir.resolve("task.md"), task + "\n");
        when(analysis.analyze(any())).thenReturn(ANALYSIS);
        when(analysis.cacheStats()).thenReturn(new AnalysisCacheStats(0, 1, 1, 1024));
        when(orchestrator.plan(any(), any())).thenReturn(plan(List.of()));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), null));

        commands.analyze(SESSION, "--task-file", file.toString());
        commands.plan(SESSION, "--task-file", file.toString(), "--pattern", "direct");
        commands.execute(SESSION, "--dry-run", "--task-file", file.toString());

        ArgumentCaptor<Task> analysed = ArgumentCaptor.forClass(Task.class);
        verify(analysis).analyze(analysed.capture());
        assertEquals(task, analysed.getValue().text());
        ArgumentCaptor<Task> planned = ArgumentCaptor.forClass(Task.class);
        verify(orchestrator).plan(planned.capture(), any());
        assertEquals(task, planned.getValue().text());
        ArgumentCaptor<Task> executed = ArgumentCaptor.forClass(Task.class);
        verify(orchestrator).execute(executed.capture(), any());
        assertEquals(task, executed.getValue().text());

        assertEquals("give the task in quotes or with --task-file, not both: " + PLAN_USAGE, assertThrows(
                IllegalArgumentException.class, () -> commands.plan(SESSION, "a task", "--task-file",
                        file.toString())).getMessage());
        Path missing = dir.resolve("missing.md");
        assertEquals("cannot read the task from --task-file " + missing + " (java.nio.file.NoSuchFileException: "
                + missing + ")", assertThrows(IllegalArgumentException.class,
                () -> commands.analyze(SESSION, "--task-file", missing.toString())).getMessage());
    }

    /** A command typed at the first prompt, while the framework still moves up its start levels. */
    @Test
    void aCommandWhileTheRuntimeIsStartingWaitsForItsServiceInsteadOfSayingStartIt() throws Exception {
        AtomicInteger frameworkState = new AtomicInteger(Bundle.STARTING);
        AgentCommands starting = new AgentCommands(startingFramework(frameworkState), TestSessions.admin(), masker);
        when(analysis.analyze(Task.of(TASK))).thenReturn(ANALYSIS);
        when(analysis.cacheStats()).thenReturn(new AnalysisCacheStats(0, 1, 0, 1024));

        CompletableFuture<String> typed = CompletableFuture.supplyAsync(() -> starting.analyze(SESSION, TASK));
        Thread.sleep(300);
        assertFalse(typed.isDone(), "answered before the service came: " + typed);
        starting.bindAnalysis(analysis);

        assertTrue(typed.get(10, TimeUnit.SECONDS).startsWith("analysis (heuristic, confidence 82%)"));
    }

    @Test
    void aCommandWaitingWhileTheRuntimeStartsSaysStartItOnceTheRuntimeHasStartedWithoutTheService() throws Exception {
        AtomicInteger frameworkState = new AtomicInteger(Bundle.STARTING);
        BundleContext context = startingFramework(frameworkState);
        Bundle autonomous = mock(Bundle.class);
        when(autonomous.getSymbolicName()).thenReturn("io.mcpagent.autonomous");
        when(autonomous.getState()).thenReturn(Bundle.RESOLVED);
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous});
        AgentCommands starting = new AgentCommands(context, TestSessions.admin(), masker);

        CompletableFuture<String> typed = CompletableFuture.supplyAsync(() -> starting.analyze(SESSION, TASK));
        Thread.sleep(300);
        assertFalse(typed.isDone(), "answered while the runtime was starting: " + typed);
        frameworkState.set(Bundle.ACTIVE);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> typed.get(10, TimeUnit.SECONDS));
        assertEquals(AgentCommands.AUTONOMOUS_NOT_RUNNING, failed.getCause().getMessage());
    }

    /** A framework whose system bundle is in {@code state} and nothing else is installed. */
    private static BundleContext startingFramework(AtomicInteger state) {
        BundleContext context = TestSessions.framework(Map.of());
        Bundle framework = mock(Bundle.class);
        when(framework.getState()).thenAnswer(invocation -> state.get());
        when(context.getBundle(0)).thenReturn(framework);
        return context;
    }

    @Test
    void analyzeNamesTheAnalyzersPassedOverAndWhy() {
        bindAll();
        when(analysis.analyze(Task.of(TASK))).thenReturn(ANALYSIS.withPassedOver(List.of(new AnalyzerPassedOver("llm",
                "no information (confidence 0): llm: failed: the LLM call failed, NOT_FOUND: no provider"))));
        when(analysis.cacheStats()).thenReturn(new AnalysisCacheStats(0, 1, 0, 1024));

        String out = commands.analyze(SESSION, TASK);

        assertTrue(out.contains("\n  why: reads then writes\n  passed over: llm: no information (confidence 0): llm: "
                + "failed: the LLM call failed, NOT_FOUND: no provider\ncache hit rate: 0%"), out);
    }

    @Test
    void aServiceOfAnActiveBundleThatIsMissingIsSaidNotToHaveStartedAndOfAStoppedOneToNeedStarting() {
        AgentCommands partly = new AgentCommands(TestSessions.framework(Map.of("io.mcpagent.autonomous", Bundle.ACTIVE,
                "io.mcpagent.history", Bundle.RESOLVED)), TestSessions.admin(), new ShellMasker());
        assertEquals("the task analysis is not available: bundle io.mcpagent.autonomous is active but its component"
                + " did not start; see data/log/mcp-agent.log and the problems in /api/v1/status (or plugin:problems)",
                assertThrows(IllegalStateException.class, () -> partly.analyze(SESSION, TASK)).getMessage());
        assertEquals(AgentCommands.HISTORY_NOT_RUNNING,
                assertThrows(IllegalStateException.class, () -> partly.history(SESSION, "5")).getMessage());
    }

    /**
     * The history kept disabled until its database answers: DS shows no failure of its component, the recovery's
     * problem says why, as REST's 503 says it. The shell said only that its component did not start, and pointed to
     * /status. A reporter whose component is not active (the history's own, its activation failed) is not asked for:
     * that would activate it again.
     */
    @Test
    void aMissingServiceWhoseComponentHasAProblemIsNamedWithTheProblemMaskedAsRestNamesIt() throws Exception {
        Bundle history = mock(Bundle.class);
        when(history.getSymbolicName()).thenReturn("io.mcpagent.history");
        when(history.getState()).thenReturn(Bundle.ACTIVE);
        ComponentDescriptionDTO component = new ComponentDescriptionDTO();
        component.name = "io.mcpagent.history.internal.HistoryComponent";
        ComponentDescriptionDTO recovery = new ComponentDescriptionDTO();
        recovery.name = "io.mcpagent.history.internal.HistoryRecovery";
        ComponentConfigurationDTO recoveryActive = new ComponentConfigurationDTO();
        recoveryActive.id = 3;
        recoveryActive.state = ComponentConfigurationDTO.ACTIVE;
        ComponentConfigurationDTO failed = new ComponentConfigurationDTO();
        failed.id = 4;
        failed.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
        ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
        when(scr.getComponentDescriptionDTOs(history)).thenReturn(List.of(component, recovery));
        when(scr.getComponentConfigurationDTOs(component)).thenReturn(List.of(failed));
        when(scr.getComponentConfigurationDTOs(recovery)).thenReturn(List.of(recoveryActive));
        String waiting = "component io.mcpagent.history.internal.HistoryComponent is disabled until its database"
                + " answers: cannot open the history database jdbc:postgresql://db:5432/history?password=s3cret: ...;"
                + " it is tried again at 2026-03-01T10:00:05Z (try 2, ...) (the log has the whole failure)";
        ProblemReporter recoveryReporter = () -> List.of(new Problem("component", component.name, waiting,
                Instant.EPOCH), new Problem("deploy", "deploy/x.jar", "corrupt jar", Instant.EPOCH));
        BundleContext context = mock(BundleContext.class);
        when(context.getBundles()).thenReturn(new Bundle[] {history});
        @SuppressWarnings("unchecked")
        ServiceReference<ServiceComponentRuntime> scrReference = mock(ServiceReference.class);
        when(context.getServiceReference(ServiceComponentRuntime.class)).thenReturn(scrReference);
        when(context.getService(scrReference)).thenReturn(scr);
        ServiceReference<ProblemReporter> recoveryReference = reporterOf(history, 3L);
        ServiceReference<ProblemReporter> failedReference = reporterOf(history, 4L);
        when(context.getService(recoveryReference)).thenReturn(recoveryReporter);
        when(context.getServiceReferences(ProblemReporter.class, null)).thenReturn(List.of(failedReference,
                recoveryReference));
        AgentCommands withoutHistory = new AgentCommands(context, TestSessions.admin(), new ShellMasker());

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> withoutHistory.history(SESSION, "5"));

        assertEquals("the execution history is not available: " + waiting.replace("s3cret:", "[redacted]"),
                missing.getMessage(), "masked as REST masks it");
        verify(context, never()).getService(failedReference);
        verify(context).ungetService(recoveryReference);
        verify(context).ungetService(scrReference);
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<ProblemReporter> reporterOf(Bundle bundle, long componentId) {
        ServiceReference<ProblemReporter> reference = mock(ServiceReference.class);
        when(reference.getBundle()).thenReturn(bundle);
        when(reference.getProperty("component.id")).thenReturn(componentId);
        return reference;
    }

    @Test
    void executeOnARuntimeWhoseOrchestratorWaitsForAServiceNamesThatServiceAndTheBundleProvidingIt() {
        Bundle autonomous = mock(Bundle.class);
        when(autonomous.getSymbolicName()).thenReturn("io.mcpagent.autonomous");
        when(autonomous.getState()).thenReturn(Bundle.ACTIVE);
        Bundle core = mock(Bundle.class);
        when(core.getSymbolicName()).thenReturn("io.mcpagent.core");
        when(core.getState()).thenReturn(Bundle.RESOLVED);
        BundleRevision coreRevision = mock(BundleRevision.class);
        BundleCapability engineService = mock(BundleCapability.class);
        when(engineService.getAttributes()).thenReturn(Map.of("objectClass",
                List.of("io.mcpagent.api.workflow.WorkflowEngine")));
        when(coreRevision.getDeclaredCapabilities("osgi.service")).thenReturn(List.of(engineService));
        when(core.adapt(BundleRevision.class)).thenReturn(coreRevision);
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = "io.mcpagent.autonomous.internal.orchestration.DefaultAutonomousOrchestrator";
        ReferenceDTO engineReference = new ReferenceDTO();
        engineReference.name = "engine";
        engineReference.interfaceName = "io.mcpagent.api.workflow.WorkflowEngine";
        description.references = new ReferenceDTO[] {engineReference};
        ComponentConfigurationDTO waiting = new ComponentConfigurationDTO();
        waiting.state = ComponentConfigurationDTO.UNSATISFIED_REFERENCE;
        UnsatisfiedReferenceDTO missingEngine = new UnsatisfiedReferenceDTO();
        missingEngine.name = "engine";
        waiting.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missingEngine};
        ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
        when(scr.getComponentDescriptionDTOs(autonomous)).thenReturn(List.of(description));
        when(scr.getComponentConfigurationDTOs(description)).thenReturn(List.of(waiting));
        BundleContext context = mock(BundleContext.class);
        when(context.getBundles()).thenReturn(new Bundle[] {autonomous, core});
        @SuppressWarnings("unchecked")
        ServiceReference<ServiceComponentRuntime> scrReference = mock(ServiceReference.class);
        when(context.getServiceReference(ServiceComponentRuntime.class)).thenReturn(scrReference);
        when(context.getService(scrReference)).thenReturn(scr);
        AgentCommands withoutOrchestrator = new AgentCommands(context, TestSessions.admin(), new ShellMasker());

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> withoutOrchestrator.execute(SESSION, TASK));

        assertEquals("the autonomous orchestrator is not available: bundle io.mcpagent.autonomous is active but its"
                + " component did not start: component DefaultAutonomousOrchestrator lacks"
                + " io.mcpagent.api.workflow.WorkflowEngine (reference 'engine'), provided by bundle io.mcpagent.core"
                + " (RESOLVED, not started); see data/log/mcp-agent.log and the problems in /api/v1/status (or"
                + " plugin:problems)", missing.getMessage());
    }

    @Test
    void commandsNameTheBundleToStartWhenTheirServiceIsMissingAndRefuseAnEmptyTask() {
        AgentCommands stopped = new AgentCommands(TestSessions.framework(Map.of("io.mcpagent.autonomous",
                Bundle.RESOLVED, "io.mcpagent.history", Bundle.RESOLVED)), TestSessions.admin(), masker);
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> stopped.analyze(SESSION, TASK));
        assertEquals(AgentCommands.AUTONOMOUS_NOT_RUNNING, missing.getMessage());
        assertEquals(AgentCommands.HISTORY_NOT_RUNNING,
                assertThrows(IllegalStateException.class, () -> stopped.history(SESSION, "5")).getMessage());
        bindAll();
        assertEquals("agent:analyze needs the task in quotes: " + ANALYZE_USAGE,
                assertThrows(IllegalArgumentException.class, () -> commands.analyze(SESSION, " ")).getMessage());
    }

    /**
     * A runtime built without the autonomous layer (README "A smaller runtime": the shell needs only core): every
     * command of it says so, as the REST API's 503, instead of "start it (see 'lb -s')" of a bundle lb does not list.
     */
    @Test
    void inARuntimeBuiltWithoutTheAutonomousLayerItsCommandsSaySo() {
        String expected = "the autonomous layer is not installed (bundle io.mcpagent.autonomous): this runtime was"
                + " built without the feature autonomous (features/autonomous.json)";
        commands.bindHistory(history, Map.of("service.id", 1L));
        for (org.junit.jupiter.api.function.Executable command : List.<org.junit.jupiter.api.function.Executable>of(
                () -> commands.analyze(SESSION, TASK), () -> commands.plan(SESSION, TASK),
                () -> commands.execute(SESSION, TASK), () -> commands.cancel(SESSION, "e-1"))) {
            assertEquals(expected, assertThrows(IllegalStateException.class, command).getMessage());
        }
    }

    @Test
    void aTaskLongerThanTheSharedLimitIsRefusedAsRestRefusesIt() {
        bindAll();
        String tooLong = "x".repeat(Task.MAX_CHARS + 1);
        String message = "the task is 100001 characters long; at most 100000 are taken";
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> commands.analyze(SESSION, tooLong)).getMessage());
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> commands.plan(SESSION, tooLong)).getMessage());
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> commands.execute(SESSION, "--async", tooLong)).getMessage());
        verifyNoInteractions(analysis, orchestrator);
    }

    @Test
    void aTaskHoldingWhatIsNoTextIsRefusedAsRestRefusesIt() {
        bindAll();
        String control = "the control character U+0007 at 5";
        assertEquals("the task holds " + control + "; give the task as plain text", assertThrows(
                IllegalArgumentException.class, () -> commands.analyze(SESSION, "read \u0007files")).getMessage());
        assertEquals("the task holds " + control + "; give the task as plain text", assertThrows(
                IllegalArgumentException.class, () -> commands.plan(SESSION, "read \u0007files")).getMessage());
        assertEquals("the task holds an unpaired surrogate U+D83D at 6; give the task as plain text", assertThrows(
                IllegalArgumentException.class, () -> commands.execute(SESSION, "--async", "write \uD83D")).getMessage());
        verifyNoInteractions(analysis, orchestrator);

        when(analysis.analyze(any())).thenReturn(ANALYSIS);
        when(analysis.cacheStats()).thenReturn(new AnalysisCacheStats(1, 0, 1, 10));
        commands.analyze(SESSION, "read\tthe files\r\nand summarise them \uD83D\uDE00");
        verify(analysis).analyze(Task.of("read\tthe files\r\nand summarise them \uD83D\uDE00"));
    }

    @Test
    void planShowsDecisionAlternativesAgentsAndBlockersAndPassesForcedChoices() {
        bindAll();
        when(orchestrator.plan(any(), any())).thenReturn(plan(List.of(
                "no LLM provider is configured: set OPENAI_API_KEY or ANTHROPIC_API_KEY")));

        String out = commands.plan(SESSION, "--pattern", "swarm", "--provider", "openai", TASK);

        assertTrue(out.contains("decision: orchestrator (score 0.88, confidence 74%, expected complexity MODERATE)"), out);
        assertTrue(out.contains("  alternative: direct 0.41 (one agent could try)"), out);
        assertTrue(out.contains("1 agent:"), out);
        assertTrue(out.contains("files  SPECIALIST  filesystem"), out);
        assertTrue(out.endsWith("cannot run: no LLM provider is configured: set OPENAI_API_KEY or ANTHROPIC_API_KEY"),
                out);
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).plan(any(), options.capture());
        assertEquals("swarm", options.getValue().pattern());
        assertEquals("openai", options.getValue().provider());
        assertTrue(options.getValue().dryRun(), "a plan installs nothing, as REST plan");
    }

    @Test
    void planSaysTheUnmetCapabilitiesHaveNoUsableServerNotThatNoneHasThem() {
        bindAll();
        // file_read's only server is DOWN, web_search's catalog entry may not be installed
        AgentPlan unmet = new AgentPlan(AGENTS.agents(), Set.of(), Set.of("web_search", "file_read"));
        when(orchestrator.plan(any(), any())).thenReturn(new AutonomousPlan(Task.of(TASK), ANALYSIS, STRATEGY, unmet,
                List.of()));

        String out = commands.plan(SESSION, TASK);

        assertTrue(out.endsWith("\nwarning: the agents would run without tools for file_read, web_search, which the"
                + " task needs: no usable MCP server provides them (each agent's reason says why and what to"
                + " configure)"), out);
    }

    @Test
    void planAndExecuteTakeTheOptionsOfRestPlanAndExecute() throws Exception {
        bindAll();
        when(orchestrator.plan(any(), any())).thenReturn(plan(List.of()));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), null));

        commands.plan(SESSION, "--pattern", "swarm", "--provider", "openai", "--model", "gpt-4.1", "--install",
                "--max-agents", "2", TASK);
        String dry = commands.execute(SESSION, "--pattern", "swarm", "--provider", "openai", "--model", "gpt-4.1",
                "--install", "--max-agents", "2", "--dry-run", TASK);

        ArgumentCaptor<AutonomousOptions> planned = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).plan(any(), planned.capture());
        ArgumentCaptor<AutonomousOptions> executed = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).execute(any(), executed.capture());
        for (AutonomousOptions options : List.of(planned.getValue(), executed.getValue())) {
            assertEquals(List.of("swarm", "openai", "gpt-4.1", true, true, 2), List.of(options.pattern(),
                    options.provider(), options.model(), options.allowInstall(), options.dryRun(),
                    options.maxAgents()));
        }
        assertTrue(dry.endsWith("dry run: not run."), dry);
        assertEquals("--max-agents must be a whole number from 1 to 50, was '51'", assertThrows(
                IllegalArgumentException.class, () -> commands.plan(SESSION, "--max-agents", "51", TASK)).getMessage());
    }

    @Test
    void anOptionTheOrchestratorRefusesIsNamedAsTheShellsOption() {
        bindAll();
        InvalidOptionException refused = new InvalidOptionException("pattern",
                "no workflow pattern 'nope' is installed; installed: direct");
        when(orchestrator.plan(any(), any())).thenThrow(refused);
        when(orchestrator.execute(any(), any())).thenThrow(refused);
        when(orchestrator.submit(any(), any())).thenThrow(refused); // before it starts an execution, as execute

        String expected = "--pattern: no workflow pattern 'nope' is installed; installed: direct";
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> commands.plan(SESSION, "--pattern", "nope", TASK)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> commands.execute(SESSION, "--pattern", "nope", TASK)).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> commands.execute(SESSION, "--async", "--pattern", "nope", TASK)).getMessage());
    }

    @Test
    void anOptionGivenAnEmptyValueIsRefusedNamingIt() {
        bindAll();
        for (String option : List.of("--pattern", "--provider", "--model")) {
            for (String empty : List.of("", "  ")) {
                String kind = empty.isEmpty() ? "an empty" : "a blank";
                assertEquals(option + " was given " + kind + " value; give one, or leave the option out: "
                        + EXECUTE_USAGE, assertThrows(IllegalArgumentException.class,
                        () -> commands.execute(SESSION, option, empty, TASK)).getMessage());
                assertEquals(option + " was given " + kind + " value; give one, or leave the option out: "
                        + PLAN_USAGE, assertThrows(IllegalArgumentException.class,
                        () -> commands.plan(SESSION, option, empty, TASK)).getMessage());
            }
        }
        verifyNoInteractions(orchestrator);
    }

    @Test
    void executePrintsAProviderWarningOfThePlanOnceThoughTheResultRepeatsIt() throws Exception {
        bindAll();
        String degraded = "provider 'openai' is DEGRADED: the last call was refused (401)";
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-1");
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(execution.await(Duration.ofSeconds(30))).thenReturn(Optional.of(new ExecutionResult("e-1",
                "orchestrator", ExecutionStatus.SUCCEEDED, "done", null, Usage.of(100, 20), start,
                start.plusMillis(1500), List.of("when the execution was planned: " + degraded, "no draft was accepted"))));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(new AutonomousPlan(Task.of(TASK),
                ANALYSIS, STRATEGY, AGENTS, List.of(), List.of(degraded)), execution));

        String out = executed(commands, "--wait", "30", TASK);

        assertEquals(1, out.split(java.util.regex.Pattern.quote(degraded), -1).length - 1, out);
        assertTrue(out.contains("warning: " + degraded + "\n"), "with the plan: " + out);
        assertTrue(out.contains("status: SUCCEEDED\nwarning: no draft was accepted\npattern: orchestrator"),
                "the result's own warnings stay: " + out);
    }

    @Test
    void executePrintsAWarningOfThePlansAgentsOnceThoughTheResultRepeatsIt() throws Exception {
        bindAll();
        String outside = "the task names /tmp/notes, outside the roots of the MCP server filesystem (/srv/data) the"
                + " agents read and write files with: ...";
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-1");
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(execution.await(Duration.ofSeconds(30))).thenReturn(Optional.of(new ExecutionResult("e-1",
                "orchestrator", ExecutionStatus.FAILED, null, "agent 'creator' MAX_ITERATIONS", Usage.of(100, 20),
                start, start.plusMillis(1500), List.of(outside))));
        AgentPlan agents = new AgentPlan(AGENTS.agents(), Set.of(), Set.of(), Map.of(), List.of(outside));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(new AutonomousPlan(Task.of(TASK),
                ANALYSIS, STRATEGY, agents, List.of(), List.of()), execution));

        String out = executed(commands, "--wait", "30", TASK);

        assertEquals(1, out.split(java.util.regex.Pattern.quote(outside), -1).length - 1, out);
        assertTrue(out.contains("warning: " + outside + "\n"), "with the plan: " + out);
    }

    @Test
    void executeKeepsAResultWarningThatOnlyEndsWithAProviderWarningOfThePlan() throws Exception {
        bindAll();
        String slow = "provider 'openai' is DEGRADED: the server was not reached at the last call";
        String ownWarning = "fan-out worker 2 is missing: " + slow; // the result's own, quoting the same text
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-1");
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(execution.await(Duration.ofSeconds(30))).thenReturn(Optional.of(new ExecutionResult("e-1",
                "parallel", ExecutionStatus.SUCCEEDED, "done", null, Usage.of(100, 20), start,
                start.plusMillis(1500), List.of("when the execution was planned: " + slow, ownWarning))));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(new AutonomousPlan(Task.of(TASK),
                ANALYSIS, STRATEGY, AGENTS, List.of(), List.of(slow)), execution));

        String out = executed(commands, "--wait", "30", TASK);

        assertTrue(out.contains("status: SUCCEEDED\nwarning: " + ownWarning + "\npattern: parallel"), out);
        assertFalse(out.contains("when the execution was planned: "), "the repeat alone is left out: " + out);
    }

    @Test
    void executeWaitsForTheResultOrSaysWhyItDidNotRun() throws Exception {
        bindAll();
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-1");
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(execution.await(Duration.ofSeconds(30))).thenReturn(Optional.of(new ExecutionResult("e-1",
                "direct", ExecutionStatus.SUCCEEDED, "summary.md written", null, Usage.of(100, 20), start,
                start.plusMillis(1500), List.of("the chosen pattern 'orchestrator' failed; the output comes from the"
                        + " fallback pattern 'direct'"))));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), execution));

        String out = executed(commands, "--wait", "30", TASK);

        assertTrue(out.contains("execution: e-1\nstatus: SUCCEEDED\nwarning: the chosen pattern 'orchestrator' failed;"
                + " the output comes from the fallback pattern 'direct'\npattern: direct (fallback from orchestrator),"
                + " 1500 ms, 120 tokens\n"
                + "result:\nsummary.md written"), out);

        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of("no provider")), null));
        String blocked = commands.execute(SESSION, "--wait", "30", TASK);
        assertTrue(blocked.endsWith("cannot run: no provider\n\nnot run."), blocked);

        when(orchestrator.submit(any(), any())).thenReturn(execution);
        String async = commands.execute(SESSION, "--async", TASK);
        assertEquals("execution: e-1\nrunning, its task being analysed; follow it with: agent:show e-1", async,
                "at once, before its analysis: no plan to print yet");
        when(execution.status()).thenReturn(ExecutionStatus.QUEUED);
        String queued = commands.execute(SESSION, "--async", TASK);
        assertEquals("execution: e-1\nqueued, its task being analysed; follow it with: agent:show e-1", queued);
        commands.execute(SESSION, "--wait", "30", "--max-tokens", "500", "--max-cost", "0.25", "--max-seconds", "60",
                TASK);
        ArgumentCaptor<AutonomousOptions> budget = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator, org.mockito.Mockito.atLeastOnce()).execute(any(), budget.capture());
        AutonomousOptions last = budget.getValue();
        assertEquals(List.of(500L, new BigDecimal("0.25"), Duration.ofSeconds(60)),
                List.of(last.maxTokens(), last.maxCostUsd(), last.maxTime()));
        commands.execute(SESSION, "--wait", "30", "--max-tokens", "0", "--max-cost", "0", TASK);
        verify(orchestrator, org.mockito.Mockito.atLeastOnce()).execute(any(), budget.capture());
        assertEquals(0L, budget.getValue().maxTokens(), "0 tokens: no limit");
        assertEquals(null, budget.getValue().maxCostUsd(), "0 USD: no limit, as for tokens");
        commands.execute(SESSION, "--wait", "30", "--max-cost", "0.0000000001", TASK);
        verify(orchestrator, org.mockito.Mockito.atLeastOnce()).execute(any(), budget.capture());
        assertEquals(new BigDecimal("0.0000000001"), budget.getValue().maxCostUsd(), "the smallest budget REST takes");
    }

    @Test
    void executePrintsThePlanAndTheExecutionIdBeforeItWaitsForTheResult() throws Exception {
        bindAll();
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        org.apache.felix.service.command.CommandSession session = TestSessions.session(
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder printedWhileWaiting = new StringBuilder();
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-7");
        when(execution.status()).thenReturn(ExecutionStatus.QUEUED);
        when(execution.await(Duration.ofSeconds(600))).thenAnswer(waiting -> {
            printedWhileWaiting.append(printed);
            return Optional.empty();
        });
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), execution));

        String returned = commands.execute(session, TASK);

        // the console takes no other command while it waits: the id is what to follow or cancel elsewhere
        assertTrue(printedWhileWaiting.toString().contains("decision: ") && printedWhileWaiting.toString()
                .endsWith("execution: e-7\n"), printedWhileWaiting.toString());
        assertEquals("still queued after 600 s; follow it with: agent:show e-7", returned);
        assertEquals(printedWhileWaiting.toString(), printed.toString(java.nio.charset.StandardCharsets.UTF_8),
                "nothing printed twice");
    }

    @Test
    void analyzePlanAndExecuteMaskTheSecretsAModelOrAFailureRepeatsAsRestDoes() throws Exception {
        bindAll();
        String secret = "literal-XSECRET-777"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        TaskAnalysis analysis = ANALYSIS.withReasoning("the header was " + secret).withPassedOver(List.of(
                new AnalyzerPassedOver("llm", "failed: the provider answered 401 for " + secret)));
        StrategyRecommendation strategy = new StrategyRecommendation("orchestrator", 0.74, "steps need " + secret,
                Set.of("filesystem"), Complexity.MODERATE, List.of(new StrategyAlternative("direct", 0.41,
                "one agent could use " + secret)), 0.88);
        AgentPlan agents = new AgentPlan(List.of(new PlannedAgent(AgentSpec.of("files", "You handle files",
                "filesystem"), AgentRole.SPECIALIST, Set.of("file_read"), "covers " + secret)), Set.of(), Set.of(),
                Map.of("fetch", "npm said " + secret));
        AutonomousPlan plan = new AutonomousPlan(Task.of(TASK), analysis, strategy, agents,
                List.of("the server refused " + secret));
        when(this.analysis.analyze(any())).thenReturn(analysis);
        when(this.analysis.cacheStats()).thenReturn(new AnalysisCacheStats(0, 1, 0, 1024));
        when(orchestrator.plan(any(), any())).thenReturn(plan);
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-1");
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(execution.await(any())).thenReturn(Optional.of(new ExecutionResult("e-1", "orchestrator",
                ExecutionStatus.FAILED, "the output says " + secret, "the tool failed with " + secret,
                Usage.NONE, start, start, List.of("a warning naming " + secret))));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan, execution));

        String analyzed = commands.analyze(SESSION, TASK);
        String planned = commands.plan(SESSION, TASK);
        String executed = executed(commands, TASK);

        for (String out : List.of(analyzed, planned, executed)) {
            assertFalse(out.contains(secret), out);
            assertTrue(out.contains("  why: the header was " + Secrets.MASK + "\n  passed over: llm: failed: the"
                    + " provider answered 401 for " + Secrets.MASK), out);
        }
        for (String out : List.of(planned, executed)) {
            assertTrue(out.contains("  why: steps need " + Secrets.MASK + "\n"), out);
            assertTrue(out.contains("  alternative: direct 0.41 (one agent could use " + Secrets.MASK + ")"), out);
            // masked before the table is aligned: the header's columns still line up with the row's
            assertTrue(out.contains("  NAME   ROLE        SERVERS     CAPABILITIES  WHY\n"
                    + "  files  SPECIALIST  filesystem  file_read     covers " + Secrets.MASK + "\n"), out);
            assertTrue(out.contains("install failed: fetch: npm said " + Secrets.MASK), out);
            assertTrue(out.contains("cannot run: the server refused " + Secrets.MASK), out);
        }
        assertTrue(executed.contains("status: FAILED (the tool failed with " + Secrets.MASK + ")\nwarning: a"
                + " warning naming " + Secrets.MASK + "\n"), executed);
        assertTrue(executed.endsWith("result:\nthe output says " + Secrets.MASK), executed);
    }

    /** A greedy rebind binds the new masker before it unbinds the old one: the new one stays in force. */
    @Test
    void theLatestBoundMaskerMasksAndTheUnbindOfAnOlderOneKeepsIt() {
        bindAll();
        String secret = "literal-XSECRET-778"; // of no known shape: only a masker that knows it masks it
        when(orchestrator.plan(any(), any())).thenReturn(new AutonomousPlan(Task.of(TASK),
                ANALYSIS.withReasoning("the header was " + secret), STRATEGY, AGENTS, List.of()));
        SecretMasker older = text -> text;
        SecretMasker newer = text -> text == null ? null : text.replace(secret, Secrets.MASK);

        masker.bindMasker(older);
        masker.bindMasker(newer);
        masker.unbindMasker(older);
        String whileBound = commands.plan(SESSION, TASK);
        masker.unbindMasker(newer);
        String afterwards = commands.plan(SESSION, TASK);

        assertTrue(whileBound.contains("  why: the header was " + Secrets.MASK + "\n"), whileBound);
        assertTrue(afterwards.contains("  why: the header was " + secret + "\n"),
                "with no masker bound, masking is by pattern alone: " + afterwards);
    }

    @Test
    void aBlockedPlanOrAFailedAnalysisNamesTheExecutionRecordedFailed() throws Exception {
        bindAll();
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of("no provider")), null,
                "e-blocked"));
        String blocked = commands.execute(SESSION, "--wait", "30", TASK);
        assertTrue(blocked.endsWith("cannot run: no provider\n\nnot run; execution e-blocked is recorded FAILED:"
                + " agent:show e-blocked"), blocked);

        org.mockito.Mockito.doThrow(new DecisionException("no task analyzer answered", "e-failed")).when(orchestrator)
                .execute(any(), any());
        DecisionException failed = assertThrows(DecisionException.class,
                () -> commands.execute(SESSION, "--wait", "30", TASK));
        assertEquals("no task analyzer answered; execution e-failed is recorded FAILED: agent:show e-failed",
                failed.getMessage());
        assertEquals("e-failed", failed.executionId().orElseThrow());
    }

    @Test
    void aForcedPatternRemovedWhileTheStartedExecutionWasAnalysedNamesTheExecutionRecordedFailed() {
        bindAll();
        org.mockito.Mockito.doThrow(new InvalidOptionException("pattern", "no workflow pattern 'swarm' is installed",
                "e-removed")).when(orchestrator).execute(any(), any());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> commands.execute(SESSION, "--wait", "30", "--pattern", "swarm", TASK));

        assertEquals("--pattern: no workflow pattern 'swarm' is installed; execution e-removed is recorded FAILED:"
                + " agent:show e-removed", refused.getMessage());
    }

    @Test
    void aRefusalOfAnyKindOnceTheExecutionStartedNamesTheExecutionRecordedFailed() {
        bindAll();
        org.mockito.Mockito.doThrow(FailedExecution.named(new IllegalStateException("the agent factory broke"),
                "e-broke")).when(orchestrator).execute(any(), any());

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> commands.execute(SESSION, "--wait", "30", TASK));

        assertEquals("the agent factory broke; execution e-broke is recorded FAILED: agent:show e-broke",
                refused.getMessage());
    }

    @Test
    void aDefectOnceTheExecutionStartedNamesTheExecutionRecordedFailedMasked() {
        bindAll();
        String secret = "literal-XSECRET-777";
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        org.mockito.Mockito.doThrow(FailedExecution.named(new NullPointerException("Cannot invoke \"" + secret
                + ".length()\""), "e-npe")).when(orchestrator).execute(any(), any());

        RuntimeException failed = assertThrows(RuntimeException.class,
                () -> commands.execute(SESSION, "--wait", "30", TASK));

        assertEquals("the execution failed inside the platform while it was planned, a defect to report"
                + " (NullPointerException: Cannot invoke \"" + Secrets.MASK + ".length()\"); execution e-npe is"
                + " recorded FAILED: agent:show e-npe", failed.getMessage());
        assertEquals("e-npe", FailedExecution.of(failed).orElseThrow());
    }

    @Test
    void theRefusalsOfAnalyzePlanAndExecuteAreMaskedAsRestMasksThem() {
        bindAll();
        String secret = "literal-XSECRET-777"; // a configured value of no known shape: only the masker knows it
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        // what a provider's error, a model's answer or a failed install quoted in a refusal could hold
        when(analysis.analyze(any())).thenThrow(new DecisionException("the model answered " + secret));
        when(orchestrator.plan(any(), any())).thenThrow(new InvalidOptionException("model", "model '" + secret
                + "' is unknown"));
        when(orchestrator.execute(any(), any()))
                .thenThrow(new IllegalArgumentException("the task cannot be taken: " + secret))
                .thenThrow(new IllegalStateException("nothing runs now: " + secret))
                .thenThrow(new RejectedExecutionException("the queue is full: " + secret));

        assertEquals("the model answered " + Secrets.MASK, assertThrows(DecisionException.class,
                () -> commands.analyze(SESSION, TASK)).getMessage());
        assertEquals("--model: model '" + Secrets.MASK + "' is unknown", assertThrows(IllegalArgumentException.class,
                () -> commands.plan(SESSION, TASK)).getMessage());
        assertEquals("the task cannot be taken: " + Secrets.MASK, assertThrows(IllegalArgumentException.class,
                () -> commands.execute(SESSION, TASK)).getMessage());
        assertEquals("nothing runs now: " + Secrets.MASK, assertThrows(IllegalStateException.class,
                () -> commands.execute(SESSION, TASK)).getMessage());
        RejectedExecutionException full = assertThrows(RejectedExecutionException.class,
                () -> commands.execute(SESSION, TASK));
        assertEquals("the queue is full: " + Secrets.MASK, full.getMessage());
        assertEquals(null, full.getCause(), "the refusal with the secret is not kept as the cause");
    }

    @Test
    void withoutThePlatformsMaskerAPlanIsMaskedByPatternAlone() {
        bindAll();
        String key = "sk-ant-api03-abcdefghijklmnopqrstuv";
        when(orchestrator.plan(any(), any())).thenReturn(new AutonomousPlan(Task.of(TASK),
                ANALYSIS.withReasoning("the model was given " + key), STRATEGY, AGENTS, List.of()));

        String out = commands.plan(SESSION, TASK);

        assertTrue(out.contains("  why: the model was given " + Secrets.MASK + "\n"), out);
    }

    @Test
    void historyListsNewestFirstWithCountsAndChecksItsOptions() {
        bindAll();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        ExecutionRecord record = new ExecutionRecord("e-1", "default", TASK, "orchestrator", ExecutionStatus.FAILED,
                start, start.plusSeconds(2), null, "boom", Usage.of(10, 5), new BigDecimal("0.0120"), ANALYSIS,
                STRATEGY, List.of("files"));
        when(history.query(any())).thenReturn(List.of(record));
        when(history.count(any())).thenReturn(7L);

        String out = commands.history(SESSION, "--status", "failed", "--limit", "1");

        assertTrue(out.startsWith("ID   STARTED               STATUS  PATTERN       TOKENS  COST   TASK\n"
                + "e-1  2026-12-03T10:00:00Z  FAILED  orchestrator  15      0.012  read the files"), out);
        assertTrue(out.endsWith("1 execution of 7"), out);
        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);
        verify(history).query(query.capture());
        assertEquals(ExecutionStatus.FAILED, query.getValue().status());
        assertEquals(1, query.getValue().limit());
        assertEquals("--status: unknown status 'done'; one of queued, running, succeeded, failed, cancelled,"
                + " interrupted", assertThrows(IllegalArgumentException.class,
                () -> commands.history(SESSION, "--status", "done", "5")).getMessage());
        commands.history(SESSION, "--status", "QUEUED");
        verify(history, org.mockito.Mockito.times(2)).query(query.capture());
        assertEquals(ExecutionStatus.QUEUED, query.getValue().status());
    }

    @Test
    void historyTakesWhenTheExecutionsStartedAndAnAdminATenant() {
        bindAll();
        when(history.query(any())).thenReturn(List.of());
        ArgumentCaptor<HistoryQuery> query = ArgumentCaptor.forClass(HistoryQuery.class);

        Instant before = Instant.now();
        commands.history(SESSION, "--since", "2h", "--tenant", "acme");
        Instant after = Instant.now();
        verify(history).query(query.capture());
        assertTrue(!query.getValue().from().isBefore(before.minus(Duration.ofHours(2)))
                && !query.getValue().from().isAfter(after.minus(Duration.ofHours(2))), query.getValue().toString());
        assertEquals("acme", query.getValue().tenant(), "an admin's filter");
        assertEquals(Instant.parse("2026-12-07T04:00:00Z"), AgentCommands.since(" 2026-12-07T04:00:00Z",
                Instant.EPOCH));
        Instant now = Instant.parse("2026-12-07T04:00:00Z");
        assertEquals(now.minusSeconds(90), AgentCommands.since("90s", now));
        assertEquals(now.minus(Duration.ofMinutes(30)), AgentCommands.since("30m", now));
        assertEquals(now.minus(Duration.ofDays(7)), AgentCommands.since("7d", now));
        for (String bad : List.of("2 h", "-2h", "2w", "yesterday", "2026-12-07")) {
            assertEquals("--since must be a duration back from now (90s, 30m, 2h, 7d) or an ISO-8601 instant"
                    + " (2026-12-07T04:00:00Z), was '" + bad + "'", assertThrows(IllegalArgumentException.class,
                    () -> commands.history(SESSION, "--since", bad)).getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.history(SESSION, "--tenant", "a b"))
                .getMessage().startsWith("--tenant must be 1 to 64 letters"));

        // a viewer sees its own tenant's: naming it is fine, naming another is refused, as over REST
        AgentCommands asViewer = new AgentCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                masker);
        asViewer.bindHistory(history, Map.of("service.id", 1L));
        asViewer.history(SESSION, "--tenant", "default");
        verify(history, org.mockito.Mockito.times(2)).query(query.capture());
        assertEquals("default", query.getValue().tenant());
        assertEquals("agent:history --tenant: only an admin may name another tenant than its own ('default');"
                + " --tenant was 'acme'", assertThrows(SecurityException.class,
                () -> asViewer.history(SESSION, "--tenant", "acme")).getMessage());
    }

    /** "autonomous" is no pattern: until its task is planned an execution has none, as REST and the console say. */
    @Test
    void anExecutionNotPlannedYetNamesNoPatternButWhyInShowAndHistory() {
        bindAll();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        ExecutionRecord analysing = new ExecutionRecord("e-1", "default", TASK, "autonomous", ExecutionStatus.RUNNING,
                start, null, null, null, Usage.NONE, null, null, null, List.of());
        when(history.find("e-1")).thenReturn(Optional.of(analysing));
        when(history.steps("e-1")).thenReturn(List.of());
        when(history.query(any())).thenReturn(List.of(analysing));
        when(history.count(any())).thenReturn(1L);

        assertTrue(commands.show(SESSION, "e-1").contains("\npattern: not chosen yet: its task is being analysed\n"));
        assertTrue(commands.history(SESSION, "5").contains(" not chosen yet: its task is being analysed "));
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "default", TASK, "autonomous",
                ExecutionStatus.CANCELLED, start, start.plusSeconds(1), null, "cancelled", Usage.NONE, null, null,
                null, List.of())));
        assertTrue(commands.show(SESSION, "e-1").contains("\npattern: none: it ended before its task was planned\n"));
        StrategyRecommendation chosen = new StrategyRecommendation("autonomous", 0.9, "fits", Set.of(),
                Complexity.SIMPLE, List.of(), 0.9);
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "default", TASK, "autonomous",
                ExecutionStatus.RUNNING, start, null, null, null, Usage.NONE, null, ANALYSIS, chosen, List.of())));
        assertTrue(commands.show(SESSION, "e-1").contains("\npattern: autonomous\n"),
                "decided: a pattern of that id was chosen");
    }

    /** A fallback pattern's execution names the decided pattern it fell back from, as REST and the console do. */
    @Test
    void anExecutionRunningOrEndedByAFallbackPatternNamesTheDecidedOneInShowAndHistory() {
        bindAll();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        ExecutionRecord fallingBack = new ExecutionRecord("e-1", "default", TASK, "direct", ExecutionStatus.RUNNING,
                start, null, null, null, Usage.NONE, null, ANALYSIS, STRATEGY, List.of());
        when(history.find("e-1")).thenReturn(Optional.of(fallingBack));
        when(history.steps("e-1")).thenReturn(List.of());
        when(history.query(any())).thenReturn(List.of(fallingBack));
        when(history.count(any())).thenReturn(1L);

        assertTrue(commands.show(SESSION, "e-1").contains("\npattern: direct (fallback from orchestrator)\n"),
                commands.show(SESSION, "e-1"));
        assertTrue(commands.history(SESSION, "5").contains(" direct (fallback from orchestrator) "),
                commands.history(SESSION, "5"));
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "default", TASK, "orchestrator",
                ExecutionStatus.SUCCEEDED, start, start.plusSeconds(1), "done", null, Usage.NONE, null, ANALYSIS,
                STRATEGY, List.of())));
        assertTrue(commands.show(SESSION, "e-1").contains("\npattern: orchestrator\n"), "the decided one ran");
    }

    /**
     * A runtime built without the history (README "A smaller runtime"): agent:show gives an admin an execution the
     * workflow engine holds, with the decided pattern a fallback fell back from by the orchestrator's decision and its
     * result masked, as REST's GET /executions/{id} does; it said only that the history was not running, as if a start
     * could help. Others get why, as REST's 503, and that only an admin sees one without it.
     */
    @Test
    void withoutTheHistoryShowGivesAnAdminTheExecutionAsTheEngineHoldsIt() {
        WorkflowEngine engine = engineHoldingAnEndedFallback("e-9", "the summary, key s3cret");
        commands.bindEngine(engine);
        commands.bindOrchestrator(orchestrator);
        when(orchestrator.decision("e-9")).thenReturn(Optional.of(STRATEGY));
        masker.bindMasker(text -> text == null ? null : text.replace("s3cret", Secrets.MASK));

        assertEquals("execution: e-9\n"
                + "record: " + HISTORY_NOT_INSTALLED + "; shown as the workflow engine holds it, without"
                + " task, tenant, cost, analysis and steps\n"
                + "status: SUCCEEDED\n"
                + "warning: the chosen pattern 'orchestrator' failed\n"
                + "pattern: parallel (fallback from orchestrator)\n"
                + "started: 2026-12-03T10:00:00Z, finished: 2026-12-03T10:00:02Z (2000 ms)\n"
                + "usage: 15 tokens (10 in, 5 out)\n"
                + "\n"
                + "output:\n"
                + "the summary, key " + Secrets.MASK, commands.show(SESSION, "e-9"));
        assertEquals(HISTORY_NOT_INSTALLED + "; nor does the workflow engine hold execution 'e-0' (it"
                + " holds those running and the last ended)",
                assertThrows(IllegalStateException.class, () -> commands.show(SESSION, "e-0")).getMessage());
        AgentCommands asViewer = new AgentCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                masker);
        asViewer.bindEngine(engine);
        assertEquals(HISTORY_NOT_INSTALLED + "; without it only an admin sees an execution, as the"
                + " workflow engine holds it",
                assertThrows(IllegalStateException.class, () -> asViewer.show(SESSION, "e-9")).getMessage());
    }

    /** With the history, one it has no record of yet is an admin's to see as the engine holds it, as over REST. */
    @Test
    void showGivesAnAdminAnExecutionTheHistoryHasNoRecordOfAsTheEngineHoldsIt() {
        bindAll();
        commands.bindEngine(engineHoldingAnEndedFallback("e-9", "the summary"));

        String shown = commands.show(SESSION, "e-9");

        assertTrue(shown.startsWith("execution: e-9\nrecord: none in the history yet; shown as the workflow engine"
                + " holds it, without task, tenant, cost, analysis and steps\nstatus: SUCCEEDED\n"), shown);
        assertTrue(shown.contains("\npattern: parallel\n"), "no decision held, no fallback told: " + shown);
        AgentCommands asViewer = new AgentCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                masker);
        asViewer.bindHistory(history, Map.of("service.id", 1L));
        asViewer.bindEngine(engineHoldingAnEndedFallback("e-9", "the summary"));
        assertEquals("no execution 'e-9' in the history; agent:history lists the latest",
                assertThrows(IllegalArgumentException.class, () -> asViewer.show(SESSION, "e-9")).getMessage(),
                "whose tenant it is cannot be told");
    }

    /**
     * Without the history, agent:history says why and shows an admin instead the executions the engine runs now (it
     * said only that the history was not running); others get why, and that only an admin sees them.
     */
    @Test
    void withoutTheHistoryHistoryShowsAnAdminTheRunningExecutionsInstead() throws Exception {
        WorkflowEngine engine = mock(WorkflowEngine.class);
        Execution queued = mock(Execution.class);
        when(queued.executionId()).thenReturn("e-2");
        when(queued.pattern()).thenReturn("direct");
        when(queued.status()).thenReturn(ExecutionStatus.QUEUED);
        Execution fallingBack = mock(Execution.class);
        when(fallingBack.executionId()).thenReturn("e-1");
        when(fallingBack.pattern()).thenReturn("parallel");
        when(fallingBack.status()).thenReturn(ExecutionStatus.RUNNING);
        when(engine.running()).thenReturn(List.of(fallingBack, queued));
        commands.bindEngine(engine);
        commands.bindOrchestrator(orchestrator);
        when(orchestrator.decision("e-1")).thenReturn(Optional.of(STRATEGY));
        String heading = HISTORY_NOT_INSTALLED + "\nshown instead: the executions the workflow engine"
                + " runs now (ended ones only the history keeps); agent:show <id> for one\n";

        assertEquals(heading
                + "ID   STATUS   PATTERN\n"
                + "e-1  RUNNING  parallel (fallback from orchestrator)\n"
                + "e-2  QUEUED   direct\n"
                + "2 executions running", commands.history(SESSION));
        assertEquals(heading + "ID   STATUS  PATTERN\ne-2  QUEUED  direct\n1 execution running",
                commands.history(SESSION, "--status", "queued", "--limit", "1"));
        assertEquals(heading + "ID   STATUS   PATTERN\ne-1  RUNNING  parallel (fallback from orchestrator)\n"
                + "1 execution running", commands.history(SESSION, "1"));
        assertEquals(heading + "0 executions running", commands.history(SESSION, "--status", "succeeded"));
        assertEquals(HISTORY_NOT_INSTALLED + "; --since and --tenant filter the history", assertThrows(
                IllegalStateException.class, () -> commands.history(SESSION, "--since", "1h")).getMessage());
        AgentCommands asViewer = new AgentCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                masker);
        asViewer.bindEngine(engine);
        assertEquals(HISTORY_NOT_INSTALLED + "; without it only an admin sees the executions running"
                + " now", assertThrows(IllegalStateException.class, () -> asViewer.history(SESSION)).getMessage());
    }

    /**
     * An engine holding {@code id}, a run of the fallback pattern parallel that ended SUCCEEDED with {@code output}.
     */
    private static WorkflowEngine engineHoldingAnEndedFallback(String id, String output) {
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        ExecutionResult result = new ExecutionResult(id, "parallel", ExecutionStatus.SUCCEEDED, output, null,
                Usage.of(10, 5), start, start.plusSeconds(2), List.of("the chosen pattern 'orchestrator' failed"));
        Execution ended = mock(Execution.class);
        when(ended.executionId()).thenReturn(id);
        when(ended.pattern()).thenReturn("parallel");
        when(ended.status()).thenReturn(ExecutionStatus.SUCCEEDED);
        when(ended.result()).thenReturn(Optional.of(result));
        WorkflowEngine engine = mock(WorkflowEngine.class);
        when(engine.find(id)).thenReturn(Optional.of(ended));
        return engine;
    }

    @Test
    void showWritesACostFarBelowACentInENotationNotToItsLastZero() {
        bindAll();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "acme", TASK, "orchestrator",
                ExecutionStatus.SUCCEEDED, start, start.plusMillis(2500), "done", null, Usage.of(10, 5),
                new BigDecimal("1e-1000"), ANALYSIS, STRATEGY, List.of("files"), List.of())));
        when(history.steps("e-1")).thenReturn(List.of());

        String out = commands.show(SESSION, "e-1");

        assertTrue(out.contains("cost 1E-1000 USD"), out);
    }

    @Test
    void showCountsToolPromptTokensInTheTotalAndNamesThem() {
        bindAll();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "acme", TASK, "orchestrator",
                ExecutionStatus.SUCCEEDED, start, start.plusMillis(2500), "done", null,
                new Usage(100, 0, 0, 20, 0, 30, Map.of()), new BigDecimal("0.002"), ANALYSIS, STRATEGY,
                List.of("files"), List.of())));
        when(history.steps("e-1")).thenReturn(List.of());

        String out = commands.show(SESSION, "e-1");

        assertTrue(out.contains("usage: 150 tokens (100 in, 30 tool prompt, 20 out), cost 0.002 USD"), out);
    }

    /** The history keeps the cache parts of the input, the one-hour writes among them: show says them too. */
    @Test
    void showNamesTheCachedPartsOfTheInputAndTheOneHourWrites() {
        bindAll();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "acme", TASK, "orchestrator",
                ExecutionStatus.SUCCEEDED, start, start.plusMillis(2500), "done", null,
                new Usage(100, 10, 40, 30, 20, 0, 0, Map.of()), new BigDecimal("0.002"), ANALYSIS, STRATEGY,
                List.of("files"), List.of())));
        when(history.steps("e-1")).thenReturn(List.of());

        String out = commands.show(SESSION, "e-1");

        assertTrue(out.contains("usage: 120 tokens (100 in (cache read 10, cache write 40, 30 of them for 1 h), 20 out),"
                + " cost 0.002 USD"), out);
    }

    @Test
    void showPrintsTheWholeTraceAndNamesAnUnknownId() {
        bindAll();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "acme", TASK, "orchestrator",
                ExecutionStatus.SUCCEEDED, start, start.plusMillis(2500), "done", null, Usage.of(10, 5),
                new BigDecimal("0.002"), ANALYSIS, STRATEGY, List.of("files"),
                List.of("no draft was accepted: none reached minRating 4 in 4 evaluation(s)"))));
        String toolCall = "filesystem/read_file {\"path\":\"a.txt\"} -> result: " + "the file says hello. ".repeat(10);
        when(history.steps("e-1")).thenReturn(List.of(new ExecutionStep(1, start, "agent.tool.finished", "files",
                "fs_read_file", Duration.ofMillis(12), Usage.NONE, BigDecimal.ZERO, false, toolCall)));

        String out = commands.show(SESSION, "e-1");

        assertTrue(out.contains("status: SUCCEEDED\nwarning: no draft was accepted: none reached minRating 4 in 4"
                + " evaluation(s)\npattern: orchestrator\n"), out);
        assertTrue(out.contains("(2500 ms)"), out);
        assertTrue(out.contains("cost 0.002 USD"), out);
        assertTrue(out.contains("decision: orchestrator"), out);
        assertTrue(out.contains("agents: files"), out);
        assertTrue(out.contains("1  agent.tool.finished  files   fs_read_file  12"), out);
        assertTrue(out.contains("\ntool calls:\n#1 fs_read_file (12 ms): " + toolCall + "\n"),
                "the whole call, its result too, which the table cuts: " + out);
        assertTrue(out.endsWith("output:\ndone"), out);
        when(history.find("nope")).thenReturn(Optional.empty());
        assertEquals("no execution 'nope' in the history; agent:history lists the latest",
                assertThrows(IllegalArgumentException.class, () -> commands.show(SESSION, "nope")).getMessage());
    }

    /**
     * A dry run that would install a catalog server, in a session without the role admin, where the run itself is
     * refused: not runnable there, saying why, as REST's plan says it. An admin's plan of it can run.
     */
    @Test
    void aDryRunThatWouldInstallIsNotRunnableInASessionThatMayNotInstall() throws Exception {
        AgentCommands operator = new AgentCommands(TestSessions.framework(Map.of()), TestSessions.security("operator"),
                new ShellMasker());
        operator.bindAnalysis(analysis);
        operator.bindOrchestrator(orchestrator);
        bindAll();
        AutonomousPlan installing = new AutonomousPlan(Task.of(TASK), ANALYSIS, STRATEGY,
                new AgentPlan(AGENTS.agents(), Set.of("fetch"), Set.of()), List.of());
        when(orchestrator.plan(any(), any())).thenReturn(installing);

        String planned = operator.plan(TestSessions.session(), "--install", TASK);
        assertTrue(planned.contains("cannot run: running it needs the role admin: it would install fetch from the"
                + " catalog (agent:plan --install, as mcp:install does), and this session is operator ("), planned);
        assertFalse(commands.plan(SESSION, "--install", TASK).contains("cannot run"), "the admin may install");
    }

    @Test
    void planExecuteAndShowNameEachInstallThatFailedWithWhy() throws Exception {
        bindAll();
        AgentPlan failed = new AgentPlan(AGENTS.agents(), Set.of("memory"), Set.of("web_fetch"),
                Map.of("fetch", "uvx is not on the PATH", "brave-search", "npm exited with 1"));
        AutonomousPlan plan = new AutonomousPlan(Task.of(TASK), ANALYSIS, STRATEGY, failed, List.of());
        when(orchestrator.plan(any(), any())).thenReturn(plan);
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan, null));
        String lines = "servers installed from the catalog: memory\n"
                + "install failed: brave-search: npm exited with 1\n"
                + "install failed: fetch: uvx is not on the PATH\n";

        String planned = commands.plan(SESSION, "--install", TASK);
        String executed = executed(commands, "--install", TASK);

        assertTrue(planned.contains(lines), planned);
        assertTrue(executed.contains(lines), executed);

        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(history.find("e-1")).thenReturn(Optional.of(new ExecutionRecord("e-1", "acme", TASK, "orchestrator",
                ExecutionStatus.SUCCEEDED, start, start, "done", null, Usage.NONE, BigDecimal.ZERO, ANALYSIS,
                STRATEGY, List.of("files"))));
        when(history.steps("e-1")).thenReturn(List.of(new ExecutionStep(3, start, "autonomous.agents", "autonomous",
                "files", Duration.ZERO, Usage.NONE, BigDecimal.ZERO, false, "{\"agents\":[],\"installedServers\":[],"
                + "\"unmetCapabilities\":[\"web_fetch\"],\"failedInstalls\":{\"fetch\":\"uvx is not on the PATH\"}}")));
        String shown = commands.show(SESSION, "e-1");
        assertTrue(shown.contains("agents: files\ninstall failed: fetch: uvx is not on the PATH\n"), shown);

        when(history.steps("e-1")).thenReturn(List.of(new ExecutionStep(3, start, "autonomous.agents", "autonomous",
                "files", Duration.ZERO, Usage.NONE, BigDecimal.ZERO, false, "{\"agents\":[{\"name\":\"fi… (truncated)")));
        String cut = commands.show(SESSION, "e-1");
        assertTrue(cut.contains("agents: files\nfailed installs: not known, the plan of step 3 is cut short ("), cut);
    }

    @Test
    void cancelSaysWhatTheOrchestratorsCancellationCameTo() {
        bindAll();
        when(orchestrator.cancel(eq("e-1"), any())).thenReturn(
                new ExecutionCancellation("e-1", Outcome.CANCELLED, ExecutionStatus.RUNNING),
                new ExecutionCancellation("e-1", Outcome.NOT_RUNNING, ExecutionStatus.CANCELLED));
        // finished before a restart: the history holds it, the engine does not
        when(orchestrator.cancel(eq("e-old"), any())).thenReturn(
                new ExecutionCancellation("e-old", Outcome.NOT_RUNNING, ExecutionStatus.SUCCEEDED));
        when(orchestrator.cancel(eq("x"), any())).thenReturn(ExecutionCancellation.unknown("x"));

        assertEquals("execution e-1 cancelled", commands.cancel(SESSION, "e-1"));
        ArgumentCaptor<Principal> caller = ArgumentCaptor.forClass(Principal.class);
        verify(orchestrator).cancel(eq("e-1"), caller.capture());
        assertEquals(Role.ADMIN, caller.getValue().role(), "the console's caller decides what it may cancel");
        assertEquals("execution e-1 is not running (CANCELLED)", commands.cancel(SESSION, "e-1"));
        assertEquals("execution e-old is not running (SUCCEEDED)", commands.cancel(SESSION, "e-old"));
        assertEquals("no execution 'x' running or in the history; agent:history lists the latest",
                assertThrows(IllegalArgumentException.class, () -> commands.cancel(SESSION, "x")).getMessage());
    }

    @Test
    void showAndCancelTakeTheFirstCharactersOfAnIdAsAgentHistoryShowsIt() {
        bindAll();
        String id = "2d739357-e3f5-4a77-86e5-5add2bd175a8";
        ExecutionRecord running = recordOf(id, "default");
        when(history.find(id)).thenReturn(Optional.of(running));
        when(history.steps(id)).thenReturn(List.of());
        when(history.findByIdPrefix(eq("2d739357"), isNull(), anyInt())).thenReturn(List.of(running));

        assertTrue(commands.show(SESSION, "2d739357").startsWith("execution: " + id + "\n"),
                commands.show(SESSION, "2d739357"));
        when(orchestrator.cancel(eq("2d739357"), any())).thenReturn(ExecutionCancellation.unknown("2d739357"));
        when(orchestrator.cancel(eq(id), any())).thenReturn(
                new ExecutionCancellation(id, Outcome.CANCELLED, ExecutionStatus.RUNNING));
        assertEquals("execution " + id + " cancelled", commands.cancel(SESSION, "2d739357"));

        when(history.findByIdPrefix(eq("2d73"), isNull(), anyInt())).thenReturn(List.of(running,
                recordOf("2d73aaaa-0000-4000-8000-000000000000", "acme")));
        assertEquals("'2d73' starts the ids of 2 executions: " + id + ", 2d73aaaa-0000-4000-8000-000000000000; give"
                + " more of the id", assertThrows(IllegalArgumentException.class,
                () -> commands.show(SESSION, "2d73")).getMessage());
        List<ExecutionRecord> many = java.util.stream.IntStream.range(0, 6)
                .mapToObj(n -> recordOf("2d7" + n + "0000-0000-4000-8000-000000000000", "default")).toList();
        when(history.findByIdPrefix(eq("2d7-"), isNull(), eq(6))).thenReturn(many);
        assertEquals("'2d7-' starts the ids of more than 5 executions, among them " + many.subList(0, 5).stream()
                .map(ExecutionRecord::executionId).collect(java.util.stream.Collectors.joining(", "))
                + "; give more of the id", assertThrows(IllegalArgumentException.class,
                () -> commands.show(SESSION, "2d7-")).getMessage());
        // three characters name nothing: too many ids would start so
        assertEquals("no execution '2d7' in the history; agent:history lists the latest",
                assertThrows(IllegalArgumentException.class, () -> commands.show(SESSION, "2d7")).getMessage());
        verify(history, never()).findByIdPrefix(eq("2d7"), any(), anyInt());

        // a viewer asks for its own tenant's, and another tenant's id is no answer even when given back
        AgentCommands asViewer = new AgentCommands(TestSessions.framework(Map.of()), TestSessions.security("viewer"),
                masker);
        asViewer.bindHistory(history, Map.of("service.id", 1L));
        when(history.findByIdPrefix(eq("2d73aaaa"), eq("default"), anyInt())).thenReturn(
                List.of(recordOf("2d73aaaa-0000-4000-8000-000000000000", "acme")));
        assertEquals("no execution '2d73aaaa' in the history; agent:history lists the latest",
                assertThrows(IllegalArgumentException.class, () -> asViewer.show(SESSION, "2d73aaaa")).getMessage());
        verify(history).findByIdPrefix(eq("2d73aaaa"), eq("default"), anyInt());
    }

    private static ExecutionRecord recordOf(String id, String tenant) {
        Instant start = Instant.parse("2026-12-07T04:00:00Z");
        return new ExecutionRecord(id, tenant, TASK, "orchestrator", ExecutionStatus.RUNNING, start, null, null, null,
                Usage.NONE, BigDecimal.ZERO, ANALYSIS, STRATEGY, List.of(), List.of());
    }

    @Test
    void gogoCallsWithoutTheirArgumentOrWithABadNumberGetAMessageNamingIt() throws Exception {
        bindAll();
        try (GogoConsole gogo = new GogoConsole().with("agent", commands, "analyze", "plan", "execute", "history",
                "show", "cancel")) {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("agent:analyze", "agent:analyze needs the task in quotes: " + ANALYZE_USAGE);
            expected.put("agent:analyze read the files", "agent:analyze needs the task in quotes: " + ANALYZE_USAGE
                    + "; it got 3 separate words");
            expected.put("agent:plan --pattern direct", "agent:plan needs the task in quotes: " + PLAN_USAGE);
            String execute = "agent:execute needs the task in quotes: " + EXECUTE_USAGE;
            expected.put("agent:execute", execute);
            expected.put("agent:execute --pattern direct --async", execute);
            expected.put("agent:show", "agent:show needs the execution id: agent:show <id>"
                    + " (agent:history lists the latest)");
            expected.put("agent:cancel", "agent:cancel needs the execution id: agent:cancel <id>"
                    + " (agent:history lists the latest)");
            expected.put("agent:history abc", "agent:history: the number of executions must be a whole number from 1"
                    + " to 1000, was 'abc'");
            expected.put("agent:history --limit 0", "--limit must be a whole number from 1 to 1000, was '0'");
            expected.put("agent:execute --wait 99999999999 hi", "--wait must be a whole number from 1 to 86400,"
                    + " was '99999999999'");
            expected.put("agent:execute --wait 0 hi", "--wait must be a whole number from 1 to 86400, was '0'");
            expected.put("agent:execute --max-seconds 0 hi", "--max-seconds must be a whole number from 1 to 86400,"
                    + " was '0'");
            expected.put("agent:execute --max-tokens -5 hi", "--max-tokens must be a whole number from 0 to"
                    + " 9223372036854775807, was '-5'");
            expected.put("agent:execute --max-tokens 99999999999999999999 hi", "--max-tokens must be a whole number"
                    + " from 0 to 9223372036854775807, was '99999999999999999999'");
            expected.put("agent:execute --max-cost 1" + "0".repeat(400) + " --provider fast \"write a poem\"",
                    "--max-cost must be a finite number of US dollars of at least 0; the one given is beyond 1.8e308");
            expected.put("agent:execute --wait", "--wait needs a value: " + EXECUTE_USAGE);
            expected.put("agent:execute --max-tokens --provider fast \"write a poem\"", "--max-tokens needs a value: "
                    + EXECUTE_USAGE);
            expected.put("agent:execute --wait 5 --async \"write a poem\"", "agent:execute: give --wait or --async, "
                    + "not both: --async returns at once, --wait waits that long: " + EXECUTE_USAGE);
            expected.put("agent:execute --dry-run \"write a poem\" --async", "agent:execute: give --dry-run or"
                    + " --async, not both: a dry run only plans, so there is no execution to return at once: "
                    + EXECUTE_USAGE);
            expected.put("agent:execute --bogus 1 \"write a poem\"", "agent:execute: unknown option '--bogus'; the"
                    + " options: --pattern, --provider, --model, --max-agents, --task-file, --wait, --max-tokens,"
                    + " --max-cost, --max-seconds, --install, --dry-run, --async");
            expected.put("agent:plan --max-agents 2 --bogus \"a\"", "agent:plan: unknown option '--bogus'; the"
                    + " options: --pattern, --provider, --model, --max-agents, --task-file, --install");
            expected.put("agent:plan --pattern", "--pattern needs a value: " + PLAN_USAGE);
            expected.put("agent:plan --pattern \"\" \"a\"", "--pattern was given an empty value; give one, or leave"
                    + " the option out: " + PLAN_USAGE);
            expected.put("agent:history 5 6", "agent:history takes at most the number of executions: "
                    + HISTORY_USAGE + "; it got 2 separate words");
            expected.put("agent:history --limit", "--limit needs a value: " + HISTORY_USAGE);
            expected.put("agent:history --limit 5 6", "agent:history takes the number of executions once, as --limit"
                    + " or as the argument: " + HISTORY_USAGE);
            expected.put("agent:history --since", "--since needs a value: " + HISTORY_USAGE);
            expected.put("agent:execute --max-cost -1 hi", "--max-cost must be a number of US dollars of at least 0,"
                    + " was '-1'");
            // as REST's maxCostUsd: the history keeps costs to 10 decimal places
            expected.put("agent:execute --max-cost 0.00000000009 hi", "--max-cost must be 0 (no limit) or at least"
                    + " 0.0000000001 USD, was '0.00000000009'");
            expected.put("agent:execute --max-cost lots hi", "--max-cost must be a number of US dollars of at least"
                    + " 0, was 'lots'");
            // what bin/mcp-agent run refuses, the shell refuses alike
            expected.put("agent:execute --max-cost 1e5 hi", "--max-cost must be a number of US dollars of at least"
                    + " 0, was '1e5'");
            expected.put("agent:execute --max-tokens +5 hi", "--max-tokens must be a whole number from 0 to "
                    + Long.MAX_VALUE + ", was '+5'");
            // as REST refuses a repeated member
            expected.put("agent:execute --provider fast --provider slow hi", "--provider is given twice; give it"
                    + " once: " + EXECUTE_USAGE);
            expected.put("agent:execute --async --async hi", "--async is given twice; give it once: "
                    + EXECUTE_USAGE);
            expected.put("agent:history --status running --status failed", "--status is given twice; give it once: "
                    + HISTORY_USAGE);
            gogo.assertRefused(expected);
            verify(orchestrator, never()).execute(any(), any());

            when(history.query(any())).thenReturn(List.of());
            assertEquals("0 executions of 0", gogo.execute("agent:history 5"));
            assertEquals("0 executions of 0", gogo.execute("agent:history"));
            assertEquals("0 executions of 0", gogo.execute("agent:history --status failed --limit 3"));
            ArgumentCaptor<HistoryQuery> queries = ArgumentCaptor.forClass(HistoryQuery.class);
            verify(history, org.mockito.Mockito.times(3)).query(queries.capture());
            assertEquals(List.of(5, 20, 3), queries.getAllValues().stream().map(HistoryQuery::limit).toList());
            when(orchestrator.cancel(eq("e-1"), any())).thenReturn(ExecutionCancellation.unknown("e-1"));
            assertThrows(IllegalArgumentException.class, () -> gogo.execute("agent:cancel e-1"));
            verify(orchestrator).cancel(eq("e-1"), any());
        }
    }
    /** A runtime's bundle context with its home's data folder and a system bundle to stop. */
    /** The orchestrator starts execution {@code id}, which the direct pattern ends SUCCEEDED with "done". */
    private void orchestratorRunsADirectExecutionThatSucceeds(String id) throws InterruptedException {
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn(id);
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(execution.await(any())).thenReturn(Optional.of(new ExecutionResult(id, "direct",
                ExecutionStatus.SUCCEEDED, "done", null, Usage.NONE, start, start)));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), execution));
    }

    /** Runs agent:run in a Gogo console, its execution succeeding as {@code executionId}: the task it ran. */
    private String taskRun(AgentCommands run, String executionId) throws Exception {
        orchestratorRunsADirectExecutionThatSucceeds(executionId);
        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
        }
        ArgumentCaptor<Task> executed = ArgumentCaptor.forClass(Task.class);
        verify(orchestrator).execute(executed.capture(), any());
        return executed.getValue().text();
    }

    /**
     * Runs agent:run in a Gogo console, the runtime's plugins as {@code manager} tells them, its execution succeeding
     * as {@code executionId}: what it printed.
     */
    private String runPrinted(AgentCommands run, PluginManager manager, String executionId) throws Exception {
        run.bindPluginManager(manager);
        run.bindAnalysis(analysis);
        run.bindOrchestrator(orchestrator);
        orchestratorRunsADirectExecutionThatSucceeds(executionId);
        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            return gogo.output();
        }
    }

    /** A runtime that bin/mcp-agent run started with {@link #TASK}, its etc/ and data/ in {@code home}. */
    private static BundleContext runningTheTask(Path home) {
        BundleContext context = runtime(home);
        when(context.getProperty("mcpagent.etc")).thenReturn(home.resolve("etc").toString());
        when(context.getProperty("mcpagent.run.task")).thenReturn(TASK);
        return context;
    }

    private static BundleContext runtime(Path home) {
        BundleContext context = mock(BundleContext.class);
        Bundle system = mock(Bundle.class);
        when(context.getBundle(Constants.SYSTEM_BUNDLE_ID)).thenReturn(system);
        when(context.getProperty("mcpagent.data")).thenReturn(home.resolve("data").toString());
        when(context.getBundles()).thenReturn(new Bundle[0]); // built without the history, unless a test adds it
        return context;
    }

    @Test
    void runWaitsForAnInstalledHistoryStillStartingSoThatTheExecutionIsNotRefused(@TempDir Path home)
            throws Exception {
        BundleContext context = runningTheTask(home);
        Bundle historyBundle = mock(Bundle.class);
        when(historyBundle.getSymbolicName()).thenReturn("io.mcpagent.history");
        when(historyBundle.getState()).thenReturn(Bundle.STARTING);
        when(context.getBundles()).thenReturn(new Bundle[] {historyBundle});
        @SuppressWarnings("unchecked")
        ServiceReference<ExecutionHistory> registered = mock(ServiceReference.class);
        // not registered on the first two looks, then registered
        when(context.getServiceReference(ExecutionHistory.class)).thenReturn(null, null, registered);
        AgentCommands run = runCommands(context, new ShellMasker());
        orchestratorRunsADirectExecutionThatSucceeds("e-4");

        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            assertFalse(gogo.output().contains("still waiting"), gogo.output());
        }
        verify(context, atLeast(3)).getServiceReference(ExecutionHistory.class);
        verify(orchestrator).execute(any(), any());
        assertEquals("SUCCEEDED\n", Files.readString(home.resolve("data/run/status")));
    }

    @Test
    void runReadsTheTaskTheScriptHandsOverAsUtf8BytesAndRefusesOtherBytesSayingWhy(@TempDir Path home)
            throws Exception {
        BundleContext context = runtime(home);
        // as a here-string hands it over: the task's bytes and a line end, longer than one argument of a command holds
        String task = "summarise yesterday’s café notes for the 東京 office: " + "東".repeat(45_000);
        Path handedOver = Files.write(home.resolve("fd-63"), (task + "\n").getBytes(StandardCharsets.UTF_8));
        when(context.getProperty("mcpagent.run.taskDescriptor")).thenReturn(handedOver.toString());
        AgentCommands run = runCommands(context, new ShellMasker());

        assertEquals(task, taskRun(run, "e-5"));
        assertEquals("SUCCEEDED\n", Files.readString(home.resolve("data/run/status")));
        verify(context.getBundle(Constants.SYSTEM_BUNDLE_ID), timeout(5000)).stop();

        // Latin-1 bytes of a terminal that is not UTF-8: refused, not run as "caf\ufffd"
        Files.write(handedOver, new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains("mcp-agent run: the task from the command line is not UTF-8 text"
                    + " (java.nio.charset.MalformedInputException: Input length = 1): set the terminal to UTF-8, or"
                    + " give the task over REST (POST /api/v1/autonomous/execute)"), gogo.output());
        }
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
        verify(orchestrator).execute(any(), any());
        verify(context.getBundle(Constants.SYSTEM_BUNDLE_ID), timeout(5000).times(2)).stop();
    }

    @Test
    void runReadsTheTaskOfTaskFileWithoutItsLastLineEndAndNamesTheFileWhenItCannot(@TempDir Path home)
            throws Exception {
        BundleContext context = runtime(home);
        Path file = Files.writeString(home.resolve("task.md"), "Read the notes.\r\nThen write summary.md.\r\n");
        when(context.getProperty("mcpagent.run.taskFile")).thenReturn(file.toString());
        AgentCommands run = runCommands(context, new ShellMasker());

        assertEquals("Read the notes.\r\nThen write summary.md.", taskRun(run, "e-6"));
        verify(context.getBundle(Constants.SYSTEM_BUNDLE_ID), timeout(5000)).stop();

        // longer than the platform takes: refused having read no more than that
        Files.write(file, "a".repeat(3 * Task.MAX_CHARS + 1).getBytes(StandardCharsets.UTF_8));
        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains("mcp-agent run: the task from --task-file " + file + " is longer than "
                    + Task.MAX_CHARS + " characters, the most the platform takes"), gogo.output());
        }
        for (String blank : List.of("", " \n\n")) {
            Files.writeString(file, blank);
            try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
                gogo.execute("agent:run");
                assertTrue(gogo.output().contains("mcp-agent run: no task: the task from --task-file " + file + " is "
                        + (blank.isEmpty() ? "empty" : "blank")), gogo.output());
            }
        }
        Files.delete(file);
        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains("mcp-agent run: cannot read the task from --task-file " + file
                    + " (java.nio.file.NoSuchFileException: " + file + ")"), gogo.output());
        }
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
        verify(orchestrator).execute(any(), any());
    }

    @Test
    void runExecutesTheTaskOfTheCommandLineWritesItsStatusAndStopsTheRuntime(@TempDir Path home) throws Exception {
        BundleContext context = runningTheTask(home);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        when(context.getProperty("mcpagent.run.pattern")).thenReturn("direct");
        AgentCommands run = runCommands(context, new ShellMasker());
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-9");
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        StringBuilder printedWhileRunning = new StringBuilder();
        when(execution.await(Duration.ofSeconds(600))).thenAnswer(waiting -> {
            printedWhileRunning.append(printed);
            return Optional.of(new ExecutionResult("e-9", "direct", ExecutionStatus.FAILED, null, "the model refused",
                    Usage.NONE, start, start));
        });
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), execution));
        org.apache.felix.service.command.CommandSession session = mock(
                org.apache.felix.service.command.CommandSession.class);
        when(session.getConsole()).thenReturn(new java.io.PrintStream(printed, true));

        run.run(session);

        assertEquals("FAILED\n", Files.readString(home.resolve("data/run/status")));
        assertTrue(printed.toString().contains("status: FAILED (the model refused)"), printed.toString());
        // seen before the execution ends, so a run stopped before its end has shown them
        assertTrue(printedWhileRunning.toString().contains("analysis (") && printedWhileRunning.toString()
                .contains("decision: ") && printedWhileRunning.toString().contains("execution: e-9"),
                printedWhileRunning.toString());
        assertFalse(printedWhileRunning.toString().contains("status: FAILED"), printedWhileRunning.toString());
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).execute(any(), options.capture());
        assertEquals("direct", options.getValue().pattern());
        verify(system, timeout(5000)).stop();

        // doReturn: the runtime's stop of the run before runs on another thread and may still call the context,
        // which would take the stubbing of when(context...) for its own call
        doReturn("soon").when(context).getProperty("mcpagent.run.wait");
        run.run(session);
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
        assertTrue(printed.toString().contains("mcp-agent run: --wait must be a whole number from 1 to 86400, was"
                + " 'soon'"), printed.toString());
        // this run's stop, too, must be past its call of the context before the next stubbing, which it could take
        verify(system, timeout(5000).times(2)).stop();

        doReturn(null).when(context).getProperty("mcpagent.run.wait");
        doReturn("").when(context).getProperty("mcpagent.run.provider");
        run.run(session);
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
        assertTrue(printed.toString().contains("mcp-agent run: --provider was given an empty value; give one, or leave"
                + " the option out"), printed.toString());
        verify(orchestrator).execute(any(), any());
    }

    @Test
    void aDryRunOfTheCommandLinePlansOnlyAndItsStatusSaysWhetherThePlanCouldRun(@TempDir Path home) throws Exception {
        BundleContext context = runningTheTask(home);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        when(context.getProperty("mcpagent.run.dry-run")).thenReturn("true");
        when(context.getProperty("mcpagent.run.install")).thenReturn("true");
        AgentCommands run = runCommands(context, new ShellMasker());
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), null),
                new AutonomousRun(plan(List.of("no LLM provider is configured")), null));
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        org.apache.felix.service.command.CommandSession session = TestSessions.session(
                new java.io.PrintStream(printed, true));

        run.run(session);

        assertEquals("PLANNED\n", Files.readString(home.resolve("data/run/status")));
        assertTrue(printed.toString().contains("decision: ") && printed.toString().contains("dry run: not run."),
                printed.toString());
        ArgumentCaptor<AutonomousOptions> options = ArgumentCaptor.forClass(AutonomousOptions.class);
        verify(orchestrator).execute(any(), options.capture());
        assertTrue(options.getValue().dryRun(), "a dry run, so nothing runs or is installed");
        assertTrue(options.getValue().allowInstall(), "the plan lists what --install would install");
        verify(system, timeout(5000)).stop();

        run.run(session);
        assertEquals("NOT_RUN\n", Files.readString(home.resolve("data/run/status")), "the plan could not run");
        assertTrue(printed.toString().contains("cannot run: no LLM provider is configured"), printed.toString());
        verify(system, timeout(5000).times(2)).stop();
    }

    /**
     * A runtime built with the history whose jar is gone from system/ (deleted by hand; the start left it out): the
     * commands say it is missing, not that the runtime was built without it.
     */
    @Test
    void aHistoryTheRuntimeWasBuiltWithButLacksIsSaidToBeMissing() {
        BundleContext context = TestSessions.framework(Map.of());
        when(context.getProperty(BundleServices.FEATURES_PROPERTY)).thenReturn("core,shell,history,autonomous");
        AgentCommands builtWithHistory = new AgentCommands(context, TestSessions.admin(), new ShellMasker());
        builtWithHistory.bindOrchestrator(orchestrator);
        when(orchestrator.cancel(eq("x"), any())).thenReturn(ExecutionCancellation.unknown("x"));

        assertEquals("no execution 'x' running; the execution history is not installed (bundle io.mcpagent.history),"
                + " though this runtime was built with the feature history: its jar is missing from system/ (the start"
                + " said so) or the bundle was uninstalled; restore the jar from the distribution and restart;"
                + " agent:history lists those running", assertThrows(IllegalArgumentException.class,
                        () -> builtWithHistory.cancel(SESSION, "x")).getMessage());
    }

    /** Without the history, a cancel of an execution nobody knows does not point at a history that is not there. */
    @Test
    void withoutTheHistoryACancelOfAnUnknownExecutionSaysWhyNoneIsFound() {
        commands.bindOrchestrator(orchestrator);
        when(orchestrator.cancel(eq("x"), any())).thenReturn(ExecutionCancellation.unknown("x"));
        assertEquals("no execution 'x' running; " + HISTORY_NOT_INSTALLED + "; agent:history lists those"
                + " running", assertThrows(IllegalArgumentException.class, () -> commands.cancel(SESSION, "x"))
                .getMessage());
    }

    /**
     * A runtime built without the history keeps no record of an execution: a blocked plan, a failed analysis and a run
     * that stops while its execution still runs said it was recorded, to be read with agent:show (in a later runtime).
     */
    @Test
    void withoutTheHistoryAnEndedOrInterruptedExecutionIsSaidToBeNotRecorded(@TempDir Path home) throws Exception {
        commands.bindAnalysis(analysis);
        commands.bindOrchestrator(orchestrator);
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of("no provider")), null,
                "e-blocked"));
        String blocked = commands.execute(SESSION, "--wait", "30", TASK);
        assertTrue(blocked.endsWith("cannot run: no provider\n\nnot run; execution e-blocked ended FAILED and is not"
                + " recorded: " + HISTORY_NOT_INSTALLED), blocked);
        org.mockito.Mockito.doThrow(new DecisionException("no task analyzer answered", "e-failed")).when(orchestrator)
                .execute(any(), any());
        assertEquals("no task analyzer answered; execution e-failed ended FAILED and is not recorded: "
                + HISTORY_NOT_INSTALLED, assertThrows(DecisionException.class,
                () -> commands.execute(SESSION, "--wait", "30", TASK)).getMessage());

        BundleContext context = runningTheTask(home);
        when(context.getProperty("mcpagent.run.wait")).thenReturn("1");
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-9");
        when(execution.status()).thenReturn(ExecutionStatus.RUNNING);
        when(execution.await(Duration.ofSeconds(1))).thenReturn(Optional.empty());
        org.mockito.Mockito.doReturn(new AutonomousRun(plan(List.of()), execution)).when(orchestrator)
                .execute(any(), any());
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        org.apache.felix.service.command.CommandSession session = mock(
                org.apache.felix.service.command.CommandSession.class);
        when(session.getConsole()).thenReturn(new java.io.PrintStream(printed, true));
        runCommands(context, new ShellMasker()).run(session);
        assertTrue(printed.toString().contains("still running after 1 s; it stops with this run (interrupted; not"
                + " recorded: " + HISTORY_NOT_INSTALLED + ")"), printed.toString());
        verify(context.getBundle(Constants.SYSTEM_BUNDLE_ID), timeout(5000)).stop();
    }

    @Test
    void runPrintsTheWarningsOfASucceededResultAndStillEndsSucceeded(@TempDir Path home) throws Exception {
        BundleContext context = runningTheTask(home);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        AgentCommands run = runCommands(context, new ShellMasker());
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-10");
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        when(execution.await(Duration.ofSeconds(600))).thenReturn(Optional.of(new ExecutionResult("e-10",
                "evaluator-optimizer", ExecutionStatus.SUCCEEDED, "draft 3", null, Usage.NONE, start, start,
                List.of("no draft was accepted: none reached minRating 4 in 4 evaluation(s); the best-rated, draft 3"
                        + " (rated 3 of 5), is returned"))));
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), execution));
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        org.apache.felix.service.command.CommandSession session = mock(
                org.apache.felix.service.command.CommandSession.class);
        when(session.getConsole()).thenReturn(new java.io.PrintStream(printed, true));

        run.run(session);

        assertTrue(printed.toString().contains("status: SUCCEEDED\nwarning: no draft was accepted: none reached"
                + " minRating 4 in 4 evaluation(s); the best-rated, draft 3 (rated 3 of 5), is returned\n"),
                printed.toString());
        assertEquals("SUCCEEDED\n", Files.readString(home.resolve("data/run/status")),
                "exit code 0: requireAcceptance=true is the way to make it fail");
        verify(system, timeout(5000)).stop();
    }

    @Test
    void runWaitsForServersStillStartingButNotForDownOnesAndSaysWhyEachIsDown(@TempDir Path home) throws Exception {
        BundleContext context = runtime(home);
        Path etc = Files.createDirectories(home.resolve("etc"));
        for (String file : List.of("io.mcpagent.mcp.server~fs", "io.mcpagent.mcp.server~nocmd",
                "io.mcpagent.provider.openai~garbage", "io.mcpagent.provider.openai~leaky")) {
            Files.writeString(etc.resolve(file + ".cfg.json"), "{}");
        }
        when(context.getProperty("mcpagent.etc")).thenReturn(etc.toString());
        when(context.getProperty("mcpagent.run.task")).thenReturn(TASK);
        PluginManager manager = mock(PluginManager.class);
        when(manager.health("fs")).thenReturn(Optional.empty(), Optional.of(PluginHealth.unknown("connecting")),
                Optional.of(PluginHealth.up()));
        when(manager.health("nocmd")).thenReturn(Optional.of(PluginHealth.down(
                "could not start '/nonexistent/bin/xyz': No such file or directory")));
        when(manager.health("garbage")).thenReturn(Optional.of(PluginHealth.down("no API key: set OPENAI_API_KEY")));
        String secret = "literal-XSECRET-790"; // a configured value of no known shape: only the masker knows it
        when(manager.health("leaky")).thenReturn(Optional.of(PluginHealth.down("HTTP 401: key " + secret
                + " refused")));
        ShellMasker runMasker = new ShellMasker();
        runMasker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        AgentCommands run = new AgentCommands(context, TestSessions.admin(), runMasker);
        String printed = runPrinted(run, manager, "e-3");
        assertTrue(printed.contains("nocmd is down (could not start '/nonexistent/bin/xyz': No such file or"
                + " directory); going on without it\n"), printed);
        assertTrue(printed.contains("garbage is down (no API key: set OPENAI_API_KEY); going on without it\n"),
                printed);
        // a provider's health may quote its error
        assertTrue(printed.contains("leaky is down (HTTP 401: key " + Secrets.MASK + " refused); going on"
                + " without it\n"), printed);
        assertFalse(printed.contains("still waiting"), printed);
        // fs was waited for until it was up, past registering and connecting
        verify(manager, atLeast(3)).health("fs");
        verify(orchestrator).execute(any(), any());
        assertEquals("SUCCEEDED\n", Files.readString(home.resolve("data/run/status")));
    }

    /**
     * A file in etc/ that was not applied (malformed, a property misspelt) and of whose id Configuration Admin holds no
     * configuration registers no plugin: named with the file's problem, not waited for (before, the run waited
     * {@link AgentCommands#STARTUP} for it in silence). One whose id Configuration Admin holds (its earlier version
     * stays in force) is waited for, as its plugin comes.
     */
    @Test
    void runDoesNotWaitForAFileInEtcThatWasNotApplied(@TempDir Path home) throws Exception {
        BundleContext context = runtimeWithEtc(home, Map.of("io.mcpagent.mcp.server~bad.cfg.json",
                "{ \"comand\": \"x\" }", "io.mcpagent.mcp.server~kept.cfg.json", "{"));
        configurationAdminHolding(context,
                heldConfiguration("io.mcpagent.mcp.server~kept", "io.mcpagent.mcp.server", "kept"));
        PluginManager manager = mock(PluginManager.class);
        when(manager.health("bad")).thenReturn(Optional.empty());
        when(manager.health("kept")).thenReturn(Optional.empty(), Optional.of(PluginHealth.up()));
        String refusal = "etc/io.mcpagent.mcp.server~bad.cfg.json was not applied, and no earlier version of it is in"
                + " force: unknown property 'comand'";
        AgentCommands run = new AgentCommands(context, TestSessions.admin(), new ShellMasker());
        run.addReporter(() -> List.of(new Problem("config", "io.mcpagent.mcp.server~bad.cfg.json", refusal, null),
                new Problem("config", "io.mcpagent.mcp.server~kept.cfg.json", "etc/io.mcpagent.mcp.server~kept.cfg.json"
                        + " was not applied, the previous configuration stays in force: not valid JSON", null)),
                Map.of(Constants.SERVICE_ID, 7L));
        String printed = runPrinted(run, manager, "e-6");
        assertTrue(printed.contains("bad is not configured (" + refusal + "); going on without it\n"), printed);
        assertFalse(printed.contains("still waiting"), printed);
        assertFalse(printed.contains("kept is"), printed);
        verify(manager, atLeast(2)).health("kept"); // waited for until it was up
        verify(orchestrator).execute(any(), any());
    }

    /**
     * A file for a factory PID that no installed bundle reads (misspelt) is applied, so Configuration Admin holds its
     * configuration, yet no plugin comes of it: named with the file's problem, not waited for (before, the run waited
     * {@link AgentCommands#STARTUP} for it in silence). A configuration of the same id under the PID that is read is
     * still waited for.
     */
    @Test
    void runDoesNotWaitForAFileForAFactoryPidNoBundleReads(@TempDir Path home) throws Exception {
        BundleContext context = runtimeWithEtc(home, Map.of("io.mcpagent.provider.opneai~cloud.cfg.json", "{}",
                "io.mcpagent.provider.opneai~local.cfg.json", "{}"));
        configurationAdminHolding(context,
                heldConfiguration("io.mcpagent.provider.opneai~cloud", "io.mcpagent.provider.opneai", "cloud"),
                heldConfiguration("io.mcpagent.provider.opneai~local", "io.mcpagent.provider.opneai", "local"),
                heldConfiguration("io.mcpagent.provider.openai~local", "io.mcpagent.provider.openai", "local"));
        PluginManager manager = mock(PluginManager.class);
        when(manager.health("cloud")).thenReturn(Optional.empty());
        when(manager.health("local")).thenReturn(Optional.empty(), Optional.of(PluginHealth.up()));
        String unread = "etc/io.mcpagent.provider.opneai~cloud.cfg.json is applied, but no installed bundle reads the"
                + " factory PID io.mcpagent.provider.opneai, so it has no effect: did you mean"
                + " io.mcpagent.provider.openai~cloud.cfg.json? (a factory configuration is named"
                + " <factory PID>~<name>.cfg.json)";
        AgentCommands run = new AgentCommands(context, TestSessions.admin(), new ShellMasker());
        run.addReporter(() -> List.of(new Problem("config", "io.mcpagent.provider.opneai~cloud.cfg.json", unread, null),
                new Problem("config", "io.mcpagent.provider.opneai~local.cfg.json", unread.replace("cloud", "local"),
                        null)), Map.of(Constants.SERVICE_ID, 7L));
        String printed = runPrinted(run, manager, "e-7");
        assertTrue(printed.contains("cloud is not configured (" + unread + "); going on without it\n"), printed);
        assertFalse(printed.contains("still waiting"), printed);
        assertFalse(printed.contains("local is"), printed);
        verify(manager, atLeast(2)).health("local"); // its configuration under the PID that is read makes it
        verify(orchestrator).execute(any(), any());
    }

    /**
     * A provider and a server made in the Felix Web Console live in Configuration Admin alone, under generated PIDs,
     * named by their ids: the run did not wait for them, as etc/ has no file of theirs.
     */
    @Test
    void runWaitsForProvidersAndServersMadeInTheWebConsoleToo(@TempDir Path home) throws Exception {
        BundleContext context = runtime(home);
        when(context.getProperty("mcpagent.etc")).thenReturn(Files.createDirectories(home.resolve("etc")).toString());
        when(context.getProperty("mcpagent.run.task")).thenReturn(TASK);
        Configuration server = heldConfiguration("io.mcpagent.mcp.server.1c2d3e4f-0000-4b8f-9d1c-3c7f1f0d2a11",
                "io.mcpagent.mcp.server", "files");
        Configuration provider = heldConfiguration("io.mcpagent.provider.openai.6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
                "io.mcpagent.provider.openai", "cloud");
        configurationAdminHolding(context, server, provider);
        PluginManager manager = mock(PluginManager.class);
        when(manager.health("files")).thenReturn(Optional.empty(), Optional.of(PluginHealth.unknown("connecting")),
                Optional.of(PluginHealth.up()));
        when(manager.health("cloud")).thenReturn(Optional.of(PluginHealth.down("no API key: set OPENAI_API_KEY")));
        AgentCommands run = new AgentCommands(context, TestSessions.admin(), new ShellMasker());
        String printed = runPrinted(run, manager, "e-5");
        assertTrue(printed.contains("cloud is down (no API key: set OPENAI_API_KEY); going on without it\n"),
                printed);
        assertFalse(printed.contains("still waiting"), printed);
        verify(manager, atLeast(3)).health("files"); // waited for until it was up, past registering and connecting
        verify(orchestrator).execute(any(), any());
    }

    /** A runtime of {@code bin/mcp-agent run} for {@link #TASK} whose etc/ holds {@code files}, by name. */
    private BundleContext runtimeWithEtc(Path home, Map<String, String> files) throws Exception {
        BundleContext context = runtime(home);
        Path etc = Files.createDirectories(home.resolve("etc"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(etc.resolve(file.getKey()), file.getValue());
        }
        when(context.getProperty("mcpagent.etc")).thenReturn(etc.toString());
        when(context.getProperty("mcpagent.run.task")).thenReturn(TASK);
        return context;
    }

    /** Configuration Admin in {@code context} holding {@code held} as the provider and MCP server configurations. */
    @SuppressWarnings("unchecked")
    private static void configurationAdminHolding(BundleContext context, Configuration... held) throws Exception {
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(admin);
        when(admin.listConfigurations("(|(service.factoryPid=io.mcpagent.provider.*)"
                + "(service.factoryPid=io.mcpagent.mcp.server))")).thenReturn(held);
    }

    private static Configuration heldConfiguration(String pid, String factoryPid, String id) {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getFactoryPid()).thenReturn(factoryPid);
        when(configuration.getProperties()).thenReturn(new Hashtable<>(Map.of("id", id)));
        return configuration;
    }

    /**
     * {@code bin/mcp-agent run} in a runtime built without the autonomous layer says so at once, instead of waiting
     * {@link AgentCommands#STARTUP} for a layer that cannot come.
     */
    @Test
    void runInARuntimeBuiltWithoutTheAutonomousLayerSaysSoAtOnce(@TempDir Path home) throws Exception {
        BundleContext context = runningTheTask(home);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        AgentCommands run = new AgentCommands(context, TestSessions.admin(), masker);

        String printed = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
                gogo.execute("agent:run");
                return gogo.output();
            }
        });
        assertTrue(printed.contains("mcp-agent run: the autonomous layer is not installed (bundle"
                + " io.mcpagent.autonomous): this runtime was built without the feature autonomous"
                + " (features/autonomous.json)"), printed);
        assertFalse(printed.contains("still waiting"), printed);
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
        verify(system, timeout(5000)).stop();
    }

    @Test
    void runNamesTheExecutionADefectEndedFailed(@TempDir Path home) throws Exception {
        BundleContext context = runningTheTask(home);
        AgentCommands run = runCommands(context, masker);
        run.bindHistory(history, Map.of("service.id", 1L));
        when(orchestrator.execute(any(), any())).thenThrow(FailedExecution.named(new NullPointerException(), "e-npe"));

        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains("mcp-agent run: the execution failed inside the platform while it was"
                    + " planned, a defect to report (NullPointerException); execution e-npe is recorded FAILED:"
                    + " agent:show e-npe"), gogo.output());
        }
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
    }

    @Test
    void runPrintsWhyItFailedMasked(@TempDir Path home) throws Exception {
        BundleContext context = runningTheTask(home);
        AgentCommands run = runCommands(context, masker);
        String secret = "literal-XSECRET-777";
        masker.bindMasker(text -> text == null ? null : text.replace(secret, Secrets.MASK));
        // neither a refusal the orchestrator declares nor one of its kinds: printed as it is, but masked
        when(orchestrator.execute(any(), any())).thenThrow(new UnsupportedOperationException("the provider answered "
                + secret));

        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains("mcp-agent run: the provider answered " + Secrets.MASK), gogo.output());
            assertFalse(gogo.output().contains(secret), gogo.output());
        }
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
    }

    @Test
    void runRefusesATaskHoldingWhatIsNoTextAsRestRefusesIt(@TempDir Path home) throws Exception {
        assertRunRefuses(home, "read\u0000 the files", "mcp-agent run: the task holds the control character U+0000 at"
                + " 4; give the task as plain text");
    }

    @Test
    void runRefusesATaskLongerThanTheSharedLimit(@TempDir Path home) throws Exception {
        assertRunRefuses(home, "x".repeat(Task.MAX_CHARS + 1), "mcp-agent run: the task is 100001 characters long; at"
                + " most 100000 are taken");
    }

    /** {@code agent:run} of {@code task} prints {@code refusal}, writes the status ERROR and starts nothing. */
    private void assertRunRefuses(Path home, String task, String refusal) throws Exception {
        BundleContext context = runtime(home);
        when(context.getProperty("mcpagent.etc")).thenReturn(home.resolve("etc").toString());
        when(context.getProperty("mcpagent.run.task")).thenReturn(task);
        AgentCommands run = runCommands(context, new ShellMasker());

        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains(refusal), gogo.output());
        }
        assertEquals("ERROR\n", Files.readString(home.resolve("data/run/status")));
        verifyNoInteractions(orchestrator);
    }

    @Test
    void runDoesNotWaitForALazyServerThatConnectsOnFirstUse(@TempDir Path home) throws Exception {
        BundleContext context = runtime(home);
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("io.mcpagent.mcp.server~fs.cfg.json"), "{\"connect\": \"lazy\"}");
        when(context.getProperty("mcpagent.etc")).thenReturn(etc.toString());
        when(context.getProperty("mcpagent.run.task")).thenReturn(TASK);
        PluginManager manager = mock(PluginManager.class);
        when(manager.health("fs")).thenReturn(Optional.of(PluginHealth.unknown("connects on first use")));
        when(manager.get("fs")).thenReturn(Optional.of(new PluginInfo("fs", PluginKind.MCP_SERVER, "1.0.0", "fs", "",
                "io.mcpagent.mcp", "1.0.0", 7, 42, Map.of(PluginProperties.MCP_CONNECT,
                PluginProperties.MCP_CONNECT_LAZY))));
        AgentCommands run = new AgentCommands(context, TestSessions.admin(), new ShellMasker());
        String printed = runPrinted(run, manager, "e-4");
        assertFalse(printed.contains("still waiting"), printed);
        verify(orchestrator).execute(any(), any());
        assertEquals("SUCCEEDED\n", Files.readString(home.resolve("data/run/status")));
    }

    @Test
    void runRefusesInARuntimeNotStartedByTheCommandLineAndLeavesItRunning(@TempDir Path home) throws Exception {
        BundleContext context = runtime(home);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        // a viewer: agent:run refuses before any role check, since it is not this runtime's command
        AgentCommands run = new AgentCommands(context, TestSessions.security("viewer"), new ShellMasker());
        run.bindOrchestrator(orchestrator);
        run.bindAnalysis(analysis);

        try (GogoConsole gogo = new GogoConsole().with("agent", run, "run")) {
            assertEquals("agent:run runs only in a runtime started by bin/mcp-agent run \"<task>\" (and stops it); in"
                    + " this one use agent:execute \"<task>\"",
                    assertThrows(IllegalStateException.class, () -> gogo.execute("agent:run")).getMessage());
        }

        assertTrue(Files.notExists(home.resolve("data/run/status")));
        verify(system, after(300).never()).stop();
        verify(orchestrator, never()).execute(any(), any());
    }

    @Test
    void runAsksForTheOperatorRoleAndSaysAnExecutionStillRunningStopsWithTheRun(@TempDir Path home)
            throws Exception {
        BundleContext context = runningTheTask(home);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        when(context.getProperty("mcpagent.run.wait")).thenReturn("2");
        Execution execution = mock(Execution.class);
        when(execution.executionId()).thenReturn("e-7");
        when(execution.await(Duration.ofSeconds(2))).thenReturn(Optional.empty());
        when(orchestrator.execute(any(), any())).thenReturn(new AutonomousRun(plan(List.of()), execution));
        Path status = home.resolve("data/run/status");

        AgentCommands asViewer = new AgentCommands(context, TestSessions.security("viewer"), new ShellMasker());
        asViewer.bindOrchestrator(orchestrator);
        asViewer.bindAnalysis(analysis);
        try (GogoConsole gogo = new GogoConsole().with("agent", asViewer, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains("mcp-agent run: agent:run needs the operator role"), gogo.output());
        }
        assertEquals("ERROR\n", Files.readString(status));
        verify(orchestrator, never()).execute(any(), any());

        AgentCommands asAdmin = new AgentCommands(context, TestSessions.admin(), new ShellMasker());
        asAdmin.bindOrchestrator(orchestrator);
        asAdmin.bindAnalysis(analysis);
        asAdmin.bindHistory(history, Map.of("service.id", 1L));
        try (GogoConsole gogo = new GogoConsole().with("agent", asAdmin, "run")) {
            gogo.execute("agent:run");
            assertTrue(gogo.output().contains("execution: e-7\nstill running after 2 s; it stops with this run"
                    + " (interrupted; its record stays in the history: agent:show e-7 in a later runtime)"),
                    gogo.output());
            assertFalse(gogo.output().contains("follow it with"), gogo.output());
        }
        assertEquals("RUNNING\n", Files.readString(status));
        verify(system, timeout(5000).times(2)).stop();
    }

    /** The commands of {@code agent:run} in the runtime {@code context} describes, on this test's orchestrator. */
    private AgentCommands runCommands(BundleContext context, ShellMasker shellMasker) {
        AgentCommands run = new AgentCommands(context, TestSessions.admin(), shellMasker);
        run.bindAnalysis(analysis);
        run.bindOrchestrator(orchestrator);
        return run;
    }
}
