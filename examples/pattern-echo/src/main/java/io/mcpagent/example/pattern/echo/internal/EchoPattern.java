package io.mcpagent.example.pattern.echo.internal;

import java.time.Instant;

import org.osgi.service.component.annotations.Component;

import io.mcpagent.api.plugin.PatternPlugin;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/**
 * Answers every task with its own text, prefixed {@code "echo: "}: the smallest useful plugin, to show how a third
 * party builds one against the API and hot-deploys it. It calls no model, publishes no events, and its health is
 * the SPI's default (UP).
 * <p>
 * Its suitability is a constant {@value #SUITABILITY} for every task, far below what a real pattern reports for a
 * task it fits, so automatic pattern selection never picks it while a real pattern is installed; it runs when a
 * caller names it explicitly. As it answers at once, without I/O or waiting, it declares
 * {@link WorkflowPattern#BOUNDED_PROPERTY}: decisions ask it on their own thread, with no thread hand-over or time limit.
 */
@Component(service = WorkflowPattern.class, property = WorkflowPattern.BOUNDED_PROPERTY + ":Boolean=true")
@PatternPlugin(id = EchoPattern.ID, name = "Echo",
        description = "Example pattern: answers every task with its own text")
public final class EchoPattern implements WorkflowPattern {
    static final String ID = "example.echo";
    static final double SUITABILITY = 0.05;
    static final String PREFIX = "echo: ";

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
        // The SPI asks patterns to stop on cancellation or interruption; the interrupt flag is left set for the caller.
        if (context.isCancelled() || Thread.currentThread().isInterrupted()) {
            return new ExecutionResult(context.executionId(), ID, ExecutionStatus.CANCELLED, null,
                    "execution was cancelled before the echo pattern ran", null, started, Instant.now());
        }
        return new ExecutionResult(context.executionId(), ID, ExecutionStatus.SUCCEEDED,
                PREFIX + request.task().text(), null, null, started, Instant.now());
    }
}
