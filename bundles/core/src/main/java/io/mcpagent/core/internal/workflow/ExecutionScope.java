package io.mcpagent.core.internal.workflow;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentRuntime;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Durations;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerEvent;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowException;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.core.internal.ExecutionListeners;

/**
 * The context of one execution: its id, its status while it has not ended (queued or running), cancellation,
 * events, agents and workers. It remembers which pattern plugins the execution uses (its own and nested ones), so
 * that removing one of them can end the execution, and the outermost nested one it started last, which names a
 * composed execution that ends before it could say; and the calls its agents made to tools they do not have, which
 * fail without failing the execution.
 */
final class ExecutionScope implements WorkflowContext {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionScope.class);
    /** The step of an execution waiting for a missing nested pattern. */
    static final String PATTERN_WAIT = "pattern.wait";
    private final String executionId;
    private final String pattern;
    private final Task task;
    private final PluginManager plugins;
    private final AgentRuntime agents;
    private final ExecutionListeners listeners;
    private final Clock clock;
    private final PatternArrivals arrivals;
    /** How long a nested pattern missing when it is needed is waited for. */
    private final Duration patternGrace;
    private final AtomicReference<ExecutionStatus> status;
    /** Service ids of the pattern services this execution runs, its own and nested ones. */
    private final Set<Long> patternsInUse = ConcurrentHashMap.newKeySet();
    /**
     * The most nested patterns one thread runs inside one another. Far beyond any real composition; a pattern that
     * runs itself as a worker without end fails its worker here, naming it, rather than overflowing the stack (which
     * unwound to the outermost pattern and blamed that one).
     */
    static final int MAX_NESTING = 64;
    /** How many nested patterns this thread runs inside one another in this execution. */
    private final ThreadLocal<Integer> nesting = ThreadLocal.withInitial(() -> 0);
    /** Nested patterns running now: one started while none runs is an outermost one. */
    private final AtomicInteger nestedRunning = new AtomicInteger();
    private volatile String outermostNested;
    /** Tool name -> how often an agent of this execution called it without having it. */
    private final Map<String, Integer> unknownToolCalls = new ConcurrentHashMap<>();
    /** "'agent' by STOP_REASON" -> how many of that agent's answers the model did not end itself. */
    private final Map<String, Integer> cutShortAnswers = new ConcurrentHashMap<>();
    /** Agent and tool ("agent\0tool") of each call of a tool the agent does not have: the unknown-tool warning's. */
    private final Set<String> unknownToolsOfAgents = ConcurrentHashMap.newKeySet();
    /** Agent -> its calls of tools it has that ended: how many, how many failed, and the first failure. */
    private final Map<String, ToolCalls> toolCallsByAgent = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    /** What the execution's pattern said it is doing now, which a cancellation cuts short; null for nothing said. */
    private volatile String activity;

    /** {@code pattern}: as the execution's status events name it; {@code initial}: QUEUED or RUNNING. */
    ExecutionScope(String executionId, String pattern, ExecutionStatus initial, Task task, PluginManager plugins,
                   AgentRuntime agents, ExecutionListeners listeners, Clock clock, PatternArrivals arrivals,
                   Duration patternGrace) {
        this.executionId = executionId;
        this.pattern = pattern;
        this.status = new AtomicReference<>(notTerminal(initial));
        this.task = task;
        this.plugins = plugins;
        this.agents = agents;
        this.listeners = listeners;
        this.clock = clock;
        this.arrivals = arrivals;
        this.patternGrace = patternGrace;
    }

    @Override
    public String executionId() {
        return executionId;
    }

    Task task() {
        return task;
    }

    @Override
    public PluginManager plugins() {
        return plugins;
    }

    /**
     * Publishes the event while the execution runs. Once it has ended (cancelled, interrupted, its pattern removed),
     * what its threads still do as they wind down (a model call cut short reads "cancelled") is not published: its
     * trace ends with its result, and says nothing its result contradicts.
     */
    @Override
    public void publish(ExecutionEvent event) {
        if (event == null) {
            throw new ContextMisuseException("called WorkflowContext.publish with null; it takes an event of"
                    + " io.mcpagent.api.event (a PatternEvent for a pattern's own progress)");
        }
        if (event instanceof AgentEvent agentEvent && agentEvent.type().equals(AgentEvent.TOOL_STARTED)
                && agentEvent.detail().equals(AgentEvent.UNKNOWN_TOOL)) {
            unknownToolCalls.merge(agentEvent.subject(), 1, Integer::sum);
            unknownToolsOfAgents.add(agentEvent.agent() + '\0' + agentEvent.subject());
        }
        // a call's start is published before its end, so a call of a tool the agent does not have is known here
        if (event instanceof AgentEvent agentEvent && agentEvent.type().equals(AgentEvent.TOOL_FINISHED)
                && !unknownToolsOfAgents.contains(agentEvent.agent() + '\0' + agentEvent.subject())) {
            toolCallsByAgent.merge(agentEvent.agent(), new ToolCalls(1, agentEvent.error() ? 1 : 0,
                    agentEvent.error() ? agentEvent.detail() : null), ToolCalls::plus);
        }
        if (event instanceof AgentEvent agentEvent && agentEvent.type().equals(AgentEvent.FINISHED)
                && agentEvent.detail().startsWith(AgentEvent.CUT_SHORT)) {
            cutShortAnswers.merge("'" + agentEvent.agent() + "' by "
                    + agentEvent.detail().substring(AgentEvent.CUT_SHORT.length()), 1, Integer::sum);
        }
        if (!stopped) {
            listeners.publish(event);
        }
    }

    /** Tool name -> how often an agent of this execution called it without having it, by name. */
    Map<String, Integer> unknownToolCalls() {
        return new TreeMap<>(unknownToolCalls);
    }

    /** "'agent' by STOP_REASON" -> how many of that agent's answers the model did not end itself, by agent. */
    Map<String, Integer> cutShortAnswers() {
        return new TreeMap<>(cutShortAnswers);
    }

    /**
     * An agent's calls of tools it has: how many ended, how many of them failed (an error result), and the detail of
     * the first failure ({@code server/tool arguments -> error: text}, masked by the agent), null when none failed.
     */
    record ToolCalls(int ended, int failed, String firstFailure) {
        ToolCalls plus(ToolCalls later) {
            return new ToolCalls(ended + later.ended, failed + later.failed,
                    firstFailure != null ? firstFailure : later.firstFailure);
        }
    }

    /** Agent -> its tool calls, by agent, for the agents that called tools they have and had every such call fail. */
    Map<String, ToolCalls> agentsWhoseToolCallsAllFailed() {
        Map<String, ToolCalls> agents = new TreeMap<>();
        toolCallsByAgent.forEach((agent, calls) -> {
            if (calls.failed() == calls.ended()) {
                agents.put(agent, calls);
            }
        });
        return agents;
    }

    /** QUEUED or RUNNING: the execution's status until it ends. */
    ExecutionStatus status() {
        return status.get();
    }

    @Override
    public void status(ExecutionStatus now) {
        if (status.getAndSet(notTerminal(now)) != now) {
            publish(new ExecutionStatusEvent(clock.instant(), ExecutionStatusEvent.STATUS_CHANGED, executionId,
                    pattern, now, null, task.tenant(), task.text(), null));
        }
    }

    static ExecutionStatus notTerminal(ExecutionStatus status) {
        if (status == null || status.isTerminal()) {
            throw new IllegalArgumentException("an execution that has not ended is QUEUED or RUNNING, not " + status
                    + "; it ends with the result its pattern returns");
        }
        return status;
    }

    @Override
    public void activity(String whatItIsDoing) {
        activity = whatItIsDoing;
    }

    /** What a cancellation now cuts short, as the pattern said it ({@link #activity(String)}). */
    Optional<String> activity() {
        return Optional.ofNullable(activity);
    }

    @Override
    public boolean isCancelled() {
        return stopped;
    }

    /** The execution has ended: its threads are to stop, and what they publish from now on is dropped. */
    void stop() {
        stopped = true;
    }

    void use(PatternRef pattern) {
        patternsInUse.add(pattern.serviceId());
    }

    boolean uses(long patternServiceId) {
        return patternsInUse.contains(patternServiceId);
    }

    /** The plugin id of the outermost nested pattern started last, if any was. */
    Optional<String> outermostNestedPattern() {
        return Optional.ofNullable(outermostNested);
    }

    @Override
    public Agent agent(AgentSpec spec) {
        return agents.create(spec, this);
    }

    @Override
    public WorkerResult run(Worker worker, String input) {
        String kind = switch (worker) {
            case Worker.AgentWorker a -> "agent";
            case Worker.PatternWorker p -> "pattern";
            case Worker.FunctionWorker f -> "function";
        };
        Instant start = clock.instant();
        publish(new WorkerEvent(start, WorkerEvent.STARTED, executionId, worker.name(), kind, ExecutionStatus.RUNNING,
                null, null));
        WorkerResult result;
        if (stopped) {
            result = failed(worker, ExecutionStatus.CANCELLED, "the execution was cancelled before worker '"
                    + worker.name() + "' ran");
        } else {
            result = switch (worker) {
                case Worker.AgentWorker a -> runAgent(a, input);
                case Worker.PatternWorker p -> runPattern(p, input);
                case Worker.FunctionWorker f -> runFunction(f, input);
            };
        }
        Duration took = Duration.between(start, clock.instant());
        result = new WorkerResult(result.worker(), result.status(), result.output(), result.error(), result.usage(),
                result.cost(), took, result.warnings());
        publish(new WorkerEvent(clock.instant(), WorkerEvent.FINISHED, executionId, worker.name(), kind,
                result.status(), took, result.error()));
        return result;
    }

    private WorkerResult runAgent(Worker.AgentWorker worker, String input) {
        AgentResult result = agent(worker.spec()).run(input);
        ExecutionStatus status = switch (result.outcome()) {
            case ANSWERED -> ExecutionStatus.SUCCEEDED;
            case CANCELLED -> ExecutionStatus.CANCELLED;
            default -> ExecutionStatus.FAILED;
        };
        String output = result.structuredJson() != null ? result.structuredJson() : result.text();
        String error = result.outcome() == AgentOutcome.ANSWERED ? null
                : "agent '" + worker.name() + "' " + result.outcome() + ": " + result.error();
        return new WorkerResult(worker.name(), status, output, error, result.usage(), result.cost(), null);
    }

    private WorkerResult runFunction(Worker.FunctionWorker worker, String input) {
        try {
            String output = worker.function().apply(input);
            return new WorkerResult(worker.name(), ExecutionStatus.SUCCEEDED, output, null, Usage.NONE, BigDecimal.ZERO, null);
        } catch (RuntimeException | Error e) {
            LOG.warn("function worker '{}' failed in execution {}", worker.name(), executionId, e);
            return failed(worker, ExecutionStatus.FAILED, "function '" + worker.name() + "' failed: " + e.getMessage());
        }
    }

    private WorkerResult runPattern(Worker.PatternWorker worker, String input) {
        Optional<PatternRef> found = PatternRef.find(plugins, worker.pattern());
        // a pattern whose bundle was uninstalled or stopped for good is not being replaced, and one registered but
        // unusable is back already, broken: no point waiting for either
        boolean registeredUnusable = found.isEmpty() && PatternRef.registeredUnusable(plugins, worker.pattern());
        if (found.isEmpty() && !patternGrace.isZero() && !registeredUnusable
                && arrivals.whyNotComingBack(worker.pattern()).isEmpty()) {
            try {
                found = awaitPattern(worker);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(worker, ExecutionStatus.CANCELLED, "the execution was stopped while worker '"
                        + worker.name() + "' waited for workflow pattern '" + worker.pattern() + "'");
            }
        }
        if (found.isEmpty()) {
            // a broken replacement registered during the wait ended it as one registered before it would have
            String why = arrivals.whyNotComingBack(worker.pattern()).map(gone -> " (" + gone + ")")
                    .orElse(patternGrace.isZero() || registeredUnusable
                            || PatternRef.registeredUnusable(plugins, worker.pattern()) ? ""
                            : " (waited " + Durations.text(patternGrace) + " for it to come back)");
            return failed(worker, ExecutionStatus.FAILED, "worker '" + worker.name() + "': "
                    + PatternRef.missing(plugins, worker.pattern()) + why);
        }
        PatternRef pattern = found.get();
        int depth = nesting.get();
        if (depth >= MAX_NESTING) {
            return failed(worker, ExecutionStatus.FAILED, "worker '" + worker.name() + "': workflow pattern '"
                    + pattern.id() + "' would run nested " + (depth + 1) + " deep, beyond the limit of " + MAX_NESTING
                    + "; does a pattern run itself as a worker without end?");
        }
        use(pattern);
        if (nestedRunning.getAndIncrement() == 0) {
            outermostNested = pattern.id();
        }
        WorkflowRequest request = new WorkflowRequest(new Task(input, task.tenant(), task.attributes()), null,
                worker.workers(), worker.options());
        nesting.set(depth + 1);
        try {
            ExecutionResult result = pattern.pattern().execute(request, this);
            if (result == null) {
                return failed(worker, ExecutionStatus.FAILED, "pattern '" + pattern.id() + "' returned no result");
            }
            return new WorkerResult(worker.name(), PatternResults.ended(result.status()), result.output(),
                    PatternResults.error(pattern.id(), result.status(), result.error()), result.usage(),
                    BigDecimal.ZERO, null, result.warnings());
        } catch (WorkflowException e) {
            return failed(worker, ExecutionStatus.FAILED, "pattern '" + pattern.id() + "': " + e.getMessage());
        } catch (ContextMisuseException e) {
            return failed(worker, ExecutionStatus.FAILED, "pattern '" + pattern.id() + "' " + e.getMessage());
        } catch (RuntimeException | Error e) {
            // A pattern's bug, as the engine logs one at the top: its stack names the line that threw. An Error (an
            // assertion, a class its bundle lacks) failed the outer pattern, named as the one at fault.
            if (!stopped) {
                LOG.warn("workflow pattern '{}' failed as worker '{}' of execution {}", pattern.id(), worker.name(),
                        executionId, e);
            }
            return failed(worker, stopped ? ExecutionStatus.CANCELLED : ExecutionStatus.FAILED,
                    "pattern '" + pattern.id() + "' failed: " + e);
        } finally {
            nestedRunning.decrementAndGet();
            if (depth == 0) {
                nesting.remove();
            } else {
                nesting.set(depth);
            }
        }
    }

    /**
     * Waits the grace period for the missing pattern of {@code worker}, which may be between its old bundle and its
     * new one (a deployed jar replaced); the execution's steps say that it waited, and whether the pattern came back.
     */
    private Optional<PatternRef> awaitPattern(Worker.PatternWorker worker) throws InterruptedException {
        publish(new PatternEvent(clock.instant(), executionId, pattern, PATTERN_WAIT, "workflow pattern '"
                + worker.pattern() + "' of worker '" + worker.name() + "' is not installed now; waiting up to "
                + Durations.text(patternGrace) + " for it to come back (a deployed jar being replaced)"));
        Instant waiting = clock.instant();
        Optional<PatternRef> found = arrivals.await(worker.pattern(), patternGrace);
        publish(new PatternEvent(clock.instant(), executionId, pattern, PATTERN_WAIT, found.map(back -> "workflow pattern '"
                + back.id() + "' is back after " + Durations.text(Duration.between(waiting, clock.instant())))
                .or(() -> arrivals.whyNotComingBack(worker.pattern()).map(why -> "workflow pattern '"
                        + worker.pattern() + "' is not coming back: " + why))
                .or(() -> PatternRef.registeredUnusable(plugins, worker.pattern()) ? Optional.of("workflow pattern '"
                        + worker.pattern() + "' is registered again but cannot be used") : Optional.empty())
                .orElse("workflow pattern '" + worker.pattern() + "' did not come back within "
                        + Durations.text(patternGrace))));
        return found;
    }

    private static WorkerResult failed(Worker worker, ExecutionStatus status, String error) {
        return new WorkerResult(worker.name(), status, null, error, Usage.NONE, BigDecimal.ZERO, null);
    }
}
