package io.mcpagent.autonomous.internal.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentPlanOptions;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AnalysisTimeoutException;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.DecisionEngine;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.DynamicAgentFactory;
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
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelChoice;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.autonomous.internal.Configs;
import io.mcpagent.autonomous.internal.MovingClock;
import io.mcpagent.config.testkit.SavedConfigurations;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

import io.mcpagent.pattern.testkit.TestWorkflowContext;

class DefaultAutonomousOrchestratorTest {
    private static final Map<String, Object> LIMITS_OF_ONE = Map.of("maxConcurrent", 1, "maxConcurrentPerTenant", 1,
            "maxConcurrentPerProvider", 1, "queueCapacity", 1, "maxFallbacks", 1);
    /** How refusals list the fixture's patterns: by plugin id, and by the name that selects each. */
    private static final String SWARM_LISTED = "pattern.swarm (swarm)";
    private static final String BOTH_LISTED = "pattern.orchestrator (orchestrator), " + SWARM_LISTED;
    private static final Principal OPERATOR = new Principal("key:op", Role.OPERATOR, "acme");
    private static final Principal ADMIN = new Principal("key:admin", Role.ADMIN, "default");
    private static final Task TASK = new Task("read the files and write summary.md", "acme", null);
    private static final TaskAnalysis ANALYSIS = new TaskAnalysis(TaskType.MULTI_DOMAIN, Complexity.MODERATE, 3,
            Set.of("file_read", "file_write"), 0.8, "orchestrator", "reads then writes", "heuristic");
    /** As the decision engine names patterns: by plugin id. */
    private static final StrategyRecommendation DECIDED = new StrategyRecommendation("pattern.orchestrator", 0.7,
            "fits 3 steps", Set.of("filesystem"), Complexity.MODERATE,
            List.of(new StrategyAlternative("pattern.direct", 0.5, "simpler"),
                    new StrategyAlternative("pattern.swarm", 0.2, "")));
    private static final AgentPlan AGENTS = new AgentPlan(List.of(new PlannedAgent(
            AgentSpec.of("files", "You handle files", "filesystem"), AgentRole.SPECIALIST,
            Set.of("file_read", "file_write"), "covers files")), Set.of(), Set.of());

    // its default analyze(task, timeLeft) asks analyze(task), which the tests stub
    private final AnalysisService analysis = mock(AnalysisService.class,
            org.mockito.Mockito.withSettings().defaultAnswer(org.mockito.Mockito.CALLS_REAL_METHODS));
    private final DecisionEngine decisions = mock(DecisionEngine.class);
    private final DynamicAgentFactory agents = mock(DynamicAgentFactory.class);
    private final WorkflowEngine engine = mock(WorkflowEngine.class);
    private final PluginManager plugins = mock(PluginManager.class);
    private final LlmRouter router = mock(LlmRouter.class);
    private final ExecutionBudgets budgets = new ExecutionBudgets();
    private final BundleContext context = mock(BundleContext.class);
    private DefaultAutonomousOrchestrator orchestrator;

    @BeforeEach
    void setUp() throws InterruptedException {
        // no pattern was removed moments ago, unless a test says so
        when(engine.awaitRemovedPattern(any())).thenReturn(java.time.Duration.ZERO);
        // a runtime built without the history feature, unless a test installs its bundle
        when(context.getBundles()).thenReturn(new Bundle[0]);
        when(analysis.analyze(any())).thenReturn(ANALYSIS);
        when(router.usage(any())).thenReturn(UsageSummary.NONE);
        when(decisions.decide(ANALYSIS)).thenReturn(DECIDED);
        when(agents.plan(any(), any(), any(), any())).thenReturn(AGENTS);
        // the whiteboard's own lookup in any case, over the providers listed here
        when(plugins.find(any(), any())).thenCallRealMethod();
        // a provider is found by its id among those listed, as the whiteboard finds it
        when(plugins.get(any())).thenAnswer(call -> plugins.list(PluginKind.PROVIDER).stream()
                .filter(info -> info.id().equals(call.getArgument(0))).findFirst());
        providers(provider("openai", false));
        patterns("pattern.orchestrator", "orchestrator", "pattern.swarm", "swarm");
        when(router.select(any())).thenReturn(new ModelChoice("openai", "gpt-4.1-mini", "cheapest"));
        orchestrator = orchestrator(LIMITS_OF_ONE);
    }

    @AfterEach
    void stop() {
        budgets.deactivate();
        orchestrator.deactivate();
    }

    private DefaultAutonomousOrchestrator orchestrator(Map<String, Object> configuration) {
        return new DefaultAutonomousOrchestrator(analysis, decisions, agents, engine, plugins, router, budgets,
                Configs.config(OrchestratorConfig.class, configuration), context, Clock.systemUTC(),
                DefaultAutonomousOrchestrator.STOP_GRACE);
    }

    private static void reconfigure(DefaultAutonomousOrchestrator orchestrator, Map<String, Object> configuration) {
        orchestrator.modified(Configs.config(OrchestratorConfig.class, configuration));
    }

    @Test
    void aPerTenantLimitSetAboveTheGlobalOneIsAppliedAndAProblemNamingBoth() {
        reconfigure(orchestrator, Map.of("maxConcurrent", 4, "maxConcurrentPerTenant", 6));

        assertEquals(4, orchestrator.admission().maxConcurrent(), "applied");
        assertEquals(6, orchestrator.admission().maxConcurrentPerTenant());
        assertEquals(List.of("configuration io.mcpagent.autonomous.orchestrator (etc/io.mcpagent.autonomous"
                + ".orchestrator.cfg.json) is applied, but its maxConcurrentPerTenant 6 is above maxConcurrent 4, which"
                + " bounds every tenant too: no tenant runs more than 4 executions at once; set maxConcurrentPerTenant"
                + " to at most 4, or raise maxConcurrent"), orchestrator.problems().stream().map(Problem::message)
                .toList());

        reconfigure(orchestrator, Map.of("maxConcurrent", 0, "maxConcurrentPerTenant", 6));
        assertEquals(2, orchestrator.problems().size(), "a refused configuration leaves the one in force and its warning");

        reconfigure(orchestrator, Map.of("maxConcurrent", 2));
        assertTrue(orchestrator.problems().isEmpty(), "the default per-tenant limit above a lowered global one is no"
                + " mistake: " + orchestrator.problems());
        reconfigure(orchestrator, Map.of("maxConcurrent", 2, "maxConcurrentPerTenant", 8));
        assertTrue(orchestrator.problems().isEmpty(), "nor is it given as it is, as the web console writes every"
                + " property: " + orchestrator.problems());
        reconfigure(orchestrator, Map.of("maxConcurrent", 6, "maxConcurrentPerTenant", 6));
        assertTrue(orchestrator.problems().isEmpty());
    }

    @Test
    void aPerTenantLimitAboveTheGlobalOneAtActivationIsAProblemToo() {
        Map<String, Object> configuration = Map.of("maxConcurrent", 2, "maxConcurrentPerTenant", 3);
        DefaultAutonomousOrchestrator started = orchestrator(configuration);
        try {
            assertTrue(started.problems().stream().anyMatch(problem -> problem.message().contains(
                    "maxConcurrentPerTenant 3 is above maxConcurrent 2")), started.problems().toString());
        } finally {
            started.deactivate();
        }
    }

    /**
     * Saved in the Web Console, the configuration has no file: the warning named
     * etc/io.mcpagent.autonomous.orchestrator.cfg.json, also at activation, before the context was set.
     */
    @Test
    void aPerTenantLimitAboveTheGlobalOneSavedInTheWebConsoleSaysSoRatherThanNamingAFile() throws Exception {
        SavedConfigurations.holdInConfigurationAdmin(context, OrchestratorConfig.PID, Map.of("maxConcurrent", 2));
        String expected = "configuration io.mcpagent.autonomous.orchestrator (set through Configuration Admin, such as"
                + " in the Web Console, not by a file in etc/) is applied, but its maxConcurrentPerTenant 3 is above"
                + " maxConcurrent 2";

        DefaultAutonomousOrchestrator started = orchestrator(Map.of("maxConcurrent", 2, "maxConcurrentPerTenant", 3));
        try {
            assertTrue(started.problems().getFirst().message().startsWith(expected), started.problems().toString());
        } finally {
            started.deactivate();
        }
        reconfigure(orchestrator, Map.of("maxConcurrent", 2, "maxConcurrentPerTenant", 3));
        assertTrue(orchestrator.problems().getFirst().message().startsWith(expected),
                orchestrator.problems().toString());
    }

    private static PluginInfo provider(String id, boolean scripted) {
        return plugin(id, PluginKind.PROVIDER, scripted ? Map.of("mcpagent.provider.scripted", "true") : Map.of());
    }

    private static PluginInfo plugin(String id, PluginKind kind, Map<String, String> properties) {
        PluginInfo info = mock(PluginInfo.class);
        when(info.id()).thenReturn(id);
        when(info.kind()).thenReturn(kind);
        when(info.properties()).thenReturn(properties);
        return info;
    }

    private void providers(PluginInfo... infos) {
        when(plugins.list(PluginKind.PROVIDER)).thenReturn(List.of(infos));
    }

    private void patterns(String... idsAndNames) {
        List<PluginInfo> infos = new java.util.ArrayList<>();
        for (int i = 0; i < idsAndNames.length; i += 2) {
            WorkflowPattern pattern = mock(WorkflowPattern.class);
            when(pattern.name()).thenReturn(idsAndNames[i + 1]);
            infos.add(plugin(idsAndNames[i], PluginKind.PATTERN, Map.of()));
            when(plugins.service(idsAndNames[i], WorkflowPattern.class)).thenReturn(Optional.of(pattern));
        }
        when(plugins.list(PluginKind.PATTERN)).thenReturn(infos);
    }

    @Test
    void planCombinesAnalysisDecisionAndAgentsAndPassesTheOptionsOn() {
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withProvider("openai", "gpt-4.1-mini")
                .withBudget(5000, null, java.time.Duration.ofMinutes(2));

        AutonomousPlan plan = orchestrator.plan(TASK, options.withDryRun(true));

        assertTrue(plan.runnable(), plan.blockers().toString());
        assertEquals(DECIDED, plan.strategy());
        ArgumentCaptor<AgentPlanOptions> agentOptions = ArgumentCaptor.forClass(AgentPlanOptions.class);
        verify(agents).plan(any(), any(), any(), agentOptions.capture());
        assertTrue(agentOptions.getValue().dryRun());
        assertEquals("openai", agentOptions.getValue().model().providerId());
        assertNull(agentOptions.getValue().limits(), "the factory gives its configured limits");
        assertEquals(5000, plan.agents().agents().get(0).spec().limits().maxTokens());
        ArgumentCaptor<ModelRequirements> asked = ArgumentCaptor.forClass(ModelRequirements.class);
        verify(router).select(asked.capture());
        assertEquals(Set.of(ModelCapability.TOOLS), asked.getValue().capabilities(), "the agents use MCP tools");
        assertEquals("gpt-4.1-mini", asked.getValue().model());
    }

    @Test
    void agentsKeepTheFactorysIterationLimitAndToolTimeoutAndGetTheTighterOfEachBudget() {
        AgentLimits configured = new AgentLimits(200, 3000, null, java.time.Duration.ofMinutes(5),
                java.time.Duration.ofSeconds(90));
        // as the factory does: the options' limits, or its configured ones when the options give none
        when(agents.plan(any(), any(), any(), any())).thenAnswer(call -> {
            AgentPlanOptions given = call.getArgument(3);
            AgentSpec spec = AgentSpec.of("files", "You handle files", "filesystem")
                    .withLimits(given.limits() != null ? given.limits() : configured);
            return new AgentPlan(List.of(new PlannedAgent(spec, AgentRole.SPECIALIST, Set.of("file_read"),
                    "covers files")), Set.of(), Set.of());
        });
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(5000, new BigDecimal("0.25"),
                java.time.Duration.ofMinutes(2));

        AgentLimits limits = orchestrator.plan(TASK, options.withDryRun(true)).agents().agents().get(0).spec()
                .limits();

        assertEquals(200, limits.maxIterations(), "the configured maxIterations, not the built-in 10");
        assertEquals(java.time.Duration.ofSeconds(90), limits.toolTimeout());
        assertEquals(3000, limits.maxTokens());
        assertEquals(new BigDecimal("0.25"), limits.maxCostUsd());
        assertEquals(java.time.Duration.ofMinutes(2), limits.maxTime());
    }

