package io.mcpagent.core.internal.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentEvent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;

/** A workflow context that keeps the events published on it and can be cancelled. */
final class RecordingContext implements WorkflowContext {
    final List<ExecutionEvent> events = new CopyOnWriteArrayList<>();
    volatile boolean cancelled;

    @Override
    public String executionId() {
        return "exec-1";
    }

    @Override
    public PluginManager plugins() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void publish(ExecutionEvent event) {
        events.add(event);
    }

    @Override
    public void status(ExecutionStatus status) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void activity(String whatItIsDoing) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Agent agent(AgentSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public WorkerResult run(Worker worker, String input) {
        throw new UnsupportedOperationException();
    }

    List<String> types() {
        return events.stream().map(e -> e.type() + (e instanceof AgentEvent a ? ":" + a.subject() : "")).toList();
    }
}
