package io.mcpagent.benchmarks.agents;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;

/**
 * The workflow context of one execution, with no listener behind it: events are counted and dropped (the engine
 * would hand them to its listeners; LangChain4j publishes none), and it is never cancelled.
 */
final class QuietContext implements WorkflowContext {
    private final String executionId;
    private int events;

    QuietContext(String executionId) {
        this.executionId = executionId;
    }

    @Override
    public String executionId() {
        return executionId;
    }

    @Override
    public PluginManager plugins() {
        throw new UnsupportedOperationException("not needed by a single agent");
    }

    @Override
    public void publish(ExecutionEvent event) {
        synchronized (this) {
            events++;
        }
    }

    synchronized int events() {
        return events;
    }

    @Override
    public void status(ExecutionStatus status) {
        throw new UnsupportedOperationException("not needed by a single agent");
    }

    @Override
    public void activity(String whatItIsDoing) {
        throw new UnsupportedOperationException("not needed by a single agent");
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public Agent agent(AgentSpec spec) {
        throw new UnsupportedOperationException("not needed by a single agent");
    }

    @Override
    public WorkerResult run(Worker worker, String input) {
        throw new UnsupportedOperationException("not needed by a single agent");
    }
}
