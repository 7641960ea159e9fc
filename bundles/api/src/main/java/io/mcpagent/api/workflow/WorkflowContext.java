package io.mcpagent.api.workflow;

import org.osgi.annotation.versioning.ProviderType;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.plugin.PluginManager;

/** What the platform hands a pattern for one execution. */
@ProviderType
public interface WorkflowContext {

    String executionId();

    /** Where to look up providers, servers and nested patterns, afresh at every step. */
    PluginManager plugins();

    /** Publishes a progress event to every {@code ExecutionListener}; null is refused, failing the pattern. */
    void publish(ExecutionEvent event);

    /**
     * Says whether the execution waits for its turn ({@link ExecutionStatus#QUEUED}) or works
     * ({@link ExecutionStatus#RUNNING}): it is the execution's status until it ends, and a change is published as an
     * {@link ExecutionStatusEvent#STATUS_CHANGED} event. The autonomous orchestrator's execution waits this way for
     * admission. Since version 1.3 of this package.
     *
     * @throws IllegalArgumentException for a terminal status: an execution ends with the result its pattern returns
     */
    void status(ExecutionStatus status);

    /**
     * Says what the execution is doing now that a cancellation would cut short, in the words of "cancelled by
     * request while ...", e.g. {@code its task was being analysed}, so that its cancelled result says so; null once it
     * does nothing worth naming. The autonomous orchestrator's execution names its analysis this way. Since version
     * 1.7 of this package.
     */
    void activity(String whatItIsDoing);

    /** True once the execution is cancelled; patterns check it between steps and stop promptly. */
    boolean isCancelled();

    /**
     * An agent bound to this execution: its model calls count towards the execution's usage, its steps are published
     * here, and cancelling the execution stops it. Keep it to continue its conversation (swarm, evaluator-optimizer).
     */
    Agent agent(AgentSpec spec);

    /**
     * Runs a worker on {@code input} and waits for it: an agent (a fresh one), a nested pattern (looked up now, run
     * with this execution's cancellation; a pattern that is not installed fails the worker, naming it), or a
     * function. The worker's failure is in the result, never thrown. Safe to call from several threads at once.
     */
    WorkerResult run(Worker worker, String input);
}
