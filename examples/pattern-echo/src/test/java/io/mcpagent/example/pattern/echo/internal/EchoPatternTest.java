package io.mcpagent.example.pattern.echo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.agent.Agent;
import io.mcpagent.api.agent.AgentSpec;
import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.Worker;
import io.mcpagent.api.workflow.WorkerResult;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowRequest;

class EchoPatternTest {
    private final EchoPattern pattern = new EchoPattern();

    @Test
    void answersWithTheTaskTextAndPublishesNothing() {
        FakeContext context = new FakeContext(false);
        ExecutionResult result = pattern.execute(request("summarise the logs"), context);
        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("echo: summarise the logs", result.output());
        assertNull(result.error());
        assertEquals("exec-1", result.executionId());
        assertEquals("example.echo", result.patternId());
        assertFalse(result.finished().isBefore(result.started()));
        assertTrue(context.published.isEmpty(), "no events: " + context.published);
    }

    @Test
    void aCancelledExecutionIsNotRun() {
        ExecutionResult result = pattern.execute(request("x"), new FakeContext(true));
        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertNull(result.output());
        assertTrue(result.error().contains("cancelled"), result.error());
    }

    @Test
    void anInterruptedThreadCountsAsCancelledAndStaysInterrupted() {
        Thread.currentThread().interrupt();
        try {
            assertEquals(ExecutionStatus.CANCELLED, pattern.execute(request("x"), new FakeContext(false)).status());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void isNeverPreferredOverARealPattern() {
        TaskAnalysis simple = new TaskAnalysis(TaskType.GENERAL, Complexity.SIMPLE, 1, Set.of(), 1.0,
                "echo", "", "test");
        assertEquals(0.05, pattern.suitability(simple));
        assertEquals(0.05, pattern.suitability(null), "a forced pattern has no analysis");
        assertEquals("echo", pattern.name());
    }

    @Test
    void isHealthy() {
        assertEquals(PluginHealth.Status.UP, pattern.health().status());
    }

    private static WorkflowRequest request(String text) {
        return new WorkflowRequest(Task.of(text), null, Map.of());
    }

    /** The smallest WorkflowContext: a fixed id, no plugins, and the events it was asked to publish. */
    private static final class FakeContext implements WorkflowContext {
        final List<ExecutionEvent> published = new ArrayList<>();
        private final boolean cancelled;

        FakeContext(boolean cancelled) {
            this.cancelled = cancelled;
        }

        @Override
        public String executionId() {
            return "exec-1";
        }

        @Override
        public PluginManager plugins() {
            throw new AssertionError("the echo pattern needs no other plugin");
        }

        @Override
        public void publish(ExecutionEvent event) {
            published.add(event);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public Agent agent(AgentSpec spec) {
            throw new AssertionError("the echo pattern creates no agent");
        }

        @Override
        public WorkerResult run(Worker worker, String input) {
            throw new AssertionError("the echo pattern runs no worker");
        }
    }
}
