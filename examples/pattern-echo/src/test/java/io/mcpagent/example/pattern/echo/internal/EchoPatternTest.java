package io.mcpagent.example.pattern.echo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.event.ExecutionEvent;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.task.Task;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowRequest;

class EchoPatternTest {
    private final EchoPattern pattern = new EchoPattern();

    @Test
    void answersWithTheTaskText() {
        ExecutionResult result = pattern.execute(request("summarise the logs"), context(false));
        assertEquals(ExecutionStatus.SUCCEEDED, result.status());
        assertEquals("echo: summarise the logs", result.output());
        assertEquals("exec-1", result.executionId());
    }

    @Test
    void honoursCancellation() {
        assertEquals(ExecutionStatus.CANCELLED, pattern.execute(request("x"), context(true)).status());
    }

    @Test
    void neverOutranksARealPattern() {
        assertEquals(0.05, pattern.suitability(null));
        assertEquals("echo", pattern.name());
    }

    private static WorkflowRequest request(String text) {
        return new WorkflowRequest(Task.of(text), null, Map.of());
    }

    private static WorkflowContext context(boolean cancelled) {
        return new WorkflowContext() {
            @Override
            public String executionId() {
                return "exec-1";
            }

            @Override
            public PluginManager plugins() {
                return null;
            }

            @Override
            public void publish(ExecutionEvent event) {
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
    }
}
