package io.mcpagent.pattern.router.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentOutcome;
import io.mcpagent.api.agent.AgentResult;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * One execution of the router pattern: gather the candidates, ask the routing agent (unless there is only one),
 * publish the route, run the chosen ones, combine their answers. Used by one thread; the workers it runs
 * concurrently only hand back their results.
 */
final class Routing {
    static final String ROUTE_STEP = "route";

    private final WorkflowRequest request;
    private final WorkflowContext context;
    private final RoutingAgent routingAgent;
    private final ObjectMapper json;
    private final Instant started = Instant.now();
    private Usage usage = Usage.NONE;

    Routing(WorkflowRequest request, WorkflowContext context, RoutingAgent routingAgent, ObjectMapper json) {
        this.request = request;
        this.context = context;
        this.routingAgent = routingAgent;
        this.json = json;
    }

    ExecutionResult run(RouteOptions defaults) {
        if (stopped()) {
            return cancelled("before routing started");
        }
        RouteOptions options;
        try {
            options = defaults.overriddenBy(request);
        } catch (IllegalArgumentException invalid) {
            return failed("options: " + invalid.getMessage());
        }
        if (options.aggregator() != null && request.worker(options.aggregator()).isEmpty()) {
            return failed("options: option " + RouteOptions.AGGREGATOR + " names '" + options.aggregator()
                    + "', which is not a worker of the request (workers: " + workerNames() + ")");
        }
        Candidate.Gathered gathered = Candidate.gather(request, options, context.plugins());
        if (gathered.candidates().isEmpty()) {
            return failed(ROUTE_STEP + ": there is no candidate to route to: the request has no workers"
                    + (options.aggregator() == null ? "" : " besides the aggregator")
                    + (options.servers() ? " and no usable MCP server is installed"
                            : " and option " + RouteOptions.SERVERS + " is false"));
        }
        return route(options, gathered);
    }

    private ExecutionResult route(RouteOptions options, Candidate.Gathered gathered) {
        Route route;
        boolean modelCall = gathered.candidates().size() > 1;
        if (modelCall) {
            AgentResult answer = context.agent(routingAgent.spec(gathered.names(), options.modelRequirements()))
                    .run(routingAgent.input(request.task().text(), gathered.candidates(), options.topK()));
            usage = usage.plus(answer.usage());
            if (answer.outcome() == AgentOutcome.CANCELLED || stopped()) {
                return cancelled("while the routing agent ran");
            }
            if (!answer.answered()) {
                return failed(ROUTE_STEP + ": routing agent '" + RoutingAgent.NAME + "' " + answer.outcome() + ": "
                        + answer.error());
            }
            try {
                List<Choice> choices = routingAgent.parse(answer.structuredJson() != null ? answer.structuredJson()
                        : answer.text());
                route = Route.decide(choices, new HashSet<>(gathered.names()), options.topK(), options.minConfidence());
            } catch (RoutingAgent.MalformedAnswer malformed) {
                return failed(ROUTE_STEP + ": " + malformed.getMessage());
            }
        } else {
            route = Route.only(gathered.candidates().getFirst().name());
        }
        context.publish(new PatternEvent(Instant.now(), context.executionId(), RouterPattern.NAME, ROUTE_STEP,
                detail(route, gathered, options, modelCall)));
        List<Choice> selected = route.selected();
        if (selected.isEmpty()) {
            return failed(ROUTE_STEP + ": " + route.whyNothingSelected(gathered.names(), options.minConfidence()));
        }
        if (stopped()) {
            return cancelled("after routing, before the chosen " + (selected.size() == 1 ? "worker" : "workers") + " ran");
        }
        Map<String, Candidate> byName = gathered.candidates().stream()
                .collect(Collectors.toMap(Candidate::name, Function.identity()));
        return runChosen(selected.stream().map(choice -> byName.get(choice.candidate())).toList(), selected, options);
    }

