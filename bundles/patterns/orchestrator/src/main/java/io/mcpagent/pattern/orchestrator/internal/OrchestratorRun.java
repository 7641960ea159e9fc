package io.mcpagent.pattern.orchestrator.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * One execution of the orchestrator: plan, run the steps one after another (the tasks of a step in parallel, each
 * on its own virtual thread), then synthesize. Its fields belong to the thread that runs the execution; task threads
 * only return their outcomes.
 */
final class OrchestratorRun {
    /** How often a thread waiting for a step's tasks looks at the cancellation flag, which offers no callback. */
    private static final long CANCELLATION_POLL_MILLIS = 50;
    /** How much of a malformed answer an error message quotes. */
    private static final int QUOTED_ANSWER_CHARS = 500;

    private final WorkflowRequest request;
    private final WorkflowContext context;
    private final Settings settings;
    private final ModelRequirements model;
    private final Instant started;
    private final List<StepOutcome> steps = new ArrayList<>();
    private Usage usage = Usage.NONE;
    private boolean stepLimitReached;

    OrchestratorRun(WorkflowRequest request, WorkflowContext context, Settings settings, Instant started) {
        this.request = request;
        this.context = context;
        this.settings = settings;
        this.started = started;
        this.model = modelFor(request);
    }

    ExecutionResult run() {
        try {
            checkCancelled("before planning");
            if (request.workers().isEmpty()) {
                throw Halted.failed("the orchestrator has no workers to hand tasks to: give the request at least one worker");
            }
            if (settings.mode() == Mode.FULL) {
                runFullPlan();
            } else {
                runIteratively();
            }
            failIfEveryTaskFailed();
            String output = settings.synthesize() ? synthesize() : lastStepResults();
            return result(ExecutionStatus.SUCCEEDED, output, null);
        } catch (Halted halted) {
            return result(halted.status(), null, halted.getMessage());
        }
    }

    private void runFullPlan() throws Halted {
        String answer = plan(Prompts.fullPlanner(request.workers(), settings.maxSteps(), model),
                Prompts.planningInput(request.task().text(), request.workers()));
        List<PlannedStep> plan;
        try {
            plan = PlanJson.plan(answer);
        } catch (MalformedPlanException e) {
            throw malformed(e, answer);
        }
        if (plan.size() > settings.maxSteps()) {
            throw Halted.failed("the planner's plan has " + plan.size() + " steps, more than maxSteps="
                    + settings.maxSteps() + " allows");
        }
        ObjectNode event = json().put("mode", Mode.FULL.label());
        ArrayNode planned = event.putArray("steps");
        plan.forEach(step -> planned.add(PlanJson.toJson(step)));
        publish("plan", event);
        for (int i = 0; i < plan.size(); i++) {
            runStep(i + 1, plan.get(i));
        }
    }

    private void runIteratively() throws Halted {
        AgentSpec planner = Prompts.iterativePlanner(request.workers(), settings.maxSteps(), model);
        for (int number = 1; number <= settings.maxSteps(); number++) {
            // A fresh planner each round: its input carries the (bounded) results so far, so no history piles up.
            String answer = plan(planner, Prompts.nextStepInput(request.task().text(), request.workers(), results(),
                    settings.maxSteps() - number + 1));
            Optional<PlannedStep> next;
            try {
                next = PlanJson.next(answer);
            } catch (MalformedPlanException e) {
                throw malformed(e, answer);
            }
            ObjectNode event = json().put("mode", Mode.ITERATIVE.label()).put("round", number).put("done", next.isEmpty());
            next.ifPresent(step -> event.set("step", PlanJson.toJson(step)));
            publish("plan", event);
            if (next.isEmpty()) {
                if (steps.isEmpty()) {
                    throw Halted.failed("the planner said it was done before planning any step");
                }
                return;
            }
            runStep(number, next.get());
        }
        stepLimitReached = true;
        publish("plan", json().put("mode", Mode.ITERATIVE.label()).put("done", true)
                .put("reason", "the step limit maxSteps=" + settings.maxSteps() + " was reached"));
    }

    /** Runs the planner and returns its answer as JSON text. */
    private String plan(AgentSpec planner, String input) throws Halted {
        checkCancelled("before planning");
        AgentResult answer = context.agent(planner).run(input);
        usage = usage.plus(answer.usage());
        if (answer.outcome() == AgentOutcome.CANCELLED || context.isCancelled()) {
            throw Halted.cancelled("the execution was cancelled while the planner worked");
        }
        if (!answer.answered()) {
            throw Halted.failed("the planner agent '" + Prompts.PLANNER + "' did not plan: " + answer.outcome()
                    + (answer.error() == null ? "" : ": " + answer.error()));
        }
        return answer.structuredJson() != null ? answer.structuredJson() : answer.text();
    }

