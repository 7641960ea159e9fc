package io.mcpagent.autonomous.internal.orchestration;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.agent.AgentLimits;
import io.mcpagent.api.autonomous.AdmissionStats;
import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentPlanOptions;
import io.mcpagent.api.autonomous.AnalysisService;
import io.mcpagent.api.autonomous.AnalysisTimeoutException;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousOrchestrator;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.AutonomousRun;
import io.mcpagent.api.autonomous.DecisionEngine;
import io.mcpagent.api.autonomous.DecisionException;
import io.mcpagent.api.autonomous.DynamicAgentFactory;
import io.mcpagent.api.autonomous.ExecutionCancellation;
import io.mcpagent.api.autonomous.FailedExecution;
import io.mcpagent.api.autonomous.InvalidOptionException;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.history.ExecutionHistory;
import io.mcpagent.api.history.ExecutionRecord;
import io.mcpagent.api.llm.LlmProvider;
import io.mcpagent.api.llm.LlmRouter;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.ModelChoice;
import io.mcpagent.api.llm.ModelInfo;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.AmbiguousNameException;
import io.mcpagent.api.plugin.AnyCaseLookup;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.plugin.PluginProperties;
import io.mcpagent.api.runtime.BundleServices;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Principal;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.Execution;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowEngine;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.autonomous.internal.PatternFailureLog;

/**
 * From a task to a running execution: a place from the {@link MetaCoordinator} (first, so that a refusal spends
 * nothing), analysis, decision (or the pattern the caller forced, which must be installed), agents, what stands in
 * the way (no usable provider, a pinned one that is DOWN or has no fitting model), then one engine execution that carries out the plan with fallbacks
 * ({@link AutonomousExecution}).
 */