    private ExecutionResult runChosen(List<Candidate> chosen, List<Choice> choices, RouteOptions options) {
        List<WorkerResult> results;
        try {
            results = runAll(chosen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cancelled("while the chosen workers ran");
        }
        results.forEach(result -> usage = usage.plus(result.usage()));
        if (stopped() || results.stream().anyMatch(r -> r.status() == ExecutionStatus.CANCELLED)) {
            return cancelled("while the chosen " + (chosen.size() == 1 ? "worker" : "workers") + " ran");
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).succeeded()) {
                failures.add("worker '" + chosen.get(i).name() + "' " + results.get(i).status() + ": "
                        + results.get(i).error());
            }
        }
        if (!failures.isEmpty()) {
            return failed("run: " + String.join("; ", failures));
        }
        if (results.size() == 1) {
            return succeeded(results.getFirst().output());
        }
        String answers = labelled(choices, results);
        return options.aggregator() == null ? succeeded(answers) : aggregate(options.aggregator(), answers);
    }

    /** One chosen worker runs here; several run at once, each on a virtual thread of its own. */
    private List<WorkerResult> runAll(List<Candidate> chosen) throws InterruptedException {
        String task = request.task().text();
        if (chosen.size() == 1) {
            return List.of(context.run(chosen.getFirst().worker(), task));
        }
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("router-" + context.executionId() + "-", 0).factory())) {
            List<Future<WorkerResult>> running = chosen.stream()
                    .map(candidate -> threads.submit(() -> context.run(candidate.worker(), task))).toList();
            List<WorkerResult> results = new ArrayList<>();
            try {
                for (int i = 0; i < running.size(); i++) {
                    results.add(resultOf(running.get(i), chosen.get(i).worker()));
                }
            } catch (InterruptedException e) {
                threads.shutdownNow(); // interrupt the workers, so that closing the executor does not wait for their work
                throw e;
            }
            return results;
        }
    }

    /** {@link WorkflowContext#run} reports failures in its result; a context that throws all the same fails the worker. */
    private static WorkerResult resultOf(Future<WorkerResult> running, Worker worker) throws InterruptedException {
        try {
            return running.get();
        } catch (ExecutionException e) {
            return new WorkerResult(worker.name(), ExecutionStatus.FAILED, null, "running it threw " + e.getCause(),
                    null, null, null);
        }
    }

    private ExecutionResult aggregate(String aggregatorName, String answers) {
        if (stopped()) {
            return cancelled("before aggregator '" + aggregatorName + "' ran");
        }
        Worker aggregator = request.worker(aggregatorName).orElseThrow(); // checked before routing
        WorkerResult combined = context.run(aggregator, "Task:\n" + request.task().text().strip()
                + "\n\nAnswers of the workers the router chose, best match first:\n\n" + answers
                + "\n\nCombine them into one answer to the task.");
        usage = usage.plus(combined.usage());
        if (combined.status() == ExecutionStatus.CANCELLED || stopped()) {
            return cancelled("while aggregator '" + aggregatorName + "' ran");
        }
        if (!combined.succeeded()) {
            return failed("aggregate: aggregator '" + aggregatorName + "' " + combined.status() + ": " + combined.error());
        }
        return succeeded(combined.output());
    }

    /** The answers as a numbered list, best match first, each under its worker's name and confidence. */
    private static String labelled(List<Choice> choices, List<WorkerResult> results) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                text.append("\n\n");
            }
            text.append(i + 1).append(". ").append(choices.get(i).candidate())
                    .append(String.format(Locale.ROOT, " (confidence %.2f)", choices.get(i).confidence()))
                    .append('\n').append(results.get(i).output().strip());
        }
        return text.toString();
    }

    private String detail(Route route, Candidate.Gathered gathered, RouteOptions options, boolean modelCall) {
        ObjectNode detail = json.createObjectNode();
        detail.put("modelCall", modelCall);
        ArrayNode candidates = detail.putArray("candidates");
        gathered.names().forEach(candidates::add);
        detail.put("topK", options.topK());
        detail.put("minConfidence", options.minConfidence());
        ArrayNode choices = detail.putArray("choices");
        for (Route.Decision decision : route.decisions()) {
            choices.addObject()
                    .put("candidate", decision.choice().candidate())
                    .put("confidence", decision.choice().confidence())
                    .put("reasoning", decision.choice().reasoning())
                    .put("verdict", decision.verdict().id());
        }
        ArrayNode selected = detail.putArray("selected");
        route.selected().forEach(choice -> selected.add(choice.candidate()));
        ArrayNode notes = detail.putArray("notes");
        gathered.notes().forEach(notes::add);
        route.notes().forEach(notes::add);
        return detail.toString();
    }

    private String workerNames() {
        return request.workers().isEmpty() ? "none"
                : request.workers().stream().map(Worker::name).collect(Collectors.joining(", "));
    }

    private boolean stopped() {
        return context.isCancelled() || Thread.currentThread().isInterrupted();
    }

    private ExecutionResult succeeded(String output) {
        return result(ExecutionStatus.SUCCEEDED, output, null);
    }

    private ExecutionResult failed(String error) {
        return result(ExecutionStatus.FAILED, null, error);
    }

    private ExecutionResult cancelled(String when) {
        return result(ExecutionStatus.CANCELLED, null, "the execution was cancelled " + when);
    }

    private ExecutionResult result(ExecutionStatus status, String output, String error) {
        return new ExecutionResult(context.executionId(), RouterPattern.NAME, status, output, error, usage, started,
                Instant.now());
    }
}
