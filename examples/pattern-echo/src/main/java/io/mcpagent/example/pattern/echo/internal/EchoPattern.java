package io.mcpagent.example.pattern.echo.internal;

import java.time.Instant;

import org.osgi.service.component.annotations.Component;

import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.plugin.PatternPlugin;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * Answers every task with its own text. Its suitability is deliberately tiny (0.05), so the platform never
 * prefers it over a real pattern; it exists to show how a plugin is built and hot-deployed.
 */
@Component(service = WorkflowPattern.class)
@PatternPlugin(id = "example.echo", name = "Echo", description = "Example pattern: answers with the task text")
public final class EchoPattern implements WorkflowPattern {
    static final double SUITABILITY = 0.05;

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public double suitability(TaskAnalysis analysis) {
        return SUITABILITY;
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        Instant started = Instant.now();
        if (context.isCancelled()) {
            return new ExecutionResult(context.executionId(), "example.echo", ExecutionStatus.CANCELLED, null,
                    "cancelled before it started", Usage.NONE, started, Instant.now());
        }
        return new ExecutionResult(context.executionId(), "example.echo", ExecutionStatus.SUCCEEDED,
                "echo: " + request.task().text(), null, Usage.NONE, started, Instant.now());
    }
}
