package io.mcpagent.pattern.direct.internal;

import java.time.Instant;

import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.task.TaskAnalysis;
import io.mcpagent.api.workflow.ExecutionResult;
import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.WorkflowContext;
import io.mcpagent.api.workflow.WorkflowPattern;
import io.mcpagent.api.workflow.WorkflowRequest;

/** A nested pattern for tests that answers "{@code prefix}: task" and reports a fixed usage, as if it ran models. */
record FixedAnswerPattern(String name, String prefix, Usage usage) implements WorkflowPattern {

    @Override
    public double suitability(TaskAnalysis analysis) {
        return 0;
    }

    @Override
    public ExecutionResult execute(WorkflowRequest request, WorkflowContext context) {
        return new ExecutionResult(context.executionId(), name, ExecutionStatus.SUCCEEDED,
                prefix + ": " + request.task().text(), null, usage, Instant.now(), Instant.now());
    }
}