@Component(service = {AutonomousOrchestrator.class, ProblemReporter.class}, configurationPid = OrchestratorConfig.PID)
@Designate(ocd = OrchestratorConfig.class)
public final class DefaultAutonomousOrchestrator implements AutonomousOrchestrator, ProblemReporter {
    /** How to configure an LLM provider, for the blockers that lack one. */
    static final String ADD_PROVIDER = "Add one in etc/, for example"
            + " etc/io.mcpagent.provider.openai~main.cfg.json with {\"apiKeyEnv\": \"OPENAI_API_KEY\"} and export"
            + " OPENAI_API_KEY (likewise io.mcpagent.provider.anthropic~main with ANTHROPIC_API_KEY, .gemini with"
            + " GEMINI_API_KEY, .cohere with COHERE_API_KEY, .bedrock with AWS credentials), or a local Ollama:"
            + " io.mcpagent.provider.openai~local.cfg.json with {\"dialect\": \"ollama\", \"baseUrl\":"
            + " \"http://127.0.0.1:11434/v1\"}";
    static final String NO_PROVIDER = "no LLM provider is configured. " + ADD_PROVIDER;
    /** Before the providers configured but not registered, each with why, when no provider takes a task. */
    private static final String CONFIGURED_NOT_REGISTERED = "; configured but not registered: ";
    /** Circuit states as {@link LlmRouter#circuits()} names them. */
    private static final String CLOSED_CIRCUIT = "closed";
    private static final String OPEN_CIRCUIT = "open";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultAutonomousOrchestrator.class);
    /** The bundle of the execution history; a runtime built without the history feature lacks it. */
    static final String HISTORY_BUNDLE = "io.mcpagent.history";
    /** How long a pattern has to stop once its execution ended before it is reported as not stopping. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Why the executions it admitted end when it is deactivated (its bundle stopped or updated). */
    static final String STOPPED = "the autonomous orchestrator (bundle " + InFlightExecutions.BUNDLE
            + ") stopped" + AutonomousExecution.WHILE_RUNNING;
    /**
     * How long deactivation waits for the executions it interrupted to be recorded. They stop at once (they do not wait
     * for their patterns), so this only bounds a listener that is slow to record them.
     */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /**
     * How long {@code execute} waits for the end that cut its analysis short to be recorded: the canceller records it
     * only after the execution's thread, interrupted, has stopped the analysis, so it may not be there yet.
     */
    static final Duration END_RECORDED_WAIT = Duration.ofSeconds(1);

    /** The configuration, checked: a limit out of range is refused by its property name. */
    private record Settings(MetaCoordinator.Limits limits, int maxFallbacks) {
        static Settings of(OrchestratorConfig config) {
            return new Settings(new MetaCoordinator.Limits(atLeast("maxConcurrent", config.maxConcurrent(), 1),
                    atLeast("maxConcurrentPerTenant", config.maxConcurrentPerTenant(), 1),
                    atLeast("maxConcurrentPerProvider", config.maxConcurrentPerProvider(), 1),
                    atLeast("queueCapacity", config.queueCapacity(), 0),
                    atLeast(MetaCoordinator.WAITING_PER_TENANT_PROPERTY, config.maxWaitingPerTenant(), 0)),
                    atLeast("maxFallbacks", config.maxFallbacks(), 0));
        }

        /** An int setting: the checked value is within the int range it was read from. */
        private static int atLeast(String name, int value, int minimum) {
            return (int) ConfigRanges.atLeast(name, value, minimum);
        }
    }

    private final AnalysisService analysis;
    private final DecisionEngine decisions;
    private final DynamicAgentFactory agents;
    private final WorkflowEngine engine;
    private final PluginManager plugins;
    private final PatternFailureLog patternFailures = new PatternFailureLog(LOG);
    private final LlmRouter router;
    private final ExecutionBudgets budgets;
    private final MetaCoordinator coordinator;
    private final UnstoppedPatterns unstopped;
    private final InFlightExecutions inFlight = new InFlightExecutions();
    /** For as long as the engine holds their executions: they follow its retention of ended ones. */
    private final RecentDecisions decided;
    private final Clock clock;
    private final BundleContext context;
    private final AtomicReference<ExecutionHistory> history = new AtomicReference<>();
    /** The id of the history's service bound, by which it is unbound. Guarded by history. */
    private Object historyServiceId;
    private final GuardedConfiguration<OrchestratorConfig, Settings> configuration = new GuardedConfiguration<>(
            OrchestratorConfig.PID, OrchestratorConfig.class, Settings::of, LOG::error, LOG::info);
    /** A per-tenant limit set above the global one, while that configuration is in force; else null. */
    private volatile Problem tenantLimitAboveGlobal;

    @Activate
    public DefaultAutonomousOrchestrator(@Reference AnalysisService analysis, @Reference DecisionEngine decisions,
                                         @Reference DynamicAgentFactory agents, @Reference WorkflowEngine engine,
                                         @Reference PluginManager plugins, @Reference LlmRouter router,
                                         @Reference ExecutionBudgets budgets, OrchestratorConfig config,
                                         BundleContext context) {
        this(analysis, decisions, agents, engine, plugins, router, budgets, config, context, Clock.systemUTC(),
                STOP_GRACE);
    }

    DefaultAutonomousOrchestrator(AnalysisService analysis, DecisionEngine decisions, DynamicAgentFactory agents,
                                  WorkflowEngine engine, PluginManager plugins, LlmRouter router,
                                  ExecutionBudgets budgets, OrchestratorConfig config, BundleContext context,
                                  Clock clock, Duration stopGrace) {
        this.analysis = analysis;
        this.decisions = decisions;
        this.agents = agents;
        this.engine = engine;
        this.decided = new RecentDecisions(executionId -> engine.find(executionId).isPresent());
        this.plugins = plugins;
        this.router = router;
        this.budgets = budgets;
        this.clock = clock;
        this.context = context; // before the configuration, whose warning names where it comes from
        if (configuration.update(config)) {
            checkTenantLimit();
        }
        this.coordinator = new MetaCoordinator(configuration.settings().limits());
        this.unstopped = new UnstoppedPatterns(stopGrace, clock);
    }

    /**
     * No execution outlives this orchestrator, whose admission and budgets it holds: each one admitted, queued or
     * running, ends INTERRUPTED naming the orchestrator, and is recorded, before this returns.
     */
    @Deactivate
    void deactivate() {
        inFlight.stop(STOPPED, STOP_WAIT);
        unstopped.stop();
    }

    /**
     * Without the history, executions this runtime no longer holds are unknown and whose one is cannot be told; with
     * its bundle installed and no history bound, new executions are refused ({@link #requireWorkingHistory}).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetHistory")
    void setHistory(ExecutionHistory executionHistory, Map<String, Object> properties) {
        synchronized (history) {
            history.set(executionHistory);
            historyServiceId = properties.get(Constants.SERVICE_ID);
        }
    }

    /**
     * By the service's properties, not the history: DS hands an unbind method the service only after asking for it,
     * and asked for the history while its activation failed (its database down), it activated it once more and
     * logged that failure at ERROR with its stack. A greedy replacement bound meanwhile stays.
     */
    void unsetHistory(Map<String, Object> properties) {
        synchronized (history) {
            if (Objects.equals(historyServiceId, properties.get(Constants.SERVICE_ID))) {
                history.set(null);
                historyServiceId = null;
            }
        }
    }

    /** New limits apply to the next admissions; a refused configuration leaves those in force. */
    @Modified
    void modified(OrchestratorConfig config) {
        if (configuration.update(config)) {
            checkTenantLimit();
            coordinator.limits(configuration.settings().limits());
        }
    }

    /**
     * A maxConcurrentPerTenant other than its default above maxConcurrent is taken (as maxWaitingPerTenant above the
     * queue is), but it has no effect, as the global limit bounds every tenant too: logged and a problem, naming both
     * numbers, while it is in force. The default is not named when only maxConcurrent is lowered below it (the
     * defaults mean it to be bounded so); the properties cannot tell a default from a value set, as the component
     * description carries every default.
     */
    private void checkTenantLimit() {
        MetaCoordinator.Limits limits = configuration.settings().limits();
        if (limits.perTenant() == OrchestratorConfig.DEFAULT_MAX_CONCURRENT_PER_TENANT
                || limits.perTenant() <= limits.global()) {
            tenantLimitAboveGlobal = null;
            return;
        }
        String message = "configuration " + OrchestratorConfig.PID + " ("
                + ConfigurationOrigins.describe(context, OrchestratorConfig.PID) + ") is applied, but its"
                + " maxConcurrentPerTenant " + limits.perTenant() + " is above maxConcurrent " + limits.global()
                + ", which bounds every tenant too: no tenant runs more than " + limits.global()
                + " executions at once; set maxConcurrentPerTenant to at most " + limits.global()
                + ", or raise maxConcurrent";
        LOG.warn(message);
        tenantLimitAboveGlobal = new Problem(GuardedConfiguration.SOURCE, OrchestratorConfig.PID, message,
                clock.instant());
    }

    /**
     * A refused configuration, while it is not repaired, a per-tenant limit above the global one, and each pattern
     * that ignored its interrupt and runs on.
     */
    @Override
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>(configuration.problems());
        Problem tenantLimit = tenantLimitAboveGlobal;
        if (tenantLimit != null) {
            problems.add(tenantLimit);
        }
        problems.addAll(unstopped.problems());
        return problems;
    }

    @Override
    public Optional<StrategyRecommendation> decision(String executionId) {
        return decided.of(Objects.requireNonNull(executionId, "executionId"));
    }

    @Override
    public AdmissionStats admission() {
        return admissionStats(coordinator.stats());
    }

    @Override
    public AdmissionStats admission(String tenant) {
        return admissionStats(coordinator.stats(Objects.requireNonNull(tenant, "tenant")));
    }

    private static AdmissionStats admissionStats(MetaCoordinator.Stats stats) {
        MetaCoordinator.Limits limits = stats.limits();
        return new AdmissionStats(stats.running(), stats.waiting(), stats.admitted(), stats.rejected(),
                limits.global(), limits.perTenant(), limits.perProvider(), limits.queueCapacity(),
                limits.waitingPerTenant());
    }

    @Override
    public AutonomousPlan plan(Task task, AutonomousOptions options) {
        return planWith(task, withInstalledProvider(options), null);
    }

    /**
     * {@link #plan} for options whose provider is already spelled as its plugin id; the task is analysed for the
     * execution {@code executionId} (null: for no execution), so that what its analysis costs is counted there.
     */
    private AutonomousPlan planWith(Task task, AutonomousOptions options, String executionId) {
        return planFrom(task, options, analysis.analyze(forAnalysis(task, options, executionId)));
    }

    /** {@link #plan} from the analysis {@code analyzed} of the task. */
    private AutonomousPlan planFrom(Task task, AutonomousOptions options, TaskAnalysis analyzed) {
        StrategyRecommendation strategy = strategy(analyzed, options.pattern());
        AgentPlan planned = withinBudget(agents.plan(task, analyzed, strategy, agentOptions(options, false)), options);
        String forced = options.pattern() == null ? null : strategy.pattern();
        Readiness readiness = readiness(options, forced, planned);
        if (options.allowInstall() && readiness.blockers().isEmpty()) {
            // catalog servers are installed for a plan that can run only: without a provider, say, an npm install
            // took minutes and disk for agents that never run
            planned = withinBudget(agents.plan(task, analyzed, strategy, agentOptions(options, true)), options);
            readiness = readiness(options, forced, planned);
        } else if (options.allowInstall() && !options.dryRun()) {
            // the agents as they would be with what is to be installed, as a dry run shows them, nothing installed:
            // planned without installs, their reasons said installing was not allowed, though it was
            AgentPlan wouldBe = withinBudget(agents.plan(task, analyzed, strategy, new AgentPlanOptions(
                    options.maxAgents(), true, true, model(options), null)), options);
            planned = new AgentPlan(wouldBe.agents(), Set.of(), wouldBe.unmetCapabilities(), Map.of(),
                    wouldBe.warnings());
        }
        return new AutonomousPlan(task, analyzed, strategy, planned, readiness.blockers(),
                readiness.providerWarnings(), readiness.retryAfter());
    }

    @Override
    public AutonomousRun execute(Task task, AutonomousOptions requested) {
        if (requested.dryRun()) {
            return new AutonomousRun(planWith(task, withInstalledProvider(requested), null), null);
        }
        AutonomousOptions options = startable(requested);
        Admitted started = start(task, options);
        return planOn(started, task, options)
                .orElseThrow(() -> new CancellationException(cancelledWhileAnalysed(started)));
    }

    @Override
    public Execution submit(Task task, AutonomousOptions requested) {
        if (requested.dryRun()) {
            throw new IllegalArgumentException("a dry run starts no execution: use execute or plan");
        }
        AutonomousOptions options = startable(requested);
        Admitted started = start(task, options);
        Thread.ofVirtual().name("mcpagent-analysis-" + started.executionId()).start(() -> {
            try {
                planOn(started, task, options);
            } catch (RuntimeException e) {
                // the execution ends FAILED with it: its record says what became of the analysis
            }
        });
        return started.execution();
    }

    /**
     * The options of an execution about to start, checked as far as they can be without the analysis: a history that
     * records it, the pinned provider (spelled as its plugin id) and the forced pattern installed. A request that
     * fails them is refused as a plan is, and no execution is started (recorded) for it: one that could never run.
     */
    private AutonomousOptions startable(AutonomousOptions requested) {
        requireWorkingHistory();
        AutonomousOptions options = withInstalledProvider(requested);
        if (options.pattern() != null) {
            forcedPattern(options.pattern()); // checked again once planned: it may be removed meanwhile
        }
        return options;
    }

    /** An execution started before its task is analysed: its work, place and when its time budget began (or null). */
    private record Admitted(String executionId, Execution execution, AutonomousExecution work,
                            MetaCoordinator.Ticket ticket, Instant admitted) {
    }

    /**
     * Takes a place and starts the engine execution at once, before its task is analysed, so that it can be listed,
     * followed and cancelled while it is (an LLM analyzer may take seconds); it waits for its plan ({@link #planOn}).
     */
    private Admitted start(Task task, AutonomousOptions options) {
        // the id comes before the analysis, so that the analysis's model call is counted in the execution's usage
        String executionId = UUID.randomUUID().toString();
        // The place before the analysis: a refusal then spends nothing (no model call under an id that would never
        // name an execution, no server installed), and a client retrying against a full queue costs nothing either.
        MetaCoordinator.Ticket ticket = coordinator.enter(executionId, task.tenant(), options.provider());
        // admitted at once, its time budget runs from here: the analysis is the execution's first work (time spent
        // waiting in the queue, the analysis included, does not count)
        Instant admitted = coordinator.admitted(ticket) ? clock.instant() : null;
        try {
            AutonomousExecution work = new AutonomousExecution(options,
                    (plan, pattern) -> fallbackTeam(plan, pattern, options), options.pattern() != null, coordinator,
                    ticket, budgets, unstopped, inFlight, configuration.settings().maxFallbacks(),
                    router::requestTooLong, needs -> pinnedProviderUnavailable(options, needs), router::usage,
                    decided::decided, clock);
            // QUEUED from its start when it has to wait, so no one sees it RUNNING before it is admitted
            ExecutionStatus initial = admitted != null ? ExecutionStatus.RUNNING : ExecutionStatus.QUEUED;
            Execution execution = inFlight.start(executionId, work, () -> engine.start(work,
                    new WorkflowRequest(task, null, null), initial, executionId));
            return new Admitted(executionId, execution, work, ticket, admitted);
        } catch (RuntimeException | Error e) {
            coordinator.release(ticket);
            throw e;
        }
    }

    /**
     * Analyses and plans the task of a started execution on this thread and hands the plan to it;
     * the run, without its execution but naming it when the plan is blocked (the execution then ends FAILED naming
     * the blockers). Empty when the execution ended meanwhile (cancelled, its orchestrator stopped), which
     * interrupted the analysis.
     *
     * @throws RuntimeException what the analysis or planning threw (the execution ends FAILED with its message),
     *                          naming the execution ({@link FailedExecution#of}): a {@link DecisionException} or
     *                          {@link InvalidOptionException} by its own field, any other kind marked
     */
    private Optional<AutonomousRun> planOn(Admitted started, Task task, AutonomousOptions options) {
        AutonomousExecution work = started.work();
        String executionId = started.executionId();
        work.analysingOn(Thread.currentThread());
        boolean interruptedByItsEnd = false;
        TaskAnalysis analyzed = null;
        Duration analysisTook = null;
        try {
            Instant analysing = clock.instant();
            Task analysed = forAnalysis(task, options, executionId);
            // admitted at once, the analysis ends when the time budget does: an LLM analyzer's model may take longer
            analyzed = started.admitted() == null ? analysis.analyze(analysed)
                    : analysis.analyze(analysed, options.maxTime());
            analysisTook = Duration.between(analysing, clock.instant());
            if (work.analysisInterrupted()) { // ended as the analysis answered: plan nothing, install nothing
                throw new CancellationException("execution " + executionId + " ended while its task was analysed");
            }
            AutonomousPlan plan = planFrom(task, options, analyzed);
            interruptedByItsEnd = work.analysingOn(null);
            work.planned(new AutonomousExecution.Planned(plan, router.usage(executionId), analysisTook,
                    started.admitted() == null ? Duration.ZERO : Duration.between(started.admitted(), clock.instant())));
            if (!plan.runnable()) {
                coordinator.release(started.ticket());
                return Optional.of(new AutonomousRun(plan, null, executionId));
            }
            return interruptedByItsEnd ? Optional.empty() : Optional.of(new AutonomousRun(plan, started.execution()));
        } catch (RuntimeException | Error e) {
            interruptedByItsEnd |= work.analysingOn(null);
            // an analysis that answered was billed for the execution, whatever became of the planning after it
            work.planningFailed(e, analyzed == null ? null
                    : new AutonomousExecution.Analysed(task, analyzed, router.usage(executionId), analysisTook));
            coordinator.release(started.ticket());
            if (interruptedByItsEnd) {
                return Optional.empty(); // the analysis failed because the execution ended: that is what to say
            }
            if (e instanceof DecisionException refused) {
                throw namingExecution(refused, executionId);
            }
            if (e instanceof InvalidOptionException invalid) { // the forced pattern removed while it was analysed
                InvalidOptionException named = new InvalidOptionException(invalid.option(), invalid.getMessage(),
                        executionId);
                named.initCause(invalid);
                throw named;
            }
            if (e instanceof RuntimeException other) { // an agent factory or a provider lookup that failed
                throw FailedExecution.named(other, executionId);
            }
            throw e;
        } finally {
            if (interruptedByItsEnd) {
                Thread.interrupted(); // the execution's end interrupted the analysis on this thread, not its caller
            }
        }
    }

    /** {@code refused} naming the execution it ended FAILED, of the same kind, so that its caller can open the record. */
    private static DecisionException namingExecution(DecisionException refused, String executionId) {
        DecisionException named = refused instanceof AnalysisTimeoutException
                ? new AnalysisTimeoutException(refused.getMessage(), executionId)
                : new DecisionException(refused.getMessage(), executionId);
        named.initCause(refused);
        return named;
    }

    /** Why {@code execute} has no run to return: the execution ended while its task was analysed. */
    private static String cancelledWhileAnalysed(Admitted started) {
        Execution execution = started.execution();
        return "execution " + started.executionId() + " ended while its task was being analysed: "
                + recordedEnd(execution).map(result -> result.status() + (result.error() == null ? ""
                : " (" + result.error() + ")")).orElse(execution.status().name());
    }

    /** The result the end of {@code execution} recorded, once it is (it may lag the interrupted analysis); else empty. */
    private static Optional<ExecutionResult> recordedEnd(Execution execution) {
        try {
            return execution.await(END_RECORDED_WAIT);
        } catch (InterruptedException e) {
            // not the execution's end (planOn cleared that interrupt): the caller's own, kept for it
            Thread.currentThread().interrupt();
            return execution.result();
        }
    }

    /**
     * Refuses a new execution while the history bundle is installed but its service cannot be used (its component
     * failed to activate, e.g. on a damaged database, or its bundle is stopped): the execution would run and be
     * recorded nowhere. Checked before planning, so a refused execution installs no server. A runtime built without
     * the history feature runs executions unrecorded, as it was built to.
     *
     * @throws IllegalStateException naming why the history cannot be used and where to look
     */
    private void requireWorkingHistory() {
        if (history.get() != null || BundleServices.installed(context, HISTORY_BUNDLE).isEmpty()) {
            return;
        }
        BundleServices.unusable(context, ExecutionHistory.class, HISTORY_BUNDLE).ifPresent(why -> {
            // a stopped bundle is started; an active one's component failed, and its problems say why
            boolean active = BundleServices.installed(context, HISTORY_BUNDLE)
                    .filter(bundle -> bundle.getState() == Bundle.ACTIVE).isPresent();
            throw new IllegalStateException("no execution is started while the execution history is installed but"
                    + " not working (" + why + "): it would be recorded nowhere. " + (active ? "See"
                    + " data/log/mcp-agent.log and the problems in GET /api/v1/status (or plugin:problems): a damaged"
                    + " data/history/executions.mv.db or a data/history folder that cannot be written are the usual"
                    + " causes" : "Start bundle " + HISTORY_BUNDLE + " (felix:start in the shell, or the Bundles page"
                    + " of the web console)") + ". Dry runs and analysis still work");
        });
    }

    /**
     * The team for a fallback pattern, planned by its own team rule. It installs nothing: the servers the first plan
     * installed are there by now, and the caller audited the installs of that plan only.
     */
    private AgentPlan fallbackTeam(AutonomousPlan plan, String pattern, AutonomousOptions options) {
        StrategyRecommendation chosen = plan.strategy();
        double score = chosen.alternatives().stream().filter(alternative -> alternative.pattern().equals(pattern))
                .mapToDouble(StrategyAlternative::score).findFirst().orElse(0.0);
        StrategyRecommendation fallback = new StrategyRecommendation(pattern, chosen.confidence(), "a fallback for "
                + chosen.pattern(), chosen.requiredServers(), chosen.estimatedComplexity(), List.of(), score);
        return withinBudget(agents.plan(plan.task(), plan.analysis(), fallback, agentOptions(options, false)), options);
    }

    /**
     * No limits (null): the factory gives its configured ones, maxIterations and toolTimeout among them, which
     * {@link #withinBudget} then tightens to the execution's budget.
     */
    private static AgentPlanOptions agentOptions(AutonomousOptions options, boolean allowInstall) {
        return new AgentPlanOptions(options.maxAgents(), allowInstall, options.dryRun(), model(options), null);
    }

    /**
     * The task as the analyzers get it: with the attributes that name the execution it is analysed for
     * ({@link Task#EXECUTION_ID_ATTRIBUTE}), and the provider and model the caller pinned
     * ({@link Task#PROVIDER_ATTRIBUTE}, {@link Task#MODEL_ATTRIBUTE}), so that an analyzer's model call keeps to them:
     * a caller who pins a provider expects the task's text to go to that provider only. The task itself when there is
     * none of them.
     */
    private static Task forAnalysis(Task task, AutonomousOptions options, String executionId) {
        if (executionId == null && options.provider() == null && options.model() == null) {
            return task;
        }
        Map<String, String> attributes = new LinkedHashMap<>(task.attributes());
        if (executionId != null) {
            attributes.put(Task.EXECUTION_ID_ATTRIBUTE, executionId);
        }
        if (options.provider() != null) {
            attributes.put(Task.PROVIDER_ATTRIBUTE, options.provider());
        }
        if (options.model() != null) {
            attributes.put(Task.MODEL_ATTRIBUTE, options.model());
        }
        return new Task(task.text(), task.tenant(), attributes);
    }

    @Override
    public ExecutionCancellation cancel(String executionId, Principal caller) {
        Optional<ExecutionRecord> record = Optional.ofNullable(history.get())
                .flatMap(executions -> executions.find(executionId));
        // whose an execution is only its record tells; without one, only an admin may act on it
        boolean visible = record.map(found -> caller.maySee(found.tenant())).orElse(caller.role() == Role.ADMIN);
        if (!visible) {
            return ExecutionCancellation.unknown(executionId);
        }
        Optional<Execution> held = engine.find(executionId);
        if (held.isPresent()) {
            Execution execution = held.get();
            // the place first: cancel() publishes the CANCELLED outcome, and who sees it may submit again at once
            coordinator.release(executionId);
            ExecutionCancellation.Outcome outcome = execution.cancel() ? ExecutionCancellation.Outcome.CANCELLED
                    : ExecutionCancellation.Outcome.NOT_RUNNING;
            return new ExecutionCancellation(executionId, outcome, execution.status());
        }
        // the engine forgets finished executions after a while and on restart; the history keeps them
        return record.map(found -> new ExecutionCancellation(executionId, ExecutionCancellation.Outcome.NOT_RUNNING,
                found.status())).orElseGet(() -> ExecutionCancellation.unknown(executionId));
    }

    /**
     * The decision, or the pattern the caller forced (installed, by id or name) with the decision's other options;
     * either way the pattern is named by its plugin id, as every record, result and event of the execution names it.
     */
    private StrategyRecommendation strategy(TaskAnalysis analyzed, String forcedPattern) {
        StrategyRecommendation decided = decisions.decide(analyzed);
        if (forcedPattern == null) {
            return decided;
        }
        String pattern = forcedPattern(forcedPattern);
        // the forced pattern keeps the score the decision gave it; one the decision passed over has none (0)
        double forcedScore = decided.pattern().equals(pattern) ? decided.score() : 0.0;
        List<StrategyAlternative> others = new ArrayList<>();
        if (!decided.pattern().equals(pattern)) {
            others.add(new StrategyAlternative(decided.pattern(), decided.score(), "the decision's choice"));
        }
        for (StrategyAlternative alternative : decided.alternatives()) {
            if (alternative.pattern().equals(pattern)) {
                forcedScore = alternative.score();
            } else {
                others.add(alternative);
            }
        }
        // best first; a stable sort keeps the decision's choice ahead of an alternative it tied with
        others.sort(Comparator.comparingDouble(StrategyAlternative::score).reversed());
        // confidence 1.0 is the caller's choice: the reasoning says so and keeps the decision's own certainty
        return new StrategyRecommendation(pattern, 1.0, String.format(Locale.ROOT, "forced by the caller (confidence"
                + " 1.0: the caller's choice, not the decision's); the decision would have chosen %s with confidence"
                + " %.2f (%s)", decided.pattern(), decided.confidence(), decided.reasoning()),
                decided.requiredServers(), decided.estimatedComplexity(), others, forcedScore);
    }

    /**
     * The plugin id of the pattern the caller forced, by id or name; one removed moments ago is waited for, unless a
     * pattern of that id or name is registered and cannot be used: that is its replacement, and waiting would not
     * make it usable.
     *
     * @throws InvalidOptionException when it is not installed, cannot be used, or its name is ambiguous
     */
    private String forcedPattern(String idOrName) {
        Optional<String> installed = installedPattern(idOrName);
        if (installed.isPresent()) {
            return installed.get();
        }
        Optional<String> unusable = unusablePattern(idOrName);
        Duration waited = Duration.ZERO;
        if (unusable.isEmpty()) {
            waited = awaitRemovedPattern(idOrName);
            installed = installedPattern(idOrName);
            if (installed.isPresent()) {
                return installed.get();
            }
            unusable = unusablePattern(idOrName);
        }
        // its bundle uninstalled (or stopped for good) ends the wait early: the refusal says that, not only the wait
        Optional<String> gone = unusable.isPresent() ? Optional.empty() : engine.whyNotComingBack(idOrName);
        String waitedText = waited.isZero() ? gone.map(why -> " (" + why + ")").orElse("")
                : " (waited " + Durations.text(waited) + " for it to come back" + gone.map(why -> ": " + why
                + " meanwhile").orElse("") + ")";
        Map<String, String> usable = installedPatterns();
        List<String> listed = new ArrayList<>(patternNames(usable));
        unusablePatterns(usable).forEach(info -> listed.add(info.id() + " (cannot be used)"));
        throw new InvalidOptionException("pattern", unusable.orElse("no workflow pattern '" + idOrName
                + "' is installed") + "; installed: " + (listed.isEmpty() ? "none" : String.join(", ", listed))
                + waitedText);
    }

    /** The patterns listed whose service cannot be obtained (their component failed to activate). */
    private List<PluginInfo> unusablePatterns(Map<String, String> usable) {
        return plugins.list(PluginKind.PATTERN).stream().filter(info -> !usable.containsKey(info.id())).toList();
    }

    /**
     * Waits for a forced pattern removed moments ago (its deployed jar being replaced) to come back, as the engine
     * does for one it is asked to start; how long it waited. An interrupted request waits no longer.
     */
    private Duration awaitRemovedPattern(String idOrName) {
        try {
            return engine.awaitRemovedPattern(idOrName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
    }

    /**
     * The plugin id of the pattern a caller forced, by plugin id or name in any case ("DIRECT" or "Direct" names it too, as
     * excludedPatterns and the analysis's recommendation do), found as a pinned provider is.
     */
    private Optional<String> installedPattern(String idOrName) {
        Map<String, String> installed = installedPatterns();
        // a name that two patterns share and no id is picks neither: the first registered ran, without a word
        List<String> named = installed.containsKey(idOrName) ? List.of() : installed.entrySet().stream()
                .filter(pattern -> idOrName.equals(pattern.getValue())).map(Map.Entry::getKey).sorted().toList();
        if (named.size() > 1) {
            throw new InvalidOptionException("pattern", "workflow pattern name '" + idOrName + "' is ambiguous: "
                    + String.join(" and ", named) + " are both named so; give one of them by its id");
        }
        Map<String, String> names = idsByName(installed);
        return refusedAs("pattern", () -> AnyCaseLookup.find("workflow pattern", idOrName, names));
    }

    /** The patterns registered now: plugin id to the pattern's name (null when it has none or failed to say it). */
    private Map<String, String> installedPatterns() {
        Map<String, String> installed = new LinkedHashMap<>();
        for (PluginInfo info : plugins.list(PluginKind.PATTERN)) {
            plugins.service(info.id(), WorkflowPattern.class).ifPresent(pattern -> installed.put(info.id(),
                    patternFailures.nameOf(info.id(), pattern)));
        }
        return installed;
    }

    /**
     * What names each installed pattern, to its plugin id. Every plugin id before any name: a pattern named after
     * another's id (a deployed one named "direct") does not take that pattern's place; of two patterns of one name,
     * the first has it here, but a lookup by that name is refused ({@link #installedPattern}).
     */
    private static Map<String, String> idsByName(Map<String, String> installed) {
        Map<String, String> names = new LinkedHashMap<>();
        installed.keySet().forEach(id -> names.put(id, id));
        installed.forEach((id, name) -> {
            if (name != null) {
                names.putIfAbsent(name, id);
            }
        });
        return names;
    }

    /**
     * Why a pattern registered under this plugin id, or under the plugin name {@code plugin:list} shows for it, cannot
     * be used (its component failed or has not finished activating), when one is registered: "not installed"
     * would contradict the plugin listing that shows it. Ids before names, as a usable pattern is found.
     */
    private Optional<String> unusablePattern(String idOrName) {
        List<PluginInfo> unusable = unusablePatterns(installedPatterns());
        Map<String, String> ids = new LinkedHashMap<>();
        unusable.forEach(info -> ids.put(info.id(), info.id()));
        unusable.forEach(info -> {
            if (info.name() != null) {
                ids.putIfAbsent(info.name(), info.id());
            }
        });
        return refusedAs("pattern", () -> AnyCaseLookup.find("workflow pattern", idOrName, ids))
                .map(found -> "workflow pattern '" + found + "' is installed but cannot be used: " + plugins.health(found)
                        .map(PluginHealth::message).filter(message -> !message.isBlank()).orElse("its service is gone"));
    }

    /**
     * The options with the pinned provider spelled as its plugin id: "Scripted" names "scripted", as a pattern is named
     * in any case, for the shell's --provider and the REST body's "provider" alike, and as llm:chat and
     * /providers/{id} find it ({@link PluginManager#find}). An exact id wins; an id that fits several providers only
     * when case is ignored is refused rather than one picked. One that fits none is refused too, before an execution
     * takes a place, naming its configuration file and its bundle's state when they can be found: no plan helps it,
     * and "no LLM provider is configured" would send the operator looking for the wrong thing.
     */
    private AutonomousOptions withInstalledProvider(AutonomousOptions options) {
        String requested = options.provider();
        if (requested == null) {
            requireServedModel(options);
            return options;
        }
        String id = refusedAs("provider", () -> plugins.find(PluginKind.PROVIDER, requested).map(PluginInfo::id))
                .orElseThrow(() -> new InvalidOptionException("provider", UnregisteredProvider.explain(context,
                        requested, registeredProviders())));
        AutonomousOptions pinned = options.withProvider(id, options.model());
        requireServedModel(pinned);
        return pinned;
    }

    /**
     * A model the options name must be one that the pinned provider, or else any registered one, lists: a model no
     * provider serves blocked the plan with the router's "no model fits", a 409 without the field (and the command
     * line's exit 3, "cannot run"), where the chat refuses it as the caller's mistake. Not judged when a provider
     * cannot list its models (a DOWN one lists none: its blocker says why) or none is registered.
     */
    private void requireServedModel(AutonomousOptions options) {
        String model = options.model();
        List<PluginInfo> providers = options.provider() == null ? plugins.list(PluginKind.PROVIDER)
                : plugins.get(options.provider()).stream().toList();
        if (model == null || providers.isEmpty()) {
            return;
        }
        Set<String> served = new TreeSet<>();
        for (PluginInfo provider : providers) {
            List<ModelInfo> models;
            try {
                models = plugins.service(provider.id(), LlmProvider.class).map(LlmProvider::models).orElse(null);
            } catch (RuntimeException e) { // a third party's provider failing to list them: it may serve it
                return;
            }
            if (models == null || models.isEmpty()) {
                return;
            }
            for (ModelInfo listed : models) {
                if (listed == null) {
                    continue; // a third party's list with a hole: the router names it
                }
                if (model.equals(listed.id())) {
                    return;
                }
                served.add(listed.id());
            }
        }
        throw new InvalidOptionException("model", (options.provider() == null ? "no LLM provider serves"
                : "LLM provider '" + options.provider() + "' does not serve") + " the model '" + model
                + "'; the models are " + String.join(", ", served));
    }

    /**
     * Why the provider the options pin cannot take now an execution's model calls, which need {@code needs} (what its
     * agents need of a model, {@link #modelNeeds}): it is DOWN ({@link #pinnedProviderDown}: a configuration with
     * mistakes, a missing key), or, in the words of a submission refused for it ({@link UnregisteredProvider#explain}),
     * it is not registered (it left after the execution was submitted) and the router would send them nowhere else (no
     * fallback chain takes them, as {@code select} says); when the chain would take them without tools only, that its
     * providers cannot call the tools the agents need, as the run would fail at its first model call. Empty when none
     * is pinned, it is registered and not DOWN, or the chain takes its calls.
     */
    private Optional<String> pinnedProviderUnavailable(AutonomousOptions options, Set<ModelCapability> needs) {
        String pinned = options.provider();
        if (pinned != null && registeredProvider(pinned)) {
            return pinnedProviderDown(pinned);
        }
        if (pinned == null || routerChoice(requirements(options, needs)).isPresent()) {
            return Optional.empty();
        }
        String refusal = UnregisteredProvider.explain(context, pinned, registeredProviders());
        Optional<ModelChoice> withoutTools = needs.contains(ModelCapability.TOOLS)
                ? routerChoice(requirements(options, EnumSet.noneOf(ModelCapability.class))) : Optional.empty();
        return Optional.of(withoutTools.map(choice -> refusal + ". The router's fallback chain would take its calls"
                + " without tools only, to '" + choice.providerId() + "': no provider of the chain has a model that can"
                + " call tools, which the agents need for their MCP servers").orElse(refusal));
    }

    /**
     * Why the pinned provider cannot serve a run, in its own words, when its health is DOWN: the router still calls a
     * provider it is asked for by name, so that its refusal names what to fix (a configuration with mistakes, which
     * serves no models, or a missing key), and a run pinned to it would fail at its first model call.
     */
    private Optional<String> pinnedProviderDown(String pinned) {
        return plugins.health(pinned).filter(health -> health.status() == PluginHealth.Status.DOWN)
                .map(health -> "the pinned provider '" + pinned + "' is DOWN"
                        + (health.message().isBlank() ? "" : ": " + health.message()));
    }

    /** What the agents of {@code plan} need of a model: tools when one of them has an MCP server. */
    static Set<ModelCapability> modelNeeds(AgentPlan plan) {
        return plan.agents().stream().map(PlannedAgent::spec).anyMatch(spec -> !spec.servers().isEmpty())
                ? EnumSet.of(ModelCapability.TOOLS) : EnumSet.noneOf(ModelCapability.class);
    }

    /** A call of the options' provider and model (each null: any) needing {@code needs}. */
    private static ModelRequirements requirements(AutonomousOptions options, Set<ModelCapability> needs) {
        return new ModelRequirements(needs, 0, ModelRequirements.Preference.COST, options.provider(),
                options.model(), List.of());
    }

    private boolean registeredProvider(String id) {
        return plugins.get(id).filter(plugin -> plugin.kind() == PluginKind.PROVIDER).isPresent();
    }

    private List<String> registeredProviders() {
        return plugins.list(PluginKind.PROVIDER).stream().map(PluginInfo::id).toList();
    }

    /** The lookup's answer; a name it found ambiguous is the caller's invalid {@code option}. */
    private static Optional<String> refusedAs(String option, Supplier<Optional<String>> lookup) {
        try {
            return lookup.get();
        } catch (AmbiguousNameException e) {
            throw new InvalidOptionException(option, e.getMessage());
        }
    }

    private static List<String> patternNames(Map<String, String> installed) {
        Map<String, String> idsByName = idsByName(installed);
        List<String> names = new ArrayList<>();
        // listed by its id, as plugin:list and the decisions show it, and by its name too where that selects it
        installed.forEach((id, name) -> names.add(name != null && !name.equals(id) && id.equals(idsByName.get(name))
                ? id + " (" + name + ")" : id));
        return names;
    }

    /** The provider and model the options pin for the agents; null when they pin neither. */
    private static ModelRequirements model(AutonomousOptions options) {
        return options.provider() == null && options.model() == null ? null : requirements(options, Set.of());
    }

    /** The plan with each agent's tokens, cost and time cut to the execution's budget where that is tighter. */
    private static AgentPlan withinBudget(AgentPlan plan, AutonomousOptions options) {
        List<PlannedAgent> bounded = plan.agents().stream().map(agent -> new PlannedAgent(
                agent.spec().withLimits(withinBudget(agent.spec().limits(), options)), agent.role(),
                agent.capabilities(), agent.reason())).toList();
        return new AgentPlan(bounded, plan.installedServers(), plan.unmetCapabilities(), plan.failedInstalls(),
                plan.warnings());
    }

    private static AgentLimits withinBudget(AgentLimits limits, AutonomousOptions options) {
        long tokens = tighter(limits.maxTokens(), options.maxTokens());
        BigDecimal cost = limits.maxCostUsd() == null ? options.maxCostUsd()
                : options.maxCostUsd() == null ? limits.maxCostUsd() : limits.maxCostUsd().min(options.maxCostUsd());
        Duration time = limits.maxTime().compareTo(options.maxTime()) <= 0 ? limits.maxTime() : options.maxTime();
        return limits.withBudget(tokens, cost, time);
    }

    /** The smaller of two token limits, where 0 is no limit. */
    private static long tighter(long limit, long other) {
        return limit == 0 ? other : other == 0 ? limit : Math.min(limit, other);
    }

    /**
     * What stops a plan from running, and how its LLM providers may fail it though nothing does; {@code retryAfter}
     * when what stops it passes by itself (open circuits), else null.
     */
    private record Readiness(List<String> blockers, List<String> providerWarnings, Duration retryAfter) {
        Readiness(List<String> blockers, List<String> providerWarnings) {
            this(blockers, providerWarnings, null);
        }
    }

    /**
     * What stops the plan from running: no usable provider (only scripted ones, for a task naming none, count when the
     * router's fallback chain takes its calls), a pinned provider that is DOWN, or no model of the one
     * named that fits. A forced pattern
     * ({@code forcedPattern}, null when the decision chose) is held back too, though it might call no model: the
     * orchestrator cannot tell, and a run needs a provider before it starts, as the READMEs promise. With the
     * provider chosen, the {@link #providerWarnings} of a plan that can run.
     */
    private Readiness readiness(AutonomousOptions options, String forcedPattern, AgentPlan planned) {
        List<String> blockers = new ArrayList<>();
        boolean anyUsable = false;
        List<String> scripted = new ArrayList<>();
        List<PluginInfo> providers = plugins.list(PluginKind.PROVIDER);
        for (PluginInfo provider : providers) {
            boolean replays = Boolean.parseBoolean(provider.properties().get(PluginProperties.SCRIPTED_PROVIDER));
            anyUsable |= options.provider() != null || !replays;
            if (replays) {
                scripted.add(provider.id());
            }
        }
        Set<ModelCapability> needs = modelNeeds(planned);
        // what the forced pattern's calls need beyond its agents' own (a swarm's hand-over tools)
        Set<ModelCapability> patternNeeds = forcedPattern == null ? EnumSet.noneOf(ModelCapability.class)
                : declaredNeeds(forcedPattern);
        patternNeeds.removeAll(needs);
        needs.addAll(patternNeeds);
        ModelRequirements requirements = requirements(options, needs);
        // only scripted ones, which answer a task naming none when the router's chain names them and nothing else fits
        if (!anyUsable && (scripted.isEmpty() || routerChoice(requirements).isEmpty())) {
            // one configured whose bundle is stopped, say: to start it is what to do, not to add one
            List<String> unregistered = UnregisteredProvider.configuredButNotRegistered(context,
                    providers.stream().map(PluginInfo::id).toList());
            String missing = scripted.isEmpty() ? noProvider(unregistered)
                    : onlyScripted(scripted, options.model(), unregistered);
            blockers.add(forcedPattern == null ? missing : missing + ". The forced pattern '" + forcedPattern
                    + "' does not run either: an execution starts only with a usable LLM provider, whether or not its"
                    + " pattern calls a model");
            return new Readiness(blockers, List.of());
        }
        // it left while the task was analysed: the refusal's words, not the router's NOT_FOUND; it is DOWN: its own
        // words, which the router's "no model fits" for one that lists no models would only repeat
        Optional<String> unavailable = pinnedProviderUnavailable(options, needs);
        if (unavailable.isPresent()) {
            return new Readiness(List.of(unavailable.get()), List.of());
        }
        List<String> warnings = List.of();
        Duration retryAfter = null;
        try {
            ModelChoice choice = router.select(requirements);
            warnings = providerWarnings(choice.providerId(), options.provider(), scripted);
        } catch (ProviderException e) {
            // the router's words, without its category ("NOT_FOUND: "), after why the pattern asks more of a model
            String asksMore = patternNeeds.isEmpty() ? "" : "the forced pattern '" + forcedPattern + "' calls every"
                    + " model with " + patternNeeds.stream().map(need -> need.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")) + " (its " + WorkflowPattern.MODEL_CAPABILITIES_PROPERTY + "): ";
            blockers.add(asksMore + e.error().message());
            retryAfter = e.error().retryAfter(); // open circuits, which half-open by themselves; else null
        }
        return new Readiness(blockers, warnings, retryAfter);
    }

    /** What {@code pattern} declares every model call of its agents needs: its {@code MODEL_CAPABILITIES_PROPERTY}. */
    private Set<ModelCapability> declaredNeeds(String pattern) {
        Set<ModelCapability> needs = EnumSet.noneOf(ModelCapability.class);
        String declared = plugins.get(pattern).map(info -> info.properties()
                .get(WorkflowPattern.MODEL_CAPABILITIES_PROPERTY)).orElse(null);
        if (declared != null) { // a String[] is listed as "[TOOLS, VISION]"
            for (String name : declared.split("[\\[\\],\\s]+")) {
                Arrays.stream(ModelCapability.values()).filter(capability -> capability.name().equalsIgnoreCase(name))
                        .forEach(needs::add);
            }
        }
        return needs;
    }

    /** Where the router would send a call with these requirements; empty when nowhere. */
    private Optional<ModelChoice> routerChoice(ModelRequirements requirements) {
        try {
            return Optional.of(router.select(requirements));
        } catch (ProviderException e) {
            return Optional.empty();
        }
    }

    /**
     * How the LLM providers may fail a plan that nothing blocks: the provider {@code chosen} is DEGRADED (its account
     * refused, or its server not reached, at its last call) or its circuit is not closed: the router still calls it,
     * and the run fails unless a fallback answers; and, for a plan that pins no provider, each other provider left
     * out for its open circuit (the first choice, it may be), but for the {@code scripted} ones, which only a pin
     * calls. "runnable" alone said nothing of them. A provider {@code pinned} (null: none) whose circuit is open is
     * left out too, and the router chose from its fallback chain, as its calls will go there; so is one that left
     * since it was last called (its bundle stopped while the task was analysed). A plan naming none for which the
     * router chose a scripted provider got it from its fallback chain, as no provider it chooses by itself fits (its
     * bundle stopped, say): said too, with the providers configured but not registered.
     */
    private List<String> providerWarnings(String chosen, String pinned, List<String> scripted) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> circuits = router.circuits();
        if (pinned != null && !pinned.equals(chosen) && !registeredProvider(pinned)) {
            warnings.add("the pinned provider '" + pinned + "' is not registered (it left since it was last called):"
                    + " the agents' calls go along the router's fallback chain, to '" + chosen + "' (each an"
                    + " llm.fallback step naming it)");
        } else if (pinned != null && !pinned.equals(chosen)) {
            warnings.add("the circuit of the pinned provider '" + pinned + "' is " + circuits.getOrDefault(pinned,
                    OPEN_CIRCUIT) + " after failed calls: until it closes, the agents' calls go along the router's"
                    + " fallback chain, to '" + chosen + "' (each an llm.fallback step naming the circuit)");
        } else if (pinned == null && scripted.contains(chosen)) {
            List<String> unregistered = UnregisteredProvider.configuredButNotRegistered(context, registeredProviders());
            warnings.add("no LLM provider the router chooses by itself fits the agents' calls: they go along the"
                    + " router's fallback chain, to the scripted provider '" + chosen + "' (each an llm.fallback step"
                    + " saying why)" + (unregistered.isEmpty() ? ""
                    : CONFIGURED_NOT_REGISTERED + String.join("; ", unregistered)));
        }
        plugins.health(chosen).filter(health -> health.status() == PluginHealth.Status.DEGRADED)
                .ifPresent(health -> warnings.add("the LLM provider '" + chosen + "' the agents would use is DEGRADED"
                        + (health.message().isBlank() ? "" : " (" + health.message() + ")") + ": its calls may fail,"
                        + " and the execution with them unless a fallback provider answers"));
        String state = circuits.getOrDefault(chosen, CLOSED_CIRCUIT);
        if (!CLOSED_CIRCUIT.equals(state)) {
            warnings.add("the circuit of the LLM provider '" + chosen + "' the agents would use is " + state
                    + " after failed calls: its next call is a trial, and the execution fails with it unless a"
                    + " fallback provider answers");
        }
        if (pinned == null) {
            circuits.forEach((id, circuit) -> {
                if (OPEN_CIRCUIT.equals(circuit) && !id.equals(chosen) && !scripted.contains(id)) {
                    warnings.add("the LLM provider '" + id + "' is left out while its circuit is open after failed"
                            + " calls; the agents would use '" + chosen + "'");
                }
            });
        }
        return warnings;
    }

    /**
     * Why no provider takes a task that names none when only scripted ones are there: they replay canned answers
     * (tests, demos) and so run a task only when named, or named in the router's fallback chain (which sends such a
     * task there when nothing else fits); a model alone names no provider. Then what to do: start the
     * providers configured but not registered ({@code unregistered}, each with why), or else add one.
     */
    private static String onlyScripted(List<String> scripted, String model, List<String> unregistered) {
        return "no LLM provider takes a task that names none: only scripted ones are configured (" + String.join(", ",
                scripted) + "), and they answer only when named: --provider <id>, or \"provider\" over HTTP"
                + (model == null ? "" : "; the model '" + model + "' does not name one, give its provider with it")
                + ". A task that names no provider needs a real one, or the router's fallbackChain naming a scripted"
                + " one (etc/io.mcpagent.llm.router.cfg.json)" + (unregistered.isEmpty() ? ". " + ADD_PROVIDER
                : CONFIGURED_NOT_REGISTERED + String.join("; ", unregistered));
    }

    /** No provider is registered: {@link #NO_PROVIDER}, unless some are configured but not registered (each, why). */
    private static String noProvider(List<String> unregistered) {
        return unregistered.isEmpty() ? NO_PROVIDER
                : "no LLM provider is registered" + CONFIGURED_NOT_REGISTERED + String.join("; ", unregistered);
    }
}