    /**
     * A forced swarm whose agents have no MCP server needs tools all the same (its agents hand over with them): with no
     * model that can call tools, its plan is blocked saying so, where it was runnable and failed at its first model
     * call. The same agents under a pattern that declares nothing run.
     */
    @Test
    void aForcedPatternWhoseModelCallsNeedWhatNoModelHasIsBlockedSayingWhy() {
        when(agents.plan(any(), any(), any(), any())).thenReturn(new AgentPlan(List.of(new PlannedAgent(
                AgentSpec.of("writer", "You write"), AgentRole.CREATOR, Set.of(), "writes")), Set.of(), Set.of()));
        PluginInfo swarm = plugin("pattern.swarm", PluginKind.PATTERN,
                Map.of(WorkflowPattern.MODEL_CAPABILITIES_PROPERTY, "[TOOLS, telepathy]"));
        org.mockito.Mockito.doReturn(Optional.of(swarm)).when(plugins).get("pattern.swarm");
        org.mockito.Mockito.doAnswer(call -> {
            if (call.<ModelRequirements>getArgument(0).capabilities().contains(ModelCapability.TOOLS)) {
                throw new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                        "no model fits (tools): no model has tools (openai/m)"));
            }
            return new ModelChoice("openai", "m", "cheapest");
        }).when(router).select(any());

        AutonomousPlan forced = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("swarm"));

        assertFalse(forced.runnable());
        assertEquals(List.of("the forced pattern 'pattern.swarm' calls every model with tools (its"
                + " mcpagent.pattern.modelCapabilities): no model fits (tools): no model has tools (openai/m)"),
                forced.blockers());
        assertTrue(orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("orchestrator")).runnable());
    }

    @Test
    void aForcedPatternMustBeInstalledAndKeepsTheDecisionAsAnAlternative() {
        AutonomousPlan plan = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("pattern.swarm"));

        assertEquals("pattern.swarm", plan.strategy().pattern());
        assertEquals(1.0, plan.strategy().confidence());
        assertEquals(List.of("pattern.orchestrator", "pattern.direct"), plan.strategy().alternatives().stream()
                .map(StrategyAlternative::pattern).toList());
        assertEquals("forced by the caller (confidence 1.0: the caller's choice, not the decision's); the decision"
                + " would have chosen pattern.orchestrator with confidence 0.70 (fits 3 steps)",
                plan.strategy().reasoning(), "the 1.0 is not read as the decision's certainty, which it keeps");
        assertEquals("pattern.swarm", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("SWARM"))
                .strategy().pattern(), "a name in another case names the plugin id, as the decision does");
        InvalidOptionException missing = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("chain")));
        assertEquals("no workflow pattern 'chain' is installed; installed: " + BOTH_LISTED, missing.getMessage());
        assertEquals("pattern", missing.option());
    }

    @Test
    void aForcedPatternRemovedMomentsAgoIsWaitedForAndUsedOnceItIsBack() throws InterruptedException {
        when(engine.awaitRemovedPattern("chain")).thenAnswer(invocation -> {
            // its new jar registers it while the engine waits
            patterns("pattern.orchestrator", "orchestrator", "pattern.swarm", "swarm", "pattern.chain", "chain");
            return java.time.Duration.ofMillis(600);
        });

        AutonomousPlan plan = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("chain"));

        assertEquals("pattern.chain", plan.strategy().pattern());
    }

    @Test
    void aForcedPatternWhoseBundleIsUninstalledWhileItIsWaitedForIsRefusedSayingSo() throws InterruptedException {
        when(engine.awaitRemovedPattern("chain")).thenAnswer(invocation -> {
            // the operator uninstalls the bundle whose jar was being replaced: the engine's wait ends early
            when(engine.whyNotComingBack("chain")).thenReturn(Optional.of("its bundle example.chain 1.0.0 was"
                    + " uninstalled"));
            return java.time.Duration.ofMillis(1200);
        });

        InvalidOptionException missing = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("chain")));

        assertEquals("no workflow pattern 'chain' is installed; installed: " + BOTH_LISTED + " (waited 1.2 s for it to"
                + " come back: its bundle example.chain 1.0.0 was uninstalled meanwhile)", missing.getMessage());
    }

    @Test
    void aForcedPatternWhoseBundleWasUninstalledBeforeTheRequestIsRefusedSayingSo() {
        when(engine.whyNotComingBack("gone")).thenReturn(Optional.of("its bundle example.gone 1.0.0 was uninstalled"));

        InvalidOptionException missing = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("gone")));

        assertEquals("no workflow pattern 'gone' is installed; installed: " + BOTH_LISTED + " (its bundle example.gone"
                + " 1.0.0 was uninstalled)", missing.getMessage());
    }

    @Test
    void aForcedPatternRemovedMomentsAgoThatDoesNotComeBackIsRefusedSayingHowLongItWasWaitedFor()
            throws InterruptedException {
        when(engine.awaitRemovedPattern("chain")).thenReturn(java.time.Duration.ofSeconds(5));

        InvalidOptionException missing = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("chain")));

        assertEquals("no workflow pattern 'chain' is installed; installed: " + BOTH_LISTED + " (waited 5 s for it to"
                + " come back)", missing.getMessage());
    }

    @Test
    void aForcedPatternListsTheDecisionsChoiceWithItsScoreAmongTheAlternativesBestFirst() {
        when(decisions.decide(ANALYSIS)).thenReturn(new StrategyRecommendation("pattern.orchestrator", 0.38,
                "fits 3 steps", Set.of(), Complexity.MODERATE, List.of(
                        new StrategyAlternative("pattern.evaluator-optimizer", 0.56, "close"),
                        new StrategyAlternative("pattern.direct", 0.3, "simpler"),
                        new StrategyAlternative("pattern.swarm", 0.2, "")), 0.65));

        StrategyRecommendation forced = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("swarm"))
                .strategy();

        assertEquals(List.of(new StrategyAlternative("pattern.orchestrator", 0.65, "the decision's choice"),
                new StrategyAlternative("pattern.evaluator-optimizer", 0.56, "close"),
                new StrategyAlternative("pattern.direct", 0.3, "simpler")), forced.alternatives(),
                "the choice's score, not the decision's confidence 0.38, ranks it");
        assertEquals(0.2, forced.score(), "the forced pattern keeps the score the decision gave it");
        assertEquals(1.0, forced.confidence());
    }

    @Test
    void anExecutionOfAPatternForcedByItsNameIsNamedByThePatternsPluginId() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));

        AutonomousRun run = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withPattern("swarm"));

        assertEquals("pattern.swarm", run.plan().strategy().pattern());
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        verify(engine).start(composed.capture(), any(), any(), any());
        assertEquals("pattern.swarm", composed.getValue().name(),
                "its started event, a cancellation while it waits: never the composed 'autonomous'");
    }

    @Test
    void aFallbackPatternGetsTheTeamTheFactoryPlansForItWithoutInstallingServers() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        orchestrator.execute(TASK, new AutonomousOptions(null, null, null, false, true, 5, 0, null,
                java.time.Duration.ofMinutes(1)));
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<WorkflowRequest> request = ArgumentCaptor.forClass(WorkflowRequest.class);
        verify(engine).start(composed.capture(), request.capture(), any(), any());
        TestWorkflowContext context = new TestWorkflowContext("e-1");
        context.pattern("pattern.orchestrator", failing("pattern.orchestrator"));
        context.pattern("pattern.direct", failing("pattern.direct"));

        composed.getValue().execute(request.getValue(), context);

        ArgumentCaptor<StrategyRecommendation> planned = ArgumentCaptor.forClass(StrategyRecommendation.class);
        ArgumentCaptor<AgentPlanOptions> options = ArgumentCaptor.forClass(AgentPlanOptions.class);
        verify(agents, org.mockito.Mockito.times(3)).plan(any(), any(), planned.capture(), options.capture());
        assertEquals(List.of("pattern.orchestrator", "pattern.orchestrator", "pattern.direct"),
                planned.getAllValues().stream().map(StrategyRecommendation::pattern).toList(),
                "the chosen pattern's team (planned, then installed for), then the fallback's");
        assertEquals(List.of(false, true, false), options.getAllValues().stream().map(AgentPlanOptions::allowInstall)
                .toList(), "only the plan the caller audits installs servers, once it is known to run");
    }

    /**
     * Readers without the history's record (a runtime without it) ask the orchestrator for the decision, to tell a
     * fallback: it holds it from the planning on, after the execution ended (the engine still shows it) too.
     */
    @Test
    void theDecisionOfAnExecutionIsHeldByItsIdAfterItEnded() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        AutonomousRun run = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<WorkflowRequest> request = ArgumentCaptor.forClass(WorkflowRequest.class);
        ArgumentCaptor<String> executionId = ArgumentCaptor.forClass(String.class);
        verify(engine).start(composed.capture(), request.capture(), any(), executionId.capture());
        TestWorkflowContext context = new TestWorkflowContext(executionId.getValue());
        context.pattern("pattern.orchestrator", failing("pattern.orchestrator"));
        context.pattern("pattern.direct", failing("pattern.direct"));

        composed.getValue().execute(request.getValue(), context);

        assertEquals(Optional.of(run.plan().strategy()), orchestrator.decision(executionId.getValue()),
                "the decided pattern, though the fallback ended it");
        assertEquals(Optional.empty(), orchestrator.decision("no-such-execution"));
    }

    /**
     * The decisions follow the engine's retention of ended executions (its keepFinished), not a count of their own: an
     * engine that holds more than 1000 ended executions, as one configured to keep 5000 does, still has the first one's
     * decision told (the orchestrator kept the last 1000 decisions, whatever the engine kept).
     */
    @Test
    void theDecisionOfAnExecutionIsHeldWhileTheEngineHoldsItBeyondAThousand() {
        List<WorkflowPattern> composed = new java.util.ArrayList<>();
        List<WorkflowRequest> requests = new java.util.ArrayList<>();
        List<String> started = new java.util.ArrayList<>();
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenAnswer(call -> {
            composed.add(call.getArgument(0));
            requests.add(call.getArgument(1));
            started.add(call.getArgument(3));
            return mock(Execution.class);
        });
        when(engine.find(any())).thenAnswer(call -> started.contains(call.<String>getArgument(0))
                ? Optional.of(mock(Execution.class)) : Optional.empty());

        for (int i = 0; i < 1001; i++) {
            orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);
            TestWorkflowContext context = new TestWorkflowContext(started.get(i));
            context.pattern("pattern.orchestrator", failing("pattern.orchestrator"));
            context.pattern("pattern.swarm", failing("pattern.swarm"));
            composed.get(i).execute(requests.get(i), context);
        }

        assertEquals(Optional.of(DECIDED), orchestrator.decision(started.get(0)), "the engine still holds it");
    }

    @Test
    void theAnalysisOfAnExecutionAdmittedAtOnceIsPartOfItsTimeBudget() {
        MovingClock clock = new MovingClock();
        orchestrator.deactivate();
        orchestrator = new DefaultAutonomousOrchestrator(analysis, decisions, agents, engine, plugins, router, budgets,
                Configs.config(OrchestratorConfig.class, LIMITS_OF_ONE), context, clock,
                DefaultAutonomousOrchestrator.STOP_GRACE);
        when(analysis.analyze(any())).thenAnswer(call -> {
            clock.advance(java.time.Duration.ofSeconds(3)); // an LLM analyzer waiting for its model
            return ANALYSIS;
        });
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withBudget(0, null, java.time.Duration.ofSeconds(2)));
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<WorkflowRequest> request = ArgumentCaptor.forClass(WorkflowRequest.class);
        verify(engine).start(composed.capture(), request.capture(), any(), any());
        TestWorkflowContext context = new TestWorkflowContext("e-1");
        WorkflowPattern orchestratorPattern = failing("pattern.orchestrator");
        context.pattern("pattern.orchestrator", orchestratorPattern);

        ExecutionResult result = composed.getValue().execute(request.getValue(), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("budget exceeded: time budget of 2 s ran out, by the analysis and planning of the task",
                result.error(),
                "not 2 s more after the 3 s the analysis took");
        assertEquals(java.time.Duration.ofSeconds(3),
                ((io.mcpagent.api.autonomous.TaskAnalyzedEvent) context.events().get(1)).duration(),
                "its step says how long the analysis took");
        verify(orchestratorPattern, never()).execute(any(), any());
        assertFalse(Thread.interrupted(), "the budget's interrupt has done its work");
    }

    @Test
    void thePlanningOfAnExecutionAdmittedAtOnceIsPartOfItsTimeBudgetAndNamedWhenItRunsOut() {
        MovingClock clock = new MovingClock();
        orchestrator.deactivate();
        orchestrator = new DefaultAutonomousOrchestrator(analysis, decisions, agents, engine, plugins, router, budgets,
                Configs.config(OrchestratorConfig.class, LIMITS_OF_ONE), context, clock,
                DefaultAutonomousOrchestrator.STOP_GRACE);
        when(agents.plan(any(), any(), any(), any())).thenAnswer(call -> {
            clock.advance(java.time.Duration.ofSeconds(3)); // installing a server with allowInstall
            return AGENTS;
        });
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withBudget(0, null, java.time.Duration.ofSeconds(2)));
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<WorkflowRequest> request = ArgumentCaptor.forClass(WorkflowRequest.class);
        verify(engine).start(composed.capture(), request.capture(), any(), any());
        TestWorkflowContext context = new TestWorkflowContext("e-1");
        WorkflowPattern orchestratorPattern = failing("pattern.orchestrator");
        context.pattern("pattern.orchestrator", orchestratorPattern);

        ExecutionResult result = composed.getValue().execute(request.getValue(), context);

        assertEquals("budget exceeded: time budget of 2 s ran out, by the analysis and planning of the task",
                result.error(), "the analysis took no time: the planning did");
        assertEquals(java.time.Duration.ZERO,
                ((io.mcpagent.api.autonomous.TaskAnalyzedEvent) context.events().get(1)).duration());
        verify(orchestratorPattern, never()).execute(any(), any());
        assertFalse(Thread.interrupted(), "the budget's interrupt has done its work");
    }

    @Test
    void anExecutionAdmittedAtOnceIsAnalysedWithinItsTimeBudget() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));

        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withBudget(0, null, java.time.Duration.ofSeconds(2)));

        verify(analysis).analyze(any(), org.mockito.ArgumentMatchers.eq(java.time.Duration.ofSeconds(2)));
    }

    private static WorkflowPattern failing(String name) {
        WorkflowPattern pattern = mock(WorkflowPattern.class);
        when(pattern.name()).thenReturn(name);
        when(pattern.execute(any(), any())).thenAnswer(call -> {
            WorkflowContext context = call.getArgument(1);
            return new io.mcpagent.api.workflow.ExecutionResult(context.executionId(), name, ExecutionStatus.FAILED,
                    null, "failed", null, java.time.Instant.now(), java.time.Instant.now());
        });
        return pattern;
    }

    @Test
    void aPinnedProviderThatIsDownIsABlockerNamingWhy() {
        providers(provider("pfb", true));
        when(plugins.health("pfb")).thenReturn(Optional.of(io.mcpagent.api.plugin.PluginHealth.down(
                "its script is invalid: answer 2 has neither text nor json")));

        AutonomousPlan plan = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("pfb", null));

        assertFalse(plan.runnable());
        assertEquals(List.of("the pinned provider 'pfb' is DOWN: its script is invalid: answer 2 has neither text"
                + " nor json"), plan.blockers());
        when(plugins.health("pfb")).thenReturn(Optional.of(io.mcpagent.api.plugin.PluginHealth.up()));
        assertTrue(orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("pfb", null)).runnable());
    }

    /** The agent factory's warnings (a path outside its file servers' roots) survive the cut of agents to budget. */
    @Test
    void aPlanKeepsTheWarningsOfItsAgentsWhenItCutsTheirLimitsToTheBudget() {
        String outside = "the task names /tmp/notes, outside the roots of the MCP server filesystem (/srv/data) ...";
        when(agents.plan(any(), any(), any(), any())).thenReturn(new AgentPlan(AGENTS.agents(), Set.of(), Set.of(),
                Map.of(), List.of(outside)));

        AutonomousPlan plan = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withBudget(1000, null,
                Duration.ofMinutes(5)));

        assertEquals(List.of(outside), plan.agents().warnings());
        assertEquals(List.of(outside), plan.warnings());
        assertEquals(1000, plan.agents().agents().get(0).spec().limits().maxTokens(), "cut to the budget");
    }

    /** The health of a provider whose configuration has mistakes, as the built-in providers report it. */
    private static final String MISTAKES = "misconfigured (etc/io.mcpagent.provider.openai~sp.cfg.json): no model"
            + " configured: set defaultModel (or models) to the model name your compatible server serves";

    /**
     * A configuration with mistakes serves no models: the plan was blocked with the provider's words and then the
     * router's "NOT_FOUND: no model fits ... left out: sp (it lists no models; DOWN: ...)", which only repeats them
     * after words that tell the operator nothing. Its own words alone block it.
     */
    @Test
    void aPinnedProviderThatIsDownListingNoModelsBlocksThePlanInItsOwnWordsAlone() {
        providers(provider("sp", false));
        when(plugins.health("sp")).thenReturn(Optional.of(PluginHealth.down(MISTAKES)));
        when(router.select(any())).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                "no model fits (provider 'sp'): no provider could list its models; left out: sp (it lists no models;"
                        + " DOWN: " + MISTAKES + ")")));

        AutonomousPlan plan = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("sp", null));

        assertEquals(List.of("the pinned provider 'sp' is DOWN: " + MISTAKES), plan.blockers());
    }

    @Test
    void aPlanThatCanRunWarnsOfADegradedProviderAndOfCircuitsThatAreNotClosed() {
        assertEquals(List.of(), orchestrator.plan(TASK, AutonomousOptions.DEFAULTS).warnings(), "all is well");
        when(plugins.health("openai")).thenReturn(Optional.of(PluginHealth.degraded(
                "the last call failed: provider 'openai': cannot connect: Connection refused")));

        AutonomousPlan degraded = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS);

        assertTrue(degraded.runnable(), "the router still calls a DEGRADED provider: " + degraded.blockers());
        assertEquals(List.of("the LLM provider 'openai' the agents would use is DEGRADED (the last call failed:"
                + " provider 'openai': cannot connect: Connection refused): its calls may fail, and the execution with"
                + " them unless a fallback provider answers"), degraded.warnings());

        when(plugins.health("openai")).thenReturn(Optional.of(PluginHealth.up()));
        providers(provider("openai", false), provider("anthropic", false), provider("scripted", true));
        when(router.circuits()).thenReturn(Map.of("openai", "half-open", "anthropic", "open", "scripted", "open"));

        AutonomousPlan circuits = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS);

        assertTrue(circuits.runnable(), circuits.blockers().toString());
        assertEquals(List.of("the circuit of the LLM provider 'openai' the agents would use is half-open after failed"
                + " calls: its next call is a trial, and the execution fails with it unless a fallback provider"
                + " answers", "the LLM provider 'anthropic' is left out while its circuit is open after failed calls;"
                + " the agents would use 'openai'"), circuits.warnings(), "a scripted one is called only when pinned");
        assertEquals(circuits.warnings(), circuits.providerWarnings());
        assertEquals(1, orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("openai", null)).warnings()
                .size(), "pinned: the providers left out do not matter");
    }

    @Test
    void aPinnedProviderWhoseCircuitIsOpenIsNoBlockerWhenTheRouterWouldGoAlongItsChainAndThePlanSaysWhere() {
        providers(provider("pfail", true), provider("pbackup", true));
        when(router.circuits()).thenReturn(Map.of("pfail", "open"));
        // as the router answers while open circuits are all that stand in the way and its chain has a provider
        when(router.select(any())).thenReturn(new ModelChoice("pbackup", "m", "pinned provider pfail, cheapest"
                + " model: pbackup/m; along the fallback chain, as pfail/m is left out (circuit open ...)"));

        AutonomousPlan plan = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("pfail", null));

        assertTrue(plan.runnable(), "the run would be answered by pbackup: " + plan.blockers());
        assertEquals(List.of("the circuit of the pinned provider 'pfail' is open after failed calls: until it closes,"
                + " the agents' calls go along the router's fallback chain, to 'pbackup' (each an llm.fallback step"
                + " naming the circuit)"), plan.warnings());
    }

    /**
     * Where no model fits (every provider DOWN, say), the plan is blocked in the router's words; the 409 and the
     * shell quoted its category too, "NOT_FOUND: no model fits ...", a code the operator has nothing to do with.
     */
    @Test
    void aPlanNoModelFitsIsBlockedInTheRoutersWordsWithoutItsCategory() {
        providers(provider("main", false));
        String why = "no model fits (any model): every provider with a fitting model is unavailable: main (DOWN: set"
                + " the environment variable OPENAI_API_KEY to the API key of provider 'main' and restart)";
        when(router.select(any())).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                why)));

        AutonomousPlan blocked = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS);
        assertEquals(List.of(why), blocked.blockers());
        assertNull(blocked.retryAfter(), "a DOWN provider is not waited out");
    }

    /**
     * A plan that cannot run installs nothing though the caller allows it: without a provider, POST /agents/create
     * with allowInstall ran npm install for agents that never run.
     */
    @Test
    void aPlanThatCannotRunInstallsNothingThoughAllowed() {
        providers();
        AutonomousOptions allowing = new AutonomousOptions(null, null, null, false, true, 5, 0, null,
                java.time.Duration.ofMinutes(1));

        when(agents.plan(any(), any(), any(), any())).thenAnswer(call -> {
            AgentPlanOptions given = call.getArgument(3);
            return given.allowInstall() ? new AgentPlan(AGENTS.agents(), Set.of("fetch"), Set.of(), Map.of())
                    : new AgentPlan(AGENTS.agents(), Set.of(), Set.of("web_fetch"), Map.of());
        });

        AutonomousPlan blocked = orchestrator.plan(TASK, allowing);

        assertFalse(blocked.runnable());
        ArgumentCaptor<AgentPlanOptions> options = ArgumentCaptor.forClass(AgentPlanOptions.class);
        verify(agents, org.mockito.Mockito.times(2)).plan(any(), any(), any(), options.capture());
        assertEquals(List.of(false, true), options.getAllValues().stream().map(AgentPlanOptions::allowInstall)
                .toList());
        assertTrue(options.getAllValues().get(1).dryRun(), "the agents as they would be, as a dry run shows them");
        assertEquals(Set.of(), blocked.agents().installedServers(), "nothing installed, nor audited as installed");
    }

    /**
     * Open circuits are all that block the plan (the router's NOT_FOUND says until when): it says when to try again,
     * for REST to answer 503 with Retry-After, not 409 as if there were something to configure.
     */
    @Test
    void aPlanBlockedByOpenCircuitsAloneSaysWhenToTryAgain() {
        providers(provider("main", false));
        when(router.select(any())).thenThrow(new ProviderException(new ProviderError(ProviderError.Category.NOT_FOUND,
                0, null, null, "no model fits (any model): main (circuit open after 5 consecutive failures,"
                + " half-opens in 28 s)", null, java.time.Duration.ofSeconds(28), false, null)));

        AutonomousPlan blocked = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS);

        assertFalse(blocked.runnable());
        assertEquals(java.time.Duration.ofSeconds(28), blocked.retryAfter());
        assertNull(blocked.withBlocker("something to do").retryAfter(), "a blocker to act on is not waited out");
    }

    /**
     * A model no provider serves was the router's "no model fits", a blocker (a 409 without the field, the command
     * line's exit 3): it is the caller's invalid option, named, before anything is analysed or started, as the chat
     * refuses it; the pinned provider's models, or every provider's, are listed.
     */
    @Test
    void aModelNoProviderServesIsRefusedNamingTheOptionBeforeAnythingIsSpent() {
        LlmProvider openai = mock(LlmProvider.class);
        when(openai.models()).thenReturn(List.of(new ModelInfo("gpt-5", Set.of(), 0, null, null),
                new ModelInfo("gpt-4.1-mini", Set.of(), 0, null, null)));
        when(plugins.service("openai", LlmProvider.class)).thenReturn(Optional.of(openai));

        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider(null, "nope")));
        InvalidOptionException pinned = assertThrows(InvalidOptionException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withProvider("openai", "nope")));

        assertEquals("model", unknown.option());
        assertEquals("no LLM provider serves the model 'nope'; the models are gpt-4.1-mini, gpt-5",
                unknown.getMessage());
        assertEquals("LLM provider 'openai' does not serve the model 'nope'; the models are gpt-4.1-mini, gpt-5",
                pinned.getMessage());
        verify(analysis, never()).analyze(any());
        verify(engine, never()).start(any(), any(), any(), any());
        assertTrue(orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider(null, "gpt-5")).runnable());
    }

    /** As the router answers a task naming none when only scripted providers are there and no chain names one. */
    private void onlyScriptedWithoutAChain() {
        when(router.select(any())).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                "only scripted providers are registered; they answer only when named")));
    }

    @Test
    void withoutAProviderItPlansButDoesNotRunAndNamesWhatToConfigure() {
        providers(provider("scripted", true));
        onlyScriptedWithoutAChain();

        AutonomousRun run = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);

        assertNull(run.execution());
        assertEquals(List.of("no LLM provider takes a task that names none: only scripted ones are configured"
                + " (scripted), and they answer only when named: --provider <id>, or \"provider\" over HTTP. A task"
                + " that names no provider needs a real one, or the router's fallbackChain naming a scripted one"
                + " (etc/io.mcpagent.llm.router.cfg.json). " + DefaultAutonomousOrchestrator.ADD_PROVIDER),
                run.plan().blockers(), "scripted providers are there: not 'no LLM provider is configured'");
        assertTrue(run.plan().blockers().get(0).contains("OPENAI_API_KEY"));
        assertTrue(run.plan().blockers().get(0).contains("ollama"));

        AutonomousRun modelOnly = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withProvider(null, "m"));
        assertNull(modelOnly.execution());
        assertTrue(modelOnly.plan().blockers().get(0).contains("only scripted ones are configured (scripted), and"
                + " they answer only when named: --provider <id>, or \"provider\" over HTTP; the model 'm' does not"
                + " name one, give its provider with it. "), modelOnly.plan().blockers().toString());

        org.mockito.Mockito.doThrow(new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                "provider 'scripted' serves no model 'x'"))).when(router).select(any());
        AutonomousPlan pinned = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("scripted", "x"));
        assertEquals(1, pinned.blockers().size());
        assertTrue(pinned.blockers().get(0).contains("provider 'scripted' serves no model 'x'"), pinned.blockers()
                .toString());

        providers();
        assertEquals(List.of(DefaultAutonomousOrchestrator.NO_PROVIDER), orchestrator.plan(TASK,
                AutonomousOptions.DEFAULTS.withProvider(null, "m")).blockers(), "none at all");
    }

    /**
     * A provider configured in etc/ whose bundle is stopped (or uninstalled) was no provider at all to a task naming
     * none: the blocker said to add one, and named neither it nor its bundle.
     */
    @Test
    void withoutAUsableProviderTheOnesConfiguredButNotRegisteredAreNamedWithTheirBundles(@TempDir Path etc)
            throws IOException {
        Files.writeString(etc.resolve("io.mcpagent.provider.openai~local.cfg.json"), "{}");
        Files.writeString(etc.resolve("io.mcpagent.provider.anthropic~claude.cfg.json"), "{}");
        Files.writeString(etc.resolve("io.mcpagent.provider.scripted~sp.cfg.json"), "{}");
        Files.writeString(etc.resolve("io.mcpagent.provider.scripted~demo.cfg.json"), "{}");
        when(context.getProperty(UnregisteredProvider.ETC_PROPERTY)).thenReturn(etc.toString());
        Bundle[] bundles = {bundle("io.mcpagent.provider.openai", Bundle.RESOLVED, 57),
                bundle("io.mcpagent.provider.scripted", Bundle.ACTIVE, 56)};
        when(context.getBundles()).thenReturn(bundles);
        providers(provider("demo", true));
        onlyScriptedWithoutAChain();

        AutonomousPlan onlyScripted = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS);

        String claude = "'claude': etc/io.mcpagent.provider.anthropic~claude.cfg.json configures it, but no bundle"
                + " io.mcpagent.provider.anthropic is installed (deploy it, or add its feature)";
        String local = "'local': etc/io.mcpagent.provider.openai~local.cfg.json configures it, but its bundle"
                + " io.mcpagent.provider.openai is RESOLVED, not started (felix:start 57)";
        assertEquals(List.of("no LLM provider takes a task that names none: only scripted ones are configured (demo),"
                + " and they answer only when named: --provider <id>, or \"provider\" over HTTP. A task that names no"
                + " provider needs a real one, or the router's fallbackChain naming a scripted one"
                + " (etc/io.mcpagent.llm.router.cfg.json); configured but not registered: " + claude + "; " + local),
                onlyScripted.blockers(), "neither the scripted 'sp', which would not take it either, nor advice to add"
                + " one");
        providers();
        assertEquals(List.of("no LLM provider is registered; configured but not registered: " + claude + "; " + local
                + ". The forced pattern 'pattern.swarm' does not run either: an execution starts only with a usable LLM"
                + " provider, whether or not its pattern calls a model"),
                orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("swarm")).blockers());
    }

    /**
     * The only real provider's bundle stopped, a scripted one left that the router's fallback chain names: the router
     * sends a task naming none along the chain, so the plan is not blocked; it says where the agents' calls go and
     * names the provider configured but not registered. The router is asked with the tools the agents need.
     */
    @Test
    void onlyScriptedProvidersTakeATaskNamingNoneWhenTheRoutersChainDoesAndThePlanSaysWhereAndWhy(@TempDir Path etc)
            throws IOException {
        Files.writeString(etc.resolve("io.mcpagent.provider.openai~local.cfg.json"), "{}");
        when(context.getProperty(UnregisteredProvider.ETC_PROPERTY)).thenReturn(etc.toString());
        Bundle[] bundles = {bundle("io.mcpagent.provider.openai", Bundle.RESOLVED, 57)};
        when(context.getBundles()).thenReturn(bundles);
        providers(provider("sp", true));
        when(router.select(any())).thenReturn(new ModelChoice("sp", "m", "cheapest model with tools: sp/m; along the"
                + " fallback chain, as LLM provider 'local' is gone: ..."));

        AutonomousPlan plan = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS);

        assertTrue(plan.runnable(), plan.blockers().toString());
        assertEquals(List.of("no LLM provider the router chooses by itself fits the agents' calls: they go along the"
                + " router's fallback chain, to the scripted provider 'sp' (each an llm.fallback step saying why);"
                + " configured but not registered: 'local': etc/io.mcpagent.provider.openai~local.cfg.json configures"
                + " it, but its bundle io.mcpagent.provider.openai is RESOLVED, not started (felix:start 57)"),
                plan.warnings());
        ArgumentCaptor<ModelRequirements> asked = ArgumentCaptor.forClass(ModelRequirements.class);
        verify(router, org.mockito.Mockito.atLeastOnce()).select(asked.capture());
        assertEquals(Set.of(ModelCapability.TOOLS), asked.getValue().capabilities(), "the agents have servers");
        assertNull(asked.getValue().providerId());
    }

    @Test
    void withoutAProviderAForcedPatternIsNotRunEitherAndTheBlockerSaysSo() {
        providers();

        AutonomousRun run = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withPattern("swarm"));

        assertNull(run.execution());
        assertEquals(List.of(DefaultAutonomousOrchestrator.NO_PROVIDER + ". The forced pattern 'pattern.swarm' does"
                + " not run either: an execution starts only with a usable LLM provider, whether or not its pattern"
                + " calls a model"), run.plan().blockers());
        verify(engine, never()).start(any(WorkflowPattern.class), any());
        assertEquals(List.of(DefaultAutonomousOrchestrator.NO_PROVIDER), orchestrator.plan(TASK,
                AutonomousOptions.DEFAULTS).blockers(), "a pattern the decision chose is not mentioned");
    }

    @Test
    void aForcedPatternIsFoundExactlyFirstAndOneThatFitsSeveralOnlyInCaseIsRefusedNamingThem() {
        patterns("pattern.swarm", "Swarm", "pattern.swarm2", "swarm", "Direct", "direct");

        // the decision names the pattern found by its plugin id
        assertEquals("pattern.swarm", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("Swarm"))
                .strategy().pattern(), "the exact name, though 'swarm' fits in another case");
        assertEquals("pattern.swarm2", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("swarm"))
                .strategy().pattern());
        assertEquals("pattern.swarm", orchestrator.plan(TASK,
                AutonomousOptions.DEFAULTS.withPattern("PATTERN.SWARM")).strategy().pattern(), "one id in another case");
        assertEquals("Direct", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("DIRECT")).strategy()
                .pattern(), "its id and its name fit, but they are one pattern");
        InvalidOptionException ambiguous = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("SWARM")));
        assertEquals("pattern", ambiguous.option());
        assertEquals("workflow pattern 'SWARM' is ambiguous: it names pattern.swarm, pattern.swarm2 when case is"
                + " ignored; give one of them exactly", ambiguous.getMessage());
    }

    /** Two patterns of one name (neither's id): a pattern forced by that name is refused naming both; one ran. */
    @Test
    void aForcedPatternNameThatTwoPatternsShareIsRefusedNamingThem() {
        patterns("acme.shout", "shout", "other.shout", "shout", "direct", "direct");

        InvalidOptionException ambiguous = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("shout")));

        assertEquals("pattern", ambiguous.option());
        assertEquals("workflow pattern name 'shout' is ambiguous: acme.shout and other.shout are both named so; give"
                + " one of them by its id", ambiguous.getMessage());
        assertEquals("other.shout", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("other.shout"))
                .strategy().pattern(), "by its id");
    }

    /**
     * The pattern is refused saying why whether the caller names it by its plugin id or by the plugin name
     * {@code plugin:list} shows (its own name() cannot be asked), and the installed list names it too.
     */
    @Test
    void aForcedPatternThatIsRegisteredButCannotBeUsedIsRefusedSayingWhyByItsIdOrListedName() {
        patterns("pattern.swarm", "swarm");
        List<PluginInfo> listed = new java.util.ArrayList<>(plugins.list(PluginKind.PATTERN));
        PluginInfo broken = plugin("broken", PluginKind.PATTERN, Map.of()); // listed, its service cannot be obtained
        when(broken.name()).thenReturn("BrokenCtor");
        listed.add(broken);
        when(plugins.list(PluginKind.PATTERN)).thenReturn(listed);
        when(plugins.service("broken", WorkflowPattern.class)).thenReturn(Optional.empty());
        when(plugins.health("broken")).thenReturn(Optional.of(PluginHealth.down("its component failed to activate")));

        for (String given : List.of("broken", "BrokenCtor", "brokenctor")) {
            InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                    () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern(given)));
            assertEquals("workflow pattern 'broken' is installed but cannot be used: its component failed to"
                    + " activate; installed: " + SWARM_LISTED + ", broken (cannot be used)", refused.getMessage(),
                    given);
        }
        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("nosuch")));
        assertEquals("no workflow pattern 'nosuch' is installed; installed: " + SWARM_LISTED
                + ", broken (cannot be used)", unknown.getMessage());
    }

    /**
     * A forced pattern removed moments ago whose replacement is registered but cannot be used is refused at once with
     * the replacement's health: waiting for it to come back cannot make it usable (it said "waited 444 ms").
     */
    @Test
    void aForcedPatternWhoseReplacementIsRegisteredButCannotBeUsedIsNotWaitedFor() throws InterruptedException {
        patterns("pattern.swarm", "swarm");
        List<PluginInfo> listed = new java.util.ArrayList<>(plugins.list(PluginKind.PATTERN));
        listed.add(plugin("broken", PluginKind.PATTERN, Map.of()));
        when(plugins.list(PluginKind.PATTERN)).thenReturn(listed);
        when(plugins.service("broken", WorkflowPattern.class)).thenReturn(Optional.empty());
        when(plugins.health("broken")).thenReturn(Optional.of(PluginHealth.down("its component failed to activate")));
        when(engine.awaitRemovedPattern("broken")).thenReturn(java.time.Duration.ofMillis(444));

        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("broken")));

        assertEquals("workflow pattern 'broken' is installed but cannot be used: its component failed to activate;"
                + " installed: " + SWARM_LISTED + ", broken (cannot be used)", refused.getMessage());
        verify(engine, never()).awaitRemovedPattern(any());
    }

    @Test
    void aPatternNamedAfterAnotherPatternsIdDoesNotTakeItsPlaceAndIsListedByItsId() {
        patterns("a.deployed", "direct", "direct", "direct", "b.deployed", "echo", "c.deployed", "echo");

        assertEquals("direct", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("direct")).strategy()
                .pattern());
        assertEquals("direct", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("DIRECT")).strategy()
                .pattern());
        InvalidOptionException missing = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("chain")));
        assertEquals("no workflow pattern 'chain' is installed; installed: a.deployed, direct, b.deployed (echo),"
                + " c.deployed", missing.getMessage(), "each listed by its id, and by the name that selects it: 'echo'"
                + " selects b.deployed, 'direct' the pattern of that id");
    }

    @Test
    void aPatternFailingToSayItsNameOrHavingNoneIsFoundByItsIdAndHidesNoOther() {
        patterns("pattern.swarm", "swarm", "broken", "x", "nameless", "x");
        when(plugins.service("broken", WorkflowPattern.class).orElseThrow().name())
                .thenThrow(new StackOverflowError("recursed"));
        when(plugins.service("nameless", WorkflowPattern.class).orElseThrow().name()).thenReturn(null);

        assertEquals("pattern.swarm", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("SWARM"))
                .strategy().pattern());
        assertEquals("broken", orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("broken")).strategy()
                .pattern());
        InvalidOptionException missing = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withPattern("chain")));
        assertEquals("no workflow pattern 'chain' is installed; installed: " + SWARM_LISTED + ", broken, nameless",
                missing.getMessage());
    }

    @Test
    void aPinnedProviderIsFoundByIdInAnyCaseExactFirstAndAnAmbiguousOneIsRefused() {
        providers(provider("scripted", true), provider("Local", false), provider("local", false));
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        ArgumentCaptor<ModelRequirements> asked = ArgumentCaptor.forClass(ModelRequirements.class);

        AutonomousPlan planned = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("Scripted", null));
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withProvider("SCRIPTED", null));
        orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("Local", null));

        assertTrue(planned.runnable(), planned.blockers().toString());
        verify(router, org.mockito.Mockito.times(3)).select(asked.capture());
        assertEquals(List.of("scripted", "scripted", "Local"), asked.getAllValues().stream()
                .map(ModelRequirements::providerId).toList(), "the id each request comes to");
        ArgumentCaptor<AgentPlanOptions> agentOptions = ArgumentCaptor.forClass(AgentPlanOptions.class);
        verify(agents, org.mockito.Mockito.atLeastOnce()).plan(any(), any(), any(), agentOptions.capture());
        assertEquals("scripted", agentOptions.getAllValues().get(0).model().providerId(), "the agents are pinned too");
        InvalidOptionException ambiguous = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("LOCAL", null)));
        assertEquals("provider", ambiguous.option());
        assertEquals("provider 'LOCAL' is ambiguous: it names Local, local when case is ignored; give one of them"
                + " exactly", ambiguous.getMessage());
    }

    @Test
    void aPinnedProviderThatIsNotRegisteredIsRefusedNamingItsFileAndBundleBeforeAnythingIsSpent(@TempDir Path etc)
            throws IOException {
        Files.writeString(etc.resolve("io.mcpagent.provider.scripted~sp.cfg.json"), "{\"script\": \"s.json\"}");
        Files.writeString(etc.resolve("io.mcpagent.provider.scripted~spare.cfg.json"), "{}");
        when(context.getProperty(UnregisteredProvider.ETC_PROPERTY)).thenReturn(etc.toString());
        Bundle scripted = bundle("io.mcpagent.provider.scripted", Bundle.RESOLVED, 17);
        when(context.getBundles()).thenReturn(new Bundle[] {scripted});
        providers(provider("slow", true));

        InvalidOptionException stopped = assertThrows(InvalidOptionException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withProvider("sp", null)));

        assertEquals("provider", stopped.option());
        assertEquals("the pinned provider 'sp' is not registered: etc/io.mcpagent.provider.scripted~sp.cfg.json"
                + " configures it, but its bundle io.mcpagent.provider.scripted is RESOLVED, not started (felix:start"
                + " 17); registered providers: slow", stopped.getMessage());
        verify(analysis, never()).analyze(any());
        assertEquals(0, orchestrator.admission().admitted(), "refused before it takes a place");

        when(scripted.getState()).thenReturn(Bundle.ACTIVE);
        providers();
        InvalidOptionException active = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("sp", null)));
        assertEquals("the pinned provider 'sp' is not registered: etc/io.mcpagent.provider.scripted~sp.cfg.json"
                + " configures it and its bundle io.mcpagent.provider.scripted is ACTIVE: the configuration may be"
                + " refused or the provider failed to start (see plugin:problems and data/log/mcp-agent.log);"
                + " registered providers: none. " + DefaultAutonomousOrchestrator.ADD_PROVIDER, active.getMessage(),
                "not 'no LLM provider is configured': one is, and it is named");

        when(context.getBundles()).thenReturn(new Bundle[0]);
        assertTrue(assertThrows(InvalidOptionException.class, () -> orchestrator.plan(TASK,
                AutonomousOptions.DEFAULTS.withProvider("sp", null))).getMessage().contains("configures it, but no"
                + " bundle io.mcpagent.provider.scripted is installed (deploy it, or add its feature)"));

        providers(provider("slow", true), provider("sp", true));
        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("nosuch", null)));
        assertEquals("the pinned provider 'nosuch' is not registered and no"
                + " etc/io.mcpagent.provider.<family>~nosuch.cfg.json configures it, nor a configuration made in the"
                + " Web Console with the id 'nosuch'; registered providers: slow, sp",
                unknown.getMessage());
    }

    /**
     * Pinned to a provider whose bundle stopped while it waited for its place: admitted, it ran its pattern, whose
     * first model call failed with the router's short NOT_FOUND ("provider 'sp' is not registered; registered
     * providers: slow"), not why nor what to do. It ends FAILED before any pattern runs, with the words of a
     * submission refused for that provider.
     */
    @Test
    void anExecutionWhosePinnedProviderLeftWhileItWaitedForItsPlaceFailsOnceAdmittedSayingWhyAsARefusalDoes(
            @TempDir Path etc) throws IOException {
        WaitingWhenItsProviderLeft waiting = waitingForAPlaceWhenItsPinnedProviderLeaves(etc);
        when(router.select(any())).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                "provider 'sp' is not registered; registered providers: slow")));

        ExecutionResult result = waiting.admitted();

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals(WaitingWhenItsProviderLeft.REFUSAL, result.error());
        verify(waiting.pattern(), never()).execute(any(), any());
        assertEquals(0, orchestrator.admission().running(), "its place is given back");
    }

    /**
     * The router's chain takes the calls pinned to the provider that left, but only those without tools, and the
     * agents have MCP servers: the admission check asked without them, so the execution ran and failed at its first
     * model call. It ends FAILED once admitted, before its pattern runs, saying the chain cannot call the tools.
     */
    @Test
    void anExecutionWhosePinnedProviderLeftIsRefusedOnceAdmittedWhenTheChainCannotCallTheToolsItsAgentsNeed(
            @TempDir Path etc) throws IOException {
        WaitingWhenItsProviderLeft waiting = waitingForAPlaceWhenItsPinnedProviderLeaves(etc);
        chainWithoutTools("slow");
        String chainWithoutTools = WaitingWhenItsProviderLeft.REFUSAL + ". The router's fallback chain would take its"
                + " calls without tools only, to 'slow': no provider of the chain has a model that can call tools,"
                + " which the agents need for their MCP servers";

        ExecutionResult result = waiting.admitted();

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals(chainWithoutTools, result.error());
        verify(waiting.pattern(), never()).execute(any(), any());
    }

    /**
     * Its pinned provider's configuration was edited with mistakes while it waited for its place: DOWN, it lists no
     * models. Admitted, it ran its pattern, whose first model call failed. It ends FAILED before any pattern runs, in
     * the words that block a plan pinned to it.
     */
    @Test
    void anExecutionWhosePinnedProviderTurnedDownWhileItWaitedForItsPlaceFailsOnceAdmittedInItsOwnWords(
            @TempDir Path etc) throws IOException {
        WaitingWhenItsProviderLeft waiting = waitingForAPlaceWhile(etc,
                registered -> when(plugins.health("sp")).thenReturn(Optional.of(PluginHealth.down(MISTAKES))));

        ExecutionResult result = waiting.admitted();

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("the pinned provider 'sp' is DOWN: " + MISTAKES, result.error());
        verify(waiting.pattern(), never()).execute(any(), any());
        assertEquals(0, orchestrator.admission().running(), "its place is given back");
    }

    /**
     * Its pinned provider turned DOWN while the chosen pattern ran, which failed: every fallback pattern would call it
     * and be refused the same way, so none is tried, and the error says why in the provider's words.
     */
    @Test
    void aPinnedProviderThatTurnedDownDuringAPatternEndsTheExecutionWithoutAFallbackPattern() {
        pinnable("sp");
        Started started = executedPinnedTo("sp");
        TestWorkflowContext context = new TestWorkflowContext(started.executionId());
        WorkflowPattern failing = mock(WorkflowPattern.class);
        when(failing.name()).thenReturn("pattern.orchestrator");
        when(failing.execute(any(), any())).thenAnswer(call -> {
            when(plugins.health("sp")).thenReturn(Optional.of(PluginHealth.down(MISTAKES)));
            return new ExecutionResult(call.<WorkflowContext>getArgument(1).executionId(), "pattern.orchestrator",
                    ExecutionStatus.FAILED, null, "model call 1 failed: INVALID_REQUEST: provider 'sp' is " + MISTAKES,
                    null, java.time.Instant.now(), java.time.Instant.now());
        });
        context.pattern("pattern.orchestrator", failing);
        WorkflowPattern direct = answering("pattern.direct", ExecutionStatus.SUCCEEDED, "done", null,
                new java.util.concurrent.atomic.AtomicBoolean(true));
        context.pattern("pattern.direct", direct);

        ExecutionResult result = started.composed().execute(new WorkflowRequest(TASK, null, null), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("model call 1 failed: INVALID_REQUEST: provider 'sp' is " + MISTAKES + "; no fallback pattern is"
                + " tried, as every pattern would call the pinned provider 'sp': the pinned provider 'sp' is DOWN: "
                + MISTAKES, result.error());
        verify(direct, never()).execute(any(), any());
    }

    /** As the router answers when its chain takes the calls pinned to 'sp', gone, to {@code chained}, without tools. */
    private void chainWithoutTools(String chained) {
        ProviderException noTools = new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                "provider 'sp' is not registered; registered providers: " + chained));
        org.mockito.Mockito.doAnswer(call -> {
            if (call.<ModelRequirements>getArgument(0).capabilities().contains(ModelCapability.TOOLS)) {
                throw noTools;
            }
            return new ModelChoice(chained, "m", "pinned provider sp; along the fallback chain, as the pinned"
                    + " provider sp is not registered (it left since its last call)");
        }).when(router).select(any());
    }

    /**
     * Two executions pinned to the scripted provider 'sp' of etc/, whose bundle is RESOLVED (17): the second waits for
     * the first one's place; then 'sp' leaves. {@link #admitted} runs the first, then the second, now admitted, with
     * {@link #pattern} as its chosen pattern.
     */
    private record WaitingWhenItsProviderLeft(List<String> startedAs, List<WorkflowPattern> composed,
                                              WorkflowPattern pattern) {
        static final String REFUSAL = "the pinned provider 'sp' is not registered:"
                + " etc/io.mcpagent.provider.scripted~sp.cfg.json configures it, but its bundle"
                + " io.mcpagent.provider.scripted is RESOLVED, not started (felix:start 17); registered providers:"
                + " slow";

        ExecutionResult admitted() {
            composed.get(0).execute(new WorkflowRequest(TASK, null, null), new TestWorkflowContext(startedAs.get(0)));
            TestWorkflowContext waited = new TestWorkflowContext(startedAs.get(1));
            waited.pattern("pattern.orchestrator", pattern);
            return composed.get(1).execute(new WorkflowRequest(TASK, null, null), waited);
        }
    }

    private WaitingWhenItsProviderLeft waitingForAPlaceWhenItsPinnedProviderLeaves(Path etc) throws IOException {
        return waitingForAPlaceWhile(etc, registered -> registered.set(false)); // its bundle stopped
    }

    /** As above, {@code meanwhile} happening to the pinned provider (whether it is registered) in place of leaving. */
    private WaitingWhenItsProviderLeft waitingForAPlaceWhile(Path etc,
            java.util.function.Consumer<java.util.concurrent.atomic.AtomicBoolean> meanwhile) throws IOException {
        Files.writeString(etc.resolve("io.mcpagent.provider.scripted~sp.cfg.json"), "{\"script\": \"s.json\"}");
        when(context.getProperty(UnregisteredProvider.ETC_PROPERTY)).thenReturn(etc.toString());
        Bundle scripted = bundle("io.mcpagent.provider.scripted", Bundle.RESOLVED, 17);
        when(context.getBundles()).thenReturn(new Bundle[] {scripted});
        java.util.concurrent.atomic.AtomicBoolean registered = pinnable("sp");
        List<String> startedAs = new java.util.ArrayList<>();
        List<WorkflowPattern> composed = new java.util.ArrayList<>();
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenAnswer(call -> {
            composed.add(call.getArgument(0));
            startedAs.add(call.getArgument(3));
            return mock(Execution.class);
        });
        AutonomousOptions pinned = AutonomousOptions.DEFAULTS.withProvider("sp", null);
        orchestrator.execute(TASK, pinned);
        orchestrator.execute(TASK, pinned);
        assertEquals(1, orchestrator.admission().waiting(), "the second waits for the first one's place");
        meanwhile.accept(registered);
        return new WaitingWhenItsProviderLeft(startedAs, composed, failing("pattern.orchestrator"));
    }

    /**
     * The pinned provider left during the chosen pattern, which failed for a reason of its own, but the router's
     * fallback chain takes the calls pinned to it: a fallback pattern, whose calls go there, may succeed, and is tried.
     */
    @Test
    void aPinnedProviderThatLeftDuringAPatternStillGetsAFallbackPatternWhenTheRoutersChainTakesItsCalls() {
        java.util.concurrent.atomic.AtomicBoolean registered = pinnable("sp");
        Started started = executedPinnedTo("sp");
        when(router.select(any())).thenReturn(new ModelChoice("pbackup", "m", "pinned provider sp; along the fallback"
                + " chain, as the pinned provider sp is not registered (it left since its last call)"));
        TestWorkflowContext context = new TestWorkflowContext(started.executionId());
        context.pattern("pattern.orchestrator", answering("pattern.orchestrator", ExecutionStatus.FAILED, null,
                "the plan names no worker", registered));
        context.pattern("pattern.direct", answering("pattern.direct", ExecutionStatus.SUCCEEDED, "done by pbackup",
                null, registered));

        ExecutionResult result = started.composed().execute(new WorkflowRequest(TASK, null, null), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("done by pbackup", result.output());
        assertEquals("pattern.direct", result.patternId());
    }

    /**
     * The pinned provider left during the chosen pattern, which failed, and the router's chain takes the calls pinned
     * to it, but only those without tools, which the fallback pattern's agents need for their MCP servers: the check
     * before a fallback pattern asked without them (unlike the admission check), so the fallback pattern was tried and
     * would fail at its first model call. It is not tried, and the error says why.
     */
    @Test
    void noFallbackPatternIsTriedWhenTheRoutersChainCannotCallTheToolsItsAgentsNeed() {
        java.util.concurrent.atomic.AtomicBoolean registered = pinnable("sp");
        Started started = executedPinnedTo("sp");
        chainWithoutTools("pbackup");
        TestWorkflowContext context = new TestWorkflowContext(started.executionId());
        context.pattern("pattern.orchestrator", answering("pattern.orchestrator", ExecutionStatus.FAILED, null,
                "the plan names no worker", registered));
        WorkflowPattern direct = answering("pattern.direct", ExecutionStatus.SUCCEEDED, "done by pbackup", null,
                registered);
        context.pattern("pattern.direct", direct);

        ExecutionResult result = started.composed().execute(new WorkflowRequest(TASK, null, null), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertTrue(result.error().startsWith("the plan names no worker; no fallback pattern is tried, as every"
                + " pattern would call the pinned provider 'sp': the pinned provider 'sp' is not registered"),
                result.error());
        assertTrue(result.error().endsWith(". The router's fallback chain would take its calls without tools only,"
                + " to 'pbackup': no provider of the chain has a model that can call tools, which the agents need for"
                + " their MCP servers"), result.error());
        verify(direct, never()).execute(any(), any());
    }

    /** Its pinned provider gone when it is admitted, an execution still runs when the router's chain takes them. */
    @Test
    void anExecutionWhosePinnedProviderLeftBeforeItsPatternRunsWhenTheRoutersChainTakesItsCalls() {
        java.util.concurrent.atomic.AtomicBoolean registered = pinnable("sp");
        Started started = executedPinnedTo("sp");
        registered.set(false);
        when(router.select(any())).thenReturn(new ModelChoice("pbackup", "m", "along the fallback chain"));
        TestWorkflowContext context = new TestWorkflowContext(started.executionId());
        context.pattern("pattern.orchestrator", answering("pattern.orchestrator", ExecutionStatus.SUCCEEDED,
                "done by pbackup", null, registered));

        ExecutionResult result = started.composed().execute(new WorkflowRequest(TASK, null, null), context);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
    }

    /**
     * The pinned provider left while the task was analysed: without a chain that takes its calls, the plan is blocked
     * with the words of a refusal for it, not the router's NOT_FOUND; with one, it runs there, and the plan says so
     * rather than speak of the provider's circuit.
     */
    @Test
    void aPinnedProviderThatLeftWhileTheTaskWasAnalysedBlocksThePlanSayingWhyUnlessTheChainTakesItsCalls() {
        java.util.concurrent.atomic.AtomicBoolean registered = pinnable("sp");
        when(analysis.analyze(any())).thenAnswer(call -> {
            registered.set(false); // its bundle stopped meanwhile
            return ANALYSIS;
        });
        when(router.select(any())).thenThrow(new ProviderException(ProviderError.of(ProviderError.Category.NOT_FOUND,
                "provider 'sp' is not registered; registered providers: slow")));

        AutonomousPlan blocked = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("sp", null));

        assertEquals(List.of("the pinned provider 'sp' is not registered and no"
                + " etc/io.mcpagent.provider.<family>~sp.cfg.json configures it, nor a configuration made in the Web"
                + " Console with the id 'sp'; registered providers: slow"), blocked.blockers());

        registered.set(true);
        org.mockito.Mockito.doReturn(new ModelChoice("pbackup", "m", "along the fallback chain")).when(router)
                .select(any());
        AutonomousPlan chained = orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("sp", null));

        assertTrue(chained.runnable(), chained.blockers().toString());
        assertEquals(List.of("the pinned provider 'sp' is not registered (it left since it was last called): the"
                + " agents' calls go along the router's fallback chain, to 'pbackup' (each an llm.fallback step naming"
                + " it)"), chained.providerWarnings());

        registered.set(true);
        chainWithoutTools("slow");
        assertEquals(List.of("the pinned provider 'sp' is not registered and no"
                + " etc/io.mcpagent.provider.<family>~sp.cfg.json configures it, nor a configuration made in the Web"
                + " Console with the id 'sp'; registered providers: slow. The router's fallback chain would take its"
                + " calls without tools only, to 'slow': no provider of the chain has a model that can call tools,"
                + " which the agents need for their MCP servers"), orchestrator.plan(TASK,
                AutonomousOptions.DEFAULTS.withProvider("sp", null)).blockers(), "its agents have servers");
    }

    /** The engine execution started for a task: its id and the composed pattern the engine would run. */
    private record Started(String executionId, WorkflowPattern composed) {
    }

    /** Executes the task pinned to provider {@code id}: analysed and planned here, started, not run by the engine. */
    private Started executedPinnedTo(String id) {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withProvider(id, null));
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<String> executionId = ArgumentCaptor.forClass(String.class);
        verify(engine).start(composed.capture(), any(), any(), executionId.capture());
        return new Started(executionId.getValue(), composed.getValue());
    }

    /** A pattern that ends so, its run clearing {@code registered}: the pinned provider's bundle stopped meanwhile. */
    private static WorkflowPattern answering(String name, ExecutionStatus status, String output, String error,
                                             java.util.concurrent.atomic.AtomicBoolean registered) {
        WorkflowPattern pattern = mock(WorkflowPattern.class);
        when(pattern.name()).thenReturn(name);
        when(pattern.execute(any(), any())).thenAnswer(call -> {
            registered.set(false);
            return new ExecutionResult(call.<WorkflowContext>getArgument(1).executionId(), name, status, output,
                    error, null, java.time.Instant.now(), java.time.Instant.now());
        });
        return pattern;
    }

    /** Provider {@code id}, registered (listed and found) while the flag it returns is set, as it is at first. */
    private java.util.concurrent.atomic.AtomicBoolean pinnable(String id) {
        java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean(true);
        PluginInfo info = provider(id, true);
        PluginInfo other = provider("slow", true);
        when(plugins.list(PluginKind.PROVIDER)).thenAnswer(call -> registered.get() ? List.of(other, info)
                : List.of(other));
        return registered;
    }

    /**
     * A provider made in the Web Console lives in Configuration Admin under a generated PID, named by its id: the
     * refusal named no configuration, as if none configured it. Files' configurations are named by their file alone.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPinnedProviderMadeInTheWebConsoleIsRefusedNamingItsConfigurationAndBundle(@TempDir Path etc)
            throws Exception {
        when(context.getProperty(UnregisteredProvider.ETC_PROPERTY)).thenReturn(etc.toString());
        String pid = "io.mcpagent.provider.openai.6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
        Configuration made = heldConfiguration(pid, "io.mcpagent.provider.openai", Map.of("id", "cloud"));
        Configuration fromFile = heldConfiguration("io.mcpagent.provider.openai~cloud", "io.mcpagent.provider.openai",
                Map.of("felix.fileinstall.filename", "file:/nowhere/io.mcpagent.provider.openai~cloud.cfg.json"));
        Configuration other = heldConfiguration("io.mcpagent.provider.openai.0000", "io.mcpagent.provider.openai",
                Map.of("id", "else"));
        ServiceReference<ConfigurationAdmin> reference = mock(ServiceReference.class);
        ConfigurationAdmin admin = mock(ConfigurationAdmin.class);
        when(context.getServiceReference(ConfigurationAdmin.class)).thenReturn(reference);
        when(context.getService(reference)).thenReturn(admin);
        when(admin.listConfigurations("(service.factoryPid=io.mcpagent.provider.*)"))
                .thenReturn(new Configuration[] {fromFile, other, made});
        Bundle openai = bundle("io.mcpagent.provider.openai", Bundle.ACTIVE, 21);
        when(context.getBundles()).thenReturn(new Bundle[] {openai});
        providers(provider("slow", true));

        InvalidOptionException stopped = assertThrows(InvalidOptionException.class,
                () -> orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("cloud", null)));

        assertEquals("the pinned provider 'cloud' is not registered: configuration " + pid + " (set through"
                + " Configuration Admin, such as in the Web Console, not by a file in etc/) configures it and its"
                + " bundle io.mcpagent.provider.openai is ACTIVE: the configuration may be refused or the provider"
                + " failed to start (see plugin:problems and data/log/mcp-agent.log); registered providers: slow",
                stopped.getMessage());
    }

    private static Configuration heldConfiguration(String pid, String factoryPid, Map<String, Object> properties) {
        Configuration configuration = mock(Configuration.class);
        when(configuration.getPid()).thenReturn(pid);
        when(configuration.getFactoryPid()).thenReturn(factoryPid);
        when(configuration.getProperties()).thenReturn(new Hashtable<>(properties));
        return configuration;
    }

    private static Bundle bundle(String symbolicName, int state, long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(symbolicName);
        when(bundle.getState()).thenReturn(state);
        when(bundle.getBundleId()).thenReturn(id);
        return bundle;
    }

    @Test
    void executeStartsOneEngineExecutionQueuedWhenItMustWaitAndRefusesWhenTheQueueIsFull() {
        Execution execution = mock(Execution.class);
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(execution);

        AutonomousRun first = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);

        assertEquals(execution, first.execution());
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<WorkflowRequest> request = ArgumentCaptor.forClass(WorkflowRequest.class);
        ArgumentCaptor<ExecutionStatus> initial = ArgumentCaptor.forClass(ExecutionStatus.class);
        verify(engine, org.mockito.Mockito.times(2)).start(composed.capture(), request.capture(), initial.capture(),
                any());
        assertEquals("pattern.orchestrator", composed.getValue().name(), "named by the chosen pattern from its start");
        assertEquals(TASK, request.getValue().task());
        assertEquals(ANALYSIS, first.plan().analysis(), "analysed once the execution had started");
        assertEquals(List.of(ExecutionStatus.RUNNING, ExecutionStatus.QUEUED), initial.getAllValues(),
                "the first admitted at once, the second waits for its place from its start");
        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(1, 1, 1, 0, 1, 1, 1, 1, 50), orchestrator.admission());
        org.mockito.Mockito.clearInvocations(analysis, agents, router);
        RejectedExecutionException full = assertThrows(RejectedExecutionException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        assertTrue(full.getMessage().startsWith("too many executions"), full.getMessage());
        verify(analysis, never()).analyze(any()); // nothing spent under an id that never names an execution
        verify(agents, never()).plan(any(), any(), any(), any()); // so no server is installed for it either
        verify(router, never()).usage(any());
        assertEquals(1, orchestrator.admission().rejected());
        assertFalse(orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withDryRun(true)).started().isPresent(),
                "a dry run takes no place");
    }

    @Test
    void aCancelledExecutionsPlaceIsFreeBeforeItsCancelledOutcomeIsPublished() {
        Execution first = mock(Execution.class);
        when(first.status()).thenReturn(ExecutionStatus.CANCELLED);
        Execution second = mock(Execution.class);
        List<String> startedAs = new java.util.ArrayList<>();
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenAnswer(call -> {
            startedAs.add(call.getArgument(3));
            return startedAs.size() == 1 ? first : second;
        });
        when(engine.find(any())).thenReturn(Optional.of(first));
        List<Integer> runningWhenCancelled = new java.util.ArrayList<>();
        // cancel() is where the engine publishes the CANCELLED outcome (the history records it from that event):
        // a client that sees it and submits at once must find the place free
        when(first.cancel()).thenAnswer(call -> {
            if (runningWhenCancelled.isEmpty()) { // not again when the orchestrator stops after the test
                runningWhenCancelled.add(orchestrator.admission().running());
                orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);
            }
            return true;
        });
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);
        assertEquals(1, orchestrator.admission().running());

        ExecutionCancellation cancelled = orchestrator.cancel(startedAs.get(0), ADMIN);

        assertEquals(Outcome.CANCELLED, cancelled.outcome());
        assertEquals(List.of(0), runningWhenCancelled, "the place was given back before the outcome");
        ArgumentCaptor<ExecutionStatus> initial = ArgumentCaptor.forClass(ExecutionStatus.class);
        verify(engine, org.mockito.Mockito.times(2)).start(any(WorkflowPattern.class), any(), initial.capture(), any());
        assertEquals(List.of(ExecutionStatus.RUNNING, ExecutionStatus.RUNNING), initial.getAllValues(),
                "the next execution is admitted at once, not queued behind the cancelled one");
    }

    @Test
    void aBlockedPlanOrAPlanningFailureGivesBackThePlaceTakenBeforeIt() {
        providers();
        assertNull(orchestrator.execute(TASK, AutonomousOptions.DEFAULTS).execution());
        assertEquals(0, orchestrator.admission().running(), "blocked: its place is free again");

        providers(provider("openai", false));
        org.mockito.Mockito.doThrow(new IllegalStateException("the agent factory broke")).when(agents)
                .plan(any(), any(), any(), any());
        assertThrows(IllegalStateException.class, () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        assertEquals(0, orchestrator.admission().running(), "a planning failure: likewise");
        assertEquals(0, orchestrator.admission().waiting());
    }

    @Test
    void aForcedPatternThatIsNotInstalledIsRefusedAsAPlanIsBeforeAnExecutionStartsSubmittedOrWaitedFor() {
        AutonomousOptions chain = AutonomousOptions.DEFAULTS.withPattern("chain");

        InvalidOptionException submitted = assertThrows(InvalidOptionException.class,
                () -> orchestrator.submit(TASK, chain));
        InvalidOptionException executed = assertThrows(InvalidOptionException.class,
                () -> orchestrator.execute(TASK, chain));

        verify(engine, never()).start(any(WorkflowPattern.class), any(), any(), any()); // so nothing is recorded
        verify(analysis, never()).analyze(any());
        assertEquals(0, orchestrator.admission().admitted(), "it never took a place");
        String planned = assertThrows(InvalidOptionException.class, () -> orchestrator.plan(TASK, chain)).getMessage();
        assertEquals("no workflow pattern 'chain' is installed; installed: " + BOTH_LISTED, planned);
        assertEquals(planned, submitted.getMessage());
        assertEquals(planned, executed.getMessage());
        assertEquals("pattern", submitted.option());
    }

    @Test
    void anExecutionsTaskIsAnalysedUnderTheIdItRunsUnderAndAPlanOrDryRunsUnderNone() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));

        ArgumentCaptor<Task> asked = ArgumentCaptor.forClass(Task.class);
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);
        verify(analysis).analyze(asked.capture());
        String id = asked.getValue().attributes().get(Task.EXECUTION_ID_ATTRIBUTE);
        assertNotNull(id, "the analyzers are told the execution they analyse for");
        assertEquals(TASK.text(), asked.getValue().text());
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        verify(engine).start(composed.capture(), any(), any(), startedAs.capture());
        assertEquals(id, startedAs.getValue(), "the execution runs under the id its analysis was made under");
        verify(router).usage(id);

        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withDryRun(true));
        orchestrator.plan(TASK, AutonomousOptions.DEFAULTS);
        verify(analysis, org.mockito.Mockito.times(2)).analyze(TASK);
    }

    /** A pinned provider (cost, data residency) holds for the analysis of the task too, not only for the agents. */
    @Test
    void theAnalyzersAreToldTheProviderAndModelTheExecutionPlanOrDryRunIsPinnedTo() {
        providers(provider("scripted", true));
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));

        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withProvider("SCRIPTED", "m1"));
        orchestrator.plan(TASK, AutonomousOptions.DEFAULTS.withProvider("scripted", null));
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withProvider("scripted", null).withDryRun(true));

        ArgumentCaptor<Task> asked = ArgumentCaptor.forClass(Task.class);
        verify(analysis, org.mockito.Mockito.times(3)).analyze(asked.capture());
        Map<String, String> executed = asked.getAllValues().get(0).attributes();
        assertEquals("scripted", executed.get(Task.PROVIDER_ATTRIBUTE), "as its plugin id, however it was spelled");
        assertEquals("m1", executed.get(Task.MODEL_ATTRIBUTE));
        assertNotNull(executed.get(Task.EXECUTION_ID_ATTRIBUTE));
        for (Task planned : asked.getAllValues().subList(1, 3)) {
            assertEquals(Map.of(Task.PROVIDER_ATTRIBUTE, "scripted"), planned.attributes());
        }
    }

    @Test
    void theExecutionPublishesWhatItsAnalysisCost() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        when(router.usage(any())).thenReturn(new UsageSummary(1, 0, Usage.of(500, 50), new BigDecimal("0.002")));
        orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<WorkflowRequest> request = ArgumentCaptor.forClass(WorkflowRequest.class);
        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        verify(engine).start(composed.capture(), request.capture(), any(), startedAs.capture());
        TestWorkflowContext context = new TestWorkflowContext(startedAs.getValue());

        composed.getValue().execute(request.getValue(), context);

        TaskAnalyzedEvent analysed = (TaskAnalyzedEvent) context.events().get(1);
        assertEquals(550, analysed.usage().totalTokens());
        assertEquals(new BigDecimal("0.002"), analysed.cost());
    }

    /**
     * An analysis that billed, then a planning that refused: the execution's record still carries what the analysis
     * cost, as the analysed event of a planned execution carries it (the history counts the cost from it).
     */
    @Test
    void anExecutionWhosePlanningFailsAfterABilledAnalysisPublishesWhatTheAnalysisCost() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        when(router.usage(any())).thenReturn(new UsageSummary(1, 0, Usage.of(500, 50), new BigDecimal("0.002")));
        providers(provider("openai", false));
        org.mockito.Mockito.doThrow(new IllegalStateException("the agent factory broke")).when(agents)
                .plan(any(), any(), any(), any());
        assertThrows(IllegalStateException.class, () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        ArgumentCaptor<WorkflowPattern> composed = ArgumentCaptor.forClass(WorkflowPattern.class);
        ArgumentCaptor<WorkflowRequest> request = ArgumentCaptor.forClass(WorkflowRequest.class);
        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        verify(engine).start(composed.capture(), request.capture(), any(), startedAs.capture());
        TestWorkflowContext context = new TestWorkflowContext(startedAs.getValue());

        ExecutionResult result = composed.getValue().execute(request.getValue(), context);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("the task could not be analysed and planned: the agent factory broke", result.error());
        List<TaskAnalyzedEvent> analysed = context.events().stream().filter(TaskAnalyzedEvent.class::isInstance)
                .map(TaskAnalyzedEvent.class::cast).toList();
        assertEquals(1, analysed.size(), "the analysis was made for the execution: " + context.events());
        assertEquals(Usage.of(500, 50), analysed.get(0).usage());
        assertEquals(new BigDecimal("0.002"), analysed.get(0).cost());
        assertEquals(ANALYSIS, analysed.get(0).analysis());
        assertEquals(TASK.text(), analysed.get(0).task().text());
    }

    @Test
    void withTheHistoryInstalledButNotWorkingNoExecutionStartsAndADryRunStillAnswers() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        Bundle historyBundle = mock(Bundle.class);
        when(historyBundle.getSymbolicName()).thenReturn(DefaultAutonomousOrchestrator.HISTORY_BUNDLE);
        when(historyBundle.getState()).thenReturn(Bundle.ACTIVE);
        when(context.getBundles()).thenReturn(new Bundle[] {historyBundle});
        // its component failed to activate (a damaged database): registered, yet nobody can obtain it
        ServiceReference<ExecutionHistory> registered = mock(ServiceReference.class);
        when(context.getServiceReference(ExecutionHistory.class)).thenReturn(registered);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));

        assertEquals("no execution is started while the execution history is installed but not working (the"
                + " ExecutionHistory service cannot be obtained (its component fails to activate: see the log and"
                + " scr:info); bundle io.mcpagent.history is ACTIVE): it would be recorded nowhere. See"
                + " data/log/mcp-agent.log and the problems in GET /api/v1/status (or plugin:problems): a damaged"
                + " data/history/executions.mv.db or a data/history folder that cannot be written are the usual"
                + " causes. Dry runs and analysis still work", refused.getMessage());
        verify(engine, never()).start(any(WorkflowPattern.class), any(), any(), any());
        verify(agents, never()).plan(any(), any(), any(), any()); // so no server is installed for it either
        assertEquals(0, orchestrator.admission().running());
        assertFalse(orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withDryRun(true)).started().isPresent());
        assertEquals(DECIDED, orchestrator.plan(TASK, AutonomousOptions.DEFAULTS).strategy());

        orchestrator.setHistory(mock(ExecutionHistory.class), Map.of("service.id", 1L));
        assertTrue(orchestrator.execute(TASK, AutonomousOptions.DEFAULTS).started().isPresent(),
                "once the history works again, executions start");
    }

    @Test
    void withTheHistoryBundleStoppedNoExecutionStarts() {
        Bundle historyBundle = mock(Bundle.class);
        when(historyBundle.getSymbolicName()).thenReturn(DefaultAutonomousOrchestrator.HISTORY_BUNDLE);
        when(historyBundle.getState()).thenReturn(Bundle.RESOLVED);
        when(context.getBundles()).thenReturn(new Bundle[] {historyBundle});

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));

        // stopped, not damaged: the message named a damaged database as the usual cause
        assertEquals("no execution is started while the execution history is installed but not working (no"
                + " ExecutionHistory service; bundle io.mcpagent.history is RESOLVED): it would be recorded nowhere."
                + " Start bundle io.mcpagent.history (felix:start in the shell, or the Bundles page of the web"
                + " console). Dry runs and analysis still work", refused.getMessage());
        verify(engine, never()).start(any(WorkflowPattern.class), any(), any(), any());
    }

    @Test
    void aRuntimeBuiltWithoutTheHistoryRunsExecutionsUnrecorded() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));

        assertTrue(orchestrator.execute(TASK, AutonomousOptions.DEFAULTS).started().isPresent());
    }

    @Test
    void aRefusedLimitKeepsTheLimitsInForceAndIsAProblemUntilRepaired() {
        reconfigure(orchestrator, Map.of("maxConcurrent", 0));

        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(0, 0, 0, 0, 1, 1, 1, 1, 50), orchestrator.admission());
        assertEquals(1, orchestrator.problems().size());
        assertEquals("configuration io.mcpagent.autonomous.orchestrator (etc/io.mcpagent.autonomous.orchestrator"
                + ".cfg.json) is refused: maxConcurrent must be at least 1, was 0; the previous settings stay in force"
                + " until it is repaired", orchestrator.problems().get(0).message());

        reconfigure(orchestrator, Map.of("maxConcurrent", 3));

        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(0, 0, 0, 0, 3, 8, 8, 100, 50), orchestrator.admission());
        assertTrue(orchestrator.problems().isEmpty());
    }

    @Test
    void aNegativeMaxFallbacksIsRefusedAndNothingOfThatConfigurationApplies() {
        reconfigure(orchestrator, Map.of("maxConcurrent", 3, "maxFallbacks", -1));

        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(0, 0, 0, 0, 1, 1, 1, 1, 50), orchestrator.admission());
        assertEquals(List.of("configuration io.mcpagent.autonomous.orchestrator (etc/io.mcpagent.autonomous"
                + ".orchestrator.cfg.json) is refused: maxFallbacks must be at least 0, was -1; the previous settings "
                + "stay in force until it is repaired"), orchestrator.problems().stream().map(Problem::message).toList());

        reconfigure(orchestrator, Map.of("maxFallbacks", 0));
        assertTrue(orchestrator.problems().isEmpty(), "a valid configuration clears the refusal");
    }

    @Test
    void maxWaitingPerTenantBoundsOneTenantsShareOfTheQueueAndIsRefusedBelowZero() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        DefaultAutonomousOrchestrator bounded = orchestrator(Map.of("maxConcurrent", 1, "queueCapacity", 3,
                "maxWaitingPerTenant", 1));
        bounded.execute(TASK, AutonomousOptions.DEFAULTS);
        bounded.execute(TASK, AutonomousOptions.DEFAULTS);

        RejectedExecutionException full = assertThrows(RejectedExecutionException.class,
                () -> bounded.execute(TASK, AutonomousOptions.DEFAULTS));
        assertTrue(full.getMessage().contains("tenant 'acme' has 1 waiting, its share of the queue"
                + " (maxWaitingPerTenant 1)"), full.getMessage());
        bounded.execute(new Task(TASK.text(), "other", null), AutonomousOptions.DEFAULTS);
        assertEquals(2, bounded.admission().waiting(), "another tenant still queues");
        assertEquals(1, bounded.admission().maxWaitingPerTenant(), "the share in force is shown with the limits");

        reconfigure(bounded, Map.of("maxWaitingPerTenant", -1));
        assertEquals(List.of("configuration io.mcpagent.autonomous.orchestrator (etc/io.mcpagent.autonomous"
                + ".orchestrator.cfg.json) is refused: maxWaitingPerTenant must be at least 0, was -1; the previous"
                + " settings stay in force until it is repaired"),
                bounded.problems().stream().map(Problem::message).toList());
        assertEquals(1, bounded.admission().maxWaitingPerTenant(), "the refused share is not shown as in force");
    }

    @Test
    void aTenantsAdmissionCountsItsOwnExecutionsOnlyWithTheLimitsOfAll() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        DefaultAutonomousOrchestrator bounded = orchestrator(Map.of("maxConcurrent", 1, "queueCapacity", 3,
                "maxWaitingPerTenant", 1));
        bounded.execute(TASK, AutonomousOptions.DEFAULTS);
        bounded.execute(TASK, AutonomousOptions.DEFAULTS);
        assertThrows(RejectedExecutionException.class, () -> bounded.execute(TASK, AutonomousOptions.DEFAULTS));
        bounded.execute(new Task(TASK.text(), "other", null), AutonomousOptions.DEFAULTS);

        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(1, 1, 1, 1, 1, 8, 8, 3, 1),
                bounded.admission("acme"));
        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(0, 1, 0, 0, 1, 8, 8, 3, 1),
                bounded.admission("other"));
        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(0, 0, 0, 0, 1, 8, 8, 3, 1),
                bounded.admission("nobody"));
        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(1, 2, 1, 1, 1, 8, 8, 3, 1), bounded.admission());
    }

    @Test
    void startedWithARefusedLimitItRunsOnItsDefaults() {
        DefaultAutonomousOrchestrator started = orchestrator(Map.of("queueCapacity", -1));

        assertEquals(new io.mcpagent.api.autonomous.AdmissionStats(0, 0, 0, 0, 16, 8, 8, 100, 50), started.admission());
        assertTrue(started.problems().get(0).message().contains("queueCapacity must be at least 0, was -1; the "
                + "defaults are in force"), started.problems().get(0).message());
    }

    @Test
    void cancelStopsARunningExecutionOnceAndTellsAFinishedOneFromAnUnknownOne() {
        Execution running = mock(Execution.class);
        when(engine.find("e-run")).thenReturn(Optional.of(running));
        when(running.cancel()).thenReturn(true, false);
        when(running.status()).thenReturn(ExecutionStatus.RUNNING, ExecutionStatus.CANCELLED);
        ExecutionHistory history = mock(ExecutionHistory.class);
        when(history.find(any())).thenReturn(Optional.empty());
        when(history.find("e-run")).thenReturn(Optional.of(record("e-run", "acme", ExecutionStatus.RUNNING)));
        orchestrator.setHistory(history, Map.of("service.id", 1L));

        assertEquals(new ExecutionCancellation("e-run", Outcome.CANCELLED, ExecutionStatus.RUNNING),
                orchestrator.cancel("e-run", OPERATOR));
        assertEquals(new ExecutionCancellation("e-run", Outcome.NOT_RUNNING, ExecutionStatus.CANCELLED),
                orchestrator.cancel("e-run", OPERATOR));
        assertEquals(ExecutionCancellation.unknown("nope"), orchestrator.cancel("nope", ADMIN));
    }

    @Test
    void anExecutionOnlyTheHistoryHoldsIsNotRunningWithItsRecordedStatus() {
        // finished before a restart: the engine of this runtime never ran it
        when(engine.find(any())).thenReturn(Optional.empty());
        ExecutionHistory history = mock(ExecutionHistory.class);
        when(history.find("e-old")).thenReturn(Optional.of(record("e-old", "acme", ExecutionStatus.SUCCEEDED)));
        orchestrator.setHistory(history, Map.of("service.id", 1L));

        assertEquals(new ExecutionCancellation("e-old", Outcome.NOT_RUNNING, ExecutionStatus.SUCCEEDED),
                orchestrator.cancel("e-old", OPERATOR));
        assertEquals(new ExecutionCancellation("e-old", Outcome.NOT_RUNNING, ExecutionStatus.SUCCEEDED),
                orchestrator.cancel("e-old", ADMIN));

        orchestrator.unsetHistory(Map.of("service.id", 1L));
        assertEquals(ExecutionCancellation.unknown("e-old"), orchestrator.cancel("e-old", ADMIN),
                "without the history nothing tells of it");
    }

    @Test
    void anotherTenantsExecutionIsUnknownAndLeftRunning() {
        Execution running = mock(Execution.class);
        when(engine.find("e-run")).thenReturn(Optional.of(running));
        when(running.cancel()).thenReturn(true);
        ExecutionHistory history = mock(ExecutionHistory.class);
        when(history.find("e-run")).thenReturn(Optional.of(record("e-run", "acme", ExecutionStatus.RUNNING)));
        orchestrator.setHistory(history, Map.of("service.id", 1L));
        Principal other = new Principal("key:o", Role.OPERATOR, "globex");

        assertEquals(ExecutionCancellation.unknown("e-run"), orchestrator.cancel("e-run", other));
        verify(running, never()).cancel();

        orchestrator.unsetHistory(Map.of("service.id", 1L));
        assertEquals(ExecutionCancellation.unknown("e-run"), orchestrator.cancel("e-run", OPERATOR),
                "without the history only an admin can tell whose it is");
        verify(running, never()).cancel();
        assertEquals(Outcome.CANCELLED, orchestrator.cancel("e-run", ADMIN).outcome());
    }

    private static ExecutionRecord record(String id, String tenant, ExecutionStatus status) {
        return new ExecutionRecord(id, tenant, "task", "direct", status, java.time.Instant.EPOCH, null, null, null,
                null, null, null, null, null);
    }

    /** The engine's part, as it does it: the composed pattern runs on a thread of its own, interrupted on cancel. */
    private static final class ThreadedExecution implements Execution {
        private final String id;
        private final CompletableFuture<ExecutionResult> outcome = new CompletableFuture<>();
        private final Thread thread;
        /** Open: the result is recorded as the pattern returns it; closed: only once someone waits for it. */
        private final CountDownLatch recording;
        private final TestWorkflowContext context;

        ThreadedExecution(String id, WorkflowPattern composed, WorkflowRequest request, TestWorkflowContext context) {
            this(id, composed, request, context, new CountDownLatch(0));
        }

        ThreadedExecution(String id, WorkflowPattern composed, WorkflowRequest request, TestWorkflowContext context,
                          CountDownLatch recording) {
            this.id = id;
            this.recording = recording;
            this.context = context;
            thread = Thread.ofVirtual().start(() -> {
                ExecutionResult result = composed.execute(request, context);
                try {
                    recording.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                outcome.complete(result);
            });
        }

        @Override
        public String executionId() {
            return id;
        }

        @Override
        public String pattern() {
            return "pattern.orchestrator";
        }

        @Override
        public ExecutionStatus status() {
            // as the engine's: the status the composed pattern set last (QUEUED while it waits for admission)
            List<ExecutionStatus> set = context.statuses();
            return result().map(ExecutionResult::status)
                    .orElse(set.isEmpty() ? ExecutionStatus.RUNNING : set.getLast());
        }

        @Override
        public Optional<ExecutionResult> result() {
            return Optional.ofNullable(outcome.getNow(null));
        }

        @Override
        public Optional<ExecutionResult> await(Duration timeout) throws InterruptedException {
            recording.countDown();
            try {
                return Optional.of(outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                return Optional.empty();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean cancel() {
            thread.interrupt();
            return true;
        }
    }

    /** A TaskAnalyzer that blocks until released (an LLM analyzer waiting for its model), interrupted as it would be. */
    private static final class BlockingAnalyzer implements io.mcpagent.api.task.TaskAnalyzer {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        public TaskAnalysis analyze(Task task) {
            entered.countDown();
            try {
                release.await();
                return ANALYSIS;
            } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
                // as the analysis service answers an interrupted analysis
                throw new io.mcpagent.api.autonomous.DecisionException("interrupted while the task was being analysed");
            }
        }
    }

    /** The analysis service asking {@code analyzer}; and an engine running each execution on a thread of its own. */
    private List<TestWorkflowContext> analysingWith(BlockingAnalyzer analyzer) {
        return analysingWith(analyzer, new CountDownLatch(0));
    }

    /** {@link #analysingWith(BlockingAnalyzer)}, each execution's end recorded only once {@code recording} opens. */
    private List<TestWorkflowContext> analysingWith(BlockingAnalyzer analyzer, CountDownLatch recording) {
        when(analysis.analyze(any())).thenAnswer(call -> analyzer.analyze(call.getArgument(0)));
        List<TestWorkflowContext> contexts = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, Execution> executions = new java.util.concurrent.ConcurrentHashMap<>();
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenAnswer(call -> {
            TestWorkflowContext context = new TestWorkflowContext(call.getArgument(3));
            context.pattern("pattern.orchestrator", failing("pattern.orchestrator"));
            contexts.add(context);
            Execution execution = new ThreadedExecution(call.getArgument(3), call.getArgument(0),
                    call.getArgument(1), context, recording);
            executions.put(call.getArgument(3), execution);
            return execution;
        });
        when(engine.find(any())).thenAnswer(call -> Optional.ofNullable(executions.get(call.getArgument(0))));
        return contexts;
    }

    private static List<String> steps(TestWorkflowContext context) {
        return context.events().stream().filter(io.mcpagent.api.workflow.PatternEvent.class::isInstance)
                .map(io.mcpagent.api.workflow.PatternEvent.class::cast)
                .map(io.mcpagent.api.workflow.PatternEvent::step).toList();
    }

    @Test
    void aSubmittedExecutionIsThereWhileItsTaskIsAnalysedAndACancellationEndsItAndTheAnalysis() throws Exception {
        BlockingAnalyzer analyzer = new BlockingAnalyzer();
        List<TestWorkflowContext> contexts = analysingWith(analyzer);

        Execution submitted = orchestrator.submit(TASK, AutonomousOptions.DEFAULTS);

        assertTrue(analyzer.entered.await(10, TimeUnit.SECONDS));
        assertTrue(submitted.result().isEmpty(), "returned before its analysis ended");
        assertEquals(ExecutionStatus.RUNNING, submitted.status());
        assertEquals(1, orchestrator.admission().running(), "it holds its place, and shows it");
        assertEquals("its task was being analysed", contexts.get(0).activity(),
                "so that the engine's cancelled result names the analysis, not only the request");

        ExecutionCancellation cancelled = orchestrator.cancel(submitted.executionId(), ADMIN);

        assertEquals(Outcome.CANCELLED, cancelled.outcome(), "it has an id to cancel it by");
        ExecutionResult result = submitted.await(Duration.ofSeconds(10)).orElseThrow();
        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("cancelled while its task was being analysed", result.error());
        assertEquals(AutonomousExecution.STEP_SOURCE, result.patternId(), "no pattern was chosen yet");
        assertTrue(analyzer.interrupted.await(10, TimeUnit.SECONDS), "the analysis is stopped too");
        assertEquals(List.of(AutonomousExecution.STEP_ANALYSING), steps(contexts.get(0)),
                "its events said it was being analysed, and nothing was planned");
        assertTrue(contexts.get(0).events().stream().noneMatch(TaskAnalyzedEvent.class::isInstance));
        verify(agents, never()).plan(any(), any(), any(), any()); // so no server installed for it
        assertEquals(0, orchestrator.admission().running(), "its place is free");
    }

    /**
     * An {@code execute} waited for on a thread of its own: the run or what it threw, and whether that thread was left
     * interrupted.
     */
    private record WaitedExecute(CompletableFuture<Object> outcome, CompletableFuture<Boolean> leftInterrupted) {
    }

    private WaitedExecute waitedExecuteOnAnotherThread() {
        WaitedExecute caller = new WaitedExecute(new CompletableFuture<>(), new CompletableFuture<>());
        Thread.ofVirtual().start(() -> {
            try {
                caller.outcome().complete(orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
            } catch (RuntimeException e) {
                caller.outcome().complete(e);
            } finally {
                caller.leftInterrupted().complete(Thread.currentThread().isInterrupted());
            }
        });
        return caller;
    }

    @Test
    void anExecutionWaitedForIsStartedBeforeItsAnalysisAndItsCancellationMeanwhileIsThrown() throws Exception {
        BlockingAnalyzer analyzer = new BlockingAnalyzer();
        analysingWith(analyzer);
        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        WaitedExecute caller = waitedExecuteOnAnotherThread();
        assertTrue(analyzer.entered.await(10, TimeUnit.SECONDS));
        verify(engine).start(any(WorkflowPattern.class), any(), any(), startedAs.capture());

        assertEquals(Outcome.CANCELLED, orchestrator.cancel(startedAs.getValue(), ADMIN).outcome());

        Object thrown = caller.outcome().get(10, TimeUnit.SECONDS);
        assertTrue(thrown instanceof java.util.concurrent.CancellationException, thrown.toString());
        assertTrue(((Exception) thrown).getMessage().startsWith("execution " + startedAs.getValue()
                + " ended while its task was being analysed: CANCELLED"), thrown.toString());
        assertFalse(caller.leftInterrupted().get(10, TimeUnit.SECONDS), "the caller's thread is not left interrupted");
        assertEquals(0, orchestrator.admission().running());
    }

    @Test
    void aCancellationWhoseEndIsRecordedAfterTheAnalysisStoppedIsThrownWithThatEndNotRunning() throws Exception {
        // the engine's canceller records the end only after the execution's thread stopped the analysis: here, only
        // once the caller waits for it, so the caller reads nothing recorded unless it waits
        CountDownLatch recording = new CountDownLatch(1);
        BlockingAnalyzer analyzer = new BlockingAnalyzer();
        analysingWith(analyzer, recording);
        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        WaitedExecute caller = waitedExecuteOnAnotherThread();
        assertTrue(analyzer.entered.await(10, TimeUnit.SECONDS));
        verify(engine).start(any(WorkflowPattern.class), any(), any(), startedAs.capture());

        try {
            assertEquals(Outcome.CANCELLED, orchestrator.cancel(startedAs.getValue(), ADMIN).outcome());

            Object thrown = caller.outcome().get(10, TimeUnit.SECONDS);
            assertTrue(thrown instanceof java.util.concurrent.CancellationException, thrown.toString());
            assertEquals("execution " + startedAs.getValue() + " ended while its task was being analysed: CANCELLED"
                    + " (cancelled while its task was being analysed)", ((Exception) thrown).getMessage());
            assertFalse(caller.leftInterrupted().get(10, TimeUnit.SECONDS), "the caller's thread is not left interrupted");
        } finally {
            recording.countDown();
        }
    }

    @Test
    void aWaitedForExecutionWhoseAnalysisFailsOrWhosePlanIsBlockedNamesTheExecutionRecordedFailed() {
        analysingWith(new BlockingAnalyzer());
        org.mockito.Mockito.doThrow(new AnalysisTimeoutException("give it more time"))
                .when(analysis).analyze(any());
        AnalysisTimeoutException timedOut = assertThrows(
                AnalysisTimeoutException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        org.mockito.Mockito.doThrow(new DecisionException("no task analyzer answered")).when(analysis).analyze(any());
        DecisionException failed = assertThrows(DecisionException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        org.mockito.Mockito.doReturn(ANALYSIS).when(analysis).analyze(any());
        providers();
        AutonomousRun blocked = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS);

        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        verify(engine, org.mockito.Mockito.times(3)).start(any(WorkflowPattern.class), any(), any(),
                startedAs.capture());
        assertEquals(startedAs.getAllValues(), List.of(timedOut.executionId().orElseThrow(),
                failed.executionId().orElseThrow(), blocked.blockedExecution().orElseThrow()));
        assertEquals("give it more time", timedOut.getMessage());
        assertEquals(DecisionException.class, failed.getClass(), "of the kind thrown");
        assertEquals("no task analyzer answered", failed.getMessage());
        assertTrue(blocked.started().isEmpty());
        assertTrue(orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withDryRun(true)).blockedExecution()
                .isEmpty(), "a dry run records no execution");
    }

    /** The agent factory or a provider lookup fails once the execution started: the refusal names it, of its kind. */
    @Test
    void aWaitedForExecutionWhosePlanningThrowsAnyRefusalNamesTheExecutionRecordedFailed() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        providers(provider("openai", false));
        org.mockito.Mockito.doThrow(new IllegalStateException("the agent factory broke")).when(agents)
                .plan(any(), any(), any(), any());
        IllegalStateException broke = assertThrows(IllegalStateException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        org.mockito.Mockito.doThrow(new IllegalArgumentException("no such model")).when(agents)
                .plan(any(), any(), any(), any());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));

        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        verify(engine, org.mockito.Mockito.times(2)).start(any(WorkflowPattern.class), any(), any(),
                startedAs.capture());
        assertEquals(startedAs.getAllValues(), List.of(FailedExecution.of(broke).orElseThrow(),
                FailedExecution.of(refused).orElseThrow()));
        assertEquals("the agent factory broke", broke.getMessage(), "its message unchanged");
        assertEquals(IllegalArgumentException.class, refused.getClass(), "of the kind thrown");
        assertTrue(FailedExecution.of(new IllegalStateException("before any start")).isEmpty());
    }

    /** A factory rethrowing one shared instance: each execution's refusal names that execution, of the kind thrown. */
    @Test
    void aSharedRefusalThrownByTwoExecutionsNamesEachItsOwnExecution() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        providers(provider("openai", false));
        IllegalStateException shared = new IllegalStateException("the agent factory broke");
        org.mockito.Mockito.doThrow(shared).when(agents).plan(any(), any(), any(), any());
        IllegalStateException first = assertThrows(IllegalStateException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        IllegalStateException second = assertThrows(IllegalStateException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));

        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        verify(engine, org.mockito.Mockito.times(2)).start(any(WorkflowPattern.class), any(), any(),
                startedAs.capture());
        assertEquals(startedAs.getAllValues(), List.of(FailedExecution.of(first).orElseThrow(),
                FailedExecution.of(second).orElseThrow()), "each names the execution it ended, not the first one");
        assertEquals("the agent factory broke", second.getMessage(), "its message unchanged");
        assertEquals(List.of(shared.getStackTrace()), List.of(second.getStackTrace()), "where it was thrown");
    }

    /** A forced pattern found when the execution started, removed before it was planned: its record says so. */
    @Test
    void aWaitedForExecutionWhoseForcedPatternIsRemovedWhileItIsAnalysedNamesTheExecutionRecordedFailed() {
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenReturn(mock(Execution.class));
        when(analysis.analyze(any())).thenAnswer(call -> {
            patterns("pattern.orchestrator", "orchestrator"); // swarm's bundle is removed meanwhile
            return ANALYSIS;
        });

        InvalidOptionException refused = assertThrows(InvalidOptionException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS.withPattern("swarm")));

        ArgumentCaptor<String> startedAs = ArgumentCaptor.forClass(String.class);
        verify(engine).start(any(WorkflowPattern.class), any(), any(), startedAs.capture());
        assertEquals(Optional.of(startedAs.getValue()), refused.executionId(), "the execution it ended FAILED");
        assertEquals("pattern", refused.option());
        assertTrue(refused.getMessage().startsWith("no workflow pattern 'swarm' is installed"), refused.getMessage());
        assertEquals(0, orchestrator.admission().running(), "its place is given back");
        assertTrue(new InvalidOptionException("pattern", "no such pattern").executionId().isEmpty(),
                "refused before any execution started");
    }

    @Test
    void aSubmittedExecutionWhoseAnalysisFailsOrWhosePlanIsBlockedEndsFailedSayingWhy() throws Exception {
        List<TestWorkflowContext> contexts = analysingWith(new BlockingAnalyzer());
        org.mockito.Mockito.doThrow(new io.mcpagent.api.autonomous.AnalysisTimeoutException(
                "every installed task analyzer failed: give it more time")).when(analysis).analyze(any());

        ExecutionResult failed = orchestrator.submit(TASK, AutonomousOptions.DEFAULTS).await(Duration.ofSeconds(10))
                .orElseThrow();

        assertEquals(ExecutionStatus.FAILED, failed.status());
        assertEquals("the task could not be analysed and planned: every installed task analyzer failed: give it more"
                + " time", failed.error());
        assertEquals(0, orchestrator.admission().running());

        org.mockito.Mockito.doReturn(ANALYSIS).when(analysis).analyze(any());
        providers();
        ExecutionResult blocked = orchestrator.submit(TASK, AutonomousOptions.DEFAULTS).await(Duration.ofSeconds(10))
                .orElseThrow();

        assertEquals(ExecutionStatus.FAILED, blocked.status());
        assertEquals("the task was analysed and planned but cannot run: " + DefaultAutonomousOrchestrator.NO_PROVIDER,
                blocked.error());
        assertNull(contexts.get(1).activity(), "analysed: a cancellation no longer cuts the analysis short");
        assertTrue(contexts.get(1).events().stream().anyMatch(TaskAnalyzedEvent.class::isInstance),
                "its plan is recorded");
        assertEquals(0, orchestrator.admission().running());
        assertThrows(IllegalArgumentException.class,
                () -> orchestrator.submit(TASK, AutonomousOptions.DEFAULTS.withDryRun(true)));
    }

    /**
     * An LLM analysis that billed and then failed (no analysis: the analyzer failed, or the time budget ended), and a
     * cancellation while the task is analysed: the execution's record gets what the analysis billed until then, as
     * it gets the cost of an analysis that answered (the history counts the cost from the events only).
     */
    @Test
    void anExecutionEndedBeforeItsAnalysisWasRecordedPublishesWhatTheAnalysisBilled() throws Exception {
        UsageSummary billed = new UsageSummary(2, 1, Usage.of(800, 40), new BigDecimal("0.003"));
        when(router.usage(any())).thenReturn(billed);
        BlockingAnalyzer analyzer = new BlockingAnalyzer();
        List<TestWorkflowContext> contexts = analysingWith(analyzer);

        Execution cancelled = orchestrator.submit(TASK, AutonomousOptions.DEFAULTS);
        assertTrue(analyzer.entered.await(10, TimeUnit.SECONDS));
        orchestrator.cancel(cancelled.executionId(), ADMIN);
        assertEquals(ExecutionStatus.CANCELLED,
                cancelled.await(Duration.ofSeconds(10)).orElseThrow().status());

        org.mockito.Mockito.doThrow(new io.mcpagent.api.autonomous.DecisionException(
                "every installed task analyzer failed: llm threw a malformed answer")).when(analysis).analyze(any());
        assertEquals(ExecutionStatus.FAILED, orchestrator.submit(TASK, AutonomousOptions.DEFAULTS)
                .await(Duration.ofSeconds(10)).orElseThrow().status());

        org.mockito.Mockito.doThrow(new io.mcpagent.api.autonomous.AnalysisTimeoutException(
                "every installed task analyzer failed: give it more time")).when(analysis).analyze(any());
        assertEquals(ExecutionStatus.FAILED, orchestrator.submit(TASK, AutonomousOptions.DEFAULTS)
                .await(Duration.ofSeconds(10)).orElseThrow().status());

        List<String> reasons = new java.util.ArrayList<>();
        for (TestWorkflowContext context : contexts) {
            List<io.mcpagent.api.autonomous.AnalysisUnfinishedEvent> unfinished = context.events().stream()
                    .filter(io.mcpagent.api.autonomous.AnalysisUnfinishedEvent.class::isInstance)
                    .map(io.mcpagent.api.autonomous.AnalysisUnfinishedEvent.class::cast).toList();
            assertEquals(1, unfinished.size(), "what its analysis billed: " + context.events());
            assertEquals(Usage.of(800, 40), unfinished.get(0).usage());
            assertEquals(new BigDecimal("0.003"), unfinished.get(0).cost());
            assertEquals(context.executionId(), unfinished.get(0).executionId());
            assertTrue(context.events().stream().noneMatch(TaskAnalyzedEvent.class::isInstance));
            reasons.add(unfinished.get(0).reason());
        }
        assertEquals(List.of("cancelled while its task was being analysed",
                "the task could not be analysed and planned: every installed task analyzer failed: llm threw a"
                        + " malformed answer",
                "the task could not be analysed and planned: every installed task analyzer failed: give it more"
                        + " time"), reasons);
    }

    /** An analysis that billed nothing (the heuristic analyzer, the cache) adds no event to an execution it ended. */
    @Test
    void anExecutionWhoseFailedAnalysisBilledNothingPublishesNoUnfinishedAnalysis() throws Exception {
        List<TestWorkflowContext> contexts = analysingWith(new BlockingAnalyzer());
        org.mockito.Mockito.doThrow(new io.mcpagent.api.autonomous.DecisionException("no task analyzer"))
                .when(analysis).analyze(any());

        assertEquals(ExecutionStatus.FAILED, orchestrator.submit(TASK, AutonomousOptions.DEFAULTS)
                .await(Duration.ofSeconds(10)).orElseThrow().status());

        assertTrue(contexts.get(0).events().stream()
                .noneMatch(io.mcpagent.api.autonomous.AnalysisUnfinishedEvent.class::isInstance));
    }

    @Test
    void deactivatedItEndsEveryExecutionItAdmittedRunningOrQueuedBeforeItReturnsAndStartsNoMore() throws Exception {
        CountDownLatch calling = new CountDownLatch(1);
        WorkflowPattern slow = mock(WorkflowPattern.class);
        when(slow.execute(any(), any())).thenAnswer(call -> {
            calling.countDown();
            try {
                new CountDownLatch(1).await(); // a slow provider
                return null;
            } catch (InterruptedException e) {
                WorkflowContext context = call.getArgument(1);
                return new ExecutionResult(context.executionId(), "pattern.orchestrator", ExecutionStatus.FAILED, null,
                        "the model call was interrupted", null, java.time.Instant.now(), java.time.Instant.now());
            }
        });
        List<TestWorkflowContext> contexts = new java.util.ArrayList<>();
        when(engine.start(any(WorkflowPattern.class), any(), any(), any())).thenAnswer(call -> {
            TestWorkflowContext context = new TestWorkflowContext(call.getArgument(3));
            context.pattern("pattern.orchestrator", slow);
            contexts.add(context);
            return new ThreadedExecution(call.getArgument(3), call.getArgument(0), call.getArgument(1), context);
        });
        Execution running = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS).started().orElseThrow();
        assertTrue(calling.await(10, TimeUnit.SECONDS));
        Execution queued = orchestrator.execute(TASK, AutonomousOptions.DEFAULTS).started().orElseThrow();
        // its ticket waits from the start (the first holds the only place), while its task is analysed too
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (orchestrator.admission().waiting() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, orchestrator.admission().waiting(), "the second execution waits for admission");

        orchestrator.deactivate();

        for (Execution execution : List.of(running, queued)) {
            ExecutionResult result = execution.result().orElseThrow(() -> new AssertionError(
                    "execution " + execution.executionId() + " still runs after deactivate returned"));
            assertEquals(ExecutionStatus.INTERRUPTED, result.status());
            assertEquals("the autonomous orchestrator (bundle io.mcpagent.autonomous) stopped while this execution"
                    + (execution == running ? " ran" : " waited for admission (it never ran)"), result.error());
        }
        assertTrue(contexts.stream().flatMap(context -> context.events().stream())
                .noneMatch(io.mcpagent.api.autonomous.FallbackEvent.class::isInstance), "no fallback was tried");
        io.mcpagent.api.autonomous.AdmissionStats admission = orchestrator.admission();
        assertEquals(List.of(0, 0), List.of(admission.running(), admission.waiting()));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> orchestrator.execute(TASK, AutonomousOptions.DEFAULTS));
        assertEquals("no execution is started: " + DefaultAutonomousOrchestrator.STOPPED, refused.getMessage());
    }
}
