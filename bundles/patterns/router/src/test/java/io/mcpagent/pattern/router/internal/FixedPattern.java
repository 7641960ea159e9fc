package io.mcpagent.pattern.router.internal;

import java.time.Instant;

import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/** A nested pattern for tests: answers "fixed: <task>" and reports the given usage. */
final class FixedPattern implements WorkflowPattern {
    private final Usage usage;

    FixedPattern(Usage usage) {
        this.usage = usage;
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public double suitability(TaskAnalysis analysis) {
        return 0.0;
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        return new ExecutionResult(context.executionId(), name(), ExecutionStatus.SUCCEEDED,
                "fixed: " + request.task().text(), null, usage, Instant.now(), Instant.now());
    }
}
