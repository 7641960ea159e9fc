package io.mcpagent.pattern.orchestrator.internal;

import java.time.Instant;
import java.util.List;

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
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * The orchestrator: a planner agent splits the task into sequential steps whose tasks run in parallel, each by a
 * named worker of the request (an agent, a function or a nested pattern); planned all at once ({@code full}) or one
 * step at a time ({@code iterative}). A synthesis agent then writes the answer from the results. A task whose worker
 * does not exist is reported to later steps and the synthesis rather than thrown (unless {@code failFast}).
 * Stateless between executions: each one gets its own {@link OrchestratorRun}.
 */
@Component(service = {WorkflowPattern.class, ProblemReporter.class}, configurationPid = OrchestratorPattern.PID,
        property = WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true")
@Designate(ocd = OrchestratorConfig.class)
@PatternPlugin(id = OrchestratorPattern.NAME, name = "Orchestrator",
        description = "A planner splits the task into sequential steps of parallel tasks for the workers; a synthesis "
                + "agent writes the answer from their results")
public final class OrchestratorPattern implements WorkflowPattern, ProblemReporter {
    static final String NAME = "orchestrator";
    static final String PID = "io.mcpagent.pattern.orchestrator";
    /** Options that pin the planner's and synthesizer's model. */
    static final String PROVIDER = "provider";
    static final String MODEL = "model";

    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorPattern.class);

    private final GuardedConfiguration<OrchestratorConfig, Settings> configuration =
            new GuardedConfiguration<>(PID, OrchestratorConfig.class, Settings::from, LOG::error, LOG::info);
    private volatile Settings defaults;

    @Activate
    public OrchestratorPattern(OrchestratorConfig config) {
        configuration.update(config);
        defaults = configuration.settings();
    }

    OrchestratorPattern(Settings defaults) {
        this.defaults = defaults;
    }

    /** A refused configuration leaves the defaults in force as they are. */
    @Modified
    void modified(OrchestratorConfig config) {
        if (configuration.update(config)) {
            defaults = configuration.settings();
        }
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
        return OrchestratorSuitability.of(analysis);
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        Instant started = Instant.now();
        Settings settings;
        try {
            settings = defaults.withOptions(request.options());
        } catch (IllegalArgumentException e) {
            return new ExecutionResult(context.executionId(), NAME, ExecutionStatus.FAILED, null, e.getMessage(), null,
                    started, Instant.now());
        }
        return new OrchestratorRun(request, context, settings, started).run();
    }
}
