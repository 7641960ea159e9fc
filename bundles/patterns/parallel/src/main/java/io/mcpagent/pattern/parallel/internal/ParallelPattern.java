package io.mcpagent.pattern.parallel.internal;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PatternPlugin;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.PatternEvent;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * Fans the task out to every worker but the aggregator at once, then fans the answers in: the worker named by option
 * {@code aggregator}, or an aggregating agent the pattern creates, combines them into the execution's output. By
 * default it goes on with the answers it has as long as one worker succeeded; {@code requireAll} makes any failure
 * fail the execution. Holds no state per execution.
 */
@Component(service = {WorkflowPattern.class, ProblemReporter.class}, configurationPid = ParallelPattern.PID,
        property = WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true")
@Designate(ocd = ParallelConfig.class)
@PatternPlugin(id = ParallelPattern.NAME, name = "Parallel",
        description = "Runs several agents, patterns or functions on the task at once, then aggregates their answers")
public final class ParallelPattern implements WorkflowPattern, ProblemReporter {
    static final String NAME = "parallel";
    static final String PID = "io.mcpagent.pattern.parallel";
    static final String STEP_FAN_OUT = "fan-out";
    static final String STEP_FAN_IN = "fan-in";
    private static final Logger LOG = LoggerFactory.getLogger(ParallelPattern.class);

    private final GuardedConfiguration<ParallelConfig, ParallelOptions.Defaults> configuration =
            new GuardedConfiguration<>(PID, ParallelConfig.class, ParallelOptions.Defaults::from, LOG::error,
                    LOG::info);

    @Activate
    public ParallelPattern(ParallelConfig config) {
        configuration.update(config);
    }

    /** A refused configuration leaves the defaults in force as they are. */
    @Modified
    void modified(ParallelConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double suitability(TaskAnalysis analysis) {
        return ParallelSuitability.of(analysis);
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        Instant started = Instant.now();
        if (cancelled(context)) {
            return result(context, ExecutionStatus.CANCELLED, null, "the execution was cancelled before the fan-out",
                    Usage.NONE, started);
        }
        ParallelOptions options;
        try {
            options = ParallelOptions.resolve(request, configuration.settings());
        } catch (IllegalArgumentException e) {
            return result(context, ExecutionStatus.FAILED, null, e.getMessage(), Usage.NONE, started);
        }
        publish(context, STEP_FAN_OUT, fanOutDetail(options, request.task().text()));
        FanOut.Outcome fanOut = FanOut.run(context, options.assignments(), options.maxConcurrency());
        List<FanOut.Answer> answers = fanOut.finished();
        Usage usage = answers.stream().map(answer -> answer.result().usage()).reduce(Usage.NONE, Usage::plus);
        if (!fanOut.complete() || cancelled(context)) {
            return result(context, ExecutionStatus.CANCELLED, null, "the execution was cancelled during the fan-out"
                    + (fanOut.unfinished().isEmpty() ? "" : "; workers not finished: "
                    + String.join(", ", fanOut.unfinished())), usage, started);
        }
        List<FanOut.Answer> failed = answers.stream().filter(answer -> !answer.result().succeeded()).toList();
        if (failed.size() == answers.size()) {
            return result(context, ExecutionStatus.FAILED, null, "every fan-out worker failed: " + describe(failed),
                    usage, started);
        }
        if (options.requireAll() && !failed.isEmpty()) {
            return result(context, ExecutionStatus.FAILED, null, "requireAll is set and " + failed.size() + " of "
                    + answers.size() + " fan-out workers failed: " + describe(failed), usage, started);
        }
        String aggregator = options.aggregator().name();
        publish(context, STEP_FAN_IN, fanInDetail(answers, aggregator));
        WorkerResult combined = context.run(options.aggregator(), FanIn.input(request.task().text(), answers));
        usage = usage.plus(combined.usage());
        if (combined.succeeded()) {
            // the aggregate covers only the workers that succeeded: the result must say which did not
            List<String> warnings = failed.isEmpty() ? List.of() : List.of(failed.size() + " of " + answers.size()
                    + " fan-out workers failed and are missing from the aggregate: " + describe(failed));
            return new ExecutionResult(context.executionId(), NAME, ExecutionStatus.SUCCEEDED, combined.output(), null,
                    usage, started, Instant.now(), warnings);
        }
        boolean stopped = combined.status() == ExecutionStatus.CANCELLED || cancelled(context);
        return result(context, stopped ? ExecutionStatus.CANCELLED : ExecutionStatus.FAILED, null,
                "aggregator '" + aggregator + "' " + (stopped ? "was cancelled" : "failed") + ": "
                        + FanOut.error(combined), usage, started);
    }

    private static String describe(List<FanOut.Answer> failed) {
        return failed.stream().map(answer -> "'" + answer.worker() + "': " + FanOut.error(answer.result()))
                .collect(Collectors.joining("; "));
    }

    private static String fanOutDetail(ParallelOptions options, String task) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        ArrayNode workers = detail.putArray("workers");
        ArrayNode ownInputs = detail.putArray("ownInputs");
        for (FanOut.Assignment assignment : options.assignments()) {
            workers.add(assignment.worker().name());
            if (!assignment.input().equals(task)) {
                ownInputs.add(assignment.worker().name());
            }
        }
        detail.put("maxConcurrency", options.maxConcurrency());
        detail.put("requireAll", options.requireAll());
        detail.putObject("aggregator").put("name", options.aggregator().name())
                .put("createdByPattern", options.ownAggregator());
        return detail.toString();
    }

    private static String fanInDetail(List<FanOut.Answer> answers, String aggregator) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        ArrayNode succeeded = detail.putArray("succeeded");
        ArrayNode failed = detail.putArray("failed");
        for (FanOut.Answer answer : answers) {
            WorkerResult result = answer.result();
            if (result.succeeded()) {
                succeeded.add(answer.worker());
            } else {
                failed.addObject().put("worker", answer.worker()).put("status", result.status().name())
                        .put("error", FanOut.error(result));
            }
        }
        detail.put("aggregator", aggregator);
        return detail.toString();
    }

    private static void publish(WorkflowContext context, String step, String detail) {
        context.publish(new PatternEvent(Instant.now(), context.executionId(), NAME, step, detail));
    }

    /** The SPI asks patterns to stop on cancellation or interruption; the interrupt flag stays set for the caller. */
    private static boolean cancelled(WorkflowContext context) {
        return context.isCancelled() || Thread.currentThread().isInterrupted();
    }

    private static ExecutionResult result(WorkflowContext context, ExecutionStatus status, String output, String error,
                                          Usage usage, Instant started) {
        return new ExecutionResult(context.executionId(), NAME, status, output, error, usage, started, Instant.now());
    }
}
