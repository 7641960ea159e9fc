package io.mcpagent.autonomous.internal.orchestration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.mcpagent.api.autonomous.AgentPlan;
import io.mcpagent.api.autonomous.AgentsPlannedEvent;
import io.mcpagent.api.autonomous.AnalysisUnfinishedEvent;
import io.mcpagent.api.autonomous.AutonomousOptions;
import io.mcpagent.api.autonomous.AutonomousPlan;
import io.mcpagent.api.autonomous.FallbackEvent;
import io.mcpagent.api.autonomous.PlannedAgent;
import io.mcpagent.api.autonomous.StrategyAlternative;
import io.mcpagent.api.autonomous.StrategyDecidedEvent;
import io.mcpagent.api.autonomous.StrategyRecommendation;
import io.mcpagent.api.autonomous.TaskAnalyzedEvent;
import io.mcpagent.api.llm.ModelCapability;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.llm.UsageSummary;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * One autonomous execution, run by the workflow engine as a composed pattern. It starts before its task is analysed,
 * so that it can be seen, followed and cancelled meanwhile (an LLM analyzer may take seconds): it says so (a
 * {@code pattern.step} {@code analysing}) and waits for the plan another thread makes ({@link #planned}; a failed
 * analysis or planning, or a blocked plan, ends it FAILED saying why, recording an analysis that answered before the
 * planning failed). Then it records the analysis, the
 * decision and the agents as events of the execution, waits for admission (the execution is QUEUED meanwhile, then
 * RUNNING), then runs the chosen pattern as a nested pattern with the planned agents as its workers; when that fails
 * (not when it is cancelled or over budget) it falls back to the next alternative, up to {@code maxFallbacks} times,
 * each with the team planned for that pattern (recorded as another {@code autonomous.agents} event).
 * Each attempt's pattern runs on a thread of its own while the execution's thread waits for it: cancellation, the
 * removal of the pattern and the budgets interrupt the execution's thread, which then interrupts the pattern's and
 * ends at once, giving back its admission slot, even when the pattern ignores the interrupt
 * ({@link UnstoppedPatterns} reports one that does). What that pattern does later is dropped: the engine publishes
 * nothing of an execution after its end. When the orchestrator that admitted it (or the budgets) stops, it is
 * {@linkplain #stop stopped}: interrupted the same way, it ends INTERRUPTED with the reason, queued or running, and
 * tries no fallback.
 */
final class AutonomousExecution implements WorkflowPattern {
    /** The source of the orchestrator's own steps ({@code pattern.step} queued, admitted, attempt). */
    static final String STEP_SOURCE = "autonomous";
    static final String STEP_ANALYSING = "analysing";
    static final String STEP_QUEUED = "queued";
    /** What a cancellation during the analysis cuts short, as "cancelled by request while ..." says it. */
    static final String ANALYSING = "its task was being analysed";
    static final String STEP_ADMITTED = "admitted";
    static final String STEP_ATTEMPT = "attempt";
    /** How the result says a provider warning of its plan, which was made before the execution ran. */
    static final String PLANNED_WITH = "when the execution was planned: ";
    /** The plugin id of the platform's evaluator-optimizer pattern, whose team has parts to name. */
    static final String EVALUATOR_OPTIMIZER = "evaluator-optimizer";
    /**
     * How long an execution over budget waits for its interrupted pattern to stop before it ends: what the pattern
     * publishes as it stops (the model call cut short, naming its provider and what it waited for) is dropped once
     * the execution has ended. A pattern that honours its interrupt stops within milliseconds.
     */
    static final Duration WIND_DOWN = Duration.ofSeconds(1);

    /**
     * The plan made for it, with what its analysis cost and how long the analysis, and the analysis and planning after
     * its admission (part of its time budget), took.
     */
    record Planned(AutonomousPlan plan, UsageSummary analysisSpent, Duration analysisTook, Duration analysisTime) {
    }

    /** The analysis of its task, with what it cost and how long it took, when the planning after it failed. */
    record Analysed(Task task, TaskAnalysis analysis, UsageSummary spent, Duration took) {
    }

    /** The plan, made after the execution started (so that it can be seen, followed and cancelled meanwhile). */
    private final CompletableFuture<Planned> planning = new CompletableFuture<>();
    /** The analysis made before its planning failed; null when none answered (or the planning did not fail). */
    private volatile Analysed analysedBeforeFailure;
    /** The plan once {@link #execute} has it; null before. */
    private volatile AutonomousPlan plan;
    /** The pattern of the attempt running or last run (a fallback's once it began); null before the first. */
    private volatile String attempted;
    /** The thread analysing and planning the task, for the end of the execution to interrupt; null when none. */
    private Thread analysing;
    /** Whether the end of the execution interrupted {@link #analysing}. Guarded by {@code this}, as it is. */
    private boolean analysisInterrupted;
    /** Whether the execution ended before its plan came: a thread that begins analysing after is interrupted at once. */
    private boolean analysisAbandoned;
    private final AutonomousOptions options;
    /** Plans the team of a fallback pattern: each pattern has its own team rule (the factory's). */
    private final BiFunction<AutonomousPlan, String, AgentPlan> fallbackTeams;
    private final boolean forced;
    private final MetaCoordinator coordinator;
    private final MetaCoordinator.Ticket ticket;
    private final ExecutionBudgets budgets;
    private final UnstoppedPatterns unstopped;
    private final InFlightExecutions inFlight;
    private final int maxFallbacks;
    /** Whether a model call of the execution was too long for every model that could take it (the router knows). */
    private final Predicate<String> requestTooLong;
    /**
     * Why the pinned provider cannot take now the execution's model calls that need the capabilities given (it left,
     * and no fallback chain of the router takes them for it, in the words a submission refused for it gets; or it is
     * DOWN, in the words a plan blocked for it gets); empty when it can, or none is pinned.
     */
    private final Function<Set<ModelCapability>, Optional<String>> pinnedProviderUnavailable;
    /** What the model calls of an execution billed so far (the router's usage of the execution). */
    private final Function<String, UsageSummary> billed;
    /** Takes the decision the execution carries out, by its id, as its history record gets it (its decided event). */
    private final BiConsumer<String, StrategyRecommendation> decided;
    private final Clock clock;
    /** Why its orchestrator stopped it; null unless {@link #stop} was called. */
    private volatile String stoppedBecause;
    /** How a reason to stop ends; said of an execution waiting for admission as {@link #WHILE_QUEUED}. */
    static final String WHILE_RUNNING = " while this execution ran";
    /** An execution stopped while it waited for admission never ran: its record must not say it did. */
    static final String WHILE_QUEUED = " while this execution waited for admission (it never ran)";
    /** The thread running {@link #execute}, for {@link #stop} to interrupt; null before it runs. */
    private volatile Thread executing;

    AutonomousExecution(AutonomousOptions options, BiFunction<AutonomousPlan, String, AgentPlan> fallbackTeams,
                        boolean forced, MetaCoordinator coordinator, MetaCoordinator.Ticket ticket,
                        ExecutionBudgets budgets, UnstoppedPatterns unstopped, InFlightExecutions inFlight,
                        int maxFallbacks, Predicate<String> requestTooLong,
                        Function<Set<ModelCapability>, Optional<String>> pinnedProviderUnavailable,
                        Function<String, UsageSummary> billed,
                        BiConsumer<String, StrategyRecommendation> decided, Clock clock) {
        this.options = options;
        this.fallbackTeams = fallbackTeams;
        this.forced = forced;
        this.coordinator = coordinator;
        this.ticket = ticket;
        this.budgets = budgets;
        this.unstopped = unstopped;
        this.inFlight = inFlight;
        this.maxFallbacks = maxFallbacks;
        this.requestTooLong = requestTooLong;
        this.pinnedProviderUnavailable = pinnedProviderUnavailable;
        this.billed = billed;
        this.decided = decided;
        this.clock = clock;
    }

    /** The plan made for the execution: it goes on with it (a blocked one ends it FAILED, naming the blockers). */
    void planned(Planned planned) {
        planning.complete(planned);
    }

    /**
     * The analysis or the planning failed ({@code why}): the execution ends FAILED with its message, recording
     * {@code analysed}, the analysis made before the planning failed (null when none answered).
     */
    void planningFailed(Throwable why, Analysed analysed) {
        analysedBeforeFailure = analysed;
        planning.completeExceptionally(why);
    }

    /**
     * {@code thread} analyses and plans the task now (null: no more), so that the end of the execution meanwhile (a
     * cancellation, its orchestrator stopping) interrupts it: nothing is planned or installed for an ended execution.
     *
     * @return whether the end of the execution interrupted the thread that analysed (when {@code thread} is null)
     */
    synchronized boolean analysingOn(Thread thread) {
        boolean interrupted = analysisInterrupted;
        analysing = thread;
        analysisInterrupted = false;
        if (thread != null && analysisAbandoned) { // cancelled before its analysis even began
            interruptAnalysis();
        }
        return interrupted;
    }

    /** Whether the end of the execution interrupted the thread analysing its task: its plan is of no use. */
    synchronized boolean analysisInterrupted() {
        return analysisInterrupted;
    }

    private synchronized void interruptAnalysis() {
        analysisAbandoned = true;
        if (analysing != null) {
            analysing.interrupt();
            analysisInterrupted = true;
        }
    }

    /**
     * The plugin id of the pattern that runs, a fallback's once it began (what a reader of the running execution
     * sees), else of the chosen pattern once the task is planned; before (the engine's started event, a cancellation
     * during the analysis) the composed execution's own name. The results name the pattern themselves.
     */
    @Override
    public String name() {
        String running = attempted;
        if (running != null) {
            return running;
        }
        Planned known = planning.isDone() && !planning.isCompletedExceptionally() ? planning.join() : null;
        return known == null ? STEP_SOURCE : known.plan().strategy().pattern();
    }

    /** Never chosen by a decision: it is the decision, carried out. */
    @Override
    public double suitability(TaskAnalysis analysis) {
        return 0.0;
    }

    /**
     * Takes {@code reason} as what it is stopped for, said as the execution stands now: one its coordinator has not
     * admitted never ran ({@link #WHILE_QUEUED}), even when another execution's end admits it before it ends itself.
     * {@link #interrupt} then ends it.
     */
    void stopping(String reason) {
        stoppedBecause = coordinator.admitted(ticket) ? reason : reason.replace(WHILE_RUNNING, WHILE_QUEUED);
    }

    /**
     * Ends the execution INTERRUPTED for the reason {@link #stopping} took, whether it waits for admission or runs
     * (then its pattern is interrupted as on a cancellation); one that has not begun yet ends as soon as it does.
     */
    void interrupt() {
        Thread thread = executing;
        if (thread != null) {
            thread.interrupt();
        }
        interruptAnalysis();
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        Instant started = clock.instant();
        String id = context.executionId();
        executing = Thread.currentThread();
        try {
            if (stoppedBecause != null) {
                return unanalysed(context, result(context, ExecutionStatus.INTERRUPTED, name(), null, stoppedBecause,
                        Usage.NONE, started));
            }
            // stamped as the task.analyzed event after it is (its analysis from here on), so that steps keep time order
            context.publish(new PatternEvent(started, id, STEP_SOURCE, STEP_ANALYSING, "analysing the task and"
                    + " planning its agents" + (coordinator.admitted(ticket) ? ", within its time budget of "
                    + Durations.text(options.maxTime()) : ", while it waits for a free slot")));
            Planned planned;
            context.activity(ANALYSING); // a cancellation meanwhile says so, not only "cancelled by request"
            try {
                planned = planning.get();
            } catch (InterruptedException e) {
                // cancelled, or its orchestrator stopped: the analysis is of no use any more
                interruptAnalysis();
                String stopped = stoppedBecause;
                return unanalysed(context, stopped != null
                        ? result(context, ExecutionStatus.INTERRUPTED, name(), null, stopped, Usage.NONE, started)
                        : result(context, ExecutionStatus.CANCELLED, name(), null,
                                "cancelled while " + ANALYSING, Usage.NONE, started));
            } catch (ExecutionException e) {
                Analysed analysed = analysedBeforeFailure;
                if (analysed != null) { // made, and billed, for this execution: its record counts what it cost
                    context.publish(new TaskAnalyzedEvent(started, id, analysed.task(), analysed.analysis(),
                            analysed.spent().usage(), analysed.spent().cost(), analysed.took()));
                }
                String stopped = stoppedBecause;
                ExecutionResult failed = stopped != null
                        ? result(context, ExecutionStatus.INTERRUPTED, name(), null, stopped, Usage.NONE, started)
                        : result(context, ExecutionStatus.FAILED, name(), null, "the task could not be analysed and"
                                + " planned: " + e.getCause().getMessage(), Usage.NONE, started);
                return analysed != null ? failed : unanalysed(context, failed);
            }
            context.activity(null);
            plan = planned.plan();
            UsageSummary analysisSpent = planned.analysisSpent();
            context.publish(new TaskAnalyzedEvent(started, id, plan.task(), plan.analysis(), analysisSpent.usage(),
                    analysisSpent.cost(), planned.analysisTook()));
            context.publish(new StrategyDecidedEvent(clock.instant(), id, plan.strategy(), forced));
            decided.accept(id, plan.strategy());
            context.publish(new AgentsPlannedEvent(clock.instant(), id, plan.agents()));
            if (!plan.runnable()) {
                return result(context, ExecutionStatus.FAILED, name(), null, "the task was analysed and planned but"
                        + " cannot run: " + String.join("; ", plan.blockers()), Usage.NONE, started);
            }
            if (!coordinator.admitted(ticket)) {
                context.status(ExecutionStatus.QUEUED);
                context.publish(new PatternEvent(clock.instant(), id, STEP_SOURCE, STEP_QUEUED, "waiting for a free slot: "
                        + coordinator.waitingFor(ticket)));
                try {
                    coordinator.awaitAdmission(ticket);
                } catch (InterruptedException e) {
                    String stopped = stoppedBecause;
                    return stopped != null
                            ? result(context, ExecutionStatus.INTERRUPTED, plan.strategy().pattern(), null,
                                    stopped, Usage.NONE, started)
                            : result(context, ExecutionStatus.CANCELLED, plan.strategy().pattern(), null,
                                    "cancelled while waiting for admission", Usage.NONE, started);
                }
                context.publish(new PatternEvent(clock.instant(), id, STEP_SOURCE, STEP_ADMITTED, ""));
            }
            // started QUEUED, it may have been admitted before it got here
            context.status(ExecutionStatus.RUNNING);
            ExecutionBudgets.Budget budget = budgets.start(id, Thread.currentThread(), options.maxTokens(),
                    options.maxCostUsd(), options.maxTime(), planned.analysisTime());
            try {
                String stopped = stoppedBecause(budget);
                if (stopped != null) {
                    Thread.interrupted(); // the stop interrupted this thread: no pattern is running yet
                    return result(context, ExecutionStatus.INTERRUPTED, plan.strategy().pattern(), null, stopped,
                            Usage.NONE, started);
                }
                // The analysis and the planning were made for this execution: they are part of what the budget allows.
                // Only time can have run out yet: the analysis and the planning (installs included) took it.
                String timeUp = budget.exceeded();
                if (timeUp != null) {
                    return overBudgetBeforeStart(context, timeUp + ", by the analysis and planning of the task",
                            started);
                }
                // planning calls no model: the tokens and cost spent so far are the analysis's
                budget.add(analysisSpent.usage().totalTokens(), analysisSpent.cost());
                String overBudget = budget.exceeded();
                if (overBudget != null) {
                    return overBudgetBeforeStart(context, overBudget + ", by the analysis of the task", started);
                }
                // it left while the execution waited for its place (or was planned): its pattern's first model call
                // would fail with the router's short NOT_FOUND, which says nothing of why or what to do, as it would
                // when the router's chain takes its calls but none that can call the tools the agents need; it turned
                // DOWN meanwhile (its configuration edited with mistakes): that call would fail with its refusal
                Optional<String> unavailable = pinnedProviderUnavailable.apply(
                        DefaultAutonomousOrchestrator.modelNeeds(plan.agents()));
                if (unavailable.isPresent()) {
                    return result(context, ExecutionStatus.FAILED, plan.strategy().pattern(), null, unavailable.get(),
                            Usage.NONE, started);
                }
                return attempts(request, context, budget, started);
            } finally {
                budgets.end(id);
            }
        } finally {
            coordinator.release(ticket);
            inFlight.ended(id);
        }
    }

    /** Ends the execution FAILED over budget ({@code why}) before any pattern ran. */
    private ExecutionResult overBudgetBeforeStart(WorkflowContext context, String why, Instant started) {
        Thread.interrupted(); // the budget interrupted this thread: no pattern is running yet
        return result(context, ExecutionStatus.FAILED, plan.strategy().pattern(), null, "budget exceeded: " + why,
                Usage.NONE, started);
    }

    /** Why the execution must end though nothing failed (its orchestrator or budgets stopped); null if it may run. */
    private String stoppedBecause(ExecutionBudgets.Budget budget) {
        String stopped = stoppedBecause;
        return stopped != null ? stopped : budget.stopped();
    }

    private ExecutionResult attempts(WorkflowRequest request, WorkflowContext context, ExecutionBudgets.Budget budget,
                                     Instant started) {
        List<String> order = order();
        Usage usage = Usage.NONE;
        List<String> failures = new ArrayList<>();
        String lastError = null;
        // the team of the fallback pattern about to run, planned before it is tried: its agents' needs decide that
        AgentPlan nextTeam = null;
        for (int i = 0; i < order.size(); i++) {
            String pattern = order.get(i);
            attempted = pattern;
            context.publish(new PatternEvent(clock.instant(), context.executionId(), STEP_SOURCE, STEP_ATTEMPT,
                    (i + 1) + "/" + order.size() + ": " + pattern));
            AgentPlan team = i == 0 ? plan.agents() : nextTeam;
            if (i > 0) {
                context.publish(new AgentsPlannedEvent(clock.instant(), context.executionId(), team));
            }
            WorkerResult ran;
            try {
                ran = attempt(context, new Worker.PatternWorker(pattern, "the " + pattern + " pattern", pattern,
                        workers(team), patternOptions(pattern, team)), request.task().text(), budget);
            } catch (InterruptedException e) {
                String overBudget = budget.exceeded();
                if (overBudget != null) {
                    return result(context, ExecutionStatus.FAILED, pattern, null, "budget exceeded: " + overBudget,
                            usage, started);
                }
                String stopped = stoppedBecause(budget);
                return stopped != null ? result(context, ExecutionStatus.INTERRUPTED, pattern, null, stopped, usage,
                        started) : result(context, ExecutionStatus.CANCELLED, pattern, null, "the execution was stopped"
                        + " while pattern '" + pattern + "' ran", usage, started);
            }
            usage = usage.plus(ran.usage());
            String overBudget = budget.exceeded();
            if (overBudget != null) {
                Thread.interrupted(); // the budget's interrupt has done its work
                return result(context, ExecutionStatus.FAILED, pattern, null, "budget exceeded: " + overBudget,
                        usage, started);
            }
            if (ran.succeeded()) {
                List<String> warnings = new ArrayList<>();
                if (i > 0) { // succeeded, but not as decided: the operator should know without reading the steps
                    warnings.add("the chosen pattern '" + order.get(0) + "' failed; the output comes from the"
                            + " fallback pattern '" + pattern + "' (attempt " + (i + 1) + " of " + order.size()
                            + ", see the autonomous.fallback steps)");
                }
                unmetWarning(team).ifPresent(warnings::add);
                noToolCalledWarning(plan, team, budget.toolCalls()).ifPresent(warnings::add);
                warnings.addAll(planWarnings(plan));
                warnings.addAll(ran.warnings());
                return new ExecutionResult(context.executionId(), pattern, ExecutionStatus.SUCCEEDED, ran.output(),
                        null, usage, started, clock.instant(), warnings);
            }
            String stopped = stoppedBecause(budget);
            if (stopped != null) {
                // the pattern failed because it was interrupted: another pattern would be stopped the same way
                Thread.interrupted();
                return result(context, ExecutionStatus.INTERRUPTED, pattern, null, stopped, usage, started);
            }
            if (ran.status() == ExecutionStatus.CANCELLED || context.isCancelled()) {
                return result(context, ExecutionStatus.CANCELLED, pattern, null, ran.error(), usage, started);
            }
            lastError = ran.error();
            failures.add(pattern + ": " + lastError);
            nextTeam = i + 1 < order.size() ? fallbackTeams.apply(plan, order.get(i + 1)) : null;
            // every fallback pattern would call the same missing or DOWN provider and fail the same way (when the
            // router's chain takes its calls, they go there instead, and a fallback pattern may succeed, unless the
            // chain cannot call the tools its agents need: asked with them, as the admission check asks)
            Optional<String> unavailable = nextTeam == null ? Optional.empty()
                    : pinnedProviderUnavailable.apply(DefaultAutonomousOrchestrator.modelNeeds(nextTeam));
            if (unavailable.isPresent()) {
                return result(context, ExecutionStatus.FAILED, pattern, null, failed(failures, lastError)
                        + "; no fallback pattern is tried, as every pattern would call the pinned provider '"
                        + options.provider() + "': " + unavailable.get(), usage, started);
            }
            if (i + 1 < order.size() && requestTooLong.test(context.executionId())) {
                // every fallback pattern would send the same task to the same models and be refused the same way
                return result(context, ExecutionStatus.FAILED, pattern, null, failed(failures, lastError)
                        + "; no fallback pattern is tried: the request was too long for every model that could take"
                        + " it, and every pattern would send it", usage, started);
            }
            if (i + 1 < order.size()) {
                context.publish(new FallbackEvent(clock.instant(), context.executionId(), pattern, order.get(i + 1),
                        ran.error()));
            }
        }
        return result(context, ExecutionStatus.FAILED, order.get(order.size() - 1), null, failed(failures, lastError),
                usage, started);
    }

    /**
     * The warning of a success whose agents lacked servers for capabilities the task needs: they ran without those
     * tools, so the output may say it did what it could not do.
     */
    static Optional<String> unmetWarning(AgentPlan team) {
        if (team.unmetCapabilities().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the agents ran without tools for " + String.join(", ",
                new TreeSet<>(team.unmetCapabilities())) + ", which the task needs: no MCP server was bound for them"
                + " (see the autonomous.agents step for why and what to configure)");
    }

    /**
     * The warning of a success in which no agent called a tool, though the task needs capabilities that its agents had
     * MCP servers for: a model that answered without them may describe work that was not done ("the summary is
     * written to summary.md"), and SUCCEEDED alone said nothing of it.
     */
    static Optional<String> noToolCalledWarning(AutonomousPlan plan, AgentPlan team, long toolCalls) {
        Set<String> covered = new TreeSet<>(plan.analysis().requiredCapabilities());
        covered.removeAll(team.unmetCapabilities());
        boolean hadServers = team.agents().stream().anyMatch(agent -> !agent.spec().servers().isEmpty());
        if (toolCalls > 0 || covered.isEmpty() || !hadServers) {
            return Optional.empty();
        }
        return Optional.of("no agent called a tool, though the task needs " + String.join(", ", covered) + " and"
                + " the agents had MCP servers for it: the output may describe work that was not done (check it; the"
                + " steps show the model calls)");
    }

    /**
     * The plan's warnings of its agents (a path outside the roots of their file servers) and of its providers (a
     * DEGRADED provider, a circuit that is not closed), kept with the result: whoever reads it (REST, agent:show,
     * bin/mcp-agent run) sees what may explain a failure or a fallback, not only the plan.
     */
    static List<String> planWarnings(AutonomousPlan plan) {
        if (plan == null) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>(plan.agents().warnings());
        plan.providerWarnings().forEach(warning -> warnings.add(PLANNED_WITH + warning));
        return warnings;
    }

    /** The error of the attempts that failed: the one error, or each pattern's. */
    private static String failed(List<String> failures, String lastError) {
        return failures.size() == 1 ? lastError : "every strategy tried failed: " + String.join("; ", failures);
    }

    /**
     * The pinned provider and model, and the parts the team rule gave its agents, so that each planned agent is the
     * one that plays its part: the evaluator-optimizer's team is its generator then its evaluator (without the
     * option the pattern would rate with a tool-less evaluator of its own). A team cut to one agent by the agent limit
     * has no evaluator: the pattern brings its own.
     */
    private Map<String, String> patternOptions(String pattern, AgentPlan team) {
        Map<String, String> patternOptions = new LinkedHashMap<>();
        if (options.provider() != null) {
            patternOptions.put("provider", options.provider());
        }
        if (options.model() != null) {
            patternOptions.put("model", options.model());
        }
        List<PlannedAgent> agents = team.agents();
        if (EVALUATOR_OPTIMIZER.equals(pattern) && agents.size() == 2) {
            patternOptions.put("generator", agents.get(0).spec().name());
            patternOptions.put("evaluator", agents.get(1).spec().name());
        }
        return patternOptions;
    }

    private static List<Worker> workers(AgentPlan team) {
        List<Worker> workers = new ArrayList<>();
        for (PlannedAgent agent : team.agents()) {
            workers.add(new Worker.AgentWorker(agent.spec(), agent.role() + ": " + agent.reason()));
        }
        return workers;
    }

    /**
     * Runs {@code worker} on a thread of its own and waits for it. Interrupted (the execution ended, or its budget
     * ran out), it interrupts that thread and leaves it to stop on its own, watched by {@link UnstoppedPatterns}.
     */
    private WorkerResult attempt(WorkflowContext context, Worker.PatternWorker worker, String input,
                                 ExecutionBudgets.Budget budget) throws InterruptedException {
        // looked up now: once the pattern is removed, its bundle can no longer be told
        String bundle = context.plugins().get(worker.pattern()).map(PluginInfo::bundleSymbolicName).orElse("");
        FutureTask<WorkerResult> running = new FutureTask<>(() -> context.run(worker, input));
        Thread thread = Thread.ofVirtual().name("mcpagent-execution-" + context.executionId() + "-" + worker.pattern())
                .start(running);
        try {
            return running.get();
        } catch (InterruptedException e) {
            thread.interrupt();
            if (budget.exceeded() != null) {
                windDown(running);
            }
            unstopped.watch(context.executionId(), worker.pattern(), bundle, thread);
            throw e;
        } catch (ExecutionException e) {
            // run() reports a worker's failure in its result; anything it throws goes to the engine as before
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** Waits up to {@link #WIND_DOWN} for the interrupted pattern; the budget's verdict stands however it ends. */
    private static void windDown(FutureTask<WorkerResult> running) {
        try {
            running.get(WIND_DOWN.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException again) {
            // stopped while waiting (a cancellation): end now, as without the wait
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // failed, or ignores its interrupt: the unstopped patterns' watch reports the latter
        }
    }

    /** The chosen pattern, then its alternatives best first; a pattern the caller forced has no fallback. */
    private List<String> order() {
        List<String> order = new ArrayList<>();
        order.add(plan.strategy().pattern());
        if (!forced) {
            for (StrategyAlternative alternative : plan.strategy().alternatives()) {
                if (order.size() > maxFallbacks) {
                    break;
                }
                if (!order.contains(alternative.pattern())) {
                    order.add(alternative.pattern());
                }
            }
        }
        return order;
    }

    /**
     * {@code ended}, the end of an execution before its analysis was recorded, after its record got what the analysis
     * billed until then ({@link AnalysisUnfinishedEvent}, when it billed anything): one rule for a failed analysis, a
     * cancellation, a stop or a time budget's end, as the model calls were made for the execution whatever ended it.
     * No agent ran yet, so the router's usage of the execution is the analysis's.
     */
    private ExecutionResult unanalysed(WorkflowContext context, ExecutionResult ended) {
        UsageSummary spent = billed.apply(context.executionId());
        if (!spent.usage().equals(Usage.NONE) || spent.cost().signum() != 0) {
            context.publish(new AnalysisUnfinishedEvent(clock.instant(), context.executionId(), spent.usage(),
                    spent.cost(), ended.error()));
        }
        return ended;
    }

    private ExecutionResult result(WorkflowContext context, ExecutionStatus status, String pattern, String output,
                                   String error, Usage usage, Instant started) {
        return new ExecutionResult(context.executionId(), pattern, status, output, error, usage, started,
                clock.instant(), planWarnings(plan));
    }
}
