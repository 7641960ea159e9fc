package io.mcpagent.pattern.direct.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.llm.ModelRequirements;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PatternPlugin;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
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
 * One worker, one run: the worker named by option {@code worker}, else the request's first worker, else an agent the
 * pattern creates from the options {@code instruction}, {@code servers}, {@code provider} and {@code model}. Its
 * output is the execution's output and its failure the execution's failure. Holds no state per execution.
 */
@Component(service = {WorkflowPattern.class, ProblemReporter.class}, configurationPid = DirectPattern.PID,
        property = WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true")
@Designate(ocd = DirectConfig.class)
@PatternPlugin(id = DirectPattern.NAME, name = "Direct",
        description = "One agent (or any one worker) runs the task once, in one tool loop")
public final class DirectPattern implements WorkflowPattern, ProblemReporter {
    static final String NAME = "direct";
    static final String PID = "io.mcpagent.pattern.direct";
    /** Name of the agent the pattern creates when the request has no workers. */
    static final String OWN_AGENT = "assistant";
    static final String GENERAL_INSTRUCTION = "You are a capable assistant. Complete the task you are given "
            + "accurately and concisely, using your tools when they help, and answer with the result.";
    static final String OPTION_WORKER = "worker";
    static final String OPTION_INSTRUCTION = "instruction";
    static final String OPTION_SERVERS = "servers";
    static final String OPTION_PROVIDER = "provider";
    static final String OPTION_MODEL = "model";
    /** The {@link PatternEvent#step()} of the one decision this pattern makes. */
    static final String STEP_WORKER = "worker";
    private static final Logger LOG = LoggerFactory.getLogger(DirectPattern.class);

    /** The configured defaults for the agent the pattern creates; replaced whole when the configuration changes. */
    private record Defaults(String instruction, List<String> servers) {
        /** @throws IllegalArgumentException naming a blank server id */
        static Defaults from(DirectConfig config) {
            String instruction = config.instruction() == null || config.instruction().isBlank()
                    ? GENERAL_INSTRUCTION : config.instruction().strip();
            String[] servers = config.servers() == null ? new String[0] : config.servers();
            for (int i = 0; i < servers.length; i++) {
                if (servers[i] == null || servers[i].isBlank()) {
                    throw new IllegalArgumentException("servers[" + i + "] must be an MCP server plugin id, was blank");
                }
            }
            return new Defaults(instruction, serverIds(Arrays.stream(servers)));
        }
    }

    /** The worker that runs and why it was chosen (for the event). */
    private record Choice(Worker worker, String reason) {
    }

    private final GuardedConfiguration<DirectConfig, Defaults> configuration =
            new GuardedConfiguration<>(PID, DirectConfig.class, Defaults::from, LOG::error, LOG::info);

    @Activate
    public DirectPattern(DirectConfig config) {
        configuration.update(config);
    }

    /** A refused configuration leaves the defaults in force as they are. */
    @Modified
    void modified(DirectConfig config) {
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
        return DirectSuitability.of(analysis);
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        Instant started = Instant.now();
        Choice choice;
        try {
            choice = choose(request, configuration.settings());
        } catch (IllegalArgumentException e) {
            return result(context, ExecutionStatus.FAILED, null, e.getMessage(), Usage.NONE, started);
        }
        String worker = choice.worker().name();
        if (cancelled(context)) {
            return result(context, ExecutionStatus.CANCELLED, null,
                    "the execution was cancelled before worker '" + worker + "' ran", Usage.NONE, started);
        }
        context.publish(new PatternEvent(Instant.now(), context.executionId(), NAME, STEP_WORKER,
                choiceDetail(choice)));
        WorkerResult ran = context.run(choice.worker(), request.task().text());
        if (ran.succeeded() && ran.output() != null && !ran.output().isBlank()) {
            return result(context, ExecutionStatus.SUCCEEDED, ran.output(), null, ran.usage(), started);
        }
        if (ran.succeeded()) {
            // an empty answer is no result, as the other patterns judge it: fail, so a retry or fallback may apply
            return result(context, ExecutionStatus.FAILED, null, "worker '" + worker + "' answered with empty text",
                    ran.usage(), started);
        }
        boolean stopped = ran.status() == ExecutionStatus.CANCELLED || cancelled(context);
        String error = "worker '" + worker + "' " + (stopped ? "was cancelled" : "failed") + ": "
                + (ran.error() == null || ran.error().isBlank() ? "it ended " + ran.status() : ran.error());
        return result(context, stopped ? ExecutionStatus.CANCELLED : ExecutionStatus.FAILED, null, error, ran.usage(),
                started);
    }

    private static Choice choose(WorkflowRequest request, Defaults defaults) {
        String named = request.option(OPTION_WORKER, null);
        if (named != null) {
            Worker worker = request.worker(named).orElseThrow(() -> new IllegalArgumentException(
                    "option 'worker' names '" + named + "', but the request has no such worker; its workers are: "
                            + (request.workers().isEmpty() ? "none"
                            : String.join(", ", request.workers().stream().map(Worker::name).toList()))));
            return new Choice(worker, "named by option 'worker'");
        }
        List<Worker> workers = request.workers();
        if (workers.size() == 1) {
            return new Choice(workers.get(0), "the request's only worker");
        }
        if (!workers.isEmpty()) {
            return new Choice(workers.get(0), "the first of " + workers.size()
                    + " workers (option 'worker' picks another)");
        }
        return new Choice(ownAgent(request, defaults), "the request has no workers: an agent created for the task");
    }

    private static Worker ownAgent(WorkflowRequest request, Defaults defaults) {
        String instruction = request.option(OPTION_INSTRUCTION, defaults.instruction());
        String servers = request.option(OPTION_SERVERS, null);
        AgentSpec spec = new AgentSpec(OWN_AGENT, instruction,
                servers == null ? defaults.servers() : serverIds(Arrays.stream(servers.split(","))), null, null,
                model(request.option(OPTION_PROVIDER, null), request.option(OPTION_MODEL, null)), null, null);
        return new Worker.AgentWorker(spec, "an agent the direct pattern created for the task");
    }

    /** Pins the provider and/or model when an option names them, else lets the router pick any model. */
    private static ModelRequirements model(String provider, String model) {
        return provider == null && model == null ? ModelRequirements.ANY
                : new ModelRequirements(Set.of(), 0, ModelRequirements.Preference.COST, provider, model, List.of());
    }

    private static List<String> serverIds(Stream<String> ids) {
        return ids.filter(id -> id != null && !id.isBlank()).map(String::strip).distinct().toList();
    }

    private static String choiceDetail(Choice choice) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("worker", choice.worker().name());
        detail.put("kind", switch (choice.worker()) {
            case Worker.AgentWorker agent -> "agent";
            case Worker.PatternWorker pattern -> "pattern";
            case Worker.FunctionWorker function -> "function";
        });
        detail.put("reason", choice.reason());
        if (choice.worker() instanceof Worker.AgentWorker agent) {
            agent.spec().servers().forEach(detail.putArray("servers")::add);
        }
        return detail.toString();
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
