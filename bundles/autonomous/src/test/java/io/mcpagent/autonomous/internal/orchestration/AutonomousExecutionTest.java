package io.mcpagent.autonomous.internal.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentRole;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class AutonomousExecutionTest {
    private int executions;

    /** Each place is taken for an execution of its own. */
    private String nextExecutionId() {
        return "e-" + ++executions;
    }

    private static final Task TASK = Task.of("summarise the files");
    private static final TaskAnalysis ANALYSIS = new TaskAnalysis(TaskType.ANALYSIS, Complexity.MODERATE, 2,
            Set.of("file_read"), 0.8, "orchestrator", "reads files", "heuristic");
    private static final StrategyRecommendation STRATEGY = new StrategyRecommendation("orchestrator", 0.7, "fits",
            Set.of("filesystem"), Complexity.MODERATE, List.of(new StrategyAlternative("direct", 0.5, "simpler"),
            new StrategyAlternative("parallel", 0.3, "")));
    private static final AgentPlan AGENTS = new AgentPlan(List.of(new PlannedAgent(
            AgentSpec.of("reader", "You read files", "filesystem"), AgentRole.ANALYST, Set.of("file_read"), "reads")),
            Set.of(), Set.of());
    private static final AutonomousPlan PLAN = new AutonomousPlan(TASK, ANALYSIS, STRATEGY, AGENTS, List.of());

    private final ExecutionBudgets budgets = new ExecutionBudgets();
    private final MetaCoordinator coordinator = new MetaCoordinator(new MetaCoordinator.Limits(4, 4, 4, 4, 4));
    private final TestWorkflowContext context = new TestWorkflowContext("e-1");
    /** The executions whose request the router found too long for every model. */
    private final Set<String> tooLong = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Why the pinned provider cannot take the calls, as the orchestrator says it; null while it can. */
    private volatile String pinnedUnavailable;
    private final UnstoppedPatterns unstopped = new UnstoppedPatterns(Duration.ofMillis(100), Clock.systemUTC());
    private final InFlightExecutions inFlight = new InFlightExecutions();
    /** Lets the patterns that ignore interrupts return. */
    private final AtomicBoolean letGo = new AtomicBoolean();

    @AfterEach
    void stop() {
        letGo.set(true);
        budgets.deactivate();
        unstopped.stop();
    }

    /** A pattern that swallows every interrupt and runs on until the test lets it go, telling when it has begun. */
    private Lambda ignoringInterrupts(CountDownLatch begun) {
        return new Lambda("orchestrator", (request, ctx) -> {
            begun.countDown();
            while (!letGo.get()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ignored) {
                    // the misbehaviour under test
                }
            }
            return result(ctx, ExecutionStatus.SUCCEEDED, "too late", null);
        });
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("never came true: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A pattern whose work is a lambda. */
    private record Lambda(String name, BiFunction<WorkflowRequest, WorkflowContext, ExecutionResult> body)
            implements WorkflowPattern {
        @Override
        public double suitability(TaskAnalysis analysis) {
            return 0.5;
        }

        @Override
        public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
            return body.apply(request, context);
        }
    }

    private static ExecutionResult result(WorkflowContext context, ExecutionStatus status, String output,
                                          String error) {
        return new ExecutionResult(context.executionId(), "x", status, output, error, Usage.of(10, 5), Instant.now(),
                Instant.now());
    }

    private AutonomousExecution execution(AutonomousOptions options, boolean forced, int maxFallbacks) {
        return planned(PLAN, options, this::fallbackTeam, forced, coordinator, coordinator.enter(nextExecutionId(), "default", null),
                budgets, unstopped, inFlight, maxFallbacks, Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO);
    }

    /** An execution whose plan was made: as the orchestrator hands it over once the task is analysed and planned. */
    private AutonomousExecution planned(AutonomousPlan plan, AutonomousOptions options,
                                               Function<String, AgentPlan> fallbackTeams, boolean forced,
                                               MetaCoordinator coordinator, MetaCoordinator.Ticket ticket,
                                               ExecutionBudgets budgets, UnstoppedPatterns unstopped,
                                               InFlightExecutions inFlight, int maxFallbacks, Clock clock,
                                               UsageSummary analysisSpent, Duration analysisTook,
                                               Duration analysisTime) {
        AutonomousExecution execution = new AutonomousExecution(options,
                (planned, pattern) -> fallbackTeams.apply(pattern), forced, coordinator, ticket, budgets, unstopped,
                inFlight, maxFallbacks, tooLong::contains, needs -> Optional.ofNullable(pinnedUnavailable),
                id -> UsageSummary.NONE, (id, decision) -> { }, clock);
        execution.planned(new AutonomousExecution.Planned(plan, analysisSpent, analysisTook, analysisTime));
        return execution;
    }

    /** The team the factory plans for a fallback pattern: one agent named after it. */
    private AgentPlan fallbackTeam(String pattern) {
        return new AgentPlan(List.of(new PlannedAgent(AgentSpec.of(pattern + "-agent", "You work for " + pattern,
                "filesystem"), AgentRole.CREATOR, Set.of("file_write"), "the " + pattern + " team")), Set.of(),
                Set.of());
    }

    private ExecutionResult run(AutonomousExecution execution) {
        return execution.execute(new WorkflowRequest(TASK, ANALYSIS, null), context);
    }

    private List<String> types() {
        return context.events().stream().map(ExecutionEvent::type).toList();
    }

    /** The steps of the pattern.step events. */
    private List<String> steps() {
        return context.events().stream().filter(PatternEvent.class::isInstance).map(PatternEvent.class::cast)
                .map(PatternEvent::step).toList();
    }

    @Test
    void recordsTheDecisionThenRunsTheChosenPatternWithThePlannedAgents() {
        List<Worker> seen = new ArrayList<>();
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            seen.addAll(request.workers());
            return result(ctx, ExecutionStatus.SUCCEEDED, "summary written to " + request.options().get("provider"),
                    null);
        }));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS.withProvider("openai", null), false, 1));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("summary written to openai", result.output());
        assertEquals("orchestrator", result.patternId(), "the pattern that produced the result");
        assertEquals(15, result.usage().totalTokens());
        assertEquals(List.of("reader"), seen.stream().map(Worker::name).toList());
        assertEquals(List.of(TaskAnalyzedEvent.TYPE, StrategyDecidedEvent.TYPE, AgentsPlannedEvent.TYPE),
                types().subList(1, 4));
        assertTrue(types().contains("pattern.step"), "the attempt is recorded");
        assertEquals(0, coordinator.stats().running(), "the place is given back");
        assertEquals(List.of(ExecutionStatus.RUNNING), context.statuses(), "admitted at once: never queued");
    }

    @Test
    void aQueuedExecutionIsQueuedUntilAdmittedThenRunning() throws Exception {
        MetaCoordinator full = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 4, 4));
        MetaCoordinator.Ticket holder = full.enter(nextExecutionId(), "default", null);
        List<ExecutionStatus> whenThePatternRan = new ArrayList<>();
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            whenThePatternRan.addAll(context.statuses());
            return result(ctx, ExecutionStatus.SUCCEEDED, "done", null);
        }));
        AutonomousExecution queued = planned(PLAN, AutonomousOptions.DEFAULTS, this::fallbackTeam, false, full,
                full.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO);
        CompletableFuture<ExecutionResult> ran = CompletableFuture.supplyAsync(() -> run(queued));
        while (!steps().contains(AutonomousExecution.STEP_QUEUED) && !ran.isDone()) {
            Thread.onSpinWait(); // until it says it waits
        }

        assertEquals(List.of(ExecutionStatus.QUEUED), context.statuses(), "waiting for a place");
        assertTrue(whenThePatternRan.isEmpty());
        full.release(holder);

        assertEquals(ExecutionStatus.SUCCEEDED, ran.get(10, TimeUnit.SECONDS).status());
        assertEquals(List.of(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING), whenThePatternRan,
                "RUNNING once admitted, before any pattern runs");
        assertEquals(List.of(ExecutionStatus.QUEUED, ExecutionStatus.RUNNING), context.statuses());
    }

    @Test
    void aFailedStrategyFallsBackToTheBestAlternativeAndSaysWhy() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) ->
                result(ctx, ExecutionStatus.FAILED, null, "the planner answered no JSON")));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) ->
                result(ctx, ExecutionStatus.SUCCEEDED, "done directly", null)));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS, false, 1));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("direct", result.patternId());
        assertEquals(30, result.usage().totalTokens(), "both attempts' usage counts");
        FallbackEvent fallback = context.events().stream().filter(FallbackEvent.class::isInstance)
                .map(FallbackEvent.class::cast).findFirst().orElseThrow();
        assertEquals(List.of("orchestrator", "direct", "the planner answered no JSON"),
                List.of(fallback.from(), fallback.to(), fallback.reason()));
    }

    /** A reader of the running execution (the engine's live view, REST, the console) sees the pattern that runs. */
    @Test
    void whileAFallbackPatternRunsTheExecutionIsNamedByIt() {
        AutonomousExecution execution = execution(AutonomousOptions.DEFAULTS, false, 1);
        List<String> namedWhileRunning = new ArrayList<>();
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            namedWhileRunning.add(execution.name());
            return result(ctx, ExecutionStatus.FAILED, null, "the planner answered no JSON");
        }));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) -> {
            namedWhileRunning.add(execution.name());
            return result(ctx, ExecutionStatus.SUCCEEDED, "done directly", null);
        }));

        ExecutionResult result = run(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(List.of("orchestrator", "direct"), namedWhileRunning);
        assertEquals("direct", execution.name());
    }

    @Test
    void aResultFromAFallbackSaysSoAndKeepsTheWarningsOfThePatternThatProducedIt() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) ->
                result(ctx, ExecutionStatus.FAILED, null, "the planner answered no JSON")));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) -> new ExecutionResult(calledATool(ctx),
                "direct", ExecutionStatus.SUCCEEDED, "done directly", null, null, Instant.now(), Instant.now(),
                List.of("no draft was accepted"))));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS, false, 1));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(List.of("the chosen pattern 'orchestrator' failed; the output comes from the fallback pattern"
                + " 'direct' (attempt 2 of 2, see the autonomous.fallback steps)", "no draft was accepted"),
                result.warnings());
    }

    /** The agents had no server for what the task needs: the output may claim work nobody could do. */
    @Test
    void aSuccessOfAgentsThatLackedRequiredCapabilitiesWarnsNamingThem() {
        AgentPlan withoutServers = new AgentPlan(List.of(new PlannedAgent(AgentSpec.of("reader", "You read files"),
                AgentRole.ANALYST, Set.of("file_read", "file_write"), "reads. Servers: file_read not covered: ...")),
                Set.of(), Set.of("file_write", "file_read"));
        AutonomousExecution execution = planned(new AutonomousPlan(TASK, ANALYSIS, STRATEGY,
                withoutServers, List.of()), AutonomousOptions.DEFAULTS, this::fallbackTeam, false, coordinator,
                coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1,
                Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO);
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> new ExecutionResult(
                ctx.executionId(), "orchestrator", ExecutionStatus.SUCCEEDED, "I wrote the summary.", null, null,
                Instant.now(), Instant.now(), List.of("no draft was accepted"))));

        ExecutionResult result = run(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(List.of("the agents ran without tools for file_read, file_write, which the task needs: no MCP"
                + " server was bound for them (see the autonomous.agents step for why and what to configure)",
                "no draft was accepted"), result.warnings());
    }

    /**
     * A provider the plan warned of, or a path outside its file servers' roots, may be why the run failed, or fell
     * back: whoever reads the result must see it.
     */
    @Test
    void theResultKeepsTheWarningsOfItsPlanWhetherItSucceedsOrFails() {
        String degraded = "the LLM provider 'local' the agents would use is DEGRADED (the last call failed): its calls"
                + " may fail, and the execution with them unless a fallback provider answers";
        String outside = "the task names /tmp/notes, outside the roots of the MCP server filesystem (/srv/data) ...";
        AgentPlan agents = new AgentPlan(AGENTS.agents(), Set.of(), Set.of(), Map.of(), List.of(outside));
        AutonomousPlan warned = new AutonomousPlan(TASK, ANALYSIS, STRATEGY, agents, List.of(), List.of(degraded));
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> new ExecutionResult(
                calledATool(ctx), "orchestrator", ExecutionStatus.SUCCEEDED, "done", null, null, Instant.now(),
                Instant.now(), List.of("no draft was accepted"))));

        ExecutionResult succeeded = run(planned(warned, AutonomousOptions.DEFAULTS, this::fallbackTeam, false,
                coordinator, coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1,
                Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO));

        assertEquals(List.of(outside, "when the execution was planned: " + degraded, "no draft was accepted"),
                succeeded.warnings());
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) ->
                result(ctx, ExecutionStatus.FAILED, null, "provider 'local': cannot connect")));

        ExecutionResult failed = run(planned(warned, AutonomousOptions.DEFAULTS, this::fallbackTeam, true,
                coordinator, coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1,
                Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO));

        assertEquals(ExecutionStatus.FAILED, failed.status());
        assertEquals(List.of(outside, "when the execution was planned: " + degraded), failed.warnings());
    }

    @Test
    void aResultOfTheChosenPatternHasOnlyItsOwnWarnings() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            calledATool(ctx);
            return result(ctx, ExecutionStatus.SUCCEEDED, "done", null);
        }));

        assertEquals(List.of(), run(execution(AutonomousOptions.DEFAULTS, false, 1)).warnings());
    }

    /**
     * A success in which no agent called a tool, though the task needs file_read and its agent had the filesystem
     * server for it, says that its output may describe work not done: a model without tool calls "wrote summary.md"
     * and the run read SUCCEEDED with no warning.
     */
    @Test
    void aSuccessWithoutAToolCallWhereTheTaskNeedsToolsTheAgentsHadSaysSo() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) ->
                result(ctx, ExecutionStatus.SUCCEEDED, "I wrote the summary", null)));

        assertEquals(List.of("no agent called a tool, though the task needs file_read and the agents had MCP servers"
                + " for it: the output may describe work that was not done (check it; the steps show the model calls)"),
                run(execution(AutonomousOptions.DEFAULTS, false, 1)).warnings());
        assertEquals(Optional.empty(), AutonomousExecution.noToolCalledWarning(PLAN, new AgentPlan(List.of(),
                Set.of(), Set.of("file_read")), 0), "no server for it: the unmet capability's warning says it");
    }

    /** As an agent's tool call is published: the execution's budget counts it. */
    private String calledATool(WorkflowContext ctx) {
        budgets.onEvent(new AgentEvent(Instant.now(), AgentEvent.TOOL_STARTED, ctx.executionId(), "files", 1,
                "filesystem/read_file", Duration.ZERO, Usage.NONE, BigDecimal.ZERO, false, ""));
        return ctx.executionId();
    }

    @Test
    void aFallbackPatternRunsWithTheTeamPlannedForItAndTheTraceRecordsThatTeam() {
        List<String> orchestratorWorkers = new ArrayList<>();
        List<String> directWorkers = new ArrayList<>();
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            request.workers().forEach(worker -> orchestratorWorkers.add(worker.name()));
            return result(ctx, ExecutionStatus.FAILED, null, "the planner answered no JSON");
        }));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) -> {
            request.workers().forEach(worker -> directWorkers.add(worker.name()));
            return result(ctx, ExecutionStatus.SUCCEEDED, "done directly", null);
        }));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS, false, 1));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals(List.of("reader"), orchestratorWorkers, "the chosen pattern runs the planned team");
        assertEquals(List.of("direct-agent"), directWorkers, "the fallback runs the team planned for it");
        List<List<String>> teams = context.events().stream().filter(AgentsPlannedEvent.class::isInstance)
                .map(event -> ((AgentsPlannedEvent) event).plan().agents().stream().map(a -> a.spec().name()).toList())
                .toList();
        assertEquals(List.of(List.of("reader"), List.of("direct-agent")), teams);
        assertTrue(types().indexOf(FallbackEvent.TYPE) < types().lastIndexOf(AgentsPlannedEvent.TYPE),
                "the fallback's team is recorded after the fallback");
    }

    @Test
    void theEvaluatorOptimizerIsToldWhichPlannedAgentGeneratesAndWhichEvaluates() {
        AgentPlan team = new AgentPlan(List.of(
                new PlannedAgent(AgentSpec.of("creator", "You write", "filesystem"), AgentRole.CREATOR,
                        Set.of("file_write"), "generates"),
                new PlannedAgent(AgentSpec.of("evaluator", "You rate", "filesystem"), AgentRole.ANALYST,
                        Set.of("file_read"), "rates")), Set.of(), Set.of());
        StrategyRecommendation strategy = new StrategyRecommendation("evaluator-optimizer", 0.7, "fits",
                Set.of("filesystem"), Complexity.MODERATE, List.of());
        List<java.util.Map<String, String>> seen = new ArrayList<>();
        context.pattern("evaluator-optimizer", new Lambda("evaluator-optimizer", (request, ctx) -> {
            seen.add(request.options());
            return result(ctx, ExecutionStatus.SUCCEEDED, "rated 5", null);
        }));
        AutonomousExecution execution = planned(new AutonomousPlan(TASK, ANALYSIS, strategy, team,
                List.of()), AutonomousOptions.DEFAULTS.withProvider("pfb", null), this::fallbackTeam, false,
                coordinator, coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO);

        assertEquals(ExecutionStatus.SUCCEEDED, run(execution).status());

        assertEquals(List.of(java.util.Map.of("provider", "pfb", "generator", "creator", "evaluator", "evaluator")),
                seen, "the planned evaluator rates, with its tools, rather than one the pattern makes without");
    }

    @Test
    void whenEveryStrategyFailsTheErrorNamesEachAndAForcedPatternHasNoFallback() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) ->
                result(ctx, ExecutionStatus.FAILED, null, "no plan")));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) ->
                result(ctx, ExecutionStatus.FAILED, null, "model refused")));

        ExecutionResult all = run(execution(AutonomousOptions.DEFAULTS, false, 5));
        assertEquals(ExecutionStatus.FAILED, all.status());
        assertEquals("every strategy tried failed: orchestrator: no plan; direct: model refused; parallel: no"
                + " workflow pattern 'parallel' is installed", all.error());

        ExecutionResult forced = run(execution(AutonomousOptions.DEFAULTS.withPattern("orchestrator"), true, 5));
        assertEquals("no plan", forced.error());
    }

    @Test
    void aPinnedProviderThatIsGoneEndsTheExecutionWithoutAFallbackThatWouldCallItToo() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            pinnedUnavailable = "the pinned provider 'sp' is not registered: ..."; // it left during the pattern
            return result(ctx, ExecutionStatus.FAILED, null, "model call 3 failed: NOT_FOUND: provider 'sp' is not"
                    + " registered");
        }));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) ->
                result(ctx, ExecutionStatus.SUCCEEDED, "done directly", null)));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS.withProvider("sp", null), false, 2));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("model call 3 failed: NOT_FOUND: provider 'sp' is not registered; no fallback pattern is tried,"
                + " as every pattern would call the pinned provider 'sp': the pinned provider 'sp' is not registered:"
                + " ...", result.error());
        assertFalse(types().contains(FallbackEvent.TYPE));
    }

    @Test
    void aRequestTooLongForEveryModelEndsTheExecutionWithoutAFallbackThatWouldSendItToo() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            tooLong.add(ctx.executionId()); // as the router says after the call
            return result(ctx, ExecutionStatus.FAILED, null, "model call 1 failed: CONTEXT_LENGTH: the request is too"
                    + " long for p/m (a context window of 8000 tokens), and no fitting model with a larger one is"
                    + " configured: prompt is too long");
        }));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) ->
                result(ctx, ExecutionStatus.SUCCEEDED, "done directly", null)));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS, false, 2));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("model call 1 failed: CONTEXT_LENGTH: the request is too long for p/m (a context window of 8000"
                + " tokens), and no fitting model with a larger one is configured: prompt is too long; no fallback"
                + " pattern is tried: the request was too long for every model that could take it, and every pattern"
                + " would send it", result.error());
        assertFalse(types().contains(FallbackEvent.TYPE));
    }

    @Test
    void aPinnedProviderThatIsRegisteredStillFallsBack() {
        TestWorkflowContext withProvider = new TestWorkflowContext("e-2") {
            private final PluginManager plugins = withProvider(super.plugins(), "sp");

            @Override
            public PluginManager plugins() {
                return plugins;
            }
        };
        withProvider.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) ->
                result(ctx, ExecutionStatus.FAILED, null, "the planner answered no JSON")));
        withProvider.pattern("p.direct", new Lambda("direct", (request, ctx) ->
                result(ctx, ExecutionStatus.SUCCEEDED, "done directly", null)));

        ExecutionResult result = execution(AutonomousOptions.DEFAULTS.withProvider("sp", null), false, 2)
                .execute(new WorkflowRequest(TASK, ANALYSIS, null), withProvider);

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
        assertEquals("direct", result.patternId());
    }

    /** {@code patterns} with provider {@code id} registered beside them. */
    private static PluginManager withProvider(PluginManager patterns, String id) {
        PluginManager plugins = mock(PluginManager.class, AdditionalAnswers.delegatesTo(patterns));
        doReturn(Optional.of(new PluginInfo(id, PluginKind.PROVIDER, "", id, "", "", "", 0, 0, Map.of())))
                .when(plugins).get(id);
        return plugins;
    }

    @Test
    void aCancelledRunIsNotRetried() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            context.cancel();
            return result(ctx, ExecutionStatus.CANCELLED, null, "cancelled");
        }));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS, false, 1));

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertFalse(types().contains(FallbackEvent.TYPE));
    }

    @Test
    void aTokenBudgetUsedUpStopsTheRunAndFailsNamingTheBudget() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            budgets.onEvent(new AgentEvent(Instant.now(), AgentEvent.LLM_FINISHED, ctx.executionId(), "reader", 1,
                    "p/m", Duration.ofMillis(5), Usage.of(800, 400), new BigDecimal("0.01"), false, ""));
            try {
                Thread.sleep(10_000); // the budget interrupts this
                return result(ctx, ExecutionStatus.SUCCEEDED, "too late", null);
            } catch (InterruptedException e) {
                return result(ctx, ExecutionStatus.CANCELLED, null, "interrupted");
            }
        }));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(1000, null, Duration.ofMinutes(1));

        ExecutionResult result = run(execution(options, false, 1));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("budget exceeded: token budget of 1000 used up (1200 tokens)", result.error());
        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(types().contains(FallbackEvent.TYPE), "no fallback once the budget is spent");
    }

    @Test
    void theTokenBudgetCountsToolPromptTokens() {
        // 600 in and 300 out stay within 1000; the 200 tokens of Gemini's built-in tools' results, billed too, do not
        Usage withToolPrompt = new Usage(600, 0, 0, 300, 0, 200, Map.of());
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            budgets.onEvent(new AgentEvent(Instant.now(), AgentEvent.LLM_FINISHED, ctx.executionId(), "reader", 1,
                    "p/m", Duration.ofMillis(5), withToolPrompt, new BigDecimal("0.01"), false, ""));
            try {
                Thread.sleep(10_000); // the budget interrupts this
                return result(ctx, ExecutionStatus.SUCCEEDED, "too late", null);
            } catch (InterruptedException e) {
                return result(ctx, ExecutionStatus.CANCELLED, null, "interrupted");
            }
        }));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(1000, null, Duration.ofMinutes(1));

        ExecutionResult result = run(execution(options, false, 1));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("budget exceeded: token budget of 1000 used up (1100 tokens)", result.error());
    }

    @Test
    void theAnalysisOfTheTaskIsPublishedWithItsCostAndCountsInTheBudget() {
        UsageSummary analysed = new UsageSummary(1, 0, Usage.of(500, 50), new BigDecimal("0.002"));
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            budgets.onEvent(new AgentEvent(Instant.now(), AgentEvent.LLM_FINISHED, ctx.executionId(), "reader", 1,
                    "p/m", Duration.ofMillis(5), Usage.of(400, 100), new BigDecimal("0.001"), false, ""));
            try {
                Thread.sleep(10_000); // the budget interrupts this
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result(ctx, ExecutionStatus.CANCELLED, null, "interrupted");
        }));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(1000, null, Duration.ofMinutes(1));

        // a millisecond further at each reading, as no two readings of a real clock are sure to differ
        java.util.concurrent.atomic.AtomicLong readings = new java.util.concurrent.atomic.AtomicLong();
        Clock ticking = new Clock() {
            @Override
            public Instant instant() {
                return Instant.parse("2026-01-01T00:00:00Z").plusMillis(readings.incrementAndGet());
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        ExecutionResult result = run(planned(PLAN, options, this::fallbackTeam, false, coordinator,
                coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, ticking,
                analysed, Duration.ofSeconds(3), Duration.ZERO));

        PatternEvent analysing = (PatternEvent) context.events().get(0);
        assertEquals(AutonomousExecution.STEP_ANALYSING, analysing.step());
        TaskAnalyzedEvent published = (TaskAnalyzedEvent) context.events().get(1);
        assertFalse(analysing.timestamp().isAfter(published.timestamp()), "the steps keep time order: "
                + analysing.timestamp() + " analysing, " + published.timestamp() + " analysed");
        assertEquals(Duration.ofSeconds(3), published.duration(), "how long the analysis took");
        assertEquals(Usage.of(500, 50), published.usage());
        assertEquals(new BigDecimal("0.002"), published.cost());
        assertEquals("budget exceeded: token budget of 1000 used up (1050 tokens)", result.error(),
                "550 of the analysis and 500 of the agent");
    }

    @Test
    void anAnalysisThatAloneSpentTheBudgetRunsNoPattern() {
        UsageSummary analysed = new UsageSummary(1, 0, Usage.of(500, 50), new BigDecimal("0.02"));
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            throw new AssertionError("no pattern runs over budget");
        }));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(0, new BigDecimal("0.01"),
                Duration.ofMinutes(1));

        ExecutionResult result = run(planned(PLAN, options, this::fallbackTeam, false, coordinator,
                coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, Clock.systemUTC(), analysed, Duration.ZERO, Duration.ZERO));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("budget exceeded: cost budget of 0.01 USD used up (0.02 USD), by the analysis of the task",
                result.error());
        assertFalse(Thread.currentThread().isInterrupted(), "the budget's interrupt has done its work");
        assertEquals(List.of(AutonomousExecution.STEP_ANALYSING), steps(), "no attempt: only the analysis was made");
    }

    /** A REST budget of 0.0003 arrives as 0.00030 (Jackson's double), a cost at the scale of per-token prices. */
    @Test
    void aCostBudgetAndWhatWasSpentAreWrittenWithoutTrailingZeros() {
        UsageSummary analysed = new UsageSummary(1, 0, Usage.of(300, 60), new BigDecimal("0.00042000"));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(0, new BigDecimal("0.00030"),
                Duration.ofMinutes(1));

        ExecutionResult result = run(planned(PLAN, options, this::fallbackTeam, false, coordinator,
                coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, Clock.systemUTC(), analysed, Duration.ZERO, Duration.ZERO));

        assertEquals("budget exceeded: cost budget of 0.0003 USD used up (0.00042 USD), by the analysis of the task",
                result.error());
    }

    @Test
    void spendingExactlyTheBudgetIsWithinIt() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            budgets.onEvent(new AgentEvent(Instant.now(), AgentEvent.LLM_FINISHED, ctx.executionId(), "reader", 1,
                    "p/m", Duration.ofMillis(5), Usage.of(600, 400), new BigDecimal("0.50"), false, ""));
            return result(ctx, ExecutionStatus.SUCCEEDED, "done", null);
        }));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(1000, new BigDecimal("0.5"),
                Duration.ofMinutes(1));

        ExecutionResult result = run(execution(options, false, 1));

        assertEquals(ExecutionStatus.SUCCEEDED, result.status(), result.error());
    }

    @Test
    void anAgentWhoseBudgetRanOutEndsTheExecutionOverBudgetWithoutFallback() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            budgets.onEvent(new AgentEvent(Instant.now(), AgentEvent.FINISHED, ctx.executionId(), "analyst", 1,
                    "BUDGET_EXHAUSTED", Duration.ofMillis(5), Usage.of(10, 5), new BigDecimal("0.02"), true,
                    "cost budget of 0.01 USD used up (0.02 USD)"));
            return result(ctx, ExecutionStatus.FAILED, null,
                    "worker 'analyst' failed: agent 'analyst' BUDGET_EXHAUSTED: cost budget of 0.01 USD used up");
        }));
        context.pattern("p.direct", new Lambda("direct", (request, ctx) -> result(ctx, ExecutionStatus.SUCCEEDED,
                "spent more", null)));

        ExecutionResult result = run(execution(AutonomousOptions.DEFAULTS, false, 1));

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("budget exceeded: agent 'analyst': cost budget of 0.01 USD used up (0.02 USD)", result.error());
        assertEquals("orchestrator", result.patternId());
        assertFalse(types().contains(FallbackEvent.TYPE), "no fallback once a budget is spent");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void theTimeBudgetStopsALongRun() {
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            try {
                Thread.sleep(10_000);
                return result(ctx, ExecutionStatus.SUCCEEDED, "too late", null);
            } catch (InterruptedException e) {
                return result(ctx, ExecutionStatus.CANCELLED, null, "interrupted");
            }
        }));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(0, null, Duration.ofMillis(200));

        ExecutionResult result = run(execution(options, false, 1));

        assertEquals("budget exceeded: time budget of 200 ms ran out", result.error());
    }

    @Test
    void anExecutionCancelledBeforeItsAnalysisBeganInterruptsTheThreadThatBeginsIt() {
        AutonomousExecution execution = new AutonomousExecution(AutonomousOptions.DEFAULTS,
                (plan, pattern) -> fallbackTeam(pattern), false, coordinator,
                coordinator.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1,
                tooLong::contains, needs -> Optional.ofNullable(pinnedUnavailable), id -> UsageSummary.NONE,
                (id, decision) -> { }, Clock.systemUTC());
        Thread.currentThread().interrupt(); // cancelled as it waits for its plan

        ExecutionResult result = run(execution);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("cancelled while its task was being analysed", result.error());
        assertEquals(AutonomousExecution.STEP_SOURCE, result.patternId(), "no pattern was chosen");
        assertEquals(0, coordinator.stats().running(), "its place is given back");
        execution.analysingOn(Thread.currentThread());
        assertTrue(Thread.interrupted(), "the analysis that begins now is stopped at once: nothing is planned");
        assertTrue(execution.analysingOn(null), "and its planner is told why it was interrupted");
    }

    @Test
    void aQueuedExecutionWaitsForItsTurnAndCanBeCancelledWhileWaiting() {
        MetaCoordinator full = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 4, 4));
        MetaCoordinator.Ticket holder = full.enter(nextExecutionId(), "default", null);
        AutonomousExecution queued = planned(PLAN, AutonomousOptions.DEFAULTS, this::fallbackTeam, false, full,
                full.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO);
        Thread.currentThread().interrupt(); // as a cancellation would

        ExecutionResult result = run(queued);

        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("cancelled while waiting for admission", result.error());
        assertEquals("orchestrator", result.patternId(), "the chosen pattern, never the composed one");
        assertEquals("orchestrator", queued.name(), "so the engine names it before it runs any pattern");
        PatternEvent waiting = context.events().stream().filter(PatternEvent.class::isInstance)
                .map(PatternEvent.class::cast).skip(1).findFirst().orElseThrow(); // after the analysing step
        assertEquals(AutonomousExecution.STEP_QUEUED, waiting.step());
        assertEquals("waiting for a free slot: 1 running in all (global limit 1) and tenant 'default' has 1"
                + " running (limit 1); 1 waiting", waiting.detail());
        assertEquals(List.of(ExecutionStatus.QUEUED), context.statuses(), "never RUNNING: it was never admitted");
        assertEquals(0, full.stats().waiting());
        full.release(holder);
        assertEquals(0, full.stats().running());
    }

    @Test
    void anExecutionStoppedWhileItsPatternIgnoresTheInterruptEndsAndGivesBackItsSlotAtOnce() throws Exception {
        CountDownLatch begun = new CountDownLatch(1);
        context.pattern("p.orchestrator", ignoringInterrupts(begun));
        MetaCoordinator one = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 4, 4));
        AutonomousExecution execution = planned(PLAN, AutonomousOptions.DEFAULTS, this::fallbackTeam, false, one,
                one.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, Clock.systemUTC(), UsageSummary.NONE, Duration.ZERO, Duration.ZERO);
        CompletableFuture<ExecutionResult> ended = new CompletableFuture<>();
        Thread executionThread = Thread.ofVirtual().start(() -> ended.complete(run(execution)));
        assertTrue(begun.await(10, TimeUnit.SECONDS));
        MetaCoordinator.Ticket next = one.enter(nextExecutionId(), "default", null);
        assertFalse(one.admitted(next), "the slot is taken");

        executionThread.interrupt(); // as the engine does when it cancels the execution or its pattern is removed

        ExecutionResult result = ended.get(10, TimeUnit.SECONDS);
        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertEquals("the execution was stopped while pattern 'orchestrator' ran", result.error());
        assertTrue(one.admitted(next), "the slot went to the next execution");
        assertEquals(1, one.stats().running(), "given back once: only the next execution runs");
        eventually(() -> !unstopped.problems().isEmpty(), "the pattern that runs on is reported");
        Problem problem = unstopped.problems().get(0);
        assertEquals(List.of(UnstoppedPatterns.SOURCE, "e-1"), List.of(problem.source(), problem.subject()));
        assertTrue(problem.message().startsWith("execution e-1: its pattern 'orchestrator' ignored the interrupt and"
                + " still runs after "), problem.message());

        letGo.set(true);
        eventually(() -> unstopped.problems().isEmpty(), "no longer reported once the pattern has stopped");
        one.release(next);
        assertEquals(0, one.stats().running());
    }

    @Test
    void theTimeBudgetEndsTheExecutionWhenItsPatternIgnoresTheInterrupt() throws Exception {
        context.pattern("p.orchestrator", ignoringInterrupts(new CountDownLatch(1)));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(0, null, Duration.ofMillis(200));
        AutonomousExecution execution = execution(options, false, 1);

        ExecutionResult result = CompletableFuture.supplyAsync(() -> run(execution)).get(10, TimeUnit.SECONDS);

        assertEquals(ExecutionStatus.FAILED, result.status());
        assertEquals("budget exceeded: time budget of 200 ms ran out", result.error());
        assertEquals("orchestrator", result.patternId());
        assertEquals(0, coordinator.stats().running(), "the slot is given back");
        assertFalse(types().contains(FallbackEvent.TYPE), "no fallback once the budget is spent");
    }

    @Test
    void anExecutionOverItsTimeBudgetKeepsWhatItsPatternSaysAsItStops() {
        String cutShort = "model call 1 was cut short: provider 'pa': call cancelled while waiting 60000 ms to retry"
                + " after RATE_LIMITED (slow down)";
        context.pattern("p.orchestrator", new Lambda("orchestrator", (request, ctx) -> {
            try {
                new CountDownLatch(1).await(); // the provider waiting out a 429's Retry-After
                return result(ctx, ExecutionStatus.SUCCEEDED, "never", null);
            } catch (InterruptedException e) {
                try {
                    Thread.sleep(100); // the call unwinding, as a provider's does
                } catch (InterruptedException ignored) {
                    // a second interrupt: report at once
                }
                ctx.publish(new PatternEvent(Instant.now(), ctx.executionId(), "orchestrator", "stopped", cutShort));
                return result(ctx, ExecutionStatus.FAILED, null, cutShort);
            }
        }));
        AutonomousOptions options = AutonomousOptions.DEFAULTS.withBudget(0, null, Duration.ofMillis(200));

        ExecutionResult result = run(execution(options, false, 1));

        assertEquals("budget exceeded: time budget of 200 ms ran out", result.error());
        assertTrue(context.events().stream().anyMatch(event -> event instanceof PatternEvent step
                && cutShort.equals(step.detail())), "published before the execution ended: " + context.events());
    }

    /** A pattern waiting on a slow model call: it fails once the call is interrupted, as an agent's call does. */
    private Lambda slowCall(String name, CountDownLatch begun) {
        return new Lambda(name, (request, ctx) -> {
            begun.countDown();
            try {
                new CountDownLatch(1).await(); // the model call that never answers
                return result(ctx, ExecutionStatus.SUCCEEDED, "never", null);
            } catch (InterruptedException e) {
                return result(ctx, ExecutionStatus.FAILED, null, "the model call was interrupted");
            }
        });
    }

    @Test
    void aRunningExecutionStoppedByItsOrchestratorEndsInterruptedNamingWhyWithoutAFallback() throws Exception {
        CountDownLatch begun = new CountDownLatch(1);
        context.pattern("p.orchestrator", slowCall("orchestrator", begun));
        context.pattern("p.direct", slowCall("direct", new CountDownLatch(1)));
        AutonomousExecution execution = execution(AutonomousOptions.DEFAULTS, false, 1);
        CompletableFuture<ExecutionResult> ended = CompletableFuture.supplyAsync(() -> run(execution));
        assertTrue(begun.await(10, TimeUnit.SECONDS));

        execution.stopping(DefaultAutonomousOrchestrator.STOPPED);
        execution.interrupt();

        ExecutionResult result = ended.get(10, TimeUnit.SECONDS);
        assertEquals(ExecutionStatus.INTERRUPTED, result.status());
        assertEquals("the autonomous orchestrator (bundle io.mcpagent.autonomous) stopped while this execution ran",
                result.error());
        assertEquals("orchestrator", result.patternId());
        assertFalse(types().contains(FallbackEvent.TYPE), "a stopped execution tries no other pattern");
        assertEquals(0, coordinator.stats().running(), "its slot is given back");
    }

    private static final String STOPPED_WAITING = "the autonomous orchestrator (bundle io.mcpagent.autonomous) stopped"
            + " while this execution waited for admission (it never ran)";

    /** An execution of {@code full}, which has no place free: it waits for one once it runs. */
    private AutonomousExecution waitingForAPlace(MetaCoordinator full) {
        return planned(PLAN, AutonomousOptions.DEFAULTS, this::fallbackTeam, false, full,
                full.enter(nextExecutionId(), "default", null), budgets, unstopped, inFlight, 1, Clock.systemUTC(),
                UsageSummary.NONE, Duration.ZERO, Duration.ZERO);
    }

    @Test
    void aQueuedExecutionStoppedByItsOrchestratorEndsInterruptedAndLeavesTheQueue() throws Exception {
        MetaCoordinator full = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 4, 4));
        MetaCoordinator.Ticket holder = full.enter(nextExecutionId(), "default", null);
        AutonomousExecution queued = waitingForAPlace(full);
        CompletableFuture<ExecutionResult> ended = CompletableFuture.supplyAsync(() -> run(queued));
        eventually(() -> context.statuses().contains(ExecutionStatus.QUEUED), "the execution waits for its place");

        queued.stopping(DefaultAutonomousOrchestrator.STOPPED);
        queued.interrupt();

        ExecutionResult result = ended.get(10, TimeUnit.SECONDS);
        assertEquals(ExecutionStatus.INTERRUPTED, result.status());
        assertEquals(STOPPED_WAITING, result.error(), "not that it ran");
        assertEquals(0, full.stats().waiting());
        full.release(holder);
        assertEquals(0, full.stats().running(), "it never took a place");
    }

    @Test
    void aQueuedExecutionAdmittedAfterItWasToldToStopStillSaysItNeverRan() throws Exception {
        MetaCoordinator full = new MetaCoordinator(new MetaCoordinator.Limits(1, 1, 1, 4, 4));
        MetaCoordinator.Ticket holder = full.enter(nextExecutionId(), "default", null);
        AutonomousExecution queued = waitingForAPlace(full);
        CompletableFuture<ExecutionResult> ended = CompletableFuture.supplyAsync(() -> run(queued));
        eventually(() -> context.statuses().contains(ExecutionStatus.QUEUED), "the execution waits for its place");

        // its orchestrator stops: the running execution's end gives its place back before this one is interrupted
        queued.stopping(DefaultAutonomousOrchestrator.STOPPED);
        full.release(holder);

        ExecutionResult result = ended.get(10, TimeUnit.SECONDS);
        assertEquals(ExecutionStatus.INTERRUPTED, result.status());
        assertEquals(STOPPED_WAITING, result.error(), "admitted only after the stop: it never ran");
        assertFalse(steps().contains(AutonomousExecution.STEP_ATTEMPT), "no pattern was tried: " + steps());
        assertEquals(0, full.stats().running(), "the place it took is given back");
    }

    @Test
    void anExecutionStoppedBeforeItRunsEndsAtOnce() {
        AutonomousExecution execution = execution(AutonomousOptions.DEFAULTS, false, 1);
        execution.stopping(DefaultAutonomousOrchestrator.STOPPED);
        execution.interrupt();

        ExecutionResult result = run(execution);

        assertEquals(ExecutionStatus.INTERRUPTED, result.status());
        assertTrue(context.events().isEmpty(), "nothing of it was published: " + context.events());
        assertEquals(0, coordinator.stats().running());
    }

    @Test
    void whenTheBudgetsStopTheirExecutionsEndInterruptedAndALaterOneIsToldWhyNotTheTimersRefusal()
            throws Exception {
        CountDownLatch begun = new CountDownLatch(1);
        context.pattern("p.orchestrator", slowCall("orchestrator", begun));
        AutonomousOptions fiveSeconds = AutonomousOptions.DEFAULTS.withBudget(0, null, Duration.ofSeconds(5));
        CompletableFuture<ExecutionResult> ended = CompletableFuture.supplyAsync(
                () -> run(execution(fiveSeconds, false, 1)));
        assertTrue(begun.await(10, TimeUnit.SECONDS));

        budgets.deactivate();

        ExecutionResult result = ended.get(10, TimeUnit.SECONDS);
        assertEquals(ExecutionStatus.INTERRUPTED, result.status());
        assertEquals("the execution budgets (bundle io.mcpagent.autonomous) stopped while this execution ran, so its"
                + " budgets could no longer be kept", result.error());
        assertFalse(types().contains(FallbackEvent.TYPE), "no fallback runs without a budget");
        ExecutionResult later = run(execution(fiveSeconds, false, 1));
        assertEquals(ExecutionStatus.INTERRUPTED, later.status());
        assertEquals(ExecutionBudgets.STOPPED, later.error());
        assertEquals(0, coordinator.stats().running());
    }
}
