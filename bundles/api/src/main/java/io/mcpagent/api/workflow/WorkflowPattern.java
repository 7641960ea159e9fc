package io.mcpagent.api.workflow;

import org.osgi.annotation.versioning.ConsumerType;

import io.mcpagent.api.plugin.PluginService;
import io.mcpagent.api.task.TaskAnalysis;

/**
 * A workflow pattern (direct, parallel, router, orchestrator, swarm, evaluator-optimizer, or a third party's),
 * registered with {@code @PatternPlugin}. Must be thread-safe: many executions may run at once.
 */
@ConsumerType
public interface WorkflowPattern extends PluginService {

    /** The pattern's name as used in analyses and by operators, e.g. {@code router}. */
    String name();

    /** How well this pattern fits a task, in [0, 1]; cheap and side-effect free. */
    double suitability(TaskAnalysis analysis);

    /**
     * Runs the request to completion and returns the result; failures of the work itself are returned as a
     * {@code FAILED} result or thrown as {@link WorkflowException}. Stops promptly when
     * {@link WorkflowContext#isCancelled()} turns true or the thread is interrupted.
     */
    ExecutionResult execute(WorkflowRequest request, WorkflowContext context);
}