    private void runStep(int number, PlannedStep step) throws Halted {
        checkCancelled("before step " + number);
        publish("step", stepStarted(number, step));
        TaskOutcome[] outcomes = new TaskOutcome[step.tasks().size()];
        try {
            runTasks(number, step, results(), outcomes);
        } catch (Halted halted) {
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    PlannedTask task = step.tasks().get(i);
                    outcomes[i] = new TaskOutcome(i + 1, task, new WorkerResult(task.worker(),
                            ExecutionStatus.CANCELLED, null, "did not finish: " + halted.getMessage(), null, null, null));
                }
            }
            publish("step", stepFinished(number, outcomes).put("stoppedBy", halted.getMessage()));
            throw halted;
        }
        steps.add(new StepOutcome(number, step, List.of(outcomes)));
        publish("step", stepFinished(number, outcomes));
    }

    /** Fills {@code outcomes} with the step's tasks, run in parallel; halts on cancellation or (failFast) a failure. */
    private void runTasks(int number, PlannedStep step, String earlierResults, TaskOutcome[] outcomes) throws Halted {
        Worker[] workers = new Worker[outcomes.length];
        // Every worker is looked up first, so that with failFast a task nobody can take ends the step before any runs.
        for (int i = 0; i < outcomes.length; i++) {
            PlannedTask task = step.tasks().get(i);
            Optional<Worker> worker = request.worker(task.worker());
            if (worker.isPresent()) {
                workers[i] = worker.get();
            } else {
                outcomes[i] = unassigned(i + 1, task);
                if (settings.failFast()) {
                    throw failedTask(number, outcomes[i]);
                }
            }
        }
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("orchestrator-" + context.executionId() + "-step-" + number + "-", 1).factory());
        CompletionService<TaskOutcome> finished = new ExecutorCompletionService<>(threads);
        Map<Future<TaskOutcome>, Integer> running = new HashMap<>();
        try {
            for (int i = 0; i < outcomes.length; i++) {
                if (workers[i] != null) {
                    int taskNumber = i + 1;
                    PlannedTask task = step.tasks().get(i);
                    Worker worker = workers[i];
                    String input = Prompts.taskInput(task.instruction(), earlierResults);
                    running.put(finished.submit(() -> new TaskOutcome(taskNumber, task, context.run(worker, input))), i);
                }
            }
            while (!running.isEmpty()) {
                checkCancelled("during step " + number);
                Future<TaskOutcome> done = finished.poll(CANCELLATION_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (done != null) {
                    int index = running.remove(done);
                    TaskOutcome outcome = outcome(done, index + 1, step.tasks().get(index), workers[index]);
                    outcomes[index] = outcome;
                    usage = usage.plus(outcome.result().usage());
                    if (settings.failFast() && !outcome.succeeded() && !context.isCancelled()) {
                        throw failedTask(number, outcome);
                    }
                }
            }
            checkCancelled("during step " + number);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Halted.cancelled("the execution was interrupted during step " + number);
        } finally {
            // Interrupts the tasks still running after a cancellation or failFast; finished ones are unaffected.
            threads.shutdownNow();
        }
    }

    private static TaskOutcome outcome(Future<TaskOutcome> done, int number, PlannedTask task, Worker worker)
            throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            // WorkflowContext.run reports a worker's failure in its result; this is the context itself failing.
            return new TaskOutcome(number, task, new WorkerResult(worker.name(), ExecutionStatus.FAILED, null,
                    "running worker \"" + worker.name() + "\" failed: " + e.getCause(), null, null, null));
        }
    }

    /** A task whose worker does not exist, or for which the planner found none: reported, not run. */
    private TaskOutcome unassigned(int number, PlannedTask task) {
        String error = task.worker().isEmpty()
                ? "no worker fits this task (the planner named none)"
                : "no worker is named \"" + task.worker() + "\"; the workers are: "
                        + request.workers().stream().map(Worker::name).collect(Collectors.joining(", "));
        return new TaskOutcome(number, task, new WorkerResult(task.worker(), ExecutionStatus.FAILED, null, error,
                null, null, null));
    }

    private static Halted failedTask(int step, TaskOutcome outcome) {
        return Halted.failed("step " + step + " task " + outcome.number() + " (worker \"" + outcome.task().worker()
                + "\") failed, and failFast is set: " + outcome.result().error());
    }

    private String synthesize() throws Halted {
        checkCancelled("before the synthesis");
        AgentResult answer = context.agent(Prompts.synthesizer(model)).run(Prompts.synthesisInput(
                request.task().text(), results(), stepLimitReached, settings.maxSteps()));
        usage = usage.plus(answer.usage());
        ObjectNode event = json().put("status", answer.outcome().name()).put("steps", steps.size());
        if (answer.error() != null) {
            event.put("error", answer.error());
        }
        publish("synthesis", event);
        if (answer.outcome() == AgentOutcome.CANCELLED || context.isCancelled()) {
            throw Halted.cancelled("the execution was cancelled during the synthesis");
        }
        if (!answer.answered()) {
            throw Halted.failed("the synthesis agent '" + Prompts.SYNTHESIZER + "' did not answer: " + answer.outcome()
                    + (answer.error() == null ? "" : ": " + answer.error()));
        }
        if (answer.text().isBlank()) {
            throw Halted.failed("the synthesis agent '" + Prompts.SYNTHESIZER + "' answered with empty text");
        }
        return answer.text();
    }

    /** A run in which no delegated task succeeded produced nothing to answer from: it fails, naming each failure. */
    private void failIfEveryTaskFailed() throws Halted {
        List<String> failures = new ArrayList<>();
        for (StepOutcome step : steps) {
            for (TaskOutcome task : step.tasks()) {
                if (task.succeeded()) {
                    return;
                }
                failures.add("step " + step.number() + " task " + task.number() + " (worker \"" + task.task().worker()
                        + "\"): " + task.result().error());
            }
        }
        throw Halted.failed("every task failed, so there is no result to answer from: " + String.join("; ", failures));
    }

    /** With synthesize=false: the one task's output, or all the last step's results as text. */
    private String lastStepResults() throws Halted {
        StepOutcome last = steps.get(steps.size() - 1);
        if (last.tasks().stream().noneMatch(TaskOutcome::succeeded)) {
            throw Halted.failed("no task of step " + last.number() + ", the last, succeeded, so there is no result to "
                    + "return (synthesize=false): " + last.tasks().stream()
                            .map(task -> "task " + task.number() + ": " + task.result().error())
                            .collect(Collectors.joining("; ")));
        }
        return last.tasks().size() == 1 ? last.tasks().get(0).result().output() : ResultsText.step(last, Integer.MAX_VALUE);
    }

    private String results() {
        return ResultsText.render(steps, settings.maxResultChars(), settings.maxContextChars());
    }

    private void checkCancelled(String when) throws Halted {
        // The interrupt flag stays set for the caller; the engine interrupts the thread when it cancels.
        if (context.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw Halted.cancelled("the execution was cancelled " + when);
        }
    }

    private static Halted malformed(MalformedPlanException e, String answer) {
        String quoted = answer.length() <= QUOTED_ANSWER_CHARS ? answer : answer.substring(0, QUOTED_ANSWER_CHARS) + "...";
        return Halted.failed("the planner's plan is malformed: " + e.getMessage() + "; its answer was: " + quoted);
    }

    private static ObjectNode stepStarted(int number, PlannedStep step) {
        ObjectNode event = json().put("step", number).put("phase", "started");
        event.setAll(PlanJson.toJson(step));
        return event;
    }

    private static ObjectNode stepFinished(int number, TaskOutcome[] outcomes) {
        ObjectNode event = json().put("step", number).put("phase", "finished");
        int succeeded = 0;
        ArrayNode tasks = JsonNodeFactory.instance.arrayNode();
        for (TaskOutcome outcome : outcomes) {
            succeeded += outcome.succeeded() ? 1 : 0;
            ObjectNode task = tasks.addObject().put("task", outcome.number()).put("worker", outcome.task().worker())
                    .put("status", outcome.result().status().name())
                    .put("durationMs", outcome.result().duration().toMillis());
            if (!outcome.succeeded()) {
                task.put("error", outcome.result().error());
            }
        }
        event.put("succeeded", succeeded).put("failed", outcomes.length - succeeded);
        event.set("tasks", tasks);
        return event;
    }

    private void publish(String step, ObjectNode detail) {
        context.publish(new PatternEvent(Instant.now(), context.executionId(), OrchestratorPattern.NAME, step,
                detail.toString()));
    }

    private ExecutionResult result(ExecutionStatus status, String output, String error) {
        return new ExecutionResult(context.executionId(), OrchestratorPattern.NAME, status, output, error, usage,
                started, Instant.now());
    }

    private static ObjectNode json() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The planner's and synthesizer's model: pinned by the options "provider" and "model", else any. */
    private static ModelRequirements modelFor(WorkflowRequest request) {
        String provider = request.option(OrchestratorPattern.PROVIDER, null);
        String model = request.option(OrchestratorPattern.MODEL, null);
        return provider == null && model == null ? ModelRequirements.ANY
                : new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, provider, model, List.of());
    }
}
