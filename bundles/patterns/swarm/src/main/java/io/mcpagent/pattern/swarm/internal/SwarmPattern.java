package io.mcpagent.pattern.swarm.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.plugin.PatternPlugin;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * A swarm: the request's agent workers hand control to each other through {@code transfer_to_<agent>} tools. The
 * start agent gets the task; the swarm is done when an agent ends its turn without transferring (its answer is the
 * output) or, with option {@code done=true}, when an agent calls {@code finish}. Workers that are not agents (nested
 * patterns, functions) cannot hold control; every agent may call them through {@code ask_<worker>} tools. Holds no
 * state per execution.
 */
@Component(service = {WorkflowPattern.class, ProblemReporter.class}, configurationPid = SwarmPattern.PID,
        property = {WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true",
                WorkflowPattern.MODEL_CAPABILITIES_PROPERTY + "=TOOLS"}) // the hand-over is a tool call
@Designate(ocd = SwarmConfig.class)
@PatternPlugin(id = SwarmPattern.NAME, name = "Swarm",
        description = "Agents hand control to each other through transfer tools until one finishes the task")
public final class SwarmPattern implements WorkflowPattern, ProblemReporter {
    static final String NAME = "swarm";
    static final String PID = "io.mcpagent.pattern.swarm";
    static final String OPTION_START = "start";
    static final String OPTION_MAX_HANDOFFS = "maxHandoffs";
    static final String OPTION_DONE = "done";
    private static final Logger LOG = LoggerFactory.getLogger(SwarmPattern.class);

    /** The configured defaults; replaced whole when the configuration changes. */
    private record Defaults(int maxHandoffs, boolean done) {
        /** @throws IllegalArgumentException naming the property that is out of range */
        static Defaults from(SwarmConfig config) {
            ConfigRanges.atLeast("maxHandoffs", config.maxHandoffs(), 0);
            return new Defaults(config.maxHandoffs(), config.done());
        }
    }

    private final GuardedConfiguration<SwarmConfig, Defaults> configuration =
            new GuardedConfiguration<>(PID, SwarmConfig.class, Defaults::from, LOG::error, LOG::info);

    @Activate
    public SwarmPattern(SwarmConfig config) {
        configuration.update(config);
    }

    /** A refused configuration leaves the defaults in force as they are. */
    @Modified
    void modified(SwarmConfig config) {
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
        return SwarmSuitability.of(analysis);
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        Instant started = Instant.now();
        Map<String, Worker.AgentWorker> members = new LinkedHashMap<>();
        List<Worker> others = new ArrayList<>();
        for (Worker worker : request.workers()) {
            if (worker instanceof Worker.AgentWorker agent) {
                members.put(agent.name(), agent);
            } else {
                others.add(worker);
            }
        }
        SwarmExecution execution;
        try {
            execution = new SwarmExecution(request, context, members, others, settings(request, members, others),
                    started);
        } catch (IllegalArgumentException e) {
            return new ExecutionResult(context.executionId(), NAME, ExecutionStatus.FAILED, null, e.getMessage(), null,
                    started, Instant.now());
        }
        return execution.run();
    }

    private SwarmExecution.Settings settings(WorkflowRequest request, Map<String, Worker.AgentWorker> members,
                                             List<Worker> others) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a swarm needs at least one agent worker to hold control, but the "
                    + "request has " + (others.isEmpty() ? "no workers" : "only workers that are not agents ("
                    + names(others) + "), which cannot take transfer tools"));
        }
        Defaults configured = configuration.settings();
        String start = request.option(OPTION_START, members.keySet().iterator().next());
        if (!members.containsKey(start)) {
            boolean other = others.stream().anyMatch(worker -> worker.name().equals(start));
            throw new IllegalArgumentException("option 'start' names '" + start + "', which is "
                    + (other ? "a worker that is not an agent and cannot hold control" : "not a worker of the request")
                    + "; the swarm's agents are: " + String.join(", ", members.keySet()));
        }
        return new SwarmExecution.Settings(start, maxHandoffs(request, configured.maxHandoffs()),
                done(request, configured.done()));
    }

    private static int maxHandoffs(WorkflowRequest request, int fallback) {
        String value = request.option(OPTION_MAX_HANDOFFS, null);
        if (value == null) {
            return fallback;
        }
        String problem = "option 'maxHandoffs' must be a whole number of 0 or more, was '" + value + "'";
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(problem, e);
        }
        if (parsed < 0) {
            throw new IllegalArgumentException(problem);
        }
        return parsed;
    }

    private static boolean done(WorkflowRequest request, boolean fallback) {
        String value = request.option(OPTION_DONE, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option 'done' must be 'true' or 'false', was '" + value + "'");
        };
    }

    private static String names(List<Worker> workers) {
        return String.join(", ", workers.stream().map(worker -> "'" + worker.name() + "'").toList());
    }
}
