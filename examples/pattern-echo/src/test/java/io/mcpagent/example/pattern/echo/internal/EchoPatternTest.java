package io.mcpagent.example.pattern.echo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.task.TaskType;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowRequest;
import io.mcpagent.pattern.testkit.TestWorkflowContext;

class EchoPatternTest {
    private final EchoPattern pattern = new EchoPattern();

    @Test
    void answersWithTheTaskTextAndPublishesNothing() {
        TestWorkflowContext context = new TestWorkflowContext("exec-1");
        ExecutionResult result = pattern.execute(request("summarise the logs"), context);
        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("echo: summarise the logs", result.output());
        assertNull(result.error());
        assertEquals("exec-1", result.executionId());
        assertEquals("example.echo", result.patternId());
        assertFalse(result.finished().isBefore(result.started()));
        assertTrue(context.events().isEmpty(), "no events: " + context.events());
    }

    @Test
    void aCancelledExecutionIsNotRun() {
        TestWorkflowContext context = new TestWorkflowContext();
        context.cancel();
        ExecutionResult result = pattern.execute(request("x"), context);
        assertEquals(ExecutionStatus.CANCELLED, result.status());
        assertNull(result.output());
        assertTrue(result.error().contains("cancelled"), result.error());
    }

    @Test
    void anInterruptedThreadCountsAsCancelledAndStaysInterrupted() {
        Thread.currentThread().interrupt();
        try {
            assertEquals(ExecutionStatus.CANCELLED, pattern.execute(request("x"), new TestWorkflowContext("exec-1")).status());
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
}
