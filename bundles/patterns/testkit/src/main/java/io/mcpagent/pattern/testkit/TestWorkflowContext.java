package io.mcpagent.pattern.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentFunction;
import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.mcp.ToolCallResult;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginKind;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerEvent;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowException;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * A {@link WorkflowContext} for testing patterns without a platform or a model. Agents answer from per-agent
 * scripts ({@link #script}) or from a function of their input ({@link #respond}); they can call their functions
 * (handoffs, say) with {@link Reply.CallFunction}. Nested patterns are looked up among those added with
 * {@link #pattern}. Everything the pattern did is recorded: agent runs, function calls, events. Thread-safe.
 */
public class TestWorkflowContext implements WorkflowContext {

    /** One run of a scripted agent: its name, input, spec and result. */
    public record AgentRun(String agent, String input, AgentSpec spec, AgentResult result) {
    }

    /** A function an agent called: which, with what arguments, and the result. */
    public record FunctionCall(String agent, String function, String argumentsJson, ToolCallResult result) {
    }

    private final String executionId;
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Function<String, Reply>> responders = new ConcurrentHashMap<>();
    private volatile Function<String, Reply> otherwise;
    private final Map<String, WorkflowPattern> patterns = new ConcurrentHashMap<>();
    private final List<AgentRun> runs = new CopyOnWriteArrayList<>();
    private final List<FunctionCall> functionCalls = new CopyOnWriteArrayList<>();
    private final List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
    private final List<ExecutionStatus> statuses = new CopyOnWriteArrayList<>();
    private volatile String activity;
    private volatile boolean cancelled;

    public TestWorkflowContext() {
        this("test-execution");
    }

    public TestWorkflowContext(String executionId) {
        this.executionId = executionId;
    }

    /** The agent named {@code agent} replies with these, one per step, in order, across all its runs. */
    public TestWorkflowContext script(String agent, Reply... replies) {
        Deque<Reply> queue = scripts.computeIfAbsent(agent, name -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addAll(List.of(replies));
        }
        return this;
    }

    /** Shorthand: the agent answers these texts, one per run. */
    public TestWorkflowContext script(String agent, String... answers) {
        return script(agent, Arrays.stream(answers).map(Reply::answer).toArray(Reply[]::new));
    }

    /** Once its script is used up (or without one), the agent answers every run with a reply made from the input. */
    public TestWorkflowContext respond(String agent, Function<String, Reply> replyForInput) {
        responders.put(agent, replyForInput);
        return this;
    }

    /** Every agent without a script or responder of its own answers with a reply made from its input. */
    public TestWorkflowContext otherwise(Function<String, Reply> replyForInput) {
        otherwise = replyForInput;
        return this;
    }

    /** A pattern that nested {@link Worker.PatternWorker}s find by this id or by its name. */
    public TestWorkflowContext pattern(String id, WorkflowPattern pattern) {
        patterns.put(id, pattern);
        return this;
    }

    public void cancel() {
        cancelled = true;
    }

    public List<AgentRun> runs() {
        return List.copyOf(runs);
    }

    public List<AgentRun> runs(String agent) {
        return runs.stream().filter(run -> run.agent().equals(agent)).toList();
    }

    public List<FunctionCall> functionCalls() {
        return List.copyOf(functionCalls);
    }

    public List<ExecutionEvent> events() {
        return List.copyOf(events);
    }

    /** Each status the pattern said through {@link #status(ExecutionStatus)}, in order. */
    public List<ExecutionStatus> statuses() {
        return List.copyOf(statuses);
    }

    @Override
    public String executionId() {
        return executionId;
    }

    @Override
    public PluginManager plugins() {
        return new Patterns();
    }

    @Override
    public void publish(ExecutionEvent event) {
        events.add(event);
    }

    /** Recorded; a terminal status is refused, as the platform refuses it. */
    /** What the pattern last said it is doing ({@link #activity(String)}); null for nothing. */
    public String activity() {
        return activity;
    }

    @Override
    public void activity(String whatItIsDoing) {
        activity = whatItIsDoing;
    }

    @Override
    public void status(ExecutionStatus status) {
        if (status.isTerminal()) {
            throw new IllegalArgumentException("an execution that has not ended is QUEUED or RUNNING, not " + status);
        }
        statuses.add(status);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Agent agent(AgentSpec spec) {
        return new ScriptedAgent(spec);
    }

    @Override
    public WorkerResult run(Worker worker, String input) {
        String kind = worker instanceof Worker.AgentWorker ? "agent" : worker instanceof Worker.PatternWorker ? "pattern" : "function";
        publish(new WorkerEvent(Instant.now(), WorkerEvent.STARTED, executionId, worker.name(), kind,
                ExecutionStatus.RUNNING, null, null));
        WorkerResult result = cancelled
                ? new WorkerResult(worker.name(), ExecutionStatus.CANCELLED, null, "cancelled", null, null, null)
                : switch (worker) {
                    case Worker.AgentWorker agentWorker -> fromAgent(agent(agentWorker.spec()).run(input));
                    case Worker.PatternWorker patternWorker -> runPattern(patternWorker, input);
                    case Worker.FunctionWorker function -> runFunction(function, input);
                };
        publish(new WorkerEvent(Instant.now(), WorkerEvent.FINISHED, executionId, worker.name(), kind,
                result.status(), result.duration(), result.error()));
        return result;
    }

    private static WorkerResult fromAgent(AgentResult result) {
        ExecutionStatus status = switch (result.outcome()) {
            case ANSWERED -> ExecutionStatus.SUCCEEDED;
            case CANCELLED -> ExecutionStatus.CANCELLED;
            default -> ExecutionStatus.FAILED;
        };
        String output = result.structuredJson() != null ? result.structuredJson() : result.text();
        return new WorkerResult(result.agent(), status, output, result.error(), result.usage(), result.cost(),
                result.duration());
    }

    private WorkerResult runPattern(Worker.PatternWorker worker, String input) {
        Optional<WorkflowPattern> pattern = find(worker.pattern());
        if (pattern.isEmpty()) {
            return new WorkerResult(worker.name(), ExecutionStatus.FAILED, null,
                    "no workflow pattern '" + worker.pattern() + "' is installed", null, null, null);
        }
        try {
            ExecutionResult result = pattern.get().execute(new WorkflowRequest(Task.of(input), null, worker.workers(),
                    worker.options()), this);
            return new WorkerResult(worker.name(), result.status(), result.output(), result.error(), result.usage(),
                    null, null, result.warnings());
        } catch (WorkflowException e) {
            return new WorkerResult(worker.name(), ExecutionStatus.FAILED, null, e.getMessage(), null, null, null);
        }
    }

    private static WorkerResult runFunction(Worker.FunctionWorker worker, String input) {
        try {
            return new WorkerResult(worker.name(), ExecutionStatus.SUCCEEDED, worker.function().apply(input), null,
                    null, null, null);
        } catch (RuntimeException e) {
            return new WorkerResult(worker.name(), ExecutionStatus.FAILED, null,
                    "function '" + worker.name() + "' failed: " + e.getMessage(), null, null, null);
        }
    }

    private Optional<WorkflowPattern> find(String idOrName) {
        WorkflowPattern byId = patterns.get(idOrName);
        if (byId != null) {
            return Optional.of(byId);
        }
        return patterns.values().stream().filter(p -> idOrName.equals(p.name())).findFirst();
    }

    private Reply next(String agent, String input) {
        Deque<Reply> queue = scripts.get(agent);
        if (queue != null) {
            synchronized (queue) {
                if (!queue.isEmpty()) {
                    return queue.removeFirst();
                }
            }
        }
        Function<String, Reply> responder = responders.getOrDefault(agent, otherwise);
        return responder == null ? null : responder.apply(input);
    }

    /** An agent that plays its script. */
    private final class ScriptedAgent implements Agent {
        /** Guards against a script that calls functions for ever. */
        private static final int MAX_STEPS = 100;
        private final AgentSpec spec;
        private final List<Message> history = new CopyOnWriteArrayList<>();

        ScriptedAgent(AgentSpec spec) {
            this.spec = spec;
        }

        @Override
        public AgentSpec spec() {
            return spec;
        }

        @Override
        public List<Message> history() {
            return List.copyOf(history);
        }

        @Override
        public AgentResult run(String input) {
            history.add(Message.user(input));
            AgentResult result = play(input);
            runs.add(new AgentRun(spec.name(), input, spec, result));
            return result;
        }

        private AgentResult play(String input) {
            for (int step = 0; step < MAX_STEPS; step++) {
                if (cancelled) {
                    return result(AgentOutcome.CANCELLED, "", null, "cancelled");
                }
                Reply reply = next(spec.name(), input);
                switch (reply) {
                    case null -> {
                        return result(AgentOutcome.FAILED, "", null, "no scripted reply left for agent '" + spec.name() + "'");
                    }
                    case Reply.Answer answer -> {
                        history.add(Message.assistant(answer.text()));
                        boolean json = spec.responseFormat() instanceof ResponseFormat.JsonSchema
                                || spec.responseFormat() instanceof ResponseFormat.JsonObject;
                        return result(AgentOutcome.ANSWERED, answer.text(), json ? answer.text() : null, null);
                    }
                    case Reply.Stop stop -> {
                        return result(stop.outcome(), "", null, stop.error());
                    }
                    case Reply.CallFunction call -> {
                        AgentFunction.Tool tool = spec.functions().stream()
                                .filter(t -> t.spec().name().equals(call.function())).findFirst().orElse(null);
                        if (tool == null) {
                            return result(AgentOutcome.FAILED, "", null, "agent '" + spec.name()
                                    + "' was scripted to call '" + call.function() + "', which it does not have");
                        }
                        functionCalls.add(new FunctionCall(spec.name(), call.function(), call.argumentsJson(),
                                tool.function().call(call.argumentsJson())));
                    }
                }
            }
            return result(AgentOutcome.MAX_ITERATIONS, "", null, "more than " + MAX_STEPS + " scripted steps");
        }

        private AgentResult result(AgentOutcome outcome, String text, String json, String error) {
            return new AgentResult(spec.name(), outcome, text, json, 1, null, null, Duration.ZERO, List.of(), error);
        }
    }

    /** The plugin manager patterns see: the patterns added to this context. */
    private final class Patterns implements PluginManager {
        private PluginInfo info(String id) {
            return new PluginInfo(id, PluginKind.PATTERN, "", patterns.get(id).name(), "", "", "", 0, 0, Map.of());
        }

        @Override
        public List<PluginInfo> list() {
            return patterns.keySet().stream().sorted().map(this::info).toList();
        }

        @Override
        public List<PluginInfo> list(PluginKind kind) {
            return kind == PluginKind.PATTERN ? list() : List.of();
        }

        @Override
        public Optional<PluginInfo> get(String id) {
            return patterns.containsKey(id) ? Optional.of(info(id)) : Optional.empty();
        }

        @Override
        public Optional<PluginHealth> health(String id) {
            return patterns.containsKey(id) ? Optional.of(patterns.get(id).health()) : Optional.empty();
        }

        @Override
        public <S> Optional<S> service(String id, Class<S> type) {
            return Optional.ofNullable(patterns.get(id)).filter(type::isInstance).map(type::cast);
        }

        @Override
        public Map<PluginKind, Integer> countsByKind() {
            return Map.of(PluginKind.PATTERN, patterns.size());
        }

        @Override
        public List<Problem> problems() {
            return List.of();
        }
    }
}
