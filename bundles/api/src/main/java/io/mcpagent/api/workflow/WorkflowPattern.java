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

    /**
     * Service property ({@code Boolean}, default false) by which a pattern says that {@link #suitability} answers in
     * bounded time without blocking (no I/O, no waiting). The decision engine asks such a pattern on the caller's
     * thread; any other is asked on a thread of its own, at most one call at a time, waited for at most the decision
     * engine's {@code suitabilityTimeoutMillis} (default 250 ms) and passed over after it for that decision, and for a
     * while after that grows with each timeout in a row, since one that never answered would hold every plan and
     * execution. Handing over to another thread and back costs tens of
     * microseconds on a small machine.
     * <p>
     * Declare it ({@code @Component(property = WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true")}) when
     * {@code suitability} computes from the analysis alone: no I/O, no model or MCP call, no lock held by other work.
     * Nothing limits a pattern that declares it: if it blocks after all, every decision waits for it as long as it
     * blocks.
     *
     * @since 1.8
     */
    String BOUNDED_PROPERTY = "mcpagent.pattern.bounded";

    /**
     * Service property: what every model call of the pattern's agents needs of a model, whatever MCP servers they
     * have, as names of {@link io.mcpagent.api.llm.ModelCapability} (a String, or a String[] for several): a swarm's
     * agents hand over through tools, so it declares {@code TOOLS}
     * ({@code @Component(property = WorkflowPattern.MODEL_CAPABILITIES_PROPERTY + "=TOOLS")}). A plan forcing the
     * pattern is then blocked, naming what no provider's model has, where it was runnable and failed at its first
     * model call. Names that are no capability are not used.
     *
     * @since 1.10
     */
    String MODEL_CAPABILITIES_PROPERTY = "mcpagent.pattern.modelCapabilities";

    /**
     * How well this pattern fits a task, in [0, 1]; cheap and side-effect free: it should answer within a millisecond,
     * and one that has not answered within the decision engine's limit (see {@link #BOUNDED_PROPERTY}) is passed over.
     */
    double suitability(TaskAnalysis analysis);

    /**
     * Runs the request to completion and returns the result; failures of the work itself are returned as a
     * {@code FAILED} result or thrown as {@link WorkflowException}. Stops promptly when
     * {@link WorkflowContext#isCancelled()} turns true or the thread is interrupted.
     */
    ExecutionResult execute(WorkflowRequest request, WorkflowContext context);
}
